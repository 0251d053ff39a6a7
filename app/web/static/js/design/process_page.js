// The diagram editor (/design/processes/<id>): the modeler in Chinese, the draft saving itself, the server's deploy
// validation as markers while editing, the scenario tests, and the review that sends a deploy request to 编办.
import { createDraftSaver } from "./drafts.js";
import { mountScenarios } from "./scenarios.js";
import {
  TEXT, api, diffLines, el, errorText, problemList, readPage, showMessage, testResults,
  visualDiff,
} from "./studio.js";

const LOCAL = {
  newFormTitle: "新建表单", formName: "表单名称", formId: "表单编号（字母开头）", create: "创建并打开", cancel: "取消",
  errorsBlock: (n) => `还有 ${n} 个错误，修正后才能发布（见“问题”）`,
  testsBlock: (n) => `${n} 个场景测试未通过，修正后才能发布`,
  ready: "校验通过，场景测试通过：填写理由后提交给编办审批",
  readyDirect: "校验通过，场景测试通过",
  sent: "已提交发布申请，等待编办审批。", published: (n) => `已发布为第 ${n} 版。`, view: "查看申请",
  changes: "变更内容", tests: "场景测试", diagram: "对比图", problems: "问题",
  draftLabel: "我的草稿", discardConfirm: "放弃草稿后，你的修改将丢失。确定放弃吗？",
  noTests: "此流程还没有场景测试：建议至少写一个主流程场景。",
  newProcess: "新流程（尚未发布）",
  lintErrors: (n) => `“问题”中还有 ${n} 个建模规范错误：它们由编辑器检查，不阻止发布，建议修正后再提交`,
};

const page = readPage();
const box = document.getElementById("message");
const state = document.getElementById("save-state");
const designer = window.TianchangDesigner;
let problems = [];

page.catalog.csrf_token = document.querySelector('meta[name="csrf-token"]').content;
const modeler = designer.createModeler({
  container: "#canvas", propertiesParent: "#properties", problemsParent: "#problems", catalog: page.catalog,
  fileName: page.file_name,
  onOpenForm: (id) => window.open(page.urls.form.replace("__id__", encodeURIComponent(id)), "_blank"),
  onNewForm: ({ elementId } = {}) => newForm(elementId),
  onChange: () => { saver.changed(); scheduleValidation(); },
});
window.studioModeler = modeler; // tests read state through it; they never draw through it

const readDiagram = async () => (await modeler.saveXML({ format: true })).xml;

const saver = createDraftSaver({
  page, getContent: readDiagram, statusBox: state, fileName: page.file_name,
  onSaved: () => { document.getElementById("discard").hidden = false; },
});

let validationTimer = null;
function scheduleValidation() {
  clearTimeout(validationTimer);
  validationTimer = setTimeout(validate, 800);
}

async function validate() {
  let result;
  try { result = await api("POST", page.urls.validate, { files: { [page.file_name]: await readDiagram() } }); }
  catch (_) { return problems; }
  if (!result.response.ok) return problems;
  problems = result.json.problems.filter((p) => p.file === page.file_name || p.severity === "error");
  modeler.setProblems(problems);
  updateCount();
  return problems;
}

function updateCount() {
  const counts = modeler.problemCounts();
  const badge = document.getElementById("problem-count");
  badge.hidden = !(counts.errors + counts.warnings);
  badge.textContent = counts.errors + counts.warnings;
  badge.className = counts.errors ? "count error" : "count";
}
modeler.on("linting.completed", updateCount);
modeler.on("tianchang.problems.changed", updateCount);

async function newForm(elementId) {
  const dialog = el("dialog", { class: "small" });
  const name = el("input", { id: "new-form-name", required: true, maxlength: "128" });
  const id = el("input", { id: "new-form-id", required: true, maxlength: "64", pattern: "[A-Za-z_][A-Za-z0-9_.\\-]*" });
  let finish;
  const form = el("form", { method: "dialog", class: "stack" }, el("h2", { text: LOCAL.newFormTitle }),
    el("label", { for: "new-form-name", text: LOCAL.formName }), name,
    el("label", { for: "new-form-id", text: LOCAL.formId }), id,
    el("p", { class: "notice error", hidden: true }),
    el("div", { class: "actions" }, el("button", { type: "button", text: LOCAL.cancel, onclick: () => finish(null) }),
      el("button", { type: "submit", class: "primary", text: LOCAL.create })));
  dialog.append(form);
  document.body.append(dialog);
  dialog.showModal();
  return new Promise((resolve) => {
    // gone at once (not on the "close" event, which a tab left for the new form's tab may run much later): a second
    // 新建表单 would find this dialog's inputs under the same ids
    finish = (value) => {
      if (!dialog.isConnected) return;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const { response, json } = await api("POST", page.urls.new_form, { form_id: id.value, name: name.value });
      if (!response.ok) { showMessage(form.querySelector(".notice"), errorText(json)); return; }
      const formId = id.value;
      page.catalog.forms.push({ id: formId, name: name.value, file_name: json.file_name, draft: true, keys: [] });
      modeler.updateCatalog({ forms: page.catalog.forms });
      if (elementId) modeler.setPlatformProperty(elementId, "form", formId);
      finish(formId);
      window.open(page.urls.form.replace("__id__", encodeURIComponent(formId)), "_blank");
    });
    dialog.addEventListener("close", () => finish(null)); // Esc
  });
}

// Tabs: problems | scenario tests
for (const tab of document.querySelectorAll(".studio-tabs [role=tab]")) {
  tab.addEventListener("click", () => {
    for (const other of document.querySelectorAll(".studio-tabs [role=tab]")) {
      const on = other === tab;
      other.setAttribute("aria-selected", on);
      document.getElementById(`tab-${other.dataset.tab}`).hidden = !on;
    }
  });
}

const tests = mountScenarios({
  parent: document.getElementById("tests"), page, modeler, box, readDiagram,
  onResults: (results) => {
    const failed = results.filter((r) => !r.passed).length;
    const badge = document.getElementById("test-count");
    badge.hidden = !results.length;
    badge.textContent = failed ? `${failed}✕` : `${results.length}✓`;
    badge.className = failed ? "count error" : "count ok";
  },
});
document.getElementById("run-tests").addEventListener("click", () => {
  document.querySelector('[data-tab="tests"]').click();
  tests.run();
});

document.getElementById("discard").addEventListener("click", async () => {
  if (!window.confirm(LOCAL.discardConfirm)) return;
  const { response, json } = await api("DELETE", page.urls.discard);
  if (response.ok || response.status === 404) { window.location.reload(); return; }
  showMessage(box, errorText(json));
});

// Review: validation, scenario tests, the semantic and visual diff, then the request with its reason.
const review = document.getElementById("review");
const reviewBody = document.getElementById("review-body");
const submit = document.getElementById("submit-request");
document.getElementById("review-cancel").addEventListener("click", () => review.close());
document.getElementById("open-review").addEventListener("click", async () => {
  review.showModal();
  submit.disabled = true;
  reviewBody.replaceChildren(el("p", { class: "muted", text: "正在校验、运行场景测试并比较差异…" }));
  await saver.flush();
  await tests.flush();
  const [found, results, diff] = await Promise.all([validate(), tests.run(), loadDiff()]);
  const errors = found.filter((p) => p.severity === "error");
  const failed = (results || []).filter((r) => !r.passed);
  const blocks = [];
  if (errors.length) blocks.push(el("p", { class: "notice error", "data-testid": "review-blocked", text: LOCAL.errorsBlock(errors.length) }), problemList(errors));
  if (failed.length) blocks.push(el("p", { class: "notice error", "data-testid": "review-blocked", text: LOCAL.testsBlock(failed.length) }));
  if (!errors.length && !failed.length) blocks.push(el("p", { class: "notice ok", text: page.approval ? LOCAL.ready : LOCAL.readyDirect }));
  // the editor's own rules (bpmnlint) also say 错误 in the 问题 list; they do not refuse a deploy, and the dialog says so
  const lintErrors = modeler.getProblems().filter((p) => p.source === "lint" && p.severity === "error").length;
  if (lintErrors && !errors.length) blocks.push(el("p", { class: "notice warning", "data-testid": "review-lint", text: LOCAL.lintErrors(lintErrors) }));
  const pictures = el("div", { class: "diff-view" });
  reviewBody.replaceChildren(...blocks,
    el("h3", { text: LOCAL.changes }), diffLines(diff && diff.diff),
    el("p", { class: "muted", text: TEXT.openInstances((diff && diff.open_instances) || []) }),
    el("h3", { text: LOCAL.tests }), results && results.length ? testResults(results, tests.showPath) : el("p", { class: "muted", text: LOCAL.noTests }),
    el("h3", { text: LOCAL.diagram }), pictures);
  if (diff && diff.old_xml) await visualDiff(pictures, diff.old_xml, diff.new_xml, [TEXT.oldVersion(page.deployed_version), LOCAL.draftLabel]);
  else if (diff && diff.new_xml) await showNew(pictures, diff.new_xml);
  submit.disabled = Boolean(errors.length || failed.length || !results);
});

// A new process is compared with the latest deployment, which lacks it: the diff lists all it adds.
async function loadDiff() {
  const from = page.deployed_version || await latestDeployment();
  if (!from) return { diff: { lines: [] }, old_xml: null, new_xml: await readDiagram(), open_instances: [] };
  const { response, json } = await api("GET", `${page.urls.diff}?from=${from}`);
  return response.ok ? json : null;
}

async function latestDeployment() {
  const { response, json } = await api("GET", "/api/processes");
  return response.ok && Array.isArray(json) && json.length ? Math.max(...json.map((p) => p.version)) : null;
}

async function showNew(parent, xml) {
  const canvas = el("div", { class: "diff-canvas editor-host", "data-testid": "diff-new" });
  parent.replaceChildren(el("figure", {}, el("figcaption", { text: LOCAL.newProcess }), canvas));
  const viewer = designer.createViewer({ container: canvas });
  await viewer.importXML(xml);
  viewer.get("canvas").zoom("fit-viewport");
}

document.getElementById("review-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const reason = document.getElementById("reason").value.trim();
  if (!reason) { document.getElementById("reason").focus(); return; }
  const direct = document.getElementById("direct");
  submit.disabled = true;
  const { response, json } = await api("POST", page.urls.requests, { reason, direct: Boolean(direct && direct.checked) });
  if (!response.ok) {
    submit.disabled = false;
    const found = (json.errors && json.errors.problems) || [];
    reviewBody.prepend(el("p", { class: "notice error", text: errorText({ message: json.message }) }), found.length ? problemList(found) : "");
    return;
  }
  review.close();
  const text = json.status === "published" ? LOCAL.published(json.deployment_number) : LOCAL.sent;
  showMessage(box, text, "ok");
  box.append(" ", el("a", { href: `/design/requests/${json.id}`, text: LOCAL.view }));
  state.textContent = json.status === "published" ? "" : "审批中";
});

if (page.content) {
  const { warnings } = await modeler.importXML(page.content);
  if (warnings && warnings.length) console.warn(warnings);
  modeler.get("canvas").zoom("fit-viewport", "auto");
}
validate();
window.__studioReady = true;
