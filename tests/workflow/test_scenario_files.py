"""Scenario test files (`<process>.scenarios.json`): their shape, their check against the bundle, at deploy."""

import json

import pytest

from app.definitions.files import file_kind
from app.definitions.scenario_files import Expect, compare_end, read_scenario_file
from app.definitions.validation import validate_bundle
from app.errors import DefinitionInvalid
from app.workflow.deployments import catalogue, deploy_files
from tests.helpers import bundle

SCENARIO = {"id": "done", "name": "办理", "start": {"role": "town_staff", "org": "tongcheng", "data": {}},
            "steps": [{"complete": "work", "role": "town_staff", "data": {"note": "好"}}],
            "expect": {"status": "completed", "path": ["start", "work", "end"], "data": {"note": "好"}}}


def scenario_file(*scenarios, process="simple"):
    return json.dumps({"process": process, "scenarios": list(scenarios) or [SCENARIO]}, ensure_ascii=False).encode()


def with_scenarios(content, name="simple.scenarios.json"):
    return {**bundle(), name: content}


def messages(runtime, files):
    with pytest.raises(DefinitionInvalid) as refused:
        validate_bundle(files, catalogue(runtime))
    return [p.message for p in refused.value.problems if p.is_error]


def test_a_scenario_file_is_its_own_kind_not_a_form():
    assert file_kind("call_response.scenarios.json") == "scenario"
    assert file_kind("call_form.json") == "form"


def test_a_good_file_reads_and_deploys(app, session, runtime, user):
    process, scenarios, problems = read_scenario_file("simple.scenarios.json", scenario_file())
    assert (process, problems) == ("simple", [])
    (scenario,) = scenarios
    assert (scenario.id, scenario.start.role, scenario.steps[0].complete, scenario.expect.path) == (
        "done", "town_staff", "work", ("start", "work", "end"))
    deployment, created = deploy_files(session, runtime, user("admin"), with_scenarios(scenario_file()))
    assert created and "simple.scenarios.json" in {f.name for f in deployment.files}
    assert {f.kind for f in deployment.files} == {"bpmn", "form", "scenario"}


def test_a_step_for_a_task_not_in_the_process_refuses_the_deploy(app, session, runtime, user):
    wrong = dict(SCENARIO, name="紧急呼叫", steps=[{"wait": "PT1H"}, {"complete": "respond", "role": "town_staff"}])
    files = with_scenarios(scenario_file(wrong))
    assert messages(runtime, files) == ["场景“紧急呼叫”第 2 步：任务 respond 不在流程 simple 中"]
    with pytest.raises(DefinitionInvalid) as refused:
        deploy_files(session, runtime, user("admin"), files)
    assert refused.value.problems[0].file == "simple.scenarios.json"
    assert refused.value.problems[0].element_id == "respond"


def test_every_malformed_part_is_named(app, runtime):
    wrong = {"id": "9x", "name": "坏", "clock": "明天", "colour": "red",
             "start": {"org": "tongcheng", "data": []},
             "steps": [{"complete": "start", "role": "town_staff"}, {"wait": "3 hours"}, {"complete": "work",
                       "wait": "PT1H"}, {"complete": "work", "role": "nobody"}, "x"],
             "expect": {"status": "done", "path": ["work", "nowhere"], "path_exact": "yes", "open_tasks": ["end"]}}
    found = messages(runtime, with_scenarios(scenario_file(wrong)))
    assert found == [
        "场景“坏”：有未知的键“colour”",
        "场景“坏”：场景编号“9x”应以字母或下划线开头，只含字母、数字、_ - .，不超过 64 个字符",
        "场景“坏”：时钟“明天”不是 ISO 8601 时间（如 2026-03-02T09:30:00+08:00）",
        "场景“坏”的发起：“data”应为对象（{…}）",
        "场景“坏”的发起：应写明角色 role（或用户 user）",
        "场景“坏”第 2 步：等待时长“3 hours”不是 ISO 8601 时长（如 PT3H、P2D）",
        "场景“坏”第 3 步：每一步应写“complete”（完成任务）或“wait”（等待）之一",
        "场景“坏”第 5 步：每一步应写“complete”（完成任务）或“wait”（等待）之一",
        "场景“坏”的预期结果：“path_exact”应为true 或 false",
        "场景“坏”的预期结果：结束状态 done 不存在（可用：running、suspended、error、completed、terminated）",
    ]


def test_roles_elements_and_the_process_are_checked_against_the_bundle(app, runtime):
    wrong = dict(SCENARIO, steps=[{"complete": "start", "role": "town_staff"}, {"complete": "work", "role": "nobody"}],
                 expect={"path": ["work", "nowhere"], "open_tasks": ["end"]})
    assert messages(runtime, with_scenarios(scenario_file(wrong))) == [
        "场景“办理”第 2 步：角色 nobody 不存在",
        "场景“办理”第 1 步：start 不是人工任务（用户任务、手工任务或任务），不能由人完成",
        "场景“办理”：end 不是人工任务（用户任务、手工任务或任务），不能由人完成",
        "场景“办理”：路径中的 nowhere 不在流程 simple 中",
    ]
    assert messages(runtime, with_scenarios(scenario_file(process="other"), "other.scenarios.json")) == [
        "场景文件：流程 other 不在本次部署中"]


def test_the_file_itself(app, runtime):
    assert messages(runtime, with_scenarios(b'{"process": "simple", "scenarios": [}')) == [
        "场景文件不是有效的 JSON（第 1 行第 37 列）"]
    assert messages(runtime, with_scenarios(scenario_file(process="simple"), "other.scenarios.json"))[0] == (
        "场景文件：它测试流程 simple，文件应命名为“simple.scenarios.json”（现为 other 的场景文件）")
    assert messages(runtime, with_scenarios(b'{"process": "simple", "scenarios": []}')) == [
        "场景文件：没有场景：scenarios 应列出至少一个场景"]
    assert messages(runtime, with_scenarios(b'[]')) == ["场景文件：应为 JSON 对象（{…}）"]
    assert messages(runtime, with_scenarios(b'{}')) == ["场景文件：缺少“process”", "场景文件：缺少“scenarios”"]
    twice = scenario_file(SCENARIO, dict(SCENARIO, name="又一次"))
    assert messages(runtime, with_scenarios(twice)) == ["场景“又一次”：场景编号“done”重复"]


def test_the_end_is_compared_as_written():
    expect = Expect(status="completed", path=("a", "c"), data={"n": 1, "flag": True, "call": {"status": "closed"}},
                    open_tasks=("x",))
    assert compare_end(expect, "completed", ["a", "b", "c"], {"n": 1, "flag": True, "call": {"status": "closed",
                                                                                            "x": 2}}, ["x", "x"]) == []
    assert compare_end(expect, "running", ["c", "a"], {"n": 2, "flag": 1, "call": {}}, []) == [
        "结束状态应为“已完成”，实际为“运行中”",
        "路径中 a 之后没有经过 c（实际路径：c → a）",
        "数据 n 应为 1，实际为 2",
        "数据 flag 应为 true，实际为 1",
        "数据中没有 call.status（应为 \"closed\"）",
        "待办任务应为 x，实际为 无",
    ]
    exact = Expect(path=("a", "b"), path_exact=True)
    assert compare_end(exact, "completed", ["a", "b", "c"], {}, []) == ["路径应为 a → b，实际为 a → b → c"]
    assert compare_end(Expect(path=("z",)), "completed", ["a"], {}, []) == ["路径中没有经过 z（实际路径：a）"]
