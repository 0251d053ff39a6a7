// The migration page: 迁移所选 opens a confirmation that says how many instances and which; confirming submits.
const form = document.getElementById("migrate-form");
const dialog = document.getElementById("migrate-dialog");
const texts = Object.fromEntries([...document.getElementById("migrate-texts").content.querySelectorAll("[data-text]")]
  .map((node) => [node.dataset.text, node.textContent]));
const chosen = () => [...form.querySelectorAll("input.pick-one")].filter((box) => box.checked);
let confirmed = false;

function describe(box) {
  const item = document.createElement("li");
  item.textContent = `#${box.value}${box.dataset.key ? `（${box.dataset.key}）` : ""}`;
  return item;
}

function ask(event) {
  if (confirmed) return;
  event.preventDefault();
  const boxes = chosen();
  const error = document.getElementById("migrate-error");
  const reason = document.getElementById("m-reason").value.trim();
  error.hidden = boxes.length > 0 && reason !== "";
  error.textContent = boxes.length === 0 ? texts.none : texts.no_reason;
  dialog.querySelector('[data-slot="count"]').textContent = boxes.length;
  document.getElementById("migrate-which").replaceChildren(...boxes.map(describe));
  document.getElementById("migrate-confirm").disabled = !error.hidden;
  dialog.showModal();
}

if (form && dialog) {
  form.addEventListener("submit", ask);
  document.getElementById("migrate-cancel").addEventListener("click", () => dialog.close());
  document.getElementById("migrate-confirm").addEventListener("click", () => {
    confirmed = true;
    dialog.close();
    form.requestSubmit(document.getElementById("migrate-selected"));
  });
}
const process = document.querySelector("[data-reload]");
if (process) {
  // a new process lists its own versions: reload the choice without running the dry run
  process.addEventListener("change", () => {
    window.location.search = new URLSearchParams({ process: process.value }).toString();
  });
}
