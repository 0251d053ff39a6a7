"""The semantic diff over the shipped procedures: what a reviewer reads when a designer changes them."""

import json
import re
from pathlib import Path

import pytest

from app.definitions.diff import semantic_diff

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    files = {p.name: p.read_bytes() for p in sorted((ROOT / "processes").iterdir()) if p.suffix in {".bpmn", ".dmn"}}
    files.update({p.name: p.read_bytes() for p in sorted((ROOT / "forms").glob("*.json"))})
    return files


def edited(files, name, old, new, count=1):
    """The bundle with `old` replaced by `new` in one file (the text must be there, `count` times)."""
    text = files[name].decode("utf-8")
    assert text.count(old) == count, (name, old)
    return {**files, name: text.replace(old, new).encode("utf-8")}


def edited_form(files, name, change):
    form = json.loads(files[name])
    change(form)
    return {**files, name: json.dumps(form, ensure_ascii=False, indent=2).encode("utf-8")}


def test_the_same_bundle_has_no_changes(shipped):
    diff = semantic_diff(shipped, dict(shipped))
    assert diff["lines"] == [] and diff["changed_elements"] == {}
    assert diff["processes"] == diff["forms"] == diff["decisions"] == {}
    assert diff["files"] == {"added": [], "removed": [], "changed": [], "unreadable": []}


LEADER_REVIEW = ('<bpmn:sequenceFlow id="flow_confirm_review" sourceRef="confirm" targetRef="leader_review" />'
                 '<bpmn:userTask id="leader_review" name="镇领导审核"><bpmn:extensionElements><spiffworkflow:properties>'
                 '<spiffworkflow:property name="form" value="approve_reject_form" />'
                 '<spiffworkflow:property name="role" value="town_leader" /></spiffworkflow:properties>'
                 '</bpmn:extensionElements></bpmn:userTask>'
                 '<bpmn:sequenceFlow id="flow_review_rate" sourceRef="leader_review" targetRef="rate_handlers" />')


def test_an_added_task_and_its_flows(shipped):
    new = edited(shipped, "call_response.bpmn",
                 '<bpmn:sequenceFlow id="flow_confirm_rate_handlers" sourceRef="confirm" targetRef="rate_handlers" />',
                 LEADER_REVIEW)
    diff = semantic_diff(shipped, new)
    assert diff["lines"] == [
        "新增顺序流（flow_confirm_review）：用户任务“确认并评价”（confirm） → 用户任务“镇领导审核”（leader_review）",
        "新增用户任务“镇领导审核”（leader_review）",
        "新增顺序流（flow_review_rate）：用户任务“镇领导审核”（leader_review） → 服务任务“记录满意度”（rate_handlers）",
        "删除顺序流（flow_confirm_rate_handlers）：用户任务“确认并评价”（confirm） → 服务任务“记录满意度”（rate_handlers）",
    ]
    assert diff["changed_elements"] == {"call_response": ["flow_confirm_review", "leader_review", "flow_review_rate"]}
    process = diff["processes"]["call_response"]
    assert [e["id"] for e in process["added"]] == ["flow_confirm_review", "leader_review", "flow_review_rate"]
    assert process["added"][1] == {"id": "leader_review", "kind": "userTask", "name": "镇领导审核"}
    assert process["removed"] == [{"id": "flow_confirm_rate_handlers", "kind": "sequenceFlow", "name": None,
                                   "source": "confirm", "target": "rate_handlers", "condition": None}]
    assert diff["files"]["changed"] == ["call_response.bpmn"]


def test_a_changed_flow_condition(shipped):
    new = edited(shipped, "call_response.bpmn", "redo_count &lt; 2", "redo_count &lt; 3")
    diff = semantic_diff(shipped, new)
    assert diff["lines"] == ['顺序流“不满意且可重办”（flow_satisfied_mark_redo）：条件 grade == "不满意" and redo_count < 2'
                             ' → grade == "不满意" and redo_count < 3']
    [changed] = diff["processes"]["call_response"]["changed"]
    assert changed["changes"] == [{"aspect": "condition", "label": "条件", "old": 'grade == "不满意" and redo_count < 2',
                                   "new": 'grade == "不满意" and redo_count < 3'}]
    assert diff["changed_elements"] == {"call_response": ["flow_satisfied_mark_redo"]}


def test_a_removed_gateway_branch(shipped):
    new = edited(shipped, "call_response.bpmn", ' default="flow_satisfied_rate_call"', "")
    new = edited(new, "call_response.bpmn", '<bpmn:sequenceFlow id="flow_satisfied_rate_call" name="满意 / 基本满意" '
                 'sourceRef="satisfied" targetRef="rate_call" />', "")
    diff = semantic_diff(shipped, new)
    assert diff["lines"] == [
        "删除顺序流“满意 / 基本满意”（flow_satisfied_rate_call）：排他网关“是否重办？”（satisfied） → "
        "用户任务“评价呼叫”（rate_call）",
        "排他网关“是否重办？”（satisfied）：删除默认流（原为 顺序流“满意 / 基本满意”（flow_satisfied_rate_call））",
    ]
    assert diff["changed_elements"] == {"call_response": ["satisfied"]}


def test_changed_platform_properties_scripts_and_services(shipped):
    new = edited(shipped, "call_response.bpmn", '<spiffworkflow:property name="due" value="P2D" /><spiffworkflow:property '
                 'name="calendar" value="working" /><spiffworkflow:property name="kpi" value="evaluate" />',
                 '<spiffworkflow:property name="due" value="P3D" /><spiffworkflow:property name="kpi" value="evaluate" />')
    new = edited(new, "call_response.bpmn", 'value="location" />', 'value="location.strip()" />')
    new = edited(new, "call_response.bpmn", "redo_count = 0</bpmn:script>", "redo_count = 1</bpmn:script>")
    new = edited(new, "department_response.bpmn", ">response_due</bpmn:timeDate>", ">handle_due</bpmn:timeDate>")
    new = edited(new, "call_response.bpmn", '<bpmn:inputDataItem id="handler" name="handler" />',
                 '<bpmn:inputDataItem id="handler" name="handling_org" />')
    lines = semantic_diff(shipped, new)["lines"]
    assert "用户任务“确认并评价”（confirm）：期限（due） P2D → P3D" in lines
    assert "用户任务“确认并评价”（confirm）：删除日历（calendar）（原为 working）" in lines
    assert "服务任务“登记呼叫单”（open_call）：服务参数 location location → location.strip()" in lines
    assert "脚本任务“整理呼叫数据”（prepare）：脚本已修改" in lines
    assert "用户任务“重办”（redo）：多实例元素变量 handler → handling_org" in lines
    assert any(line.endswith("：定时器时间（timeDate） response_due → handle_due") for line in lines)


def test_a_form_field_made_optional_given_a_pattern_and_a_new_field(shipped):
    def change(form):
        location = next(c for c in form["components"] if c["key"] == "location")
        location["validate"] = {"maxLength": 200, "required": False, "pattern": "^[^<>]*$"}
        form["components"].append({"type": "textfield", "id": "coordinates_7", "key": "coordinates", "label": "现场坐标"})
    diff = semantic_diff(shipped, edited_form(shipped, "call_form.json", change))
    assert diff["lines"] == [
        "表单“call_form”新增字段“现场坐标”（coordinates）",
        "表单“call_form”字段“地点”（location）：必填 是 → 否",
        "表单“call_form”字段“地点”（location）：新增格式（正则表达式） ^[^<>]*$",
    ]
    form = diff["forms"]["call_form"]
    assert form["added"] == [{"key": "coordinates", "type": "textfield", "label": "现场坐标"}]
    assert [c["aspect"] for c in form["changed"][0]["changes"]] == ["validate.required", "validate.pattern"]
    assert form["layout_only"] == 0


def test_changed_options_read_by_label_and_value(shipped):
    def change(form):
        urgency = next(c for c in form["components"] if c["key"] == "urgency")
        urgency["values"].append({"label": "特急", "value": "critical"})
    assert semantic_diff(shipped, edited_form(shipped, "call_form.json", change))["lines"] == [
        "表单“call_form”字段“紧急程度”（urgency）：选项 一般（normal）、紧急（urgent） → "
        "一般（normal）、紧急（urgent）、特急（critical）"]


def test_reindented_or_reordered_form_fields_are_layout(shipped):
    diff = semantic_diff(shipped, edited_form(shipped, "call_form.json", lambda f: f["components"].reverse()))
    assert diff["lines"] == []
    assert diff["forms"]["call_form"]["layout_only"] == 6


def test_a_changed_decision_cell_and_an_added_rule(shipped):
    new = edited(shipped, "call_deadlines.dmn", '<outputEntry id="rule_normal_out1"><text>call["response_hours"]</text>',
                 '<outputEntry id="rule_normal_out1"><text>4</text>')
    new = edited(new, "supervision_grade.dmn", '<rule id="rule_blue">',
                 '<rule id="rule_orange"><inputEntry id="o1"><text>"inaction"</text></inputEntry><inputEntry id="o2">'
                 '<text>&gt; 48</text></inputEntry><outputEntry id="o3"><text>"orange"</text></outputEntry></rule>'
                 '<rule id="rule_blue">')
    diff = semantic_diff(shipped, new)
    assert diff["lines"] == [
        '决策表“呼叫时限”第 2 条规则：响应时限（工作小时） call["response_hours"] → 4',
        '决策表“督办等级”新增第 4 条规则（rule_orange）：督办原因 "inaction"；超时（小时） > 48；等级 "orange"',
    ]
    rules = diff["decisions"]["call_deadlines"]["rules"]
    assert rules["changed"] == [{"id": "rule_normal", "number": 2, "changes": [{
        "aspect": "cell:out_response_hours", "label": "响应时限（工作小时）", "old": 'call["response_hours"]', "new": "4"}]}]
    assert diff["decisions"]["supervision_grade"]["rules"]["added"] == [{"id": "rule_orange", "number": 4}]


def test_rules_without_shared_ids_compare_by_position_and_a_reorder_is_said(shipped):
    renumbered = edited(shipped, "supervision_grade.dmn", 'rule id="rule_', 'rule id="row_', count=4)
    assert semantic_diff(shipped, renumbered)["lines"] == []
    text = shipped["supervision_grade.dmn"].decode()
    red, yellow = (re.search(rf'<rule id="{r}">.*?</rule>', text, re.S).group(0) for r in ("rule_red", "rule_yellow_late"))
    swapped = {**shipped, "supervision_grade.dmn": text.replace(red, "@@").replace(yellow, red).replace("@@", yellow).encode()}
    assert semantic_diff(shipped, swapped)["lines"] == [
        "决策表“督办等级”的规则顺序改变（按命中策略可能改变结果）：rule_red、rule_yellow_late、rule_yellow_silent、rule_blue"
        " → rule_yellow_late、rule_red、rule_yellow_silent、rule_blue"]


def test_moving_shapes_is_layout_only(shipped):
    text = shipped["call_response.bpmn"].decode()
    moved = re.sub(r'(<dc:Bounds x=")(\d+)', lambda m: f"{m.group(1)}{int(m.group(2)) + 40}", text)
    moved = re.sub(r'(<di:waypoint x=")(\d+)', lambda m: f"{m.group(1)}{int(m.group(2)) + 40}", moved)
    diff = semantic_diff(shipped, {**shipped, "call_response.bpmn": moved.encode()})
    assert diff["lines"] == [] and diff["changed_elements"] == {}
    process = diff["processes"]["call_response"]
    assert process["added"] == process["removed"] == process["changed"] == []
    assert process["layout_only"] > 20
    assert diff["files"]["changed"] == ["call_response.bpmn"]


@pytest.mark.parametrize("content", [b"<bpmn:definitions", b"\x00\xff garbage", b"<html/>", b"",
                                     b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'])
def test_a_file_that_does_not_parse_is_said_never_raised(shipped, content):
    diff = semantic_diff(shipped, {**shipped, "call_response.bpmn": content})
    [line] = diff["lines"]
    assert line.startswith("文件“call_response.bpmn”无法解析，未比较其内容：")
    assert diff["processes"] == {} and diff["changed_elements"] == {}
    assert diff["files"]["unreadable"][0]["side"] == "new"
    back = semantic_diff({**shipped, "call_response.bpmn": content}, shipped)
    assert back["lines"][0].startswith("文件“call_response.bpmn”的原版本无法解析")


@pytest.mark.parametrize("content", [b"{not json", b'{"type": "default"}', b"[1, 2]", b"\xff\xfe"])
def test_a_form_file_that_is_not_form_js_is_said(shipped, content):
    diff = semantic_diff(shipped, {**shipped, "call_form.json": content})
    [line] = diff["lines"]
    assert line.startswith("文件“call_form.json”无法解析，未比较其内容：")
    assert diff["forms"] == {}


def test_odd_components_are_skipped_never_raised(shipped):
    diff = semantic_diff(shipped, {**shipped, "call_form.json": b'{"components": [1, "x", {"key": 3}, {"type": "group"}]}'})
    assert diff["files"]["unreadable"] == []
    assert len(diff["forms"]["call_form"]["removed"]) == 6
    assert diff["lines"][0] == "表单“call_form”删除字段“清单事项编码”（item_code）"


def test_added_and_removed_files_processes_forms_and_decisions(shipped):
    old = {k: v for k, v in shipped.items() if k not in ("town_opinion.bpmn", "opinion_form.json")}
    diff = semantic_diff(old, {k: v for k, v in shipped.items() if k != "admission_escalation.dmn"})
    assert diff["lines"] == [
        "删除文件“admission_escalation.dmn”", "删除决策表“是否报市委市政府审批”",
        "新增文件“opinion_form.json”", "新增表单“opinion_form”，含 2 个字段",
        "新增文件“town_opinion.bpmn”", "新增流程“镇街书面意见”（town_opinion），含 16 个元素",
    ]
    assert diff["files"]["added"] == ["opinion_form.json", "town_opinion.bpmn"]
    assert diff["processes"]["town_opinion"]["status"] == "added"
    assert "give_opinion" in diff["changed_elements"]["town_opinion"]
    assert semantic_diff({}, {})["lines"] == []
