"""The admin's writes on people: add, edit (name, organisation, roles), reactivate, reset a password; each audited
with before and after on the account's own stream (`user:<username>`, beside its sign-ins and tokens).

A password an admin types or generates is temporary: the user must choose their own at the next sign-in
(`User.must_change_password`, which the edge enforces). Deactivation lives with the sign-in rules in people.py.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select
from werkzeug.security import generate_password_hash

from app.db import utcnow
from app.domain.actors import as_actor
from app.domain.audit import append_event, event_page
from app.domain.organisations import Organisation, get_org
from app.domain.people import ROLES, User, UserRole, end_sessions, get_user, new_user, record_new_user, user_state
from app.errors import InvalidState, ValidationFailed
from app.messages import msg

USERNAME_PATTERN = r"^[a-z][a-z0-9_]{2,31}$"
PASSWORD_MIN, PASSWORD_MAX = 8, 128
DISPLAY_NAME_MAX = 64
TOKEN_DAYS = (30, 90, 365)  # the lifetimes a person picks for a token on the profile page (or none: no expiry)
# A generated temporary password: letters and digits that cannot be mistaken for one another when read out.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_LENGTH = 10
ADMIN_ROLE = "admin"


def _invalid(field, message):
    raise ValidationFailed(message, {field: [message]})


def check_password(password, field="password"):
    if not PASSWORD_MIN <= len(password or "") <= PASSWORD_MAX:
        _invalid(field, msg("people.password_length", low=PASSWORD_MIN, high=PASSWORD_MAX))


def _checked_display_name(name):
    name = (name or "").strip()
    if not name:
        _invalid("display_name", msg("people.display_name_required"))
    if len(name) > DISPLAY_NAME_MAX:
        _invalid("display_name", msg("people.display_name_too_long", limit=DISPLAY_NAME_MAX))
    return name


def _checked_roles(roles):
    roles = sorted(set(roles or []))
    if not roles:
        _invalid("roles", msg("people.roles_required"))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(msg("role.not_found"), {"roles": [msg("def.role_unknown", role=r) for r in unknown]})
    return roles


def _active_org(session, org_code):
    org = session.scalar(select(Organisation).where(Organisation.code == (org_code or "")))
    if org is None:
        _invalid("org", msg("people.org_not_found", code=org_code or ""))
    if not org.active:
        _invalid("org", msg("people.org_inactive", name=org.name))
    return org


@dataclass(frozen=True)
class NewAccount:
    """What the admin gives for a new account (a page's form, an API body, an Excel row)."""

    username: str
    display_name: str
    password: str
    org: str
    roles: list
    must_change_password: bool = True  # a password an admin chose is temporary unless they say not


def add_user(session, actor, account, hash_method="scrypt"):
    """A new account of an active organisation, checked as the admin's pages and imports need."""
    username = (account.username or "").strip()
    if not re.match(USERNAME_PATTERN, username):
        _invalid("username", msg("people.bad_username"))
    display_name = _checked_display_name(account.display_name)
    check_password(account.password)
    _active_org(session, account.org)
    user = new_user(session, username, display_name, account.password, account.org, _checked_roles(account.roles),
                    hash_method)
    user.must_change_password = account.must_change_password
    return record_new_user(session, actor, user)


def update_user(session, actor, username, display_name=None, org_code=None, roles=None):
    """Change what is given of a user's name, organisation and roles; an admin keeps their own admin role."""
    user = get_user(session, username)
    before = user_state(user)
    if display_name is not None:
        user.display_name = _checked_display_name(display_name)
    if org_code is not None and org_code != user.org.code:
        user.org = _active_org(session, org_code)
    if roles is not None:
        roles = _checked_roles(roles)
        if getattr(as_actor(actor), "user_id", None) == user.id and ADMIN_ROLE in user.roles and ADMIN_ROLE not in roles:
            _invalid("roles", msg("people.keep_own_admin"))
        if set(roles) != user.roles:
            user.role_rows = [UserRole(role=r) for r in roles]
    session.flush()
    after = user_state(user)
    if after != before:
        append_event(session, f"user:{username}", "user.update", actor=actor,
                     payload={"username": username, "before": before, "after": after})
    return user


def reactivate_user(session, actor, username):
    user = get_user(session, username)
    if not user.active:
        if not user.org.active:
            raise InvalidState(msg("people.org_inactive", name=user.org.name))
        before, user.active = user_state(user), True
        session.flush()
        append_event(session, f"user:{username}", "user.reactivate", actor=actor,
                     payload={"username": username, "before": before, "after": user_state(user)})
    return user


def temporary_password():
    return "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))


def reset_password(session, actor, username, password=None, hash_method="scrypt"):
    """Give a user a temporary password (the admin's, or generated) and end their sessions; returns it once."""
    user = get_user(session, username)
    if getattr(as_actor(actor), "user_id", None) == user.id:
        raise InvalidState(msg("people.reset_yourself"))
    generated = not password
    password = password or temporary_password()
    check_password(password)
    before = user_state(user)
    user.password_hash = generate_password_hash(password, method=hash_method)
    user.must_change_password = True
    session.flush()
    append_event(session, f"user:{username}", "user.password_reset", actor=actor,
                 payload={"username": username, "generated": generated, "before": before,
                          "after": user_state(user)})
    end_sessions(session, actor, user, "password_reset")
    return password


def user_page(session, org_code=None, role=None, text=None, active=None, page=1, per_page=20):
    """(users, total) of one page, filtered by organisation, role, name or username, and active or not."""
    query = select(User)
    if org_code:
        query = query.where(User.org_id == get_org(session, org_code).id)
    if role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.username).like(pattern), User.display_name.like(f"%{text.strip()}%")))
    if active is not None:
        query = query.where(User.active.is_(active))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(User.username).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def account_record(session, username, limit=30):
    """The newest events of one account's stream (sign-ins, changes, resets, tokens), newest first."""
    rows, _ = event_page(session, 1, limit, stream=f"user:{username}")
    return rows


def token_expiry(days):
    """When a token picked to last `days` expires (None: never); only the lifetimes offered are accepted."""
    if days in (None, "", 0, "0"):
        return None
    if str(days) not in {str(d) for d in TOKEN_DAYS}:
        _invalid("days", msg("people.bad_token_days"))
    return utcnow() + timedelta(days=int(days))
