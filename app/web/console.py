"""The instance page of the operations console (流程实例): diagram with element states, data, record, actions."""

import json
from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.domain.people import list_users
from app.edge import STUDIO_CONTENT_SECURITY_POLICY
from app.errors import DomainError, ValidationFailed
from app.extensions import db
from app.messages import msg
from app.web.console_data import VARIABLE_TYPES, parse_variables, variable_rows
from app.web.presenters import local_time
from app.web.views import bp, runtime
from app.workflow import console_view, interventions, operating


def _moment(text):
    """An ISO time the engine keeps in the data (a deadline, say), as the county reads it; other text as it is."""
    if isinstance(text, str) and len(text) >= 19 and text[4:5] == "-" and text[10:11] == "T":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is not None:
            return local_time(moment)
    return text


def _badge(element, view):
    """The short text drawn next to an element on the diagram: who has it, when its timer is due, what it waits for."""
    state = element["state"]
    if state == "error":
        return msg("console.badge.error")
    for task in element["tasks"]:
        row = task["row"]
        if task["state"] == "active" and row is not None and row.status == "open":
            people = view["people"]
            who = (people.get(row.claimed_by, row.claimed_by) if row.claimed_by else "、".join(
                [people.get(u, u) for u in row.users] + [view["orgs"].get(o, o) for o in row.orgs]))
            return msg("console.badge.active", who=who or msg("console.badge.anyone"))
        if task["state"] == "waiting" and task["timer_due"]:
            return msg("console.badge.timer", due=local_time(task["timer_due"]))
        if task["state"] == "waiting" and task["message"]:
            return msg("console.badge.message", name=task["message"])
    return ""


def diagram_data(view):
    """What the page's script draws: the diagram's XML (to be laid out first when it has no drawing information),
    each element's state and badge (texts made here)."""
    return {"xml": view["xml"], "layout": "BPMNShape" not in view["xml"], "taken": view["taken"],
            "elements": [{"id": e["id"], "state": e["state"], "badge": _badge(e, view)} for e in view["elements"]]}


def _page(instance_id, workflow="top", errors=None, form=None, status=200):
    view = console_view.instance_console(db.session, runtime(), current_user, instance_id, workflow)
    html = render_template("admin/instance.html", view=view, diagram=diagram_data(view), errors=errors or {},
                           form=form or {}, variables=variable_rows(view["data"], form), types=VARIABLE_TYPES,
                           users=list_users(db.session) if view["may_operate"] else [], local=local_time, moment=_moment,
                           rewind_to={r[1]: r[0] for r in reversed(view["rewinds"])})
    response = current_app.make_response((html, status))
    # bpmn-js styles the diagram it draws with inline styles (as in the studio).
    response.headers["Content-Security-Policy"] = STUDIO_CONTENT_SECURITY_POLICY
    return response


@bp.route("/admin/instances/<int:instance_id>")
def admin_instance(instance_id):
    return _page(instance_id, request.args.get("workflow", "top")[:64])


def _back(instance_id, anchor=None):
    workflow = request.form.get("workflow") or "top"
    url = url_for("web.admin_instance", instance_id=instance_id, workflow=None if workflow == "top" else workflow)
    return redirect(f"{url}#{anchor}" if anchor else url)


def _acted(instance_id, done, do, anchor=None):
    """Run one action; a refusal is flashed (nothing is written) and the page shown again."""
    try:
        do()
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return _back(instance_id, anchor)
    flash(done, "ok")
    return _back(instance_id, anchor)


@bp.route("/admin/instances/<int:instance_id>/<any(suspend, resume, retry, terminate):action>", methods=["POST"])
def admin_instance_action(instance_id, action):
    reason = request.form.get("reason", "")
    return _acted(instance_id, msg(f"console.done.{action}"), lambda: operating.ACTION_FUNCTIONS[action](
        db.session, runtime(), current_user, instance_id, reason))


@bp.route("/admin/instances/<int:instance_id>/tasks/<int:task_id>/reassign", methods=["POST"])
def admin_task_reassign(instance_id, task_id):
    form = request.form
    target = form.get("target", "")
    kind, _, value = target.partition(":")
    return _acted(instance_id, msg("console.done.reassign"), lambda: interventions.reassign_task(
        db.session, runtime(), current_user, instance_id, task_id, form.get("reason", ""),
        username=value if kind == "user" else None, org_code=value if kind == "org" else None),
        anchor=form.get("element"))


@bp.route("/admin/instances/<int:instance_id>/<any(rewind, 'fire-timer'):action>", methods=["POST"])
def admin_instance_step(instance_id, action):
    form = request.form
    operation = interventions.rewind_instance if action == "rewind" else interventions.fire_timer
    done = msg("console.done.rewind" if action == "rewind" else "console.done.fire_timer")
    return _acted(instance_id, done, lambda: operation(db.session, runtime(), current_user, instance_id,
                                                       form.get("task_id", ""), form.get("reason", "")))


def _json_field(text, field):
    """A JSON value typed by the admin (empty: nothing); a ValidationFailed naming the field if it does not parse."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as err:
        error = msg("console.bad_json", line=getattr(err, "lineno", 1), column=getattr(err, "colno", 1))
        raise ValidationFailed(error, {field: [error]}) from err


@bp.route("/admin/instances/<int:instance_id>/skip", methods=["POST"])
def admin_instance_skip(instance_id):
    form = request.form
    element = form.get("element")

    def skip():
        data = _json_field(form.get("data", ""), "data")
        if data is not None and not isinstance(data, dict):
            raise ValidationFailed(msg("console.data_not_object"), {"data": [msg("console.data_not_object")]})
        interventions.skip_task(db.session, runtime(), current_user, instance_id, form.get("task_id", ""),
                                form.get("reason", ""), data or {})
    return _kept_on_error(instance_id, skip, msg("console.done.skip"), f"skip-{element}")


@bp.route("/admin/instances/<int:instance_id>/deliver-message", methods=["POST"])
def admin_instance_message(instance_id):
    form = request.form

    def deliver():
        payload = _json_field(form.get("payload", ""), "payload")
        interventions.deliver_message(db.session, runtime(), current_user, instance_id, form.get("name", ""),
                                      form.get("reason", ""), payload)
    return _kept_on_error(instance_id, deliver, msg("console.done.deliver"), "message")


@bp.route("/admin/instances/<int:instance_id>/data", methods=["POST"])
def admin_instance_data(instance_id):
    def edit():
        data = parse_variables(request.form)
        interventions.edit_data(db.session, runtime(), current_user, instance_id, data, request.form.get("reason", ""))
    return _kept_on_error(instance_id, edit, msg("console.done.data"), "data")


def _kept_on_error(instance_id, do, done, place):
    """An action whose form the admin typed into: on a refusal the page comes back with their input and the errors
    (422), so nothing they typed is lost; nothing is written."""
    try:
        do()
    except DomainError as err:
        db.session.rollback()
        errors = {"_place": place, "_message": err.message, **(err.errors or {})}
        return _page(instance_id, request.form.get("workflow") or "top", errors=errors, form=request.form,
                     status=422)
    flash(done, "ok")
    return _back(instance_id, place)
