"""Pages for staff: task, start a procedure (发起呼叫), calls, lists, 督办台, notifications."""

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.domain import supervision as cases
from app.domain.audit import AuditEvent
from app.domain.calls import CALL_STATUSES, PARTY_STATUSES, get_call, list_calls
from app.domain.evaluations import evaluations_for
from app.domain.notifications import mark_read, notifications_for
from app.domain.organisations import list_orgs
from app.domain.people import READ_ALL_ROLES
from app.domain.responsibilities import KINDS, get_item, item_history, list_items
from app.errors import Forbidden
from app.extensions import db
from app.messages import msg
from app.web.presenters import action_label, deadline_class, markdown
from app.web.views import bp, runtime
from app.workflow import tasks as task_ops
from app.workflow.definitions_view import start_form_of


def org_names():
    return {o.code: o.name for o in list_orgs(db.session)}


@bp.route("/tasks/<int:task_id>")
@login_required
def task_page(task_id):
    task, form, data = task_ops.show_task(db.session, runtime(), current_user, task_id)
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.stream == f"instance:{task.instance_id}")
                                 .order_by(AuditEvent.seq)).all()
    can_work = task.status == "open" and not current_user.read_only and any(
        c.role in current_user.roles and c.org_code == current_user.org.code for c in task.candidates)
    page = {"id": task.id, "title": task.title, "schema": form.schema if form else None, "data": data,
            "keys": sorted(form.keys()) if form else []}
    return render_template("task.html", task=task, page=json.dumps(page, ensure_ascii=False), can_work=can_work,
                           instructions=markdown(task.instructions), history=history, action_label=action_label,
                           due_class=deadline_class(task.due_at), orgs=org_names())


@bp.route("/tasks/<int:task_id>/<any(claim, unclaim):action>", methods=["POST"])
@login_required
def task_action(task_id, action):
    operation = task_ops.claim_task if action == "claim" else task_ops.unclaim_task
    operation(db.session, current_user, task_id)
    db.session.commit()
    flash("已签收" if action == "claim" else "已退回组内待办", "ok")
    return redirect(request.referrer or url_for("web.home"))


@bp.route("/start/<process_id>")
@login_required
def start_page(process_id):
    process, form = start_form_of(db.session, runtime(), process_id)
    if current_user.read_only:
        raise Forbidden(msg("auth.readonly"))
    page = {"process_id": process_id, "schema": form.schema if form else {"type": "default", "components": []},
            "data": {}, "orgs": org_names()}
    return render_template("start.html", process=process, page=json.dumps(page, ensure_ascii=False))


@bp.route("/calls")
@login_required
def calls_page():
    if current_user.roles & READ_ALL_ROLES:
        rows, _ = list_calls(db.session, per_page=100)
    else:
        made, _ = list_calls(db.session, org_code=current_user.org.code, per_page=100)
        involved, _ = list_calls(db.session, involving=current_user.org.code, per_page=100)
        rows = sorted({c.id: c for c in made + involved}.values(), key=lambda c: -c.id)
    return render_template("calls.html", calls=rows, statuses=CALL_STATUSES, orgs=org_names())


@bp.route("/calls/<number>")
@login_required
def call_page(number):
    call = get_call(db.session, number)
    orgs = {call.caller_org} | {p.org_code for p in call.parties}
    if not (current_user.roles & READ_ALL_ROLES) and current_user.org.code not in orgs:
        raise Forbidden(msg("auth.forbidden"))
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.instance_id == call.instance_id)
                                 .order_by(AuditEvent.at, AuditEvent.id)).all()
    return render_template("call.html", call=call, statuses=CALL_STATUSES, party_statuses=PARTY_STATUSES,
                           orgs=org_names(), deadline_class=deadline_class, history=history,
                           evaluations=evaluations_for(db.session, call_id=call.id), action_label=action_label)


@bp.route("/lists")
@login_required
def lists_page():
    kind = request.args.get("kind") or None
    if kind and kind not in KINDS:
        abort(404)
    rows, total = list_items(db.session, kind=kind, search=request.args.get("q") or None, per_page=200)
    return render_template("lists.html", items=rows, total=total, kinds=KINDS, kind=kind, orgs=org_names())


@bp.route("/lists/<code>")
@login_required
def item_page(code):
    return render_template("item.html", item=get_item(db.session, code), versions=item_history(db.session, code),
                           kinds=KINDS, orgs=org_names())


@bp.route("/supervision")
@login_required
def supervision_page():
    target = None if current_user.roles & READ_ALL_ROLES else current_user.org.code
    rows = cases.list_cases(db.session, target_org=target, status=request.args.get("status") or None)
    return render_template("supervision.html", cases=rows, grades=cases.GRADES, reasons=cases.REASONS,
                           statuses=cases.STATUSES, orgs=org_names())


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications_page():
    if request.method == "POST":
        for note_id in request.form.getlist("id", type=int):
            mark_read(db.session, current_user, note_id)
        db.session.commit()
        return redirect(url_for("web.notifications_page"))
    return render_template("notifications.html", notes=notifications_for(db.session, current_user))
