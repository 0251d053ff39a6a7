"""Plain data the edges read about supervision cases (督办): the cases a user may see, with their call's number."""

from app.domain import access
from app.governance import supervision as cases
from app.governance.call_queries import numbers_by_id
from app.workflow.queries import column_values


def case_list(session, user, status=None, grade=None):
    """Every case the user may read (all for read-all roles, else those about the user's organisation), oldest
    first, each with the number of the call it supervises (None when it supervises none)."""
    target = None if access.reads_everything(user) else user.org.code
    rows = cases.list_cases(session, status=status, grade=grade, target_org=target)
    numbers = numbers_by_id(session, [case.call_id for case in rows if case.call_id])
    return [{**column_values(case), "call_number": numbers.get(case.call_id)} for case in rows]
