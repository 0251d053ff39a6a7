"""考核公式 in Chromium on a phone and a desktop: 编办 opens the editor from the versions list, raises the weight of
满意率 for the departments, presses 预览 and sees 市公安局 move up, gives a reason and a date, saves, and finds the
new version listed with what it changed — under the strict CSP (no console error), nothing clipped, no code shown.

The world is tests/web/test_assessment_formulas.py's: last month 水利 leads, 农业农村 is second and 公安 third;
with 解决 10 and 满意 80 公安 leads and 农业农村 is last.
"""

import re

import pytest

from app.extensions import db
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.web.test_assessment_formulas import played_month, the_month

LATIN = re.compile(r"[A-Za-z]{2,}")
REASON = "群众满意是第一标准，提高部门满意率的权重"


@pytest.fixture
def month(app):
    month = the_month()
    played_month(db.session, month)
    return month


def watch(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "422" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def assert_fits(page):
    """No page-wide sideways scroll, no input cut off by its cell, no code or English word in the main part."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    clipped = page.evaluate("""() => [...document.querySelectorAll('main input, main textarea, main button')]
        .filter(e => { const box = e.getBoundingClientRect(), cell = e.closest('td, th, .card');
                       if (!cell || !box.width) return false;
                       const outer = cell.getBoundingClientRect();
                       return box.left < outer.left - 1 || box.right > outer.right + 1 || box.height < 44; })
        .map(e => e.name || e.id)""")
    assert clipped == []
    assert LATIN.findall(page.locator("main").inner_text()) == [], "no code or English word on the page"


@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)])
def test_bianban_previews_a_rank_move_and_saves_the_next_version(browser_page, month, width, height):
    page = browser_page(width, height)
    errors = watch(page)
    sign_in(page, "bianban")
    page.goto("/assessment/formulas")
    page.get_by_test_id("formula-edit").click()
    page.wait_for_url("**/assessment/formulas/new")
    assert page.get_by_test_id("sum-department").inner_text() == "100"
    assert_fits(page)

    page.fill('[name="weights.department.resolve_rate"]', "10")
    page.fill('[name="weights.department.satisfaction_rate"]', "八十")
    page.get_by_test_id("preview").click()
    page.locator('[data-error-for="weights.department.satisfaction_rate"]', has_text="请填写数字").wait_for()
    assert page.locator("#preview-message").inner_text() == "公式有误：请按标红的提示修改后再预览。"

    page.fill('[name="weights.department.satisfaction_rate"]', "80")
    assert page.get_by_test_id("sum-department").inner_text() == "100"
    assert page.locator("#preview-period").input_value() == month.code, "last month by default"
    page.get_by_test_id("preview").click()
    page.locator("#preview-result[data-ready]").wait_for()
    assert page.locator('[data-error-for]').count() == 0, "the refusal is gone"
    moves = page.locator('table[data-group="department"] tr.moved')
    assert moves.count() == 3
    police = page.locator('table[data-group="department"] tr', has_text="市公安局")
    assert "up" in police.get_attribute("class")
    assert police.get_by_test_id("move").inner_text() == "↑ 2"
    assert police.locator("td").first.inner_text() == "3 → 1"
    farming = page.locator('table[data-group="department"] tr', has_text="市农业农村局")
    assert farming.get_by_test_id("move").inner_text() == "↓ 1"
    assert_fits(page)
    page.screenshot(path=str(ARTIFACTS / f"formula-preview-{width}.png"), full_page=True)

    page.fill('[name="effective_from"]', month.first.isoformat())
    page.fill('[name="reason"]', REASON)
    page.get_by_test_id("save").click()
    page.wait_for_url("**/assessment/formulas")
    assert page.locator(".flash.ok").inner_text() == f"考核公式第 2 版已保存，自 {month.first.isoformat()} 起生效。"
    newest = page.get_by_test_id("version-2")
    assert "现行" in newest.inner_text() and REASON in newest.inner_text() and "吴编" in newest.inner_text()
    assert newest.get_by_test_id("changes-2").inner_text().splitlines() == [
        "市直部门权重 · 解决率：50 → 10", "市直部门权重 · 满意率：40 → 80"]
    assert_fits(page)
    assert errors == []
