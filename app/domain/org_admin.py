"""The admin's writes on the organisation tree: create, rename, move, deactivate and reactivate, each audited.

No organisation is ever deleted: tasks, instances, calls, ratings and the record name organisations by code, so
one that is no longer used is deactivated instead (hidden from pickers, shown greyed in the tree).
"""

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain.audit import append_event
from app.domain.organisations import ORG_KINDS, Organisation, get_org
from app.domain.people import User
from app.errors import Conflict, InvalidState, ValidationFailed
from app.messages import msg

STREAM = "orgs"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
NAME_MAX = 128


@dataclass(frozen=True)
class OrgNode:
    """One organisation in the tree as pages draw it: its depth and how many people and sub-units it holds."""

    org: Organisation
    depth: int
    users: int
    children: int


def org_state(org):
    """What the record keeps of an organisation, before and after a change."""
    return {"code": org.code, "name": org.name, "kind": org.kind, "parent": org.parent.code if org.parent else None,
            "active": org.active}


def _audit(session, actor, action, org, before=None):
    append_event(session, STREAM, action, actor=actor,
                 payload={"code": org.code, "before": before, "after": org_state(org)})


def _invalid(field, message):
    raise ValidationFailed(message, {field: [message]})


def _checked_name(name):
    name = (name or "").strip()
    if not name:
        _invalid("name", msg("org.name_required"))
    if len(name) > NAME_MAX:
        _invalid("name", msg("org.name_too_long", limit=NAME_MAX))
    return name


def _active_parent(session, parent_code):
    if not parent_code:
        return None
    parent = session.scalar(select(Organisation).where(Organisation.code == parent_code))
    if parent is None:
        _invalid("parent", msg("org.parent_not_found", code=parent_code))
    if not parent.active:
        _invalid("parent", msg("org.parent_inactive", name=parent.name))
    return parent


def create_org(session, actor, code, name, kind, parent_code=None):
    """A new organisation under an active parent (or at the top); its code is fixed for ever."""
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        _invalid("code", msg("org.bad_code"))
    if kind not in ORG_KINDS:
        _invalid("kind", msg("org.bad_kind"))
    name = _checked_name(name)
    if session.scalar(select(Organisation.id).where(Organisation.code == code)):
        raise Conflict(msg("org.exists", code=code), {"code": [msg("org.exists", code=code)]})
    org = Organisation(code=code, name=name, kind=kind, parent=_active_parent(session, parent_code))
    session.add(org)
    session.flush()
    _audit(session, actor, "org.create", org)
    return org


def rename_org(session, actor, code, name):
    org = get_org(session, code)
    before, org.name = org_state(org), _checked_name(name)
    if before["name"] != org.name:
        session.flush()
        _audit(session, actor, "org.rename", org, before)
    return org


def change_kind(session, actor, code, kind):
    """A town becomes a street, an office a department: the kind alone changes (used by the Excel import)."""
    if kind not in ORG_KINDS:
        _invalid("kind", msg("org.bad_kind"))
    org = get_org(session, code)
    before, org.kind = org_state(org), kind
    if before["kind"] != kind:
        session.flush()
        _audit(session, actor, "org.kind", org, before)
    return org


def move_org(session, actor, code, parent_code):
    """Put an organisation under another one (or at the top); never under itself or one of its own sub-units."""
    org = get_org(session, code)
    parent = _active_parent(session, parent_code)
    ancestor = parent
    while ancestor is not None:
        if ancestor.id == org.id:
            _invalid("parent", msg("org.cycle", name=org.name, parent=parent.name))
        ancestor = ancestor.parent
    before, org.parent = org_state(org), parent
    if before["parent"] != (parent.code if parent else None):
        session.flush()
        _audit(session, actor, "org.move", org, before)
    return org


def set_org_active(session, actor, code, active):
    """Deactivate (only once it holds no active user and no active sub-unit) or reactivate an organisation."""
    org = get_org(session, code)
    if org.active == active:
        return org
    if active and org.parent is not None and not org.parent.active:
        raise InvalidState(msg("org.parent_inactive", name=org.parent.name))
    if not active:
        users = session.scalar(select(func.count()).where(User.org_id == org.id, User.active.is_(True)))
        children = session.scalar(select(func.count()).where(Organisation.parent_id == org.id,
                                                             Organisation.active.is_(True)))
        if users or children:
            raise InvalidState(msg("org.still_used", name=org.name, users=users, children=children))
    before, org.active = org_state(org), active
    session.flush()
    _audit(session, actor, "org.activate" if active else "org.deactivate", org, before)
    return org


def org_tree(session, include_inactive=True):
    """Every organisation in tree order (a parent before its sub-units, by kind then name), with its counts."""
    orgs = list(session.scalars(select(Organisation)))
    users = dict(session.execute(select(User.org_id, func.count()).where(User.active.is_(True))
                                 .group_by(User.org_id)).all())
    children = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    kinds = list(ORG_KINDS)
    nodes = []

    def walk(parent_id, depth):
        for org in sorted(children.get(parent_id, []), key=lambda o: (kinds.index(o.kind) if o.kind in kinds else 99,
                                                                      o.name)):
            if include_inactive or org.active:
                nodes.append(OrgNode(org, depth, users.get(org.id, 0), len(children.get(org.id, []))))
                walk(org.id, depth + 1)

    walk(None, 0)
    return nodes
