"""`flask demo scenario fishing` leaves a populated system behind, through the real procedures."""

from sqlalchemy import func, select

from app.domain.audit import verify_chains
from app.governance.calls import Call
from app.governance.supervision import SupervisionCase


def test_fishing_scenario(app, runner, procedures, session):
    result = runner.invoke(args=["demo", "scenario", "fishing"])
    assert result.exit_code == 0, result.output
    assert "wangge 发起 呼叫—响应" in result.output
    session.expire_all()
    calls = session.scalars(select(Call).order_by(Call.id)).all()
    assert [c.status for c in calls] == ["closed", "closed", "handling"]
    reasons = sorted(c.reason for c in session.scalars(select(SupervisionCase)))
    assert reasons == ["forwarded", "no_response"]
    from app.workflow.models import ProcessInstance

    started = session.scalar(select(func.count()).select_from(ProcessInstance)
                             .where(ProcessInstance.process_id == "supervision_case"))
    assert started == 2, "each thrown message starts exactly one supervision case"
    from app.domain.attachment_images import photo_facts
    from app.domain.attachments import Attachment

    (photo,) = [session.get(Attachment, i) for i in calls[0].photos]
    assert photo.instance_id == calls[0].instance_id and photo.mime == "image/jpeg", "the grid worker's scene photo"
    config = app.extensions["tianchang.config"]
    assert photo_facts(config.UPLOAD_DIR, photo, config.MAX_IMAGE_PIXELS).get("taken_at"), "shot before the call"
    gongan = {p.org_code: p for p in calls[0].parties}["gongan"]
    assert gongan.rejection_outcome == "coordination" and gongan.rejection_overturned
    assert verify_chains(session).ok
    again = runner.invoke(args=["demo", "scenario", "fishing", "--once"])
    assert "跳过" in again.output and session.scalar(select(func.count()).select_from(Call)) == 3
