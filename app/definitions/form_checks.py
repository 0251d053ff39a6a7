"""Read a form file of a bundle: its size, JSON, the form-js shape, ids, data keys and the size of its texts."""

import json

from app.definitions.forms import RESERVED_KEYS, Form, safe_path, walk
from app.engine.names import is_ncname
from app.engine.problems import Problem
from app.messages import msg


def read_form_file(name, content, limits, form_id_length, default_id):
    """(Form or None, problems) for one uploaded form-js file; `default_id` names a form without an `id`."""
    if len(content) > limits.max_form_bytes:
        return None, [Problem(name, None, None, msg("def.form_too_big", size=len(content), limit=limits.max_form_bytes))]
    try:
        data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return None, [Problem(name, None, getattr(err, "lineno", None), msg("def.form_invalid", detail=str(err)))]
    if not isinstance(data, dict) or data.get("type") != "default" or not isinstance(data.get("components"), list):
        return None, [Problem(name, None, None, msg("def.form_not_form_js"))]
    form_id = data.get("id") or default_id
    problems = []
    if not is_ncname(form_id) or len(form_id) > form_id_length:
        problems.append(Problem(name, None, None, msg("def.form_bad_id", form=form_id, limit=form_id_length)))
    components = list(walk(data["components"]))
    if len(components) > limits.max_form_components:
        problems.append(Problem(name, form_id, None, msg(
            "def.form_too_many", count=len(components), limit=limits.max_form_components)))
    for component in components:
        problems.extend(_component_problems(name, component, limits))
    return Form(form_id, data), problems


def _component_problems(name, component, limits):
    where = _describe(component)
    element_id = component.get("id") if isinstance(component.get("id"), str) else None
    problems = []
    key = component.get("key") or component.get("path")
    if key is not None and not safe_path(key):
        problems.append(Problem(name, element_id, None, msg("def.form_bad_key", element=where, field=key)))
    if key in RESERVED_KEYS:
        problems.append(Problem(name, element_id, None, msg("def.form_reserved_key", element=where, field=key)))
    longest = max(_texts(component), key=len, default="")
    if len(longest) > limits.max_form_text:
        problems.append(Problem(name, element_id, None, msg(
            "def.form_text_too_long", element=where, length=len(longest), limit=limits.max_form_text)))
    return problems


def _texts(value):
    """Every string a component holds (label, text, description, option labels …), its children's excepted."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "components":
                yield from _texts(item)


def _describe(component):
    label = component.get("label") if isinstance(component.get("label"), str) else ""
    ident = component.get("key") or component.get("id") or component.get("type")
    return msg("def.form_component", label=label[:40], id=ident) if label else msg("def.form_component_bare", id=ident)
