"""The seed's case by hand in Chromium: a grid worker calls with a photo on a phone, a department rejects,
the caller forwards, supervision negotiates, 编办 coordinates, the departments handle, the caller rates."""

import io
import re

from PIL import Image

from tests.browser.conftest import sign_in


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = _jpeg()  # a real photo: pages show the server's thumbnail of it


class Person:
    def __init__(self, browser_page, username, phone=False):
        self.page = browser_page(390, 844) if phone else browser_page()
        sign_in(self.page, username)

    def task(self, title_part):
        self.page.goto("/")
        self.page.get_by_role("link", name=title_part).first.click()
        self.page.wait_for_function("() => window.__formReady === true")
        return self

    def choose(self, *labels):
        for label in labels:
            self.page.get_by_text(label, exact=True).click()
        return self

    def fill(self, **fields):
        for label, value in fields.items():
            self.page.get_by_label(label).fill(str(value))
        return self

    def submit(self):
        self.page.click("#submit")
        self.page.wait_for_url("**/?done=*")
        return self


def test_fishing_case_through_the_pages(browser_page, procedures, tmp_path):
    grid = Person(browser_page, "wangge", phone=True)
    grid.page.goto("/start/call_response")
    grid.page.wait_for_function("() => window.__formReady === true")
    grid.page.fill("#item-search", "电鱼")
    grid.page.get_by_role("button", name="P-0001").click()
    assert "主办：市农业农村局" in grid.page.locator("#item-chosen").inner_text()
    assert "2 小时内响应" in grid.page.locator("#item-chosen").inner_text()
    photo = tmp_path / "fishing.jpg"
    photo.write_bytes(JPEG)
    grid.page.set_input_files(".tc-photos input[type=file]:not([capture])", str(photo))
    grid.page.wait_for_selector(".tc-photo[data-attachment]")
    grid.fill(**{"地点": "高邮湖铜城段", "问题描述": "夜间有人电鱼"}).choose("一般")
    assert grid.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    grid.page.click("#submit")
    grid.page.wait_for_url("**/calls/HJ*")
    number = grid.page.url.rsplit("/", 1)[1]

    Person(browser_page, "nongye").task("签收响应").choose("接受并办理").submit()
    gongan = Person(browser_page, "gongan")
    gongan.task("签收响应").choose("驳回").fill(**{"驳回理由": "非本单位职责"}).submit()
    grid.task("处理驳回").choose("转发至市监督检查账号").submit()
    supervisor = Person(browser_page, "ducha")
    supervisor.task("组织协商").choose("协商不一致", "市公安局（驳回的部门）").fill(**{"协商纪要": "各执一词"}).submit()
    Person(browser_page, "bianban").task("协调").choose("市公安局（驳回的部门）", "清单事项").fill(
        **{"依据说明": "清单 P-0001 明确公安配合"}).submit()
    gongan.task("督办整改").fill(**{"整改措施": "联合夜巡", "整改结果": "已查处"}).submit()
    supervisor.task("核实整改").choose("整改到位，办结").submit()
    Person(browser_page, "nongye").task("办理").choose("已办结").fill(**{"办理结果": "罚款 3000 元"}).submit()
    gongan.task("办理").choose("已办结").fill(**{"办理结果": "配合查处"}).submit()
    grid.task("确认办理结果").choose("满意").submit()
    for username in ("nongye", "gongan"):
        Person(browser_page, username).task("评价呼叫").fill(**{"呼叫准确性（1–5）": 5, "配合程度（1–5）": 4}).submit()

    grid.page.goto(f"/calls/{number}")
    record = grid.page.locator("main").inner_text()
    assert "已办结" in record and "驳回不当" in record and "满意" in record
    # The department reads the whole case as sentences with names, on its phone: who, what, why, at which step.
    department = Person(browser_page, "nongye", phone=True)
    department.page.goto(f"/calls/{number}")
    story = department.page.get_by_test_id("story").inner_text()
    for sentence in (f"登记呼叫单 {number}，呼叫", "市公安局 赵警官驳回：非本单位职责", "市农业农村局 刘农签收响应：接受",
                     "处理方式：转发至市监督检查账号", "协商纪要：各执一词",
                     "协调决定：由市公安局办理（驳回不成立），依据：清单 P-0001 明确公安配合", "市公安局被督办：驳回转发",
                     "市农业农村局 刘农办结：罚款 3000 元", "评价市农业农村局：满意", "“呼叫—响应”办结"):
        assert sentence in story, sentence
    assert "评价市公安局：满意" not in story, "another department's rating stays between the caller and it"
    told = "\n".join(department.page.locator('[data-testid="story"] .said, [data-testid="story"] .details')
                      .all_inner_texts())  # the sentences, not the names of the files people uploaded
    assert told and not re.search(r"[a-z]{3,}", told), "no login, code or English word"
    thumbnail = department.page.get_by_test_id("photo-grid").first.locator("img").first
    thumbnail.wait_for(state="visible")
    department.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle(), timeout=5000)
    # the caller's photo at the top, drawn from the server's thumbnail
