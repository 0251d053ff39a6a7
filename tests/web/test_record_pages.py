"""记录仪 over HTTP: the search's filters, who reads which events, timelines, verification and the exports."""

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.domain.audit import AuditEvent
from app.governance.supervision import SupervisionCase
from tests.governance.record_case import REJECTION, RESULT, play_case
from tests.web.test_pages import login, page

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.fixture
def case(app, session, runtime, user, procedures):
    call, photo = play_case(app, session, runtime, user)
    return call.number, call.instance_id, photo


def csrf_token(client):
    body = client.get("/record").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', body).group(1)


def shown(html):
    """What a reader sees of a page: its text, not its tags and attributes (a select's option values)."""
    return re.sub(r"<[^>]+>", " ", html)


def total(body):
    return int(re.search(r"共 (\d+) 条记录", body).group(1))


def count(session, *where):
    return session.scalar(select(func.count()).select_from(AuditEvent).where(*where))


def test_a_calls_search_tells_its_events_with_names_and_reasons(client, session, case):
    number, instance_id, photo = case
    login(client, "renda")
    body = page(client, f"/record?call={number}")
    assert body.count('data-testid="record-entry"') == 30 and "下一页" in body, "newest first, 30 a page"
    assert "满意" in body and f'href="/record/calls/{number}"' in body
    oldest = page(client, f"/record?call={number}&page=2")
    assert "发起了“呼叫—响应”" in oldest and f"/api/attachments/{photo.id}/thumbnail" in oldest
    everything = page(client, f"/record/calls/{number}")
    assert everything.count('data-testid="record-entry"') == total(body) > 30
    assert REJECTION in everything and RESULT in everything and "市公安局 赵警官" in everything
    for code in ("gongan", "call.open", "task.complete", "instance:"):
        assert code not in shown(everything) and code not in shown(body), code


def test_filters_by_organisation_person_action_procedure_and_dates(client, session, case):
    number, _, _ = case
    login(client, "bianban")
    by_org = total(page(client, "/record?org=市公安局&since=2026-03-02&until=2026-03-02"))
    assert by_org == count(session, (AuditEvent.org == "gongan") | (AuditEvent.stream == "org:gongan"),
                           AuditEvent.at < datetime(2026, 3, 2, 16, tzinfo=timezone.utc))
    assert total(page(client, "/record?person=赵警官")) == count(session, AuditEvent.actor == "gongan") > 0
    assert total(page(client, "/record?action=evaluation")) == count(session, AuditEvent.action == "evaluation") == 4
    cases = select(SupervisionCase.instance_id)
    assert total(page(client, "/record?process=supervision_case")) == count(
        session, AuditEvent.instance_id.in_(cases)) > 0
    assert total(page(client, f"/record?call={number}&since=2026-03-03")) == 0
    assert total(page(client, "/record?item=P-0001")) >= total(page(client, f"/record?call={number}"))
    refused = page(client, "/record?org=不存在的单位&since=3月2日&action=nothing")
    assert "没有名为“不存在的单位”的单位" in refused and "格式不对" in refused and "没有这种操作" in refused


def test_a_department_reads_its_own_work_and_its_calls_not_anothers_accounts(app, client, session, case):
    number, _, _ = case
    other = app.test_client()
    login(other, "zhenjie")  # 铜城镇: neither the caller (the village) nor a party of the call
    assert total(page(other, f"/record?call={number}")) == 0
    page(other, f"/record/calls/{number}", status=403)
    login(client, "nongye")  # writes 刘农's sign-in on his account's stream
    login(other, "gongan")
    seen = page(other, "/record?org=市农业农村局")
    assert "刘农登录了系统" not in seen and total(seen) > 0, "a party reads the call's events, not a colleague's sign-in"
    assert total(page(other, "/record?person=陈镇洁")) == 0
    assert total(page(other, f"/record?call={number}")) == total(page(client, f"/record?call={number}")) > 30


def test_an_instance_timeline_of_a_call_is_the_calls(client, session, case):
    number, instance_id, _ = case
    login(client, "ducha")
    response = client.get(f"/record/instances/{instance_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/record/calls/{number}")
    supervision = session.scalar(select(SupervisionCase.instance_id).where(SupervisionCase.instance_id.is_not(None)))
    body = page(client, f"/record/instances/{supervision}")
    assert "督办" in body and body.count('data-testid="record-entry"') >= 3


def test_verifying_from_the_page_is_recorded_and_names_a_broken_link(client, session, case):
    number, instance_id, _ = case
    login(client, "bianban")
    done = client.post("/record/verify", data={"csrf_token": csrf_token(client)}, follow_redirects=True)
    assert "全部记录完整" in done.get_data(as_text=True)
    assert "最近一次完整校验" in page(client, "/record") and count(session, AuditEvent.action == "audit.verify") == 1
    ok = client.post(f"/record/calls/{number}/verify", data={"csrf_token": csrf_token(client)}, follow_redirects=True)
    assert f"呼叫单 {number} 的记录完整" in ok.get_data(as_text=True)
    session.execute(update(AuditEvent).where(AuditEvent.stream == f"instance:{instance_id}", AuditEvent.seq == 3)
                    .values(payload={"task": "respond", "data": {"decision": "accept"}}))
    session.commit()
    broken = client.post(f"/record/calls/{number}/verify", data={"csrf_token": csrf_token(client)},
                         follow_redirects=True).get_data(as_text=True)
    assert f"记录在“流程实例 {instance_id} 的记录”第 3 条事件处断裂：事件内容被修改" in broken
    assert count(session, AuditEvent.action == "audit.verify_call") == 2
    assert client.post("/record/verify").status_code == 400, "without its CSRF token a verification is refused"


def test_the_congress_reads_and_exports_but_does_not_verify_from_the_page(client, session, case):
    number, _, _ = case
    login(client, "renda")
    body = page(client, f"/record/calls/{number}")
    assert "导出 PDF" in body and "校验本呼叫单" not in body and 'data-testid="verify-all"' not in page(client, "/record")
    assert client.post("/record/verify", data={"csrf_token": csrf_token(client)}).status_code == 403
    assert client.post(f"/record/calls/{number}/verify", data={"csrf_token": csrf_token(client)}).status_code == 403
    if not FONT.is_file():
        pytest.skip("fonts-wqy-microhei is not installed: the exports embed it")
    pdf = client.get(f"/record/calls/{number}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    archive = client.get(f"/record/calls/{number}.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip" and archive.data[:2] == b"PK"
    assert f'filename="{number}.zip"' in archive.headers["Content-Disposition"]


def test_an_open_call_does_not_export(app, client, session, runtime, user, procedures):
    call, _ = play_case(app, session, runtime, user, close=False)
    login(client, "renda")
    body = page(client, f"/record/calls/{call.number}.pdf", status=409)
    assert f"呼叫单 {call.number} 尚未办结" in body
    assert "办结后可导出" in page(client, f"/record/calls/{call.number}")
