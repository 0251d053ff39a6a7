"""Deploy reads Camunda 7's task attributes as the platform's properties, and warns only where it assumed something."""

import pytest

from app.definitions.validation import validate_bundle
from tests.definitions.test_validation import CATALOGUE
from tests.helpers import bundle, definitions, process

CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'


def camunda_task(attributes):
    return (f'<bpmn:userTask id="work" name="办理" {CAMUNDA} {attributes}>'
            '<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>\n')


def warnings_of(attributes):
    valid = validate_bundle(bundle(definitions(process(middle=camunda_task(attributes)))), CATALOGUE)
    return [w.message.split("：", 1)[1] for w in valid.warnings]


@pytest.mark.parametrize("key", ["simple_form", "camunda-forms:deployment:simple_form.json",
                                 "embedded:app:forms/simple_form.html", "deployment:forms/simple_form"])
def test_a_form_key_names_a_deployed_form_by_its_id_or_file(key):
    assert warnings_of(f'camunda:candidateGroups="town_staff" camunda:formKey="{key}"') == []


def test_groups_by_a_role_code_or_name_and_an_assignee_need_no_warning():
    assert warnings_of('camunda:candidateGroups="镇街工作人员, grid" camunda:formRef="simple_form"') == []
    assert warnings_of('camunda:assignee="zhenzhang" camunda:formRef="simple_form"') == []


def test_what_is_not_read_is_named():
    assert warnings_of('camunda:assignee="${initiator}" camunda:candidateGroups="accounting" '
                       'camunda:formKey="app:forms/missing.html"') == [
        "表单键 app:forms/missing.html 不是本次部署中的表单，已改用通用表单",
        "候选组 accounting 不是平台的角色，已忽略",
        "办理人 ${initiator} 是表达式，本平台不读取，已忽略",
        "没有指定角色（role）或泳道，由流程发起人和设计员、管理员办理",
    ]


def test_an_assignee_written_as_a_deferred_juel_expression_is_not_read_either():
    assert "办理人 #{starter} 是表达式，本平台不读取，已忽略" in warnings_of('camunda:assignee="#{starter}"')
