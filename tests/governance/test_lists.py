"""The lists as versioned master data, and their Excel import and export."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import NotFound, ValidationFailed
from app.governance.list_excel import COLUMNS, export_items, import_items
from app.governance.lists import ItemChange, get_item, item_history, list_items, revise_item

HEADER = [label for _, label in COLUMNS]


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = ["P-0100", "配合事项清单", "燃放烟花爆竹的巡查", "安全生产", "《烟花爆竹安全管理条例》", "gongan", "tongcheng、qinlan",
        "查处违规燃放", "巡查劝导", 4, 3, "2026-02-01", ""]


def test_demo_lists_cover_the_three_kinds_and_the_fishing_example(session):
    rows, total = list_items(session, per_page=200)
    assert total >= 40
    assert {i.kind for i in rows} == {"power", "cooperation", "assigned"}
    fishing = get_item(session, "P-0001").current
    assert fishing.lead_org == "nongye" and fishing.cooperating_orgs == ["gongan"] and "电鱼" in fishing.title


def test_every_change_is_a_new_immutable_version(session, user):
    with pytest.raises(ValidationFailed) as refused:
        revise_item(session, user("bianban"), "P-0001", ItemChange({"handle_days": 5}, ""))
    assert refused.value.errors == {"reason": ["修改清单必须填写理由"]}
    revise_item(session, user("bianban"), "P-0001", ItemChange({"handle_days": 5}, "执法力量调整"))
    session.commit()
    history = item_history(session, "P-0001")
    assert [(v.number, v.handle_days, v.changed_by) for v in history] == [(2, 5, "bianban"), (1, 3, "demo")]
    assert get_item(session, "P-0001").current.number == 2


def test_import_creates_and_revises_and_export_round_trips(session, user):
    changed = ["P-0001", "配合事项清单", "查处高邮湖非法电鱼等非法捕捞行为", "渔政执法", "《渔业法》", "nongye", "gongan、shuili",
               "牵头查处", "配合", 2, 4, "2026-01-01", ""]
    result = import_items(session, user("bianban"), workbook([GOOD, changed]))
    session.commit()
    assert (result.created, result.revised) == (1, 1)
    assert get_item(session, "P-0100").current.cooperating_orgs == ["tongcheng", "qinlan"]
    assert get_item(session, "P-0001").current.handle_days == 4
    sheet = load_workbook(BytesIO(export_items(session, "cooperation"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and any(r[0] == "P-0100" for r in rows[1:])
    again = import_items(session, user("bianban"), export_items(session, "cooperation"))
    assert (again.created, again.revised) >= (0, 0) and again.unchanged == len(rows) - 1


def test_a_bad_row_rejects_the_import_with_row_errors_in_chinese(session, user):
    bad = ["P-0101", "不存在的清单", "", "安全生产", "", "nowhere", "", "", "", "四小时", 0, "2026-13-01", ""]
    with pytest.raises(ValidationFailed) as refused:
        import_items(session, user("bianban"), workbook([GOOD, bad]))
    errors = refused.value.errors
    assert refused.value.message == "导入被拒绝：1 行有错误，清单未做任何修改"
    assert errors["第 3 行 清单类别"] == ["清单类别必须是 权责清单、配合事项清单 或 交办事项"]
    assert errors["第 3 行 响应时限（小时）"] == ["应为正整数"]
    assert errors["第 3 行 生效日期"] == ["日期格式应为 YYYY-MM-DD"]
    session.rollback()
    with pytest.raises(NotFound):
        get_item(session, "P-0100")


def test_cli_import_with_a_bad_row_changes_nothing(runner, tmp_path, session):
    path = tmp_path / "lists.xlsx"
    path.write_bytes(workbook([GOOD, ["P-0102", "配合事项清单", "x", "y", "", "nowhere", "", "", "", 1, 1, "2026-01-01", ""]]))
    result = runner.invoke(args=["lists", "import", str(path), "--user", "bianban"])
    assert result.exit_code == 1 and "第 3 行 主办单位" in result.output and "单位代码 nowhere 不存在" in result.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([GOOD]))
    result = runner.invoke(args=["lists", "import", str(good), "--user", "bianban"])
    assert result.exit_code == 0 and "新增 1 项" in result.output
    out = tmp_path / "out.xlsx"
    assert runner.invoke(args=["lists", "export", str(out)]).exit_code == 0
    assert load_workbook(out).active.max_row > 40


def test_not_an_excel_file(session, user):
    with pytest.raises(ValidationFailed) as refused:
        import_items(session, user("bianban"), b"not a workbook")
    assert "不是有效的 Excel" in refused.value.message
    assert date.today()
