"""One duration parser: a task's `due` and a timer read `P1M`, `P3D`, `PT2H` alike (the engine's parser)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.engine.durations import parse_duration
from app.workflow import instances
from app.workflow.models import HumanTask
from tests.helpers import bundle, definitions, process, user_task

SHANGHAI = ZoneInfo("Asia/Shanghai")
JAN_30_10AM = datetime(2026, 1, 30, 10, 0, tzinfo=SHANGHAI)  # a Friday; February has 28 days
MONDAY_4PM = datetime(2026, 3, 2, 16, 0, tzinfo=SHANGHAI)


def task_with(due, calendar="", boundary=""):
    props = f'<spiffworkflow:property name="due" value="{due}" />'
    if calendar:
        props += f'<spiffworkflow:property name="calendar" value="{calendar}" />'
    return user_task(extra_props=props) + boundary


def started(session, runtime, deploy, user, middle, moment, pid):
    deploy(files=bundle(definitions(process(pid=pid, middle=middle)), name=f"{pid}.bpmn"))
    with freeze_time(moment):
        instance = instances.start_instance(session, runtime, user("zhenjie"), pid)
        session.commit()
    task = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    return instance, task


def test_a_month_is_a_calendar_month_for_a_task_and_for_its_timer(session, runtime, deploy, user):
    timer = ('<bpmn:boundaryEvent id="remind" cancelActivity="false" attachedToRef="work">'
             '<bpmn:outgoing>f_remind</bpmn:outgoing><bpmn:timerEventDefinition id="remind_def">'
             '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P1M"</bpmn:timeDuration>'
             '</bpmn:timerEventDefinition></bpmn:boundaryEvent>'
             '<bpmn:endEvent id="reminded"><bpmn:incoming>f_remind</bpmn:incoming></bpmn:endEvent>'
             '<bpmn:sequenceFlow id="f_remind" sourceRef="remind" targetRef="reminded" />')
    instance, task = started(session, runtime, deploy, user, task_with("P1M", boundary=timer), JAN_30_10AM, "month")
    assert task.due_at == JAN_30_10AM + timedelta(days=31), "January has 31 days: 1 March, not 30 days later"
    assert instance.next_timer_due == task.due_at, "the timer and the deadline agree"


def test_two_working_hours_skip_the_evening(session, runtime, deploy, user):
    _, task = started(session, runtime, deploy, user, task_with("PT2H", "working"), MONDAY_4PM, "hours")
    assert task.due_at == datetime(2026, 3, 3, 9, 30, tzinfo=SHANGHAI), "1.5 h left on Monday, 0.5 h on Tuesday"


def test_three_days_on_both_calendars(session, runtime, deploy, user):
    _, plain = started(session, runtime, deploy, user, task_with("P3D"), JAN_30_10AM, "plain_days")
    assert plain.due_at == datetime(2026, 2, 2, 10, 0, tzinfo=SHANGHAI)
    _, working = started(session, runtime, deploy, user, task_with("P3D", "working"), JAN_30_10AM, "working_days")
    assert working.due_at == datetime(2026, 2, 4, 10, 0, tzinfo=SHANGHAI), "Monday, Tuesday, Wednesday"


@pytest.mark.parametrize("text", ["P", "PT", "P1H", "3D", "P1W2D", "soon", ""])
def test_what_is_not_a_duration_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_a_due_that_is_neither_duration_nor_expression_is_refused_at_deploy(runtime, session):
    from app.definitions.validation import validate_bundle
    from app.errors import DefinitionInvalid
    from app.workflow.deployments import catalogue

    files = bundle(definitions(process(pid="bad_due", middle=task_with("in 3 days"))), name="bad_due.bpmn")
    with pytest.raises(DefinitionInvalid) as refused:
        validate_bundle(files, catalogue(runtime))
    assert any("期限表达式" in p.message for p in refused.value.problems)
