"""The assessment's audit actions told as sentences (registered with record_tellers at start-up)."""

from app.errors import ValidationFailed
from app.governance.assessment_periods import Period
from app.workflow.record_text import Said, templated


def _payload(event):
    return event.get("payload") or {}


def _period(payload):
    try:
        return Period.parse(payload.get("period")).label
    except ValidationFailed:  # an old or odd payload still reads as its code
        return str(payload.get("period") or "")


def computed(event, names):
    payload = _payload(event)
    return Said(templated(event, names, period=_period(payload), revision=payload.get("revision", ""),
                          formula=payload.get("formula", "")))


def published(event, names):
    payload = _payload(event)
    replaced = payload.get("replaced") or []
    if replaced:
        return Said(templated(event, names, "said.assessment.republish", period=_period(payload),
                              revision=payload.get("revision", ""), replaced="、".join(map(str, replaced))))
    return Said(templated(event, names, period=_period(payload), revision=payload.get("revision", "")))


def formula(event, names):
    payload = _payload(event)
    return Said(templated(event, names, version=payload.get("version", ""),
                          effective=payload.get("effective_from", "")))


def excluded(event, names):
    payload = _payload(event)
    return Said(templated(event, names, calls="、".join(map(str, payload.get("numbers") or []))))


TELLERS = {"assessment.compute": computed, "assessment.publish": published, "assessment.formula": formula,
           "assessment.exclude": excluded}
