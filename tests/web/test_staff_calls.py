"""呼叫记录 searched: every filter of /calls and /api/calls over calls made by the real procedures, and paging."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from app.domain.actors import Actor
from app.domain.people import get_user
from app.governance.calls import open_call
from tests.conftest import login
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Tianchang
TUESDAY_EARLY = datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc)  # 07:00 on Tuesday in Tianchang, Monday in UTC
TUESDAY = datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc)  # 10:00 on Tuesday in Tianchang


@pytest.fixture
def calls(session, runtime, user, procedures):
    """A: 市公安局 rejected, the caller accepted it; B: nobody answered, 市农业农村局 answers late on Tuesday;
    C: about river sand (市水利局), made early on Tuesday. The clock stops on Tuesday 10:00."""
    drive = Driver(session, runtime, user)
    with freeze_time(MONDAY) as clock:
        a = drive.start("zhenjie", "call_response", FISHING).business_key
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "reject", "reason": "不属于本单位职责"}, org="gongan")
        drive.complete("decide", {"choice": "accept"})
        clock.tick(timedelta(minutes=10))
        b = drive.start("zhenjie", "call_response", dict(FISHING, location="秦栏镇新河口")).business_key
        clock.move_to(TUESDAY_EARLY)
        c = drive.start("zhenjie", "call_response", dict(FISHING, item_code="P-0007", location="滁河天长段")).business_key
        clock.move_to(TUESDAY)
        drive.complete("respond", {"decision": "accept"}, org="nongye")  # B's, the only one 市农业农村局 has open
        yield {"A": a, "B": b, "C": c}


def numbers(client, query=""):
    body = client.get(f"/calls{query}").get_data(as_text=True)
    return set(re.findall(r'href="/calls/(HJ[\d-]+)"', body)), body


def api_numbers(api, query=""):
    response = api.get(f"/api/calls{query}")
    assert response.status_code == 200, response.json
    return {row["number"] for row in response.json}


FILTERS = [  # query, the calls it finds
    ("", "ABC"), ("?q=秦栏", "B"), ("?q=滁河", "C"), ("?q=%25", ""), ("?status=responding", "C"),
    ("?status=handling", "B"), ("?item=P-0007", "C"), ("?item=P-0001", "AB"), ("?party=shuili", "C"),
    ("?party=gongan", "ABC"), ("?party=nongye", "AB"), ("?from=2026-03-03", "C"), ("?to=2026-03-02", "AB"),
    ("?from=2026-03-02&to=2026-03-02", "AB"), ("?overdue=1", "B"), ("?late=1", "B"), ("?late=1&party=nongye", "B"),
    ("?overdue=1&party=nongye", ""), ("?rejection=any", "A"), ("?rejection=accepted", "A"), ("?rejection=open", ""),
    ("?rejection=coordination", ""), ("?rejection=any&party=nongye", ""), ("?status=responding&q=秦栏", ""),
    ("?status=handling&q=秦栏", "B"),
]


def test_every_filter_of_the_page_and_the_api(client, api_as, calls):
    api = api_as("ducha")
    login(client, "ducha")
    with freeze_time(TUESDAY):
        for query, expected in FILTERS:
            wanted = {calls[key] for key in expected}
            found, body = numbers(client, query)
            assert found == wanted, (query, found)
            assert f"共 {len(wanted)} 条" in body, query
            assert api_numbers(api, query) == wanted, query
        status = api.get(f"/api/calls/{calls['A']}").json["status"]  # the rejection settled: where A stands now
        assert status not in ("handling", "responding") and numbers(client, f"?status={status}")[0] == {calls["A"]}


def test_the_number_finds_its_call(client, calls):
    login(client, "ducha")
    with freeze_time(TUESDAY):
        assert numbers(client, f"?q={calls['A']}")[0] == {calls["A"]}


def test_a_department_searches_only_the_calls_it_is_part_of(client, api_as, calls):
    login(client, "nongye")
    with freeze_time(TUESDAY):
        assert numbers(client)[0] == {calls["A"], calls["B"]}
        assert numbers(client, "?item=P-0007")[0] == set()
        assert api_numbers(api_as("nongye"), "?party=shuili") == set()
        login(client, "wangge")
        assert numbers(client)[0] == set()


def test_chosen_filters_are_chips_that_remove_themselves_and_pickers_show_names(client, calls):
    login(client, "ducha")
    with freeze_time(TUESDAY):
        _, body = numbers(client, "?status=handling&party=gongan&late=1")
    chips = dict((text.strip(), href) for href, text in re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<', body))
    assert set(chips) == {"状态：办理中", "办理单位：市公安局", "响应超期"}
    assert chips["办理单位：市公安局"].replace("&amp;", "&") == "/calls?status=handling&late=1"
    assert '<option value="gongan" selected>市公安局</option>' in body
    assert '<option value="P-0007">P-0007 河道非法采砂的查处</option>' not in body and ">河道非法采砂的查处</option>" in body
    assert 'aria-controls="call-filters"' in body and "<details" not in body


def test_bad_filters_are_told_in_chinese_and_ignored_by_the_page_refused_by_the_api(client, api_as, calls):
    login(client, "ducha")
    with freeze_time(TUESDAY):
        found, body = numbers(client, "?status=bogus&from=03/02/2026&rejection=maybe")
        assert found == set(calls.values())
        assert "状态：不是可选的项，已忽略" in body and "登记起：日期格式应为 年-月-日，已忽略" in body
        assert "bogus" not in body
        api = api_as("ducha")
        for query in ("?status=bogus", "?from=2026-13-01", "?rejection=maybe", "?overdue=perhaps"):
            response = api.get(f"/api/calls{query}")
            assert response.status_code == 422, query
            assert re.search(r"[\u4e00-\u9fff]", response.json["message"]), query


def test_pages_keep_the_filters(client, session, api_as, procedures):
    zhenjie = Actor.of(get_user(session, "zhenjie"))
    for n in range(23):
        open_call(session, zhenjie, "tongcheng", "P-0001", {"location": f"湖边 {n:02d} 号", "description": "电鱼"})
    open_call(session, zhenjie, "tongcheng", "P-0007", {"location": "湖边 河道", "description": "采砂"})
    session.commit()
    login(client, "ducha")
    first, body = numbers(client, "?q=湖边&item=P-0001")
    assert len(first) == 20 and "共 23 条" in body
    pages = {unquoted(href) for href in re.findall(r'<nav class="pager".*?</nav>', body, re.S)[0].split('href="')[1:]}
    assert any(href.startswith("/calls?page=2&") and "item=P-0001" in href and "q=湖边" in href for href in pages)
    second, body = numbers(client, "?q=湖边&item=P-0001&page=2")
    assert len(second) == 3 and not first & second and 'aria-current="page">2<' in body
    response = api_as("ducha").get("/api/calls?q=湖边&item=P-0001&page=2&page_size=20")
    assert len(response.json) == 3 and '"total": 23' in response.headers["X-Pagination"]


def unquoted(href):
    from urllib.parse import unquote

    return unquote(href.split('"')[0].replace("&amp;", "&"))


def test_an_unsettled_rejection_and_a_handling_deadline_passed(client, session, runtime, user, procedures):
    drive = Driver(session, runtime, user)
    with freeze_time(MONDAY) as clock:
        login(client, "ducha")
        number = drive.start("zhenjie", "call_response", FISHING).business_key
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "reject", "reason": "不属于本单位职责"}, org="gongan")
        for query, found in (("?rejection=open", {number}), ("?rejection=any&party=gongan", {number}),
                             ("?rejection=accepted", set()), ("?overdue=1", set()), ("?late=1", set())):
            assert numbers(client, query)[0] == found, query
        clock.tick(timedelta(days=10))  # past 市农业农村局's handling deadline (and nobody swept the timers)
        login(client, "ducha")  # a new day's session
        assert numbers(client, "?overdue=1&party=nongye")[0] == {number}
        assert numbers(client, "?late=1")[0] == set()  # both answered in time
