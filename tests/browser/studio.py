"""Shared steps of the studio's browser tests: a designer draws in the modeler as a person does (palette, context
pad, replace menu, properties panel, dialogs), 编办 approves in the inbox, staff work their tasks.

The modeler is read through `window.studioModeler` (element registry, viewbox, problems, saveXML) only to find
where to click and to check what the page shows; nothing here creates or changes an element through its API.
"""

import re
from pathlib import Path

from tests.browser.conftest import sign_in

SHOTS = Path("/tmp/studio-shots")
PALETTE_WIDTH = 130  # the palette covers the canvas' left edge: never click an element under it

# where an element is on the screen: a shape's centre, a connection's longest segment's middle; `hit` is a point
# of it that nothing covers (another element, a context pad), or null
POINT_JS = """(id) => {
  const m = window.studioModeler, canvas = m.get('canvas'), el = m.get('elementRegistry').get(id);
  if (!el) return null;
  const vb = canvas.viewbox(), box = canvas.getContainer().getBoundingClientRect();
  const screen = (x, y) => [box.left + (x - vb.x) * vb.scale, box.top + (y - vb.y) * vb.scale];
  let x, y, candidates = [];
  if (el.waypoints) {
    let best = -1;
    for (let i = 1; i < el.waypoints.length; i++) {
      const a = el.waypoints[i - 1], b = el.waypoints[i], len = Math.hypot(b.x - a.x, b.y - a.y);
      if (len > best) { best = len; x = (a.x + b.x) / 2; y = (a.y + b.y) / 2; }
      for (const f of [0.5, 0.3, 0.7, 0.2, 0.8]) candidates.push([a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f]);
    }
    candidates.unshift([x, y]);
  } else {
    x = el.x + el.width / 2; y = el.y + el.height / 2;
    for (const fy of [0.5, 0.3, 0.7, 0.15, 0.85]) for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85])
      candidates.push([el.x + el.width * fx, el.y + el.height * fy]);
  }
  let hit = null;
  for (const [cx, cy] of candidates) {
    const [sx, sy] = screen(cx, cy);
    const found = document.elementFromPoint(sx, sy);
    const owner = found && found.closest('.djs-element');
    if (owner && owner.getAttribute('data-element-id') === id && !found.closest('.djs-overlay')) { hit = [sx, sy]; break; }
  }
  const [px, py] = screen(x, y);
  return {x: px, y: py, hit, scale: vb.scale, left: box.left, top: box.top, right: box.right, bottom: box.bottom};
}"""

NO_ERRORS_JS = "() => !window.studioModeler.getProblems().some((p) => p.severity === 'error')"

SHOWN_JS = """(id) => { const input = document.querySelector('#bio-properties-panel-id');
  return !!input && input.value === id; }"""

ELEMENTS_JS = """() => window.studioModeler.get('elementRegistry').getAll()
  .filter((e) => e.type !== 'label').map((e) => ({id: e.id, type: e.type, name: e.businessObject.name || null,
    source: e.source ? e.source.id : null, target: e.target ? e.target.id : null}))"""


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


class Person:
    """A signed-in user with a page of their own."""

    def __init__(self, browser_page, username):
        self.username = username
        self.page = browser_page()
        sign_in(self.page, username)

    def task(self, title_part):
        """Open the first task of 我的待办 whose title has `title_part`."""
        self.page.goto("/")
        self.page.get_by_role("link", name=title_part).first.click()
        self.page.wait_for_function("() => window.__formReady === true")
        return self

    def choose(self, *labels):
        for label in labels:
            self.page.locator("#form").get_by_text(label, exact=True).click()
        return self

    def fill(self, **fields):
        for label, value in fields.items():
            self.page.locator("#form").get_by_label(label).fill(str(value))
        return self

    def submit(self):
        self.page.click("#submit")
        self.page.wait_for_url("**/?done=*")
        return self

    def inbox_titles(self):
        self.page.goto("/")
        return self.page.locator("ul.tasks a.title").all_inner_texts()


def approve(browser_page, reason_part=None):
    """编办 opens 部署审批 in 我的待办, reads it, chooses 同意 and submits; returns the task page's text."""
    bianban = Person(browser_page, "bianban")
    bianban.task("部署审批")
    text = bianban.page.locator("main").inner_text()
    if reason_part:
        assert reason_part in text, text
    bianban.choose("同意").submit()
    return bianban, text


class Designer(Person):
    """The designer (`sheji`) in the studio's diagram editor."""

    def __init__(self, browser_page, username="sheji"):
        super().__init__(browser_page, username)

    # --- the page -------------------------------------------------------------------------------------------------

    def open(self, process_id):
        self.page.goto(f"/design/processes/{process_id}")
        self.page.wait_for_function("() => window.__studioReady === true")
        self.group("常规")  # stays open from element to element: its 编号（ID） tells which element the panel shows
        return self

    def elements(self):
        return self.page.evaluate(ELEMENTS_JS)

    def element(self, element_id):
        return next((e for e in self.elements() if e["id"] == element_id), None)

    def ids(self):
        return {e["id"] for e in self.elements()}

    def new_elements(self, before, type_=None):
        return [e for e in self.elements() if e["id"] not in before and (type_ is None or e["type"] == type_)]

    def selected(self):
        return self.page.evaluate("() => window.studioModeler.get('selection').get().map((e) => e.id)")

    def problems(self):
        return self.page.evaluate("() => window.studioModeler.getProblems()")

    def xml(self):
        return self.page.evaluate("async () => (await window.studioModeler.saveXML({format: true})).xml")

    def wait_saved(self):
        """The draft saved itself (the page says 已保存草稿) and no edit is pending."""
        self.page.wait_for_function("""() => /已保存草稿/.test(document.getElementById('save-state').textContent)""")
        self.page.wait_for_timeout(1700)  # a later edit's debounced save
        self.page.wait_for_function("""() => /已保存草稿/.test(document.getElementById('save-state').textContent)""")

    # --- pointing at the canvas ------------------------------------------------------------------------------------

    def point(self, element_id):
        """The element's screen position, scrolled (mouse wheel over the canvas) into the free part of the canvas."""
        for _ in range(30):
            p = self.page.evaluate(POINT_JS, element_id)
            assert p, f"{element_id} is not on the diagram"
            left, right = p["left"] + PALETTE_WIDTH, p["right"] - 60
            top, bottom = p["top"] + 60, p["bottom"] - 60
            dx = (p["x"] - right + 100) if p["x"] > right else (p["x"] - left - 100) if p["x"] < left else 0
            dy = (p["y"] - bottom + 100) if p["y"] > bottom else (p["y"] - top - 100) if p["y"] < top else 0
            if not dx and not dy:
                return tuple(p["hit"]) if p["hit"] else (p["x"], p["y"])
            self.page.mouse.move((p["left"] + p["right"]) / 2, (p["top"] + p["bottom"]) / 2)
            self.page.mouse.wheel(dx, dy)
            self.page.wait_for_timeout(50)
        raise AssertionError(f"could not scroll {element_id} into view")

    def spot(self, x, y):
        """The screen position of diagram position (x, y), scrolled into the free part of the canvas (to drop at)."""
        for _ in range(30):
            sx, sy = screen(self, x, y)
            box = self.page.locator("#canvas").bounding_box()
            left, right = box["x"] + PALETTE_WIDTH, box["x"] + box["width"] - 60
            top, bottom = box["y"] + 60, box["y"] + box["height"] - 60
            dx = (sx - right + 100) if sx > right else (sx - left - 100) if sx < left else 0
            dy = (sy - bottom + 100) if sy > bottom else (sy - top - 100) if sy < top else 0
            if not dx and not dy:
                return sx, sy
            self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            self.page.mouse.wheel(dx, dy)
            self.page.wait_for_timeout(50)
        raise AssertionError(f"could not scroll ({x}, {y}) into view")

    def zoom(self, element_id, scale=1.0):
        """Zoom (Ctrl + mouse wheel over the element) until the diagram is shown at about `scale`."""
        for _ in range(40):
            x, y = self.point(element_id)
            current = self.page.evaluate("() => window.studioModeler.get('canvas').viewbox().scale")
            if abs(current - scale) < 0.12:
                return self
            self.page.mouse.move(x, y)
            self.page.keyboard.down("Control")
            self.page.mouse.wheel(0, -120 if current < scale else 120)
            self.page.keyboard.up("Control")
            self.page.wait_for_timeout(50)
        return self

    def click(self, element_id):
        """Click an element until it is selected: after a palette drop or a replace-menu choice, diagram-js' drag
        handling swallows the next click on the canvas (the release of a driven mouse ends in no click of its own)."""
        selected = "(id) => window.studioModeler.get('selection').get().some((e) => e.id === id)"
        for attempt in range(3):
            x, y = self.point(element_id)
            self.page.mouse.click(x, y)
            try:
                self.page.wait_for_function(selected, arg=element_id, timeout=1000 if attempt < 2 else 5000)
                self.page.wait_for_function(SHOWN_JS, arg=element_id)  # the panel re-rendered for it
                return self
            except Exception:
                if attempt == 2:
                    raise
        return self

    def pad(self, action):
        """Click an entry of the context pad of the selected element (append.end-event, connect, replace, delete…)."""
        entry = self.page.locator(f'.djs-context-pad .entry[data-action="{action}"]')
        entry.click()
        return self

    def append(self, from_id, action):
        """From an element's context pad, append a new element; returns the new shape's id (it is selected)."""
        before = self.ids()
        self.click(from_id).pad(action)
        shapes = [e for e in self.new_elements(before) if not e["type"].endswith("SequenceFlow")]
        assert len(shapes) == 1, shapes
        return shapes[0]["id"]

    def connect(self, from_id, to_id):
        """Context pad 连接 of `from_id`, then a click on `to_id`; returns the new flow's id."""
        before = self.ids()
        self.click(from_id).pad("connect")
        x, y = self.point(to_id)
        self.page.mouse.move(x, y)
        self.page.mouse.click(x, y)
        flows = self.new_elements(before, "bpmn:SequenceFlow")
        assert len(flows) == 1, flows
        return flows[0]["id"]

    def replace(self, element_id, entry_id):
        """The context pad's 更改元素 (wrench) menu: e.g. replace-with-service-task, toggle-parallel-mi."""
        self.click(element_id).pad("replace")
        self.page.locator(f'.djs-popup [data-id="{entry_id}"]').click()
        return self

    def create(self, action, x, y):
        """A palette entry (create.task, create.exclusive-gateway, …) clicked, the new shape carried to screen position
        (x, y) and placed with a click (on a sequence flow: inserted into it); returns the new shape's id."""
        before = self.ids()
        self.page.locator(f'.djs-palette .entry[data-action="{action}"]').click()
        self.page.mouse.move(x - 20, y - 20, steps=5)
        self.page.mouse.move(x, y, steps=5)
        self.page.mouse.click(x, y)
        shapes = [e for e in self.new_elements(before) if not e["type"].endswith("SequenceFlow")]
        assert len(shapes) == 1, shapes
        return shapes[0]["id"]

    # --- the properties panel ---------------------------------------------------------------------------------------

    def group(self, label):
        """Open the properties panel's group `label` (常规, 平台设置, 多实例 …) and return it."""
        header = self.page.locator(".bio-properties-panel-group-header", has_text=label).first
        if "open" not in (header.get_attribute("class") or ""):
            header.click()
        return self.page.locator(".bio-properties-panel-group", has=header)

    def set_name(self, text):
        self.group("常规")
        field = self.page.locator("#bio-properties-panel-name")
        field.fill(text)
        field.blur()
        return self

    def set_code(self, entry_id, text):
        """A CodeMirror entry of 平台设置 (条件, 脚本): click into it, select all, type."""
        content = self.page.locator(f'[data-entry-id="{entry_id}"] .cm-content')
        content.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Escape")  # close the autocomplete
        return self

    def check_role(self, entry_id, role_name):
        self.page.locator(f'[data-entry-id="{entry_id}"] label.tc-check', has_text=role_name).locator("input").check()
        return self

    def set_text(self, field_id, text):
        field = self.page.locator(f"#bio-properties-panel-{field_id}")
        field.fill(text)
        field.blur()
        return self

    def set_due(self, amount, unit="D", working=False):
        """办理时限 in 平台设置: 按时长, the amount and unit (D 天, H 小时), 按工作日计算 (a switch, clicked by its label)."""
        self.page.locator("#bio-properties-panel-tc-due-mode").select_option("duration")
        self.page.locator("#bio-properties-panel-tc-due-amount").fill(str(amount))
        self.page.locator("#bio-properties-panel-tc-due-unit").select_option(unit)
        switch = self.page.locator("#bio-properties-panel-tc-due-working")
        if switch.is_checked() != working:
            self.page.locator('[data-entry-id="tc-due"] label.tc-switch').click()
        assert switch.is_checked() == working
        return self

    def set_service(self, name, result, **params):
        """调用服务 in 平台设置, then its parameters (expressions) and 结果变量."""
        self.group("平台设置").get_by_label("调用服务").select_option(name)
        for param, expression in params.items():
            self.page.locator(f"#bio-properties-panel-tc-param-{param}").wait_for()
            self.set_text(f"tc-param-{param}", expression)
        self.set_text("tc-result", result)
        return self

    def draw_task(self, x, y, replace_with, name):
        """A task from the palette placed at diagram position (x, y), changed (更改元素) to a user or service task
        (replace-with-user-task, replace-with-service-task) and named; returns its id."""
        task = self.create("create.task", *self.spot(x, y))
        self.replace(task, replace_with).click(task).set_name(name)
        return task

    def branch(self, flow, name, condition=None, default=False):
        """Name a gateway's outgoing flow and give it its condition, or make it the default branch."""
        self.click(flow).set_name(name)
        platform = self.group("平台设置")
        if condition:
            self.set_code("tc-condition", condition)
        if default:
            platform.get_by_label("默认分支").check()
        return self

    def flow_from(self, source):
        return next(e["id"] for e in self.elements() if e["type"] == "bpmn:SequenceFlow" and e["source"] == source)

    def flow_to(self, target):
        return next(e["id"] for e in self.elements() if e["type"] == "bpmn:SequenceFlow" and e["target"] == target)

    def wait_no_errors(self):
        self.page.wait_for_function(NO_ERRORS_JS)
        return self

    # --- 场景测试 ------------------------------------------------------------------------------------------------------

    def run_tests(self):
        """运行全部测试 in the 场景测试 tab; returns the summary once the run is over."""
        self.page.get_by_role("tab", name="场景测试").click()
        self.page.locator("#tests-run").click()
        self.page.locator("#tests-run", has_text="运行全部测试").wait_for(timeout=60_000)
        return self.page.locator('[data-testid="tests-summary"]').inner_text()

    def edit_scenario(self, scenario_id):
        self.page.get_by_role("tab", name="场景测试").click()
        self.page.locator(f'li.scenario[data-scenario="{scenario_id}"]').get_by_role("button", name="编辑").click()
        return self.page.locator('[data-testid="scenario-editor"]')

    # --- the review dialog -------------------------------------------------------------------------------------------

    def review(self):
        """提交发布…: wait until validation, the scenario tests and the diff are shown; return the dialog."""
        self.page.click("#open-review")
        dialog = self.page.locator("#review")
        dialog.locator("h3", has_text="变更内容").wait_for(timeout=60_000)
        dialog.locator("h3", has_text="对比图").wait_for()
        return dialog

    def submit_request(self, reason):
        """Fill the reason in the open review dialog and send the request; returns the request's number."""
        dialog = self.page.locator("#review")
        assert dialog.locator("#submit-request").is_enabled(), dialog.inner_text()
        dialog.locator("#reason").fill(reason)
        dialog.locator("#submit-request").click()
        message = self.page.locator("#message")
        message.get_by_text("已提交发布申请").wait_for(timeout=60_000)
        href = message.get_by_role("link", name="查看申请").get_attribute("href")
        return int(re.search(r"/design/requests/(\d+)", href).group(1))

    def close_review(self):
        self.page.locator("#review").get_by_role("button", name="取消").click()
        return self

    def publish(self, browser_page, reason, diff_has=()):
        """提交发布… with `reason` (the change lines must name `diff_has`), then 编办 approves it; returns what the
        review dialog said."""
        review = self.review()
        said = review.inner_text()
        lines = review.locator('[data-testid="diff-lines"]').inner_text()
        assert all(part in lines for part in diff_has), lines
        self.submit_request(reason)
        approve(browser_page, reason)
        return said

    def published_version(self, process_id):
        """The version the editor says is published (已发布第 n 版)."""
        self.page.goto(f"/design/processes/{process_id}")
        text = self.page.locator(".studio-head .meta").inner_text()
        found = re.search(r"已发布第 (\d+) 版", text)
        return int(found.group(1)) if found else None


def start_call(person, description, urgency="一般", item="电鱼", code="P-0001"):
    """发起呼叫 as grid or town staff: item P-0001 (电鱼; 市农业农村局 leads, 市公安局 helps); returns the call number."""
    page = person.page
    page.goto("/")
    page.get_by_role("link", name="发起呼叫").click()
    page.wait_for_function("() => window.__formReady === true")
    page.fill("#item-search", item)
    page.get_by_role("button", name=code).click()
    page.locator("#item-chosen .title").wait_for()
    page.locator("#form").get_by_label("地点").fill("高邮湖铜城段")
    page.locator("#form").get_by_label("问题描述").fill(description)
    page.locator("#form").get_by_text(urgency, exact=True).click()
    page.click("#submit")
    page.wait_for_url(re.compile(r"(/calls/HJ[^/]*|:\d+/)$"))
    # a registered call opens its record; one that waits for a step before registering goes back to 我的待办
    return page.url.rsplit("/", 1)[1] if "/calls/HJ" in page.url else None


def instance_of_call(page, number):
    """{id, process_version, status} of a call's instance, read through the API the pages use."""
    return page.evaluate("""async (number) => {
      const call = await (await fetch(`/api/calls/${number}`, {headers: {Accept: 'application/json'}})).json();
      const inst = await (await fetch(`/api/instances/${call.instance_id}`, {headers: {Accept: 'application/json'}})).json();
      return {id: inst.id, process_version: inst.process_version, status: inst.status};
    }""", number)


SCREEN_JS = """([x, y]) => {
  const canvas = window.studioModeler.get('canvas'), vb = canvas.viewbox();
  const box = canvas.getContainer().getBoundingClientRect();
  return [box.left + (x - vb.x) * vb.scale, box.top + (y - vb.y) * vb.scale];
}"""


def screen(designer, x, y):
    """The screen position of a diagram position (to drop or drag at a free spot)."""
    return designer.page.evaluate(SCREEN_JS, [x, y])


def make_space(designer, x, y, dx=0, dy=0):
    """The palette's space tool: press at diagram position (x, y), on an empty spot of a lane, and drag by (dx, dy)
    diagram units: right of (below) that line everything moves, the pool and its lanes grow."""
    page = designer.page
    page.locator('.djs-palette .entry[data-action="space-tool"]').click()
    sx, sy = designer.spot(x, y)
    ex, ey = screen(designer, x + dx, y + dy)
    page.mouse.move(sx, sy, steps=5)
    page.mouse.down()
    page.wait_for_timeout(100)
    page.mouse.move(sx + (10 if dx else 0), sy + (10 if dy else 0), steps=3)
    page.wait_for_timeout(100)
    page.mouse.move(ex, ey, steps=10)
    page.wait_for_timeout(100)
    page.mouse.up()
    page.keyboard.press("Escape")  # leave the tool


class FormEditor:
    """The form designer page (/design/forms/<id>, form-js' editor) in a tab of its own."""

    def __init__(self, page):
        self.page = page
        page.wait_for_selector("#fe-palette .fjs-palette-field")
        self.props = page.locator("#fe-properties")

    def _open(self, label):
        header = self.props.locator(".bio-properties-panel-group-header", has_text=label).first
        if "open" not in (header.get_attribute("class") or ""):
            header.click()

    def add(self, palette_name, label, key, required=False, options=()):
        """Click a palette entry (it is appended and selected), then set its label, key, options and 必填."""
        self.page.locator("#fe-palette").get_by_text(palette_name, exact=True).click()
        self.props.locator(".bio-properties-panel-header-type", has_text=palette_name).wait_for()
        self._open("常规")
        self.props.locator('[data-entry-id="label"] .cm-content').click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(label)
        key_input = self.props.locator("#bio-properties-panel-key")
        key_input.fill(key)
        key_input.blur()
        for index, (text, value) in enumerate(options):
            self._open("固定选项")
            if index:
                self.props.locator(".bio-properties-panel-group-header", has_text="固定选项").get_by_title("新增一项").click()
            item = self.props.locator(f'[data-entry-id="staticOptions-{index}"]')
            if not item.locator(".bio-properties-panel-collapsible-entry-entries.open").count():
                item.locator(".bio-properties-panel-collapsible-entry-header").click()
            for part, content in (("label", text), ("value", value)):
                field = self.props.locator(f"#bio-properties-panel-staticOptions-{index}-{part}")
                field.fill(content)
                field.blur()
        if required:
            self._open("校验")
            self.props.get_by_label("必填").check()
        return self

    def saved(self):
        self.page.wait_for_timeout(300)
        self.page.locator("#save-status").get_by_text("已保存草稿").wait_for()
        return self


def new_form(designer, name, form_id):
    """平台设置 → 表单 → 新建表单: the dialog, then the form designer that opens in a new tab; returns its FormEditor."""
    page = designer.page
    with page.context.expect_page() as opened:
        designer.group("平台设置").get_by_role("button", name="新建表单").click()
        dialog = page.locator("dialog[open]")
        dialog.get_by_label("表单名称").fill(name)
        dialog.get_by_label("表单编号（字母开头）").fill(form_id)
        dialog.get_by_role("button", name="创建并打开").click()
    assert page.locator("#bio-properties-panel-tc-form").input_value() == form_id
    return FormEditor(opened.value)
