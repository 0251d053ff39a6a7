// The platform's catalogue as the page hands it over (forms, roles, services, decisions, helpers, org helpers,
// KPIs, preview URL, CSRF token) and the page's callbacks, as one diagram-js service: tianchangCatalog.
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

const LISTS = ["forms", "roles", "services", "decisions", "helpers", "org_helpers", "kpis"];

export function normalizeCatalog(catalog) {
  const c = { ...(catalog || {}) };
  for (const key of LISTS) c[key] = Array.isArray(c[key]) ? c[key] : [];
  c.services = c.services.map((s) => ({ ...s, params: Array.isArray(s.params) ? s.params : [] }));
  return c;
}

export default function TianchangCatalog(config, eventBus) {
  this._eventBus = eventBus;
  this._config = config || {};
  this._catalog = normalizeCatalog(this._config.catalog);
}

TianchangCatalog.$inject = ["config.tianchang", "eventBus"];

TianchangCatalog.prototype.get = function () {
  return this._catalog;
};

/** Replace parts of the catalogue ({forms: […]} …); the panel and the lint rules follow. */
TianchangCatalog.prototype.update = function (partial) {
  this._catalog = normalizeCatalog({ ...this._catalog, ...(partial || {}) });
  this._eventBus.fire("tianchang.catalog.changed", { catalog: this._catalog });
};

TianchangCatalog.prototype.openForm = function (id) {
  if (id && this._config.onOpenForm) this._config.onOpenForm(id);
};

TianchangCatalog.prototype.newForm = function (element) {
  if (this._config.onNewForm) this._config.onNewForm({ elementId: element && element.id });
};

TianchangCatalog.prototype.form = function (id) {
  return this._catalog.forms.find((f) => f.id === id);
};

TianchangCatalog.prototype.service = function (name) {
  return this._catalog.services.find((s) => s.name === name);
};

/** Role codes and names: a lane named by either assigns its tasks without role. */
TianchangCatalog.prototype.roleNames = function () {
  const out = [];
  for (const r of this._catalog.roles) {
    if (r.code) out.push(r.code);
    if (r.name) out.push(r.name);
  }
  return out;
};

// ------------------------------------------------------------------------------------------------------------------
// Data names for autocomplete: what the process's forms, scripts, services and multi-instance settings provide.

const ASSIGN = /^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)/gm;

function scriptNames(text, out) {
  if (!text) return;
  for (const m of String(text).matchAll(ASSIGN)) m[1].split(",").forEach((n) => out.add(n.trim()));
}

function walk(node, visit, seen = new Set()) {
  if (!node || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  if (node.$type) visit(node);
  const descriptor = node.$descriptor;
  if (!descriptor) return;
  for (const p of descriptor.properties || []) {
    if (p.isReference || p.isAttr || p.isVirtual) continue;
    const value = node.get(p.name);
    if (Array.isArray(value)) value.forEach((v) => walk(v, visit, seen));
    else if (value && typeof value === "object") walk(value, visit, seen);
  }
}

/** Names an element's scripts may read: from the whole definitions the element belongs to. */
export function dataNames(element, catalog) {
  const names = new Set();
  let root = getBusinessObject(element);
  while (root && root.$parent) root = root.$parent;
  walk(root, (node) => {
    if (is(node, "spiffworkflow:Property") && node.get("name") === "form") {
      const form = catalog.forms.find((f) => f.id === node.get("value"));
      (form && form.keys || []).forEach((k) => names.add(k));
    } else if (is(node, "spiffworkflow:ServiceTaskOperator")) {
      if (node.get("resultVariable")) names.add(node.get("resultVariable"));
    } else if (is(node, "spiffworkflow:PreScript") || is(node, "spiffworkflow:PostScript")) {
      scriptNames(node.get("value"), names);
    } else if (is(node, "bpmn:ScriptTask")) {
      scriptNames(node.get("script"), names);
    } else if (is(node, "bpmn:DataInput") || is(node, "bpmn:DataOutput") || is(node, "bpmn:Property") ||
               is(node, "bpmn:DataObject")) {
      if (node.get("name")) names.add(node.get("name"));
    } else if (is(node, "spiffworkflow:MessageVariable")) {
      if (node.get("value")) names.add(node.get("value").trim());
    }
  });
  return [...names].filter(Boolean).sort();
}
