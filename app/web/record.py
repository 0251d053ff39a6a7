"""记录仪 (/record): search the record, a call's or an instance's timeline, verify the chains, export a closed call."""

from dataclasses import replace

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.domain import access
from app.domain.actors import Actor
from app.domain.audit import last_check, record_verification, verify_chains
from app.domain.organisations import list_orgs
from app.domain.people import display_names
from app.edge import PAGE_MAX, int_arg
from app.extensions import db
from app.governance import record_export, record_queries
from app.governance.record_verify import verify_call
from app.messages import LABELS, msg
from app.web.presenters import local_time, local_zone
from app.web.views import bp

PER_PAGE = 30


def _config():
    return current_app.extensions["tianchang.config"]


def _org_names():
    return {o.code: o.name for o in list_orgs(db.session)}


def _filters(orgs):
    """The search's filters from the query string; an organisation or person is named, the search wants codes."""
    filters, errors = record_queries.read_filters(request.args)
    args = filters.as_args()
    changes = {}
    if filters.org:
        code = filters.org if filters.org in orgs else next((c for c, n in orgs.items() if n == filters.org), None)
        changes["org"] = code or ""
        if code is None:
            errors["org"] = [msg("record.no_org", name=filters.org)]
    if filters.person:
        username = record_queries.person_named(db.session, filters.person)
        changes["person"] = username
        if not username:
            errors["person"] = [msg("record.no_person", name=filters.person)]
    return replace(filters, **changes), errors, args


def _told(events, orgs):
    entries = record_queries.tell(db.session, current_user, events)
    subjects = record_queries.subjects(db.session, events)
    people = display_names(db.session, {e["actor"] for e in entries})
    for entry in entries:
        entry["time"] = local_time(entry["at"])
        entry["stream_label"] = record_queries.stream_label(entry["stream"], orgs, people)
        entry["subject"] = _subject_link(subjects.get(entry["id"]))
    return entries


def _subject_link(subject):
    """(text, href) of what an event is about, or None."""
    if subject is None:
        return None
    kind, key = subject
    if kind == "call":
        return msg("record.stream.call", key=key), url_for("web.record_call", number=key)
    if kind == "instance":
        return msg("record.stream.instance", key=key), url_for("web.record_instance", instance_id=key)
    return msg("record.stream.list", key=key), url_for("web.item_page", code=key)


def _checks():
    """The last verification and the last anchor, as the page tells them."""
    told = {}
    for action in ("audit.verify", "audit.anchor"):
        event = last_check(db.session, action)
        if event is not None:
            who = display_names(db.session, [event.actor]).get(event.actor) if event.actor else None
            told[action] = {"at": local_time(event.at), "who": who, "payload": event.payload or {}}
    return told


@bp.route("/record")
def record_page():
    orgs = _org_names()
    filters, errors, args = _filters(orgs)
    page = int_arg(request.args, "page", 1, high=PAGE_MAX)
    events, total = record_queries.search_record(db.session, current_user, filters, local_zone(), page, PER_PAGE) \
        if not (set(errors) & {"org", "person"}) else ([], 0)
    return render_template("record.html", entries=_told(events, orgs), total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)), args=args, errors=errors, orgs=orgs,
                           choices=record_queries.search_choices(db.session, current_user),
                           actions=sorted(LABELS["audit_action"].items(), key=lambda kv: kv[1]), checks=_checks())


@bp.route("/record/calls/<number>")
def record_call(number):
    timeline = record_queries.call_timeline(db.session, current_user, number)
    return _timeline_page(timeline, msg("record.stream.call", key=number))


@bp.route("/record/instances/<int:instance_id>")
def record_instance(instance_id):
    timeline = record_queries.instance_timeline(db.session, current_user, instance_id)
    number = record_queries.call_of_instance(db.session, instance_id)
    if number is not None:
        return redirect(url_for("web.record_call", number=number))
    return _timeline_page(timeline, msg("record.stream.instance", key=instance_id))


def _timeline_page(timeline, title):
    orgs = _org_names()
    return render_template("record_timeline.html", timeline=timeline, title=title, entries=_told(timeline.events, orgs),
                           orgs=orgs, checks=_checks())


@bp.route("/record/verify", methods=["POST"])
def record_verify():
    """校验全部: walk every chain and checkpoint, note the verification on the record, tell the result."""
    access.require(access.may_verify_record(current_user), "record.verify_forbidden")
    result = verify_chains(db.session)
    record_verification(db.session, result, Actor.of(current_user))
    flash(_verdict(result), "ok" if result.ok else "error")
    return redirect(url_for("web.record_page"))


@bp.route("/record/calls/<number>/verify", methods=["POST"])
def record_call_verify(number):
    """校验本呼叫单: walk every chain the call's timeline draws on, noted on the record."""
    result = verify_call(db.session, current_user, number)
    flash(_verdict(result, number), "ok" if result.ok else "error")
    return redirect(url_for("web.record_call", number=number))


def _verdict(result, number=None):
    if result.ok:
        if number:
            return msg("record.verify_call_ok", number=number, streams=result.streams, events=result.events)
        return msg("record.verify_all_ok", streams=result.streams, events=result.events, checkpoints=result.checkpoints)
    if result.stream is not None:
        stream = record_queries.stream_label(result.stream, _org_names(), display_names(
            db.session, [result.stream.partition(":")[2]]))
        return msg("record.verify_broken", stream=stream, seq=result.seq, reason=result.reason)
    return result.message


def _settings():
    config = _config()
    return record_export.ExportSettings(local_zone(), config.UPLOAD_DIR, config.PDF_FONT, config.PDF_FONT_INDEX,
                                        config.PDF_PHOTO_SIZE, config.MAX_IMAGE_PIXELS)


@bp.route("/record/calls/<number>.pdf")
def record_call_pdf(number):
    body = record_export.call_pdf(db.session, current_user, number, _settings())
    return _download(body, "application/pdf", f"{number}.pdf")


@bp.route("/record/calls/<number>.zip")
def record_call_zip(number):
    body = record_export.call_package(db.session, current_user, number, _settings())
    return _download(body, "application/zip", f"{number}.zip")


def _download(body, mime, name):
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
