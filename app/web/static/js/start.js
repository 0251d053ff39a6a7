import { api, mountForm, showMessage } from "/static/web/js/forms.js";

const page = JSON.parse(document.getElementById("start-data").textContent);
const messageBox = document.getElementById("message");
let form;

async function start(values, showServerErrors) {
  const { response, json } = await api("POST", "/api/instances", { process_id: page.process_id, data: values });
  if (response.ok) {
    window.location = json.business_key && page.process_id === "call_response" ? `/calls/${json.business_key}` : "/";
    return;
  }
  if (response.status === 422) { showServerErrors(json.errors); }
  showMessage(messageBox, json.message || "提交失败，请稍后重试");
}

form = await mountForm({ container: document.getElementById("form"), schema: page.schema, data: page.data,
                         onSubmit: start, messageBox });
document.getElementById("submit").addEventListener("click", () => form.submit());

const search = document.getElementById("item-search");
if (search) {
  const results = document.getElementById("item-results");
  const chosen = document.getElementById("item-chosen");
  let timer;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = search.value.trim();
      if (!q) { results.replaceChildren(); return; }
      const { json } = await api("GET", `/api/lists?search=${encodeURIComponent(q)}&page_size=10`);
      const items = Array.isArray(json) ? json : [];
      results.replaceChildren();
      for (const item of items) {
        const v = item.current;
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "item-choice";
        button.textContent = `${item.code} ${v.title}`;
        button.addEventListener("click", async () => {
          const data = { ...form._getState().data, item_code: item.code };
          await form.importSchema(page.schema, data);
          chosen.hidden = false;
          chosen.querySelector(".title").textContent = `${item.code} ${v.title}（${item.kind_label}·${v.category}）`;
          chosen.querySelector(".parties").textContent =
            `主办：${page.orgs[v.lead_org] || v.lead_org}；配合：${v.cooperating_orgs.map((o) => page.orgs[o] || o).join("、") || "无"}`;
          chosen.querySelector(".limits").textContent = `承诺时限：${v.response_hours} 小时内响应，${v.handle_days} 个工作日内办结`;
          results.replaceChildren();
        });
        li.appendChild(button);
        results.appendChild(li);
      }
      if (!items.length) {
        const none = document.createElement("li");
        none.className = "muted";
        none.textContent = "没有找到匹配的清单事项";
        results.appendChild(none);
      }
    }, 250);
  });
}
