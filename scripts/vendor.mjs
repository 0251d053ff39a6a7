// Copy the browser bundles the pages load into app/static/vendor (git-ignored).
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
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

rmSync(out, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const src = join(nm, from);
  if (!existsSync(src)) {
    console.error(`vendor: missing ${src}`);
    process.exit(1);
  }
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(src, join(out, to), { recursive: true });
}
console.log(`vendor: copied ${Object.keys(files).length} paths into ${out}`);
