"""The console's instance page over HTTP, as a signed-in admin uses it: what it shows of an instance and its
elements, and its forms (actions with reasons, the data editor) — refusals come back in Chinese, nothing lost."""

import html
import re

from tests.admin.test_console_actions import WHY, _deploy_console_flows, _start, _task
from tests.conftest import csrf_token, login


def _failed(deploy, api_as):
    _deploy_console_flows(deploy)
    iid = _start(api_as)
    api_as("zhenjie").post(f"/api/tasks/{_task(api_as, iid)['id']}/complete", {"data": {"divisor": 0}})
    return iid


def _post(client, url, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client), **fields})


def test_the_page_shows_the_error_the_elements_and_the_record(client, deploy, api_as):
    iid = _failed(deploy, api_as)
    login(client, "admin")
    page = client.get(f"/admin/instances/{iid}").get_data(as_text=True)
    assert "控制台流程" in page and 'data-testid="instance-error"' in page and "任务“脚本”第 1 行" in page
    assert 'id="el-calc"' in page and 'id="el-work"' in page
    assert "铜城镇 陈镇洁办理“办理”：除数：0" in page, "the record is told in sentences with names"
    assert "除数" in page, "the data reads with the form's labels"
    assert 'data-testid="action-suspend"' in page and 'data-testid="action-resume"' not in page
    assert "要修改数据，请先挂起流程实例" in page


def _editor_rows(page):
    """The data editor's rows as the page shows them: (name, type, value), the empty row for a new one last."""
    rows = re.findall(r'name="var_name" value="([^"]*)".*?<option value="(\w+)" selected>.*?'
                      r'<textarea name="var_value"[^>]*>(.*?)</textarea>', page, re.S)
    return [tuple(html.unescape(part) for part in row) for row in rows]


def _submit_rows(client, url, rows, reason=WHY):
    return client.post(f"{url}/data", data={"csrf_token": csrf_token(client), "reason": reason,
                                            "var_name": [r[0] for r in rows], "var_type": [r[1] for r in rows],
                                            "var_value": [r[2] for r in rows]})


def test_fix_the_data_while_suspended_then_retry_from_the_page(client, deploy, api_as):
    iid = _failed(deploy, api_as)
    login(client, "admin")
    url = f"/admin/instances/{iid}"
    unexplained = _post(client, f"{url}/suspend", reason="")
    assert unexplained.status_code == 302
    assert "请填写操作原因" in client.get(url).get_data(as_text=True)
    assert _post(client, f"{url}/suspend", reason=WHY).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="data-editor"' in page and 'data-testid="action-retry"' in page
    rows = _editor_rows(page)
    assert ("divisor", "number", "0") in rows and ("initiator", "text", "zhenjie") in rows and rows[-1][0] == ""
    typed = [("divisor", "number", "零") if r[0] == "divisor" else r for r in rows]
    bad = _submit_rows(client, url, typed)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "“divisor”：不是数字" in text
    assert ("divisor", "number", "零") in _editor_rows(text), "what the admin typed comes back"
    assert api_as("admin").get(f"/api/instances/{iid}").json["data"]["divisor"] == 0, "nothing was written"
    fixed = [("divisor", "number", "4") if r[0] == "divisor" else r for r in rows]
    assert _submit_rows(client, url, fixed).status_code == 302
    assert _post(client, f"{url}/retry", reason=WHY).status_code == 302
    shown = api_as("admin").get(f"/api/instances/{iid}").json
    assert shown["status"] == "running" and shown["data"]["ratio"] == 25 and shown["data"]["initiator"] == "zhenjie"
    record = client.get(url).get_data(as_text=True)
    assert f"系统管理员修改了数据（除数）。原因：{WHY}" in record
    assert re.search(r"<td>除数</td><td>0</td><td>4</td>", record), "the record shows before and after, labelled"


def test_read_only_roles_read_the_page_without_actions_and_others_are_refused(client, deploy, api_as):
    iid = _failed(deploy, api_as)
    login(client, "ducha")
    page = client.get(f"/admin/instances/{iid}").get_data(as_text=True)
    assert 'id="el-calc"' in page and 'data-testid="action-suspend"' not in page and "转派给" not in page
    refused = _post(client, f"/admin/instances/{iid}/suspend", reason=WHY)
    assert refused.status_code == 302
    assert "只有系统管理员可以操作流程实例" in client.get(f"/admin/instances/{iid}").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "zhenjie")
    assert client.get(f"/admin/instances/{iid}").status_code == 403
