"""Moving a workflow to another version on the engine alone: each reason it cannot, and moves that work.

Tiny pairs of diagrams, the state dumped and loaded again around every check and move (as the host stores it).
"""

from datetime import datetime, timezone

import pytest
from freezegun import freeze_time

from app.config import Config
from app.engine.migration import MigrationRefused, active_steps, check_migration, migrate_run
from app.engine.parser import DiagramLimits, parse_bundle
from app.engine.runner import Engine, RunLimits
from app.engine.scripting import Limits, Sandbox
from tests.helpers import definitions, process, script_task, user_task

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
LIMITS = DiagramLimits(Config.MAX_FLOW_NODES, Config.MAX_DIAGRAM_BYTES, Config.MAX_DIAGRAM_ELEMENTS)
SANDBOX = Sandbox(limits=Limits(Config.SCRIPT_TIME_LIMIT, Config.SCRIPT_SIZE_LIMIT))


def flow(source, target, fid):
    return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}" />'


def two_tasks(first="a", second="b"):
    return user_task(first, name=f"步骤{first}", incoming="f1", outgoing="fm") + flow(first, second, "fm") + user_task(
        second, name=f"步骤{second}", incoming="fm", outgoing="f2")


def timer(duration='"PT10M"', tid="pause"):
    return (f'<bpmn:intermediateCatchEvent id="{tid}" name="等一会"><bpmn:incoming>f1</bpmn:incoming>'
            f'<bpmn:outgoing>fw</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>{duration}'
            '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'
            + flow(tid, "work", "fw") + user_task(incoming="fw"))


MESSAGE = '<bpmn:message id="m_reply" name="reply" />'


def message_wait():
    return ('<bpmn:intermediateCatchEvent id="reply" name="等回复"><bpmn:incoming>f1</bpmn:incoming>'
            '<bpmn:outgoing>fw</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m_reply" />'
            '</bpmn:intermediateCatchEvent>' + flow("reply", "work", "fw") + user_task(incoming="fw"))


def caller(called="child"):
    call = (f'<bpmn:callActivity id="call" name="调用子流程" calledElement="{called}"><bpmn:incoming>f1</bpmn:incoming>'
            '<bpmn:outgoing>f2</bpmn:outgoing></bpmn:callActivity>')
    return process(pid="p", middle=call)


def child(pid="child", middle=None):
    """A called process whose ids are its own (ids are unique across the file): prefixed by the process id."""
    text = process(pid=pid, name="子流程", middle=middle or user_task("inner", name="子流程办理"), start_ext="")
    for old in ("start", "end", "f1", "f2", "fm", "inner", "x", "y"):
        text = text.replace(f'"{old}"', f'"{pid}_{old}"').replace(f">{old}<", f">{pid}_{old}<")
    return text.replace(f'id="{pid}_{pid}"', f'id="{pid}"')


class Versions:
    """An engine with each diagram registered under its own key, and one instance kept as its dumped state."""

    def __init__(self, **versions):
        self.engine = Engine(RunLimits.from_config(Config))
        for key, text in versions.items():
            bundle = parse_bundle({"p.bpmn": text.encode()}, LIMITS)
            self.engine.register(key, *bundle.spec("p"))
        self.blob = None

    def start(self, key="v1", complete=()):
        run = self.engine.start(key, {}, SANDBOX, None)
        run.advance()
        for bpmn_id in complete:
            task = next(t for t in run.ready_tasks() if t.bpmn_id == bpmn_id)
            run.complete_task(task.id, {bpmn_id: "done"})
            run.advance()
        self.blob = run.dump()
        return run

    def load(self):
        return self.engine.load(self.blob, SANDBOX, None)

    def reasons(self, target="v2", form_check=None):
        return [o.text for o in check_migration(self.load(), target, form_check)]

    def migrate(self, target="v2"):
        run = self.load()
        migrate_run(run, target)
        self.blob = run.dump()
        return self.load()


@pytest.fixture(autouse=True)
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


def test_an_instance_moves_past_a_removed_finished_step_and_runs_on_the_new_diagram():
    added = user_task("b", name="步骤b", outgoing="fc") + flow("b", "c", "fc") + user_task("c", name="步骤c", incoming="fc")
    versions = Versions(v1=definitions(process(pid="p", middle=two_tasks())),
                        v2=definitions(process(pid="p", middle=added)))
    versions.start(complete=["a"])
    assert versions.reasons() == []
    run = versions.migrate()
    assert run.spec_key == "v2" and [t.bpmn_id for t in run.ready_tasks()] == ["b"]
    assert run.current_data()["a"] == "done"  # the data of the step that is gone stays
    run.complete_task(run.ready_tasks()[0].id, {})
    run.advance()
    assert [t.bpmn_id for t in run.ready_tasks()] == ["c"]


def test_a_ready_task_missing_in_the_target_cannot_move():
    versions = Versions(v1=definitions(process(pid="p", middle=two_tasks())),
                        v2=definitions(process(pid="p", middle=user_task("b", name="步骤b"))))
    versions.start()
    assert versions.reasons() == ["当前所在的步骤「步骤a」在目标版本中已不存在"]
    with pytest.raises(MigrationRefused):
        migrate_run(versions.load(), "v2")


def test_a_task_that_changed_type_cannot_move():
    versions = Versions(v1=definitions(process(pid="p", middle=user_task("work", name="审核"))),
                        v2=definitions(process(pid="p", middle=script_task("work", "x = 1"))))
    versions.start()
    assert versions.reasons() == ["当前所在的步骤「审核」在目标版本中由人工任务改成了脚本任务"]


def test_a_waiting_timer_that_is_gone_or_changed_cannot_move():
    versions = Versions(v1=definitions(process(pid="p", middle=timer())),
                        v2=definitions(process(pid="p", middle=user_task())),
                        v3=definitions(process(pid="p", middle=timer('"PT20M"'))))
    versions.start()
    assert active_steps(versions.load()) == ["等一会（等待定时器）"]
    assert versions.reasons("v2") == ["正在等待的定时器「等一会」在目标版本中已不存在"]
    assert versions.reasons("v3") == ["正在等待的定时器「等一会」在目标版本中改了触发条件"]


def test_a_waiting_timer_keeps_its_due_time_when_it_moves(clock):
    later = timer().replace('<bpmn:userTask id="work" name="办理">', '<bpmn:userTask id="work" name="新的办理">')
    versions = Versions(v1=definitions(process(pid="p", middle=timer())),
                        v2=definitions(process(pid="p", middle=later)))
    due = versions.start().next_timer_due()
    clock.tick(300)
    run = versions.migrate()
    assert run.next_timer_due() == due
    clock.tick(301)
    run.advance()
    assert [t.name for t in run.ready_tasks()] == ["新的办理"]


def test_a_waiting_message_that_is_gone_cannot_move():
    versions = Versions(v1=definitions(process(pid="p", middle=message_wait()), extra=MESSAGE),
                        v2=definitions(process(pid="p", middle=user_task())))
    versions.start()
    assert versions.reasons() == ["正在等待的消息「等回复」在目标版本中已不存在"]


def test_a_running_child_whose_process_is_gone_or_whose_call_changed_cannot_move():
    versions = Versions(v1=definitions(caller(), child()),
                        v2=definitions(caller("other"), child("other")),
                        v3=definitions(caller("other"), child(), child("other")),
                        v4=definitions(caller(), child(middle=user_task("inner", name="子流程新办理"))))
    run = versions.start()
    assert active_steps(run) == ["子流程办理"]
    assert "子流程「子流程」正在运行，而目标版本中已没有这个流程" in versions.reasons("v2")
    assert "「调用子流程」在目标版本中有改动（调用的流程或传递的数据），而它的子流程正在运行" in versions.reasons("v3")
    assert versions.reasons("v4") == []  # the child's own ready task is still there: it moves with its parent
    moved = versions.migrate("v4")
    assert [t.name for t in moved.ready_tasks()] == ["子流程新办理"]


def test_a_task_inside_a_child_missing_in_the_target_names_the_child():
    inner = two_tasks("x", "y")
    versions = Versions(v1=definitions(caller(), child(middle=inner)),
                        v2=definitions(caller(), child(middle=user_task("y", name="步骤y"))))
    versions.start()
    assert versions.reasons() == ["子流程「子流程」中：当前所在的步骤「步骤x」在目标版本中已不存在"]


def test_the_host_form_check_refuses_with_the_fields_it_names():
    versions = Versions(v1=definitions(process(pid="p", middle=two_tasks())),
                        v2=definitions(process(pid="p", middle=two_tasks())))
    versions.start(complete=["a"])
    seen = []

    def form_check(step):
        seen.append((step.bpmn_id, step.done))
        return ["电话"] if step.done else []

    assert versions.reasons(form_check=form_check) == ["步骤「步骤a」的表单在目标版本中必须填写电话，而实例数据中没有"]
    assert sorted(seen) == [("a", True), ("b", False)]
