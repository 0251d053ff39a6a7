"""What points at what in a bundle, read from the files as drawn: which forms and tables a process uses.

Read without validating (a draft may be broken): a file that does not parse simply names nothing.
"""

import json

from lxml import etree

from app.definitions.files import file_kind, stem
from app.engine.parser import SPIFF_NS, harden_parse

FORM_PROPERTIES = ("form",)


def _root(content):
    try:
        return harden_parse(content)
    except (etree.XMLSyntaxError, ValueError):
        return None


def form_files(files):
    """{form id: file name}: a form's id is its schema's `id`, else the file's stem."""
    found = {}
    for name, content in sorted(files.items()):
        if file_kind(name) != "form":
            continue
        try:
            schema = json.loads(content)
        except (ValueError, UnicodeDecodeError):
            continue
        form_id = schema.get("id") if isinstance(schema, dict) else None
        found[form_id if isinstance(form_id, str) and form_id else stem(name)] = name
    return found


def decision_files(files):
    """{decision id: (file name, decision name)} of every DMN file."""
    found = {}
    for name, content in sorted(files.items()):
        if file_kind(name) != "dmn" or (root := _root(content)) is None:
            continue
        for decision in root.xpath("//*[local-name()='decision']"):
            if decision.get("id"):
                found[decision.get("id")] = (name, decision.get("name") or decision.get("id"))
    return found


def process_files(files):
    """{process id: (file name, process name)} of every BPMN file."""
    found = {}
    for name, content in sorted(files.items()):
        if file_kind(name) != "bpmn" or (root := _root(content)) is None:
            continue
        for process in root.xpath("//*[local-name()='process']"):
            if process.get("id"):
                found[process.get("id")] = (name, process.get("name") or process.get("id"))
    return found


def process_uses(files, process_id):
    """{"forms": {form id: [task names]}, "decisions": {decision ids}} of one process as drawn."""
    name = process_files(files).get(process_id, (None,))[0]
    root = _root(files[name]) if name else None
    uses = {"forms": {}, "decisions": set()}
    if root is None:
        return uses
    process = root.xpath("//*[local-name()='process' and @id=$id]", id=process_id)[0]
    for prop in process.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") in FORM_PROPERTIES and prop.get("value"):
            owner = next((a for a in prop.iterancestors() if a.get("id")), None)
            label = (owner.get("name") or owner.get("id")) if owner is not None else prop.get("value")
            uses["forms"].setdefault(prop.get("value"), []).append(label)
    for called in process.iter(f"{{{SPIFF_NS}}}calledDecisionId"):
        if (called.text or "").strip():
            uses["decisions"].add(called.text.strip())
    return uses


def files_of_process(files, process_id):
    """The files that make one process: its diagram, its scenario tests, its forms and its tables."""
    name = process_files(files).get(process_id, (None,))[0]
    if name is None:
        return []
    uses = process_uses(files, process_id)
    forms, decisions = form_files(files), decision_files(files)
    names = {name, f"{process_id}.scenarios.json"}
    names |= {forms[f] for f in uses["forms"] if f in forms}
    names |= {decisions[d][0] for d in uses["decisions"] if d in decisions}
    return sorted(n for n in names if n in files)
