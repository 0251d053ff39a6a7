"""版本迁移 in Chromium: running calls, a new version of 呼叫—响应 without 确认并评价, a dry run that names the call
waiting there as 不能迁移 with its reason, the others moved, the report, and one of them reverted to its old version."""

from app.workflow.deployments import deploy_files, read_bundle_dir
from app.workflow.tasks import complete_task
from tests.browser.conftest import sign_in
from tests.conftest import HERE
from tests.procedures.test_call_response import FISHING

REASON = "确认并评价改由平台自动完成"


def without_confirm(xml):
    """call_response.bpmn with 确认并评价 (confirm) taken out: 待确认 flows straight on to 记录满意度."""
    for line in [line for line in xml.splitlines(keepends=True)
                 if 'id="confirm"' in line or 'id="flow_confirm_rate_handlers' in line
                 or 'bpmnElement="confirm"' in line]:
        xml = xml.replace(line, "")
    return (xml.replace('targetRef="confirm"', 'targetRef="rate_handlers"')
            .replace("<bpmn:incoming>flow_confirm_rate_handlers</bpmn:incoming>",
                     "<bpmn:incoming>flow_to_confirm_confirm</bpmn:incoming>")
            .replace("<bpmn:flowNodeRef>confirm</bpmn:flowNodeRef>", ""))


def finish_departments(session, runtime, user, instance_id):
    """Both departments accept and handle the call: it waits at 确认并评价, an element of the top process."""
    from sqlalchemy import select

    from app.workflow.models import HumanTask

    for bpmn_id, data in (("respond", {"decision": "accept"}), ("handle", {"action": "done", "result": "已处置"})):
        for org in ("nongye", "gongan"):
            session.expire_all()
            task = next(t for t in session.scalars(select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"))
                if org in t.orgs)
            complete_task(session, runtime, user(org), task.id, data)
            session.commit()


def deploy_new_version(session, runtime, user):
    files = read_bundle_dir(HERE.parent / "processes", HERE.parent / "forms")
    files["call_response.bpmn"] = without_confirm(files["call_response.bpmn"].decode()).encode()
    files.pop("call_response.scenarios.json")  # its scenarios complete 确认并评价, which this version has not
    deployment, created = deploy_files(session, runtime, user("admin"), files, note="去掉确认并评价")
    session.commit()
    assert created
    return deployment.number


def test_migrate_the_running_calls_after_a_deploy(browser_page, procedures, api_as, session, runtime, user):
    calls = [api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING}).json["id"]
             for _ in range(3)]
    stuck, moving, kept = calls
    finish_departments(session, runtime, user, stuck)
    new = deploy_new_version(session, runtime, user)

    page = browser_page(1440, 900)
    sign_in(page, "admin")
    page.goto("/admin/migrations?process=call_response")
    assert page.locator("#m-to").input_value() == str(new)
    page.get_by_test_id("dry-run").click()
    table = page.get_by_test_id("dry-run-table")
    row = table.locator(f'tr[data-instance="{stuck}"]')
    assert "不能迁移" in row.inner_text()
    assert "当前所在的步骤「确认并评价」在目标版本中已不存在" in row.inner_text()
    assert row.locator("input.pick-one").count() == 0
    for iid in (moving, kept):
        assert "可以迁移" in table.locator(f'tr[data-instance="{iid}"]').inner_text()

    page.fill("#m-reason", REASON)
    page.get_by_test_id("migrate-selected").click()
    dialog = page.get_by_test_id("migrate-dialog")
    dialog.wait_for()
    assert "确认迁移 2 个流程实例" in dialog.inner_text()
    assert f"#{moving}" in dialog.inner_text() and f"#{stuck}" not in dialog.inner_text()
    dialog.get_by_role("button", name="确认迁移").click()

    page.get_by_test_id("report-summary").wait_for()
    assert "已迁移 2 个，未迁移 0 个" in page.get_by_test_id("report-summary").inner_text()
    report = page.get_by_test_id("report-table")
    for iid in (moving, kept):
        assert f"第 {new} 版" in report.locator(f'tr[data-instance="{iid}"]').inner_text()
    revert = page.get_by_test_id(f"revert-{moving}")
    revert.locator("input[name=reason]").fill("这件呼叫仍按旧流程办")
    page.once("dialog", lambda question: question.accept())  # 撤销这次迁移，把实例放回原版本？
    revert.get_by_role("button", name="撤销").click()
    page.get_by_text(f"已撤销，回到第 {procedures.number} 版").first.wait_for()
    back = page.get_by_test_id("report-table").locator(f'tr[data-instance="{moving}"]')
    assert back.get_by_test_id("current-version").inner_text() == f"第 {procedures.number} 版"
    assert "已撤销" in back.inner_text()
    assert f"第 {new} 版" in page.get_by_test_id("report-table").locator(f'tr[data-instance="{kept}"]').inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone = browser_page(390, 844)
    sign_in(phone, "admin")
    phone.goto(page.url)
    phone.get_by_test_id("report-table").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
