// Check that every UI string the designer can show has a Chinese translation.
//
// Collects the literal keys passed to translate('…') in the sources the designer bundles (bpmn-js, diagram-js,
// the stock BPMN properties provider of bpmn-js-properties-panel and its panel components, bpmn-js-bpmnlint, our
// own frontend/), plus the strings those libraries translate through a variable (replace-menu labels, align
// directions, the panel header's element types, the modelling-feedback messages), and lists those missing from
// the dictionary (bpmn-js-i18n's zn.js merged with frontend/i18n/zh.js). Camunda- and Zeebe-only code of the
// properties panel is skipped: it is not bundled. It also checks that every message bpmnlint's recommended rules
// report is matched by a Chinese pattern of frontend/lint/messages.js (not the generic fallback).
//
// Usage: node frontend/check_translations.mjs [--list] [--unused]   (exit 1 when a key or a lint message is missing)
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { PATCH_KEYS } from "./esbuild_patches.mjs";
import { OWN, TRANSLATIONS } from "./i18n/zh.js";
import { lintMessage } from "./lint/messages.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");

function walk(dir, accept) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules" && name !== "test" && name !== "spec") out.push(...walk(path, accept));
    } else if (accept(name)) {
      out.push(path);
    }
  }
  return out;
}

const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

// translate('…'), translate("…"), translate(`…`) (a template without ${}), also this._translate('…')
// (not 'translate(' inside a string, not a concatenation such as translate('Align elements ' + alignment))
const TRANSLATE_CALL = /(?<![\w$'"`])_?translate\s*\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`([^`$]*)`)(?=\s*[,)])/g;

// translate(cond ? 'A' : 'B'), translate(\n  cond ? 'A' : 'B', …)
const TRANSLATE_TERNARY = /(?<![\w$'"`])_?translate\s*\(\s*\(?[^;{}?]{1,80}?\?\s*(['"])((?:(?!\1).)*)\1\s*:\s*(['"])((?:(?!\3).)*)\3/g;

function translateKeys(text) {
  const keys = [];
  const code = stripComments(text);
  for (const m of code.matchAll(TRANSLATE_CALL)) {
    const key = m[1] ?? m[2] ?? m[3];
    keys.push(key.replace(/\\(['"\\])/g, "$1").replace(/\\n/g, "\n"));
  }
  for (const m of code.matchAll(TRANSLATE_TERNARY)) keys.push(m[2], m[4]);
  return keys;
}

const sources = new Map(); // key -> first source it was found in
const add = (key, where) => {
  if (!sources.has(key)) sources.set(key, where);
};
const rel = (path) => relative(root, path);

// 1. bpmn-js and diagram-js
for (const pkg of ["bpmn-js/lib", "diagram-js/lib"]) {
  for (const file of walk(join(nm, pkg), (n) => n.endsWith(".js"))) {
    const text = readFileSync(file, "utf8");
    translateKeys(text).forEach((k) => add(k, rel(file)));
  }
}

// 1a. labels bpmn-js translates through a variable: popup entries and replace options
for (const file of ["bpmn-js/lib/features/popup-menu/PopupEntries.js", "bpmn-js/lib/features/replace/ReplaceOptions.js"]) {
  const text = stripComments(readFileSync(join(nm, file), "utf8"));
  for (const m of text.matchAll(/\blabel\s*:\s*'((?:[^'\\]|\\.)*)'/g)) add(m[1], file);
}
{
  const file = "bpmn-js/lib/features/align-elements/AlignElementsMenuProvider.js";
  const text = readFileSync(join(nm, file), "utf8");
  const list = /ALIGNMENT_OPTIONS\s*=\s*\[([^\]]*)\]/.exec(text);
  const options = list ? [...list[1].matchAll(/'([a-z]+)'/g)].map((m) => m[1]) : [];
  if (!options.length) throw new Error(`${file}: alignment options not found`);
  options.forEach((o) => add(`Align elements ${o}`, file));
}
{
  const file = "bpmn-js/lib/features/modeling-feedback/ModelingFeedback.js";
  const text = readFileSync(join(nm, file), "utf8");
  for (const m of text.matchAll(/_ERR_MSG\s*=\s*'((?:[^'\\]|\\.)*)'/g)) add(m[1], file);
}

// 2. bpmn-js-properties-panel: the panel and the stock BPMN provider, up to where the Zeebe provider starts
{
  const file = "bpmn-js-properties-panel/dist/index.esm.js";
  const text = readFileSync(join(nm, file), "utf8");
  const end = text.indexOf("bpmnPropertiesProvider: ['type', BpmnPropertiesProvider]");
  if (end < 0) throw new Error(`${file}: end of the BPMN provider not found`);
  const bpmnPart = text.slice(0, end);
  translateKeys(bpmnPart).forEach((k) => add(k, file));
  // the header's type label: translate(concreteType split into words), for every type with an icon
  const icons = /(?:var|const) iconsByType = \{([\s\S]*?)\n\};/.exec(bpmnPart);
  if (!icons) throw new Error(`${file}: iconsByType not found`);
  for (const m of icons[1].matchAll(/'([A-Za-z]+)':/g)) {
    add(m[1].replace(/(\B[A-Z])/g, " $1").replace(/(\bNon Interrupting)/g, "($1)"), `${file} (header)`);
  }
  for (const type of ["Default Flow", "Conditional Flow", "Event Sub Process", "Process", "Collaboration"]) add(type, `${file} (header)`);
}
{
  const file = "@bpmn-io/properties-panel/dist/index.esm.js";
  const text = readFileSync(join(nm, file), "utf8");
  translateKeys(text).forEach((k) => add(k, file));
  add("List contains {numOfItems} item", file);
  add("List contains {numOfItems} items", file);
  add("Click to remove dynamic value with FEEL expression", file);
  add("Click to set a dynamic value with FEEL expression", file);
}

// 3. bpmn-js-bpmnlint (button, overlay)
{
  const file = "bpmn-js-bpmnlint/dist/index.esm.js";
  translateKeys(readFileSync(join(nm, file), "utf8")).forEach((k) => add(k, file));
}

// 4. the texts the build patches into diagram-js' popup menu (frontend/esbuild_patches.mjs)
PATCH_KEYS.forEach((k) => add(k, "frontend/esbuild_patches.mjs"));

// 5. our own sources
for (const file of walk(join(root, "frontend"), (n) => /\.jsx?$/.test(n))) {
  translateKeys(readFileSync(file, "utf8")).forEach((k) => add(k, rel(file)));
}

// 6. lint messages: every report of bpmnlint's recommended rules has a Chinese pattern (not the generic fallback)
function secondArgument(text, from) {
  let depth = 0;
  let quote = null;
  let start = -1;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i += 1;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth += 1;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) return start < 0 ? null : text.slice(start, i).trim();
      depth -= 1;
    } else if (c === "," && depth === 0) {
      if (start >= 0) return text.slice(start, i).trim();
      start = i + 1;
    }
  }
  return null;
}

function sampleMessage(expr) {
  if (/^'[^']*'$/.test(expr)) return expr.slice(1, -1);
  if (/^`[^`]*`$/.test(expr)) {
    return expr.slice(1, -1).replace(/\$\{([^}]*)\}/g, (whole, inner) => {
      const ternary = /\?\s*'([^']*)'\s*:/.exec(inner);
      return ternary ? ternary[1] : "X";
    });
  }
  if (/^[\w.]+(\s*\+\s*'[^']*'|\s*\+\s*[\w.]+)*$|^'[^']*'(\s*\+\s*('[^']*'|[\w.]+))+$/.test(expr)) {
    return expr.split("+").map((part) => part.trim()).map((part) => (/^'.*'$/.test(part) ? part.slice(1, -1) : "Process")).join("");
  }
  return null;
}

const recommendedRules = Object.keys((await import("bpmnlint/config/recommended.js")).default.rules);
const untranslatedLint = [];
let lintMessages = 0;
for (const rule of recommendedRules) {
  let text = readFileSync(join(nm, "bpmnlint", "rules", `${rule}.js`), "utf8");
  if (/checkDiscouragedNodeType/.test(text)) text += readFileSync(join(nm, "bpmnlint", "rules", "helper.js"), "utf8");
  const code = stripComments(text);
  for (const m of code.matchAll(/reporter\.report\(/g)) {
    const expr = secondArgument(code, m.index + m[0].length);
    const sample = expr && sampleMessage(expr);
    if (!sample) {
      untranslatedLint.push(`${rule}: cannot read the message ${expr}`);
      continue;
    }
    lintMessages += 1;
    const zh = lintMessage(rule, sample);
    if (zh.includes(`（${rule}）`)) untranslatedLint.push(`${rule}: ${JSON.stringify(sample)}`);
  }
}
for (const line of untranslatedLint) console.log(`lint message without a translation: ${line}`);
console.log(`${lintMessages} lint messages of ${recommendedRules.length} recommended rules, ${untranslatedLint.length} without Chinese`);

const missing = [...sources.keys()].filter((k) => !(k in TRANSLATIONS)).sort();
if (process.argv.includes("--list")) {
  for (const [k, where] of [...sources].sort()) console.log(`${JSON.stringify(k)}\t${where}`);
}
const english = [...sources.keys()].filter((k) => k in TRANSLATIONS && /^[\x00-\x7f]*[A-Za-z]{3}[\x00-\x7f]*$/.test(TRANSLATIONS[k]));
for (const key of english) console.log(`untranslated (still English): ${JSON.stringify(key)} -> ${JSON.stringify(TRANSLATIONS[key])}`);
const unused = Object.keys(OWN).filter((k) => !sources.has(k));
if (process.argv.includes("--unused")) for (const key of unused) console.log(`unused (not an error): ${JSON.stringify(key)}`);
for (const key of missing) console.log(`missing: ${JSON.stringify(key)}\t(${sources.get(key)})`);
console.log(`${sources.size} keys used, ${Object.keys(TRANSLATIONS).length} in the dictionary (${Object.keys(OWN).length} own), ${missing.length} missing, ${unused.length} own keys unused`);
process.exit(missing.length || english.length || untranslatedLint.length ? 1 : 0);
