"""考核 pages over HTTP: 编办 computes and publishes a month, who sees which rows and cards, the figures on the page are
the run's, a drill-down lists as many calls as its figure counts, and the exports open and hold the rows.

The month is March 2026 with one call of 铜城镇 played through the real procedures: 市农业农村局 answers at once,
市公安局 three hours after its two-hour deadline; both handle it and the caller is 满意.
"""

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from app.governance import assessment_runs as runs
from app.governance.calls import get_call
from tests.conftest import csrf_token, login
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Tianchang
MARCH = "2026-03"


@pytest.fixture
def march(session, runtime, user, procedures):
    return play_march(session, runtime, user)


def play_march(session, runtime, user):
    """The call, played in March 2026 (the browser tests play it too)."""
    with freeze_time(MONDAY) as clock:
        drive = Driver(session, runtime, user)
        instance = drive.start("zhenjie", "call_response", FISHING)
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        clock.tick(timedelta(hours=3))
        drive.complete("respond", {"decision": "accept"}, org="gongan")
        for org in ("nongye", "gongan"):
            drive.complete("handle", {"action": "done", "result": "已查处"}, org=org)
        drive.complete("confirm", {"grade": "满意", "comment": "处置及时"})
        for org in ("nongye", "gongan"):
            drive.complete("rate_call", {"accuracy": 5, "cooperation": 5}, org=org)
    session.expire_all()
    return get_call(session, instance.business_key)


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data}, follow_redirects=True)


def page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def computed(client, period=MARCH, reason=""):
    return post(client, "/assessment/compute", period=period, reason=reason)


def published_now(session, period=MARCH):
    session.expire_all()
    return runs.published_run(session, period)


@pytest.fixture
def published(client, march, session, user):
    """March computed and published by 编办 through the page; signed out afterwards."""
    login(client, "bianban")
    computed(client)
    run = runs.shown_run(session, MARCH, user("bianban"))
    post(client, "/assessment/publish", run=run.id)
    post(client, "/logout")
    return published_now(session)


def cells(body, org):
    """{testid: text} of one organisation's row in the rankings table."""
    row = re.search(rf'<tr[^>]*data-testid="row-{org}">(.*?)</tr>', body, re.S).group(1)
    found = dict(re.findall(r'data-testid="([\w-]+)"[^>]*>([^<]*)<', row))
    return {key: value.strip() for key, value in found.items()}


def test_bianban_computes_reviews_and_publishes_a_month(client, march, session, user):
    login(client, "bianban")
    status, body = page(client, f"/assessment?period={MARCH}")
    assert status == 200 and "2026年3月尚未计算考核结果" in body and 'data-testid="compute"' in body

    done = computed(client)
    text = done.get_data(as_text=True)
    assert "已计算2026年3月（第 1 版），请审核后发布" in text
    assert "待发布" in text and 'data-testid="publish"' in text
    assert 'href="/assessment/formulas#v1" data-testid="formula-link">公式第 1 版' in text
    run = runs.shown_run(session, MARCH, user("bianban"))
    assert run.status == "computed"

    groups = runs.results(session, run)
    for row in groups["department"]:
        if row["rank"] is None:
            continue
        seen = cells(text, row["org_code"])
        assert seen["rank"] == str(row["rank"])
        assert seen["score"] == f"{row['score']:.2f}"
        for key in ("response_rate", "resolve_rate", "satisfaction_rate"):
            value = row["figures"][key]["value"]
            assert seen[f"cell-{key}"] == ("无数据" if value is None else f"{value * 100:.1f}%")
    gongan, nongye = (cells(text, org) for org in ("gongan", "nongye"))
    assert float(nongye["score"]) > float(gongan["score"]), "the late answer costs 市公安局"
    unranked = re.search(r'data-testid="unranked-department">(.*?)</details>', text, re.S).group(1)
    assert "市交通运输局" in unranked and "市公安局" not in unranked, "no data, no rank: listed apart"

    published = post(client, "/assessment/publish", run=run.id).get_data(as_text=True)
    assert "已发布2026年3月（第 1 版），结果已冻结" in published
    assert "发布，结果已冻结" in published and 'data-testid="publish"' not in published
    assert published_now(session).id == run.id


def test_a_republish_needs_a_reason_and_supersedes_the_published_revision(client, published, session, user):
    login(client, "bianban")
    again = computed(client, reason="补录数据后重算").get_data(as_text=True)
    assert "第 2 版" in again and "重新发布的原因（必填）" in again
    second = runs.shown_run(session, MARCH, user("bianban"))
    refused = post(client, "/assessment/publish", run=second.id).get_data(as_text=True)
    assert "2026年3月已发布过，重新发布须写明原因" in refused
    assert published_now(session).id == published.id, "the first revision stays published"
    post(client, "/assessment/publish", run=second.id, reason="补录了一件呼叫的办结时间")
    assert published_now(session).id == second.id
    assert [r["status"] for r in runs.runs_of(session, MARCH)] == ["published", "superseded"]


def test_writes_need_the_csrf_token_and_the_manager(client, march):
    login(client, "bianban")
    assert client.post("/assessment/compute", data={"period": MARCH}).status_code == 400
    post(client, "/logout")
    login(client, "lingdao")
    assert post(client, "/assessment/compute", period=MARCH).status_code == 403
    login(client, "renda")
    assert post(client, "/assessment/compute", period=MARCH).status_code == 403


def test_a_bad_period_is_told_in_chinese(client, march):
    login(client, "lingdao")
    status, body = page(client, "/assessment?period=2026-13")
    assert status == 400 and "考核期间写法不对" in body


def test_overseers_read_every_row_and_an_organisation_only_its_own(client, published, session):
    login(client, "lingdao")
    status, body = page(client, f"/assessment?period={MARCH}")
    assert status == 200 and 'data-testid="row-gongan"' in body and 'data-testid="row-nongye"' in body
    assert 'data-testid="compute"' not in body and 'data-testid="red-department"' in body
    assert 'data-testid="nav-assessment"' in body

    login(client, "nongye")
    status, body = page(client, f"/assessment?period={MARCH}")
    assert status == 200 and 'data-testid="row-nongye"' in body and 'data-testid="row-gongan"' not in body
    card = runs.card(session, published, "nongye")
    own = re.search(r'data-testid="own-rank">([^<]+)<', body).group(1)
    assert own == f"第 {card['rank']} 名 / 共 {card['ranked']} 个市直部门"
    assert "市公安局" not in body and 'data-testid="export-xlsx"' not in body
    assert page(client, f"/assessment/org/nongye?period={MARCH}")[0] == 200
    assert page(client, f"/assessment/org/gongan?period={MARCH}")[0] == 403
    assert page(client, f"/assessment/org/gongan/calls?period={MARCH}&metric=response_rate")[0] == 403
    assert page(client, f"/assessment/export.xlsx?period={MARCH}")[0] == 403

    login(client, "wangge")  # a village's grid worker: not assessed
    status, body = page(client, "/assessment")
    assert status == 403 and "考核结果只对编办" in body
    assert 'data-testid="nav-assessment"' not in page(client, "/inbox")[1]


def test_an_organisation_sees_nothing_before_the_publish(client, march):
    login(client, "bianban")
    computed(client)
    login(client, "gongan")
    status, body = page(client, f"/assessment?period={MARCH}")
    assert status == 200 and "2026年3月的考核结果尚未发布" in body and 'data-testid="row-gongan"' not in body


def test_the_card_shows_every_figure_and_the_drill_down_lists_what_it_counts(client, published, march, session):
    login(client, "bianban")
    card = runs.card(session, published, "gongan")
    status, body = page(client, f"/assessment/org/gongan?period={MARCH}")
    assert status == 200
    figures = {f["key"]: f for f in card["figures"]}
    response = figures["response_rate"]
    assert response["den"] > response["num"], "the late answer is counted"
    row = re.search(r'data-testid="figure-response_rate">(.*?)</tr>', body, re.S).group(1)
    assert f"{response['value'] * 100:.1f}%" in row and f"{response['num']:g} / {response['den']:g}" in row
    assert "交给本单位的各项限时任务" in row, "the definition is on the card"
    assert re.search(r'<script type="application/json" id="trend-data">', body)
    for key in figures:
        assert f'data-testid="value-{key}"' in body

    href = re.search(r'href="([^"]+)" data-testid="value-response_rate"', body).group(1).replace("&amp;", "&")
    assert "part=miss" in href
    status, body = page(client, href)
    assert status == 200 and "未按时响应的呼叫" in body
    listed = int(re.search(r'data-testid="behind-count">共 (\d+) 件', body).group(1))
    assert listed == response["den"] - response["num"] == body.count('data-testid="behind-row"')
    assert f'href="/calls/{march.number}"' in body
    assert "behind-differs" not in body

    for part, expected in (("num", response["num"]), ("den", response["den"])):
        body = page(client, f"/assessment/org/gongan/calls?period={MARCH}&metric=response_rate&part={part}")[1]
        assert f"共 {expected:g} 件" in body
    assert page(client, f"/assessment/org/gongan/calls?period={MARCH}&metric=nothing")[0] == 404
    status, body = page(client, f"/assessment/org/tongcheng_gaoyouhu?period={MARCH}")  # a village: not assessed
    assert status == 404 and "没有这个参加考核的单位" in body


def test_two_periods_compared(client, published, session, user):
    login(client, "bianban")
    computed(client, period="2026-Q1")  # the quarter holds March's facts: the same scores, the same ranks
    quarter = runs.shown_run(session, "2026-Q1", user("bianban"))
    post(client, "/assessment/publish", run=quarter.id)
    login(client, "renda")
    status, body = page(client, f"/assessment/compare?a=2026-Q1&b={MARCH}")
    assert status == 200 and "考核对比 <span class=\"muted\">2026年第1季度 → 2026年3月" in body
    march = {r["org_code"]: r for r in runs.results(session, published)["department"]}
    for org in ("nongye", "gongan"):
        row = re.search(rf'data-testid="compare-row-{org}">(.*?)</tr>', body, re.S).group(1)
        assert row.count(f"{march[org]['score']:.2f}") == 2 and "+0.00" in row and "持平" in row
    status, body = page(client, f"/assessment/compare?a=2026-02&b={MARCH}")
    assert "2026年2月没有可查看的考核结果" in body
    assert "新" in re.search(r'data-testid="compare-row-nongye">(.*?)</tr>', body, re.S).group(1)


def test_a_period_that_cannot_be_is_refused_when_computing(client, march):
    login(client, "bianban")
    told = computed(client, period="2026-3").get_data(as_text=True)
    assert "考核期间写法不对" in told


def test_the_exports_open_and_hold_the_rows(client, published, session):
    login(client, "renda")
    response = client.get(f"/assessment/export.xlsx?period={MARCH}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["市直部门", "镇街", "公式"]
    sheet = book["市直部门"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["名次", "单位", "综合得分"] and "响应及时率（分子）" in header
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    expected = {r["name"]: r for r in runs.results(session, published)["department"]}
    gongan = expected["市公安局"]
    assert rows["市公安局"][0] == gongan["rank"] and rows["市公安局"][2] == pytest.approx(gongan["score"])
    at = header.index("响应及时率（分母）")
    assert rows["市公安局"][at] == gongan["figures"]["response_rate"]["den"]
    formula = [r for r in book["公式"].iter_rows(values_only=True)]
    assert ("公式版本", published.formula_version) in [tuple(r[:2]) for r in formula]
    assert any(r[0] == "响应及时率" and r[1] == 10 for r in formula)

    response = client.get(f"/assessment/report.pdf?period={MARCH}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "天长市2026年3月协同治理考核报告" in text and "市公安局" in text and "红榜" in text
    assert "待发布" not in text and "响应及时率" in text


def test_an_unpublished_report_says_so(client, march):
    login(client, "bianban")
    computed(client)
    response = client.get(f"/assessment/report.pdf?period={MARCH}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "【待发布】" in text
    assert client.get("/assessment/report.pdf?period=2026-02").status_code == 404
