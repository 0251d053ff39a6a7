// Visual diff of two BPMN versions (bpmn-js-differ): two NavigatedViewers side by side, coloured markers
// (tc-diff-added green, tc-diff-removed red, tc-diff-changed orange, tc-diff-layout blue), viewboxes kept in step.
import { BpmnModdle } from "bpmn-moddle";
import { diff } from "bpmn-js-differ";
import { getBBox } from "diagram-js/lib/util/Elements";

import spiffworkflow from "./moddle/spiffworkflow.json";

function simple(value) {
  if (value === null || value === undefined) return value;
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(simple);
  if (value.$type) return value.id ? `${value.$type}#${value.id}` : value.$type;
  return undefined;
}

function indexById(root) {
  const byId = new Map();
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (node.$type && node.id && !byId.has(node.id)) byId.set(node.id, node);
    for (const p of (node.$descriptor && node.$descriptor.properties) || []) {
      if (p.isReference || p.isAttr || p.isVirtual) continue;
      const value = node.get(p.name);
      if (Array.isArray(value)) stack.push(...value);
      else if (value && typeof value === "object") stack.push(value);
    }
  }
  return byId;
}

/**
 * {added, removed, changed, layoutChanged}: element id lists; changedAttrs: {id: {attr: {oldValue, newValue}}}.
 * bpmn-js-differ reports a changed plain attribute with its two values the wrong way round (it passes
 * jsondiffpatch's [old, new] as (newValue, oldValue)), so those are read again from the two models.
 */
export function summarize(changes, oldDefinitions, newDefinitions) {
  const before = oldDefinitions ? indexById(oldDefinitions) : null;
  const after = newDefinitions ? indexById(newDefinitions) : null;
  const changedAttrs = {};
  for (const [id, change] of Object.entries(changes._changed || {})) {
    const attrs = {};
    for (const [name, values] of Object.entries((change && change.attrs) || {})) {
      const a = before && before.get(id);
      const b = after && after.get(id);
      if (/^\w+$/.test(name) && a && b) {
        attrs[name] = { oldValue: simple(a.get(name)), newValue: simple(b.get(name)) };
      } else {
        attrs[name] = { oldValue: simple(values.oldValue), newValue: simple(values.newValue) };
      }
    }
    changedAttrs[id] = attrs;
  }
  return {
    added: Object.keys(changes._added || {}),
    removed: Object.keys(changes._removed || {}),
    changed: Object.keys(changes._changed || {}),
    layoutChanged: Object.keys(changes._layoutChanged || {}),
    changedAttrs,
  };
}

/** diffXml(oldXml, newXml) → Promise of the summary, without rendering. */
export async function diffXml(oldXml, newXml) {
  const read = (xml) => new BpmnModdle({ spiffworkflow }).fromXML(xml, "bpmn:Definitions").then((r) => r.rootElement);
  const [a, b] = await Promise.all([read(oldXml), read(newXml)]);
  return summarize(diff(a, b), a, b);
}

const MARKERS = { added: "tc-diff-added", removed: "tc-diff-removed", changed: "tc-diff-changed", layoutChanged: "tc-diff-layout" };

function mark(viewer, ids, marker) {
  const registry = viewer.get("elementRegistry");
  const canvas = viewer.get("canvas");
  const marked = [];
  for (const id of ids) {
    let shape = registry.get(id);
    if (!shape) {
      // a changed process is drawn as its participant
      shape = registry.find((el) => el.businessObject && el.businessObject.processRef && el.businessObject.processRef.id === id);
    }
    if (shape && shape.parent) {
      canvas.addMarker(shape, marker);
      marked.push(shape.id);
    }
  }
  return marked;
}

function syncViewboxes(a, b) {
  let busy = false;
  const follow = (from, to) => from.on("canvas.viewbox.changed", ({ viewbox }) => {
    if (busy) return;
    busy = true;
    try {
      to.get("canvas").viewbox({ x: viewbox.x, y: viewbox.y, width: viewbox.width, height: viewbox.height });
    } finally {
      busy = false;
    }
  });
  follow(a, b);
  follow(b, a);
}

const FOCUS_BELOW = 0.6; // a whole diagram drawn smaller than this hides its changes: show them instead
const FOCUS_PADDING = 80;

/**
 * Zoom `viewer` onto the elements `ids` (pools and lanes left out: they span the diagram), at most at scale 1, when
 * the whole diagram was shown too small to read; false when there is nothing to show or the whole fits.
 */
function focusOn(viewer, ids) {
  const canvas = viewer.get("canvas");
  if (canvas.viewbox().scale >= FOCUS_BELOW) return false;
  const registry = viewer.get("elementRegistry");
  const shapes = [...new Set(ids)].map((id) => registry.get(id))
    .filter((el) => el && el.parent && !["bpmn:Participant", "bpmn:Lane"].includes(el.type));
  if (!shapes.length) return false;
  const box = getBBox(shapes);
  const { width, height } = canvas.getSize();
  const scale = Math.min(1, width / (box.width + 2 * FOCUS_PADDING), height / (box.height + 2 * FOCUS_PADDING));
  if (scale <= canvas.viewbox().scale) return false;
  const w = width / scale, h = height / scale;
  canvas.viewbox({ x: box.x + box.width / 2 - w / 2, y: box.y + box.height / 2 - h / 2, width: w, height: h });
  return true;
}

/**
 * visualDiff({left, right, oldXml, newXml, createViewer, sync = true}) → Promise of
 * {added, removed, changed, layoutChanged, changedAttrs, left: viewer, right: viewer, destroy()}.
 * The old version is drawn in `left` (removed, changed, layout-changed marked), the new one in `right` (added,
 * changed, layout-changed marked).
 */
export async function visualDiff(options, createViewer) {
  const { left, right, oldXml, newXml, sync = true } = options || {};
  if (!left || !right) throw new Error("visualDiff: left and right containers are required");
  const leftViewer = createViewer({ container: left });
  const rightViewer = createViewer({ container: right });
  await leftViewer.importXML(oldXml);
  await rightViewer.importXML(newXml);
  const oldDefinitions = leftViewer.getDefinitions();
  const newDefinitions = rightViewer.getDefinitions();
  const result = summarize(diff(oldDefinitions, newDefinitions), oldDefinitions, newDefinitions);
  mark(leftViewer, result.removed, MARKERS.removed);
  mark(leftViewer, result.changed, MARKERS.changed);
  mark(leftViewer, result.layoutChanged, MARKERS.layoutChanged);
  mark(rightViewer, result.added, MARKERS.added);
  mark(rightViewer, result.changed, MARKERS.changed);
  mark(rightViewer, result.layoutChanged, MARKERS.layoutChanged);
  rightViewer.get("canvas").zoom("fit-viewport");
  // a wide diagram with a few changes: they are what the reader looks for (scroll or zoom shows the rest)
  const shown = focusOn(rightViewer, [...result.added, ...result.changed, ...result.layoutChanged]);
  if (sync) {
    // one viewbox for both: the versions share their coordinates, so unchanged elements line up
    const box = rightViewer.get("canvas").viewbox();
    leftViewer.get("canvas").viewbox({ x: box.x, y: box.y, width: box.width, height: box.height });
    syncViewboxes(leftViewer, rightViewer);
    if (!shown) focusOn(leftViewer, result.removed); // only removals: the right side follows
  } else {
    leftViewer.get("canvas").zoom("fit-viewport");
    focusOn(leftViewer, [...result.removed, ...result.changed, ...result.layoutChanged]);
  }
  return {
    ...result,
    left: leftViewer,
    right: rightViewer,
    destroy() {
      leftViewer.destroy();
      rightViewer.destroy();
    },
  };
}
