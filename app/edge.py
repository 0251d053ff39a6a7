"""The request boundary that the API and the pages share (indico's `RH.process` is the model).

Every request passes here once, in this order: who is calling (a valid bearer token, else the session
cookie), deny by default (only PUBLIC_ENDPOINTS answer the anonymous), CSRF for every write that a
cookie authenticates, no writes by read-only roles, then the view, then one commit. Errors raised
anywhere roll back in the error handlers (app/api/errors.py). Every response carries the security
headers. Nothing below this module commits.
"""

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from flask_smorest.spec.plugins import integerconverter2paramschema
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter

from app.domain.people import User, user_for_token
from app.errors import Forbidden, Unauthenticated
from app.extensions import csrf, db, login_manager
from app.messages import msg

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The largest numbers a request may carry: identifiers fit a 32-bit integer column; pages stop far beyond any list
# (an unbounded page overflowed SQLite's OFFSET into a 500).
ID_MAX = 2**31 - 1
PAGE_MAX = 10**6
# Endpoints that answer without a signed-in user: the login page, static files (and the icon browsers ask for at
# /favicon.ico), the API description.
PUBLIC_ENDPOINTS = frozenset({"web.login", "web.static", "web.favicon", "static", "api-docs.openapi_json",
                              "web.api_docs"})
# Writes that change only the caller's own account (a read-only member of 人大 may still sign out or mark a notice read).
# The profile page's writes (我的账户: password, tokens) are personal too.
PERSONAL_WRITES = frozenset({"web.logout", "web.notifications_page", "users.Password", "users.Tokens",
                             "users.TokenDetail", "web.profile_password", "web.profile_tokens",
                             "web.profile_token_revoke"})
# While an admin's reset is pending (User.must_change_password) these alone answer: the password page, sign-out,
# the API's "who am I" and its password change. Every other page redirects to the password page; the API says 403.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"web.profile_password", "web.logout", "web.static", "web.favicon", "static",
                                       "users.Me", "users.Password"})
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'",
])
# The designer studio's editors (bpmn-js, form-js, dmn-js) set inline styles as they draw; its pages allow those
# (never inline scripts): docs/architecture.md.
STUDIO_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class BoundedInteger(IntegerConverter):
    """`<int:…>` in every route: a path number beyond what the database stores is simply not found (never a 500)."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=ID_MAX, signed=False):  # werkzeug's parameter names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Platform(Flask):
    """Flask with the one transaction per request: the view's work is committed here, after it returns."""

    def dispatch_request(self):
        response = super().dispatch_request()
        db.session.commit()  # inside Flask's handler scope: a failing commit is mapped like any other error
        return response


def bearer_token():
    """The token of an `Authorization: Bearer <token>` header, or None (absent or malformed)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authenticated_by_token():
    """Any Authorization header makes this a token request: it succeeds only with a valid token, never the cookie."""
    return bool(request.headers.get("Authorization"))


def enter_request():
    """The boundary: authenticate, deny by default, CSRF, read-only; raises a domain error to refuse."""
    if request.endpoint is None:
        return  # no route: the 404 handler answers
    if authenticated_by_token() and not current_user.is_authenticated:
        raise Unauthenticated(msg("auth.bad_token"))
    public = request.endpoint in PUBLIC_ENDPOINTS
    if not public and not current_user.is_authenticated:
        raise Unauthenticated(msg("auth.required"))
    if must_change_password():  # a reset password is changed before anything else
        if request.path.startswith("/api"):
            raise Forbidden(msg("people.must_change_password"))
        return redirect(url_for("web.profile_password"))
    if request.method in SAFE_METHODS:
        return
    if not authenticated_by_token():
        csrf.protect()
    if current_user.is_authenticated and current_user.read_only and request.endpoint not in PERSONAL_WRITES:
        raise Forbidden(msg("auth.readonly"))


def must_change_password():
    """The signed-in user still holds a temporary password and asks for something other than changing it."""
    return (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS)


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in ("static", "web.static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def int_arg(values, name, default=None, low=1, high=ID_MAX):
    """A bounded integer from query or form values (pages read them by hand); out of range or not a number: default."""
    value = values.get(name, type=int)
    return value if value is not None and low <= value <= high else default


def acting_user():
    """The signed-in user behind this request (the boundary has already refused anonymous callers)."""
    if not current_user.is_authenticated:
        raise Unauthenticated(msg("auth.required"))
    return current_user._get_current_object()


def register_edge(app, api):
    """Bind the boundary; call before any blueprint is registered (routes read the `int` converter then)."""
    app.url_map.converters["int"] = BoundedInteger
    api.register_converter(BoundedInteger, integerconverter2paramschema)
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_token_user)
    app.before_request(enter_request)
    app.after_request(add_security_headers)


def load_session_user(session_id):
    """The user of a session cookie, while its session version is current; ignored when a bearer header is sent."""
    if authenticated_by_token():
        return None
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id), options=[joinedload(User.role_rows)])  # user, org, roles: one SELECT
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def load_token_user(req):
    token = bearer_token()
    return user_for_token(db.session, token) if token else None
