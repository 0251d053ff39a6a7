"""Server-rendered pages (zh-CN) and the login machinery shared with the API."""

from zoneinfo import ZoneInfo

from flask_login import AnonymousUserMixin

from app.extensions import db, login_manager
from app.messages import LABELS, label, msg
from app.web.presenters import local_time


class Anonymous(AnonymousUserMixin):
    roles = frozenset()
    read_only = True


def register_web(app):
    from app.web import (  # noqa: F401 - routes
        assessment_appeals,
        assessment_exports,
        assessment_formulas,
        assessment_pages,
        call_pages,
        console,
        console_list,
        design,
        overview,
        pages,
        people_admin,
        record,
        staff_pages,
        version_migration,
    )
    from app.web.views import bp

    login_manager.login_view = "web.login"
    login_manager.login_message = msg("auth.required")
    login_manager.anonymous_user = Anonymous
    app.register_blueprint(bp)
    # Templates name codes through the catalogue Python uses (`label('call_status', c.status)`), never typing a label.
    app.jinja_env.globals.update(label=label, labels=LABELS, msg=msg, local_time=local_time)
    zone = ZoneInfo(app.extensions["tianchang.config"].TIMEZONE)
    app.context_processor(lambda: {"tz": zone, "counts": _counts()})


def _counts():
    """Open tasks and unread notifications for the navigation (computed only for signed-in pages)."""
    from flask_login import current_user

    from app.domain.notifications import unread_count
    from app.workflow.tasks import inbox

    if not current_user.is_authenticated:
        return {}
    _, tasks = inbox(db.session, current_user, per_page=1)
    return {"tasks": tasks, "unread": unread_count(db.session, current_user)}
