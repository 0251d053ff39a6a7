// Decision table page: dmn-js's decision table editor in Chinese, validation of the draft as it changes, auto-save
// (shared with the form page), and 试算: the table evaluated on typed inputs as a business rule task would.
import { api } from "../forms.js";
import { createDraftSaver, debounce, escapeHtml, showTimes, wireDraftButtons } from "./drafts.js";

// Every string dmn-js's decision table shows through its translate service, in Chinese.
const DMN_ZH = {
  // table head and hit policy
  "Hit policy:": "命中策略：", "Hit policy": "命中策略", "When": "当", "And": "且", "Then": "则",
  "Annotations": "注释", "Annotation": "注释", "View DRD": "查看决策需求图", "Decision name": "决策名称",
  "Decision name: ": "决策名称：", "Input label: ": "输入标签：", "Input expression: ": "输入表达式：",
  "Input values": "输入可选值", "Input type": "输入类型", "Output label: ": "输出标签：", "Output name: ": "输出名称：",
  "Output values": "输出可选值", "Output type": "输出类型", "Add rule": "添加规则", "Add input": "添加输入列",
  "Add output": "添加输出列", "Edit input": "编辑输入列", "Edit output": "编辑输出列",
  "Unique": "唯一", "First": "首个命中", "Priority": "按优先级", "Any": "任一",
  "Collect": "汇集全部", "Collect (Sum)": "汇集求和", "Collect (Min)": "汇集取最小", "Collect (Max)": "汇集取最大",
  "Collect (Count)": "汇集计数", "Rule order": "按规则顺序", "Output order": "按输出优先级",
  "No overlap is possible and all rules are disjoint. Only a single rule can be matched":
    "UNIQUE：规则互不重叠，只能有一条规则命中",
  "Rules may overlap. The first matching rule will be chosen": "FIRST：规则可以重叠，采用第一条命中的规则",
  "Rules may overlap. The one with the highest priority will be chosen": "PRIORITY：规则可以重叠，采用优先级最高的规则",
  "Rules may overlap. Their output have to match": "ANY：规则可以重叠，但命中规则的输出必须相同",
  "Collects the values of all matching rules": "COLLECT：汇集所有命中规则的值",
  "Collects the values of all matching rules and sums up to a single value": "汇集所有命中规则的值并求和",
  "Collects the values of all matching rules and uses the lowest value": "汇集所有命中规则的值并取最小值",
  "Collects the values of all matching rules and uses the highest value": "汇集所有命中规则的值并取最大值",
  "Collects the values of all matching rules and counts the number of them": "汇集所有命中规则并计数",
  "Collects the values of all matching rules in rule order": "按规则顺序汇集所有命中规则的值",
  "Collects the values of all matching rules in decreasing output priority order": "按输出优先级从高到低汇集所有命中规则的值",
  // input / output popovers
  "Input": "输入", "Output": "输出", "Input label": "输入标签", "Input expression": "输入表达式",
  "Output label": "输出标签", "Output name": "输出名称", "Expression": "表达式", "Enter expression": "请输入表达式",
  "Expression language": "表达式语言", "Expression language:": "表达式语言：",
  "Expression language: {expressionLanguageLabel}": "表达式语言：{expressionLanguageLabel}",
  "Type": "类型", "Change type": "修改类型", "Predefined values": "预设值", "Add predefined values": "添加预设值",
  "Clear predefined values": "清除预设值", "Add values": "添加值", "Values": "值", "Value": "值", "No values": "无值",
  "Strings must be in double quotes": "文字须用英文双引号括起", "Remove item": "删除此项",
  "Variable name": "变量名", "Variable name:": "变量名：", "Variable type": "变量类型", "Variable type:": "变量类型：",
  "name": "名称", "e.g. { example } ": "例如 { example } ", "e.g. { sample }": "例如 { sample }",
  // type refs
  "string": "文字（string）", "boolean": "是/否（boolean）", "number": "数字（number）", "integer": "整数（integer）",
  "long": "长整数（long）", "double": "小数（double）", "date": "日期（date）", "time": "时间（time）",
  "dateTime": "日期时间（dateTime）", "dayTimeDuration": "时长（日时）", "yearMonthDuration": "时长（年月）",
  // context menu
  "Decision table context menu": "决策表菜单", "Add rule above": "在上方添加规则", "Add rule below": "在下方添加规则",
  "Remove rule": "删除规则", "Copy rule": "复制规则", "Cut rule": "剪切规则", "Paste rule above": "粘贴到上方",
  "Paste rule below": "粘贴到下方", "Move rule": "移动规则", "Add input column left": "在左侧添加输入列",
  "Add input column right": "在右侧添加输入列", "Remove input column": "删除输入列", "Copy input column": "复制输入列",
  "Cut input column": "剪切输入列", "Paste input column left": "粘贴到左侧", "Paste input column right": "粘贴到右侧",
  "Add output column left": "在左侧添加输出列", "Add output column right": "在右侧添加输出列",
  "Remove output column": "删除输出列", "Copy output column": "复制输出列", "Cut output column": "剪切输出列",
  "Paste output column left": "粘贴到左侧", "Paste output column right": "粘贴到右侧",
  "Add cell description": "添加单元格说明", "Remove cell description": "删除单元格说明",
  "Change cell expression language": "修改单元格表达式语言", "Delete": "删除", "Edit": "编辑", "Resize": "调整宽度",
  "Editing not supported for set expression language": "该表达式语言不支持简单编辑",
  // simple cell editors
  "Match one": "匹配其中之一", "Match none": "都不匹配", "Custom values": "自定义值", "Yes": "是", "No": "否",
  "Boolean value": "是/否值", "Edit boolean": "编辑是/否", "Edit string": "编辑文字", "String value": "文字值",
  "Edit number": "编辑数字", "Test type": "比较方式", "Comparison": "比较", "Range": "范围",
  "Comparison operator": "比较运算符", "Equals": "等于", "Less": "小于", "Less or equals": "小于等于",
  "Greater": "大于", "Greater or equals": "大于等于", "Range start operator": "范围起点", "Range end operator": "范围终点",
  "Range start value": "起始值", "Range end value": "结束值", "Include": "包含", "Exclude": "不包含",
  "Start value": "起始值", "End value": "结束值", "Set value": "设置值", "Exactly": "正好", "Before": "早于",
  "After": "晚于", "Between": "介于", "Date": "日期", "Date value": "日期值", "Edit date": "编辑日期",
  "Set date": "设置日期", "Use today": "今天", "Start date": "开始日期", "End date": "结束日期",
  "Edit start date": "编辑开始日期", "Edit end date": "编辑结束日期", "Time": "时间", "Time value": "时间值",
  "Edit time": "编辑时间", "Set time": "设置时间", "Start time": "开始时间", "End time": "结束时间",
  "Edit start time": "编辑开始时间", "Edit end time": "编辑结束时间", "Date and time": "日期时间",
  "Date and time value": "日期时间值", "Edit date and time": "编辑日期时间", "Set date and time": "设置日期时间",
  "Use now": "现在", "Start date and time": "开始日期时间", "End date and time": "结束日期时间",
  "Edit start date and time": "编辑开始日期时间", "Edit end date and time": "编辑结束日期时间",
  "Duration value": "时长值", "Edit duration": "编辑时长", "Set duration": "设置时长",
  // other views (not opened here, translated all the same)
  "Literal expression": "文字表达式", "Literal expression editor": "文字表达式编辑器", "Definition ID": "定义 ID",
  "Definition name": "定义名称", "Element name": "元素名称", "Kind": "种类", "Function kind: {kind}": "函数种类：{kind}",
  "Edit function kind": "编辑函数种类", "Edit formal parameters": "编辑参数", "Add parameter": "添加参数",
  "Remove parameter": "删除参数", "Activate hand tool": "抓手工具", "Activate lasso tool": "套索工具",
  "Create decision": "新建决策", "Create input data": "新建输入数据", "Create knowledge model": "新建知识模型",
  "Create knowledge source": "新建知识来源", "Append decision": "追加决策", "Append input data": "追加输入数据",
  "Append business knowledge model": "追加业务知识模型", "Append knowledge source": "追加知识来源",
  "Append text annotation": "追加文字注释", "Add text annotation": "添加文字注释", "Connect to other element": "连接到其他元素",
};

const ZH = {
  offline: "网络连接中断",
  openFailed: (m) => `决策表无法打开：${m}`,
  noTable: "此文件中没有决策表",
  problems: {
    none: "没有发现问题。",
    line: (n) => `第 ${n} 行`,
    warning: "提示",
    failed: (m) => `检查暂不可用：${m}`,
    others: (n) => `草稿中的其他文件还有 ${n} 个问题，发布前需一并处理。`,
  },
  tryIt: {
    inputs: "表格的输入",
    referenced: "表格中还用到的数据",
    referencedHint: "可填数字、true/false、带引号的文字或 JSON；不加引号按文字处理。",
    empty: "（不填）",
    yes: "是", no: "否",
    running: "正在试算…",
    stale: "表格已修改，请重新试算。",
    failed: (m) => `试算失败：${m}`,
    error: (m) => `试算出错：${m}`,
    noMatch: "没有规则命中，业务规则任务不会写入数据。",
    alsoMatched: (rows) => `也命中：第 ${rows.join("、")} 条`,
    applied: (rows) => `采用规则：第 ${rows.join("、")} 条`,
    result: "结果（写入流程数据）",
    noInputs: "此表没有输入列。",
    expression: (e) => `表达式：${e}`,
  },
};

// The few titles dmn-js writes without its translate service.
const UNTRANSLATED_ATTRS = {
  "Move Input": "拖动以移动此输入列", "Move Output": "拖动以移动此输出列", "Decision table context menu": "决策表菜单",
};

function translateAttributes(root) {
  const fix = (element) => {
    for (const attr of ["title", "aria-label"]) {
      const zh = UNTRANSLATED_ATTRS[element.getAttribute(attr)];
      if (zh) element.setAttribute(attr, zh);
    }
  };
  const visit = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    fix(node);
    node.querySelectorAll("[title], [aria-label]").forEach(fix);
  };
  new MutationObserver((records) => records.forEach((r) => {
    if (r.type === "attributes") fix(r.target); else r.addedNodes.forEach(visit);
  })).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["title", "aria-label"] });
  visit(root);
}

function customTranslate(template, replacements = {}) {
  const text = DMN_ZH[template] || template;
  return text.replace(/{([^}]+)}/g, (_, key) => (replacements[key] !== undefined ? replacements[key] : `{${key}}`));
}
// Passed to every view: dmn-js keeps only each view's own additionalModules (common.additionalModules is dropped).
const ZhTranslate = { translate: ["value", customTranslate] };
const VIEW_OPTIONS = { additionalModules: [ZhTranslate] };

// --- 试算: one box per input column (typed per typeRef), plus the data the table's expressions also read.

const PATH = /^\s*([A-Za-z_]\w*)((?:\s*\[\s*(?:"[^"]*"|'[^']*')\s*\]|\.[A-Za-z_]\w*)*)\s*$/;
const PATH_IN_TEXT = /([A-Za-z_]\w*)((?:\s*\[\s*(?:"[^"]*"|'[^']*')\s*\]|\.[A-Za-z_]\w*)*)/g;
const NOT_DATA = new Set(["and", "or", "not", "in", "is", "if", "else", "None", "True", "False", "true", "false",
  "null", "lambda", "for", "dmninputexpr"]);
const STRING = /"([^"\\]*)"|'([^'\\]*)'/g;
const NUMBER_TYPES = new Set(["number", "integer", "long", "double"]);

// ["call", "response_hours"] for `call["response_hours"]` / `call.response_hours`; null for anything else.
function pathOf(expression) {
  const m = PATH.exec(expression || "");
  return m && !NOT_DATA.has(m[1]) ? [m[1], ...segments(m[2])] : null;
}

function segments(rest) {
  return [...rest.matchAll(/\[\s*(?:"([^"]*)"|'([^']*)')\s*\]|\.([A-Za-z_]\w*)/g)].map((s) => s[1] ?? s[2] ?? s[3]);
}

// The data paths an expression reads: names and subscripts outside string literals, not calls or attributes.
function pathsIn(text) {
  const literals = [...(text || "").matchAll(STRING)].map((m) => [m.index, m.index + m[0].length]);
  const inLiteral = (i) => literals.some(([a, b]) => i >= a && i < b);
  const found = [];
  for (const m of (text || "").matchAll(PATH_IN_TEXT)) {
    const before = text.slice(0, m.index).trimEnd();
    const after = text.slice(m.index + m[0].length).trimStart();
    if (inLiteral(m.index) || NOT_DATA.has(m[1]) || before.endsWith(".") || after.startsWith("(")) continue;
    if (/\d/.test(text[m.index - 1] || "")) continue;  // the tail of a number like 1e5
    found.push([m[1], ...segments(m[2])]);
  }
  return found;
}

const key = (path) => path.join(".");

function tableColumns(decision) {
  const table = decision.decisionLogic;
  const rules = table.rule || [];
  const inputs = (table.input || []).map((input, index) => {
    const expression = (input.inputExpression && input.inputExpression.text) || "";
    const texts = rules.map((r) => (r.inputEntry[index] && r.inputEntry[index].text) || "");
    const suggestions = [...new Set(texts.flatMap((t) => [...t.matchAll(STRING)].map((m) => m[1] ?? m[2])))];
    return { id: input.id, label: input.label || expression || `输入 ${index + 1}`, expression,
      typeRef: (input.inputExpression && input.inputExpression.typeRef) || "", path: pathOf(expression), suggestions };
  });
  const covered = new Set(inputs.filter((i) => i.path).map((i) => key(i.path)));
  const referenced = new Map();
  const texts = [...inputs.filter((i) => !i.path).map((i) => i.expression),
    ...rules.flatMap((r) => [...r.inputEntry, ...r.outputEntry].map((e) => e.text || ""))];
  for (const text of texts) {
    for (const path of pathsIn(text)) {
      if (!covered.has(key(path)) && ![...covered].some((c) => key(path).startsWith(c + "."))) referenced.set(key(path), path);
    }
  }
  // A path read whole and also through its parts keeps only the parts (`call` and `call.a` → `call.a`).
  for (const k of [...referenced.keys()]) {
    if ([...referenced.keys()].some((o) => o.startsWith(k + "."))) referenced.delete(k);
  }
  return { inputs: inputs.filter((i) => i.path), unmapped: inputs.filter((i) => !i.path), referenced: [...referenced.values()] };
}

function field(id, label, hint, control) {
  return `<div class="try-field"><label for="${id}">${escapeHtml(label)}</label>${control}`
    + (hint ? `<div class="muted hint">${escapeHtml(hint)}</div>` : "") + "</div>";
}

function inputControl(id, column) {
  const type = column.typeRef;
  const path = `data-path="${escapeHtml(key(column.path))}"`;
  if (type === "boolean") {
    return `<select id="${id}" ${path} data-kind="boolean"><option value="">${ZH.tryIt.empty}</option>`
      + `<option value="true">${ZH.tryIt.yes}</option><option value="false">${ZH.tryIt.no}</option></select>`;
  }
  const kinds = { date: "date", time: "time", dateTime: "datetime-local" };
  const html = NUMBER_TYPES.has(type) ? "number" : kinds[type] || "text";
  const list = column.suggestions.length ? ` list="${id}-list"` : "";
  const options = column.suggestions.length
    ? `<datalist id="${id}-list">${column.suggestions.map((s) => `<option value="${escapeHtml(s)}">`).join("")}</datalist>` : "";
  const kind = NUMBER_TYPES.has(type) ? "number" : type === "string" ? "string" : "text";
  return `<input id="${id}" ${path} type="${html}"${html === "number" ? ' step="any"' : ""} data-kind="${kind}"${list} autocomplete="off">${options}`;
}

function readValue(element) {
  const raw = element.value;
  if (raw === "") return undefined;
  switch (element.dataset.kind) {
    case "boolean": return raw === "true";
    case "number": return Number(raw);
    case "string": return raw;
    case "json": try { return JSON.parse(raw); } catch (_) { return raw; }
    default: return raw;
  }
}

function setPath(data, path, value) {
  let node = data;
  path.slice(0, -1).forEach((part) => {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part];
  });
  node[path[path.length - 1]] = value;
}

function renderTryInputs(box, columns) {
  const keep = {};
  box.querySelectorAll("[data-path]").forEach((el) => { keep[el.dataset.path] = el.value; });
  let html = "";
  if (columns.inputs.length || columns.unmapped.length) html += `<h3>${ZH.tryIt.inputs}</h3>`;
  else html += `<p class="muted">${ZH.tryIt.noInputs}</p>`;
  columns.inputs.forEach((column, i) => {
    html += field(`try-in-${i}`, column.label, column.label !== column.expression ? ZH.tryIt.expression(column.expression) : "",
      inputControl(`try-in-${i}`, column));
  });
  columns.unmapped.forEach((column) => {
    html += `<p class="muted">${escapeHtml(column.label)}：${escapeHtml(ZH.tryIt.expression(column.expression))}</p>`;
  });
  if (columns.referenced.length) {
    html += `<h3>${ZH.tryIt.referenced}</h3><p class="muted hint">${ZH.tryIt.referencedHint}</p>`;
    columns.referenced.forEach((path, i) => {
      html += field(`try-ref-${i}`, key(path), "",
        `<input id="try-ref-${i}" type="text" data-kind="json" data-path="${escapeHtml(key(path))}" autocomplete="off">`);
    });
  }
  box.innerHTML = html;
  box.querySelectorAll("[data-path]").forEach((el) => { if (keep[el.dataset.path] !== undefined) el.value = keep[el.dataset.path]; });
}

function collectInputs(box) {
  const data = {};
  box.querySelectorAll("[data-path]").forEach((el) => {
    const value = readValue(el);
    if (value !== undefined) setPath(data, el.dataset.path.split("."), value);
  });
  return data;
}

// --- marking rows (matched, applied, refused) with a stylesheet that survives the table's re-renders.

function rowMarker() {
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const marks = { matched: [], applied: [], problem: [] };
  const selector = (id) => `.dmn-editor tbody tr:has(> td[data-row-id="${CSS.escape(id)}"])`;
  const render = () => sheet.replaceSync([
    // a problem names a rule (the whole row), an input column, or one cell
    ...marks.problem.map((id) => `${selector(id)} > td, .dmn-editor td[data-element-id="${CSS.escape(id)}"],
      .dmn-editor th[data-col-id="${CSS.escape(id)}"] { box-shadow: inset 0 0 0 9999px rgba(198, 40, 40, .12); }`),
    ...marks.matched.map((id) => `${selector(id)} > td { box-shadow: inset 0 0 0 9999px rgba(255, 193, 7, .22); }`),
    ...marks.applied.map((id) => `${selector(id)} > td { box-shadow: inset 0 0 0 9999px rgba(46, 125, 50, .20); }
      ${selector(id)} > td.rule-index { font-weight: 700; color: #1b5e20; }`),
  ].join("\n"));
  return { set(kind, ids) { marks[kind] = ids; render(); } };
}

function formatValue(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function renderResult(box, json, outputs) {
  if (json.error) { box.innerHTML = `<p class="notice error">${escapeHtml(ZH.tryIt.error(json.error))}</p>`; return; }
  const matched = json.matched || [], applied = json.applied || [];
  let html = matched.length ? `<p class="legend"><span class="swatch applied"></span>${ZH.tryIt.applied(applied)}`
    + `${matched.length > applied.length ? `<span class="swatch matched"></span>${ZH.tryIt.alsoMatched(matched.filter((n) => !applied.includes(n)))}` : ""}</p>` : "";
  const result = json.result;
  if (!result || (typeof result === "object" && !Array.isArray(result) && !Object.keys(result).length)) {
    html += `<p class="notice">${ZH.tryIt.noMatch}</p>`;
  } else if (typeof result === "object" && !Array.isArray(result)) {
    const label = (name) => { const o = outputs.find((x) => x.name === name); return o && o.label ? `${o.label}（${name}）` : name; };
    const order = (name) => { const i = outputs.findIndex((o) => o.name === name); return i < 0 ? outputs.length : i; };
    const entries = Object.entries(result).sort(([a], [b]) => order(a) - order(b));
    html += `<table class="grid result"><caption>${ZH.tryIt.result}</caption><tbody>`
      + entries.map(([k, v]) => `<tr><th scope="row">${escapeHtml(label(k))}</th><td><code>${escapeHtml(formatValue(v))}</code></td></tr>`).join("")
      + "</tbody></table>";
  } else {
    html += `<pre class="data">${escapeHtml(JSON.stringify(result, null, 2))}</pre>`;
  }
  box.innerHTML = html;
}

function renderProblems(box, countBadge, page, problems, onPick) {
  const mine = problems.filter((p) => !p.file || p.file === page.file_name);
  const others = problems.length - mine.length;
  const errors = mine.filter((p) => p.severity !== "warning").length;
  countBadge.hidden = !mine.length;
  countBadge.style.display = mine.length ? "" : "none";  // .count's display would show it despite [hidden]
  countBadge.textContent = String(mine.length);
  countBadge.className = `count ${errors ? "error" : "ok"}`;
  let html = mine.length ? `<ul class="problems">${mine.map((p, i) => `<li class="${p.severity === "warning" ? "warning" : "field-error"}">`
      + `${p.severity === "warning" ? `<span class="badge warning">${ZH.problems.warning}</span> ` : ""}`
      + `${p.element_id ? `<button type="button" class="link" data-problem="${i}">${escapeHtml(p.message)}</button>` : escapeHtml(p.message)}`
      + `${p.line ? ` <span class="muted">（${ZH.problems.line(p.line)}）</span>` : ""}</li>`).join("")}</ul>`
    : `<p class="ok">${ZH.problems.none}</p>`;
  if (others) html += `<p class="muted">${ZH.problems.others(others)}</p>`;
  box.innerHTML = html;
  box.querySelectorAll("[data-problem]").forEach((b) => b.addEventListener("click", () => onPick(mine[Number(b.dataset.problem)])));
  return mine.filter((p) => p.severity !== "warning" && p.element_id).map((p) => p.element_id);
}

async function openTable(modeler, page) {
  const { warnings } = await modeler.importXML(page.xml || page.content || "");
  const views = modeler.getViews().filter((v) => v.type === "decisionTable");
  const view = views.find((v) => v.element.id === page.decision_id) || views[0];
  if (!view) throw new Error(ZH.noTable);
  await modeler.open(view);
  return warnings;
}

// dmn-js 17's "production" bundle contains Inferno's development build, which reports itself with console.error as
// it loads; that one known message is dropped while the bundle runs (loaded here, once <body> exists).
const INFERNO_NOTICE = "minified copy of the development build of Inferno";

async function loadDmnJs(src) {
  const original = console.error;
  console.error = (...args) => { if (!String(args[0]).includes(INFERNO_NOTICE)) original(...args); };
  try {
    await new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject });
      document.body.appendChild(script);
    });
  } finally {
    console.error = original;
  }
}

// The problems list: the draft validated with the editor's text over it; refused cells marked in the table.
function problemList({ page, container, marker, getContent }) {
  const box = document.getElementById("problems"), badge = document.getElementById("problem-count");
  const pick = (problem) => {
    const id = CSS.escape(problem.element_id);
    const cell = container.querySelector(`td[data-element-id="${id}"], td[data-row-id="${id}"], th[data-col-id="${id}"]`);
    if (cell) cell.scrollIntoView({ block: "center", inline: "nearest" });
  };
  let checks = 0;
  return async () => {
    const mine = ++checks;
    let answer;
    try { answer = await api("POST", page.urls.validate, { files: { [page.file_name]: getContent() } }); }
    catch (_) { answer = { response: { ok: false }, json: { message: ZH.offline } }; }
    if (mine !== checks) return;
    if (!answer.response.ok) {
      box.innerHTML = `<p class="muted">${escapeHtml(ZH.problems.failed(answer.json.message || ""))}</p>`;
      return;
    }
    marker.set("problem", renderProblems(box, badge, page, answer.json.problems || [], pick));
  };
}

// 试算: the boxes follow the table's columns; a run marks the matched and applied rules.
function tryPanel({ page, decision, marker, getContent }) {
  const box = document.getElementById("try-inputs"), result = document.getElementById("try-result");
  const ruleIds = (numbers) => numbers.map((n) => (decision().decisionLogic.rule[n - 1] || {}).id).filter(Boolean);
  document.getElementById("try-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    result.innerHTML = `<p class="muted">${ZH.tryIt.running}</p>`;
    let answer;
    try { answer = await api("POST", page.urls.evaluate, { content: getContent(), inputs: collectInputs(box) }); }
    catch (_) { answer = { response: { ok: false }, json: { message: ZH.offline } }; }
    if (!answer.response.ok) {
      result.innerHTML = `<p class="notice error">${escapeHtml(ZH.tryIt.failed(answer.json.message || answer.response.status))}</p>`;
      return;
    }
    renderResult(result, answer.json, decision().decisionLogic.output || []);
    result.scrollIntoView({ block: "nearest" });
    marker.set("matched", ruleIds(answer.json.matched || []));
    marker.set("applied", ruleIds(answer.json.applied || []));
  });
  const refresh = () => renderTryInputs(box, tableColumns(decision()));
  refresh();
  return {
    tableChanged() {
      refresh();
      marker.set("matched", []);
      marker.set("applied", []);
      if (result.innerHTML) result.innerHTML = `<p class="muted">${ZH.tryIt.stale}</p>`;
    },
  };
}

async function main(dataElement) {
  const page = JSON.parse(dataElement.textContent);
  const container = document.getElementById("dmn-editor");
  await loadDmnJs(container.dataset.bundle);
  translateAttributes(container);
  const modeler = new DmnJS({
    container, drd: VIEW_OPTIONS, decisionTable: VIEW_OPTIONS, literalExpression: VIEW_OPTIONS, boxedExpression: VIEW_OPTIONS,
  });
  try {
    await openTable(modeler, page);
  } catch (err) {
    const message = document.getElementById("message");
    message.textContent = ZH.openFailed(err.message || err);
    message.hidden = false;
    window.__designerReady = true;
    return;
  }
  const decision = () => modeler.getActiveView().element;
  const xml = async () => (await modeler.saveXML({ format: true })).xml;
  let content = await xml();
  const getContent = () => content;

  const discardButton = document.getElementById("discard");
  const saver = createDraftSaver({ page, statusBox: document.getElementById("save-status"), fileName: page.file_name,
    getContent, onSaved: () => { discardButton.hidden = false; } });
  wireDraftButtons({ page, saver, discardButton, backLink: document.getElementById("back") });
  showTimes(document);

  const marker = rowMarker();
  const validate = problemList({ page, container, marker, getContent });
  const trying = tryPanel({ page, decision, marker, getContent });
  const revalidate = debounce(validate, 1000);
  const changed = debounce(async () => {
    const now = await xml();
    if (now === content) return;
    content = now;
    saver.changed();
    revalidate();
    trying.tableChanged();
  }, 300);
  const watched = new WeakSet();
  const watch = () => {
    const active = modeler.getActiveViewer();
    if (active && !watched.has(active)) { watched.add(active); active.on("elements.changed", changed); }
  };
  modeler.on("views.changed", watch);
  watch();
  await validate();
  window.__designer = { modeler, saver };
  window.__designerReady = true;
}

const dataElement = document.getElementById("decision-design-data");
if (dataElement) await main(dataElement);
