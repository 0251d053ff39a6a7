"""Pages for staff: task, start a procedure (发起呼叫), a call, a list item and its editing, notifications."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.definitions.forms import walk
from app.domain import access
from app.domain.actors import Actor
from app.domain.notifications import mark_read, notifications_for, site_path
from app.domain.organisations import list_orgs
from app.domain.people import display_names
from app.edge import ID_MAX
from app.errors import ValidationFailed
from app.extensions import db
from app.governance.call_queries import numbers_by_instance
from app.governance.lists import ItemChange, get_item, item_history, revise_item
from app.messages import msg
from app.web.views import bp, runtime
from app.workflow import queries
from app.workflow import tasks as task_ops
from app.workflow.definitions_view import start_form_of
from app.workflow.instances import list_instances, require_start


def org_names():
    return {o.code: o.name for o in list_orgs(db.session)}


@bp.route("/tasks/<int:task_id>/delegate", methods=["POST"])
def task_delegate(task_id):
    task = task_ops.delegate_task(db.session, current_user, task_id, request.form.get("username", ""))
    flash(msg("web.delegated", user=display_names(db.session, [task.claimed_by]).get(task.claimed_by)), "ok")
    return redirect(url_for("web.home"))


@bp.route("/tasks/<int:task_id>/<any(claim, unclaim):action>", methods=["POST"])
def task_action(task_id, action):
    operation = task_ops.claim_task if action == "claim" else task_ops.unclaim_task
    operation(db.session, current_user, task_id)
    flash(msg("web.claimed" if action == "claim" else "web.unclaimed"), "ok")
    return redirect(request.referrer or url_for("web.home"))


@bp.route("/start/<process_id>")
def start_page(process_id):
    process, form = start_form_of(db.session, runtime(), process_id)
    require_start(current_user, process)
    page = {"process_id": process_id, "schema": form.schema if form else {"type": "default", "components": []},
            "data": prefill(form, request.args), "orgs": org_names()}
    return render_template("start.html", process=process, page=page)


def prefill(form, args):
    """A start form's fields filled from the query string (`/start/assessment_appeal?period=2026-11`): only its own
    text and single-choice fields (never an upload); the submission is validated as any other."""
    if form is None:
        return {}
    keys = {c.get("key") for c in walk(form.schema.get("components") or []) if c.get("type") in PREFILLED}
    return {key: value[:2000] for key, value in args.items() if key in keys}


PREFILLED = ("textfield", "textarea", "select", "radio")  # the start form fields a query string may fill


@bp.route("/lists/<code>")
def item_page(code):
    versions = item_history(db.session, code)
    return render_template("item.html", item=get_item(db.session, code), versions=versions, orgs=org_names(),
                           people=display_names(db.session, {v.changed_by for v in versions}))


@bp.route("/lists/<code>/edit", methods=["GET", "POST"])
def item_edit(code):
    """编办 revises an item: every change is a new version with its reason, audited."""
    access.require(access.may_edit_lists(current_user))
    item, errors = get_item(db.session, code), {}
    if request.method == "POST":
        changes = item_changes(request.form)
        try:
            revise_item(db.session, Actor.of(current_user), code, ItemChange(changes, request.form.get("reason", "")))
            flash(msg("list.saved"), "ok")
            return redirect(url_for("web.item_page", code=code))
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.errors
    current = {item.current.lead_org, *item.current.cooperating_orgs}
    choices = org_choices(current)
    return render_template("item_edit.html", item=item, errors=errors, form=request.form, orgs=org_names(),
                           org_choices=choices, offered={code for _, group in choices for code, _ in group})


# Who may lead or cooperate on a list item, as the pickers offer them (with whoever the item names now).
ITEM_ORG_KINDS = ("department", "town", "office", "supervision", "government")


def org_choices(current):
    """[(kind, [(code, name)])]: the active organisations that may take part in an item, and those it names now."""
    orgs = [o for o in list_orgs(db.session) if (o.active and o.kind in ITEM_ORG_KINDS) or o.code in current]
    kinds = list(ITEM_ORG_KINDS) + sorted({o.kind for o in orgs} - set(ITEM_ORG_KINDS))
    return [(kind, [(o.code, o.name) for o in orgs if o.kind == kind]) for kind in kinds
            if any(o.kind == kind for o in orgs)]


def item_changes(form):
    """The item's fields from the edit form: organisations come as codes (a select, checkboxes), limits as numbers."""
    changes = {key: form.get(key, "").strip() for key in ("title", "category", "legal_basis", "lead_org",
                                                          "lead_duties", "cooperating_duties")}
    listed = [part for value in form.getlist("cooperating_orgs") for part in value.replace(",", "、").split("、")]
    changes["cooperating_orgs"] = list(dict.fromkeys(code.strip() for code in listed if code.strip()))
    for key in ("response_hours", "handle_days"):
        value = form.get(key, "")
        changes[key] = int(value) if value.isdigit() else -1
    return changes


@bp.route("/applications")
def applications_page():
    """准入申请 and their progress, for everyone involved (applicant, 编办, towns consulted, leaders)."""
    rows, _ = list_instances(db.session, current_user, process_id="admission_approval", per_page=100)
    return render_template("applications.html", rows=rows, orgs=org_names(),
                           steps=queries.open_steps(db.session, [row.id for row in rows]))


@bp.route("/notifications", methods=["GET", "POST"])
def notifications_page():
    if request.method == "POST":
        for note_id in [n for n in request.form.getlist("id", type=int) if 1 <= n <= ID_MAX]:
            mark_read(db.session, current_user, note_id)
        return redirect(url_for("web.notifications_page"))
    notes = notifications_for(db.session, current_user)
    return render_template("notifications.html", notes=notes, links=notification_links(notes))


# What a notice is about (its subject, "kind:key") -> the page about it; a task's page needs its row's id.
SUBJECT_PAGES = {
    "call": lambda number: url_for("web.call_page", number=number),
    "supervision": lambda number: url_for("web.case_page", number=number),
    "list": lambda code: url_for("web.item_page", code=code),
}


def notification_links(notes):
    """Where each notice leads, made here at the web edge: the page of its subject, else a designer's site path,
    else the call of its instance; a notice that leads nowhere has no link."""
    notes = [note for note, _ in notes]
    subjects = {note.id: (note.subject or "").partition(":")[::2] for note in notes}
    instance_ids = {note.instance_id for note in notes if note.instance_id}
    tasks = queries.task_ids(db.session, instance_ids, [key for kind, key in subjects.values() if kind == "task"])
    calls = numbers_by_instance(db.session, instance_ids)
    links = {}
    for note in notes:
        kind, key = subjects[note.id]
        if kind == "task":
            links[note.id] = url_for("web.task_page", task_id=tasks[key]) if key in tasks else url_for("web.home")
        elif kind in SUBJECT_PAGES:
            links[note.id] = SUBJECT_PAGES[kind](key)
        elif site_path(note.link):
            links[note.id] = site_path(note.link)
        elif note.instance_id in calls:
            links[note.id] = url_for("web.call_page", number=calls[note.instance_id])
    return links
