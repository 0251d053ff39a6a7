"""Organisations and users from Excel: the template, a good file, and a file with bad rows that imports nothing."""

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.domain.audit import AuditEvent
from app.domain.organisations import Organisation
from app.domain.people import User

ORG_HEADER = ["单位编码", "单位名称", "类别", "上级单位编码"]
USER_HEADER = ["用户名", "姓名", "单位编码", "角色", "初始密码"]


def workbook(header, *rows):
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, url, content):
    return api.client.post(url, data={"file": (io.BytesIO(content), "people.xlsx")}, headers=api.headers,
                           content_type="multipart/form-data")


def counts(session):
    return (session.scalar(select(func.count()).select_from(Organisation)),
            session.scalar(select(func.count()).select_from(User)),
            session.scalar(select(func.count()).select_from(AuditEvent)))


def test_the_templates_have_the_chinese_headers(api_as):
    admin = api_as("admin")
    for url, header in (("/api/orgs/import/template", ORG_HEADER), ("/api/users/import/template", USER_HEADER)):
        answer = admin.get(url)
        assert answer.status_code == 200
        sheet = load_workbook(io.BytesIO(answer.data)).active
        assert [c.value for c in sheet[1]][:len(header)] == header


def test_a_good_file_creates_villages_and_their_people(api_as, session):
    admin = api_as("admin")
    orgs = workbook(ORG_HEADER, ("tongcheng_xinzhuang", "铜城镇新庄村", "村（社区）", "tongcheng"),
                    ("xinzhuang_office", "新庄村网格站", "office", "tongcheng_xinzhuang"),
                    ("tongcheng_longgang", "铜城镇龙岗村（更名）", "村（社区）", "tongcheng"))
    answer = upload(admin, "/api/orgs/import", orgs)
    assert answer.status_code == 200, answer.json
    assert answer.json == {"created": 2, "changed": 1, "unchanged": 0}
    users = workbook(USER_HEADER, ("xinzhuang1", "张新", "tongcheng_xinzhuang", "网格员", "password1"),
                     ("xinzhuang2", "李庄", "tongcheng_xinzhuang", "网格员、镇街工作人员", "password2"),
                     ("wangge", "王格", "tongcheng_xinzhuang", "grid", None))
    answer = upload(admin, "/api/users/import", users)
    assert answer.json == {"created": 2, "changed": 1, "unchanged": 0}, answer.json
    second = admin.get("/api/users/xinzhuang2").json
    assert second["roles"] == ["grid", "town_staff"] and second["must_change_password"] is True
    assert admin.get("/api/users/wangge").json["org"] == "tongcheng_xinzhuang"
    assert admin.get("/api/orgs/tongcheng_longgang").json["name"] == "铜城镇龙岗村（更名）"
    assert upload(admin, "/api/users/import", users).json == {"created": 0, "changed": 0, "unchanged": 3}
    actions = {e.action for e in session.scalars(select(AuditEvent).where(
        AuditEvent.stream.in_(["orgs", "users", "user:wangge"])))}
    assert {"org.create", "org.rename", "user.create", "user.update"} <= actions


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(api_as, session):
    admin = api_as("admin")
    before = counts(session)
    orgs = workbook(ORG_HEADER, ("tongcheng_xinzhuang", "铜城镇新庄村", "村（社区）", "tongcheng"),
                    ("bad_parent", "无上级村", "村（社区）", "xx"),
                    ("bad_kind", "怪单位", "公司", "tongcheng"),
                    ("tongcheng", "铜城镇", "镇街", "tongcheng_longgang"))
    answer = upload(admin, "/api/orgs/import", orgs)
    assert answer.status_code == 422
    assert answer.json["message"] == "导入被拒绝：3 行有错误，没有导入任何数据"
    assert answer.json["errors"] == {"第 3 行": ["上级单位编码“xx”不存在"], "第 4 行": ["单位类别不正确"],
                                     "第 5 行": ["不能把“铜城镇”移到“铜城镇龙岗村”之下：那是它自己或它的下属单位"]}
    users = workbook(USER_HEADER, ("good1", "好人", "tongcheng", "镇街工作人员", "password1"),
                     ("bad1", "坏人", "nowhere", "网格员", "password1"),
                     ("bad2", "短密码", "tongcheng", "网格员", "short"),
                     ("bad3", "无角色", "tongcheng", "厨师", "password1"),
                     ("good1", "重复", "tongcheng", "网格员", "password1"))
    answer = upload(admin, "/api/users/import", users)
    assert answer.status_code == 422
    assert answer.json["errors"]["第 3 行"] == ["单位编码“nowhere”不存在"]
    assert answer.json["errors"]["第 4 行"] == ["密码须为 8 至 128 个字符"]
    assert "第 5 行" in answer.json["errors"] and answer.json["errors"]["第 6 行"] == ["“good1”在本表中重复出现"]
    assert counts(session) == before, "no organisation, no user, no audit event of either file remains"


def test_an_unreadable_file_or_a_wrong_header_is_refused_in_chinese(api_as):
    admin = api_as("admin")
    assert "不是有效的 Excel" in upload(admin, "/api/orgs/import", b"not a workbook").json["message"]
    wrong = upload(admin, "/api/users/import", workbook(["name", "org"], ("a", "b")))
    assert wrong.json["message"] == "表头不正确：第 1 行应为 用户名、姓名、单位编码、角色、初始密码"
    assert upload(api_as("bianban"), "/api/orgs/import", workbook(ORG_HEADER)).status_code == 403


def test_the_command_line_writes_the_templates_and_imports(runner, tmp_path, api_as):
    path = tmp_path / "orgs.xlsx"
    assert runner.invoke(args=["users", "template", "--orgs", str(path)]).exit_code == 0
    assert [c.value for c in load_workbook(path).active[1]][:4] == ORG_HEADER
    path.write_bytes(workbook(ORG_HEADER, ("tongcheng_xinzhuang", "铜城镇新庄村", "村（社区）", "tongcheng")))
    result = runner.invoke(args=["users", "import", "--orgs", str(path)])
    assert result.exit_code == 0 and "新建 1 条" in result.output, result.output
    path.write_bytes(workbook(USER_HEADER, ("xz1", "张", "tongcheng_xinzhuang", "网格员", "short")))
    refused = runner.invoke(args=["users", "import", str(path)])
    assert refused.exit_code == 1 and "导入被拒绝：1 行有错误" in refused.output
    assert api_as("admin").get("/api/users/xz1").status_code == 404
