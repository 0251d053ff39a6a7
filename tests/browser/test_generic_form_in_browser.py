"""A plain BPMN task on a phone: the generic form (documentation as instructions, a comment, an acknowledgement)
in Chinese, nothing clipped, and a completion without the acknowledgement refused next to it."""

import re
from pathlib import Path

from app.workflow.deployments import read_bundle_dir
from tests.browser.conftest import ARTIFACTS, sign_in

BUNDLE = Path(__file__).resolve().parents[1] / "bundles" / "portable" / "plain_tasks"
LATIN = re.compile(r"[A-Za-z]{2,}")


def started_plain_task(api_as):
    files = {name: content.decode() for name, content in read_bundle_dir(BUNDLE).items()}
    assert api_as("admin").post("/api/processes/deploy", {"files": files}).status_code == 201
    town = api_as("zhenjie")
    instance = town.post("/api/instances", {"process_id": "Process_plain-lanes"}).json["id"]
    return next(t["id"] for t in town.get("/api/tasks").json if t["instance_id"] == instance)


def test_the_generic_form_reads_in_chinese_on_a_phone_and_needs_the_acknowledgement(browser_page, api_as):
    task_id = started_plain_task(api_as)
    page = browser_page(390, 844)
    sign_in(page, "zhenjie")
    page.goto(f"/tasks/{task_id}")
    page.wait_for_function("() => window.__formReady === true")
    assert page.locator(".instructions").inner_text().strip() == "到现场拍照，确认火点已经扑灭。"
    assert page.get_by_label("办理意见（选填）").is_visible()
    assert page.get_by_label("我已阅读办理说明，并已完成此项工作").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "generic-form-390.png"), full_page=True)

    text = page.locator("main").inner_text()
    assert LATIN.findall(text) == [], "no English word or code on the page"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    clipped = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => {
        const box = e.getBoundingClientRect();
        return e.offsetParent && box.width && (box.left < 0 || box.right > window.innerWidth
               || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'hidden');
    }).map(e => e.outerHTML.slice(0, 80))""")
    assert clipped == []

    page.get_by_label("办理意见（选填）").fill("火点已灭")
    page.click("#submit")
    page.locator(".fjs-form-field-error", has_text="此项为必填项").wait_for()
    page.screenshot(path=str(ARTIFACTS / "generic-form-390-refused.png"), full_page=True)
    assert LATIN.findall(page.locator("main").inner_text()) == []
    assert page.url.endswith(f"/tasks/{task_id}"), "not completed"
    page.get_by_label("我已阅读办理说明，并已完成此项工作").check()
    page.click("#submit")
    page.wait_for_url("**/?done=*")
    assert api_as("zhenjie").get(f"/api/tasks/{task_id}").json["status"] == "completed"
