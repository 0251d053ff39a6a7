"""Plain data the edges read about calls (呼叫单): a page of the calls a user may see, one call with its record."""

from sqlalchemy import select

from app.domain import access
from app.domain.audit import AuditEvent
from app.governance.calls import Call, CallExtension, CallUrge, get_call, require_call_view, visible_calls
from app.governance.evaluations import evaluations_for
from app.workflow.models import ProcessInstance
from app.workflow.queries import column_values, event_view, record_names


def call_summary(call):
    """One call with its parties, each party's deadlines and progress."""
    return {**column_values(call), "parties": [column_values(party) for party in call.parties]}


def call_page(session, user, page, per_page, status=None):
    """A page of the calls the user's organisation made or is a party to (all for read-all roles); (calls, total).

    One paged query (calls.visible_calls), newest first, so the total counts each call once.
    """
    rows, total = visible_calls(session, user, status, page, per_page)
    return [call_summary(call) for call in rows], total


def call_detail(session, user, number, call=None):
    """A call with the ratings the user may read, its extension requests and its urges (催办), oldest first."""
    call = call or get_call(session, number)
    require_call_view(user, call)
    ratings = [column_values(e) for e in evaluations_for(session, call_id=call.id) if access.may_read_evaluation(user, e)]
    extensions = session.scalars(select(CallExtension).where(CallExtension.call_id == call.id).order_by(CallExtension.id))
    urges = session.scalars(select(CallUrge).where(CallUrge.call_id == call.id).order_by(CallUrge.id))
    return {**call_summary(call), "evaluations": ratings, "extensions": [column_values(e) for e in extensions],
            "urges": [column_values(u) for u in urges]}


def call_record(session, user, number):
    """What the call's page shows: `call_detail` and every event about its instance, oldest first.

    As the instance's own readers see it: read-all roles and the calling organisation see each event whole,
    another party sees who did what when and the task it concerns, not its payload (queries.event_view).
    """
    call = get_call(session, number)
    detail = call_detail(session, user, number, call)
    instance = session.get(ProcessInstance, call.instance_id) if call.instance_id else None
    whole = instance is not None and access.may_read_instance_data(user, instance)
    events = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == call.instance_id)
                             .order_by(AuditEvent.at, AuditEvent.id)) if instance is not None else ()
    history = [event_view(event, whole) for event in events]
    return {**detail, "history": history, **record_names(session, call.instance_id, history, {call.caller_user})}


def numbers_by_id(session, call_ids):
    """{call id: call number} of these calls."""
    return dict(session.execute(select(Call.id, Call.number).where(Call.id.in_(call_ids))).all())


def numbers_by_instance(session, instance_ids):
    """{instance id: call number} of the calls these instances run."""
    return dict(session.execute(select(Call.instance_id, Call.number).where(Call.instance_id.in_(instance_ids))).all())
