"""A call's page (呼叫单) and its task pages with the context people decide in; 催办 from the call page."""

import copy

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.db import utcnow
from app.definitions.forms import walk
from app.domain import access
from app.domain.actors import Actor
from app.domain.organisations import get_org, list_orgs
from app.errors import InvalidState
from app.extensions import db
from app.governance import call_context as context
from app.messages import msg
from app.web.presenters import deadline_class, deadline_words, local_time, markdown, took_text
from app.web.views import bp, runtime
from app.workflow import queries
from app.workflow.models import HumanTask


def _helpers():
    return {"deadline_class": deadline_class, "deadline_words": deadline_words, "local_time": local_time,
            "took_text": took_text, "now": utcnow()}


@bp.route("/calls/<number>")
def call_page(number):
    seen = context.call_context(db.session, current_user, number, runtime().calendar(db.session))
    instance_id = seen["call"]["instance_id"]
    start = queries.start_view(db.session, instance_id) if instance_id else None
    return render_template("call.html", ctx=seen, call=seen["call"], parties=seen["parties"], start=start,
                           **_helpers())


@bp.route("/calls/<number>/urge/<org>", methods=["POST"])
def call_urge(number, org):
    """催办: the caller urges a late party; refused in words when the party is not late or the user is no caller."""
    try:
        party = context.urge_late_party(db.session, Actor.of(current_user), number, org)
    except InvalidState as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(msg("callp.urged", org=org_name(db.session, party.org_code), count=party.urge_count), "ok")
    return redirect(url_for("web.call_page", number=number, _anchor=f"party-{org}"))


def org_name(session, code):
    return get_org(session, code).name


@bp.route("/tasks/<int:task_id>")
def task_page(task_id):
    task = queries.task_page(db.session, runtime(), current_user, task_id)
    page = {"id": task["id"], "title": task["title"], "schema": task["form"], "data": task["data"], "keys": task["keys"]}
    row = db.session.get(HumanTask, task_id)
    about = task_about(row, page)
    offer_organisations(page)
    told = about["steps"] if about and about["call"]["instance_id"] == row.instance_id else \
        context.instance_story(db.session, current_user, row.instance)
    return render_template("task.html", task=task, page=page, instructions=markdown(task["instructions"]),
                           due_class=deadline_class(task["due_at"]), about=about, story=told, **_helpers())


def task_about(row, page):
    """The call a task is about, as its task page shows it (None for a task of no call, or a call the user may
    not read), with the department a dispute step concerns and the supervision case of a 核实/整改."""
    call = context.call_of_instance(db.session, row.instance)
    if call is None or not access.may_read_call(current_user, call):
        return None
    seen = context.call_context(db.session, current_user, call.number, runtime().calendar(db.session))
    data = context.ready_task_data(db.session, runtime(), row) if row.bpmn_id in context.DISPUTE_STEPS else {}
    focus = data.get("dept")
    seen["step"], seen["focus"] = row.bpmn_id, focus
    seen["focus_data"] = {k: data.get(k) for k in ("reason", "dispute_note", "summary", "agreed")} if focus else {}
    seen["case"] = context.case_of_instance(db.session, row.instance)
    if page["schema"] and focus:
        _name_the_choices(page, row, seen, focus)
    return seen


def offer_organisations(page):
    """A text field marked `choices: organisations` is offered as a choice of the active organisations by name, so
    no one types an organisation's code (the form still takes the code, and the server checks it)."""
    fields = [c for c in walk((page["schema"] or {}).get("components") or [])
              if (c.get("properties") or {}).get("choices") == "organisations"]
    if not fields:
        return
    page["schema"] = copy.deepcopy(page["schema"])
    options = [{"label": o.name, "value": o.code} for o in list_orgs(db.session, active=True)]
    for field in walk(page["schema"].get("components") or []):
        if (field.get("properties") or {}).get("choices") == "organisations":
            field.update(type="select", values=options, searchable=False)


def _name_the_choices(page, row, seen, dept):
    """A choice marked `choices: dispute_parties` (a custom property of the field) names the departments of the
    dispute (驳回的部门 / 呼叫方) and starts unchosen unless the user's draft chose it: the negotiation's choice,
    still in the task data, is not the coordinator's."""
    page["schema"] = copy.deepcopy(page["schema"])  # the deployed form's schema is shared: name a copy
    names = seen["orgs"]
    labels = {"department": msg("callp.choice.department", org=names.get(dept, "")),
              "caller": msg("callp.choice.caller", org=seen["call"]["caller_org_name"]),
              "other": msg("callp.choice.other")}
    for field in walk(page["schema"].get("components") or []):
        if (field.get("properties") or {}).get("choices") != "dispute_parties":
            continue
        for option in field.get("values") or []:
            option["label"] = labels.get(option.get("value"), option.get("label"))
        if field.get("key") not in (row.draft or {}):
            page["data"].pop(field.get("key"), None)
