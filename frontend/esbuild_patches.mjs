// Build-time patches (an esbuild plugin used by scripts/vendor.mjs).
// 1. diagram-js' popup menu hard-codes a few English texts instead of calling translate(); these replacements route
//    them through frontend/i18n/zh.js. Each replacement must match exactly once, so a diagram-js upgrade that moves
//    the text fails the build instead of showing English.
//    @bpmn-io/properties-panel's components fall back to an identity translate when their parent does not pass one
//    (the stock BPMN entries do not): the fallback becomes ours.
// 2. bpmn-js-properties-panel ships its Camunda and Zeebe providers in the same module as the BPMN one, and esbuild
//    cannot drop them (top-level side effects): the module is cut after the BPMN provider, which we use alone
//    (−200 KiB). The BPMN part comes first in that rollup bundle and does not use what follows.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const I18N = join(here, "i18n", "zh.js");
const T = "__tcTranslate";

export const PATCHES = [
  {
    file: "diagram-js/lib/features/popup-menu/PopupMenuComponent.js",
    replace: [
      ["aria-label=\"${ title || 'Search' }\"", `aria-label="\${ title || ${T}('Search') }"\n              placeholder="\${ ${T}('Search') }"`],
      ["${ entriesToShow.length } ${ entriesToShow.length === 1 ? 'result' : 'results' } found",
        `\${ ${T}(entriesToShow.length === 1 ? '{count} result found' : '{count} results found', { count: entriesToShow.length }) }`],
      ["ariaLabel=${ title || 'Results' }", `ariaLabel=\${ title || ${T}('Results') }`],
      ["aria-label=${ selectedEntry.label ? `Open entry documentation for ${ selectedEntry.label }` : 'Open entry documentation' }",
        `aria-label=\${ ${T}('Open entry documentation') }`],
      ["              >\n                Open entry documentation\n", `              >\n                \${ ${T}('Open entry documentation') }\n`],
    ],
  },
  {
    file: "@bpmn-io/properties-panel/dist/index.esm.js",
    replace: [["function translateFallback(template, replacements) {\n", `function translateFallback(template, replacements) {\n  return ${T}(template, replacements);\n`]],
  },
  {
    file: "diagram-js/lib/features/popup-menu/PopupMenuItem.js",
    replace: [["title=\"Open entry documentation\"", `title=\${ ${T}('Open entry documentation') }`]],
  },
];

/** The translation keys the patches use (frontend/check_translations.mjs checks them too). */
export const PATCH_KEYS = ["Search", "Results", "{count} result found", "{count} results found", "Open entry documentation"];

function count(text, part) {
  return text.split(part).length - 1;
}

export function patchSource(file, text) {
  const patch = PATCHES.find((p) => file.replace(/\\/g, "/").endsWith(`/node_modules/${p.file}`));
  if (!patch) return null;
  let out = text;
  for (const [from, to] of patch.replace) {
    const n = count(out, from);
    if (n !== 1) throw new Error(`esbuild_patches: ${patch.file}: expected one ${JSON.stringify(from)}, found ${n}`);
    out = out.replace(from, () => to);
  }
  return `import { translate as ${T} } from ${JSON.stringify(I18N)};\n${out}`;
}

const PANEL_END = "bpmnPropertiesProvider: ['type', BpmnPropertiesProvider]\n};\n";
const PANEL_EXPORT = "export { index$3 as BpmnPropertiesPanelModule, index$2 as BpmnPropertiesProviderModule, useService };\n";

export function cutPropertiesPanel(text) {
  const end = text.indexOf(PANEL_END);
  if (end < 0 || text.indexOf(PANEL_END, end + 1) >= 0) {
    throw new Error("esbuild_patches: bpmn-js-properties-panel: the end of the BPMN provider was not found once");
  }
  const kept = text.slice(0, end);
  for (const needed of [/^function useService\(/m, /^var index\$3 = \{/m, /^var index\$2 = \{/m]) {
    if (!needed.test(kept)) throw new Error(`esbuild_patches: bpmn-js-properties-panel: ${needed} not found before the BPMN provider's end`);
  }
  return text.slice(0, end + PANEL_END.length) + PANEL_EXPORT;
}

export const patchesPlugin = {
  name: "tianchang-patches",
  setup(build) {
    build.onLoad({ filter: /[\\/]bpmn-js-properties-panel[\\/]dist[\\/]index\.esm\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      return { contents: cutPropertiesPanel(text), loader: "js", resolveDir: dirname(args.path) };
    });
    const PATCHED_FILES = /[\\/](diagram-js[\\/]lib[\\/]features[\\/]popup-menu[\\/]PopupMenu(Component|Item)\.js|@bpmn-io[\\/]properties-panel[\\/]dist[\\/]index\.esm\.js)$/;
    build.onLoad({ filter: PATCHED_FILES }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const patched = patchSource(args.path, text);
      return patched === null ? undefined : { contents: patched, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};
