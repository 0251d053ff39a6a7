"""Deploy validation: a bundle is rejected whole, with every problem (file, element, line, Chinese message)."""

from dataclasses import astuple

import pytest

from app.config import Config
from app.definitions.limits import DefinitionLimits
from app.definitions.validation import Catalogue, validate_bundle
from app.domain.people import ROLES
from app.errors import DefinitionInvalid
from app.workflow.runtime import HELPER_NAMES
from app.workflow.services import registry
from tests.helpers import bundle, definitions, form, process, script_task, user_task

LIMITS = DefinitionLimits.from_config(Config)
CATALOGUE = Catalogue(roles=dict(ROLES), services=registry.catalogue(), limits=LIMITS, reserved=set(HELPER_NAMES))


def problems_of(files, catalogue=CATALOGUE):
    with pytest.raises(DefinitionInvalid) as caught:
        validate_bundle(files, catalogue)
    return caught.value.problems


def test_a_valid_bundle_passes():
    valid = validate_bundle(bundle(), CATALOGUE)
    assert list(valid.parsed.process_files) == ["simple"] and list(valid.forms) == ["simple_form"]


def test_malformed_xml_names_the_line():
    (p,) = problems_of(bundle(definitions(process())[:-40]))
    assert p.file == "simple.bpmn" and p.line and "XML 格式错误" in p.message


def test_root_must_be_bpmn_or_dmn():
    (p,) = problems_of(bundle('<?xml version="1.0"?><html><body/></html>'))
    assert "根元素不是 BPMN 或 DMN" in p.message


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">'
       '<bpmn:process id="p" isExecutable="true"><bpmn:documentation>&xxe;</bpmn:documentation></bpmn:process>'
       '</bpmn:definitions>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10))
          + ']>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
            'targetNamespace="x"><bpmn:process id="p" name="&lol9;" isExecutable="true"/></bpmn:definitions>')
EXTERNAL_DTD = ('<?xml version="1.0"?>\n<!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
                + definitions(process()).split("\n", 1)[1])
PARAMETER_ENTITY = ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
                    + definitions(process()).split("\n", 1)[1])
INTERNAL_ENTITY = ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY who "任何人">]>\n'
                   + definitions(process()).split("\n", 1)[1].replace('name="简单流程"', 'name="&who;"'))


@pytest.mark.parametrize("payload", [XXE, LAUGHS, EXTERNAL_DTD, PARAMETER_ENTITY, INTERNAL_ENTITY],
                         ids=["xxe", "billion-laughs", "external-dtd", "parameter-entity", "internal-entity"])
def test_any_doctype_or_entity_is_refused(payload):
    found = problems_of(bundle(payload))
    assert any("DOCTYPE" in p.message or "XML 格式错误" in p.message for p in found)
    assert not any("root:" in p.message for p in found)


def test_xsd_violation_has_a_line():
    text = definitions(process()).replace('<bpmn:endEvent id="end">', '<bpmn:bogusTask id="bogus"/><bpmn:endEvent id="end">')
    (p,) = problems_of(bundle(text))
    assert "不符合 BPMN/DMN 规范" in p.message and p.line


def test_unknown_spiffworkflow_extension_element_and_property():
    task = user_task(extra_ext="<spiffworkflow:formKey>x</spiffworkflow:formKey>",
                     extra_props='<spiffworkflow:property name="from" value="typo" />')
    found = problems_of(bundle(definitions(process(middle=task))))
    messages = " ".join(p.message for p in found)
    assert "未知的 spiffworkflow 扩展元素：formKey" in messages and "未知的任务属性：from" in messages
    assert all(p.element_id == "work" and p.line for p in found)


@pytest.mark.parametrize("pid", ["../evil", "a b", "1abc"])
def test_process_ids_must_be_xml_names(pid):
    found = problems_of(bundle(definitions(process(pid=pid))))
    assert any(f"ID“{pid}”不是合法的 XML 名称" in p.message and p.line for p in found)


def test_process_ids_must_fit_their_column():
    found = problems_of(bundle(definitions(process(pid="x" * 70))))
    assert any(p.element_id == "x" * 70 and "ID 过长，最多 64 个字符" in p.message for p in found)


@pytest.mark.parametrize("name", ["evil.exe", "simple.bpmn.txt", "a\x01b.bpmn"])
def test_file_names_must_name_a_known_kind(name):
    found = problems_of(bundle(name=name))
    assert any("类型不受支持" in p.message or "控制字符" in p.message for p in found)


def test_a_form_or_role_a_user_task_names_must_exist_and_one_it_leaves_out_is_a_warning():
    middle = (user_task("a", form="", incoming="f1", outgoing="fa")
              + user_task("b", form="nope_form", incoming="fa", outgoing="fb")
              + user_task("c", role="mayor", incoming="fb", outgoing="f2")
              + '<bpmn:sequenceFlow id="fa" sourceRef="a" targetRef="b" />'
              + '<bpmn:sequenceFlow id="fb" sourceRef="b" targetRef="c" />')
    found = {(p.element_id, p.severity): p.message for p in problems_of(bundle(definitions(process(middle=middle))))}
    assert found == {
        ("a", "warning"): "用户任务“办理”（a）：没有指定表单（form），使用通用表单：办理说明、办理意见和完成确认",
        ("b", "error"): "用户任务“办理”（b）：表单“nope_form”不存在于本次部署或已部署的表单中",
        ("c", "error"): "用户任务“办理”（c）：未知的角色：mayor",
    }


def test_a_lane_named_after_a_role_is_enough():
    lanes = ('<bpmn:laneSet id="ls"><bpmn:lane id="l" name="镇街工作人员"><bpmn:flowNodeRef>work</bpmn:flowNodeRef>'
             '</bpmn:lane></bpmn:laneSet>')
    text = definitions(process(middle=user_task(role=""))).replace('isExecutable="true">', 'isExecutable="true">' + lanes, 1)
    assert validate_bundle(bundle(text), CATALOGUE)


def service(op, params):
    rows = "".join(f'<spiffworkflow:parameter id="{k}" type="str" value="{v}" />' for k, v in params.items())
    return (f'<bpmn:serviceTask id="svc" name="服务"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
            f'id="{op}" resultVariable="r"><spiffworkflow:parameters>{rows}</spiffworkflow:parameters>'
            f'</spiffworkflow:serviceTaskOperator></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming>'
            f'<bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>')


@pytest.mark.parametrize("op,params,expected", [
    ("http.get", {}, "未知的服务操作：http.get"),
    ("orgs.towns", {"bogus": "1"}, "没有参数 bogus"),
    ("notify", {"org": "'x'"}, "缺少必填参数 text"),
])
def test_service_operations_and_parameters_are_checked(op, params, expected):
    found = problems_of(bundle(definitions(process(middle=service(op, params)))))
    assert any(expected in p.message and p.element_id == "svc" for p in found)


@pytest.mark.parametrize("script", ["import os", "x = ().__class__", "exec('1')\nx = (", "class A: pass"])
def test_scripts_must_compile_under_the_sandbox(script):
    found = problems_of(bundle(definitions(process(middle=script_task("s", script)))))
    assert found[0].element_id == "s" and "脚本无法编译" in found[0].message


def test_conditions_timers_and_properties_must_compile():
    gateway = ('<bpmn:exclusiveGateway id="gw" default="f2"><bpmn:incoming>f1</bpmn:incoming>'
               '<bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>fx</bpmn:outgoing></bpmn:exclusiveGateway>'
               '<bpmn:sequenceFlow id="fx" sourceRef="gw" targetRef="end"><bpmn:conditionExpression '
               'xsi:type="bpmn:tFormalExpression">x.__class__</bpmn:conditionExpression></bpmn:sequenceFlow>')
    text = definitions(process(middle=gateway))
    found = problems_of(bundle(text))
    assert any(p.element_id == "fx" and "顺序流（fx）的条件无法编译" in p.message for p in found), "on the flow"
    bad_props = user_task(extra_props='<spiffworkflow:property name="org" value="__import__(1)" />'
                                      '<spiffworkflow:property name="title" value="{{ x " />')
    found = [p.message for p in problems_of(bundle(definitions(process(middle=bad_props))))]
    assert any(m.startswith("用户任务“办理”（work）：单位表达式（org）无法编译") for m in found)
    assert any(m.startswith("用户任务“办理”（work）：标题模板错误") for m in found)


def test_duplicate_process_ids_in_one_bundle():
    files = bundle()
    files["other.bpmn"] = files["simple.bpmn"]
    found = problems_of(files)
    assert any("流程 ID 在本次部署中重复" in p.message for p in found)


def test_every_problem_is_listed_at_once():
    files = bundle(definitions(process(middle=user_task(form="nope_form", role="mayor"))), forms={"broken": b"{not json"})
    found = problems_of(files)
    assert len(found) >= 3
    assert {p.file for p in found} == {"simple.bpmn", "broken.json"}


def long_chain(n):
    tasks = "".join(script_task(f"t{i}", f"x{i} = {i}", incoming=f"c{i}" if i else "f1",
                                outgoing=f"c{i + 1}" if i < n - 1 else "f2") for i in range(n))
    flows = "".join(f'<bpmn:sequenceFlow id="c{i}" sourceRef="t{i - 1}" targetRef="t{i}" />' for i in range(1, n))
    return definitions(process(middle=tasks + flows))


def test_large_diagrams_are_rejected_cleanly():
    found = problems_of(bundle(long_chain(500)))
    assert any("流程过大" in p.message for p in found)


def test_large_diagrams_within_the_limit_never_crash():
    catalogue = Catalogue(roles=dict(ROLES), services=registry.catalogue(),
                          limits=DefinitionLimits(5000, *astuple(LIMITS)[1:]))
    with pytest.raises(DefinitionInvalid) as refused:
        validate_bundle(bundle(long_chain(1200)), catalogue)
    assert any("流程过深" in p.message for p in refused.value.problems)


@pytest.mark.parametrize("encoding", ["GBK", "UTF-16", "GB18030", "UTF-8"])
def test_any_declared_encoding_is_read(encoding):
    text = definitions(process(name="呼叫响应流程"), encoding=encoding)
    valid = validate_bundle(bundle(text.encode(encoding.lower())), CATALOGUE)
    root = valid.parsed.roots["simple.bpmn"]
    assert root.xpath("//*[@id='simple']")[0].get("name") == "呼叫响应流程"


def test_dmn_cells_compile_under_the_sandbox(tmp_path):
    from tests.conftest import bundle_files

    files = bundle_files("constructs")
    files["grade.dmn"] = files["grade.dmn"].replace(b"&gt; 1000", b"().__class__")
    found = problems_of(files)
    assert any(p.file == "grade.dmn" and "决策表条件" in p.message for p in found)


def test_forms_are_checked():
    found = problems_of(bundle(forms={"simple_form": form(components=[
        {"type": "textfield", "id": "a", "key": "typename", "label": "x"},
        {"type": "textfield", "id": "b", "key": "../x", "label": "y"}])}))
    messages = " ".join(p.message for p in found)
    assert "系统保留" in messages and "字段名不安全" in messages
