// Copy the browser bundles the pages load into app/static/vendor (git-ignored), and build the designer bundle
// (frontend/designer.js → app/static/vendor/designer/designer.min.js, global TianchangDesigner) with its CSS, and the
// console's layout bundle (frontend/layout.js → app/static/vendor/layout/layout.min.js, global TianchangLayout), and
// the forms bundle (frontend/forms.js → app/static/vendor/forms/forms.min.js, global TianchangForms).
// Run by `npm ci` / `npm install` (postinstall); a build error fails it with esbuild's message.
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

const nm = "node_modules";
const out = join("app", "static", "vendor");
const files = {
  "bpmn-js/dist/bpmn-modeler.production.min.js": "bpmn-js/bpmn-modeler.production.min.js",
  "bpmn-js/dist/bpmn-navigated-viewer.production.min.js": "bpmn-js/bpmn-navigated-viewer.production.min.js",
  "bpmn-js/dist/assets": "bpmn-js/assets",
  "bpmn-js-properties-panel/dist/bpmn-js-properties-panel.umd.js": "bpmn-js-properties-panel/bpmn-js-properties-panel.umd.js",
  "@bpmn-io/properties-panel/dist/assets/properties-panel.css": "properties-panel/properties-panel.css",
  "dmn-js/dist/dmn-modeler.production.min.js": "dmn-js/dmn-modeler.production.min.js",
  "dmn-js/dist/dmn-viewer.production.min.js": "dmn-js/dmn-viewer.production.min.js",
  "dmn-js/dist/assets": "dmn-js/assets",
  "@bpmn-io/form-js/dist/form-viewer.umd.js": "form-js/form-viewer.umd.js",
  "@bpmn-io/form-js/dist/form-editor.umd.js": "form-js/form-editor.umd.js",
  "@bpmn-io/form-js/dist/assets": "form-js/assets",
  "bpmn-js-i18n/translations/zn.js": "bpmn-js-i18n/zn.js",
  "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
};

// The designer's stylesheets, next to its bundle (bpmn-embedded.css carries the BPMN icon font inline).
const designerCss = {
  "bpmn-js/dist/assets/diagram-js.css": "diagram-js.css",
  "bpmn-js/dist/assets/bpmn-js.css": "bpmn-js.css",
  "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css": "bpmn-embedded.css",
  "@bpmn-io/properties-panel/dist/assets/properties-panel.css": "properties-panel.css",
  "bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css": "bpmn-js-bpmnlint.css",
};

const fail = (message) => {
  console.error(`vendor: ${message}`);
  process.exit(1);
};

rmSync(out, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const src = join(nm, from);
  if (!existsSync(src)) fail(`missing ${src}`);
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(src, join(out, to), { recursive: true });
}
console.log(`vendor: copied ${Object.keys(files).length} paths into ${out}`);

// --- the designer bundle ---------------------------------------------------------------------------------------------
const designerOut = join(out, "designer");
mkdirSync(designerOut, { recursive: true });
for (const [from, to] of Object.entries(designerCss)) {
  const src = join(nm, from);
  if (!existsSync(src)) fail(`missing ${src}`);
  cpSync(src, join(designerOut, to));
}
cpSync(join("frontend", "designer.css"), join(designerOut, "designer.css"));

let esbuild;
let patchesPlugin;
try {
  esbuild = await import("esbuild");
  ({ patchesPlugin } = await import("../frontend/esbuild_patches.mjs"));
} catch (err) {
  fail(`cannot load esbuild (a devDependency: run npm ci without --omit=dev): ${err.message}`);
}

// Build one browser bundle; a build error prints esbuild's own messages and fails the install.
async function bundle(entry, options) {
  try {
    await esbuild.build({
      entryPoints: [join("frontend", entry)], bundle: true, format: "iife", minify: true, target: "es2020",
      platform: "browser", legalComments: "eof", logLevel: "silent", ...options,
    });
  } catch (err) {
    const messages = err.errors && err.errors.length
      ? await esbuild.formatMessages(err.errors, { kind: "error", color: false })
      : [String(err && err.stack || err)];
    console.error(messages.join("\n"));
    fail(`the bundle frontend/${entry} did not build`);
  }
}

const started = Date.now();
const outfile = join(designerOut, "designer.min.js");
await bundle("designer.js", {
  outfile,
  globalName: "TianchangDesigner",
  sourcemap: true,
  jsx: "automatic",
  jsxImportSource: "@bpmn-io/properties-panel/preact",
  loader: { ".js": "js", ".jsx": "jsx", ".json": "json" },
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [patchesPlugin],
});
// The console's layout bundle: bpmn-auto-layout for diagrams without drawing information (frontend/layout.js).
const layoutOut = join(out, "layout", "layout.min.js");
await bundle("layout.js", { outfile: layoutOut, globalName: "TianchangLayout" });
console.log(`vendor: built ${layoutOut} (${(statSync(layoutOut).size / 1024).toFixed(0)} KiB)`);
// The forms bundle of the task, start and call pages: the form-js viewer with the photos field (frontend/forms.js),
// its English patched into Chinese (frontend/forms/patches.mjs); htm/preact, so one preact.
const formsOut = join(out, "forms", "forms.min.js");
const { formsPatchesPlugin } = await import("../frontend/forms/patches.mjs");
await bundle("forms.js", { outfile: formsOut, globalName: "TianchangForms", sourcemap: true,
  define: { "process.env.NODE_ENV": '"production"' }, plugins: [formsPatchesPlugin] });
console.log(`vendor: built ${formsOut} (${(statSync(formsOut).size / 1024).toFixed(0)} KiB)`);

const size = statSync(outfile).size;
console.log(`vendor: built ${outfile} (${(size / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms, with ${Object.keys(designerCss).length + 1} stylesheets`);
