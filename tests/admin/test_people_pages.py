"""The pages 用户与组织 and 我的账户: who may open and act on them, the Excel import, tokens shown once."""

import io
import re

from openpyxl import Workbook

from tests.conftest import login


def csrf(client, url="/profile"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def signed_in(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_the_admin_pages_open_for_read_all_roles_and_act_only_for_the_admin(app):
    for username in ("ducha", "renda", "bianban"):
        client = signed_in(app, username)
        page = client.get("/admin/orgs").get_data(as_text=True)
        assert "铜城镇高邮湖社区" in page and "新建单位" not in page
        assert "新建用户" not in client.get("/admin/users").get_data(as_text=True)
        assert client.get("/admin/users/new").status_code == 403
    client = signed_in(app, "zhenjie")
    for url in ("/admin/orgs", "/admin/users", "/admin/users/wangge", "/admin/orgs/tongcheng"):
        answer = client.get(url)
        assert answer.status_code == 403 and "您无权执行此操作" in answer.get_data(as_text=True), url
    token = csrf(client)
    refused = client.post("/admin/orgs", data={"csrf_token": token, "code": "x_village", "name": "x", "kind": "village"})
    assert refused.status_code == 403


def test_the_admin_creates_a_village_and_a_user_through_the_pages(app):
    client = signed_in(app, "admin")
    token = csrf(client, "/admin/orgs")
    bad = client.post("/admin/orgs", data={"csrf_token": token, "code": "X", "name": "", "kind": "village",
                                           "parent": "tongcheng"})
    assert "请填写单位名称" in bad.get_data(as_text=True) or "单位编码须以小写字母开头" in bad.get_data(as_text=True)
    made = client.post("/admin/orgs", data={"csrf_token": token, "code": "tongcheng_xinzhuang", "name": "新庄村",
                                            "kind": "village", "parent": "tongcheng"})
    assert made.headers["Location"].endswith("/admin/orgs/tongcheng_xinzhuang")
    moved = client.post("/admin/orgs/tongcheng_xinzhuang", data={"csrf_token": token, "action": "move",
                                                                 "parent": "tongcheng_xinzhuang"}, follow_redirects=True)
    assert "不能把“新庄村”移到“新庄村”之下" in moved.get_data(as_text=True)
    user = client.post("/admin/users/new", data={"csrf_token": token, "username": "xinzhuang1", "display_name": "张新",
                                                 "org": "tongcheng_xinzhuang", "roles": ["grid"],
                                                 "password": "password1", "must_change": "1"}, follow_redirects=True)
    assert "已新建用户“张新”" in user.get_data(as_text=True)
    reset = client.post("/admin/users/xinzhuang1/reset", data={"csrf_token": token}).get_data(as_text=True)
    assert "临时密码只显示这一次" in reset
    assert re.search(r'<p class="secret">([A-Za-z0-9]{10})</p>', reset)
    client.post("/admin/users/xinzhuang1", data={"csrf_token": token, "display_name": "张新庄", "org": "tongcheng",
                                                 "roles": ["grid", "town_staff"]})
    record = client.get("/admin/users/xinzhuang1").get_data(as_text=True)
    assert "系统管理员 修改用户：姓名 张新 → 张新庄；单位 新庄村 → 铜城镇；角色 网格员 → 网格员、镇街工作人员" in record
    assert "系统管理员 重置密码" in record and "结束所有会话（管理员重置密码）" in record


def test_a_bad_import_on_the_page_lists_every_row_and_changes_nothing(app):
    client = signed_in(app, "admin")
    book = Workbook()
    book.active.append(["单位编码", "单位名称", "类别", "上级单位编码"])
    book.active.append(["tongcheng_xinzhuang", "新庄村", "村（社区）", "tongcheng"])
    book.active.append(["bad_one", "坏村", "村（社区）", "xx"])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    answer = client.post("/admin/orgs/import", data={"csrf_token": csrf(client, "/admin/orgs"),
                                                     "file": (content, "orgs.xlsx")}, content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "第 3 行：上级单位编码“xx”不存在" in page
    assert "新庄村" not in client.get("/admin/orgs").get_data(as_text=True)


def test_each_user_issues_sees_once_and_revokes_their_own_tokens_even_read_only(app):
    client = signed_in(app, "renda")  # 人大 is read-only, yet its own account is its own
    token = csrf(client)
    issued = client.post("/profile/tokens", data={"csrf_token": token, "name": "统计脚本", "days": "30"})
    page = issued.get_data(as_text=True)
    plain = re.search(r'<p class="secret">([^<]+)</p>', page).group(1)
    assert "离开此页后无法再次查看" in page and "到期" in page
    assert app.test_client().get("/api/users/me", headers={"Authorization": f"Bearer {plain}"}).json["username"] == "renda"
    assert plain not in client.get("/profile").get_data(as_text=True), "shown once"
    token_id = re.search(r'/profile/tokens/(\d+)/revoke', client.get("/profile").get_data(as_text=True)).group(1)
    assert client.post(f"/profile/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code == 302
    assert app.test_client().get("/api/users/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    assert client.post("/profile/tokens", data={"csrf_token": token, "name": "x", "days": "7"}).status_code == 422


def test_a_user_changes_their_password_on_the_profile_and_stays_signed_in(app):
    client = signed_in(app, "nongye")
    other = signed_in(app, "nongye")
    token = csrf(client, "/profile/password")
    mismatch = client.post("/profile/password", data={"csrf_token": token, "old_password": "tianchang",
                                                      "new_password": "newpassword1", "confirm_password": "other"})
    assert "两次输入的新密码不一致" in mismatch.get_data(as_text=True)
    changed = client.post("/profile/password", data={"csrf_token": token, "old_password": "tianchang",
                                                     "new_password": "newpassword1", "confirm_password": "newpassword1"})
    assert changed.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302, "the other device signed out"


def test_a_deactivated_organisation_is_greyed_in_the_tree_and_offered_by_no_picker(app):
    client = signed_in(app, "admin")
    token = csrf(client, "/admin/orgs")
    answer = client.post("/admin/orgs/datong_datong", data={"csrf_token": token, "action": "deactivate"},
                         follow_redirects=True)
    assert "已停用单位“大通镇大通社区”" in answer.get_data(as_text=True)
    tree = client.get("/admin/orgs").get_data(as_text=True)
    assert re.search(r'<li class="depth-\d inactive" data-code="datong_datong">', tree)
    assert 'value="datong_datong"' not in tree, "not offered as a parent"
    assert 'value="datong_datong"' not in client.get("/admin/users/new").get_data(as_text=True)
    still = client.post("/admin/orgs/tongcheng_gaoyouhu", data={"csrf_token": token, "action": "deactivate"},
                        follow_redirects=True).get_data(as_text=True)
    assert "还有 1 名在用人员" in still
