"""form-js forms (schemaVersion 19): read a form, convert it to JSON Schema, validate submissions in Chinese."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

from app.messages import label, msg

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE = r"^\+?[0-9][0-9\- ]{5,19}$"
DATE_PATTERNS = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "time": r"^\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?$",
    "datetime": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$",
}
LAYOUT_TYPES = {"text", "html", "image", "button", "spacer", "separator", "iframe", "table", "documentPreview"}
CONTAINER_TYPES = {"group", "dynamiclist"}
SAFE_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
RESERVED_KEYS = {"typename"}
# Keys of upload fields in forms older than the photos field (a taglist of ids the page filled in).
ATTACHMENT_KEYS = {"photos", "files"}
# The field types whose value is a list of attachment ids; `photos` is the platform's own form-js field.
ATTACHMENT_TYPES = {"filepicker", "photos"}
# How many files a photos field takes unless its custom property maxFiles says otherwise.
PHOTOS_MAX = 9


@dataclass(frozen=True, eq=False)
class Form:
    id: str
    schema: dict

    @cached_property
    def converted(self):
        return form_to_json_schema(self.schema)

    @cached_property
    def validator(self):
        return FormValidator(self.converted)

    def json_schema(self):
        return self.converted

    def keys(self):
        return set(self.converted["properties"])

    def attachment_fields(self):
        """Keys whose values are attachment ids: file pickers, and the photo/file fields pages upload into."""
        return {c.get("key") for c in walk(self.schema.get("components") or []) if c.get("type") in ATTACHMENT_TYPES
                or c.get("key") in ATTACHMENT_KEYS} - {None}

    def attachment_ids(self, data):
        """{field: [attachment id, …]} named by the data (ids are numbers or numeric strings)."""
        found = {}
        for key in self.attachment_fields():
            value = data.get(key)
            values = value if isinstance(value, list) else [value] if value not in (None, "") else []
            found[key] = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12]
        return {k: v for k, v in found.items() if v}

    def complete(self, data):
        """The data with every field the user left out (or form-js hid) present as null, so scripts can read it."""
        filled = {key: None for key in self.converted["properties"]}
        filled.update(data)
        return filled


def safe_path(key):
    """A data key or dotted path whose parts scripts can name (`a.b`, never `../x` or `typename`)."""
    return all(SAFE_KEY.match(part) for part in str(key).split("."))


def walk(components):
    """Every component of a form-js tree, containers before their content."""
    for component in components:
        yield component
        yield from walk(component.get("components") or [])


def form_to_json_schema(form_schema):
    """Convert a form-js schema into a JSON Schema over the submitted data (unknown keys refused)."""
    return _object_schema(form_schema.get("components") or [])


def _object_schema(components):
    properties, required = {}, []
    for component in components:
        kind = component.get("type")
        if kind in LAYOUT_TYPES:
            continue
        if kind == "group":
            inner = _object_schema(component.get("components") or [])
            if component.get("path"):
                _put(properties, required, component["path"], inner, False)
            else:
                properties.update(inner["properties"])
                required.extend(inner.get("required", []))
            continue
        if kind == "dynamiclist":
            items = _object_schema(component.get("components") or [])
            _put(properties, required, component["path"], {"type": "array", "items": items, "x-id": component.get("id")}, False)
            continue
        if not component.get("key"):
            continue
        schema, is_required = _field_schema(component)
        _put(properties, required, component["key"], schema, is_required)
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def _put(properties, required, path, schema, is_required):
    parts = str(path).split(".")
    for part in parts[:-1]:
        node = properties.setdefault(part, {"type": "object", "properties": {}, "additionalProperties": False})
        properties = node["properties"]
    properties[parts[-1]] = schema
    if is_required and len(parts) == 1:
        required.append(parts[-1])


def _field_schema(c):
    """(JSON Schema, required?) for one keyed form-js component."""
    v = c.get("validate") or {}
    required = bool(v.get("required")) and not c.get("conditional")
    schema = {"x-id": c.get("id") or c["key"], "x-label": c.get("label") or c["key"]}
    builder = FIELD_BUILDERS.get(c["type"])
    if builder is not None:
        builder(schema, c, v, required)
    return schema, required


def _text(s, c, v, required):
    s["type"] = "string"
    if required:
        s["minLength"] = max(1, int(v.get("minLength") or 0))
    elif v.get("minLength"):
        s["x-minLengthIfPresent"] = int(v["minLength"])
    if isinstance(v.get("maxLength"), int):
        s["maxLength"] = v["maxLength"]
    pattern = v.get("pattern") or {"email": EMAIL, "phone": PHONE}.get(v.get("validationType"))
    if pattern:
        s["pattern"] = pattern if required else f"(^$)|({pattern})"
        if v.get("patternErrorMessage"):
            s["x-patternMessage"] = v["patternErrorMessage"]


def _number(s, c, v, required):
    s["type"] = "number" if required else ["number", "null"]
    for src, dst in (("min", "minimum"), ("max", "maximum")):
        if isinstance(v.get(src), (int, float)):
            s[dst] = v[src]
    if c.get("decimalDigits") is not None:
        s["x-decimalDigits"] = int(c["decimalDigits"])
    if c.get("increment"):
        s["x-increment"] = str(c["increment"])


def _choice(s, c, v, required):
    if _values(c):
        s["enum"] = _values(c) + ([] if required else [None, ""])


def _checkbox(s, c, v, required):
    s["type"] = "boolean"
    if required:
        s["const"] = True


def _multi_choice(s, c, v, required):
    s["type"] = "array"
    if _values(c):
        s["items"] = {"enum": _values(c)}
    if required:
        s["minItems"] = 1


def _datetime(s, c, v, required):
    s["type"] = "string" if required else ["string", "null"]
    s["pattern"] = DATE_PATTERNS.get(c.get("subtype", "date"), DATE_PATTERNS["date"])


def _files(s, c, v, required):
    s["type"] = "array" if c.get("multiple") else ["string", "array", "null"]


def photos_max(component):
    """How many files a photos field takes: its custom property maxFiles, else PHOTOS_MAX."""
    wanted = str((component.get("properties") or {}).get("maxFiles") or "").strip()
    return int(wanted) if wanted.isdigit() and 0 < int(wanted) <= 100 else PHOTOS_MAX


def _photos(s, c, v, required):
    s["type"] = "array" if required else ["array", "null"]
    s["x-attachments"] = photos_max(c)
    if required:
        s["minItems"] = 1


FIELD_BUILDERS = {
    "textfield": _text, "textarea": _text, "number": _number, "select": _choice, "radio": _choice,
    "checkbox": _checkbox, "checklist": _multi_choice, "taglist": _multi_choice, "datetime": _datetime,
    "filepicker": _files, "photos": _photos,
}


def _values(component):
    return [option.get("value") for option in component.get("values") or [] if isinstance(option, dict)]


def _decimal_digits(validator, digits, instance, schema):
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        exponent = Decimal(str(instance)).as_tuple().exponent
        if isinstance(exponent, int) and -exponent > digits:
            yield ValidationError(msg("form.decimal", n=digits))


def _increment(validator, step, instance, schema):
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        try:
            if Decimal(str(instance)) % Decimal(step) != 0:
                yield ValidationError(msg("form.increment", n=step))
        except InvalidOperation:
            yield ValidationError(msg("form.invalid"))


def _min_length_if_present(validator, n, instance, schema):
    if isinstance(instance, str) and instance and len(instance.strip()) < n:
        yield ValidationError(msg("form.min_length", n=n))


def _attachments(validator, most, instance, schema):
    """A photos field's value: distinct ids of uploaded files (positive whole numbers), at most `most` of them."""
    if not isinstance(instance, list):
        return
    if any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in instance):
        yield ValidationError(msg("photos.not_ids"))
    elif len(set(instance)) != len(instance):
        yield ValidationError(msg("photos.duplicate"))
    if len(instance) > most:
        yield ValidationError(msg("photos.too_many", n=most))


FormValidator = extend(Draft202012Validator, {
    "x-decimalDigits": _decimal_digits, "x-increment": _increment, "x-minLengthIfPresent": _min_length_if_present,
    "x-attachments": _attachments,
})


def validate_submission(form, data, reserved=()):
    """Map field key -> Chinese messages for everything wrong with `data`; empty when valid.

    Without a form (a start event or task that asks nothing) any submitted key is unknown.
    """
    if not isinstance(data, dict):
        return {"_": [msg("form.not_object")]}
    if form is None:
        return {key: [msg("form.unknown_key")] for key in data}
    errors = {}
    for key in data:
        if key in RESERVED_KEYS or key in reserved or str(key).startswith("_"):
            errors.setdefault(key, []).append(msg("form.reserved_key"))
    for error in form.validator.iter_errors(data):
        for field, message in _translate(error):
            if message not in errors.get(field, []):
                errors.setdefault(field, []).append(message)
    return errors


def _translate(error):
    """(field, message) pairs; an error inside a list (a tag, a row) is reported on the list's field."""
    path = ".".join(str(p) for p in error.absolute_path if not isinstance(p, int))
    if error.validator == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return [(".".join(filter(None, [path, k])), msg("form.unknown_key")) for k in extra]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else path
        return [(".".join(filter(None, [path, missing])), msg("form.required"))]
    return [(path or "_", _message(error))]


def _message(error):
    v, value, schema = error.validator, error.validator_value, error.schema
    required_text = v == "minLength" and value == 1
    simple = {
        "minLength": lambda: msg("form.required") if required_text else msg("form.min_length", n=value),
        "maxLength": lambda: msg("form.max_length", n=value),
        "pattern": lambda: schema.get("x-patternMessage") or msg("form.pattern"),
        "minimum": lambda: msg("form.minimum", n=value),
        "maximum": lambda: msg("form.maximum", n=value),
        "enum": lambda: msg("form.enum"),
        "const": lambda: msg("form.required"),
        "minItems": lambda: msg("form.required"),
        "type": lambda: msg("form.type", expected=_type_name(value)),
    }
    if v in simple:
        return simple[v]()
    return error.message if v.startswith("x-") else msg("form.invalid")


def _type_name(expected):
    kinds = expected if isinstance(expected, list) else [expected]
    return msg("form.type_or").join(label("json_type", k) for k in kinds if k != "null")
