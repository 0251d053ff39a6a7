// What the studio's pages share: element helpers, drafts that save themselves, diff and test result rendering.
import { api, showMessage } from "/static/web/js/forms.js";

export { api, showMessage };

export const TEXT = {
  offline: "网络连接中断，请检查网络后重试",
  passed: "通过", failed: "未通过",
  noTests: "还没有场景测试。",
  error: "错误", warning: "提醒",
  noChange: "无业务变更",
  added: "新增", removed: "删除", changed: "修改", layout: "仅布局",
  oldVersion: (n) => (n ? `第 ${n} 版（已发布）` : "（无旧版本）"),
  newVersion: (label) => label,
  openInstances: (rows) => rows.length
    ? "仍在办理的实例继续按原版本办理：" + rows.map((r) => `第 ${r.version} 版 ${r.count} 个`).join("，")
    : "没有仍在办理的实例。",
  unexpected: "操作失败，请稍后重试",
};

export const readPage = () => JSON.parse(document.getElementById("page-data").textContent);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function errorText(json) {
  const lines = [];
  for (const value of Object.values(json.errors || {})) {
    if (Array.isArray(value)) lines.push(...value.filter((v) => typeof v === "string"));
  }
  return [json.message, ...lines].filter(Boolean).join("\n") || TEXT.unexpected;
}

export function problemList(problems) {
  const list = el("ul", { class: "problems" });
  for (const p of problems) {
    list.append(el("li", { class: p.severity }, el("span", { class: `badge ${p.severity}`,
      text: p.severity === "error" ? TEXT.error : TEXT.warning }), ` ${p.message}`));
  }
  return list;
}

export function diffLines(diff) {
  const lines = (diff && diff.lines) || [];
  if (!lines.length) return el("p", { class: "muted", text: TEXT.noChange });
  return el("ul", { class: "diff-lines", "data-testid": "diff-lines" }, ...lines.map((line) => el("li", { text: line })));
}

export function testResults(results, onPath) {
  if (!results.length) return el("p", { class: "muted", text: TEXT.noTests });
  const list = el("ul", { class: "results", "data-testid": "test-results" });
  for (const r of results) {
    const item = el("li", { class: r.passed ? "passed" : "failed", "data-scenario": r.scenario },
      el("span", { class: `badge ${r.passed ? "ok" : "error"}`, text: r.passed ? TEXT.passed : TEXT.failed }),
      ` ${r.name || r.scenario}`);
    if (r.failures && r.failures.length) item.append(el("div", { class: "failures", text: r.failures.join("\n") }));
    if (onPath && r.path && r.path.length) {
      item.append(el("button", { type: "button", class: "link", text: "在图上显示路径", onclick: () => onPath(r.path) }));
    }
    list.append(item);
  }
  return list;
}

/** Old and new diagram side by side, changed elements coloured (bpmn-js-differ in the bundle). */
export async function visualDiff(parent, oldXml, newXml, labels) {
  parent.replaceChildren();
  if (!oldXml || !newXml) return null;
  const left = el("div", { class: "diff-canvas editor-host", "data-testid": "diff-old" });
  const right = el("div", { class: "diff-canvas editor-host", "data-testid": "diff-new" });
  parent.append(el("div", { class: "diff-pair" },
    el("figure", {}, el("figcaption", { text: labels[0] }), left),
    el("figure", {}, el("figcaption", { text: labels[1] }), right)),
  el("p", { class: "legend muted" }, el("span", { class: "swatch added" }), TEXT.added, " ",
    el("span", { class: "swatch removed" }), TEXT.removed, " ", el("span", { class: "swatch changed" }), TEXT.changed, " ",
    el("span", { class: "swatch layout" }), TEXT.layout));
  return window.TianchangDesigner.visualDiff({ left, right, oldXml, newXml });
}
