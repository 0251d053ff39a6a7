"""Stored XSS: hostile text in every field that reaches a page is shown as text and never runs, for everyone who opens it.

The payloads go in where people type them (the call form, a rejection draft, 编办's item form, an upload's file name,
a user's name, data that designer instructions fill in). Each page is then opened by every role that may see it,
twice: once with the CSP switched off (escaping alone must hold) on a desktop, once under the page's own CSP on a
phone (no violation may be reported: neither the pages nor an escaped payload need anything the policy forbids).
"""

from urllib.parse import quote, unquote

import pytest

from app.domain.people import create_user
from app.edge import CONTENT_SECURITY_POLICY
from app.workflow import instances
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD
from tests.procedures.helpers import Driver

PAYLOADS = [
    "</script><script>window.__xss_1=1</script>X1X",
    "<script>window.__xss_2=1</script>X2X",
    "<img src=x onerror=window.__xss_3=1>X3X",
    "<svg onload=window.__xss_4=1>X4X",
    "<svg><script>window.__xss_5=1</script></svg>X5X",
    '" autofocus onfocus="window.__xss_6=1" x="X6X',
    "' autofocus onfocus='window.__xss_7=1' x='X7X",
    '"><img src=x onerror=window.__xss_8=1>X8X',
    "[X9X](javascript:window.__xss_9=1)",
    "[X10X](jav&#x61;script:window.__xss_10=1)",
    "[X11X](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)",
    '<a href="javascript:window.__xss_12=1">X12X</a>',
    '<iframe srcdoc="<script>parent.__xss_13=1</script>"></iframe>X13X',
    "X14X{{7*191}}{{ config }}{% raw %}",
    "{{constructor.constructor('window.__xss_15=1')()}}X15X",
    "<details open ontoggle=window.__xss_16=1>X16X",
    "<body onload=window.__xss_17=1>X17X",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss_18=1>X18X",
    "[X19X](javascript&colon;window.__xss_19=1)",
    "<input autofocus onfocus=alert(20)>X20X",
    "<img src=x onerror=alert(21)>X21X",
    "<!--<script>window.__xss_22=1//-->X22X",
    "[X23X](vbscript:msgbox(23))",
    "javascript:window.__xss_24=1//X24X",
    '<a href="&#106;avascript:window.__xss_25=1">X25X</a>',
    "${alert(26)}X26X",
    "<img src=x:alert(27) onerror=eval(src)>X27X",
]
MARKERS = [f"X{n}X" for n in range(1, len(PAYLOADS) + 1)]
EVERYTHING = " ".join(PAYLOADS)
SHORT = " ".join(PAYLOADS[i] for i in (0, 2, 5, 7))  # script breakout, onerror, both attribute breakouts
TITLE = PAYLOADS[5] + PAYLOADS[0] + PAYLOADS[2]
CATEGORY = PAYLOADS[6]
REASON = " ".join(PAYLOADS[i] for i in (3, 4, 15, 16, 17))
REJECTION = " ".join(PAYLOADS[i] for i in range(0, 27, 2))
DRAFT = " ".join(PAYLOADS[i] for i in range(1, 27, 2))
FILE_NAME = "<img src=x onerror=window.__xss_30=1>\"'><svg onload=alert(31)>X30X.jpg"
DISPLAY_NAME = "<svg onload=alert(40)>\"'><img src=x onerror=window.__xss_41=1>"
SUBJECT = PAYLOADS[0] + PAYLOADS[5]
def _jpeg():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (40, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = _jpeg()  # a real photo: the page shows its server thumbnail

# What a page must not contain once the browser has built it (any of these means a payload became markup).
INSPECT = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) problems.push(`${el.tagName} ${a.name}`);
      if (['href', 'src', 'action', 'formaction', 'srcdoc', 'data'].includes(a.name)
          && /^\\s*(javascript|data|vbscript):/i.test(a.value)) problems.push(`${el.tagName} ${a.name}=${a.value}`);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'MATH', 'DETAILS', 'MGLYPH'].includes(el.tagName.toUpperCase()))
      problems.push(el.tagName);
    if (el.tagName === 'SCRIPT' && !(el.type === 'application/json' || el.src.startsWith(location.origin + '/static/')))
      problems.push(`inline script ${el.textContent.slice(0, 40)}`);
    if (el.hasAttribute('autofocus') && location.pathname !== '/login') problems.push(`${el.tagName} autofocus`);
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) problems.push(`link ${a.protocol}`);
  }
  const ran = Object.keys(window).filter((k) => k.startsWith('__xss'));
  return { problems, ran, csp: window.__csp || [] };
}"""
WATCH_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 150)))"


class Visitor:
    """One signed-in person in their own browser context, recording every dialog and main-frame navigation."""

    def __init__(self, chromium, base_url, username, csp, viewport):
        self.context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=base_url, bypass_csp=not csp)
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.username, self.csp, self.base_url, self.dialogs, self.navigations = username, csp, base_url, [], []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("framenavigated", lambda frame: frame == self.page.main_frame and self.navigations.append(frame.url))
        sign_in(self.page, username)

    def open(self, url, form=False):
        """Open a page and check that nothing in it ran, asked, navigated or broke the policy; returns the page."""
        self.navigations.clear()
        response = self.page.goto(url)
        assert response.status == 200, (self.username, url, response.status)
        if self.csp:
            assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, url
        if form:
            self.page.wait_for_function("() => window.__formReady === true")
        return self.check(url)

    def check(self, url):
        self.page.evaluate(SETTLE)
        found = self.page.evaluate(INSPECT)
        where = (self.username, url)
        assert found["problems"] == [] and found["ran"] == [] and self.dialogs == [], (where, found, self.dialogs)
        assert found["csp"] == [], (where, found["csp"])
        assert {u.split("#")[0] for u in self.navigations} == {self.page.url.split("#")[0]}, (where, self.navigations)
        assert unquote(self.page.url).endswith(unquote(url)), (where, self.page.url)
        if self.csp and self.page.viewport_size["width"] < 600:
            assert self.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), where
        assert "1337" not in self.page.locator("body").inner_text(), where  # {{7*191}} was never evaluated
        return self.page

    def text(self, selector="main"):
        return self.page.locator(selector).inner_text()


def shows(text, *expected):
    missing = [e for e in expected if e not in text]
    assert not missing, (missing, text)


@pytest.fixture
def seeded(chromium, live_server, procedures, deploy, session, runtime, user):
    """The payloads stored through the pages and the services; returns the page addresses."""
    deploy("xss")
    create_user(session, "admin", "xss_user", DISPLAY_NAME, PASSWORD, "nongye", ["dept_staff"], "pbkdf2:sha256:1000")
    session.commit()
    edit_item(Visitor(chromium, live_server, "bianban", True, {"width": 1440, "height": 900}))
    number = call_from_the_phone(Visitor(chromium, live_server, "wangge", True, {"width": 390, "height": 844}))
    drive = Driver(session, runtime, user)
    respond = drive.one("respond", org="nongye")
    draft_rejection(Visitor(chromium, live_server, "xss_user", True, {"width": 1440, "height": 900}), respond.id)
    drive.complete("respond", {"decision": "reject", "reason": REJECTION}, org="gongan")
    instances.start_instance(session, runtime, user("wangge"), "xss_notes",
                             {"subject": SUBJECT, "body": EVERYTHING, "place": SHORT,
                              "link": "javascript:window.__xss_50=1"})
    session.commit()
    return {"call": f"/calls/{number}", "respond": f"/tasks/{respond.id}", "decide": f"/tasks/{drive.one('decide').id}",
            "review": f"/tasks/{drive.one('review').id}"}


def edit_item(bianban):
    """编办 first submits an unknown organisation (a forged option; its error echoes it), then stores payloads."""
    page = bianban.open("/lists/P-0001/edit")
    page.evaluate("v => document.querySelector('select[name=lead_org]').add(new Option(v, v, true, true))", PAYLOADS[2])
    page.fill("[name=reason]", REASON)
    page.click("main button[type=submit]")
    page.wait_for_selector(".field-error")
    bianban.check("/lists/P-0001/edit")
    shows(bianban.text(), PAYLOADS[2])
    assert page.input_value("select[name=lead_org]") == PAYLOADS[2]
    page.select_option("select[name=lead_org]", "nongye")
    for name, value in (("title", TITLE), ("category", CATEGORY), ("lead_duties", EVERYTHING),
                        ("cooperating_duties", SHORT), ("legal_basis", PAYLOADS[8]), ("reason", REASON)):
        page.fill(f"[name={name}]", value)
    page.click("main button[type=submit]")
    page.wait_for_url("**/lists/P-0001")
    bianban.context.close()


def call_from_the_phone(grid):
    """The grid worker finds the item (its hostile title in the results), attaches a photo with a hostile name, calls."""
    page = grid.open("/start/call_response", form=True)
    page.fill("#item-search", "P-0001")
    choice = page.get_by_role("button", name="P-0001")
    shows(choice.inner_text(), TITLE)
    choice.click()
    shows(grid.text("#item-chosen"), TITLE, CATEGORY)
    page.set_input_files(".tc-photos input[type=file]:not([capture])",
                         files=[{"name": FILE_NAME, "mimeType": "image/jpeg", "buffer": JPEG}])
    page.wait_for_selector(".tc-photo[data-attachment] img")
    shows(page.get_attribute(".tc-photo[data-attachment] img", "alt"), FILE_NAME)  # the name as text, never markup
    page.get_by_label("地点").fill(SHORT)
    page.get_by_label("问题描述").fill(EVERYTHING)
    page.get_by_text("一般", exact=True).click()
    grid.check("/start/call_response")
    page.click("#submit")
    page.wait_for_url("**/calls/HJ*")
    number = page.url.rsplit("/", 1)[1]
    grid.context.close()
    return number


def draft_rejection(colleague, task_id):
    """A department member whose name is a payload drafts a rejection with payloads and hands the task back."""
    page = colleague.open(f"/tasks/{task_id}", form=True)
    assert colleague.text('[data-testid="who"]') == DISPLAY_NAME
    page.get_by_text("驳回", exact=True).click()
    page.get_by_label("驳回理由").fill(DRAFT)
    page.click("#draft")
    page.wait_for_selector("#message.ok")
    colleague.check(f"/tasks/{task_id}")
    colleague.open("/")
    page.locator(".task", has_text="签收响应").get_by_role("button", name="退回").click()  # back to the group, draft kept
    page.wait_for_selector(".flash.ok")
    colleague.context.close()


READ_ALL = ("bianban", "ducha", "renda", "admin")


# Who opens what: everyone who may see each page (the grid worker, the departments, 编办, 督查, 人大, admin).
PLAN = {
    "call": ("wangge", "nongye", "gongan", *READ_ALL), "calls": ("wangge", "nongye", "gongan", *READ_ALL),
    "respond": ("nongye", "xss_user", *READ_ALL), "decide": ("wangge", *READ_ALL),
    "review": ("nongye", "xss_user", *READ_ALL), "inbox": ("wangge", "nongye", "xss_user"),
    "notifications": ("wangge", "nongye", "gongan"), "lists": ("wangge", "gongan", "renda"),
    "item": ("wangge", "nongye", "gongan", *READ_ALL), "edit": ("bianban", "admin"), "search": ("nongye", "renda"),
}


def expect(visitor, key, pages):
    """Open one page as one person and check that the payloads are there, as text."""
    url = {"call": pages["call"], "calls": "/calls", "respond": pages["respond"], "decide": pages["decide"],
           "review": pages["review"], "inbox": "/", "notifications": "/notifications", "lists": "/lists?q=P-0001",
           "item": "/lists/P-0001", "edit": "/lists/P-0001/edit", "search": "/?q=" + quote(PAYLOADS[5])}[key]
    works = (visitor.username, key) in WORKERS
    page = visitor.open(url, form=works)
    CHECKS[key](visitor, page, works)
    if visitor.username == "xss_user":
        assert visitor.text('[data-testid="who"]') == DISPLAY_NAME


WORKERS = {("nongye", "respond"), ("xss_user", "respond"), ("wangge", "decide"), ("nongye", "review"),
           ("xss_user", "review")}


def check_call(visitor, page, works):
    shows(visitor.text(), TITLE, SHORT, *PAYLOADS)


def check_listing(visitor, page, works):
    shows(visitor.text(), TITLE)


def check_item(visitor, page, works):
    shows(visitor.text(), TITLE, CATEGORY, SHORT, PAYLOADS[8], *PAYLOADS)
    shows(visitor.text("table.grid"), REASON)


def check_edit(visitor, page, works):
    assert page.input_value("input[name=title]") == TITLE and page.input_value("input[name=category]") == CATEGORY
    assert page.input_value("textarea[name=lead_duties]") == EVERYTHING


def check_respond(visitor, page, works):
    """The call's description and place in the instructions; the colleague's draft and name for the department."""
    shows(visitor.text(".instructions"), *MARKERS)
    if works:
        assert page.get_by_label("驳回理由").input_value() == DRAFT
    if visitor.username == "nongye":
        shows(visitor.text("select[name=username]"), DISPLAY_NAME)


def check_decide(visitor, page, works):
    shows(visitor.text(".instructions"), *(MARKERS[i] for i in range(0, 27, 2)))  # the rejection's payloads


def check_review(visitor, page, works):
    """Designer instructions filled with the payloads; the date picker (styles made at run time) under the CSP."""
    shows(visitor.text(".instructions"), *MARKERS)
    shows(visitor.text("h1"), SUBJECT)
    if works:
        assert page.get_by_label("主题").input_value() == SUBJECT
        page.get_by_label("答复期限").click()
        page.wait_for_selector(".flatpickr-calendar.open")
        page.locator(".flatpickr-day:not(.prevMonthDay)").first.click()
        visitor.check(page.url.removeprefix(visitor.base_url))


def check_inbox(visitor, page, works):
    shows(visitor.text(), TITLE, *([SUBJECT] if visitor.username != "wangge" else []))


def check_search(visitor, page, works):
    assert page.input_value("input[name=q]") == PAYLOADS[5]


def check_notifications(visitor, page, works):
    """New tasks name the call's title; a designer's notice linking to `javascript:` keeps its text, not the link."""
    shows(visitor.text(), TITLE, *([SUBJECT] if visitor.username == "nongye" else []))


CHECKS = {"call": check_call, "calls": check_listing, "lists": check_listing, "notifications": check_notifications,
          "item": check_item, "edit": check_edit, "respond": check_respond, "decide": check_decide,
          "review": check_review, "inbox": check_inbox, "search": check_search}


def test_no_stored_payload_runs_anywhere(seeded, chromium, live_server):
    for csp, viewport in ((False, {"width": 1440, "height": 900}), (True, {"width": 390, "height": 844})):
        people = {}
        for key, usernames in PLAN.items():
            for username in usernames:
                if username not in people:
                    people[username] = Visitor(chromium, live_server, username, csp, viewport)
                try:
                    expect(people[username], key, seeded)
                except AssertionError:
                    ARTIFACTS.mkdir(parents=True, exist_ok=True)
                    people[username].page.screenshot(path=str(ARTIFACTS / f"xss-{username}-{key}.png"), full_page=True)
                    raise
        for person in people.values():
            person.context.close()
