"""A closed call's record exported: a PDF in Chinese, and an archive package (the PDF, the events exactly as stored,
the files, a manifest of SHA-256 sums) that `flask audit verify-package` checks offline.

Only a closed call exports (its record no longer grows), and only for a reader of all its data (read-all roles,
人大 included, and the calling organisation): the archive holds every event as stored, other parties' ratings too.
"""

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import select

from app.db import utcnow
from app.domain import access
from app.domain.attachment_images import is_image, make_thumbnail
from app.domain.attachments import Attachment, attachment_path
from app.domain.audit import AuditEvent
from app.domain.audit_package import UPLOAD, build_package
from app.domain.organisations import list_orgs
from app.domain.people import display_names
from app.errors import InvalidState, NotFound
from app.governance.call_queries import call_detail
from app.governance.record_pdf import build_pdf
from app.governance.record_queries import call_timeline, stream_label, tell
from app.messages import label, msg
from app.workflow.models import ProcessInstance


@dataclass(frozen=True)
class ExportSettings:
    """What an export needs of the configuration (the edge builds it from Config)."""

    zone: tzinfo
    upload_dir: str
    font: str
    font_index: int = 0
    photo_size: int = 960
    max_pixels: int = 40_000_000


def _local(moment, zone):
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _when(value, zone):
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return _local(value, zone)


def exportable(session, user, number):
    """The call's timeline, if the user may export it and it is closed; else a Chinese refusal."""
    timeline = call_timeline(session, user, number)
    call = timeline.call
    instance = session.get(ProcessInstance, call.instance_id) if call.instance_id else None
    access.require(instance is not None and access.may_read_instance_data(user, instance), "record.export_forbidden")
    if call.status != "closed":
        raise InvalidState(msg("record.export_not_closed", number=call.number))
    return timeline


def _attachments(session, timeline, upload_dir):
    """The files of the call's instances ([Attachment]) and their bytes by id; a file gone from storage refuses."""
    instance_ids = {e.instance_id for e in timeline.events if e.instance_id}
    rows = list(session.scalars(select(Attachment).where(Attachment.instance_id.in_(instance_ids))
                                .order_by(Attachment.id)))
    contents = {}
    for attachment in rows:
        path = attachment_path(upload_dir, attachment)
        if not Path(path).is_file():
            raise InvalidState(msg("record.export_file_gone", name=attachment.filename))
        contents[attachment.id] = Path(path).read_bytes()
    return rows, contents


def _uploads(session, attachments):
    """The `attachment.upload` events that name these files (each in its uploader's stream)."""
    wanted = {a.id for a in attachments}
    streams = {f"user:{a.uploaded_by}" for a in attachments}
    rows = session.scalars(select(AuditEvent).where(AuditEvent.stream.in_(streams), AuditEvent.action == UPLOAD))
    return [e for e in rows if (e.payload or {}).get("id") in wanted]


def _party_rows(detail, orgs, zone):
    rows = [[msg(f"record.pdf.party_head.{n}") for n in ("org", "status", "due", "done", "notes")]]
    for p in detail["parties"]:
        notes = [msg("record.pdf.rejected", reason=p["rejection_reason"]) if p.get("rejection_reason") else "",
                 msg("record.pdf.outcome", outcome=label("record_rejection_outcome", p["rejection_outcome"]))
                 if p.get("rejection_outcome") else "",
                 msg("record.pdf.result", result=p["result"]) if p.get("result") else ""]
        rows.append([f"{orgs.get(p['org_code'], p['org_code'])}（{label('record_party_role', p['role'])}）",
                     label("party_status", p["status"]),
                     msg("record.pdf.dues", respond=_local(p["response_due"], zone), handle=_local(p["handle_due"], zone)),
                     msg("record.pdf.dones", respond=_local(p["responded_at"], zone),
                         handle=_local(p["handled_at"], zone)),
                     "\n".join(n for n in notes if n)])
    return rows


def _ratings(detail, orgs):
    told = []
    for e in detail["evaluations"]:
        given = e["grade"] or msg("evaluation.ratings", accuracy=e["accuracy"], cooperation=e["cooperation"])
        told.append(msg("record.pdf.rating", rater=orgs.get(e["rater_org"], e["rater_org"]),
                        ratee=orgs.get(e["ratee_org"], e["ratee_org"]),
                        kind=label("evaluation_kind", e["kind"]), grade=given,
                        comment=msg("record.pdf.comment", comment=e["comment"]) if e.get("comment") else ""))
    return told


def call_record_data(session, user, timeline, attachments, zone):
    """What the PDF shows, as plain data: title, summary rows, parties, ratings, entries, files."""
    call = timeline.call
    detail = call_detail(session, user, call.number, call)
    orgs = {o.code: o.name for o in list_orgs(session)}
    people = display_names(session, {e.actor for e in timeline.events} | {call.caller_user})
    digests = {a.id: a.sha256 for a in attachments}
    summary = [(msg(f"record.pdf.field.{name}"), value) for name, value in (
        ("number", call.number), ("item", f"{call.item_code} {call.title}"), ("location", call.location),
        ("description", call.description), ("caller", f"{orgs.get(call.caller_org, call.caller_org)} "
                                                      f"{people.get(call.caller_user, call.caller_user)}"),
        ("urgency", label("urgency", call.urgency)), ("status", label("call_status", call.status)),
        ("opened", _local(call.created_at, zone)), ("closed", _local(call.closed_at, zone)))]
    entries = []
    for entry in tell(session, user, timeline.events):
        entries.append({**entry, "time": _local(entry["at"], zone), "stream_label": stream_label(entry["stream"], orgs,
                                                                                                 people),
                        "files": [{**f, "sha256": digests.get(f["id"], "")} for f in entry["files"]]})
    return {"title": msg("record.pdf.title", number=call.number, title=call.title),
            "exported": msg("record.pdf.exported", at=_local(utcnow(), zone)), "summary": summary,
            "parties": _party_rows(detail, orgs, zone), "ratings": _ratings(detail, orgs), "entries": entries,
            "files": [{"filename": a.filename, "sha256": a.sha256, "size": a.size} for a in attachments]}


def _printed(attachments, contents, settings):
    """{attachment id: JPEG bytes} of the photos as the PDF prints them: derivatives, upright and without metadata
    (no position: docs/photos.md); a photo that cannot be read is listed with its SHA-256 only."""
    printed = {}
    for attachment in attachments:
        if is_image(attachment):
            try:
                printed[attachment.id] = make_thumbnail(contents[attachment.id], attachment.mime, settings.photo_size,
                                                        settings.max_pixels)
            except NotFound:
                continue
    return printed


def _pdf(session, user, timeline, attachments, contents, settings):
    record = call_record_data(session, user, timeline, attachments, settings.zone)
    return build_pdf(record, _printed(attachments, contents, settings), settings.font, settings.font_index)


def call_pdf(session, user, number, settings):
    """The closed call's record as a PDF (bytes)."""
    timeline = exportable(session, user, number)
    attachments, contents = _attachments(session, timeline, settings.upload_dir)
    return _pdf(session, user, timeline, attachments, contents, settings)


def call_package(session, user, number, settings):
    """The closed call's archive package (ZIP bytes): record.pdf, events.json, chain.json, files/ (the originals),
    manifest.json."""
    timeline = exportable(session, user, number)
    attachments, contents = _attachments(session, timeline, settings.upload_dir)
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
    members = {"record.pdf": _pdf(session, user, timeline, attachments, contents, settings)}
    for attachment in attachments:
        members[f"files/{attachment.sha256}{extension.get(attachment.mime, '')}"] = contents[attachment.id]
    events = timeline.events + _uploads(session, attachments)
    subject = {"call": timeline.call.number, "title": timeline.call.title}
    return build_package(session, events, members, subject)
