"""The two lists (权责清单, 配合事项清单) and the assigned column (交办事项): items with immutable versions."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, JSONValue, UTCDateTime, utcnow
from app.domain.actors import as_actor
from app.domain.audit import append_event
from app.domain.organisations import get_org
from app.errors import Conflict, NotFound, ValidationFailed
from app.messages import LABELS, msg

KINDS = LABELS["list_kind"]  # code -> label, from the catalogue
STATUSES = LABELS["list_status"]
VERSIONED_FIELDS = ("title", "category", "legal_basis", "lead_org", "cooperating_orgs", "lead_duties",
                    "cooperating_duties", "response_hours", "handle_days", "status", "effective_from", "effective_to")


class ResponsibilityItem(Base):
    __tablename__ = "responsibility_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    current_id: Mapped[int | None] = mapped_column(ForeignKey("item_version.id", use_alter=True))
    current: Mapped["ItemVersion"] = relationship(foreign_keys=[current_id], lazy="joined")


class ItemVersion(Base):
    """One immutable state of an item, linked to the instance or user that made it."""

    __tablename__ = "item_version"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("responsibility_item.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64), index=True)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    lead_org: Mapped[str] = mapped_column(String(64), index=True)
    cooperating_orgs: Mapped[list] = mapped_column(JSONValue, default=list)
    lead_duties: Mapped[str] = mapped_column(Text, default="")
    cooperating_duties: Mapped[str] = mapped_column(Text, default="")
    response_hours: Mapped[int] = mapped_column(Integer, default=4)
    handle_days: Mapped[int] = mapped_column(Integer, default=5)
    status: Mapped[str] = mapped_column(String(16), default="active")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    changed_by: Mapped[str] = mapped_column(String(64))
    change_reason: Mapped[str] = mapped_column(String(500), default="")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def as_dict(self):
        return {name: _plain(getattr(self, name)) for name in VERSIONED_FIELDS}


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class ItemChange:
    """What an operation wants an item to become; missing fields keep their current value."""

    fields: dict
    reason: str
    instance_id: int | None = None


def get_item(session, code):
    item = session.scalar(select(ResponsibilityItem).where(ResponsibilityItem.code == code))
    if item is None:
        raise NotFound(msg("list.not_found", code=code))
    return item


def list_items(session, kind=None, search=None, org=None, status="active", page=1, per_page=50):
    query = select(ResponsibilityItem).join(ResponsibilityItem.current)
    if kind:
        query = query.where(ResponsibilityItem.kind == kind)
    if status:
        query = query.where(ItemVersion.status == status)
    if org:
        query = query.where(or_(ItemVersion.lead_org == org, ItemVersion.cooperating_orgs.cast(String).contains(f'"{org}"')))
    if search:
        like = f"%{search}%"
        query = query.where(or_(ResponsibilityItem.code.ilike(like), ItemVersion.title.ilike(like),
                                ItemVersion.category.ilike(like)))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(ResponsibilityItem.code).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def item_history(session, code):
    item = get_item(session, code)
    return list(session.scalars(select(ItemVersion).where(ItemVersion.item_id == item.id)
                                .order_by(ItemVersion.number.desc())))


def validate_fields(session, fields):
    """Per-field Chinese messages for an item's fields; empty when valid."""
    errors = {}
    for key in ("title", "category", "lead_org"):
        if not str(fields.get(key) or "").strip():
            errors[key] = [msg("form.required")]
    _check_orgs(session, fields, errors)
    for key in ("response_hours", "handle_days"):
        value = fields.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0 or value > 8760:
            errors[key] = [msg("list.bad_limit")]
    start, end = fields.get("effective_from"), fields.get("effective_to")
    if not isinstance(start, date):
        errors["effective_from"] = [msg("form.required")]
    elif end is not None and (not isinstance(end, date) or end < start):
        errors["effective_to"] = [msg("list.bad_dates")]
    return errors


def _check_orgs(session, fields, errors):
    for code in [fields.get("lead_org")] + list(fields.get("cooperating_orgs") or []):
        if not code:
            continue
        try:
            get_org(session, code)
        except NotFound:
            field = "lead_org" if code == fields.get("lead_org") else "cooperating_orgs"
            errors.setdefault(field, []).append(msg("list.unknown_org", code=code))


def create_item(session, actor, code, kind, fields, reason, instance_id=None):
    """A new item with its first version."""
    if kind not in KINDS:
        raise ValidationFailed(msg("validation.request"), {"kind": [msg("form.enum")]})
    if session.scalar(select(ResponsibilityItem.id).where(ResponsibilityItem.code == code)):
        raise Conflict(msg("list.code_exists", code=code))
    fields = _with_defaults(fields)
    errors = validate_fields(session, fields)
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    item = ResponsibilityItem(code=code, kind=kind)
    session.add(item)
    session.flush()
    _add_version(session, actor, item, fields, reason, instance_id)
    return item


def revise_item(session, actor, code, change):
    """A new version of an existing item; the old versions stay as they were."""
    item = get_item(session, code)
    if not change.reason.strip():
        raise ValidationFailed(msg("validation.request"), {"reason": [msg("list.reason_required")]})
    fields = item.current.as_dict()
    fields.update(change.fields)
    fields = _with_defaults(fields)
    errors = validate_fields(session, fields)
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    return _add_version(session, actor, item, fields, change.reason, change.instance_id)


def retire_item(session, actor, code, reason, instance_id=None, on=None):
    return revise_item(session, actor, code, ItemChange(
        {"status": "retired", "effective_to": on or utcnow().date()}, reason, instance_id))


def _with_defaults(fields):
    out = dict(fields)
    for key in ("effective_from", "effective_to"):
        if isinstance(out.get(key), str):
            out[key] = date.fromisoformat(out[key]) if out[key] else None
    out.setdefault("status", "active")
    out.setdefault("cooperating_orgs", [])
    out.setdefault("legal_basis", "")
    out.setdefault("lead_duties", "")
    out.setdefault("cooperating_duties", "")
    out.setdefault("effective_to", None)
    return out


def _add_version(session, actor, item, fields, reason, instance_id):
    number = (session.scalar(select(func.max(ItemVersion.number)).where(ItemVersion.item_id == item.id)) or 0) + 1
    actor = as_actor(actor)
    version = ItemVersion(item_id=item.id, number=number, changed_by=actor.name,
                          change_reason=reason[:500], instance_id=instance_id,
                          **{k: fields[k] for k in VERSIONED_FIELDS})
    session.add(version)
    session.flush()
    item.current = version
    session.flush()
    append_event(session, f"list:{item.code}", "list.version", actor=actor,
                 payload={"code": item.code, "version": number, "reason": reason, "instance_id": instance_id,
                          "fields": version.as_dict()})
    return version


def next_code(session, kind):
    """The next free code of a kind: Q (权责), P (配合), J (交办) and a number."""
    prefix = {"power": "Q", "cooperation": "P", "assigned": "J"}[kind]
    codes = session.scalars(select(ResponsibilityItem.code).where(ResponsibilityItem.code.like(f"{prefix}-%")))
    numbers = [int(c.split("-")[-1]) for c in codes if c.split("-")[-1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:04d}"
