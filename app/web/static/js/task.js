import { api, mountForm, showMessage } from "/static/web/js/forms.js";

const page = JSON.parse(document.getElementById("task-data").textContent);
const messageBox = document.getElementById("message");

async function complete(values, showServerErrors) {
  const { response, json } = await api("POST", `/api/tasks/${page.id}/complete`, { data: values });
  if (response.ok) { window.location = "/?done=" + encodeURIComponent(page.title); return; }
  if (response.status === 422) { showServerErrors(json.errors); showMessage(messageBox, json.message); return; }
  showMessage(messageBox, json.message || "提交失败，请稍后重试");
  if (response.status === 409) document.getElementById("actions").hidden = true;
}

if (page.schema) {
  const form = await mountForm({
    container: document.getElementById("form"), schema: page.schema, data: page.data, onSubmit: complete, messageBox,
  });
  document.getElementById("submit").addEventListener("click", () => form.submit());
  document.getElementById("draft").addEventListener("click", async () => {
    const values = form._getState().data;
    const keep = Object.fromEntries(Object.entries(values).filter(([k]) => page.keys.includes(k)));
    const { response, json } = await api("PUT", `/api/tasks/${page.id}/draft`, { data: keep });
    showMessage(messageBox, response.ok ? "草稿已保存" : (json.message || "保存失败"), response.ok ? "ok" : "error");
  });
}
