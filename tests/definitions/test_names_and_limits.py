"""Ids, file names, size limits and the reading of timers, at the validation boundary (no database needed)."""

import json
from dataclasses import replace

import pytest

from app.config import Config
from app.definitions.expressions import juel_to_python
from app.definitions.limits import DefinitionLimits
from app.definitions.validation import Catalogue, validate_bundle
from app.domain.people import ROLES
from app.errors import DefinitionInvalid
from app.workflow.services import registry
from tests.helpers import bundle, definitions, form, process, script_task, user_task

LIMITS = DefinitionLimits.from_config(Config)


def catalogue(**limits):
    return Catalogue(roles=dict(ROLES), services={}, limits=replace(LIMITS, **limits))


def problems_of(files, **limits):
    with pytest.raises(DefinitionInvalid) as caught:
        validate_bundle(files, catalogue(**limits))
    return caught.value.problems


@pytest.mark.parametrize("pid,task_id", [("Process_0k3-xy", "Activity_1a-b"), ("_private.v2", "_task.1"),
                                         ("流程一", "任务-审核"), ("sid-7E2B6A6A-3F5C-4F57", "sid-1C0F.task")])
def test_any_xml_name_is_an_id(pid, task_id):
    middle = user_task(task_id=task_id)
    valid = validate_bundle(bundle(definitions(process(pid=pid, middle=middle))), catalogue())
    assert list(valid.parsed.process_files) == [pid]


def test_folders_are_dropped_and_known_kinds_accepted():
    files = {"up/load/a.bpmn20.xml": definitions(process(pid="a")).encode(),
             "C:\\forms\\simple_form.form": form(), "nested/simple.dmn.bak": b"x"}
    (problem,) = problems_of(files)
    assert problem.file == "simple.dmn.bak" and "只接受 .bpmn、.bpmn20.xml、.dmn、.form、.json" in problem.message
    del files["nested/simple.dmn.bak"]
    valid = validate_bundle(files, catalogue())
    assert sorted(valid.files) == ["a.bpmn20.xml", "simple_form.form"] and list(valid.forms) == ["simple_form"]


def test_two_files_that_end_up_with_one_name_are_refused():
    found = problems_of({"a/simple.bpmn": definitions(process()).encode(), "b/simple.bpmn": definitions(process()).encode(),
                         "simple_form.json": form()})
    assert any("文件名重复：simple.bpmn" in p.message for p in found)


@pytest.mark.parametrize("limits,expected", [
    ({"max_diagram_bytes": 500}, "超过上限 500 字节（设置项 TIANCHANG_MAX_DIAGRAM_BYTES）"),
    ({"max_diagram_elements": 10}, "超过上限 10 个（设置项 TIANCHANG_MAX_DIAGRAM_ELEMENTS）"),
    ({"max_flow_nodes": 2}, "流程过大，3 个节点，超过上限 2 个（设置项 TIANCHANG_MAX_FLOW_NODES）"),
    ({"max_form_bytes": 100}, "超过上限 100 字节（设置项 TIANCHANG_MAX_FORM_BYTES）"),
    ({"max_form_components": 0}, "超过上限 0 个（设置项 TIANCHANG_MAX_FORM_COMPONENTS）"),
    ({"max_form_text": 1}, "超过上限 1 个（设置项 TIANCHANG_MAX_FORM_TEXT）"),
])
def test_each_size_limit_names_its_setting(limits, expected):
    found = problems_of(bundle(), **limits)
    assert any(expected in p.message for p in found), [p.message for p in found]


def test_a_bundle_of_documentation_processes_only_is_valid():
    text = definitions(process(pid="doc").replace('isExecutable="true"', 'isExecutable="false"'))
    valid = validate_bundle(bundle(text, forms={}), catalogue())
    assert valid.parsed.process_files == {} and valid.parsed.non_executable == {"doc": "simple.bpmn"}


def call(called, task_id="call"):
    return (f'<bpmn:callActivity id="{task_id}" name="调用" calledElement="{called}"><bpmn:incoming>f1</bpmn:incoming>'
            f'<bpmn:outgoing>f2</bpmn:outgoing></bpmn:callActivity>')


def test_a_call_that_cannot_be_made_is_reported_on_the_call_activity():
    doc = process(pid="doc").replace('isExecutable="true"', 'isExecutable="false"')
    found = problems_of(bundle(definitions(process(pid="caller", middle=call("nowhere")))
                               + "", forms={}) | {"doc.bpmn": definitions(doc, pid="doc").encode(),
                                                   "second.bpmn": definitions(process(pid="second", middle=call("doc")),
                                                                              pid="second").encode()})
    messages = {(p.file, p.element_id): p.message for p in found}
    assert messages[("simple.bpmn", "call")] == "调用活动“调用”（call）：调用的流程 nowhere 不在本次部署中"
    assert messages[("second.bpmn", "call")].endswith("调用的流程 doc 在图中标为不可执行（isExecutable=\"false\"）")


def test_xsd_violations_are_all_listed():
    text = definitions(process()).replace('<bpmn:endEvent id="end">', '<bpmn:endEvent id="end" colour="red">')
    text = text.replace('<bpmn:sequenceFlow id="f2"', '<bpmn:sequenceFlow id="f 2"')
    found = [p for p in problems_of(bundle(text)) if "规范" in p.message]
    assert {p.element_id for p in found} >= {"end"} and len(found) >= 2
    assert any("不允许属性 colour" in p.message for p in found)


def test_a_broken_decision_is_reported_on_its_table_only():
    from tests.conftest import bundle_files

    files = bundle_files("constructs")
    files["grade.dmn"] = files["grade.dmn"].replace('<text>"高"</text>'.encode(), b"<text>((</text>")
    with pytest.raises(DefinitionInvalid) as caught:
        validate_bundle(files, Catalogue(roles=dict(ROLES), services=registry.catalogue(), limits=LIMITS))
    found = caught.value.problems
    assert {(p.file, p.element_id) for p in found} == {("grade.dmn", "r_high_out")}, [(p.file, p.message) for p in found]
    assert found[0].message.startswith("输出条目（r_high_out）：决策表输出“((”不是有效的表达式")


@pytest.mark.parametrize("kind,text", [("timeDate", "2026-03-01T09:00:00+08:00"), ("timeDuration", "P1DT2H"),
                                       ("timeCycle", "R3/PT10M")])
def test_a_bare_iso_timer_value_is_read_as_its_literal(kind, text):
    timer = (f'<bpmn:intermediateCatchEvent id="t" name="等"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2'
             f'</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:{kind}>{text}</bpmn:{kind}></bpmn:timerEventDefinition>'
             f'</bpmn:intermediateCatchEvent>')
    valid = validate_bundle(bundle(definitions(process(middle=timer)), forms={}), catalogue())
    (warning,) = valid.warnings
    assert warning.element_id == "t" and f"已按字面值 {json.dumps(text)} 读取" in warning.message


def test_a_timer_expression_is_left_as_python():
    timer = ('<bpmn:intermediateCatchEvent id="t"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>'
             '<bpmn:timerEventDefinition><bpmn:timeDate>add_days(now(), 3)</bpmn:timeDate></bpmn:timerEventDefinition>'
             '</bpmn:intermediateCatchEvent>')
    assert validate_bundle(bundle(definitions(process(middle=timer)), forms={}), catalogue()).warnings == []


@pytest.mark.parametrize("juel,python", [
    ("${amount > 1000 && !approved}", "amount > 1000 and not approved"),
    ("${status eq 'open' || priority ge 3}", "status == 'open' or priority >= 3"),
    ("#{empty items}", "not items"), ("${flag == true}", "flag == True"), ("${x != null}", "x != None"),
    ("amount > 1000", None),
])
def test_juel_reads_as_its_python_equivalent(juel, python):
    assert juel_to_python(juel) == python


def test_a_script_with_juel_inside_is_refused_but_a_string_that_mentions_it_is_not():
    found = problems_of(bundle(definitions(process(middle=script_task("s", "label = 'a' + ${x}"))), forms={}))
    assert any(p.element_id == "s" and "含有 JUEL 表达式" in p.message for p in found)
    fine = script_task("s", "label = 'costs ${x}'")
    assert validate_bundle(bundle(definitions(process(middle=fine)), forms={}), catalogue())


def test_an_event_based_gateway_races_at_most_one_timer():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "bundles" / "portable" / "event_gateway.bpmn").read_text()
    text = text.replace('<bpmn:messageEventDefinition id="Message_def_reply" messageRef="Message_reply" />',
                        '<bpmn:timerEventDefinition><bpmn:timeDuration>"PT30M"</bpmn:timeDuration></bpmn:timerEventDefinition>')
    (problem,) = [p for p in problems_of({"race.bpmn": text.encode()}) if p.is_error]
    assert problem.element_id == "Gateway_race" and "事件网关后有 2 个定时器" in problem.message


@pytest.mark.parametrize("source", ["label = 'a' + #{x}", "total = ${a} + 1"])
def test_juel_opened_by_a_dollar_or_a_hash_anywhere_in_a_script_is_refused(source):
    """One pattern (app/definitions/expressions.JUEL_OPENING) for the script check and the assignee check."""
    found = problems_of(bundle(definitions(process(middle=script_task("s", source))), forms={}))
    assert any(p.element_id == "s" and "含有 JUEL 表达式" in p.message for p in found)
