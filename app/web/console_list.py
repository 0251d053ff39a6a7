"""The console's instance list with filters and batch actions, and the operator's overview (the admin's home)."""

from datetime import datetime

from flask import render_template, request, url_for
from flask_login import current_user

from app.db import utcnow
from app.definitions.operations import list_processes, process_versions
from app.domain import access
from app.domain.organisations import list_orgs
from app.edge import PAGE_MAX, int_arg
from app.extensions import db
from app.messages import LABELS, msg
from app.web.presenters import local_zone
from app.web.views import bp
from app.workflow.instance_list import FIRST_DAY, LAST_DAY, LIST_STATUSES, InstanceFilter, instance_list
from app.workflow.operating import INSTANCE_ACTIONS, require_reader
from app.workflow.overview import overview

PER_PAGE = 20
# The filter form's fields, as the page's query string names them (the tabs and the pager keep them).
FILTER_ARGS = ("process", "version", "org", "overdue", "from", "to", "key", "q")


def _date(name, problems):
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        problems.append(msg("console_list.bad_date"))
        return None
    return day


def _text(name):
    return (request.args.get(name) or "").strip()[:64] or None


def page_filter(problems):
    """The filters of the query string (a bad value is left out and said in `problems`)."""
    status = request.args.get("status")
    return InstanceFilter(
        process_id=_text("process"), version=int_arg(request.args, "version"),
        status=status if status in LIST_STATUSES else None, org=_text("org"),
        overdue=request.args.get("overdue") == "1", started_from=_date("from", problems),
        started_to=_date("to", problems), key=_text("key"), q=(request.args.get("q") or "").strip()[:100] or None)


def list_url(**changes):
    """This list's URL with some arguments changed (None drops one): the tabs and the pager."""
    args = {name: request.args.get(name) for name in (*FILTER_ARGS, "status") if request.args.get(name)}
    args.update(changes)
    return url_for("web.admin_instances", **{k: v for k, v in args.items() if v not in (None, "")})


def instance_url(instance_id):
    """An instance's console page (app/web/console.py)."""
    return url_for("web.admin_instance", instance_id=instance_id)


@bp.route("/admin/instances")
def admin_instances():
    require_reader(current_user)
    problems = []
    filters = page_filter(problems)
    page = int_arg(request.args, "page", 1, high=PAGE_MAX)
    rows, total, counts = instance_list(db.session, current_user, filters, local_zone(), page, PER_PAGE)
    orgs = {o.code: o.name for o in list_orgs(db.session)}
    versions = [p.deployment.number for p in process_versions(db.session, filters.process_id)] \
        if filters.process_id else []
    return render_template(
        "admin/instances.html", rows=rows, total=total, counts=counts, filters=filters, problems=problems,
        page=page, pages=max(1, -(-total // PER_PAGE)), list_url=list_url, orgs=orgs, statuses=LIST_STATUSES,
        processes=list_processes(db.session), versions=versions,
        operate=access.may_administer_instances(current_user), instance_url=instance_url, view_now=utcnow(),
        texts={"actions": {a: LABELS["batch_action"][a] for a in INSTANCE_ACTIONS}})


@bp.route("/admin")
def admin_home():
    """The operator's overview: what needs a look now (errors, late timers, overdue tasks), deploys, the record."""
    require_reader(current_user)
    orgs = {o.code: o.name for o in list_orgs(db.session)}
    return render_template("admin/home.html", view=overview(db.session), orgs=orgs, statuses=LIST_STATUSES,
                           instance_url=instance_url)
