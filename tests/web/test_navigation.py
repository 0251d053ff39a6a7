"""The navigation asks the access policy: it offers exactly the procedures the user may start."""

from tests.conftest import login


def nav(client):
    return client.get("/inbox").get_data(as_text=True).split("</nav>")[0]


def test_start_links_follow_the_start_events_start_roles(app, procedures, deploy):
    for username, call, admission in (("wangge", True, False), ("zhenjie", True, False), ("nongye", False, True),
                                      ("renda", False, False), ("admin", False, False)):
        client = app.test_client()
        assert login(client, username).status_code == 302, username
        assert ("发起呼叫" in nav(client)) is call, username
        assert ("准入申请" in nav(client)) is admission, username


def test_only_list_editors_see_the_edit_link(app, client):
    assert login(client, "nongye").status_code == 302
    assert "修改（生成新版本）" not in client.get("/lists/P-0001").get_data(as_text=True)
    assert login(client, "bianban").status_code == 302
    assert "修改（生成新版本）" in client.get("/lists/P-0001").get_data(as_text=True)
