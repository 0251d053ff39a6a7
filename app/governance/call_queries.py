"""Plain data the edges read about calls (呼叫单): a page of the calls a user may see, one call with its record."""

from sqlalchemy import select

from app.domain import access
from app.governance.calls import CallExtension, CallUrge, get_call, require_call_view, visible_calls
from app.governance.evaluations import evaluations_for
from app.workflow.queries import column_values


def call_summary(call):
    """One call with its parties, each party's deadlines and progress."""
    return {**column_values(call), "parties": [column_values(party) for party in call.parties]}


def call_page(session, user, page, per_page, status=None):
    """A page of the calls the user's organisation made or is a party to (all for read-all roles); (calls, total).

    One paged query (calls.visible_calls), newest first, so the total counts each call once.
    """
    rows, total = visible_calls(session, user, status, page, per_page)
    return [call_summary(call) for call in rows], total


def call_detail(session, user, number):
    """A call with the ratings the user may read, its extension requests and its urges (催办), oldest first."""
    call = get_call(session, number)
    require_call_view(user, call)
    ratings = [column_values(e) for e in evaluations_for(session, call_id=call.id) if access.may_read_evaluation(user, e)]
    extensions = session.scalars(select(CallExtension).where(CallExtension.call_id == call.id).order_by(CallExtension.id))
    urges = session.scalars(select(CallUrge).where(CallUrge.call_id == call.id).order_by(CallUrge.id))
    return {**call_summary(call), "evaluations": ratings, "extensions": [column_values(e) for e in extensions],
            "urges": [column_values(u) for u in urges]}
