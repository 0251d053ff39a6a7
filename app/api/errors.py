"""The API's one error mapping: domain errors and HTTP errors as {"code", "message", "errors"} in Chinese."""

import logging

from flask import jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.errors import Conflict, DomainError
from app.extensions import db
from app.messages import msg

log = logging.getLogger(__name__)
HTTP_MESSAGES = {400: "http.bad_request", 404: "http.not_found", 405: "http.method", 413: "http.too_large",
                 422: "validation.request"}


def register_error_handlers(app):
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(StaleDataError, lambda e: _domain_error(Conflict(msg("task.concurrent"))))
    app.register_error_handler(OperationalError, _operational_error)
    app.register_error_handler(IntegrityError, lambda e: _domain_error(Conflict(msg("task.concurrent"))))
    app.register_error_handler(CSRFError, lambda e: _respond(400, "csrf", msg("auth.csrf")))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _wants_json():
    return request.path.startswith("/api") or request.accept_mimetypes.best == "application/json"


def _respond(status, code, message, errors=None):
    db.session.rollback()
    if _wants_json():
        return jsonify({"code": code, "message": message, "errors": errors or {}}), status
    return render_template("error.html", status=status, message=message, errors=errors or {}), status


def _domain_error(err):
    if err.status == 401 and not _wants_json():
        db.session.rollback()
        return redirect(url_for("web.login", next=request.full_path))
    return _respond(err.status, err.code, err.message, err.errors)


def _operational_error(err):
    if "locked" in str(err.orig).lower():
        return _respond(409, "conflict", msg("task.concurrent"))
    return _unexpected(err)


def _http_error(err):
    errors = {}
    data = getattr(err, "data", None) or {}
    if "messages" in data:
        errors = {loc: fields for loc, fields in data["messages"].items()}
    key = HTTP_MESSAGES.get(err.code)
    message = msg(key) if key else (err.description or msg("http.bad_request"))
    return _respond(err.code, err.name.lower().replace(" ", "_"), message, errors)


def _unexpected(err):
    if isinstance(err, HTTPException):
        return _http_error(err)
    log.exception("unexpected error")
    return _respond(500, "server_error", msg("http.server_error"))
