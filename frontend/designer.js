// Entry of app/static/vendor/designer/designer.min.js (global TianchangDesigner), built by scripts/vendor.mjs.
//
//   TianchangDesigner.createModeler({container, propertiesParent, problemsParent, catalog, onOpenForm, onNewForm,
//                                    onChange})                      → TianchangModeler (a bpmn-js Modeler)
//   TianchangDesigner.createViewer({container})                      → TianchangViewer (a NavigatedViewer)
//   TianchangDesigner.visualDiff({left, right, oldXml, newXml})      → Promise<{added, removed, changed, layoutChanged, …}>
//   TianchangDesigner.diffXml(oldXml, newXml)                        → Promise<{added, removed, changed, layoutChanged, …}>
//   TianchangDesigner.createCodeEditor({parent, value, helpers, onChange}) → the CodeMirror Python editor
import Modeler from "bpmn-js/lib/Modeler";
import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";
import lintModule from "bpmn-js-bpmnlint";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";

import TianchangCatalog, { normalizeCatalog } from "./catalog.js";
import { createCodeEditor } from "./code_editor.js";
import { diffXml, visualDiff as diffInViewers } from "./diff.js";
import { TranslateModule, translate, TRANSLATIONS } from "./i18n/zh.js";
import { linterConfig } from "./lint/index.js";
import spiffworkflow from "./moddle/spiffworkflow.json";
import { getProperty, setProperty } from "./panel/model.js";
import PlatformPropertiesProvider from "./panel/provider.js";
import TianchangProblems from "./problems.js";

/** Keeps the lint rules' parameters (role names, form keys) in step with the catalogue. */
function LintCatalog(eventBus, linting) {
  eventBus.on("tianchang.catalog.changed", ({ catalog }) => linting.setLinterConfig(linterConfig(catalog)));
}
LintCatalog.$inject = ["eventBus", "linting"];

const PlatformModule = {
  __init__: ["tianchangCatalog", "platformPropertiesProvider", "tianchangProblems", "tianchangLintCatalog"],
  tianchangCatalog: ["type", TianchangCatalog],
  platformPropertiesProvider: ["type", PlatformPropertiesProvider],
  tianchangProblems: ["type", TianchangProblems],
  tianchangLintCatalog: ["type", LintCatalog],
};

export const moddleExtensions = { spiffworkflow };

// labels are measured and drawn in SVG: Arial for Latin text as bpmn-js does, then a CJK font
const FONT = 'Arial, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif';
const textRenderer = (options) => ({
  ...((options && options.textRenderer) || {}),
  defaultStyle: { fontFamily: FONT, ...((options && options.textRenderer && options.textRenderer.defaultStyle) || {}) },
  externalStyle: { fontFamily: FONT, ...((options && options.textRenderer && options.textRenderer.externalStyle) || {}) },
});

export class TianchangModeler extends Modeler {
  /** Server problems [{file, element_id, line, message, severity}] → markers, badges and the problem list. */
  setProblems(problems) {
    this.get("tianchangProblems").setProblems(problems);
  }

  /** {errors, warnings}: the server's problems plus the current lint issues. */
  problemCounts() {
    return this.get("tianchangProblems").counts();
  }

  /** The merged list: [{source: 'server'|'lint', elementId, message, severity, file?, line?, rule?}]. */
  getProblems() {
    return this.get("tianchangProblems").getProblems();
  }

  /** Select an element and scroll to it. */
  revealElement(id) {
    return this.get("tianchangProblems").reveal(id);
  }

  /** Replace parts of the catalogue ({forms: […]}, …): the panel and the lint rules follow. */
  updateCatalog(partial) {
    this.get("tianchangCatalog").update(partial);
  }

  getCatalog() {
    return this.get("tianchangCatalog").get();
  }

  /** Read / write one spiffworkflow:property of an element (undoable; an empty value removes it). */
  getPlatformProperty(elementId, name) {
    const element = this.get("elementRegistry").get(elementId);
    return element ? getProperty(element, name) : undefined;
  }

  setPlatformProperty(elementId, name, value) {
    const element = this.get("elementRegistry").get(elementId);
    if (!element) return false;
    return setProperty(this.get("injector"), element, name, value);
  }
}

TianchangModeler.prototype._modules = [
  ...Modeler.prototype._modules,
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  lintModule,
  PlatformModule,
  TranslateModule,
];
TianchangModeler.prototype._moddleExtensions = moddleExtensions;

export class TianchangViewer extends NavigatedViewer {}
TianchangViewer.prototype._modules = [...NavigatedViewer.prototype._modules, TranslateModule];
TianchangViewer.prototype._moddleExtensions = moddleExtensions;

/**
 * createModeler({container, propertiesParent, problemsParent, catalog, onOpenForm, onNewForm, onChange, fileName, …})
 * fileName (optional): the diagram's file name; a server problem of another file shows that file in the list.
 * Any other option is passed to bpmn-js (keyboard, additionalModules, …).
 */
export function createModeler(options) {
  const {
    container, propertiesParent, problemsParent, catalog, onOpenForm, onNewForm, onChange, fileName, ...rest
  } = options || {};
  const normalized = normalizeCatalog(catalog);
  const modeler = new TianchangModeler({
    ...rest,
    container,
    textRenderer: textRenderer(rest),
    propertiesPanel: propertiesParent ? { parent: propertiesParent } : {},
    linting: { active: true, bpmnlint: linterConfig(normalized) },
    tianchang: { catalog: normalized, onOpenForm, onNewForm, problemsParent, fileName },
  });
  if (onChange) modeler.on("commandStack.changed", () => onChange());
  return modeler;
}

export function createViewer(options) {
  return new TianchangViewer({ ...(options || {}), textRenderer: textRenderer(options) });
}

export function visualDiff(options) {
  return diffInViewers(options, createViewer);
}

export { createCodeEditor, diffXml, translate, TRANSLATIONS };
