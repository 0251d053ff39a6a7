"""Users, their roles and API tokens; passwords are hashed, tokens stored only as SHA-256."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import Base, TimestampMixin, UTCDateTime, utcnow
from app.domain.access import is_read_only
from app.domain.actors import RESERVED_NAMES, Actor, as_actor
from app.domain.audit import append_event
from app.domain.logins import ThrottlePolicy, clear_failures, locked_until, record_failure, throttle_keys
from app.domain.organisations import Organisation, get_org
from app.errors import Conflict, InvalidState, NotFound, ValidationFailed
from app.messages import LABELS, msg

ROLES = LABELS["role"]  # code -> name, from the catalogue (deploy validation reads lane names through it)


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
    # Set by an admin's password reset (and by a password an admin typed): until the user chooses their own, the
    # edge lets them reach only the password page and logout (app/edge.py).
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    org: Mapped[Organisation] = relationship(lazy="joined")
    role_rows: Mapped[list["UserRole"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self):
        return {r.role for r in self.role_rows}

    @property
    def read_only(self):
        return is_read_only(self)

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


def display_names(session, usernames):
    """{username: display name} of the named users (a page shows people by name, never by their login)."""
    names = sorted(u for u in usernames if u)
    if not names:
        return {}
    return dict(session.execute(select(User.username, User.display_name).where(User.username.in_(names))).all())


def user_state(user):
    """What the record keeps of a user, before and after a change (never the password)."""
    return {"username": user.username, "display_name": user.display_name, "org": user.org.code,
            "roles": sorted(user.roles), "active": user.active, "must_change_password": user.must_change_password}


def create_user(session, actor, username, display_name, password, org_code, roles, hash_method="scrypt"):
    """Create a user with hashed password and roles; audited on the "users" stream."""
    return record_new_user(session, actor, new_user(session, username, display_name, password, org_code, roles,
                                                    hash_method))


def new_user(session, username, display_name, password, org_code, roles, hash_method="scrypt"):
    """A user not yet added to the session: known roles, a free name that is no platform name, a hashed password."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(msg("role.not_found"), {"roles": [msg("def.role_unknown", role=r) for r in unknown]})
    if username in RESERVED_NAMES:  # the record's name for the platform: a person so named would be taken for it
        reserved = msg("user.reserved", name=username)
        raise ValidationFailed(reserved, {"username": [reserved]})
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(msg("user.exists"), {"username": [msg("user.exists")]})
    user = User(username=username, display_name=display_name, org=get_org(session, org_code),
                password_hash=generate_password_hash(password, method=hash_method), must_change_password=False)
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    return user


def record_new_user(session, actor, user):
    session.add(user)
    session.flush()
    append_event(session, "users", "user.create", actor=actor,
                 payload={"username": user.username, "roles": sorted(user.roles), "after": user_state(user)})
    return user


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not (and until when it is refused)."""

    user: User | None
    locked_until: datetime | None = None


def authenticate(session, username, password, address=None, policy=None, hash_method="scrypt"):
    """The active user with these credentials; failures are counted, throttled and audited.

    Unknown usernames take the same path as known ones (a dummy hash is checked), so the time taken
    does not tell which usernames exist.
    """
    policy = policy or ThrottlePolicy()
    keys = throttle_keys(username, address)
    stream = f"user:{(username or '')[:64]}"
    until = locked_until(session, keys)
    if until is not None:
        append_event(session, stream, "login.throttled", payload={"username": username, "address": address})
        return SignIn(None, until)
    user = session.scalar(select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash if user else _dummy_hash(hash_method), password or "")
    if user is not None and user.active and valid:
        clear_failures(session, keys[:1])
        append_event(session, stream, "login", actor=Actor.of(user), payload={"address": address})
        return SignIn(user)
    until = record_failure(session, keys, policy)
    append_event(session, stream, "login.failed", payload={"username": username, "address": address,
                                                          "locked_until": until.isoformat() if until else None})
    return SignIn(None, until)


@cache
def _dummy_hash(method):
    return generate_password_hash(secrets.token_hex(16), method=method)


def end_sessions(session, actor, user, reason):
    """Every session of the user ends (logout, password change, deactivation): its session version moves on."""
    user.session_version += 1
    session.flush()
    append_event(session, f"user:{user.username}", "user.sessions_ended", actor=actor, payload={"reason": reason})


def change_password(session, user, old_password, new_password, hash_method="scrypt"):
    """The user's own new password (ending a reset's obligation to choose one); every session of theirs ends."""
    if not check_password_hash(user.password_hash, old_password or ""):
        raise ValidationFailed(msg("user.bad_password"), {"old_password": [msg("user.bad_password")]})
    if new_password == old_password:
        raise ValidationFailed(msg("people.password_same"), {"new_password": [msg("people.password_same")]})
    user.password_hash = generate_password_hash(new_password, method=hash_method)
    user.must_change_password = False
    end_sessions(session, Actor.of(user), user, "password")


def deactivate_user(session, actor, username):
    """Sign-in, sessions and tokens stop at once; the user and what they did stay (reactivate_user undoes it)."""
    user = get_user(session, username)
    if getattr(as_actor(actor), "user_id", None) == user.id:
        raise InvalidState(msg("people.not_yourself"))
    if user.active:
        before, user.active = user_state(user), False
        append_event(session, f"user:{username}", "user.deactivate", actor=actor,
                     payload={"username": username, "before": before, "after": user_state(user)})
        end_sessions(session, actor, user, "deactivated")
    return user


TOKEN_USE_RESOLUTION = timedelta(minutes=5)  # last use is written at most this often (a GET stays a read)


def issue_token(session, user, name, expires_at=None):
    """Create an API token; the plain value is returned once and only its SHA-256 is stored."""
    plain = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(plain), expires_at=expires_at)
    session.add(token)
    session.flush()
    append_event(session, f"user:{user.username}", "token.issue", actor=Actor.of(user),
                 payload={"id": token.id, "name": name, "expires_at": expires_at.isoformat() if expires_at else None})
    return plain, token


def list_tokens(session, user):
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def get_token(session, user, token_id):
    token = session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if token is None:
        raise NotFound(msg("token.not_found"))
    return token


def revoke_token(session, actor, token):
    """Revoked tokens are deleted: nothing is left that could authenticate."""
    append_event(session, f"user:{token.user.username}", "token.revoke", actor=actor,
                 payload={"id": token.id, "name": token.name})
    session.delete(token)
    session.flush()


def user_for_token(session, plain):
    """The active owner of an unexpired token (its last use noted), or None."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain))
                           .options(joinedload(ApiToken.user).joinedload(User.role_rows)))  # one statement per request
    now = utcnow()
    if token is None or not token.user.active or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        token.last_used_at = now
    return token.user


def _digest(plain):
    return hashlib.sha256(plain.encode()).hexdigest()
