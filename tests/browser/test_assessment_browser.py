"""考核 in Chromium: 编办 computes and publishes March, reads the rankings, opens 市公安局's card, clicks its 响应及时率
and lands on the late responses it counts, then on the call; 市农业农村局 on a phone sees only its own row and card."""

import re
from zoneinfo import ZoneInfo

import pytest

from app.domain.actors import Actor
from app.governance import assessment_runs as runs
from app.governance.assessment_periods import Period
from tests.browser.conftest import sign_in
from tests.web.test_assessment_pages import MARCH, play_march


@pytest.fixture
def march(session, runtime, user, procedures):
    call = play_march(session, runtime, user)
    session.commit()
    return call


def watch(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def small_controls(page):
    """Links, buttons and pickers of the page's content lower than 44px (too small to tap)."""
    return page.evaluate("""() => [...document.querySelectorAll('main a, main button, main select, main summary')]
        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))""")


def test_bianban_publishes_a_month_and_traces_a_rate_down_to_the_call(browser_page, march):
    page = browser_page(1440, 900)
    errors = watch(page)
    sign_in(page, "bianban")
    page.get_by_test_id("nav-assessment").click()
    page.wait_for_url(re.compile(r"/assessment$"))
    page.goto(f"/assessment?period={MARCH}")
    assert page.get_by_test_id("no-run").is_visible()

    page.get_by_test_id("compute").click()
    page.get_by_test_id("run-status").wait_for()
    assert page.get_by_test_id("run-status").inner_text() == "待发布"
    page.once("dialog", lambda dialog: dialog.accept())  # 发布 asks first: the result is frozen
    page.get_by_test_id("publish").click()
    page.wait_for_selector("text=结果已冻结")
    assert page.get_by_test_id("run-status").inner_text() == "已发布"
    assert page.get_by_test_id("publish").count() == 0

    rows = page.locator("[data-testid=group-department] tbody tr")
    assert [rows.nth(i).get_attribute("data-testid") for i in range(rows.count())] == ["row-nongye", "row-gongan"]
    gongan = page.get_by_test_id("row-gongan")
    assert gongan.get_by_test_id("rank").inner_text() == "2"
    assert gongan.locator("text=红榜").count() == 1  # two ranked, three on the list
    late_rate = gongan.get_by_test_id("cell-response_rate").inner_text()

    gongan.get_by_test_id("card-gongan").click()
    page.wait_for_url(re.compile(r"/assessment/org/gongan\?period=" + MARCH))
    page.locator("#trend-chart[data-ready='1'] canvas").first.wait_for()
    assert page.get_by_test_id("card-rank").inner_text() == "第 2 名 / 共 2 个市直部门"
    figure = page.get_by_test_id("figure-response_rate")
    assert figure.get_by_test_id("value-response_rate").inner_text() == late_rate
    num, den = (int(n) for n in re.search(r"(\d+) / (\d+)", figure.inner_text()).groups())

    figure.get_by_test_id("value-response_rate").click()
    page.wait_for_url(re.compile(r"/calls\?.*metric=response_rate.*part=miss"))
    assert page.get_by_role("heading", name=re.compile("未按时响应的呼叫")).is_visible()
    assert page.get_by_test_id("behind-count").inner_text() == f"共 {den - num} 件"
    assert page.get_by_test_id("behind-row").count() == den - num
    page.get_by_test_id(f"call-{march.number}").first.click()
    page.wait_for_url(re.compile(f"/calls/{march.number}$"))
    assert errors == []


def test_an_organisation_sees_only_its_own_card_on_a_phone(browser_page, march, session, user, runtime, app):
    bianban = Actor.of(user("bianban"))
    run = runs.compute(session, bianban, Period.parse(MARCH), ZoneInfo("Asia/Shanghai"))
    session.commit()
    page = browser_page(390, 844)
    errors = watch(page)
    sign_in(page, "nongye")
    page.goto(f"/assessment?period={MARCH}")
    assert page.get_by_test_id("no-run").is_visible(), "computed, not published: nothing to see yet"

    runs.publish(session, bianban, run.id, runtime.calendar(session),
                 app.extensions["tianchang.config"].ASSESSMENT_APPEAL_DAYS)
    session.commit()
    page.get_by_role("button", name=re.compile("菜单")).click()
    page.get_by_test_id("nav-assessment").click()
    page.wait_for_url(re.compile(r"/assessment$"))
    page.goto(f"/assessment?period={MARCH}")
    assert page.get_by_test_id("own-rank").inner_text() == "第 1 名 / 共 2 个市直部门"
    assert page.get_by_test_id("row-gongan").count() == 0 and page.get_by_text("市公安局").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "tables scroll in their box"
    assert small_controls(page) == []

    page.get_by_test_id("own-card").click()
    page.wait_for_url(re.compile(r"/assessment/org/nongye\?"))
    page.locator("#trend-chart[data-ready='1'] canvas").first.wait_for()
    assert page.get_by_test_id("card-rank").inner_text() == "第 1 名 / 共 2 个市直部门"
    assert page.get_by_test_id("appeal-response_rate").is_visible(), "the appeal window is open"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(page) == []

    page.goto(f"/assessment/org/gongan?period={MARCH}")
    assert page.get_by_text("只能查看本单位的考核卡片").is_visible()
    assert [e for e in errors if "403" not in e] == []
