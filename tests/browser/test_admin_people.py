"""用户与组织 in Chromium: the admin creates a village under a town and a grid worker in it; the worker signs in on a
phone, chooses their own password first, and finds the village's task in their inbox."""

from app.domain.people import get_user
from app.extensions import db
from app.workflow.deployments import deploy_files
from tests.browser.conftest import sign_in
from tests.helpers import bundle, definitions, process, user_task

VILLAGE, USERNAME, TEMPORARY, CHOSEN = "tongcheng_xinzhuang", "xinzhuang1", "Temp2026pass", "MyOwnPass26"
# A visit that a town registers and the new village's grid workers carry out (its task names the village).
VISIT = definitions(process(pid="village_visit", name="走访登记", middle=user_task(
    "visit", "入户走访", role="grid", extra_props=f'<spiffworkflow:property name="org" value="\'{VILLAGE}\'" />')),
    pid="village_visit")


def deploy_visit(runtime):
    deploy_files(db.session, runtime, get_user(db.session, "admin"), bundle(VISIT, name="village_visit.bpmn"))
    db.session.commit()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_new_village_and_its_grid_worker_who_signs_in_and_gets_a_task(browser_page, runtime, api_as):
    admin = browser_page()
    sign_in(admin, "admin")
    admin.goto("/admin/orgs")
    admin.fill("input[name=name]", "铜城镇新庄村")
    admin.fill("input[name=code]", VILLAGE)
    admin.select_option("select[name=kind]", "village")
    admin.select_option("select[name=parent]", "tongcheng")
    admin.get_by_role("button", name="新建", exact=True).click()
    admin.wait_for_url(f"**/admin/orgs/{VILLAGE}")
    assert admin.get_by_text("已新建单位“铜城镇新庄村”").is_visible()
    assert "铜城镇" in admin.locator(".kv").inner_text()
    admin.get_by_role("link", name="在此单位新建用户").click()
    admin.fill("input[name=display_name]", "张新")
    admin.fill("input[name=username]", USERNAME)
    admin.get_by_label("网格员").check()
    admin.fill("input[name=password]", TEMPORARY)
    assert admin.get_by_label("首次登录时须修改密码").is_checked()
    admin.get_by_role("button", name="新建用户").click()
    admin.wait_for_url(f"**/admin/users/{USERNAME}")
    assert "铜城镇新庄村" in admin.locator(".kv").inner_text()
    admin.goto(f"/admin/users?org={VILLAGE}")
    assert admin.get_by_test_id("users").inner_text().count("张新") == 1
    assert "待改密码" in admin.get_by_test_id("users").inner_text()

    deploy_visit(runtime)
    started = api_as("zhenjie").post("/api/instances", {"process_id": "village_visit", "data": {}})
    assert started.status_code == 201, started.json

    worker = browser_page(390, 844)
    sign_in(worker, USERNAME, TEMPORARY)
    assert worker.url.endswith("/profile/password")
    assert worker.get_by_test_id("must-change").is_visible()
    worker.goto("/")  # nothing else opens before the new password
    assert worker.url.endswith("/profile/password")
    assert fits(worker)
    worker.fill("#old_password", TEMPORARY)
    worker.fill("#new_password", CHOSEN)
    worker.fill("#confirm_password", CHOSEN)
    worker.get_by_role("button", name="保存新密码").click()
    worker.wait_for_url("**/profile")
    assert worker.get_by_text("密码已修改").is_visible()
    worker.goto("/")
    assert worker.get_by_test_id("task-count").inner_text() == "1"
    worker.get_by_role("link", name="入户走访").click()
    worker.wait_for_function("() => window.__formReady === true")
    assert worker.get_by_role("heading", name="入户走访").is_visible()
    assert fits(worker)
