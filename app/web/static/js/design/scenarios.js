// 场景测试 panel: the scenario tests stored with a process — write them, record one from an instance, run them,
// see the path each one took on the diagram.
import { createDraftSaver } from "./drafts.js";
import { api, el, errorText, showMessage, testResults } from "./studio.js";

const TEXT = {
  title: "场景测试",
  intro: "每个场景从发起开始，按顺序完成各个任务（或等待一段时间），最后检查结束状态、经过的路径和数据。"
    + "测试在独立的数据库中运行，不影响真实数据；有未通过的测试时不能发布。",
  add: "新建场景", record: "从实例录制", recordLabel: "实例编号", run: "运行全部测试", running: "正在运行…",
  name: "场景名称", startRole: "发起人角色", startData: "发起数据（JSON）", steps: "步骤",
  addComplete: "添加：完成任务", addWait: "添加：等待", task: "任务", role: "办理角色", data: "提交数据（JSON）",
  wait: "等待时长", hours: "小时", days: "天", remove: "删除", edit: "编辑", save: "保存场景", cancel: "取消",
  up: "上移", down: "下移",
  expect: "期望结果", status: "结束状态", path: "必经路径（元素编号，逗号分隔）", usePath: "用最近一次运行的路径",
  expectData: "期望数据（JSON，只检查列出的键）", badJson: (what) => `${what}不是有效的 JSON`,
  none: "（无）", noName: "请填写场景名称", passedAll: (n) => `全部 ${n} 个场景通过`,
  failedSome: (f, n) => `${f} 个场景未通过（共 ${n} 个）`, recorded: "已录制为新场景，请检查后保存",
  statuses: { completed: "已完成", running: "运行中（仍有待办）", error: "出错" },
  stepComplete: (t, r) => `完成“${t}”（${r}）`, stepWait: (d) => `等待 ${d}`,
};

const HUMAN = ["bpmn:UserTask", "bpmn:ManualTask", "bpmn:Task"];
const HUMAN_TAGS = ["userTask", "manualTask", "task"];
const BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";

export function mountScenarios({ parent, page, modeler, box, onResults, readDiagram }) {
  const catalog = page.catalog;
  const roleName = (code) => (catalog.roles.find((r) => r.code === code) || {}).name || code;
  let file = parseFile(page.scenarios.content) || { process: page.process_id, scenarios: [] };
  let lastResults = [];
  // The scenario file is a draft of its own, saved like the diagram (drafts.js); its state shows in the panel.
  const saveStatus = el("p", { class: "save-status muted", "data-testid": "scenario-save-status" });
  const saver = createDraftSaver({
    page: { urls: { save_draft: page.urls.scenario_draft }, draft: page.scenarios.draft,
            base_version: page.scenarios.base_version, deployed_version: page.scenarios.deployed_version },
    getContent: () => JSON.stringify(file, null, 2), statusBox: saveStatus, fileName: page.scenarios.file_name,
  });

  function parseFile(text) {
    if (!text) return null;
    try { return JSON.parse(text); } catch (_) { return null; }
  }

  // the human tasks a scenario completes: this diagram's, then those of the processes its call activities call and
  // of every other published process (a message may start one: 督办整改 of supervision_case), read once
  let calledTasks = [];
  let editing = false;
  function humanTasks() {
    const own = modeler.get("elementRegistry").filter((e) => HUMAN.includes(e.type))
      .map((e) => ({ id: e.id, name: e.businessObject.name || e.id }));
    return [...own, ...calledTasks.filter((t) => !own.some((o) => o.id === t.id))];
  }
  const taskName = (id) => (humanTasks().find((t) => t.id === id) || { name: id }).name;

  async function loadCalledTasks() {
    const seen = new Set([page.process_id]);
    let queue = modeler.get("elementRegistry").filter((e) => e.type === "bpmn:CallActivity")
      .map((e) => e.businessObject.calledElement).filter(Boolean);
    const found = [];
    let listed = false;
    while (seen.size < 50) {
      if (!queue.length && !listed) {
        listed = true;
        try {
          const response = await fetch("/api/processes", { credentials: "same-origin", headers: { Accept: "application/json" } });
          if (response.ok) queue = (await response.json()).map((p) => p.process_id);
        } catch (_) { /* names stay codes */ }
      }
      if (!queue.length) break;
      const pid = queue.shift();
      if (seen.has(pid)) continue;
      seen.add(pid);
      let text;
      try {
        const response = await fetch(`/api/processes/${encodeURIComponent(pid)}/xml`, { credentials: "same-origin" });
        if (!response.ok) continue;
        text = await response.text();
      } catch (_) { continue; }
      const doc = new DOMParser().parseFromString(text, "application/xml");
      for (const node of doc.getElementsByTagNameNS(BPMN, "*")) {
        if (HUMAN_TAGS.includes(node.localName)) found.push({ id: node.getAttribute("id"), name: node.getAttribute("name") || node.getAttribute("id") });
        if (node.localName === "callActivity" && node.getAttribute("calledElement")) queue.push(node.getAttribute("calledElement"));
      }
    }
    calledTasks = found;
    if (!editing) render();
  }

  function showPath(path) {
    const canvas = modeler.get("canvas");
    const registry = modeler.get("elementRegistry");
    registry.forEach((e) => canvas.removeMarker(e.id, "tc-path"));
    for (const id of path) if (registry.get(id)) canvas.addMarker(id, "tc-path");
  }

  async function run() {
    const button = parent.querySelector("#tests-run");
    button.disabled = true;
    button.textContent = TEXT.running;
    await saver.flush();
    // a process without scenario tests sends none (an empty file is refused: "没有场景"), so it still may be published
    const files = { [page.file_name]: await readDiagram() };
    if (file.scenarios.length || page.scenarios.content) files[`${page.process_id}.scenarios.json`] = JSON.stringify(file, null, 2);
    let result;
    try { result = await api("POST", page.urls.run_tests, { files, process: page.process_id }); }
    finally { button.disabled = false; button.textContent = TEXT.run; }
    const { response, json } = result;
    if (!response.ok) { showMessage(box, errorText(json)); return null; }
    lastResults = json;
    if (onResults) onResults(json);
    render();
    return json;
  }

  async function record() {
    const input = parent.querySelector("#record-id");
    const id = parseInt(input.value, 10);
    if (!id) { input.focus(); return; }
    const { response, json } = await api("GET", page.urls.record.replace("__id__", id));
    if (!response.ok) { showMessage(box, errorText(json)); return; }
    file.scenarios.push(json);
    showMessage(box, TEXT.recorded, "ok");
    saver.changed();
    render();
  }

  function summary(s) {
    const steps = (s.steps || []).map((step) => step.wait ? TEXT.stepWait(step.wait)
      : TEXT.stepComplete(taskName(step.complete), roleName(step.role)));
    return steps.join(" → ") || TEXT.none;
  }

  function render() {
    editing = false;
    const results = Object.fromEntries(lastResults.map((r) => [r.scenario, r]));
    const passed = lastResults.filter((r) => r.passed).length;
    parent.replaceChildren(...[
      el("h2", { text: TEXT.title }), el("p", { class: "muted", text: TEXT.intro }), saveStatus,
      el("div", { class: "actions left" },
        el("button", { type: "button", id: "tests-run", class: "primary", text: TEXT.run, onclick: run }),
        el("button", { type: "button", id: "tests-add", text: TEXT.add, onclick: () => editor(null) }),
        el("label", { class: "inline", for: "record-id", text: TEXT.recordLabel }),
        el("input", { id: "record-id", type: "number", min: "1", class: "short" }),
        el("button", { type: "button", id: "tests-record", text: TEXT.record, onclick: record })),
      lastResults.length ? el("p", { class: passed === lastResults.length ? "notice ok" : "notice error",
        "data-testid": "tests-summary",
        text: passed === lastResults.length ? TEXT.passedAll(passed) : TEXT.failedSome(lastResults.length - passed, lastResults.length) }) : null,
      el("ul", { class: "scenarios" }, ...file.scenarios.map((s, index) => {
        const r = results[s.id];
        return el("li", { class: "scenario", "data-scenario": s.id },
          el("div", { class: "scenario-head" }, el("strong", { text: s.name || s.id }),
            r ? el("span", { class: `badge ${r.passed ? "ok" : "error"}`, text: r.passed ? "通过" : "未通过" }) : null),
          el("div", { class: "muted", text: summary(s) }),
          r && r.failures.length ? el("div", { class: "failures", text: r.failures.join("\n") }) : null,
          el("div", { class: "actions left" },
            r && r.path && r.path.length ? el("button", { type: "button", class: "link", text: "在图上显示路径", onclick: () => showPath(r.path) }) : null,
            el("button", { type: "button", class: "link", text: TEXT.edit, onclick: () => editor(index) }),
            el("button", { type: "button", class: "link", text: TEXT.remove, onclick: () => {
              file.scenarios.splice(index, 1); saver.changed(); render(); } })));
      })),
      lastResults.some((r) => !results[r.scenario] || !file.scenarios.find((s) => s.id === r.scenario))
        ? testResults(lastResults.filter((r) => !file.scenarios.find((s) => s.id === r.scenario)), showPath) : null,
    ].filter(Boolean));
  }

  function jsonField(id, label, value) {
    const text = JSON.stringify(value || {}, null, 1);
    const rows = Math.min(12, Math.max(3, text.split("\n").length)); // the whole value in view, up to 12 lines
    return [el("label", { for: id, text: label }), el("textarea", { id, rows: String(rows), class: "code" }, text)];
  }

  function roleSelect(id, value) {
    return el("select", { id }, ...catalog.roles.map((r) => el("option", { value: r.code, selected: r.code === value, text: r.name })));
  }

  function editor(index) {
    const original = index === null ? null : file.scenarios[index];
    const scenario = JSON.parse(JSON.stringify(original || {
      id: `scenario_${Date.now().toString(36)}`, name: "", start: { role: catalog.roles[0].code, data: {} },
      steps: [], expect: { status: "completed" } }));
    const stepsList = el("ol", { class: "steps" });
    const form = el("form", { class: "scenario-editor stack", "data-testid": "scenario-editor" });

    function stepRow(step) {
      const row = el("li", { class: "step" });
      if (step.wait !== undefined) {
        const match = /^PT?(\d+)([HD])$/.exec(step.wait.replace("PT", "PT").replace(/^P(\d+)D$/, "P$1D")) || [];
        const amount = el("input", { type: "number", min: "1", value: match[1] || "1", class: "short step-wait-amount" });
        const unit = el("select", { class: "step-wait-unit" }, el("option", { value: "H", text: TEXT.hours, selected: match[2] !== "D" }),
          el("option", { value: "D", text: TEXT.days, selected: match[2] === "D" }));
        row.append(el("span", { text: TEXT.wait }), amount, unit);
        row.read = () => ({ wait: unit.value === "D" ? `P${amount.value}D` : `PT${amount.value}H` });
      } else {
        // a task no diagram here knows (yet) stays chosen: saving never silently changes a step to another task
        const tasks = humanTasks();
        if (step.complete && !tasks.some((t) => t.id === step.complete)) tasks.push({ id: step.complete, name: step.complete });
        const task = el("select", { class: "step-task", "aria-label": TEXT.task },
          ...tasks.map((t) => el("option", { value: t.id, selected: t.id === step.complete, text: `${t.name}（${t.id}）` })));
        const role = roleSelect(`role-${Math.random().toString(36).slice(2)}`, step.role);
        role.classList.add("step-role");
        const data = el("textarea", { rows: "2", class: "code step-data", "aria-label": TEXT.data }, JSON.stringify(step.data || {}));
        row.append(el("label", { text: TEXT.task }), task, el("label", { text: TEXT.role }), role, el("label", { text: TEXT.data }), data);
        row.read = () => {
          const value = JSON.parse(data.value || "{}");
          return { complete: task.value, role: role.value, ...(step.org ? { org: step.org } : {}), data: value };
        };
      }
      // a step added at the end can be moved to where it happens (a new first task, say)
      row.append(el("span", { class: "step-actions" },
        el("button", { type: "button", class: "link step-up", text: TEXT.up,
          onclick: () => { if (row.previousElementSibling) row.parentNode.insertBefore(row, row.previousElementSibling); } }),
        el("button", { type: "button", class: "link step-down", text: TEXT.down,
          onclick: () => { if (row.nextElementSibling) row.parentNode.insertBefore(row.nextElementSibling, row); } }),
        el("button", { type: "button", class: "link", text: TEXT.remove, onclick: () => row.remove() })));
      return row;
    }
    for (const step of scenario.steps || []) stepsList.append(stepRow(step));
    const last = lastResults.find((r) => r.scenario === scenario.id);
    const pathInput = el("input", { id: "sc-path", value: (scenario.expect.path || []).join(", ") });
    form.append(
      el("label", { for: "sc-name", text: TEXT.name }), el("input", { id: "sc-name", value: scenario.name, required: true }),
      el("label", { for: "sc-role", text: TEXT.startRole }), roleSelect("sc-role", scenario.start.role),
      ...jsonField("sc-data", TEXT.startData, scenario.start.data),
      el("h3", { text: TEXT.steps }), stepsList,
      el("div", { class: "actions left" },
        el("button", { type: "button", id: "add-complete", text: TEXT.addComplete, onclick: () => stepsList.append(stepRow({ complete: "", role: catalog.roles[0].code })) }),
        el("button", { type: "button", id: "add-wait", text: TEXT.addWait, onclick: () => stepsList.append(stepRow({ wait: "PT1H" })) })),
      el("h3", { text: TEXT.expect }),
      el("label", { for: "sc-status", text: TEXT.status }),
      el("select", { id: "sc-status" }, ...Object.entries(TEXT.statuses).map(([v, t]) => el("option", { value: v, text: t, selected: scenario.expect.status === v }))),
      el("label", { for: "sc-path", text: TEXT.path }), pathInput,
      last && last.path ? el("button", { type: "button", class: "link", text: TEXT.usePath, onclick: () => { pathInput.value = last.path.join(", "); } }) : null,
      ...jsonField("sc-expect-data", TEXT.expectData, scenario.expect.data),
      el("div", { class: "actions" },
        el("button", { type: "button", text: TEXT.cancel, onclick: () => render() }),
        el("button", { type: "submit", class: "primary", id: "sc-save", text: TEXT.save })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const read = (id, what) => { try { return JSON.parse(form.querySelector(id).value || "{}"); } catch (_) { throw new Error(TEXT.badJson(what)); } };
      try {
        const name = form.querySelector("#sc-name").value.trim();
        if (!name) throw new Error(TEXT.noName);
        scenario.name = name;
        scenario.start = { ...scenario.start, role: form.querySelector("#sc-role").value, data: read("#sc-data", TEXT.startData) };
        scenario.steps = [...stepsList.children].map((row) => {
          try { return row.read(); } catch (_) { throw new Error(TEXT.badJson(TEXT.data)); }
        });
        const path = pathInput.value.split(/[,，\s]+/).filter(Boolean);
        const data = read("#sc-expect-data", TEXT.expectData);
        scenario.expect = { status: form.querySelector("#sc-status").value, ...(path.length ? { path } : {}),
          ...(Object.keys(data).length ? { data } : {}) };
      } catch (err) { showMessage(box, err.message); return; }
      if (index === null) file.scenarios.push(scenario); else file.scenarios[index] = scenario;
      showMessage(box, "");
      saver.changed();
      render();
    });
    parent.replaceChildren(el("h2", { text: TEXT.title }), form);
    editing = true;
  }

  render();
  modeler.on("import.done", () => { loadCalledTasks(); });
  return { run, flush: () => saver.flush(), get file() { return file; }, showPath };
}
