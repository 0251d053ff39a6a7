"""The one error mapping of both edges: domain, HTTP and database errors as {"code", "message", "errors"} in Chinese.

The API answers JSON, pages answer templates/error.html. Answering an error never depends on the
database: the session is rolled back defensively, a database fault is shown without anything that
would query again (the signed-in user, the navigation counts), and if even the page fails a bare
Chinese page is sent, so no request ever ends in werkzeug's English "Internal Server Error".
"""

import logging
import re

from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.errors import Conflict, DomainError
from app.extensions import db
from app.messages import SCHEMA_MESSAGE_FALLBACK, SCHEMA_MESSAGES, msg

log = logging.getLogger(__name__)
HTTP_MESSAGES = {400: "http.bad_request", 401: "auth.required", 403: "auth.forbidden", 404: "http.not_found",
                 405: "http.method", 413: "http.too_large", 422: "validation.request", 500: "http.server_error"}
# Waiting for a lock ran out (SQLite busy, PostgreSQL serialization failure, deadlock, lock timeout): try again.
LOCK_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
# Headers of an HTTP error that a client needs (Allow on 405, Retry-After); the body is always ours.
PASSED_HEADERS = frozenset({"allow", "retry-after", "www-authenticate"})
# marshmallow's Range refusal (flask-smorest's page_size carries it), bounds included: said with the catalogue's words.
RANGE_MESSAGE = re.compile(r"Must be (?:greater than or equal to (\d+))?(?: and )?(?:less than or equal to (\d+))?\.")


def register_error_handlers(app):
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(StaleDataError, lambda e: _domain_error(Conflict(msg("task.concurrent"))))
    app.register_error_handler(IntegrityError, lambda e: _domain_error(Conflict(msg("task.concurrent"))))
    app.register_error_handler(OperationalError, _operational_error)
    app.register_error_handler(DataError, _refused_value)
    app.register_error_handler(OverflowError, _refused_value)
    app.register_error_handler(SQLAlchemyError, _database_fault)
    app.register_error_handler(ValidationError, _schema_error)
    app.register_error_handler(CSRFError, lambda e: _respond(400, "csrf", msg("auth.csrf")))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _wants_json():
    return request.path.startswith("/api") or request.accept_mimetypes.best == "application/json"


def _respond(status, code, message, errors=None, headers=(), database_fault=False):
    database_ok = _roll_back() and not database_fault
    if _wants_json():
        response = jsonify({"code": code, "message": message, "errors": errors or {}})
    else:
        response = current_app.response_class(_page(status, message, errors or {}, database_ok), mimetype="text/html")
    response.status_code = status
    response.headers.extend(headers)
    return response


def _roll_back():
    """End the failed transaction; False when the database cannot even do that (the session is discarded)."""
    try:
        db.session.rollback()
        return True
    except Exception:
        log.warning("rollback failed while answering an error", exc_info=True)
        try:
            db.session.remove()
        except Exception:
            log.warning("discarding the session failed", exc_info=True)
        return False


def _page(status, message, errors, database_ok):
    """The error page; without the database it is drawn for nobody in particular, and at worst bare."""
    if database_ok:
        try:
            return render_template("error.html", status=status, message=message, errors=errors)
        except Exception:
            log.exception("the error page failed")
            _roll_back()
    try:  # the template alone, without the context processors that load the user and count their tasks
        return current_app.jinja_env.get_template("error.html").render(
            status=status, message=message, errors=errors, current_user=AnonymousUserMixin(), counts={})
    except Exception:
        log.exception("the error page failed without the database")
        text = escape(message)
        return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{text}</title></head>'
                f'<body><h1>{text}</h1></body></html>')


def _domain_error(err):
    if err.status == 401 and not _wants_json():
        _roll_back()
        return redirect(url_for("web.login", next=request.full_path))
    headers = [("WWW-Authenticate", "Bearer")] if err.status == 401 else []
    return _respond(err.status, err.code, err.message, err.errors, headers)


def _operational_error(err):
    detail = str(getattr(err, "orig", "") or "").lower()
    if "locked" in detail or getattr(getattr(err, "orig", None), "sqlstate", None) in LOCK_SQLSTATES:
        return _respond(409, "conflict", msg("task.concurrent"))
    return _database_fault(err)


def _refused_value(err):
    """A value the request carried does not fit: PostgreSQL refused it (a NUL character, a number beyond its type)
    or Python could not bind it (SQLite's 64-bit integers). The bounds of app/api/spec.py refuse such input before;
    this is the net under what they do not cover."""
    log.warning("value refused: %s", getattr(err, "orig", err), exc_info=True)
    return _respond(422, "unprocessable_entity", msg("validation.request"))


def _database_fault(err):
    """The database failed (connection lost, server restarting, file unreadable): nothing was saved."""
    log.error("database fault: %s", err)
    return _respond(500, "server_error", msg("http.server_error"), database_fault=True)


def in_chinese(messages):
    """marshmallow's field messages in Chinese (ours already are); nested dicts and lists keep their shape."""
    if isinstance(messages, dict):
        return {key: in_chinese(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [in_chinese(value) for value in messages]
    if isinstance(messages, str) and messages.isascii():
        return SCHEMA_MESSAGES.get(messages) or _range_in_chinese(messages) or SCHEMA_MESSAGE_FALLBACK
    return messages


def _range_in_chinese(message):
    bounds = RANGE_MESSAGE.fullmatch(message)
    if bounds is None or not any(bounds.groups()):
        return None
    low, high = bounds.groups()
    return "，".join(([msg("form.minimum", n=low)] if low else []) + ([msg("form.maximum", n=high)] if high else []))


def _http_error(err):
    errors = {}
    data = getattr(err, "data", None) or {}
    if "messages" in data:
        errors = in_chinese({loc: fields for loc, fields in data["messages"].items()})
    status = err.code or 500
    message = msg(HTTP_MESSAGES.get(status, "http.bad_request" if status < 500 else "http.server_error"))
    headers = [(name, value) for name, value in err.get_headers() if name.lower() in PASSED_HEADERS]
    return _respond(status, err.name.lower().replace(" ", "_"), message, errors, headers)


def _schema_error(err):
    """A schema loaded by hand refused the input (the decorated arguments answer through _http_error)."""
    errors = in_chinese(err.messages if isinstance(err.messages, dict) else {"_schema": err.messages})
    return _respond(422, "unprocessable_entity", msg("validation.request"), errors)


def _unexpected(err):
    if isinstance(err, HTTPException):
        return _http_error(err)
    log.exception("unexpected error")
    return _respond(500, "server_error", msg("http.server_error"))
