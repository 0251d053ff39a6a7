// Task and start pages: render a form-js form, submit to the API, show the server's Chinese errors in place.
const RULES = [
  [/^Field is required\.$/, () => "此项为必填项"],
  [/^Field must have minimum length of (\d+)\.$/, (m) => `长度不能少于 ${m[1]} 个字符`],
  [/^Field must have maximum length of (\d+)\.$/, (m) => `长度不能超过 ${m[1]} 个字符`],
  [/^Field must have minimum value of (.+)\.$/, (m) => `不能小于 ${m[1]}`],
  [/^Field must have maximum value of (.+)\.$/, (m) => `不能大于 ${m[1]}`],
  [/^Field must match pattern (.+)\.$/, () => "格式不正确"],
  [/^Field must be a valid email\.$/, () => "请输入有效的邮箱地址"],
  [/^Field must be a valid (international )?phone number\.$/, () => "请输入有效的电话号码"],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, (m) => `小数位数不能超过 ${m[1]} 位`],
  [/^Value is not a number\.$/, () => "请输入数字"],
  [/^Date and time must both be entered\.$/, () => "请同时填写日期和时间"],
];
const zh = (text) => {
  for (const [re, fn] of RULES) { const m = re.exec(text); if (m) return fn(m); }
  return text;
};
function ZhValidatorPatch(validator) {
  for (const name of ["validateField", "validateFieldInstance"]) {
    if (!validator[name]) continue;
    const original = validator[name].bind(validator);
    validator[name] = (...args) => original(...args).map(zh);
  }
}
ZhValidatorPatch.$inject = ["validator"];
const ZhModule = { __init__: ["zhValidatorPatch"], zhValidatorPatch: ["type", ZhValidatorPatch] };

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

export async function api(method, url, body) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    window.location = "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    return { response, json: {} };
  }
  let json = {};
  try { json = await response.json(); } catch (_) { /* empty body */ }
  return { response, json };
}

function componentIds(schema) {
  const ids = {};
  const walk = (components, prefix) => {
    for (const c of components || []) {
      const key = c.key || c.path;
      if (key) ids[prefix + key] = c.id;
      walk(c.components, c.path ? prefix + c.path + "." : prefix);
    }
  };
  walk(schema.components, "");
  return ids;
}

export function showMessage(box, text, kind = "error") {
  box.textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = !text;
  if (text) box.scrollIntoView({ block: "nearest" });
}

export async function mountForm({ container, schema, data, onSubmit, messageBox }) {
  const form = new FormViewer.Form({ container, additionalModules: [ZhModule] });
  await form.importSchema(schema, data || {});
  const ids = componentIds(schema);
  const showServerErrors = (errors) => {
    const byId = {}, rest = [];
    for (const [field, messages] of Object.entries(errors || {})) {
      if (ids[field]) byId[ids[field]] = messages; else rest.push(`${field}：${messages.join("；")}`);
    }
    form._setState({ errors: byId });
    if (rest.length) showMessage(messageBox, rest.join("\n"));
  };
  form.on("submit", async ({ data: values, errors }) => {
    if (Object.keys(errors).length) { showMessage(messageBox, "请先更正标红的字段"); return; }
    await onSubmit(values, showServerErrors);
  });
  window.__form = form;  // for support staff and the browser tests
  window.__formReady = true;
  return form;
}

export function uploadKey(schema) {
  const found = (schema.components || []).find((c) => ["photos", "files"].includes(c.key));
  return found ? found.key : null;
}

// A photo/file picker (camera on a phone) that uploads each file and remembers the attachment ids.
export function mountUploads(box, messageBox) {
  const ids = [];
  box.hidden = false;
  const input = box.querySelector("input[type=file]");
  const list = box.querySelector(".uploaded");
  input.addEventListener("change", async () => {
    for (const file of input.files) {
      const body = new FormData();
      body.append("file", file);
      const response = await fetch("/api/attachments", {
        method: "POST", credentials: "same-origin", body,
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      });
      const json = await response.json().catch(() => ({}));
      if (!response.ok) { showMessage(messageBox, `${file.name}：${json.message || "上传失败"}`); continue; }
      ids.push(String(json.id));
      const item = document.createElement("li");
      item.textContent = `${json.filename}（${Math.ceil(json.size / 1024)} KB）`;
      item.dataset.attachment = json.id;
      list.appendChild(item);
    }
    input.value = "";
  });
  return () => ids.slice();
}
