"""Staff tools on a phone (390×844): 督办台 as cards that open their case, the header's menu, 呼叫记录's filters."""

from tests.browser.conftest import sign_in
from tests.procedures.test_call_response import FISHING
from tests.web.test_staff_pages import closed_case  # noqa: F401 - the fixture


def test_the_supervision_desk_is_cards_on_a_phone_and_a_card_opens_its_case(browser_page, closed_case):  # noqa: F811
    page = browser_page(390, 844)
    sign_in(page, "ducha")
    page.goto("/supervision")
    card = page.locator("tr.case").first
    assert not page.locator("table.cases thead").is_visible()
    assert card.evaluate("e => getComputedStyle(e).display") == "grid"
    box = card.bounding_box()
    assert box["width"] > 300 and box["height"] > 120
    assert "蓝牌" in card.inner_text() and "市公安局" in card.inner_text() and "历时" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card.click(position={"x": box["width"] / 2, "y": box["height"] / 2})  # anywhere on the card, not only its number
    page.wait_for_url(f"**/supervision/{closed_case.number}")
    assert page.get_by_role("heading", name=f"督办 {closed_case.number}").is_visible()
    assert page.get_by_text("联合夜巡").first.is_visible() and page.get_by_text("整改到位，办结").first.is_visible()
    desk = browser_page(1440, 900)
    sign_in(desk, "ducha")
    desk.goto("/supervision")
    assert desk.locator("table.cases thead").is_visible()
    row = desk.locator("tr.case").first
    row.click(position={"x": row.bounding_box()["width"] / 2, "y": 10})
    desk.wait_for_url("**/supervision/DB*")


def test_the_phone_header_is_a_menu(browser_page, procedures):
    page = browser_page(390, 844)
    sign_in(page, "zhenjie")
    header = page.locator("header.top")
    assert header.bounding_box()["height"] <= 56
    menu = page.get_by_role("button", name="菜单")
    links = page.locator("#site-menu")
    assert menu.get_attribute("aria-expanded") == "false" and not links.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and links.is_visible()
    assert page.get_by_role("link", name="我的账户").is_visible()
    page.get_by_role("link", name="清单", exact=True).click()
    page.wait_for_url("**/lists")
    assert page.get_by_role("heading", name="清单").is_visible() and not links.is_visible()
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="呼叫记录").click()
    page.wait_for_url("**/calls")
    desk = browser_page(1440, 900)
    sign_in(desk, "zhenjie")
    assert not desk.get_by_role("button", name="菜单").is_visible()
    assert desk.get_by_role("link", name="呼叫记录").is_visible()


def test_the_calls_filter_works_on_a_phone(browser_page, procedures, api_as):
    zhenjie = api_as("zhenjie")
    for data in (FISHING, dict(FISHING, item_code="P-0007", location="滁河天长段")):
        assert zhenjie.post("/api/instances", {"process_id": "call_response", "data": data}).status_code == 201
    page = browser_page(390, 844)
    sign_in(page, "zhenjie")
    page.goto("/calls")
    assert page.get_by_test_id("calls-total").inner_text() == "共 2 条"
    form = page.locator("#call-filters")
    assert not form.is_visible()
    page.get_by_role("button", name="筛选").first.click()
    assert form.is_visible()
    page.get_by_label("办理单位").select_option(label="市水利局")
    page.get_by_label("关键词").fill("滁河")
    form.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/calls?*party=shuili*")
    assert page.get_by_test_id("calls-total").inner_text() == "共 1 条"
    chip = page.get_by_role("link", name="移除筛选 办理单位：市水利局")
    assert chip.is_visible() and not form.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    chip.click()
    page.wait_for_url("**/calls?q=*")
    assert page.get_by_test_id("calls-total").inner_text() == "共 1 条"
    page.get_by_role("link", name="移除筛选 关键词：滁河").click()
    page.wait_for_url("**/calls")
    assert page.get_by_test_id("calls-total").inner_text() == "共 2 条"
