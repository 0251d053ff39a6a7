// Build-time patches of the form-js viewer for the forms bundle (an esbuild plugin used by scripts/vendor.mjs).
// form-js 1.23 has no translate service: its few hard-coded English texts (the tag field's "Search", the date
// field's "yyyy/mm/dd" taken from the browser's locale, …) become Chinese here, and the date picker gets
// flatpickr's own Chinese locale and the format 2026-12-01. Each text must be found exactly once, so an upgrade
// that moves one fails the build instead of showing English.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

const ZH_LOCALE = "__tcFlatpickrZh";

export const VIEWER_PATCHES = [
  ["dateFormat: getLocaleDateFlatpickrConfig(),", `dateFormat: 'Y-m-d', locale: { ...${ZH_LOCALE}, firstDayOfWeek: 1 },`],
  ["placeholder: getLocaleReadableDateFormat(),", "placeholder: '年-月-日',"],
  ["minDate: disallowPassedDates ? 'today' : '01/01/1900',", "minDate: disallowPassedDates ? 'today' : '1900-01-01',"],
  ["placeholder: use24h ? 'hh:mm' : 'hh:mm --',", "placeholder: use24h ? '时:分' : '时:分 上午/下午',"],
  ["placeholder: 'Search',", "placeholder: '搜索',"],
  ["placeholder: disabled || readonly ? undefined : 'Search',", "placeholder: disabled || readonly ? undefined : '搜索',"],
  ["emptyListMessage = 'No results',", "emptyListMessage = '没有匹配的选项',"],
  ["emptyListMessage: hasOptionsLeft ? 'No results' : 'All values selected',",
    "emptyListMessage: hasOptionsLeft ? '没有匹配的选项' : '已选择全部选项',"],
  ["children: valueLabel || 'Select'", "children: valueLabel || '请选择'"],
  ['title: "Remove tag",', 'title: "移除",'],
  ['"aria-label": "Increment",', '"aria-label": "增加",'],
  ['"aria-label": "Decrement",', '"aria-label": "减少",'],
  ["'Add new'", "'添加一项'"],
  ['"aria-label": `Remove list item ${itemIndex + 1}`,', '"aria-label": `删除第 ${itemIndex + 1} 项`,'],
  ['"aria-label": "Previous page",', '"aria-label": "上一页",'],
  ['"aria-label": "Next page",', '"aria-label": "下一页",'],
  ["return 'No files selected';", "return '未选择文件';"],
  ["return `${files.length} files selected`;", "return `已选择 ${files.length} 个文件`;"],
  ['children: "Browse"', 'children: "选择文件"'],
  ['alt: "This is an image placeholder"', 'alt: "图片占位"'],
  ['"aria-label": `Download ${fileName}`,', '"aria-label": `下载 ${fileName}`,'],
];

function count(text, part) {
  return text.split(part).length - 1;
}

export function patchViewer(text) {
  let out = text;
  for (const [from, to] of VIEWER_PATCHES) {
    const n = count(out, from);
    if (n !== 1) throw new Error(`forms/patches: @bpmn-io/form-js-viewer: expected one ${JSON.stringify(from)}, found ${n}`);
    out = out.replace(from, () => to);
  }
  return `import { Mandarin as ${ZH_LOCALE} } from "flatpickr/dist/esm/l10n/zh.js";\n${out}`;
}

export const formsPatchesPlugin = {
  name: "tianchang-forms-patches",
  setup(build) {
    build.onLoad({ filter: /[\\/]@bpmn-io[\\/]form-js-viewer[\\/]dist[\\/]index\.es\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      return { contents: patchViewer(text), loader: "js", resolveDir: dirname(args.path) };
    });
  },
};
