"""What a human task gets when it lacks the platform's properties (docs/bpmn.md, "没有平台属性的任务").

One reading of a task's properties, for deploy (which tells the designer what it assumed) and for the run (which
assigns the task): who may work on it and which form it shows. The engine has already read the diagram's other
conventions into properties (app/engine/vendors.py): `candidate_groups`, `assignee`, `form_key`, `lane_id`.
"""

from dataclasses import dataclass
from functools import lru_cache

from app.definitions.expressions import has_juel
from app.definitions.files import base_name, stem
from app.definitions.forms import Form
from app.messages import msg

GENERIC_FORM_ID = "generic"
# What the platform adds to every person's start data: who started it, for which organisation, with which roles
# (a gateway may ask `"grid" in initiator_roles`). Scripts read them; scenario tests leave them out of a recording.
STANDARD_START_DATA = ("initiator", "initiator_org", "initiator_roles")
# The statuses an instance row holds (a scenario expects one of them); the console's 等待中 (waiting) is its reading
# of a running instance without an open task, never stored.
STORED_INSTANCE_STATUSES = ("running", "suspended", "error", "completed", "terminated")
COMMENT_LIMIT = 2000


def split_roles(text):
    """Role names or codes from a comma list (`role`, `start_roles` properties, Camunda's groups)."""
    return [r.strip() for r in (text or "").replace("，", ",").split(",") if r.strip()]


def role_of(roles, name):
    """The role code for a code or a Chinese role name in `roles` (lanes may use either); None if unknown."""
    if name in roles:
        return name
    return next((code for code, label in roles.items() if label == name), None)


@dataclass(frozen=True)
class Assignment:
    """Where a task's candidates come from, as far as the diagram says (organisations are looked up at run time).

    `roles` come from `role`, else from Camunda's candidate groups that name roles, else from a lane that names one;
    `lanes` are the lane's name and id when the task has no `role` and its lane names no role (an organisation's
    code or name, looked up at run time); `assignee` is a user named by Camunda's `assignee`.
    """

    roles: tuple
    source: str | None  # "role" | "groups" | "lane" | None
    lanes: tuple
    assignee: str | None
    org_expression: bool
    ignored_groups: tuple = ()
    ignored_assignee: str | None = None

    @property
    def by_default(self):
        """Nothing in the diagram names anyone: the initiator, designers and admins (also when no lane names an
        organisation at run time)."""
        return not (self.roles or self.lanes or self.assignee or self.org_expression)


def assignment_of(properties, lane, roles):
    """The Assignment of a human task from its properties, its lane's name and the host's roles (code -> name)."""
    lane_names = tuple(dict.fromkeys(n for n in (lane, properties.get("lane_id")) if n))
    lane_role = next((role_of(roles, n) for n in lane_names if role_of(roles, n)), None)
    groups = split_roles(properties.get("candidate_groups"))
    group_roles = [role_of(roles, g) for g in groups]
    assignee = (properties.get("assignee") or "").strip() or None
    ignored_assignee = assignee if has_juel(assignee) else None
    common = {"org_expression": bool(properties.get("org")), "assignee": None if ignored_assignee else assignee,
              "ignored_assignee": ignored_assignee,
              "ignored_groups": tuple(g for g, r in zip(groups, group_roles, strict=True) if r is None)}
    explicit = split_roles(properties.get("role"))
    if explicit:
        known = [role_of(roles, r) for r in explicit]
        return Assignment(_codes(known), "role", (), **common)
    lanes = () if lane_role else lane_names
    if any(group_roles):
        return Assignment(_codes(group_roles), "groups", lanes, **common)
    if lane_role:
        return Assignment((lane_role,), "lane", (), **common)
    return Assignment((), None, lanes, **common)


def _codes(found):
    return tuple(sorted({code for code in found if code}))


def start_roles_of(properties, roles):
    """Role codes that may start a process: `start_roles`, else Camunda's `candidateStarterGroups` naming roles."""
    named = split_roles(properties.get("start_roles")) or split_roles(properties.get("candidate_starter_groups"))
    return sorted({role_of(roles, r) for r in named} - {None})


def form_of(properties, forms):
    """(form id or None for the generic form, the Camunda form key that names no form or None).

    `forms` maps the deployment's form ids to their file names: a `form_key` (`camunda-forms:deployment:x.form`,
    `embedded:app:forms/x.html`, `x`) names a form by its id, its file name or its file name without `.form`.
    """
    if properties.get("form"):
        return properties["form"], None
    key = properties.get("form_key")
    if not key:
        return None, None
    name = base_name(key.rsplit(":", 1)[-1])
    names = (name, name.rsplit(".", 1)[0])
    found = next((n for n in names if n in forms), None) or next(
        (form_id for form_id, file_name in sorted(forms.items()) if {file_name, stem(file_name)} & set(names)), None)
    return (found, None) if found else (None, key)


@lru_cache(maxsize=1)
def generic_form():
    """The form of a human task that names none: a comment, and an acknowledgement that must be ticked.

    A form-js schema like any deployed form, served and validated the same way; the task's documentation is its
    instructions, shown above the form.
    """
    return Form(GENERIC_FORM_ID, {
        "type": "default", "id": GENERIC_FORM_ID, "schemaVersion": 19,
        "components": [
            {"type": "textarea", "id": "Generic_comment", "key": "comment", "label": msg("form.generic_comment"),
             "validate": {"maxLength": COMMENT_LIMIT}},
            {"type": "checkbox", "id": "Generic_acknowledged", "key": "acknowledged",
             "label": msg("form.generic_acknowledged"), "validate": {"required": True}},
        ],
    })
