// 流程设计 home: create a process or form as a draft, upload diagrams from another modeller.
import { api, showMessage } from "/static/web/js/forms.js";

const page = JSON.parse(document.getElementById("page-data").textContent);
const box = document.getElementById("message");
const TEXT = {
  failed: "操作失败，请稍后重试",
  offline: "网络连接中断，未保存：请检查网络后重试",
  uploadProblems: (n) => `上传的文件有 ${n} 个错误，未保存：`,
  error: "错误", warning: "提醒",
};

function fieldErrors(json) {
  const lines = Object.values(json.errors || {}).flat().filter((v) => typeof v === "string");
  return [json.message, ...lines].filter(Boolean).join("\n");
}

async function create(form, url, target) {
  const body = Object.fromEntries(new FormData(form).entries());
  if (body.copy_of === "") body.copy_of = null;
  let result;
  try { result = await api("POST", url, body); } catch (_) { showMessage(box, TEXT.offline); return; }
  const { response, json } = result;
  if (response.ok) { window.location = target(body); return; }
  showMessage(box, fieldErrors(json) || TEXT.failed);
}

document.getElementById("new-process").addEventListener("submit", (event) => {
  event.preventDefault();
  create(event.target, page.urls.new_process, (b) => page.urls.process.replace("__id__", encodeURIComponent(b.process_id)));
});
document.getElementById("new-form").addEventListener("submit", (event) => {
  event.preventDefault();
  create(event.target, page.urls.new_form, (b) => page.urls.form.replace("__id__", encodeURIComponent(b.form_id)));
});

document.getElementById("upload").addEventListener("submit", async (event) => {
  event.preventDefault();
  const list = document.getElementById("upload-problems");
  list.replaceChildren();
  const data = new FormData(event.target);
  let response, json = {};
  try {
    response = await fetch(page.urls.upload, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content, Accept: "application/json" } });
    json = await response.json().catch(() => ({}));
  } catch (_) { showMessage(box, TEXT.offline); return; }
  const problems = json.problems || (json.errors && json.errors.problems) || [];
  for (const p of problems) {
    const li = document.createElement("li");
    li.className = p.severity;
    const badge = document.createElement("span");
    badge.className = `badge ${p.severity}`;
    badge.textContent = p.severity === "error" ? TEXT.error : TEXT.warning;
    li.append(badge, ` ${p.file}${p.line ? ` 第 ${p.line} 行` : ""}：${p.message}`);
    list.append(li);
  }
  if (response.ok) { window.location.reload(); return; }
  const errors = problems.filter((p) => p.severity === "error").length;
  showMessage(box, errors ? TEXT.uploadProblems(errors) : fieldErrors(json) || TEXT.failed);
});
