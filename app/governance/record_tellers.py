"""Tianchang's audit actions told as sentences: calls, their parties, rejections, urges, extensions, supervision,
ratings and list versions (registered with the platform's record_text at start-up)."""

from app.governance import assessment_tellers
from app.messages import label, msg
from app.workflow.record_text import Said, register_teller, templated


def _payload(event):
    return event.get("payload") or {}


def _subject(event):
    """What the event's stream is about: "call:HJ…" → "HJ…"."""
    return (event.get("stream") or "").partition(":")[2]


def _verdict(overturned):
    return msg("said.rejection.overturned" if overturned else "said.rejection.upheld")


def call_open(event, names):
    parties = "、".join(names.org(code) for code in _payload(event).get("parties") or [])
    return Said(templated(event, names, number=_subject(event), parties=parties), follows=True, leads=True)


def call_party(event, names):
    """A party's progress: each change of a party's row, by what changed."""
    payload, org = _payload(event), names.org(event.get("org"))
    status = payload.get("status")

    def said(key, leads=False, **extra):
        return Said(templated(event, names, f"said.call.party.{key}", org=org, **extra), follows=True, leads=leads)

    if status is None and "response_due" in payload:
        return said("response_due", due=names.time(payload["response_due"]))
    if status == "rejected":
        return said("rejected", True, reason=payload.get("rejection_reason") or "")
    if status == "handled":
        return said("handled", True, result=payload.get("result") or "")
    if "rejection_outcome" in payload:
        return said("settled", verdict=_verdict(payload.get("rejection_overturned")))
    if status == "handling" and "responded_at" in payload:
        due = names.time(payload.get("handle_due"))
        return said("accepted" if due else "accepted_no_due", True, due=due)
    if status == "handling":
        return said("handling", due=names.time(payload.get("handle_due")))
    if status in ("negotiating", "released", "redo"):
        return said(status)
    return said("other", status=label("party_status", status) if status else "")


def call_status(event, names):
    return Said(templated(event, names, status=label("call_status", _payload(event).get("status"))), follows=True)


def call_urge(event, names):
    payload = _payload(event)
    return Said(templated(event, names, "said.call.urge_note" if payload.get("note") else "said.call.urge",
                          org=names.org(payload.get("org")), count=payload.get("count", ""),
                          note=payload.get("note") or ""))


def extension_request(event, names):
    payload = _payload(event)
    return Said(templated(event, names, days=payload.get("days", "")), follows=True, leads=True)


def extension_decide(event, names):
    payload = _payload(event)
    key = "said.call.extension.approved" if payload.get("approved") else "said.call.extension.refused"
    return Said(templated(event, names, key, org=names.org(event.get("org")), due=names.time(payload.get("new_due"))),
                follows=True, leads=True)


def rejection_outcome(event, names):
    payload = _payload(event)
    outcome = payload.get("outcome") if payload.get("outcome") in ("accepted", "agreement") else "coordination"
    text = templated(event, names, f"said.call.rejection.{outcome}", org=names.org(event.get("org")),
                     responsible=names.org(payload.get("responsible")), verdict=_verdict(payload.get("overturned")))
    if payload.get("basis"):
        text += msg("said.call.rejection.basis", basis=payload["basis"])
    return Said(text, follows=True, leads=True)


def supervision_open(event, names):
    payload = _payload(event)
    hours = payload.get("lateness_hours") or 0
    return Said(templated(event, names, "said.supervision.open_late" if hours else "said.supervision.open",
                          org=names.org(event.get("org")), reason=label("case_reason", payload.get("reason")),
                          hours=hours), follows=True)


def supervision_update(event, names):
    payload = _payload(event)
    parts = []
    if payload.get("grade"):
        parts.append(msg("said.supervision.grade", grade=label("case_grade", payload["grade"])))
    if payload.get("status"):
        parts.append(msg("said.supervision.status", status=label("case_status_said", payload["status"])))
    return Said("，".join(parts) or label("audit_action", "supervision.update"), follows=True)


def supervision_escalate(event, names):
    payload = _payload(event)
    org = names.org(event.get("org"))
    named = {"unit": org, "leader": msg("said.supervision.leader_of", org=org)}
    recipients = "、".join(named.get(r) or label("escalation_recipient", r) for r in payload.get("recipients") or [])
    return Said(templated(event, names, org=org,
                          step=label("escalation_step", payload.get("step")), recipients=recipients))


def supervision_interview(event, names):
    payload = _payload(event)
    return Said(templated(event, names, held_on=payload.get("held_on") or "", attendees=payload.get("attendees") or "",
                          outcome=payload.get("outcome") or ""))


def evaluation(event, names):
    payload = _payload(event)
    if payload.get("kind") == "call_quality":
        return Said(templated(event, names, "said.evaluation.call_quality", accuracy=payload.get("accuracy", ""),
                              cooperation=payload.get("cooperation", ""), rater=names.org(event.get("org"))),
                    follows=True)
    return Said(templated(event, names, "said.evaluation.satisfaction", ratee=names.org(_subject(event)),
                          grade=names.value(payload.get("grade")) or "", rater=names.org(event.get("org"))),
                follows=True)


def list_version(event, names):
    payload = _payload(event)
    title = (payload.get("fields") or {}).get("title") or ""
    return Said(templated(event, names, title=title, version=payload.get("version", "")),
                follows=bool(payload.get("instance_id")))


def amendment(event, names):
    return Said(templated(event, names, note=_payload(event).get("note") or ""), follows=True)


def appeal_open(event, names):
    payload = _payload(event)
    metric = payload.get("metric")
    return Said(templated(event, names, period=assessment_tellers._period(payload),
                          metric=label("assessment_metric", metric) if metric else msg("appeal.whole_score"),
                          calls="、".join(payload.get("calls") or [])), follows=True, leads=True)


def appeal_decide(event, names):
    payload = _payload(event)
    key = "said.assessment.appeal.accepted" if payload.get("accepted") else "said.assessment.appeal.refused"
    return Said(templated(event, names, key, calls="、".join(payload.get("excluded") or [])), follows=True, leads=True)


TELLERS = {
    "call.open": call_open, "call.party": call_party, "call.status": call_status, "call.urge": call_urge,
    "call.extension.request": extension_request, "call.extension.decide": extension_decide,
    "call.rejection.outcome": rejection_outcome, "supervision.open": supervision_open,
    "supervision.update": supervision_update, "supervision.escalate": supervision_escalate,
    "supervision.interview": supervision_interview, "evaluation": evaluation, "list.version": list_version,
    "list.amendment.proposed": amendment, "assessment.appeal.open": appeal_open,
    "assessment.appeal.decide": appeal_decide,
}


def register_tellers():
    for action, teller in {**TELLERS, **assessment_tellers.TELLERS}.items():
        register_teller(action, teller)
