// 提交发布 for all my drafts: the scenario tests run here, the diagrams old and new side by side, then the request.
import { TEXT, api, el, errorText, problemList, readPage, showMessage, testResults, visualDiff } from "./studio.js";

const page = readPage();
const box = document.getElementById("message");
const submit = document.getElementById("submit-request");
const LOCAL = {
  failed: (n) => `${n} 个场景测试未通过，修正后才能发布`, passed: (n) => `全部 ${n} 个场景测试通过`,
  none: "此次变更涉及的流程没有场景测试。", sent: "已提交发布申请，等待编办审批。",
  published: (n) => `已发布为第 ${n} 版。`, view: "查看申请", newProcess: "新流程：", draft: "我的草稿",
};

async function runTests() {
  const parent = document.getElementById("tests");
  let result;
  try { result = await api("POST", page.urls.run_tests, { files: {} }); } catch (_) { result = null; }
  if (!result || !result.response.ok) {
    parent.replaceChildren(el("p", { class: "notice error", text: result ? errorText(result.json) : TEXT.offline }));
    return false;
  }
  const results = result.json;
  const failed = results.filter((r) => !r.passed).length;
  parent.replaceChildren(
    results.length ? el("p", { class: failed ? "notice error" : "notice ok", "data-testid": failed ? "review-blocked" : "tests-passed",
      text: failed ? LOCAL.failed(failed) : LOCAL.passed(results.length) }) : el("p", { class: "muted", text: LOCAL.none }),
    testResults(results));
  return !failed;
}

async function drawDiagrams() {
  const parent = document.getElementById("diagrams");
  for (const [pid, diagram] of Object.entries(page.diagrams)) {
    const holder = el("div", { class: "diff-view", "data-process": pid });
    parent.append(el("h3", { text: diagram.name }), holder);
    if (diagram.old_xml) {
      await visualDiff(holder, diagram.old_xml, diagram.new_xml, [TEXT.oldVersion(page.base), LOCAL.draft]);
    } else {
      const canvas = el("div", { class: "diff-canvas editor-host" });
      holder.append(el("p", { class: "muted", text: LOCAL.newProcess }), canvas);
      const viewer = window.TianchangDesigner.createViewer({ container: canvas });
      await viewer.importXML(diagram.new_xml);
      viewer.get("canvas").zoom("fit-viewport");
    }
  }
  if (!Object.keys(page.diagrams).length) parent.append(el("p", { class: "muted", text: "此次变更没有修改流程图。" }));
}

if (submit) {
  const [passed] = await Promise.all([runTests(), drawDiagrams()]);
  submit.disabled = !passed || Boolean(submit.dataset.blocked);
  document.getElementById("submit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = document.getElementById("reason").value.trim();
    if (!reason) return;
    const direct = document.getElementById("direct");
    submit.disabled = true;
    const { response, json } = await api("POST", page.urls.requests, { reason, files: page.files, direct: Boolean(direct && direct.checked) });
    if (!response.ok) {
      submit.disabled = false;
      showMessage(box, errorText({ message: json.message }));
      const found = (json.errors && json.errors.problems) || [];
      if (found.length) box.after(problemList(found));
      return;
    }
    showMessage(box, json.status === "published" ? LOCAL.published(json.deployment_number) : LOCAL.sent, "ok");
    box.append(" ", el("a", { href: `/design/requests/${json.id}`, text: LOCAL.view }));
    submit.hidden = true;
  });
}
