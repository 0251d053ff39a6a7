"""What each deployed form calls the data: labels, option labels and field kinds, by form and merged."""

from sqlalchemy import select

from app.definitions.forms import walk
from app.definitions.models import DeployedForm
from app.messages import msg

STANDARD_LABELS = {"initiator": "user", "initiator_org": "org", "initiator_roles": "role"}


def _schema_labels(schema):
    labels = {}
    for component in walk((schema or {}).get("components") or []):
        key = component.get("key") or component.get("path")
        if not key or not component.get("label") or str(key) in labels:
            continue
        options = {str(v.get("value")): v.get("label") for v in component.get("values") or [] if isinstance(v, dict)}
        labels[str(key)] = {"label": component["label"], "options": options, "kind": component.get("type")}
    return labels


def _fields(schema):
    return [(c["key"], c.get("label") or c["key"], bool((c.get("validate") or {}).get("required")))
            for c in walk((schema or {}).get("components") or []) if c.get("key")]


def form_labels(session, deployment_id):
    """What the version's forms call the data, read once: ({data name: {"label", "options": {value: label}, "kind"}}
    over every form and the standard start data, {form id: the same for that form alone}, {form id: [(key, label,
    required)]}). The data reads in Chinese (a user, organisation or role by its name); a task's submitted data is
    named by its own form, where another form may name a key otherwise; a skip shows the fields its form asks for."""
    standard = {name: {"label": msg(f"console.data.{name}"), "options": {}, "kind": kind}
                for name, kind in STANDARD_LABELS.items()}
    merged, by_form, fields = dict(standard), {}, {}
    for form_id, schema in session.execute(select(DeployedForm.form_id, DeployedForm.schema).where(
            DeployedForm.deployment_id == deployment_id).order_by(DeployedForm.form_id)):
        by_form[form_id] = {**standard, **_schema_labels(schema)}
        fields[form_id] = _fields(schema)
        for key, value in by_form[form_id].items():
            merged.setdefault(key, value)
    return merged, by_form, fields
