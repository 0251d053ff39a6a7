"""Every waiting timer counts for `next_timer_due`, on the engine alone, the state dumped and reloaded at each step.

Boundary and intermediate catch events, a timer behind an event-based gateway (SpiffWorkflow keeps that wait on
the gateway as one multiple-event definition), an event sub-process's timer start and a process's timer start.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from freezegun import freeze_time

from app.config import Config
from app.engine.parser import DiagramLimits, parse_bundle
from app.engine.runner import Engine, RunLimits
from app.engine.scripting import Limits, Sandbox
from tests.helpers import definitions, process, user_task

PORTABLE = Path(__file__).resolve().parents[1] / "bundles" / "portable"
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
LIMITS = DiagramLimits(Config.MAX_FLOW_NODES, Config.MAX_DIAGRAM_BYTES, Config.MAX_DIAGRAM_ELEMENTS)
SANDBOX = Sandbox(limits=Limits(Config.SCRIPT_TIME_LIMIT, Config.SCRIPT_SIZE_LIMIT))


def no_service(name, params):
    raise AssertionError(f"no service expected: {name}")


def boundary_and_catch():
    waits = ('<bpmn:intermediateCatchEvent id="pause" name="暂停"><bpmn:incoming>f1</bpmn:incoming>'
             '<bpmn:outgoing>fw</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>"PT10M"</bpmn:timeDuration>'
             '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'
             '<bpmn:sequenceFlow id="fw" sourceRef="pause" targetRef="work" />'
             + user_task(incoming="fw")
             + '<bpmn:boundaryEvent id="late" name="逾期" attachedToRef="work" cancelActivity="false">'
               '<bpmn:outgoing>fl</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDate>'
               '"2026-03-02T12:00:00+08:00"</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
               '<bpmn:endEvent id="late_end"><bpmn:incoming>fl</bpmn:incoming></bpmn:endEvent>'
               '<bpmn:sequenceFlow id="fl" sourceRef="late" targetRef="late_end" />')
    return {"waits.bpmn": definitions(process(pid="waits", middle=waits)).encode()}


def engine_for(files):
    bundle = parse_bundle(files, LIMITS)
    engine = Engine(RunLimits.from_config(Config))
    for pid in bundle.process_files:
        engine.register(pid, *bundle.spec(pid))
    return engine


class Reloaded:
    """One instance kept as its dumped state: each step loads, acts, advances and dumps again."""

    def __init__(self, engine, key):
        self.engine = engine
        run = engine.start(key, {}, SANDBOX, no_service)
        run.advance()
        self.blob = run.dump()

    def step(self, act=None):
        run = self.engine.load(self.blob, SANDBOX, no_service)
        if act is not None:
            act(run)
        run.advance()
        self.blob = run.dump()
        return run


@pytest.fixture(autouse=True)
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.mark.parametrize("key,due", [
    ("Process_wait_reply", NOW + timedelta(hours=2)),  # behind an event-based gateway (written bare: PT2H)
    ("Process_reminded", NOW + timedelta(hours=1)),  # an event sub-process's timer start
    ("Process_delayed", NOW + timedelta(minutes=30)),  # the process's own timer start
])
def test_each_waiting_timer_is_due_and_fires(key, due, clock):
    engine = engine_for({p.name: p.read_bytes() for p in PORTABLE.iterdir() if p.suffix in (".bpmn", ".xml")})
    instance = Reloaded(engine, key)
    assert instance.step().next_timer_due() == due
    clock.move_to(due - timedelta(seconds=1))
    assert instance.step().next_timer_due() == due, "not yet"
    clock.move_to(due + timedelta(seconds=1))
    run = instance.step()
    if key == "Process_reminded":
        assert [t.bpmn_id for t in run.ready_tasks()] == ["Task_handle"], "non-interrupting: the task stays"
        assert run.next_timer_due() is None
    else:
        assert run.is_completed() and run.next_timer_due() is None
        data = run.current_data()
        assert data.get("outcome") == "timed_out" or data.get("began") is True, data


def test_boundary_and_intermediate_timers_count_in_turn(clock):
    instance = Reloaded(engine_for(boundary_and_catch()), "waits")
    assert instance.step().next_timer_due() == NOW + timedelta(minutes=10)
    clock.move_to(NOW + timedelta(minutes=11))
    run = instance.step()
    assert [t.bpmn_id for t in run.ready_tasks()] == ["work"]
    assert run.next_timer_due() == datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)


def test_the_message_wins_the_race_and_the_timer_no_longer_counts():
    from app.engine.runner import Message

    instance = Reloaded(engine_for({"event_gateway.bpmn": (PORTABLE / "event_gateway.bpmn").read_bytes()}),
                        "Process_wait_reply")
    assert [m.name for m in instance.step().waiting_messages()] == ["reply_received"]
    run = instance.step(lambda run: run.deliver(Message("reply_received", {}, {})))
    assert run.is_completed() and run.next_timer_due() is None
    assert "outcome" not in run.current_data()
