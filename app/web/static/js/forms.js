// Task and start pages: render a form-js form (the forms bundle: the viewer with the photos field), submit to the API,
// show the server's Chinese errors in place.
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

const BUNDLE = "/static/vendor/forms/forms.min.js";
const STYLES = ["/static/vendor/form-js/assets/form-js.css", "/static/web/css/forms.css"];

// The forms bundle (the viewer with the photos field): already on pages that include form_assets.html, loaded
// here once for the others (a start form unfolded on the call page).
let loading = null;
export function formsBundle() {
  if (window.TianchangForms) return Promise.resolve(window.TianchangForms);
  if (!loading) {
    for (const href of STYLES) {
      if (document.querySelector(`link[href="${href}"]`)) continue;
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      document.head.appendChild(link);
    }
    loading = new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src: BUNDLE });
      script.addEventListener("load", () => resolve(window.TianchangForms));
      script.addEventListener("error", () => reject(new Error("表单组件加载失败，请刷新页面")));
      document.head.appendChild(script);
    });
  }
  return loading;
}

// A form-js viewer with the platform's photos field and Chinese validation messages.
export async function createForm({ container, readOnly = false }) {
  const { Form, photosModule } = await formsBundle();
  return new Form({ container, properties: readOnly ? { readOnly: true } : {}, additionalModules: [ZhModule, photosModule()] });
}

export async function mountForm({ container, schema, data, onSubmit, messageBox }) {
  const form = await createForm({ container });
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
    if (container.querySelector("[data-uploading]")) { showMessage(messageBox, "照片还在上传，请稍候再提交"); return; }
    if (Object.keys(errors).length) { showMessage(messageBox, "请先更正标红的字段"); return; }
    await onSubmit(values, showServerErrors);
  });
  window.__form = form;  // for support staff and the browser tests
  window.__formReady = true;
  return form;
}
