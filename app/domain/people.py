"""Users, their roles and API tokens; passwords are hashed, tokens stored only as SHA-256."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import Base, TimestampMixin, UTCDateTime
from app.domain.audit import append_event
from app.domain.organisations import Organisation, get_org
from app.errors import Conflict, NotFound, ValidationFailed
from app.messages import msg

ROLES = {
    "grid": "网格员",
    "town_staff": "镇街工作人员",
    "town_leader": "镇街负责人",
    "dept_staff": "部门工作人员",
    "dept_leader": "部门负责人",
    "bianban": "编办",
    "designer": "流程设计员",
    "supervisor": "督查",
    "congress": "人大（只读）",
    "leader": "市委市政府领导",
    "admin": "系统管理员",
}
READ_ONLY_ROLES = {"congress"}
READ_ALL_ROLES = {"congress", "admin", "supervisor", "bianban", "leader"}


def role_code(name_or_code):
    """The role code for a code or a Chinese role name (lanes may use either); None if unknown."""
    if name_or_code in ROLES:
        return name_or_code
    for code, name in ROLES.items():
        if name == name_or_code:
            return code
    return None


class User(TimestampMixin, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised by logout, password change and deactivation: every session signed with an older value ends.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    org: Mapped[Organisation] = relationship(lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self):
        return {r.role for r in self.role_rows}

    @property
    def read_only(self):
        return bool(self.roles) and self.roles <= READ_ONLY_ROLES

    def has_role(self, *roles):
        return bool(self.roles & set(roles))

    # Flask-Login protocol, kept here so the edge needs no wrapper class.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_version}"


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class ApiToken(TimestampMixin, Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship(lazy="joined")


def get_user(session, username):
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(msg("user.not_found"))
    return user


def list_users(session, org_code=None):
    query = select(User).order_by(User.username)
    if org_code:
        query = query.join(User.org).where(Organisation.code == org_code)
    return list(session.scalars(query))


def create_user(session, actor, username, display_name, password, org_code, roles, hash_method="scrypt"):
    """Create a user with hashed password and roles; audited on the actor's stream."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(msg("role.not_found"), {"roles": [msg("def.role_unknown", role=r) for r in unknown]})
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(msg("user.exists"))
    user = User(username=username, display_name=display_name, org=get_org(session, org_code),
                password_hash=generate_password_hash(password, method=hash_method))
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    session.add(user)
    session.flush()
    append_event(session, "users", "user.create", actor=actor, payload={"username": username, "roles": sorted(roles)})
    return user


def authenticate(session, username, password):
    """The active user with these credentials, or None (a failure is audited)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is not None and user.active and check_password_hash(user.password_hash, password):
        append_event(session, f"user:{username}", "login", actor=user)
        return user
    append_event(session, f"user:{username}", "login.failed", actor=None, payload={"username": username})
    return None


def issue_token(session, user, name):
    """Create an API token; the plain value is returned once and never stored."""
    plain = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(plain)))
    session.flush()
    append_event(session, f"user:{user.username}", "token.issue", actor=user, payload={"name": name})
    return plain


def user_for_token(session, plain):
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if token is None or not token.user.active:
        return None
    return token.user


def _digest(plain):
    return hashlib.sha256(plain.encode()).hexdigest()
