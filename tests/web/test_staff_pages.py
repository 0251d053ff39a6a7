"""Staff tools over HTTP: 清单 searched and paged, 督办台 and a case's page, 清单 editing's pickers, 认领, the favicon."""

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.governance.lists import get_item
from app.governance.supervision import SupervisionCase
from tests.conftest import login
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING, MONDAY, forward_and_negotiate


def body_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True).split("<main>")[1].split("</main>")[0]


def csrf_token(client, url="/calls"):
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def item_codes(body):
    return re.findall(r'href="/lists/([A-Z]-\d{4})"', body)


def test_the_lists_are_paged_and_searched(client, procedures):
    login(client, "wangge")
    first = body_of(client, "/lists")
    assert "共 42 项" in first and len(item_codes(first)) == 20 and "第 1 / 3 页" in first
    third = body_of(client, "/lists?page=3")
    assert len(item_codes(third)) == 2 and not set(item_codes(third)) & set(item_codes(first))
    assert item_codes(body_of(client, "/lists?q=电鱼")) == ["P-0001"]
    assigned = body_of(client, "/lists?kind=assigned")
    assert item_codes(assigned) and all(code.startswith("J-") for code in item_codes(assigned))
    assert 'aria-current="page">交办事项<' in assigned
    searched = body_of(client, "/lists?kind=cooperation&q=查处")
    links = [href.replace("&amp;", "&") for href in re.findall(r'<nav class="pager".*?</nav>', searched, re.S)[0]
             .split('href="')[1:]] if "pager" in searched else []
    assert all("kind=cooperation" in link and "q=" in link for link in links)
    assert body_of(client, "/lists?kind=nonsense", status=404)


@pytest.fixture
def closed_case(session, runtime, user, procedures):
    """A forwarded rejection that 编办 coordinated: 市公安局 rectified, 督查 verified, the case is closed."""
    drive = Driver(session, runtime, user)
    with freeze_time(MONDAY) as clock:
        drive.start("zhenjie", "call_response", FISHING)
        forward_and_negotiate(drive, "no")
        drive.complete("coordinate", {"responsible": "department", "basis_kind": "list", "basis_note": "清单 P-0001",
                                      "amend_list": False, "amendment_note": ""})
        clock.tick(timedelta(hours=26, minutes=5))
        drive.complete("rectify", {"measures": "立即出警", "result": "已查处"}, org="gongan")
        drive.complete("verify", {"verify_decision": "back", "verify_comment": "证据不足"})
        clock.tick(timedelta(hours=3))
        drive.complete("rectify", {"measures": "联合夜巡", "result": "查获电鱼器 2 套"}, org="gongan")
        drive.complete("verify", {"verify_decision": "close", "verify_comment": "整改到位"})
    session.expire_all()
    return session.scalar(select(SupervisionCase).where(SupervisionCase.reason == "forwarded"))


def test_the_supervision_desk_opens_each_case(client, closed_case):
    login(client, "ducha")
    desk = body_of(client, "/supervision")
    number = closed_case.number
    assert f'href="/supervision/{number}"' in desk and "蓝牌" in desk and "市公安局" in desk and "驳回转发" in desk
    assert "历时 1 天 5 小时" in desk and "已历时" not in desk and "gongan" not in desk
    assert number in body_of(client, "/supervision?status=closed&grade=blue")
    assert "暂无督办" in body_of(client, "/supervision?grade=red")
    assert number in body_of(client, "/supervision?grade=bogus")  # an unknown grade filters nothing


def test_a_case_page_tells_grade_reason_rectification_verification_and_history(client, closed_case):
    login(client, "ducha")
    case = body_of(client, f"/supervision/{closed_case.number}")
    for text in ("蓝牌", "驳回转发", "市公安局", "已办结", "历时 1 天 5 小时", "立即出警", "已查处", "联合夜巡",
                 "查获电鱼器 2 套", "退回整改", "证据不足", "整改到位，办结", "第 2 次", "督办记录"):
        assert text in case, text
    call = re.search(r'href="/calls/(HJ[\d-]+)"', case).group(1)
    assert call.startswith("HJ")
    story = re.findall(r'<p class="said">([^<]+)</p>', case)
    assert len(story) >= 6 and not any(re.search(r"[a-z]{3,}[._][a-z]", line) for line in story), story
    assert "verify_decision" not in case and "close" not in case.replace("closed", "")


def test_a_department_reads_only_its_own_cases(client, closed_case):
    login(client, "gongan")
    assert closed_case.number in body_of(client, f"/supervision/{closed_case.number}")
    assert closed_case.number in body_of(client, "/supervision")
    login(client, "nongye")
    body_of(client, f"/supervision/{closed_case.number}", status=403)
    assert closed_case.number not in body_of(client, "/supervision")
    login(client, "renda")
    assert "立即出警" in body_of(client, f"/supervision/{closed_case.number}")
    body_of(client, "/supervision/DB20990101-0001", status=404)


def test_a_case_notice_leads_to_the_case_page(client, closed_case):
    login(client, "gongan")
    assert f'href="/supervision/{closed_case.number}"' in body_of(client, "/notifications")


def test_the_item_editor_picks_organisations_by_name_and_submits_codes(client, session, procedures):
    login(client, "bianban")
    page = body_of(client, "/lists/P-0001/edit")
    assert '<option value="nongye" selected>市农业农村局</option>' in page
    assert '<input type="checkbox" name="cooperating_orgs" value="gongan" checked>市公安局' in page
    assert '<textarea name="legal_basis"' in page and '<textarea name="lead_duties"' in page
    assert "（代码" not in page
    form = {"csrf_token": csrf_token(client), "title": "查处电鱼", "category": "渔政执法", "lead_org": "gongan",
            "cooperating_orgs": ["nongye", "shuili"], "legal_basis": "第一条\n第二条", "lead_duties": "查处",
            "cooperating_duties": "配合", "response_hours": "2", "handle_days": "3", "reason": "明确分工"}
    assert client.post("/lists/P-0001/edit", data=form).status_code == 302
    session.expire_all()
    version = get_item(session, "P-0001").current
    assert (version.lead_org, version.cooperating_orgs, version.legal_basis) == ("gongan", ["nongye", "shuili"],
                                                                                 "第一条\n第二条")
    refused = client.post("/lists/P-0001/edit", data=dict(form, lead_org="nowhere"))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "未知单位：nowhere" in text and 'value="nowhere" selected' in text


def test_claiming_is_called_renling(client, procedures, api_as):
    api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING})
    login(client, "nongye")
    inbox = body_of(client, "/")
    assert ">认领</button>" in inbox and ">签收</button>" not in inbox and "本单位待认领" in inbox
    assert "发起人 陈镇洁" in inbox
    task_id = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    response = client.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf_token(client)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已认领" in page and "已认领（刘农）" in page and ">退回</button>" in page
    taken = api_as("gongan").post(f"/api/tasks/{task_id}/claim")
    assert taken.status_code in (403, 409) and "签收" not in taken.json["message"]


def test_the_header_has_a_menu_button_for_phones(client, procedures):
    login(client, "zhenjie")
    page = client.get("/calls").get_data(as_text=True)
    header = page.split("<header")[1].split("</header>")[0]
    assert 'class="menu-toggle" data-disclose aria-controls="site-menu" aria-expanded="false"' in header
    assert 'id="site-menu"' in header and "js/nav.js" in page


def test_the_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def test_the_inbox_tells_a_deadline_with_its_year_and_in_words(client, procedures, api_as):
    with freeze_time(MONDAY) as clock:
        api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING})
        clock.tick(timedelta(hours=3))
        login(client, "nongye")
        inbox = body_of(client, "/")
    assert "期限 2026-03-02 11:00 · 已超期 1 小时" in inbox
