"""Bundle file names: what kind a file is, and the name it is stored under.

A name is only ever a key in the database: path components a browser or a zip tool adds are dropped, and no
name (nor any id) is joined to a file-system path, so traversal is impossible by construction.
"""

import re

from app.engine.problems import Problem
from app.messages import msg

# Longest suffix first: `x.bpmn20.xml` is BPMN (Flowable's and Activiti's convention), `x.form` form-js's, and
# `x.scenarios.json` the scenario tests of process x (app/definitions/scenario_files.py), not a form.
SUFFIXES = ((".bpmn20.xml", "bpmn"), (".bpmn", "bpmn"), (".dmn", "dmn"), (".form", "form"),
            (".scenarios.json", "scenario"), (".json", "form"))
SEPARATORS = re.compile(r"[\\/]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def file_kind(name):
    """"bpmn", "dmn", "form" or "scenario" by the name's ending (case-insensitive); None for anything else."""
    lowered = name.lower()
    return next((kind for suffix, kind in SUFFIXES if lowered.endswith(suffix) and len(lowered) > len(suffix)), None)


def stem(name):
    """The name without its kind's suffix (a form's default id)."""
    lowered = name.lower()
    suffix = next((s for s, _kind in SUFFIXES if lowered.endswith(s)), "")
    return name[: len(name) - len(suffix)]


def base_name(name):
    """The last path component of an uploaded name, trimmed."""
    return SEPARATORS.split(str(name))[-1].strip()


def stored_names(files, max_length):
    """({stored name: bytes}, problems): names reduced to their last component, kinds checked, clashes refused."""
    stored, problems = {}, []
    for raw, content in sorted(files.items()):
        name = base_name(raw)
        if CONTROL.search(name):
            problems.append(Problem(repr(name), None, None, msg("def.file_name_control", name=repr(name))))
        elif file_kind(name) is None:
            problems.append(Problem(name or str(raw), None, None, msg("def.file_kind", name=name or raw)))
        elif len(name) > max_length:
            problems.append(Problem(name, None, None, msg("def.file_name_too_long", name=name, limit=max_length)))
        elif name in stored:
            problems.append(Problem(name, None, None, msg("def.file_duplicate", name=name)))
        else:
            stored[name] = content
    return stored, problems
