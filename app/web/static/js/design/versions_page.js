// Versions of a process: compare any two (semantic and visual diff), roll back to an earlier one (a deploy request).
import { TEXT, api, diffLines, el, errorText, readPage, showMessage, visualDiff } from "./studio.js";

const page = readPage();
const box = document.getElementById("message");
const result = document.getElementById("compare-result");
const LOCAL = {
  same: "请选择两个不同的版本", rollbackText: (n) => `把第 ${n} 版的流程图、表单、决策表和场景测试重新发布为新版本。`
    + "新发起的实例将按它办理；办理中的实例继续按各自的版本办理。",
  sent: "已提交回退申请，等待编办审批。", published: (n) => `已回退：发布为第 ${n} 版。`, view: "查看申请",
};

async function compare(from, to) {
  if (from === to) { result.replaceChildren(el("p", { class: "muted", text: LOCAL.same })); return; }
  const { response, json } = await api("GET", `${page.urls.diff}?from=${from}&to=${to}`);
  if (!response.ok) { showMessage(box, errorText(json)); return; }
  const pictures = el("div", { class: "diff-view" });
  result.replaceChildren(diffLines(json.diff), pictures);
  await visualDiff(pictures, json.old_xml, json.new_xml, [TEXT.oldVersion(from), `第 ${to} 版`]);
}

document.getElementById("compare").addEventListener("submit", (event) => {
  event.preventDefault();
  compare(Number(document.getElementById("from").value), Number(document.getElementById("to").value));
});

const dialog = document.getElementById("rollback");
let chosen = null;
for (const button of document.querySelectorAll("button.rollback")) {
  button.addEventListener("click", () => {
    chosen = Number(button.dataset.version);
    document.getElementById("rollback-text").textContent = LOCAL.rollbackText(chosen);
    dialog.showModal();
  });
}
document.getElementById("rollback-cancel").addEventListener("click", () => dialog.close());
document.getElementById("rollback-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const reason = document.getElementById("rollback-reason").value.trim();
  if (!reason) return;
  const { response, json } = await api("POST", page.urls.rollback, { version: chosen, reason });
  dialog.close();
  if (!response.ok) { showMessage(box, errorText(json)); return; }
  showMessage(box, json.status === "published" ? LOCAL.published(json.deployment_number) : LOCAL.sent, "ok");
  box.append(" ", el("a", { href: `/design/requests/${json.id}`, text: LOCAL.view }));
});

if (page.old !== page.new) compare(page.old, page.new);
