"""The data editor of a suspended instance, as a form: one row per variable (name, type, value), as an admin who
knows Camunda Cockpit edits variables; the rows are read back into the instance's data with a Chinese error per row."""

import json

from app.errors import ValidationFailed
from app.messages import LABELS, msg

VARIABLE_TYPES = LABELS["variable_type"]  # text, number, boolean, json, null -> Chinese
NAME_MAX = 64


def _type_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "text" if isinstance(value, str) else "json"


def _text_of(value, kind):
    if kind == "text":
        return value
    if kind == "null":
        return ""
    return json.dumps(value, ensure_ascii=False)


def variable_rows(data, form=None):
    """The rows the editor shows: the admin's own input again after a refusal, else the instance's data."""
    if form and form.getlist("var_name"):
        deleted = set(form.getlist("var_delete"))
        return [{"name": n, "type": t, "value": v, "deleted": n in deleted} for n, t, v in zip(
            form.getlist("var_name"), form.getlist("var_type"), form.getlist("var_value"), strict=False) if n or v]
    return [{"name": name, "type": _type_of(value), "value": _text_of(value, _type_of(value)), "deleted": False}
            for name, value in (data or {}).items()]


def _value(kind, text):
    if kind == "text":
        return text
    if kind == "null":
        return None
    if kind == "boolean":
        if text.strip().lower() not in ("true", "false"):
            raise ValueError(msg("console.var.boolean"))
        return text.strip().lower() == "true"
    if kind == "number":
        try:
            number = json.loads(text.strip())
        except ValueError:
            number = None
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError(msg("console.var.number"))
        return number
    if kind == "json":
        try:
            return json.loads(text)
        except ValueError as err:
            raise ValueError(msg("console.bad_json", line=err.lineno, column=err.colno)) from err
    raise ValueError(msg("console.var.type"))


def parse_variables(form):
    """{name: value} from the editor's rows, without the rows marked for deletion; every bad row is named."""
    deleted, data, errors = set(form.getlist("var_delete")), {}, {}
    rows = zip(form.getlist("var_name"), form.getlist("var_type"), form.getlist("var_value"), strict=False)
    for number, (raw_name, kind, text) in enumerate(rows, start=1):
        name = raw_name.strip()
        if not name and not text.strip():
            continue  # the empty row for a new variable
        if name in deleted:
            continue
        problem = None
        if not name.isidentifier() or len(name) > NAME_MAX:
            problem = msg("console.var.name")
        elif name in data:
            problem = msg("console.var.twice")
        else:
            try:
                data[name] = _value(kind, text)
            except ValueError as err:
                problem = str(err)
        if problem:
            errors[f"var_{number}"] = [msg("console.var.row", number=number, name=name or "—", problem=problem)]
    if errors:
        raise ValidationFailed(msg("console.var.invalid"), errors)
    return data
