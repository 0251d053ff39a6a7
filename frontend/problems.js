// Problems: the server's (deploy validation: [{file, element_id, line, message, severity}]) shown as markers
// (tc-error / tc-warning) with a badge on their elements, and, with the live lint issues, as one list in the page's
// problemsParent (server first). Clicking a row selects the element and scrolls it into view.
// Fires "tianchang.problems.changed" {problems, errors, warnings} after each change.
import { RULE_ERROR } from "./lint/messages.js";

const escape = (text) => String(text === undefined || text === null ? "" : text)
  .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function findById(root, id) {
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (node.id === id && node.$type) return node;
    const descriptor = node.$descriptor;
    for (const p of (descriptor && descriptor.properties) || []) {
      if (p.isReference || p.isAttr || p.isVirtual) continue;
      const value = node.get(p.name);
      if (Array.isArray(value)) stack.push(...value);
      else if (value && typeof value === "object") stack.push(value);
    }
  }
  return null;
}

export default function TianchangProblems(config, bpmnjs, eventBus, canvas, elementRegistry, overlays, selection, translate) {
  this._bpmnjs = bpmnjs;
  this._eventBus = eventBus;
  this._canvas = canvas;
  this._registry = elementRegistry;
  this._overlays = overlays;
  this._selection = selection;
  this._translate = translate;
  this._server = [];
  this._lint = [];
  this._marked = [];
  this._fileName = (config && config.fileName) || null;
  const parent = config && config.problemsParent;
  this._parent = typeof parent === "string" ? document.querySelector(parent) : parent || null;

  eventBus.on("linting.completed", (event) => {
    this._lint = this._flattenLint(event.issues || {});
    this._render();
  });
  eventBus.on("import.done", () => {
    this._lint = [];
    this._mark();
    this._render();
  });
  eventBus.on("diagram.clear", () => {
    this._marked = [];
  });
  eventBus.on("elements.changed", () => this._render());
  this._render();
}

TianchangProblems.$inject = [
  "config.tianchang", "bpmnjs", "eventBus", "canvas", "elementRegistry", "overlays", "selection", "translate",
];

/** Server problems: [{file, element_id, line, message, severity: 'error' | 'warning'}]. */
TianchangProblems.prototype.setProblems = function (problems) {
  this._server = (problems || []).map((p) => ({
    source: "server",
    elementId: p.element_id || null,
    file: p.file || null,
    line: p.line === undefined ? null : p.line,
    message: p.message || "",
    severity: p.severity === "error" ? "error" : "warning",
  }));
  this._mark();
  this._render();
};

TianchangProblems.prototype.getProblems = function () {
  return [...this._server, ...this._lint];
};

TianchangProblems.prototype.counts = function () {
  const all = this.getProblems();
  const errors = all.filter((p) => p.severity === "error").length;
  return { errors, warnings: all.length - errors };
};

TianchangProblems.prototype._flattenLint = function (issues) {
  const out = [];
  for (const [shownOn, reports] of Object.entries(issues)) {
    for (const report of reports) {
      const ruleError = report.category === "rule-error";
      out.push({
        source: "lint",
        rule: report.rule,
        elementId: report.actualElementId || report.id || shownOn,
        message: ruleError ? RULE_ERROR(report.rule) : report.message,
        severity: report.category === "error" ? "error" : "warning",
      });
    }
  }
  // a stable order: errors first, then by element
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
};

/** The diagram element a problem points at: the shape, else the participant of a process, else none. */
TianchangProblems.prototype._shape = function (id) {
  if (!id) return null;
  const found = this._registry.get(id);
  if (found) return found;
  return this._registry.find((el) => {
    const bo = el.businessObject;
    return bo && bo.processRef && bo.processRef.id === id;
  }) || null;
};

TianchangProblems.prototype._name = function (id) {
  const translate = this._translate;
  if (!id) return translate("The whole diagram");
  const shape = this._registry.get(id);
  let bo = shape && shape.businessObject;
  if (!bo) {
    const definitions = this._bpmnjs.getDefinitions();
    bo = definitions && findById(definitions, id);
  }
  const name = bo && bo.name && String(bo.name).trim();
  if (name) return translate("{name} ({id})", { name, id });
  // unnamed: its kind, as the properties panel's header names it (顺序流（Flow_1）, 结束事件（Event_2）)
  const kind = bo && bo.$type && bo.$type.replace(/^bpmn:/, "").replace(/(\B[A-Z])/g, " $1");
  const label = kind && translate(kind);
  return label && label !== kind ? translate("{name} ({id})", { name: label, id }) : id;
};

TianchangProblems.prototype._mark = function () {
  for (const { id, marker } of this._marked) {
    if (this._registry.get(id)) this._canvas.removeMarker(id, marker);
  }
  this._marked = [];
  this._overlays.remove({ type: "tc-problem" });
  const byShape = new Map();
  for (const problem of this._server) {
    const shape = this._shape(problem.elementId);
    if (!shape || !shape.parent) continue; // the root: listed only
    if (!byShape.has(shape)) byShape.set(shape, []);
    byShape.get(shape).push(problem);
  }
  const translate = this._translate;
  for (const [shape, problems] of byShape) {
    const severity = problems.some((p) => p.severity === "error") ? "error" : "warning";
    const marker = `tc-${severity}`;
    this._canvas.addMarker(shape, marker);
    this._marked.push({ id: shape.id, marker });
    const title = problems.map((p) => translate("{severity}: {message}", { severity: translate(p.severity === "error" ? "Error" : "Warning"), message: p.message })).join("\n");
    const badge = document.createElement("div");
    badge.className = `tc-badge tc-badge-${severity}`;
    badge.title = title;
    badge.textContent = String(problems.length);
    this._overlays.add(shape, "tc-problem", { position: { top: -10, left: -10 }, html: badge });
  }
};

TianchangProblems.prototype.reveal = function (id) {
  const shape = this._shape(id);
  if (!shape) return false;
  if (shape.parent) {
    this._selection.select(shape);
    this._canvas.scrollToElement(shape, { top: 100, bottom: 100, left: 100, right: 100 });
  }
  return true;
};

TianchangProblems.prototype._render = function () {
  const counts = this.counts();
  this._eventBus.fire("tianchang.problems.changed", { problems: this.getProblems(), ...counts });
  const parent = this._parent;
  if (!parent) return;
  const translate = this._translate;
  const all = this.getProblems();
  const rows = all.map((p, i) => {
    const label = translate(p.severity === "error" ? "Error" : "Warning");
    // a problem of another file of the bundle (the page may pass those too) names its file
    const other = p.file && this._fileName && p.file !== this._fileName ? p.file : null;
    const where = other
      ? (p.line ? translate("{file}, line {line}", { file: other, line: p.line }) : other)
      : (p.line ? translate("line {line}", { line: p.line }) : "");
    return `<li class="tc-problem tc-problem-${p.severity}" data-index="${i}" data-element-id="${escape(p.elementId || "")}"
        data-source="${p.source}" tabindex="0" role="button" title="${escape(translate("Show this element"))}">
      <span class="tc-problem-severity">${escape(label)}</span>
      <span class="tc-problem-element">${escape(this._name(p.elementId))}${where ? `<span class="tc-problem-line">${escape(where)}</span>` : ""}</span>
      <span class="tc-problem-message">${escape(p.message)}</span>
    </li>`;
  }).join("");
  parent.innerHTML = `<div class="tc-problems">
    <div class="tc-problems-summary">${escape(all.length ? translate("{errors} errors, {warnings} warnings", counts) : translate("No problems found"))}</div>
    ${all.length ? `<ul class="tc-problems-list">${rows}</ul>` : ""}
  </div>`;
  parent.querySelectorAll(".tc-problem").forEach((row) => {
    const go = () => this.reveal(row.getAttribute("data-element-id"));
    row.addEventListener("click", go);
    row.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        go();
      }
    });
  });
};
