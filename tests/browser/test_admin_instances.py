"""The console's instance list in Chromium: an admin filters to the instances in error, selects two, suspends them
as a batch with a reason and reads each one's result; on a phone the rows are cards."""

from tests.browser.conftest import sign_in
from tests.helpers import bundle, definitions, process, script_task


def failing_instances(deploy, api_as, n=3):
    deploy(files=bundle(definitions(process(pid="probe", name="数据核对",
                                            middle=script_task("divide", "ratio = 10 / count"))), name="probe.bpmn"))
    return [api_as("zhenjie").post("/api/instances", {"process_id": "probe", "data": {}, "business_key": f"HD-{i}"})
            .json["id"] for i in range(n)]


def test_an_admin_suspends_two_errored_instances_as_a_batch(browser_page, deploy, api_as):
    ids = failing_instances(deploy, api_as)
    page = browser_page()
    sign_in(page, "admin")
    page.goto("/admin/instances")
    page.click('[data-testid="tab-error"]')
    page.wait_for_url("**/admin/instances?status=error")
    assert page.locator("table.console-list tbody tr").count() == 3
    page.check(f'input.pick-one[value="{ids[2]}"]')
    page.check(f'input.pick-one[value="{ids[1]}"]')
    assert page.locator("#selected-count").inner_text() == "已选择 2 个"
    page.click('button.batch[data-action="suspend"]')
    dialog = page.locator('[data-testid="batch-dialog"]')
    assert "确认挂起 2 个流程实例" in dialog.inner_text()
    assert f"#{ids[2]}（HD-2）" in dialog.inner_text() and f"#{ids[1]}（HD-1）" in dialog.inner_text()
    page.click("#batch-confirm")
    assert page.locator("#batch-error").inner_text() == "请填写操作原因", "a reason is required"
    page.fill("#batch-reason", "核对数据，先挂起")
    page.click("#batch-confirm")
    results = page.locator('[data-testid="batch-results"] li')
    results.first.wait_for()
    assert results.count() == 2
    assert all("成功：已挂起，当前状态：已挂起" in text for text in results.all_inner_texts())
    page.click("#batch-close")
    page.wait_for_load_state()
    page.click('[data-testid="tab-suspended"]')
    page.wait_for_url("**status=suspended**")
    rows = page.locator("table.console-list tbody tr")
    assert sorted(int(rows.nth(i).get_attribute("data-id")) for i in range(rows.count())) == sorted(ids[1:])


def test_a_refused_instance_is_said_and_the_others_are_done(browser_page, deploy, api_as):
    ids = failing_instances(deploy, api_as, n=2)
    api_as("admin").post(f"/api/instances/{ids[0]}/terminate", {"reason": "重复"})
    page = browser_page(390, 844)
    sign_in(page, "admin")
    page.goto("/admin/instances")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    page.check("#check-all")
    page.click('button.batch[data-action="terminate"]')
    assert "当前状态不允许" in page.locator("#batch-which").inner_text()
    page.fill("#batch-reason", "清理")
    page.click("#batch-confirm")
    page.locator('[data-testid="batch-results"] li').first.wait_for()
    texts = {int(li.get_attribute("data-id")): li.inner_text()
             for li in page.locator('[data-testid="batch-results"] li').all()}
    assert "未执行：流程实例已“已终止”，不能再操作" in texts[ids[0]]
    assert "成功：已终止" in texts[ids[1]]


def test_a_reader_sees_the_list_without_batch_controls(browser_page, deploy, api_as):
    failing_instances(deploy, api_as, n=1)
    page = browser_page()
    sign_in(page, "ducha")
    page.goto("/admin/instances")
    assert page.locator("table.console-list tbody tr").count() == 1
    assert page.locator('[data-testid="batch-bar"]').count() == 0 and page.locator("input.pick-one").count() == 0
