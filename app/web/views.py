"""Pages: login, logout, the inbox at /, and the browsable API reference."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.db import utcnow
from app.domain import access
from app.domain.actors import Actor
from app.domain.logins import ThrottlePolicy
from app.domain.people import authenticate, display_names, end_sessions
from app.edge import PAGE_MAX, int_arg
from app.extensions import api, db
from app.messages import msg
from app.web.forms import LoginForm
from app.web.presenters import deadline_class, deadline_words
from app.workflow.definitions_view import startable_processes
from app.workflow.tasks import inbox

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")


def _safe_next(target):
    parts = urlsplit(target or "")
    return target if target and not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.app_context_processor
def policy_for_templates():
    """Templates ask the access policy (`may.…`) and offer only the processes the user may start."""
    def startable():
        if "startable" not in g:
            g.startable = startable_processes(db.session, current_user) if current_user.is_authenticated else {}
        return g.startable

    return {"may": access, "startable": startable}


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        config = current_app.extensions["tianchang.config"]
        attempt = authenticate(db.session, form.username.data, form.password.data, request.remote_addr,
                               ThrottlePolicy(config.LOGIN_MAX_FAILURES, config.LOGIN_LOCKOUT),
                               config.PASSWORD_HASH_METHOD)
        if attempt.user is not None:
            session.clear()
            session.permanent = True  # expires after TIANCHANG_SESSION_LIFETIME; then login returns here
            login_user(attempt.user)
            return redirect(_safe_next(request.args.get("next")) or url_for("web.home"))
        flash(throttled_message(attempt.locked_until, ZoneInfo(config.TIMEZONE)) if attempt.locked_until
              else msg("auth.bad_login"), "error")
        return render_template("login.html", form=form), (429 if attempt.locked_until else 401)
    return render_template("login.html", form=form), (401 if request.method == "POST" else 200)


def throttled_message(until, zone):
    minutes = max(1, -(-int((until - utcnow()).total_seconds()) // 60))
    return msg("auth.throttled", minutes=minutes, until=until.astimezone(zone).strftime("%H:%M"))


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out everywhere: the session version moves on, so every cookie of this user stops working."""
    user = current_user._get_current_object()
    end_sessions(db.session, Actor.of(user), user, "logout")
    logout_user()
    session.clear()
    flash(msg("auth.logged_out"), "ok")
    return redirect(url_for("web.login"))


def runtime():
    return current_app.extensions["tianchang.runtime"]


@bp.route("/")
@bp.route("/inbox", endpoint="inbox")
def home():
    """我的待办 (at /inbox always); at a bare `/`, whoever oversees the county and has no task waiting lands on the
    overview (概览) instead of an empty list."""
    page = int_arg(request.args, "page", 1, high=PAGE_MAX)
    scope = request.args.get("scope") if request.args.get("scope") in ("mine", "group") else "all"
    rows, total = inbox(db.session, current_user, scope=scope, search=request.args.get("q") or None, page=page)
    if request.endpoint == "web.home" and not request.args and not total and access.lands_on_overview(current_user):
        return redirect(url_for("web.overview"))
    people = display_names(db.session, {t.instance.started_by for t in rows} | {t.claimed_by for t in rows})
    return render_template("inbox.html", tasks=rows, total=total, page=page, pages=max(1, -(-total // 20)),
                           scope=scope, deadline_class=deadline_class, deadline_words=deadline_words, people=people)


@bp.route("/api/docs")
def api_docs():
    """The OpenAPI description rendered as a page (no CDN: the county network may be closed)."""
    spec = api.spec.to_dict()
    return render_template("api_docs.html", spec=spec, title=current_app.config["API_TITLE"])
