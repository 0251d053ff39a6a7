// The console's instance list: select rows, confirm a batch action with a reason, show each instance's result.
import { api } from "/static/web/js/forms.js";

const dialog = document.getElementById("batch-dialog");
const picks = () => [...document.querySelectorAll("input.pick-one")];
const chosen = () => picks().filter((box) => box.checked);
const texts = Object.fromEntries([...document.getElementById("batch-texts").content.querySelectorAll("[data-text]")]
  .map((node) => [node.dataset.text, node.textContent]));
const say = (key, values = {}) => texts[key].replace(/\{(\w+)\}/g, (_, name) => values[name]);
const fill = (root, slot, value) => root.querySelectorAll(`[data-slot="${slot}"]`).forEach((n) => { n.textContent = value; });
let action = null;

function describe(box) {
  const item = document.createElement("li");
  const key = box.dataset.key ? `（${box.dataset.key}）` : "";
  item.textContent = `#${box.value}${key} ${box.dataset.name}`;
  if (!box.dataset.allowed.split(" ").includes(action)) {
    const note = document.createElement("span");
    note.className = "badge late";
    note.textContent = say("not_allowed");
    item.append(" ", note);
  }
  return item;
}

function refresh() {
  const n = chosen().length;
  document.getElementById("selected-count").textContent = n ? say("selected", { n }) : say("none");
  document.querySelectorAll("button.batch").forEach((button) => { button.disabled = n === 0; });
  document.getElementById("check-all").checked = n > 0 && n === picks().length;
}

function open(button) {
  action = button.dataset.action;
  const boxes = chosen();
  fill(dialog, "action", button.textContent);
  fill(dialog, "count", boxes.length);
  document.getElementById("batch-which").replaceChildren(...boxes.map(describe));
  const allowed = boxes.filter((b) => b.dataset.allowed.split(" ").includes(action)).length;
  document.getElementById("batch-refused-note").hidden = allowed === boxes.length || allowed === 0;
  document.getElementById("batch-none-note").hidden = allowed > 0;
  document.getElementById("batch-confirm").disabled = allowed === 0; // nothing would be done
  document.getElementById("batch-form").hidden = false;
  document.getElementById("batch-result").hidden = true;
  document.getElementById("batch-error").hidden = true;
  dialog.showModal();
  document.getElementById("batch-reason").focus();
}

function showResults(results) {
  const list = results.map((r) => {
    const item = document.createElement("li");
    item.className = r.ok ? "ok" : "refused";
    item.dataset.id = r.id;
    item.textContent = `#${r.id} ${r.ok ? say("ok") : say("refused")}：${r.message}`;
    return item;
  });
  document.getElementById("batch-results").replaceChildren(...list);
  fill(dialog, "done", results.filter((r) => r.ok).length);
  fill(dialog, "failed", results.filter((r) => !r.ok).length);
  document.getElementById("batch-form").hidden = true;
  document.getElementById("batch-result").hidden = false;
}

async function submit(event) {
  event.preventDefault();
  const reason = document.getElementById("batch-reason").value.trim();
  const error = document.getElementById("batch-error");
  if (!reason) { error.textContent = say("no_reason"); error.hidden = false; return; }
  const ids = chosen().map((box) => Number(box.value));
  const { response, json } = await api("POST", "/api/instances/batch", { ids, action, reason });
  if (!response.ok) { error.textContent = json.message || say("failed"); error.hidden = false; return; }
  showResults(json);
}

document.querySelectorAll("input.pick-one").forEach((box) => box.addEventListener("change", refresh));
document.getElementById("check-all").addEventListener("change", (event) => {
  picks().forEach((box) => { box.checked = event.target.checked; });
  refresh();
});
document.querySelectorAll("button.batch").forEach((button) => button.addEventListener("click", () => open(button)));
document.getElementById("batch-form").addEventListener("submit", submit);
document.getElementById("batch-cancel").addEventListener("click", () => dialog.close());
document.getElementById("batch-close").addEventListener("click", () => window.location.reload());
refresh();
