"""No-code changes made in the form and decision-table editors, approved by 编办, then seen by staff (issue 10, changes
1, 3 and 5): each is done in Chromium as people do it — the designer's editors, the 提交发布 page, 编办's task,
the staff pages."""

import re

import pytest
from sqlalchemy import select

from tests.browser.studio import Person, approve, shot, start_call


@pytest.fixture
def config_overrides():
    return {"DEPLOY_APPROVAL": True}


class FormDesigner(Person):
    def __init__(self, browser_page):
        super().__init__(browser_page, "sheji")

    def open_form(self, form_id):
        self.page.goto(f"/design/forms/{form_id}")
        self.page.locator("#fe-canvas .fjs-form-field").first.wait_for()
        return self

    def add_field(self, kind):
        self.page.locator("#fe-palette .fjs-palette-field", has_text=kind).first.click()
        return self

    def select_field(self, label):
        self.page.locator("#fe-canvas .fjs-form-field", has_text=label).last.click()
        return self

    def group(self, name):
        header = self.page.locator("#fe-properties .bio-properties-panel-group-header", has_text=name).first
        if "open" not in (header.get_attribute("class") or ""):
            header.click()
        return self

    def set(self, panel_id, value):
        field = self.page.locator(f"#bio-properties-panel-{panel_id}")
        field.fill(value)
        field.press("Tab")
        return self

    def wait_saved(self, status="#save-status"):
        self.page.locator(status, has_text="已保存草稿").wait_for(timeout=20_000)
        return self

    def publish(self, reason):
        """提交发布 for all my drafts: wait for the scenario tests, give the reason, send; the request's number."""
        self.page.goto("/design")
        self.page.get_by_test_id("review-link").click()
        self.page.get_by_test_id("tests-passed").wait_for(timeout=90_000)
        self.page.fill("#reason", reason)
        self.page.click("#submit-request")
        message = self.page.locator("#message")
        message.get_by_text("已提交发布申请").wait_for(timeout=90_000)
        href = message.get_by_role("link", name="查看申请").get_attribute("href")
        return int(re.search(r"/design/requests/(\d+)", href).group(1))


def test_a_field_added_to_the_call_form_shows_on_the_call_and_task_pages(browser_page, procedures):
    designer = FormDesigner(browser_page).open_form("call_form")
    designer.add_field("文本框").group("常规").set("label", "现场坐标").set("key", "coordinates")
    preview = designer.page.get_by_test_id("form-preview")
    preview.get_by_label("现场坐标").wait_for()
    designer.wait_saved()
    shot(designer.page, "forms-field-added")
    designer.publish("呼叫单增加现场坐标，便于部门定位")
    _, review = approve(browser_page, "呼叫单增加现场坐标")
    assert "现场坐标" in review, "the reviewer's task lists the new field"

    town = Person(browser_page, "zhenjie")
    town.page.goto("/start/call_response")
    town.page.wait_for_function("() => window.__formReady === true")
    town.page.locator("#form").get_by_label("现场坐标").wait_for()
    town.page.fill("#item-search", "电鱼")
    town.page.get_by_role("button", name="P-0001").click()
    town.page.locator("#item-chosen .title").wait_for()
    town.page.locator("#form").get_by_label("地点").fill("高邮湖铜城段")
    town.page.locator("#form").get_by_label("问题描述").fill("坐标测试")
    town.page.locator("#form").get_by_label("现场坐标").fill("32.69N,119.01E")
    town.page.locator("#form").get_by_text("一般", exact=True).click()
    town.page.click("#submit")
    town.page.wait_for_url(re.compile(r"/calls/HJ"))
    town.page.get_by_test_id("start-form-toggle").click()
    assert town.page.get_by_test_id("start-form").get_by_label("现场坐标").input_value() == "32.69N,119.01E"

    department = Person(browser_page, "nongye").task("签收响应")
    department.page.get_by_test_id("start-form-toggle").click()
    shown = department.page.get_by_test_id("start-form").get_by_label("现场坐标")
    assert shown.input_value() == "32.69N,119.01E"
    shot(department.page, "forms-field-on-task")


def test_a_field_made_required_and_one_given_a_pattern_give_staff_the_chinese_message_in_place(
        browser_page, procedures):
    designer = FormDesigner(browser_page).open_form("call_form")
    designer.select_field("地点").group("校验")
    designer.set("pattern", ".*(镇|村|湖|街|路|段|社区).*")
    designer.page.locator("#bio-properties-panel-patternErrorMessage").wait_for()
    designer.set("patternErrorMessage", "请写明所在镇街、村（社区）或路段")
    designer.wait_saved()
    preview = designer.page.get_by_test_id("form-preview")
    preview.get_by_label("地点").fill("那边")
    designer.page.click("#preview-check")
    preview.get_by_text("请写明所在镇街、村（社区）或路段").wait_for()
    shot(designer.page, "forms-pattern-preview")

    designer.open_form("handle_form").select_field("办理结果").group("校验")
    designer.page.locator("#bio-properties-panel-required").check()
    designer.wait_saved()
    designer.publish("地点须写明镇村或路段；办结须写办理结果")
    approve(browser_page, "地点须写明镇村或路段")

    town = Person(browser_page, "zhenjie")
    town.page.goto("/start/call_response")
    town.page.wait_for_function("() => window.__formReady === true")
    form = town.page.locator("#form")
    form.get_by_label("地点").fill("那边")
    town.page.click("#submit")
    form.get_by_text("请写明所在镇街、村（社区）或路段").wait_for()
    shot(town.page, "forms-pattern-message")
    assert "/start/call_response" in town.page.url, "nothing was sent"

    start_call(town, "必填测试")
    Person(browser_page, "nongye").task("签收响应").choose("接受并办理").submit()
    department = Person(browser_page, "nongye").task("办理")
    department.page.locator("#form").get_by_text("已办结", exact=True).click()
    department.page.click("#submit")
    department.page.locator("#form").get_by_text("此项为必填项").wait_for()
    assert "/tasks/" in department.page.url, "nothing was sent"
    department.fill(**{"办理结果": "已现场查处"}).submit()


def test_the_urgent_response_limit_changed_in_the_decision_table_reaches_the_next_call(
        browser_page, procedures, session, runtime):
    from app.governance.calls import Call

    designer = Person(browser_page, "sheji")
    page = designer.page
    page.goto("/design/decisions/call_deadlines")
    cell = page.locator(".dmn-decision-table-container td", has_text='min(2, call["response_hours"])').first
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.locator("h1").click()
    page.locator("#save-status", has_text="已保存草稿").wait_for(timeout=20_000)
    shot(page, "decision-cell-changed")

    # The scenario test that pins the urgent limits now fails, and blocks the deploy until the designer updates it.
    page.goto("/design/processes/call_response")
    page.wait_for_function("window.__studioReady === true")
    page.get_by_role("tab", name="场景测试").click()
    page.click("#tests-run")
    urgent = page.locator('li.scenario[data-scenario="urgent_deadlines_from_the_table"]')
    urgent.locator(".badge", has_text="未通过").wait_for(timeout=90_000)
    assert "response_hours" in urgent.inner_text()
    urgent.get_by_role("button", name="编辑").click()
    expected = page.locator("#sc-expect-data")
    text = expected.input_value()
    expected.fill(text.replace('"response_hours": 2', '"response_hours": 1')
                  .replace("2026-03-02T03:30:00+00:00", "2026-03-02T02:30:00+00:00"))
    page.fill("#sc-name", "紧急呼叫：决策表“呼叫时限”把时限缩为 1 个工作小时、2 个工作日")
    page.click("#sc-save")
    page.click("#tests-run")
    page.get_by_test_id("tests-summary").filter(has_text="全部").wait_for(timeout=90_000)
    FormDesigner.publish(designer, "紧急呼叫 1 个工作小时内响应")
    _, review = approve(browser_page, "紧急呼叫 1 个工作小时内响应")
    assert "呼叫时限" in review

    number = start_call(Person(browser_page, "zhenjie"), "紧急：湖面油污", urgency="紧急")
    session.expire_all()
    call = session.scalar(select(Call).where(Call.number == number))
    calendar = runtime.calendar(session)
    lead = next(p for p in call.parties if p.org_code == "nongye")
    expected = calendar.add_working_hours(call.created_at, 1)
    assert abs((lead.response_due - expected).total_seconds()) < 60, ("one working hour, not two", lead.response_due)
    town = Person(browser_page, "zhenjie")
    town.page.goto(f"/calls/{number}")
    shown = lead.response_due.astimezone(calendar.tz).strftime("%m-%d %H:%M")
    assert shown in town.page.locator("main").inner_text()
