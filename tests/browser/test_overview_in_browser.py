"""概览 in Chromium on a phone and a desktop: a leader lands on it, its charts draw under the strict CSP (no
console error, tooltips included), and a figure or a bar opens the calls it counts."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.db import utcnow
from app.domain.actors import Actor
from app.domain.people import get_user
from app.extensions import db
from app.governance import calls, supervision
from tests.browser.conftest import sign_in

COUNTY = ZoneInfo("Asia/Shanghai")
FIELDS = {"location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal"}
CONTROLS = "main button, main a.button, main a.figure, main .figure-list a, main select, header a, header button"


@pytest.fixture
def this_month(app):
    """Three calls of this month: one closed, one rejected and still disputed, one whose response is overdue;
    an open yellow case."""
    session, system = db.session, Actor.system()
    clerk = Actor.of(get_user(session, "zhenjie"))
    made = [calls.open_call(session, clerk, "tongcheng", "P-0001", FIELDS) for _ in range(3)]
    calls.set_status(session, system, made[0], "closed")
    calls.reject_call(session, system, made[1], "gongan", utcnow(), "非本单位职责")
    calls.set_status(session, system, made[1], "disputed")
    calls.set_response_due(session, system, made[2], "nongye", utcnow() - timedelta(hours=1))
    case = supervision.open_case(session, system, "gongan", "no_response", "未响应", call_id=made[2].id)
    supervision.update_case(session, system, case.number, grade="yellow")
    session.commit()
    return made


def watch(page):
    """Console errors of the page (a CSP refusal is one), collected as they come."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def chart_point(page, chart_id, series, index):
    """The middle (page x, y) of a bar as ECharts laid it out."""
    x, y = page.evaluate("""([id, series, index]) => {
        const chart = echarts.getInstanceByDom(document.getElementById(id));
        const bar = chart.getModel().getSeriesByIndex(series).getData().getItemLayout(index);
        return [bar.x + bar.width / 2, bar.y + bar.height / 2]; }""", [chart_id, series, index])
    box = page.locator(f"#{chart_id}").bounding_box()
    return box["x"] + x, box["y"] + y


@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)])
def test_a_leader_lands_on_the_charts_and_opens_the_calls_behind_them(browser_page, this_month, width, height):
    page = browser_page(width, height)
    errors = watch(page)
    sign_in(page, "lingdao")
    assert page.url.endswith("/overview"), "no task waits for a leader: the overview is the home page"
    for chart in ("chart-days", "chart-rejections", "chart-cases"):
        page.locator(f"#{chart}[data-ready='1'] canvas").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small = page.evaluate(f"""() => [...document.querySelectorAll({CONTROLS!r})].filter(
        e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))""")
    assert small == []
    assert page.get_by_test_id("figure-opened").locator(".n").inner_text() == "3"
    assert page.get_by_test_id("figure-overdue").locator(".n").inner_text() == "1"

    today = utcnow().astimezone(COUNTY).date()
    page.locator("#chart-cases").scroll_into_view_if_needed()
    page.mouse.move(*chart_point(page, "chart-cases", 0, 1))  # the yellow bar: a tooltip drawn on the canvas
    page.wait_for_timeout(300)
    page.locator("#chart-days").scroll_into_view_if_needed()
    page.mouse.click(*chart_point(page, "chart-days", 0, today.day - 1))
    page.wait_for_url(re.compile(r"/calls\?"))
    assert f"from={today.isoformat()}&to={today.isoformat()}" in page.url
    assert page.get_by_test_id("calls-total").inner_text() == "共 3 条"

    page.go_back()
    page.get_by_test_id("figure-rejected").click()
    page.wait_for_url(re.compile(r"rejection=any"))
    assert page.get_by_test_id("calls-total").inner_text() == "共 1 条"
    assert errors == []


def test_a_month_is_chosen_from_the_picker(browser_page, this_month):
    page = browser_page(390, 844)
    errors = watch(page)
    sign_in(page, "renda")
    page.goto("/overview?month=2000-01")
    assert page.get_by_role("heading", name=re.compile("2000年1月")).is_visible()
    assert page.get_by_test_id("figure-opened").locator(".n").inner_text() == "0"
    page.locator("#chart-days[data-ready='1']").wait_for()
    this = utcnow().astimezone(COUNTY).strftime("%Y-%m")
    page.select_option("select[name=month]", this)  # choosing is enough: the form goes by itself
    page.wait_for_url(re.compile(f"month={this}"))
    assert page.get_by_test_id("figure-opened").locator(".n").inner_text() == "3"
    assert errors == []
