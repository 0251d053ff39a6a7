"""The task page in Chromium: Chinese errors in place, the 409 message, and a forbidden task."""

from tests.browser.conftest import sign_in
from tests.procedures.test_call_response import FISHING


def start_call(api_as):
    return api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING}).json


def open_task(page, title_part):
    page.goto("/")
    page.get_by_role("link", name=title_part).first.click()
    page.wait_for_function("() => window.__formReady === true")


def test_validation_errors_are_shown_next_to_the_fields(browser_page, procedures, api_as):
    start_call(api_as)
    page = browser_page(390, 844)
    sign_in(page, "nongye")
    open_task(page, "签收响应")
    page.click("#submit")
    assert page.get_by_text("此项为必填项").first.is_visible()
    # whatever the server refuses is shown next to the field it names
    page.route("**/api/tasks/*/complete", lambda route: route.fulfill(status=422, json={
        "code": "validation_failed", "message": "请求参数有误", "errors": {"decision": ["不是允许的选项"]}}))
    page.get_by_text("接受并办理", exact=True).click()
    page.click("#submit")
    page.locator(".fjs-form-field-error", has_text="不是允许的选项").wait_for()
    assert "请求参数有误" in page.locator("#message").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_someone_else_completed_it_first(browser_page, procedures, api_as):
    start_call(api_as)
    page = browser_page()
    sign_in(page, "nongye")
    open_task(page, "签收响应")
    task_id = page.url.rsplit("/", 1)[1]
    from app.domain.people import create_user
    from app.extensions import db

    create_user(db.session, "admin", "nongye2", "农业二号", "password1", "nongye", ["dept_staff"], "pbkdf2:sha256:1000")
    db.session.commit()
    api_as("nongye2").post(f"/api/tasks/{task_id}/complete", {"data": {"decision": "accept"}})
    page.get_by_text("接受并办理", exact=True).click()
    page.click("#submit")
    message = page.locator("#message")
    message.wait_for(state="visible")
    assert "已被 农业二号 完成" in message.inner_text()


def test_a_department_cannot_open_another_departments_task(browser_page, procedures, api_as):
    start_call(api_as)
    task_id = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    page = browser_page()
    sign_in(page, "gongan")
    response = page.goto(f"/tasks/{task_id}")
    assert response.status == 403
    assert page.get_by_role("heading", name="无权访问").is_visible()
    assert "您无权处理此任务" in page.content()


PAGES = ["/", "/calls", "/lists", "/lists/P-0001", "/supervision", "/notifications", "/applications",
         "/start/call_response"]


def test_every_page_fits_a_phone_and_its_controls_are_big_enough(browser_page, procedures, api_as):
    start_call(api_as)
    task_id = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    page = browser_page(390, 844)
    sign_in(page, "nongye")
    for url in PAGES + [f"/tasks/{task_id}"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
        small = page.evaluate("""() => [...document.querySelectorAll(CONTROLS)].filter(
            e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))""".replace(
            "CONTROLS", repr("main button, main a.button, header a, header button, main select, main input[type=search]")))
        assert small == [], (url, small)
