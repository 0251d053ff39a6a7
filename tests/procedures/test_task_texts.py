"""Titles and instructions name organisations and grades in words (org_name, label), never by their codes."""

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.workflow.models import HumanTask
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING, MONDAY

CODE = re.compile(r"[a-z_]{3,}")


@pytest.fixture
def drive(session, runtime, user, procedures):
    return Driver(session, runtime, user)


def open_task(session, bpmn_id):
    return session.scalar(select(HumanTask).where(HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"))


def test_the_forwarded_rejection_and_its_case_are_titled_with_names(drive, session):
    with freeze_time(MONDAY):
        drive.start("zhenjie", "call_response", FISHING)
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "reject", "reason": "应由农业部门办理"}, org="gongan")
        decide = open_task(session, "decide")
        assert "市公安局" in decide.title and "市公安局 驳回了呼叫" in decide.instructions
        drive.complete("decide", {"choice": "forward"})
        negotiate = open_task(session, "negotiate")
        assert "（市公安局 与 铜城镇）" in negotiate.title
        assert "组织 市公安局 与 铜城镇 协商" in negotiate.instructions
        drive.complete("negotiate", {"agreed": "no", "responsible": "department", "summary": "双方协商意见"})
        assert "（市公安局 与 铜城镇）" in open_task(session, "coordinate").title
        drive.complete("coordinate", {"responsible": "department", "basis_kind": "list", "basis_note": "清单事项 P-0001",
                                      "amend_list": False})
        rectify = open_task(session, "rectify")
        assert "督办等级：蓝牌" in rectify.instructions
    for task in session.scalars(select(HumanTask)):
        assert not CODE.search(task.title + (task.instructions or "")), (task.bpmn_id, task.title, task.instructions)


def test_the_helpers_a_template_may_call_are_the_ones_the_checks_know(session):
    from app.definitions.templates import TEMPLATE_HELPERS, render_template
    from app.workflow.assignment import text_helpers

    helpers = text_helpers(session)
    assert set(helpers) == TEMPLATE_HELPERS
    text = render_template("{{ org_name(dept) }}：{{ label('case_grade', grade) }}", {"dept": "gongan", "grade": "red",
                                                                                    "label": "数据不能遮住它"}, helpers=helpers)
    assert text == "市公安局：红牌"
    assert render_template("{{ label('no_such_table', grade) }}", {"grade": "red"}, helpers=helpers) == "red"
