// Import every BPMN diagram with the designer's moddle (bpmn-moddle + frontend/moddle/spiffworkflow.json), export it
// again as bpmn-js' saveXML does, and compare the spiffworkflow:* elements (tag, attributes, text, the element that
// owns them) of the original and the export. Any import warning or any difference fails.
//
// With --exported DIR, the export compared is DIR/<same file name> instead: what the browser's Modeler saved
// (saveXML) after importing the original, so the whole bpmn-js import/export is checked, not only the moddle.
//
// Usage: node frontend/check_roundtrip.mjs [--exported DIR] [dir or file …]   (default: processes)
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { BpmnModdle } from "bpmn-moddle";
import { Parser } from "saxen";

const here = dirname(fileURLToPath(import.meta.url));
const spiffworkflow = JSON.parse(readFileSync(join(here, "moddle", "spiffworkflow.json"), "utf8"));
const SPIFF = spiffworkflow.uri;

/** Every spiffworkflow element of an XML text as a sorted list of strings: owner id, path, attributes, text. */
export function spiffElements(xml) {
  const parser = new Parser({ proxy: true });
  parser.ns({ [SPIFF]: "spiffworkflow", "http://www.omg.org/spec/BPMN/20100524/MODEL": "bpmn" });
  const stack = [];
  const found = [];
  parser.on("openTag", (el, decode) => {
    const attrs = { ...el.attrs };
    const node = { name: el.name, attrs, text: "", owner: null };
    const parent = stack[stack.length - 1];
    node.owner = attrs.id && !el.name.startsWith("spiffworkflow:") ? attrs.id : parent ? parent.owner : null;
    node.path = (parent ? parent.path + "/" : "") + el.name;
    if (el.name.startsWith("spiffworkflow:")) {
      node.record = true;
      for (const key of Object.keys(attrs)) {
        if (key.startsWith("xmlns")) delete attrs[key];
        else attrs[key] = decode(attrs[key]);
      }
    }
    stack.push(node);
  });
  const close = () => {
    const node = stack.pop();
    if (node.record) {
      const path = node.path.replace(/^.*?(?=bpmn:extensionElements|spiffworkflow:)/, "");
      const attrs = Object.keys(node.attrs).sort().map((k) => `${k}=${JSON.stringify(node.attrs[k])}`).join(" ");
      found.push(`${node.owner} ${path} [${attrs}] ${JSON.stringify(node.text.trim())}`);
    }
  };
  parser.on("closeTag", close); // saxen also closes a self-closing tag
  parser.on("text", (text, decode) => {
    const node = stack[stack.length - 1];
    if (node) node.text += decode(text);
  });
  parser.on("cdata", (text) => {
    const node = stack[stack.length - 1];
    if (node) node.text += text;
  });
  parser.on("error", (err) => {
    throw err;
  });
  parser.parse(xml);
  return found.sort();
}

function bpmnFiles(target) {
  if (statSync(target).isDirectory()) {
    return readdirSync(target).sort().filter((n) => n.endsWith(".bpmn") || n.endsWith(".bpmn20.xml")).map((n) => join(target, n));
  }
  return [target];
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf("--exported");
  const exported = at >= 0 ? args.splice(at, 2)[1] : null;
  const targets = args;
  const files = (targets.length ? targets : ["processes"]).flatMap(bpmnFiles);
  let failures = 0;
  let elements = 0;
  for (const file of files) {
    const xml = readFileSync(file, "utf8");
    const moddle = new BpmnModdle({ spiffworkflow });
    const { rootElement, warnings } = await moddle.fromXML(xml, "bpmn:Definitions");
    const out = exported
      ? readFileSync(join(exported, file.split(/[\\/]/).pop()), "utf8")
      : (await moddle.toXML(rootElement, { format: true })).xml;
    const before = spiffElements(xml);
    const after = spiffElements(out);
    elements += before.length;
    const lost = before.filter((x) => !after.includes(x));
    const added = after.filter((x) => !before.includes(x));
    const problems = [...warnings.map((w) => `import warning: ${w.message}`),
      ...lost.map((x) => `lost: ${x}`), ...added.map((x) => `changed or added: ${x}`)];
    if (before.length !== after.length) problems.push(`${before.length} spiffworkflow elements before, ${after.length} after`);
    if (problems.length) {
      failures += 1;
      console.log(`${file}:`);
      problems.forEach((p) => console.log(`  ${p}`));
    }
  }
  console.log(`${files.length} diagrams, ${elements} spiffworkflow elements, ${failures} with differences`);
  process.exit(failures ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
