"""Every expression site runs in the sandbox: a refused payload fails only its instance, with a clear error."""

import pytest
from sqlalchemy import select

from app.workflow import instances, operating, tasks
from app.workflow.models import HumanTask
from tests.helpers import bundle, definitions, process, script_task, user_task

PAYLOADS = {
    "open": "open('/etc/passwd')",
    "getattr": "getattr(1, '__class__')",
    "memory": "'x' * (10 ** 10)",
    "spin": "[x for x in range(1000000) for y in range(1000000)]",
}
DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">
  <decision id="probe" name="probe"><decisionTable id="t" hitPolicy="UNIQUE">
    <input id="i"><inputExpression id="ie" typeRef="string"><text>PAYLOAD</text></inputExpression></input>
    <output id="o" name="verdict" typeRef="string" />
    <rule id="r"><inputEntry id="ri"><text>"x"</text></inputEntry><outputEntry id="ro"><text>"ok"</text></outputEntry></rule>
  </decisionTable></decision>
</definitions>"""


def site_bundle(site, payload):
    esc = payload.replace("'", "&apos;").replace("<", "&lt;").replace(">", "&gt;")
    if site == "script":
        middle = script_task("s", f"r = {esc}")
    elif site == "prescript":
        middle = user_task(extra_ext=f"<spiffworkflow:preScript>r = {esc}</spiffworkflow:preScript>")
    elif site == "condition":
        middle = ('<bpmn:exclusiveGateway id="gw" default="f2"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>'
                  '<bpmn:outgoing>fx</bpmn:outgoing></bpmn:exclusiveGateway><bpmn:sequenceFlow id="fx" sourceRef="gw" '
                  f'targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{esc}'
                  '</bpmn:conditionExpression></bpmn:sequenceFlow>')
    elif site == "timer":
        middle = ('<bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>'
                  f'<bpmn:timerEventDefinition id="td"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{esc}'
                  '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')
    elif site == "service":
        middle = ('<bpmn:serviceTask id="svc"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator id="notify" '
                  f'resultVariable="r"><spiffworkflow:parameters><spiffworkflow:parameter id="org" type="str" value="{esc}" />'
                  '<spiffworkflow:parameter id="text" type="str" value="&apos;hi&apos;" /></spiffworkflow:parameters>'
                  '</spiffworkflow:serviceTaskOperator></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming>'
                  '<bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>')
    elif site == "cardinality":
        middle = user_task(inner=f"<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>{esc}"
                                 "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>")
    elif site == "dmn":
        middle = ('<bpmn:businessRuleTask id="rule"><bpmn:extensionElements><spiffworkflow:calledDecisionId>probe'
                  '</spiffworkflow:calledDecisionId></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming>'
                  '<bpmn:outgoing>f2</bpmn:outgoing></bpmn:businessRuleTask>')
    elif site == "org":
        middle = user_task(extra_props=f'<spiffworkflow:property name="org" value="{esc}" />')
    files = bundle(definitions(process(pid="probe", middle=middle)), name="probe.bpmn")
    if site == "dmn":
        files["probe.dmn"] = DMN.replace("PAYLOAD", esc).encode()
    return files


SITES = ["script", "prescript", "condition", "timer", "service", "cardinality", "dmn", "org"]


@pytest.mark.parametrize("payload", ["open", "getattr", "memory"])
@pytest.mark.parametrize("site", SITES)
def test_refused_payload_fails_only_its_instance(session, runtime, deploy, user, site, payload):
    deploy(files=site_bundle(site, PAYLOADS[payload]))
    bad = instances.start_instance(session, runtime, user("zhenjie"), "probe", {})
    session.commit()
    session.expire_all()
    assert bad.status == "error", bad.error
    assert bad.error["message"]
    assert "Traceback" not in bad.error["message"]
    deploy("constructs")
    good = instances.start_instance(session, runtime, user("zhenjie"), "main_flow", {"subject": "正常"})
    session.commit()
    assert good.status == "running"
    assert session.scalar(select(HumanTask.title).where(HumanTask.instance_id == good.id)) == "填写：正常"


@pytest.mark.parametrize("site", ["script", "condition"])
def test_a_spinning_expression_is_stopped_by_the_time_limit(session, runtime, deploy, user, site):
    deploy(files=site_bundle(site, PAYLOADS["spin"]))
    bad = instances.start_instance(session, runtime, user("zhenjie"), "probe", {})
    session.commit()
    assert bad.status == "error" and "时限" in bad.error["message"]


def test_template_injection_renders_nothing_of_the_host(session, runtime, deploy, user):
    title = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    middle = user_task(extra_props=f'<spiffworkflow:property name="title" value="{title}" />')
    deploy(files=bundle(definitions(process(pid="probe", middle=middle)), name="probe.bpmn"))
    instance = instances.start_instance(session, runtime, user("zhenjie"), "probe", {})
    session.commit()
    task = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert "<class" not in task.title and "模板渲染失败" in task.title


def test_postscript_failure_keeps_the_task_open_and_retry_reopens_it(session, runtime, deploy, user):
    middle = user_task(extra_ext="<spiffworkflow:postScript>r = missing + 1</spiffworkflow:postScript>")
    deploy(files=bundle(definitions(process(pid="probe", middle=middle)), name="probe.bpmn"))
    instance = instances.start_instance(session, runtime, user("zhenjie"), "probe", {})
    session.commit()
    task = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    tasks.complete_task(session, runtime, user("zhenjie"), task.id, {"note": "好"})
    session.commit()
    session.expire_all()
    assert instance.status == "error" and "missing" in instance.error["message"] and instance.error["line"] == 1
    assert instance.error["bpmn_id"] == "work"
    operating.retry_instance(session, runtime, user("admin"), instance.id, "修好了脚本")
    session.commit()
    session.expire_all()
    assert instance.status == "running" and instance.error is None
    reopened = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert reopened.id == task.id and reopened.status == "open", "the user's task is open again"
    tasks.complete_task(session, runtime, user("zhenjie"), task.id, {"note": "再试"})
    session.commit()
    session.expire_all()
    assert instance.status == "error", "still broken: fails again with a fresh message"
