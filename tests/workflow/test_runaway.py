"""Nothing a diagram does can hang the host: call cycles are refused at deploy, every advance has a step and time
budget after which the instance waits in error, and a runaway never blocks another user's write for long."""

import threading

import pytest
from sqlalchemy import select

from app.workflow.models import HumanTask
from tests.conftest import PG_URL
from tests.helpers import definitions, form, process, start_roles

CALL = '<bpmn:callActivity id="{id}" name="{name}" calledElement="{callee}">{io}</bpmn:callActivity>\n'


def calling(pid, callee, name="再调用", guarded=False):
    """start → (a gateway that calls again only while depth < 3, if guarded) → call activity → end."""
    if not guarded:
        middle = CALL.format(id="again", name=name, callee=callee,
                             io="<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>")
        return process(pid=pid, name=pid, middle=middle)
    return (f'<bpmn:process id="{pid}" name="{pid}" isExecutable="true">\n'
            f'<bpmn:startEvent id="start">{start_roles()}</bpmn:startEvent>\n'
            '<bpmn:scriptTask id="deeper" name="加深"><bpmn:script>depth = depth + 1'
            '</bpmn:script></bpmn:scriptTask>\n'
            '<bpmn:exclusiveGateway id="more" name="还要再调用吗" default="enough" />\n'
            + CALL.format(id="again", name=name, callee=callee, io="") +
            '<bpmn:endEvent id="end" />\n'
            '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="deeper" />\n'
            '<bpmn:sequenceFlow id="f1" sourceRef="deeper" targetRef="more" />\n'
            '<bpmn:sequenceFlow id="deep" sourceRef="more" targetRef="again">'
            '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">depth &lt; 3</bpmn:conditionExpression>'
            '</bpmn:sequenceFlow>\n'
            '<bpmn:sequenceFlow id="enough" sourceRef="more" targetRef="end" />\n'
            '<bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="end" />\n'
            '</bpmn:process>\n')


def loop(work="n = n + 1"):
    """start → n = 0 → work → a gateway that always goes round again (its default, to the end, is never taken)."""
    return (
        '<bpmn:process id="runaway" name="停不下来" isExecutable="true">\n'
        f'<bpmn:startEvent id="start">{start_roles()}</bpmn:startEvent>\n'
        '<bpmn:scriptTask id="init" name="起点"><bpmn:script>n = 0</bpmn:script></bpmn:scriptTask>\n'
        f'<bpmn:scriptTask id="count" name="计数"><bpmn:script>{work}</bpmn:script>'
        '</bpmn:scriptTask>\n'
        '<bpmn:exclusiveGateway id="again" name="再来一次" default="never" />\n'
        '<bpmn:endEvent id="end" />\n'
        '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="init" />\n'
        '<bpmn:sequenceFlow id="fi" sourceRef="init" targetRef="count" />\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="count" targetRef="again" />\n'
        '<bpmn:sequenceFlow id="loop" sourceRef="again" targetRef="count">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">n &gt; 0</bpmn:conditionExpression>'
        '</bpmn:sequenceFlow>\n'
        '<bpmn:sequenceFlow id="never" sourceRef="again" targetRef="end" />\n'
        '</bpmn:process>\n')


LOOP = loop()


def files(**diagrams):
    return {f"{pid}.bpmn": text for pid, text in diagrams.items()}


def test_a_process_that_calls_itself_is_refused_on_its_call_activity(api_as):
    refused = api_as("admin").post("/api/processes/deploy", {"files": files(selfcall=definitions(
        calling("selfcall", "selfcall"), pid="selfcall"))})
    assert refused.status_code == 400, refused.json
    (problem,) = refused.json["errors"]["problems"]
    assert (problem["file"], problem["element_id"]) == ("selfcall.bpmn", "again")
    assert problem["message"].startswith("调用活动“再调用”（again）调用的流程又调回到自身（selfcall → selfcall）")


def test_a_cycle_through_another_process_is_refused_on_both_calls(api_as):
    refused = api_as("admin").post("/api/processes/deploy", {"files": files(
        ping=definitions(calling("ping", "pong"), pid="ping"), pong=definitions(calling("pong", "ping"), pid="pong"))})
    assert refused.status_code == 400, refused.json
    chains = sorted(p["message"].split("（")[2].split("）")[0] for p in refused.json["errors"]["problems"])
    assert chains == ["ping → pong → ping", "pong → ping → pong"]


def test_a_recursion_the_designer_bounds_with_a_condition_deploys_and_ends(api_as):
    designer = api_as("admin")
    outer = process(pid="nest", name="嵌套", middle=(
        '<bpmn:scriptTask id="init" name="起点"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>fa</bpmn:outgoing>'
        '<bpmn:script>depth = 0</bpmn:script></bpmn:scriptTask>\n'
        + CALL.format(id="first", name="第一层", callee="inner",
                      io="<bpmn:incoming>fa</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>")
        + '<bpmn:sequenceFlow id="fa" sourceRef="init" targetRef="first" />\n'))
    inner = definitions(calling("inner", "inner", guarded=True), pid="inner")
    deployed = designer.post("/api/processes/deploy", {"files": files(nest=definitions(outer, pid="nest"), inner=inner)})
    assert deployed.status_code == 201, deployed.json
    started = designer.post("/api/instances", {"process_id": "nest"})
    assert started.status_code == 201 and started.json["status"] == "completed", started.json
    assert designer.get(f"/api/instances/{started.json['id']}").json["data"]["depth"] == 3


@pytest.fixture
def config_overrides():
    return {"ENGINE_STEP_BUDGET": 300}


def test_a_loop_stops_at_the_step_budget_and_waits_in_error(api_as):
    designer = api_as("admin")
    assert designer.post("/api/processes/deploy", {"files": files(runaway=definitions(LOOP, pid="runaway"))}
                         ).status_code == 201
    started = designer.post("/api/instances", {"process_id": "runaway"})
    assert started.status_code == 201, started.json
    assert started.json["status"] == "error"
    error = designer.get(f"/api/instances/{started.json['id']}").json["error"]
    assert error["message"].startswith("流程在一次推进中执行了超过 300 个步骤（停在“")
    assert error["bpmn_id"] in {"count", "again"}


class TestUnbudgeted:
    @pytest.fixture
    def config_overrides(self):
        return {"ENGINE_STEP_BUDGET": 10**9, "ENGINE_TIME_LIMIT": 60.0}

    def test_a_loop_deeper_than_the_engine_can_follow_waits_in_error_instead_of_reading_as_completed(self, api_as):
        designer = api_as("admin")
        assert designer.post("/api/processes/deploy", {"files": files(runaway=definitions(LOOP, pid="runaway"))}
                             ).status_code == 201
        started = designer.post("/api/instances", {"process_id": "runaway"})
        assert started.status_code == 201 and started.json["status"] == "error", started.json
        error = designer.get(f"/api/instances/{started.json['id']}").json["error"]
        assert error["message"].startswith("流程沿一条路径循环了约 990 步"), error


class TestTimeLimit:
    @pytest.fixture
    def config_overrides(self):
        return {"ENGINE_STEP_BUDGET": 10**9, "ENGINE_TIME_LIMIT": 2.0}

    def test_a_runaway_stops_at_the_time_limit_and_never_blocks_another_users_write(self, api_as, deploy, session):
        designer, town = api_as("admin"), api_as("zhenjie")
        slow = loop("n = n + 1\nwaste = sum(range(300000))")  # each round takes a while; the loop never ends
        bundle = files(runaway=definitions(slow, pid="runaway"), simple=definitions(process(), pid="simple"))
        bundle["simple_form.json"] = form().decode()
        assert designer.post("/api/processes/deploy", {"files": bundle}).status_code == 201
        other = town.post("/api/instances", {"process_id": "simple"}).json["id"]
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == other))
        results = {}

        def run_away():
            results["runaway"] = designer.post("/api/instances", {"process_id": "runaway"})

        thread = threading.Thread(target=run_away)
        thread.start()
        thread.join(0.5)  # the runaway is deep in its advance now
        completed = town.post(f"/api/tasks/{task_id}/complete", {"data": {"note": "照常办理"}})
        runaway_still_running = thread.is_alive()
        thread.join(30)
        assert completed.status_code == 200, completed.json
        runaway = results["runaway"]
        assert runaway.status_code == 201 and runaway.json["status"] == "error", runaway.json
        assert "运行超过 2 秒" in designer.get(f"/api/instances/{runaway.json['id']}").json["error"]["message"]
        if PG_URL:  # one row lock per instance: the other user's write never waited for the runaway
            assert runaway_still_running, "the completion had to wait for the runaway"
