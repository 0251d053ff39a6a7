"""`flask assessment compute|publish --period`: 编办 computes, reviews and freezes a period from the command line."""

from freezegun import freeze_time
from sqlalchemy import select

from app.domain.audit import AuditEvent
from app.governance.assessment_models import AssessmentRun
from tests.governance.assessment_facts import Facts, county


def test_compute_then_publish_a_month(runner, session):
    facts = Facts(session)
    call = facts.call(county(2026, 11, 2, 9))
    facts.party(call, "nongye", county(2026, 11, 2, 12), county(2026, 11, 2, 11), county(2026, 11, 9), county(2026, 11, 8))
    session.commit()
    with freeze_time(county(2026, 12, 2)):
        computed = runner.invoke(args=["assessment", "compute", "--period", "2026-11"])
        assert computed.exit_code == 0, computed.output
        assert "已计算2026年11月考核（第 1 版，公式第 1 版）" in computed.output
        assert "第 1 名 市农业农村局 100.00 分" in computed.output
        published = runner.invoke(args=["assessment", "publish", "--period", "2026-11"])
    assert published.exit_code == 0, published.output
    assert "结果已冻结" in published.output
    session.expire_all()
    run = session.scalar(select(AssessmentRun))
    assert (run.status, run.published_by, run.computed_by) == ("published", "bianban", "bianban")
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.stream == "assessment:2026-11")
                              .order_by(AuditEvent.seq)).all()
    assert actions == ["assessment.compute", "assessment.publish"]


def test_refusals_are_in_chinese_and_write_nothing(runner, session):
    bad = runner.invoke(args=["assessment", "compute", "--period", "2026-13"])
    assert bad.exit_code == 1 and "考核期间写法不对" in bad.output
    department = runner.invoke(args=["assessment", "compute", "--period", "2026-11", "--user", "nongye"])
    assert department.exit_code == 1 and "只有编办可以计算" in department.output
    nothing = runner.invoke(args=["assessment", "publish", "--period", "2026-10"])
    assert nothing.exit_code == 1 and "请先计算" in nothing.output
    assert session.scalar(select(AssessmentRun)) is None
