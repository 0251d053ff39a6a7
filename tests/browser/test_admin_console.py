"""The console's instance page in Chromium, as an admin uses it: find an errored instance, read its error on the
diagram, fix its data while suspended, retry and see it finish; reassign a stuck task and see it reach its new
holder."""

import re

from tests.browser.conftest import sign_in
from tests.conftest import bundle_files

WHY = "经办人填错了除数，已电话核实"


def _probe(deploy, api_as, divisor):
    """A 控制台测试流程 instance started by 铜城镇, its first task done with `divisor` (0 puts it in error)."""
    deploy(files=bundle_files("console"))
    town = api_as("zhenjie")
    iid = town.post("/api/instances", {"process_id": "console_probe", "data": {}}).json["id"]
    (task,) = [t for t in town.get("/api/tasks").json if t["instance_id"] == iid]
    town.post(f"/api/tasks/{task['id']}/complete", {"data": {"divisor": divisor}})
    return iid


def _act(page, action, reason=WHY):
    page.fill("#reason-actions", reason)
    page.click(f'[data-testid="action-{action}"]')
    page.wait_for_load_state()


def _find_and_read_the_error(page, iid):
    page.goto("/admin/instances?status=error")
    page.locator(f'a[href="/admin/instances/{iid}"]').first.click()
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert "除数为零" in page.get_by_test_id("instance-error").inner_text()
    failed = page.locator('#diagram [data-element-id="calc"]')
    assert "el-error" in failed.get_attribute("class")
    assert page.locator("#diagram .badge.error").inner_text() == "出错"
    assert "el-completed" in page.locator('#diagram [data-element-id="work"]').get_attribute("class")
    failed.click()
    card = page.locator("#el-calc")
    assert "selected" in card.get_attribute("class") and "除数为零" in card.inner_text()


def _divisor(page):
    row = page.get_by_test_id("data-editor").locator("tr", has=page.locator('input[name="var_name"][value="divisor"]'))
    return row.locator('textarea[name="var_value"]')


def _fix_the_data_while_suspended(page):
    page.click('[data-testid="action-suspend"]')  # without a reason the browser asks for one, nothing is sent
    assert page.get_by_test_id("instance-status").inner_text() == "出错"
    _act(page, "suspend")
    assert page.get_by_test_id("instance-status").inner_text() == "已挂起"
    _divisor(page).fill("四")
    page.fill("#reason-data", WHY)
    page.get_by_role("button", name="保存数据修改").click()
    assert "“divisor”：不是数字" in page.get_by_test_id("data-error").inner_text()
    assert _divisor(page).input_value() == "四", "what the admin typed is kept"
    _divisor(page).fill("4")
    page.fill("#reason-data", WHY)
    page.get_by_role("button", name="保存数据修改").click()
    assert page.get_by_text("已保存数据修改").is_visible()
    assert re.search(r"除数\s*divisor\s*：\s*4", page.get_by_test_id("data-tree").inner_text())


def _retry_and_fire_the_timer(page):
    _act(page, "retry")
    assert page.get_by_test_id("instance-status").inner_text() == "运行中"
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert "el-waiting" in page.locator('#diagram [data-element-id="wait"]').get_attribute("class")
    assert page.locator("#diagram .badge.waiting").inner_text().startswith("定时 ")
    page.locator("#el-wait").get_by_role("button", name="立即触发定时器…").click()
    page.locator("#el-wait input[name=reason]").fill("演示：不必等一小时")
    page.locator("#el-wait").get_by_role("button", name="立即触发定时器", exact=True).click()
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert "el-active" in page.locator('#diagram [data-element-id="close"]').get_attribute("class")


def _finish_as_the_town(town):
    sign_in(town, "zhenjie")
    town.get_by_role("link", name=re.compile("确认办结")).first.click()
    town.wait_for_function("() => window.__formReady === true")
    town.get_by_label(re.compile("我已阅读办理说明")).check()
    town.click("#submit")
    town.wait_for_url(re.compile(r"/\?done="))


def test_an_errored_instance_is_found_fixed_while_suspended_retried_and_finished(browser_page, deploy, api_as):
    iid = _probe(deploy, api_as, 0)
    page = browser_page()
    sign_in(page, "admin")
    page.on("dialog", lambda question: question.accept())  # the admin says yes to each 确认 (保存数据修改, 立即触发定时器)
    _find_and_read_the_error(page, iid)
    _fix_the_data_while_suspended(page)
    _retry_and_fire_the_timer(page)
    _finish_as_the_town(browser_page(390, 844))
    page.reload()
    assert page.get_by_test_id("instance-status").inner_text() == "已完成"
    record = page.get_by_test_id("record").inner_text()
    for sentence in (f"系统管理员挂起了流程。原因：{WHY}", f"系统管理员修改了数据（除数）。原因：{WHY}",
                     f"系统管理员重试了出错的环节。原因：{WHY}", "系统管理员提前触发了“等待一小时”的时限",
                     "铜城镇 陈镇洁办理", "“确认办结”", "”办结"):
        assert sentence in record, sentence
    assert page.get_by_test_id("action-suspend").count() == 0, "a finished instance offers no action"


def test_a_stuck_task_is_reassigned_and_reaches_its_new_holder(browser_page, deploy, api_as):
    deploy(files=bundle_files("console"))
    iid = api_as("zhenjie").post("/api/instances", {"process_id": "console_probe", "data": {}}).json["id"]
    page = browser_page(390, 844)
    sign_in(page, "admin")
    page.goto(f"/admin/instances/{iid}")
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert page.locator("#diagram .badge.active").inner_text().startswith("办理中：")
    card = page.locator("#el-work")
    card.get_by_role("button", name="转派给他人…").click()
    form = page.get_by_test_id("reassign-work")
    form.locator("select[name=target]").select_option(label="周镇长 · 铜城镇")
    form.locator("input[name=reason]").fill("陈镇洁休假，改由镇长办理")
    page.once("dialog", lambda question: question.accept())  # 把“填写除数”转派给所选的用户或组织？
    form.get_by_role("button", name="转派").click()
    assert page.get_by_text("已转派任务").is_visible()
    assert "认领人 周镇长" in page.locator("#el-work").inner_text()
    assert "系统管理员把“填写除数”转派给周镇长。原因：陈镇洁休假，改由镇长办理" in page.get_by_test_id("record").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    holder = browser_page(390, 844)
    sign_in(holder, "zhenzhang")
    assert holder.get_by_role("link", name=re.compile("填写除数")).count() == 1
    before = browser_page()
    sign_in(before, "zhenjie")
    assert before.get_by_role("link", name=re.compile("填写除数")).count() == 0


def test_a_diagram_without_drawing_is_laid_out_and_a_call_activity_opens_its_child(browser_page, session, runtime,
                                                                                    deploy, user, api_as):
    from freezegun import freeze_time

    from tests.admin.test_console_views import _at_the_call_activity
    from tests.workflow.test_constructs import MONDAY_9AM_SHANGHAI

    with freeze_time(MONDAY_9AM_SHANGHAI):
        iid = _at_the_call_activity(session, runtime, deploy, user, api_as)
    page = browser_page()
    sign_in(page, "admin")
    page.goto(f"/admin/instances/{iid}")
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert "自动排版" in page.locator("#diagram-hint").inner_text()
    assert "el-active" in page.locator('#diagram [data-element-id="call_sub"]').get_attribute("class")
    assert "el-completed" in page.locator('#diagram [data-element-id="branch_a"]').get_attribute("class")
    page.get_by_test_id("child-call_sub").click()
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert "el-active" in page.locator('#diagram [data-element-id="sub_confirm"]').get_attribute("class")
    page.get_by_role("link", name="返回上级流程").click()
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert page.url.endswith(f"/admin/instances/{iid}#el-call_sub")
