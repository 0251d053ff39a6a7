"""A call's and a case's progress change only through named operations: no caller sets a column it names itself."""

import inspect

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.domain.actors import Actor
from app.domain.audit import AuditEvent
from app.errors import Forbidden, NotFound, ValidationFailed
from app.governance import call_progress, calls, evaluations, host_operations, list_excel, lists, supervision
from app.governance.evaluations import Rating, record_evaluation
from app.workflow.services import CallContext, registry
from tests.procedures.test_call_response import FISHING

SYSTEM = Actor.system()


@pytest.fixture
def call(procedures, api_as, session):
    started = api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING})
    assert started.status_code == 201, started.json
    session.expire_all()
    return calls.get_call(session, started.json["business_key"])


def takes_any_keyword(fn):
    return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values())


@pytest.mark.parametrize("module", [calls, call_progress, supervision, evaluations, lists, list_excel])
def test_no_public_operation_takes_arbitrary_keywords(module):
    loose = [name for name, fn in inspect.getmembers(module, inspect.isfunction)
             if fn.__module__ == module.__name__ and not name.startswith("_") and takes_any_keyword(fn)]
    assert loose == []


def test_no_host_operation_takes_arbitrary_keywords():
    assert len(host_operations.OPERATIONS) > 15
    assert [name for name, _, fn in host_operations.OPERATIONS if takes_any_keyword(fn)] == []


def test_a_party_change_sets_only_what_it_names(call, session):
    with pytest.raises(TypeError):
        calls.accept_call(session, SYSTEM, call, "nongye", utcnow(), utcnow(), status="closed")
    with pytest.raises(TypeError):
        calls.set_response_due(session, SYSTEM, call, "nongye", utcnow(), urge_count=0)
    due = utcnow()
    party = calls.set_response_due(session, SYSTEM, call, "nongye", due)
    assert party.response_due == due and party.status == "pending"
    event = session.scalars(select(AuditEvent).where(AuditEvent.stream == f"call:{call.number}")
                            .order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.actor, list(event.payload)) == ("call.party", "system", ["response_due"])


def test_a_party_is_one_of_the_call_unless_it_is_decided_responsible(call, session):
    with pytest.raises(NotFound):
        calls.mark_handled(session, SYSTEM, call, "shuili", utcnow(), "办结")
    party = calls.assign_handling(session, SYSTEM, call, "shuili", utcnow())
    assert (party.role, party.status) == ("decided", "handling")


def test_a_call_moves_only_to_a_status_it_has(call, session):
    with pytest.raises(ValidationFailed):
        calls.set_status(session, SYSTEM, call, "deleted")
    assert call_progress.move_call(session, SYSTEM, call.number, "redo").status == "handling"
    assert call.redo_count == 1


def test_only_a_person_of_the_calling_organisation_urges(call, session, user):
    with pytest.raises(Forbidden):
        calls.urge(session, SYSTEM, call.number, "nongye")
    with pytest.raises(Forbidden):
        calls.urge(session, Actor.of(user("nongye")), call.number, "gongan")


def test_a_case_is_graded_and_moved_through_named_parameters(session):
    case = supervision.open_case(session, SYSTEM, "nongye", "no_response", "未响应")
    with pytest.raises(TypeError):
        supervision.update_case(session, SYSTEM, case.number, closed_at=utcnow())
    for refused in ({"grade": "purple"}, {"status": "deleted"}):
        with pytest.raises(ValidationFailed):
            supervision.update_case(session, SYSTEM, case.number, **refused)
    supervision.update_case(session, SYSTEM, case.number, grade="red")
    closed = supervision.update_case(session, SYSTEM, case.number, status="closed")
    assert (closed.grade, closed.status, closed.closed_at is not None) == ("red", "closed", True)


def test_a_rating_is_what_the_rater_gave(call, session, user):
    with pytest.raises(TypeError):
        record_evaluation(session, SYSTEM, "satisfaction", "tongcheng", "nongye", Rating("满意"), score=0)
    given = record_evaluation(session, Actor.of(user("zhenjie")), "satisfaction", "tongcheng", "nongye",
                              Rating("基本满意"), call_id=call.id)
    assert (given.rater_user, given.score) == ("zhenjie", 90)


def test_a_host_operation_refuses_a_parameter_it_does_not_declare(call, session):
    case = supervision.open_case(session, SYSTEM, "nongye", "no_response", "未响应")
    context = CallContext(session, call, None)
    assert context.actor == Actor.process(), "a step no person caused acts as the process"
    with pytest.raises(TypeError):
        registry.call(context, "supervision.update", {"number": case.number, "closed_at": "2026-01-01"})
