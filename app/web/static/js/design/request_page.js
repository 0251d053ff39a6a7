// A deploy request: the old and new diagram of each changed process, side by side, changes coloured.
import { TEXT, el, readPage, visualDiff } from "./studio.js";

const page = readPage();
const parent = document.getElementById("diagrams");
const entries = Object.entries(page.diagrams);
if (!entries.length) parent.append(el("p", { class: "muted", text: "此次变更没有修改流程图。" }));
for (const [pid, diagram] of entries) {
  const holder = el("div", { class: "diff-view", "data-process": pid });
  parent.append(el("h3", { text: diagram.name }), holder);
  if (diagram.old_xml) await visualDiff(holder, diagram.old_xml, diagram.new_xml, [TEXT.oldVersion(page.base), "申请的版本"]);
  else {
    const canvas = el("div", { class: "diff-canvas" });
    holder.append(el("p", { class: "muted", text: "新流程：" }), canvas);
    const viewer = window.TianchangDesigner.createViewer({ container: canvas });
    await viewer.importXML(diagram.new_xml);
    viewer.get("canvas").zoom("fit-viewport");
  }
}
