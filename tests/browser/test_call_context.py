"""In Chromium: the department and the rater see the caller's photo and the handling results on their task pages,
编办's 协调 shows the negotiation minutes and names the departments, and the caller urges a late party by its button."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from tests.browser.conftest import sign_in
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING
from tests.web.test_call_context import MINUTES, NOTE, REASON, upload_photo

ZONE = ZoneInfo("Asia/Shanghai")


def last_monday():
    """09:00 on a Monday at least a week ago: a call started then is long past its two working hours."""
    day = datetime.now(ZONE).date() - timedelta(days=7)
    while day.weekday() != 0:
        day -= timedelta(days=1)
    return datetime.combine(day, time(9, 0), ZONE)


@pytest.fixture
def drive(session, runtime, user, procedures):
    return Driver(session, runtime, user)


def shown(page, selector):
    """Whether the image was loaded and drawn (a broken thumbnail has no natural width)."""
    image = page.locator(selector).first
    image.wait_for()
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_the_department_sees_the_photo_and_the_raters_the_handling_results(browser_page, drive, api_as):
    photo = upload_photo(api_as, "wangge")
    with freeze_time(last_monday()):
        drive.start("wangge", "call_response", dict(FISHING, photos=[photo]))
    department = browser_page(390, 844)
    sign_in(department, "nongye")
    department.goto(f"/tasks/{drive.one('respond', org='nongye').id}")
    assert shown(department, ".call-card .photo-grid img")
    assert "已超期" in department.locator("main p.meta").inner_text()
    assert department.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for org in ("nongye", "gongan"):
        drive.complete("respond", {"decision": "accept"}, org=org)
    drive.complete("handle", {"action": "done", "result": "罚款 3000 元，没收电鱼器"}, org="nongye")
    drive.complete("handle", {"action": "done", "result": "出警处置，暂扣船只"}, org="gongan")
    caller = browser_page(390, 844)
    sign_in(caller, "wangge")
    caller.goto(f"/tasks/{drive.one('confirm').id}")
    results = caller.get_by_role("region", name="各单位办理结果").inner_text()
    assert "市农业农村局" in results and "罚款 3000 元，没收电鱼器" in results and "出警处置，暂扣船只" in results
    assert shown(caller, ".call-card .photo-grid img")
    drive.complete("confirm", {"grade": "满意", "comment": "处置迅速"})
    department.goto(f"/tasks/{drive.one('rate_call', org='nongye').id}")
    results = department.get_by_role("region", name="各单位办理结果").inner_text()
    assert "出警处置，暂扣船只" in results and "呼叫方评价" in results


def test_the_coordinator_reads_the_minutes_and_chooses_a_department_by_name(browser_page, drive):
    drive.start("wangge", "call_response", FISHING)
    drive.complete("respond", {"decision": "accept"}, org="nongye")
    drive.complete("respond", {"decision": "reject", "reason": REASON}, org="gongan")
    drive.complete("decide", {"choice": "forward", "dispute_note": NOTE})
    drive.complete("negotiate", {"agreed": "no", "responsible": "department", "summary": MINUTES})
    page = browser_page()
    sign_in(page, "bianban")
    page.goto(f"/tasks/{drive.one('coordinate').id}")
    told = page.get_by_role("region", name="驳回与协商情况").inner_text()
    assert MINUTES in told and NOTE in told and REASON in told
    choice = page.get_by_label("市公安局（驳回的部门）")
    choice.wait_for()
    assert not choice.is_checked() and not page.get_by_label("铜城镇高邮湖社区（呼叫方）").is_checked()
    assert page.get_by_text("被呼叫部门", exact=True).count() == 0


def test_the_caller_urges_a_late_party_with_the_button(browser_page, drive):
    with freeze_time(last_monday()):
        number = drive.start("zhenjie", "call_response", FISHING).business_key
    page = browser_page(390, 844)
    sign_in(page, "zhenjie")
    page.goto(f"/calls/{number}")
    party = page.get_by_role("region", name="市公安局")
    assert "尚未响应" in party.inner_text() and "已超期" in party.inner_text()
    for count in (1, 2):
        page.get_by_role("region", name="市公安局").get_by_role("button", name="催办市公安局").click()
        page.get_by_text(f"已催办市公安局（第 {count} 次）").wait_for()
        assert f"已催办 {count} 次" in page.get_by_role("region", name="市公安局").inner_text()
    when = page.get_by_role("region", name="市公安局").locator("button.when").first
    when.click()
    assert when.get_attribute("aria-expanded") == "true"
    assert "响应期限 20" in page.get_by_role("region", name="市公安局").locator(".deadline .full").first.inner_text()
