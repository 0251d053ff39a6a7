"""Running scenario tests: in a worker process on an isolated database, failures in Chinese, recorded scenarios."""

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from freezegun import api as freezegun_api
from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.domain import access
from app.domain.people import User
from app.workflow import instances, tasks
from app.workflow.deployments import read_bundle_dir
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.scenario_tests import record_scenario, run_scenarios
from tests.helpers import bundle, definitions, process, script_task, user_task

ROOT = Path(__file__).resolve().parents[2]
MIDDLE = (script_task("stamp", "stamped = now()", outgoing="f3") + '<bpmn:sequenceFlow id="f3" sourceRef="stamp" '
          'targetRef="work" />\n' + user_task(incoming="f3"))
START = {"role": "town_staff", "org": "tongcheng", "data": {}}


def scenario(scenario_id, steps, expect, **extra):
    return {"id": scenario_id, "name": scenario_id, "start": START, "steps": steps, "expect": expect, **extra}


def simple_bundle(*scenarios):
    files = bundle(definitions(process(middle=MIDDLE)))
    files["simple.scenarios.json"] = json.dumps({"process": "simple", "scenarios": list(scenarios)},
                                                ensure_ascii=False).encode()
    return files


def with_failing_process(files):
    """A second process whose script divides by zero: the engine's error is the designer's to read."""
    files["boom.bpmn"] = definitions(process(pid="boom", name="出错流程", middle=script_task("explode", "x = 1 / 0")),
                                     pid="boom").encode()
    files["boom.scenarios.json"] = json.dumps({"process": "boom", "scenarios": [
        scenario("explodes", [], {"status": "completed"}), scenario("expected_to_explode", [], {"status": "error"})]},
        ensure_ascii=False).encode()
    return files


def instance_count(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(ProcessInstance))


def by_id(results):
    return {r["scenario"]: r for r in results}


WORK = {"complete": "work", "role": "town_staff", "data": {"note": "好"}}


def test_scenarios_run_apart_and_tell_what_differed(session):
    before_wall, before_instances = time.time(), instance_count(session)
    results = by_id(run_scenarios(session, with_failing_process(simple_bundle(
        scenario("passes", [WORK], {"status": "completed", "path": ["start", "stamp", "work", "end"],
                                    "path_exact": True, "data": {"note": "好", "stamped": "2026-03-02T01:30:00+00:00"}}),
        scenario("own_clock", [], {"status": "running", "open_tasks": ["work"],
                                   "data": {"stamped": "2027-01-04T02:00:00+00:00"}},
                 clock="2027-01-04T10:00:00"),
        scenario("wrong_end", [WORK], {"status": "running", "path": ["work", "stamp"], "data": {"note": "坏", "x": 1},
                                       "open_tasks": ["work"]}),
        scenario("twice", [WORK, WORK], {"status": "completed"}),
        scenario("bad_data", [{"complete": "work", "role": "town_staff", "data": {"note": 3}}], {}),
        scenario("nobody_fits", [{"complete": "work", "role": "town_staff", "org": "qinlan", "data": {"note": "好"}}],
                 {}),
    ))))
    assert instance_count(session) == before_instances, "the caller's database saw no instance"
    assert session.scalar(select(User).where(User.username.like("scenario-%"))) is None, "nor the users made there"
    assert freezegun_api.freeze_factories == [] and 0 <= time.time() - before_wall < 120, \
        "the caller's clock was never frozen (the scenarios ran on 2026-03-02 and 2027-01-04 elsewhere)"
    assert results["passes"]["passed"] and results["passes"]["failures"] == [], results["passes"]
    assert results["passes"]["path"] == ["start", "stamp", "work", "end"]
    assert results["passes"]["status"] == "completed" and results["passes"]["duration_ms"] > 0
    assert results["own_clock"]["passed"], results["own_clock"]["failures"]
    assert results["wrong_end"]["failures"] == [
        "结束状态应为“运行中”，实际为“已完成”",
        "路径中 work 之后没有经过 stamp（实际路径：start → stamp → work → end）",
        "数据 note 应为 \"坏\"，实际为 \"好\"",
        "数据中没有 x（应为 1）",
        "待办任务应为 work，实际为 无",
    ]
    assert results["twice"]["failures"] == ["第 2 步：任务 work 当前没有待办（当前待办：无）"]
    assert results["twice"]["status"] == "completed"
    (bad,) = results["bad_data"]["failures"]
    assert bad.startswith("第 1 步（完成 work）失败：") and "note" in bad
    (nobody,) = results["nobody_fits"]["failures"]
    assert nobody == ("第 1 步：角色为 town_staff、单位为 qinlan 的用户不是任务 work 待办的候选人"
                      "（候选：town_staff@tongcheng）"), nobody
    (error,) = results["explodes"]["failures"]
    assert error.startswith("发起后流程出错：") and results["explodes"]["status"] == "error", error
    assert results["expected_to_explode"]["passed"], results["expected_to_explode"]["failures"]
    assert not any(r["passed"] for name, r in results.items() if name not in ("passes", "own_clock",
                                                                              "expected_to_explode"))


def test_a_bundle_that_does_not_validate_fails_every_scenario_with_the_reason(session):
    files = simple_bundle(scenario("a", [WORK], {}), scenario("b", [{"complete": "nowhere", "role": "town_staff"}], {}))
    results = run_scenarios(session, files)
    assert [(r["scenario"], r["passed"]) for r in results] == [("a", False), ("b", False)]
    for result in results:
        (failure, problem) = result["failures"]
        assert failure.startswith("流程包未通过校验，不能运行场景：部署被拒绝")
        assert problem == "simple.scenarios.json：场景“b”第 1 步：任务 nowhere 不在流程 simple 中"
    unreadable = simple_bundle(scenario("a", [WORK], {}), scenario("b", [{"wait": "soon"}], {}))
    (result,) = run_scenarios(session, unreadable)
    assert result["scenario"] == "a" and not result["passed"], "a scenario that does not read is not run"
    assert result["failures"][1] == "simple.scenarios.json：场景“b”第 1 步：等待时长“soon”不是 ISO 8601 时长（如 PT3H、P2D）"
    broken = {**simple_bundle(scenario("a", [WORK], {})), "simple_form.json": b"{"}
    (result,) = run_scenarios(session, broken, only_process="simple")
    assert not result["passed"] and any(f.startswith("simple_form.json：") for f in result["failures"])
    assert run_scenarios(session, bundle()) == [], "no scenario file, nothing to run"
    assert run_scenarios(session, files, only_process="other") == []


def test_a_run_past_its_time_limit_fails_with_the_reason(session):
    (result,) = run_scenarios(session, simple_bundle(scenario("slow", [WORK], {})), timeout=0.05)
    assert not result["passed"]
    assert result["failures"] == ["场景测试超过时限 0.05 秒，已停止：本场景没有运行完"]


MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": [], "photos": []}


def drive(session, runtime, user, clock):
    """A fishing case through the real operations: one department rejects, 编办 coordinates, a supervision case."""
    def complete(element, username, data):
        session.expire_all()
        task = next(t for t in session.scalars(select(HumanTask).where(
            HumanTask.bpmn_id == element, HumanTask.status == "open").order_by(HumanTask.id))
            if access.work_refusal(user(username), t) is None)
        tasks.complete_task(session, runtime, user(username), task.id, data)
        session.commit()

    instance = instances.start_instance(session, runtime, user("wangge"), "call_response", FISHING)
    session.commit()
    clock.tick(timedelta(minutes=40))
    complete("respond", "nongye", {"decision": "accept"})
    complete("respond", "gongan", {"decision": "reject", "reason": "不属于本单位职责"})
    complete("decide", "wangge", {"choice": "forward"})
    clock.tick(timedelta(hours=3))
    complete("negotiate", "ducha", {"agreed": "no", "responsible": "department", "summary": "认识不一"})
    complete("coordinate", "bianban", {"responsible": "department", "basis_kind": "list", "basis_note": "清单 P-0001"})
    complete("rectify", "gongan", {"measures": "联合夜巡", "result": "已查处"})
    clock.tick(timedelta(days=4))  # past the handle limit: the inaction timers fire, two more cases open
    assert tick(lambda: Session(session.get_bind()), runtime).fired >= 1
    complete("handle", "nongye", {"action": "done", "result": "立案查处"})
    return instance


def test_a_scenario_recorded_from_a_real_instance_plays_back_green(session, runtime, user, procedures):
    with freeze_time(MONDAY) as clock:
        instance = drive(session, runtime, user, clock)
    recorded = record_scenario(session, instance.id, runtime)
    assert recorded["clock"] == "2026-03-02T01:00:00+00:00"
    assert recorded["start"] == {"role": "grid", "org": "tongcheng_gaoyouhu", "data": FISHING}
    assert recorded["steps"][:2] == [{"wait": "PT40M"}, {"complete": "respond", "role": "dept_staff", "org": "nongye",
                                                         "data": {"decision": "accept"}}]
    assert {"wait": "P4D"} in recorded["steps"] and any(s.get("complete") == "rectify" for s in recorded["steps"])
    assert recorded["expect"]["status"] == "running"
    assert recorded["expect"]["path"] == ["respond", "respond", "decide", "negotiate", "coordinate", "handle"]
    assert "handle" in recorded["expect"]["open_tasks"] and "rectify" in recorded["expect"]["open_tasks"]
    assert recorded["expect"]["data"]["item_code"] == "P-0001"
    files = read_bundle_dir(ROOT / "processes", ROOT / "forms")
    files["call_response.scenarios.json"] = json.dumps({"process": "call_response", "scenarios": [recorded]},
                                                       ensure_ascii=False).encode()
    count = instance_count(session)
    (result,) = run_scenarios(session, files, only_process="call_response")
    assert result["passed"], result["failures"]
    assert instance_count(session) == count
    assert record_scenario(session, instance.id)["expect"] == recorded["expect"], "Config's defaults read it too"
