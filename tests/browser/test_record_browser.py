"""记录仪 on a phone (390×844): search a call's record, open its timeline, verify it, download its PDF."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import sign_in
from tests.governance.record_case import REJECTION, play_case

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.fixture
def case(app, session, runtime, user, procedures):
    call, _ = play_case(app, session, runtime, user)
    return call.number


def test_record_on_a_phone_search_timeline_verify_and_pdf(browser_page, case):
    page = browser_page(390, 844)
    sign_in(page, "bianban")
    page.goto("/record")
    page.get_by_text("查询条件").click()
    page.get_by_label("呼叫单号").fill(case)
    page.get_by_role("button", name="查询").click()
    page.get_by_test_id("record-total").filter(has_text="共").wait_for()
    assert page.get_by_test_id("record-entry").count() == 30
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name=f"呼叫单 {case} 的记录全文").first.click()
    page.get_by_role("heading", name=f"呼叫单 {case} 的记录").wait_for()
    assert page.get_by_text(REJECTION).first.is_visible()
    hash_box = page.locator("details.rec-hash").first
    hash_box.locator("summary").click()
    assert len(hash_box.locator("code.rec-full").inner_text()) == 64, "the full hash opens on a tap"
    page.get_by_role("button", name="校验本呼叫单").click()
    page.get_by_text(f"呼叫单 {case} 的记录完整").wait_for()
    small = page.evaluate("""() => [...document.querySelectorAll('main button, main a.button, main summary')]
        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))""")
    assert small == []
    if not FONT.is_file():
        pytest.skip("fonts-wqy-microhei is not installed: the PDF embeds it")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert case in text and REJECTION in text.replace("\n", "")
