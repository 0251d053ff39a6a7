"""Plain data the edges read about calls (呼叫单): one call with its ratings, extensions and urges; numbers by id."""

from sqlalchemy import select

from app.domain import access
from app.governance.calls import Call, CallExtension, CallUrge, get_call, require_call_view
from app.governance.evaluations import evaluations_for
from app.workflow.queries import column_values


def call_summary(call):
    """One call with its parties, each party's deadlines and progress."""
    return {**column_values(call), "parties": [column_values(party) for party in call.parties]}


def call_detail(session, user, number, call=None):
    """A call with the ratings the user may read, its extension requests and its urges (催办), oldest first."""
    call = call or get_call(session, number)
    require_call_view(user, call)
    ratings = [column_values(e) for e in evaluations_for(session, call_id=call.id) if access.may_read_evaluation(user, e)]
    extensions = session.scalars(select(CallExtension).where(CallExtension.call_id == call.id).order_by(CallExtension.id))
    urges = session.scalars(select(CallUrge).where(CallUrge.call_id == call.id).order_by(CallUrge.id))
    return {**call_summary(call), "evaluations": ratings, "extensions": [column_values(e) for e in extensions],
            "urges": [column_values(u) for u in urges]}


def numbers_by_id(session, call_ids):
    """{call id: call number} of these calls."""
    return dict(session.execute(select(Call.id, Call.number).where(Call.id.in_(call_ids))).all())


def numbers_by_instance(session, instance_ids):
    """{instance id: call number} of the calls these instances run."""
    return dict(session.execute(select(Call.instance_id, Call.number).where(Call.instance_id.in_(instance_ids))).all())
