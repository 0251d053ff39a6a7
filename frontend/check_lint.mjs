// Lint BPMN diagrams with the designer's rules (bpmnlint recommended + plugin tianchang, messages in Chinese), as
// the designer does live. The catalogue (roles, forms with their keys) comes from --catalog FILE (the JSON the page
// gets); without it, forms and their keys are read from forms/*.json and roles are unknown (so only a role
// property, not a lane, satisfies user-task-role).
//
// Usage: node frontend/check_lint.mjs [--catalog FILE] [--strict] [dir or file …]   (default: processes)
//   exit 1 when a rule fails to run, or, with --strict, when any error is reported
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { BpmnModdle } from "bpmn-moddle";
import bpmnlint from "bpmnlint";

import { linterConfig } from "./lint/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const spiffworkflow = JSON.parse(readFileSync(join(here, "moddle", "spiffworkflow.json"), "utf8"));

function formKeys(components, out = []) {
  for (const c of components || []) {
    if (c.key) out.push(c.key);
    if (c.path && !c.components) out.push(c.path);
    formKeys(c.components, out);
  }
  return out;
}

function defaultCatalog() {
  const dir = join(here, "..", "forms");
  const forms = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json") || n.endsWith(".form"))) {
    const schema = JSON.parse(readFileSync(join(dir, name), "utf8"));
    forms.push({ id: schema.id, name: schema.id, keys: formKeys(schema.components) });
  }
  return { forms, roles: [] };
}

const args = process.argv.slice(2);
let catalog = null;
let strict = false;
const targets = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--catalog") catalog = JSON.parse(readFileSync(args[(i += 1)], "utf8"));
  else if (args[i] === "--strict") strict = true;
  else targets.push(args[i]);
}
catalog = catalog || defaultCatalog();

const files = (targets.length ? targets : ["processes"]).flatMap((t) => (statSync(t).isDirectory()
  ? readdirSync(t).sort().filter((n) => n.endsWith(".bpmn") || n.endsWith(".bpmn20.xml")).map((n) => join(t, n))
  : [t]));

const SEVERITY = { error: "错误", warn: "提醒", info: "提示", "rule-error": "规则出错" };
let errors = 0;
let warnings = 0;
let broken = 0;
for (const file of files) {
  const moddle = new BpmnModdle({ spiffworkflow });
  const { rootElement } = await moddle.fromXML(readFileSync(file, "utf8"), "bpmn:Definitions");
  const linter = new bpmnlint.Linter(linterConfig(catalog));
  const results = await linter.lint(rootElement);
  for (const [rule, reports] of Object.entries(results)) {
    for (const r of reports) {
      if (r.category === "error") errors += 1;
      else if (r.category === "rule-error") broken += 1;
      else warnings += 1;
      console.log(`${file}\t${SEVERITY[r.category] || r.category}\t${r.id || ""}\t${rule}\t${r.message}`);
    }
  }
}
console.log(`${files.length} diagrams: ${errors} errors, ${warnings} warnings${broken ? `, ${broken} rule failures` : ""}`);
process.exit(broken || (strict && errors) ? 1 : 0);
