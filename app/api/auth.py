"""Who is calling the API: a session (with CSRF header on writes) or a bearer token."""

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf

from app.errors import DomainError, Forbidden, Unauthenticated
from app.messages import msg

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfRejected(DomainError):
    code, status = "csrf", 400


def actor():
    """The signed-in user; writes by session need the CSRF token header; read-only roles cannot write."""
    if not current_user.is_authenticated:
        raise Unauthenticated(msg("auth.required"))
    if request.method not in SAFE_METHODS:
        # A browser cannot add an Authorization header cross-site (no CORS is served), so bearer calls need no token.
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (CSRFError, Exception):  # noqa: BLE001 - flask-wtf raises ValidationError
                raise CsrfRejected(msg("auth.csrf"))
        if current_user.read_only:
            raise Forbidden(msg("auth.readonly"))
    return current_user._get_current_object()


def runtime():
    return current_app.extensions["tianchang.runtime"]


def config():
    return current_app.extensions["tianchang.config"]
