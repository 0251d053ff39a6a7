"""概览: those who oversee the county land on the month's figures, and every figure opens the list it counts.

The world is a March of calls built through the real operations (opened, responded in time or late, rejected
and settled, handled, closed) at frozen times, plus calls either side of the month's bounds in county time and
supervision cases of each grade; the overview is read in April.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from app.domain.actors import Actor
from app.domain.people import get_user
from app.governance import calls, supervision
from tests.conftest import login
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING

COUNTY = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor.system()
NOW = datetime(2026, 4, 10, 9, 0, tzinfo=COUNTY)  # when the overview is read
FIELDS = {"location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal"}


def at(month, day, hour=10, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=COUNTY)


def open_at(session, moment, item="P-0001"):
    """A call of 铜城镇 about `item` (P-0001: 农业农村局 leads, 公安局 cooperates) registered at `moment`."""
    with freeze_time(moment):
        call = calls.open_call(session, Actor.of(get_user(session, "zhenjie")), "tongcheng", item, FIELDS)
        for party in call.parties:
            calls.set_response_due(session, SYSTEM, call, party.org_code, moment + timedelta(hours=2))
    return call


def respond(session, call, org, moment, handle_days=5):
    calls.accept_call(session, SYSTEM, call, org, moment, moment + timedelta(days=handle_days))


@pytest.fixture
def march(session):
    """{name: call}: seven calls registered in March (county time) and two just outside it; four open cases."""
    made = {}
    # Handled in time by both parties and closed.
    made["closed"] = done = open_at(session, at(3, 2))
    for org in ("nongye", "gongan"):
        respond(session, done, org, at(3, 2, 11))
        calls.mark_handled(session, SYSTEM, done, org, at(3, 4), "已查处")
    with freeze_time(at(3, 5)):
        calls.set_status(session, SYSTEM, done, "closed")
    # 农业农村局 answered three hours after its two-hour deadline (late), then works within its deadline.
    made["late"] = late = open_at(session, at(3, 5))
    respond(session, late, "nongye", at(3, 5, 15), handle_days=60)
    respond(session, late, "gongan", at(3, 5, 11), handle_days=60)
    # 公安局 rejected; 编办 decided 农业农村局 handles it (coordination), until well after April.
    made["coordinated"] = coordinated = open_at(session, at(3, 10))
    respond(session, coordinated, "nongye", at(3, 10, 11), handle_days=60)
    calls.reject_call(session, SYSTEM, coordinated, "gongan", at(3, 10, 11), "非本单位职责")
    calls.negotiate_rejection(session, SYSTEM, coordinated, "gongan")
    calls.settle_rejection(session, SYSTEM, coordinated, "gongan", "coordination", False)
    # 农业农村局 rejected and the dispute is still open; 公安局 never answered (overdue, and late).
    made["disputed"] = disputed = open_at(session, at(3, 20))
    calls.reject_call(session, SYSTEM, disputed, "nongye", at(3, 20, 11), "应由公安局主办")
    calls.set_status(session, SYSTEM, disputed, "disputed")
    # Accepted in time, but the handle deadline passed in March: overdue, not late.
    made["overdue"] = overdue = open_at(session, at(3, 25))
    respond(session, overdue, "nongye", at(3, 25, 11), handle_days=3)
    respond(session, overdue, "gongan", at(3, 25, 11), handle_days=60)
    # The month's last minutes and the next month's first, in county time (UTC is eight hours behind).
    made["last_minute"] = open_at(session, at(3, 31, 23, 50))
    made["april"] = open_at(session, at(4, 1, 0, 10))
    made["february"] = open_at(session, at(2, 28, 23, 50))
    for moment in (made["last_minute"], made["april"], made["february"]):
        for party in moment.parties:
            respond(session, moment, party.org_code, moment.created_at + timedelta(hours=1), handle_days=60)
    for grade, status in (("blue", "open"), ("yellow", "open"), ("yellow", "verifying"), ("red", "closed")):
        case = supervision.open_case(session, SYSTEM, "gongan", "no_response", "未响应", call_id=disputed.id)
        supervision.update_case(session, SYSTEM, case.number, grade=grade, status=status)
    supervision.open_case(session, SYSTEM, "nongye", "late_response", "迟响应")  # ungraded, open
    session.commit()
    return made


def figures(response):
    """{key: (count, href)} of the page's figure links and of every other counted link."""
    page = response.get_data(as_text=True)
    found = re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)" data-testid="([\w-]+)">\s*(?:<span class="n">)?'
                       r'(?:<span>[^<]*</span><b>)?(\d+)', page)
    return {key: (int(count), href.replace("&amp;", "&")) for href, key, count in found}


def listed(client, href):
    """How many rows the linked list says it holds (呼叫记录 and 督办台 both say 共 N)."""
    page = client.get(href)
    assert page.status_code == 200, href
    return int(re.search(r'<p class="total"[^>]*>共 (\d+) ', page.get_data(as_text=True)).group(1))


@pytest.fixture
def leader(app, march):
    client = app.test_client()
    with freeze_time(NOW):
        assert login(client, "lingdao").status_code == 302
    return client


def test_every_figure_counts_the_list_it_opens(leader, march):
    with freeze_time(NOW):
        shown = figures(leader.get("/overview?month=2026-03"))
        expected = {"figure-opened": 6, "figure-closed": 1, "figure-overdue": 2, "figure-late": 2,
                    "figure-rejected": 2, "rejection-open": 1, "rejection-coordination": 1, "rejection-accepted": 0,
                    "rejection-agreement": 0, "status-closed": 1, "status-disputed": 1, "status-responding": 4,
                    "cases-open": 3, "cases-open-blue": 1, "cases-open-yellow": 1, "cases-verifying-yellow": 1,
                    "cases-open-red": 0, "cases-verifying": 1}
        assert {key: shown[key][0] for key in expected} == expected
        for key, (count, href) in shown.items():
            assert listed(leader, href) == count, (key, href)


def test_the_api_gives_the_page_its_figures_and_links(app, api_as, march):
    with freeze_time(NOW):
        body = api_as("renda").get("/api/overview?month=2026-03").json
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["opened"]["count"] == 6
    assert figures["opened"]["href"] == "/calls?from=2026-03-01&to=2026-03-31"
    assert figures["overdue"]["filters"] == {"from": "2026-03-01", "to": "2026-03-31", "overdue": "1"}
    assert (body["month"], body["from"], body["to"]) == ("2026-03", "2026-03-01", "2026-03-31")
    days = {d["date"]: (d["opened"]["count"], d["closed"]["count"]) for d in body["days"]}
    assert len(days) == 31 and days["2026-03-02"] == (1, 1) and days["2026-03-31"] == (1, 0)
    assert sum(opened for opened, _ in days.values()) == 6
    assert body["days"][1]["closed"]["href"] == "/calls?status=closed&from=2026-03-02&to=2026-03-02"
    assert [m["code"] for m in body["months"]] == ["2026-04", "2026-03", "2026-02"]
    oldest = body["oldest"]
    assert [c["number"] for c in oldest] == [march[k].number for k in
                                             ("february", "late", "coordinated", "disputed", "overdue", "last_minute",
                                              "april")]
    assert oldest[0]["caller"] == "铜城镇" and {p["name"] for p in oldest[0]["parties"]} == {"市农业农村局", "市公安局"}


def test_april_counts_its_first_minutes_and_not_march(app, api_as, march):
    with freeze_time(NOW):
        body = api_as("ducha").get("/api/overview").json
    assert body["month"] == "2026-04"
    assert {f["key"]: f["count"] for f in body["figures"]}["opened"] == 1
    assert body["days"][0]["opened"]["count"] == 1


@pytest.mark.parametrize("month, message", [("2026-13", "月份应写作 年-月"), ("三月", "月份应写作 年-月"),
                                            ("2026-5", "月份应写作 年-月"), ("2026-05", "不能查看尚未到来的月份"),
                                            ("1999-12", "最早可查看 2000年1月")])
def test_a_month_that_cannot_be_is_refused_in_chinese(leader, api_as, march, month, message):
    with freeze_time(NOW):
        page = leader.get(f"/overview?month={month}")
        refused = api_as("lingdao").get(f"/api/overview?month={month}")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert message in text and "概览 <span class=\"muted\">2026年4月</span>" in text  # this month is shown instead
    assert refused.status_code == 422 and message in refused.json["message"]
    assert message in refused.json["errors"]["month"][0]


def test_those_who_oversee_land_on_the_overview_unless_work_waits(app, march):
    for username, lands in (("lingdao", True), ("renda", True), ("ducha", True), ("bianban", True),
                            ("admin", False), ("sheji", False), ("zhenjie", False), ("nongye", False)):
        client = app.test_client()
        assert login(client, username).status_code == 302
        home = client.get("/")
        assert (home.status_code == 302 and home.location.endswith("/overview")) is lands, username
        inbox = client.get("/inbox")
        assert inbox.status_code == 200 and "我的待办" in inbox.get_data(as_text=True), username
        assert client.get("/?scope=mine").status_code == 200, "a list asked for is the list"
        nav = inbox.get_data(as_text=True).split("</nav>")[0]
        assert ('data-testid="nav-overview"' in nav) is (username in ("lingdao", "renda", "ducha", "bianban",
                                                                        "admin")), username


def test_an_overseer_with_a_task_waiting_lands_on_it_and_the_overview_says_so(app, procedures, session, runtime, user):
    drive = Driver(session, runtime, user)
    drive.start("zhenjie", "call_response", FISHING)
    drive.complete("respond", {"decision": "reject", "reason": "非本单位职责"}, org="gongan")
    drive.complete("decide", {"choice": "forward"})  # 督查 now organises the negotiation
    client = app.test_client()
    assert login(client, "ducha").status_code == 302
    assert client.get("/").status_code == 200, "a task waits: 我的待办 first"
    page = client.get("/overview").get_data(as_text=True)
    assert re.search(r'data-testid="task-banner">您有 1 项待办。<a href="/inbox">去办理</a>', page)


def test_read_only_and_town_users(app, march):
    clerk = app.test_client()
    assert login(clerk, "zhenjie").status_code == 302
    refused = clerk.get("/overview")
    assert refused.status_code == 403 and "概览只对" in refused.get_data(as_text=True)
    renda = app.test_client()
    assert login(renda, "renda").status_code == 302
    page = renda.get("/overview").get_data(as_text=True)
    assert '<form method="post"' not in page.split("<main>")[1], "人大 reads the overview: nothing on it writes"
