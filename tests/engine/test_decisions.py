"""Trying a decision table in the studio gives what a business rule task merges when an instance runs it."""

from pathlib import Path

import pytest

from app.config import Config
from app.engine.decisions import decision_cell_problems, evaluate_decision
from app.engine.parser import DiagramLimits, parse_bundle
from app.engine.runner import Engine, EngineFailure, RunLimits
from app.engine.scripting import Limits, Sandbox

ROOT = Path(__file__).resolve().parents[2]
LIMITS = Limits(Config.SCRIPT_TIME_LIMIT, Config.SCRIPT_SIZE_LIMIT)
DEADLINES = (ROOT / "processes" / "call_deadlines.dmn").read_bytes()
GRADE = (ROOT / "processes" / "supervision_grade.dmn").read_bytes()
COLLECTED = GRADE.replace(b'hitPolicy="FIRST"', b'hitPolicy="COLLECT"')

CALLER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_caller" targetNamespace="http://t">
<bpmn:process id="caller" isExecutable="true">
<bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
<bpmn:businessRuleTask id="decide" name="查表"><bpmn:extensionElements>
<spiffworkflow:calledDecisionId>{decision}</spiffworkflow:calledDecisionId></bpmn:extensionElements><bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing></bpmn:businessRuleTask>
<bpmn:userTask id="after" name="查看"><bpmn:incoming>b</bpmn:incoming><bpmn:outgoing>c</bpmn:outgoing></bpmn:userTask>
<bpmn:endEvent id="end"><bpmn:incoming>c</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="a" sourceRef="start" targetRef="decide" />
<bpmn:sequenceFlow id="b" sourceRef="decide" targetRef="after" />
<bpmn:sequenceFlow id="c" sourceRef="after" targetRef="end" />
</bpmn:process></bpmn:definitions>"""


def sandbox():
    return Sandbox(limits=LIMITS, helpers={"today": lambda: "2026-03-02"})


def run_task(dmn, decision_id, data):
    """The data after a real business rule task ran over `data` in the engine, or the failure's message."""
    files = {"table.dmn": dmn, "caller.bpmn": CALLER.format(decision=decision_id).encode()}
    bundle = parse_bundle(files, DiagramLimits(Config.MAX_FLOW_NODES, None, None))
    engine = Engine(RunLimits.from_config(Config))
    engine.register("caller", *bundle.spec("caller"))
    run = engine.start("caller", dict(data), sandbox(), lambda operation, params: None)
    try:
        run.advance()
    except EngineFailure as failure:
        return failure.failure.message
    [ready] = run.ready_tasks()
    return ready.data


CALLS = [{"urgency": u, "call": {"response_hours": h, "handle_days": d}}
         for u in ("urgent", "normal", "") for h, d in ((1, 1), (4, 5), (24, 10))]
CASES = [{"reason": r, "lateness_hours": late} for r in ("no_response", "inaction", "late", "") for late in (0, 24, 25, 72, 73)]


@pytest.mark.parametrize("data", CALLS)
def test_call_deadlines_gives_what_the_business_rule_task_merges(data):
    tried = evaluate_decision(DEADLINES, "call_deadlines", data, sandbox=sandbox())
    assert tried["error"] is None
    assert run_task(DEADLINES, "call_deadlines", data) == {**data, **tried["result"]}


@pytest.mark.parametrize("dmn", [GRADE, COLLECTED], ids=["first", "collect"])
@pytest.mark.parametrize("data", CASES)
def test_supervision_grade_gives_what_the_business_rule_task_merges(dmn, data):
    tried = evaluate_decision(dmn, "supervision_grade", data, sandbox=sandbox())
    assert tried["error"] is None
    assert run_task(dmn, "supervision_grade", data) == {**data, **tried["result"]}


def test_matched_and_applied_rules_by_number():
    urgent = evaluate_decision(DEADLINES, "call_deadlines", CALLS[1], sandbox=sandbox())
    assert urgent == {"result": {"response_hours": 2, "handle_days": 2}, "matched": [1, 2], "applied": [1], "error": None}
    normal = evaluate_decision(DEADLINES, "call_deadlines", CALLS[4], sandbox=sandbox())
    assert normal == {"result": {"response_hours": 4, "handle_days": 5}, "matched": [2], "applied": [2], "error": None}
    silent = {"reason": "inaction", "lateness_hours": 30}
    assert evaluate_decision(GRADE, "supervision_grade", silent, sandbox=sandbox())["result"] == {"grade": "yellow"}
    collected = evaluate_decision(COLLECTED, "supervision_grade", silent, sandbox=sandbox())
    assert collected == {"result": {"grade": ["yellow", "yellow", "blue"]}, "matched": [2, 3, 4], "applied": [2, 3, 4],
                         "error": None}


def test_no_rule_matching_gives_nothing_to_merge():
    strict = GRADE.replace(b'<inputEntry id="rule_blue_in2"><text></text>', b'<inputEntry id="rule_blue_in2"><text>&lt; 0</text>')
    tried = evaluate_decision(strict, "supervision_grade", {"reason": "late", "lateness_hours": 1}, sandbox=sandbox())
    assert tried == {"result": {}, "matched": [], "applied": [], "error": None}


def test_a_failing_cell_names_its_rule_as_the_running_task_fails():
    tried = evaluate_decision(DEADLINES, "call_deadlines", {"urgency": "normal"}, sandbox=sandbox())
    assert tried["result"] is None and tried["matched"] == [2]
    assert tried["error"] == "第 2 条规则计算出错：用到了没有定义的名称（NameError：name 'call' is not defined）"
    assert "call" in run_task(DEADLINES, "call_deadlines", {"urgency": "normal"})
    refused = GRADE.replace(b"&gt; 72", b"().__class__")
    tried = evaluate_decision(refused, "supervision_grade", CASES[0], sandbox=sandbox())
    assert tried["error"].startswith("第 1 条规则计算出错：")


def test_what_cannot_be_tried_is_said_never_raised():
    def error(dmn, decision_id="supervision_grade", data=None):
        return evaluate_decision(dmn, decision_id, CASES[0] if data is None else data, sandbox=sandbox())["error"]
    assert error(GRADE, "call_deadlines") == "文件中没有决策“call_deadlines”"
    assert error(GRADE, "x<y") == "文件中没有决策“x<y”"
    assert error(b"<definitions").startswith("XML 格式错误")
    assert error(b"") and error(b"<x/>")
    assert error(GRADE, data=[1]) == "输入数据必须是一个对象（名称 → 值）"
    assert "JSON" in error(GRADE, data={"when": object()})


def test_the_shipped_tables_have_no_cell_problems():
    for path in sorted((ROOT / "processes").glob("*.dmn")):
        assert decision_cell_problems(path.read_bytes(), path.name) == [], path.name


def test_cells_the_sandbox_refuses_are_named_by_table_rule_and_column():
    broken = GRADE.replace(b"&gt; 72", b"().__class__").replace(b"<text>lateness_hours</text>", b"<text>${late}</text>")
    problems = decision_cell_problems(broken, "supervision_grade.dmn")
    assert [(p.element_id, p.line) for p in problems] == [("in_lateness", 8), ("rule_red", 15)]
    assert problems[0].message.startswith("决策表“督办等级”输入列“超时（小时）”：无法编译：")
    assert problems[1].message.startswith("决策表“督办等级”第 1 条规则“超时（小时）”列：无法编译：")
    assert all(p.file == "supervision_grade.dmn" and p.is_error for p in problems)


def test_what_parsing_refuses_is_the_file_problem():
    [problem] = decision_cell_problems(GRADE.replace(b'"blue"', b'"blue" +'), "grade.dmn")
    assert problem.element_id == "rule_blue_out" and "不是有效的表达式" in problem.message
    [problem] = decision_cell_problems(b"<definitions", "grade.dmn")
    assert problem.message.startswith("XML 格式错误")
