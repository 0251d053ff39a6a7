"""Organisations: departments, towns and streets, villages, 编办, supervision, congress, government."""

from sqlalchemy import Boolean, ForeignKey, String, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin
from app.errors import NotFound
from app.messages import LABELS, msg

ORG_KINDS = LABELS["org_kind"]


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    parent: Mapped["Organisation | None"] = relationship(remote_side=[id])
    # A deactivated organisation stays (history names it) but is offered in no picker and takes no new user.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    def __repr__(self):
        return f"<Organisation {self.code}>"


def get_org(session, code):
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise NotFound(msg("org.not_found"))
    return org


def org_codes_named(session, names):
    """Codes of the organisations whose code or name is one of `names` (a lane names one either way)."""
    if not names:
        return []
    names = sorted(names)
    return sorted(session.scalars(select(Organisation.code).where(
        or_(Organisation.code.in_(names), Organisation.name.in_(names)))))


def list_orgs(session, kind=None, parent_code=None, active=None):
    """Organisations by kind and code; `active` True or False keeps only those (pickers ask for the active ones)."""
    query = select(Organisation).order_by(Organisation.kind, Organisation.code)
    if active is not None:
        query = query.where(Organisation.active.is_(active))
    if kind:
        query = query.where(Organisation.kind == kind)
    if parent_code:
        parent = get_org(session, parent_code)
        query = query.where(Organisation.parent_id == parent.id)
    return list(session.scalars(query))


def ensure_org(session, code, name, kind, parent=None):
    """Create or update an organisation by code (used by the demo loader and imports)."""
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        org = Organisation(code=code, name=name, kind=kind, parent=parent)
        session.add(org)
    else:
        org.name, org.kind, org.parent = name, kind, parent
    session.flush()
    return org
