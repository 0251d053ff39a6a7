"""准入审批 and 交办事项 through the real diagrams."""

from datetime import date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.governance.lists import ItemVersion, ResponsibilityItem, get_item
from app.workflow.instances import get_instance
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import sweep

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
APPLICATION = {"duty_title": "农村宅基地违法占用的日常巡查", "legal_basis": "《中华人民共和国土地管理法》第六十二条",
               "reason": "镇街熟悉情况，便于早发现早制止", "funds": 20, "staff": 2, "training": "每年集中培训一次",
               "equipment": "无人机一台", "target_towns": ["tongcheng"], "list_kind": "cooperation",
               "response_hours": 24, "handle_days": 10, "effective_from": "2026-04-01"}


@pytest.fixture(params=["service", "rest"])
def drive(request, session, runtime, user, procedures, api_as):
    """Every path runs twice: through the service layer, and through the REST API."""
    return Driver(session, runtime, user, api_as if request.param == "rest" else None)


def items(session):
    return {i.code: i for i in session.scalars(select(ResponsibilityItem))}


def test_admission_approved_publishes_a_new_list_version(drive, session):
    before = set(items(session))
    with freeze_time(MONDAY):
        instance = drive.start("nongye", "admission_approval", APPLICATION)
        drive.complete("leader_review", {"decision": "approve"})
        drive.complete("formal_review", {"decision": "accept"})
        opinion = drive.one("give_opinion")
        assert opinion.orgs == ["tongcheng"] and opinion.kpi == "consult"
        assert opinion.due_at == MONDAY + timedelta(days=7), "five working days"
        drive.complete("give_opinion", {"agree": "agree", "opinion_text": "同意承接"})
        drive.complete("office_review", {"decision": "approve", "comment": "同意"})
        assert drive.open("leader_approval") == []
    session.expire_all()
    assert get_instance(session, instance.id).status == "completed"
    (code,) = set(items(session)) - before
    version = get_item(session, code).current
    assert (version.title, version.lead_org, version.cooperating_orgs, version.effective_from) == (
        APPLICATION["duty_title"], "nongye", ["tongcheng"], date(2026, 4, 1))
    assert version.instance_id == instance.id and version.number == 1


def test_returned_for_revision_then_approved(drive, session):
    with freeze_time(MONDAY):
        drive.start("nongye", "admission_approval", APPLICATION)
        drive.complete("leader_review", {"decision": "approve"})
        drive.complete("formal_review", {"decision": "return", "comment": "请补充保障措施"})
        revise = drive.one("revise")
        assert "请补充保障措施" in revise.instructions
        drive.complete("revise", dict(APPLICATION, funds=50))
        drive.complete("leader_review", {"decision": "approve"})
        drive.complete("formal_review", {"decision": "accept"})
        drive.complete("give_opinion", {"agree": "agree", "opinion_text": "同意"})
        drive.complete("office_review", {"decision": "approve"})
    assert any(v.title == APPLICATION["duty_title"] for v in session.scalars(select(ItemVersion)))


def test_rejected_application_changes_no_list(drive, session):
    before = session.scalar(select(ItemVersion.id).order_by(ItemVersion.id.desc()).limit(1))
    with freeze_time(MONDAY):
        instance = drive.start("nongye", "admission_approval", APPLICATION)
        drive.complete("leader_review", {"decision": "approve"})
        drive.complete("formal_review", {"decision": "reject", "comment": "属于部门法定职责"})
    session.expire_all()
    assert get_instance(session, instance.id).status == "completed"
    assert session.scalar(select(ItemVersion.id).order_by(ItemVersion.id.desc()).limit(1)) == before


def test_a_disagreeing_town_escalates_to_the_leader_who_may_refuse(drive, session):
    before = set(items(session))
    with freeze_time(MONDAY):
        drive.start("nongye", "admission_approval", dict(APPLICATION, target_towns=["tongcheng", "qinlan"]))
        drive.complete("leader_review", {"decision": "approve"})
        drive.complete("formal_review", {"decision": "accept"})
        drive.complete("give_opinion", {"agree": "disagree", "opinion_text": "人手不足"}, org="tongcheng",
                       as_user="zhenzhang")
        qinlan = drive.one("give_opinion", org="qinlan")
        from app.domain.people import create_user

        create_user(drive.session, "admin", "qinlanzhang", "秦栏镇长", "password1", "qinlan", ["town_leader"],
                    "pbkdf2:sha256:1000")
        drive.session.commit()
        drive.complete("give_opinion", {"agree": "agree", "opinion_text": "同意"}, org="qinlan", as_user="qinlanzhang")
        assert qinlan.id
        drive.complete("office_review", {"decision": "approve"})
        leader = drive.one("leader_approval")
        assert "1 个镇街不同意" in leader.instructions
        drive.complete("leader_approval", {"decision": "reject"})
    assert set(items(session)) == before


def test_a_town_missing_its_deadline_is_recorded_and_the_office_told(drive, session, runtime):
    from app.domain.notifications import Notification

    with freeze_time(MONDAY) as clock:
        instance = drive.start("nongye", "admission_approval", APPLICATION)
        drive.complete("leader_review", {"decision": "approve"})
        drive.complete("formal_review", {"decision": "accept"})
        clock.tick(timedelta(days=8))
        assert sweep(session, runtime).fired == 1
        session.expire_all()
        assert drive.open("give_opinion") == []
        review = drive.one("office_review")
        assert "1 个未按期反馈" in review.instructions
        drive.complete("office_review", {"decision": "approve"})
        drive.complete("leader_approval", {"decision": "approve"})
    notes = [n.text for n in session.scalars(select(Notification).where(Notification.org_code == "bianban"))]
    assert any("tongcheng 未在期限内反馈" in n for n in notes)
    assert get_instance(session, instance.id).status == "completed"


def test_assigned_matter_is_published_and_retired_on_its_end_date(drive, session, runtime):
    proposal = {"title": "秋季秸秆禁烧专项行动", "category": "生态环境", "description": "各镇街落实网格巡查",
                "basis": "市政府常务会议纪要〔2026〕9 号", "lead_org": "shengtai", "cooperating_orgs": ["tongcheng"],
                "end_date": "2026-03-20", "response_hours": 4, "handle_days": 2}
    with freeze_time(MONDAY) as clock:
        instance = drive.start("bianban", "assigned_matter", proposal)
        drive.complete("office_review", {"decision": "approve"})
        drive.complete("leader_approval", {"decision": "approve"})
        session.expire_all()
        (code,) = [c for c, i in items(session).items() if i.current.title == proposal["title"]]
        assert get_item(session, code).kind == "assigned" and get_item(session, code).current.status == "active"
        clock.move_to(datetime(2026, 3, 20, 15, 0, tzinfo=timezone.utc))  # 23:00 in Tianchang: not yet
        assert sweep(session, runtime).fired == 0
        clock.move_to(datetime(2026, 3, 20, 16, 1, tzinfo=timezone.utc))
        assert sweep(session, runtime).fired == 1
    session.expire_all()
    retired = get_item(session, code).current
    assert retired.status == "retired" and retired.number == 2 and retired.effective_to == date(2026, 3, 20)
    assert get_instance(session, instance.id).status == "completed"
