"""校验本呼叫单: walk every chain a call's timeline draws on, and note the verification on the record."""

from app.domain import access
from app.domain.actors import Actor
from app.domain.audit import CHECKS_STREAM, append_event
from app.domain.audit_package import verify_streams
from app.governance.record_queries import call_timeline


def verify_call(session, user, number):
    """Every stream of the call's timeline checked from its first event (app.domain.audit.VerifyResult); the check is
    recorded (`audit.verify_call` on the record's own stream, apart from the whole record's `audit.verify`)."""
    timeline = call_timeline(session, user, number)
    access.require(access.may_verify_call_record(user, timeline.call), "record.verify_call_forbidden")
    result = verify_streams(session, timeline.streams)
    append_event(session, CHECKS_STREAM, "audit.verify_call", actor=Actor.of(user), payload={
        "call": timeline.call.number, "ok": result.ok, "streams": result.streams, "events": result.events,
        "stream": result.stream, "seq": result.seq})
    return result
