// The Python code editor (CodeMirror 6) used for scripts and conditions in the panel, exported for pages too.
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python, pythonLanguage } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, placeholder as placeholderText } from "@codemirror/view";

import { translate } from "./i18n/zh.js";

const IDENT = /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*$/;

function completionSource(getHelpers, getNames) {
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w]*/);
    if (!word && !context.explicit) return null;
    // not after a dot (attribute access) nor inside a string or a comment
    const before = context.state.sliceDoc(Math.max(0, (word ? word.from : context.pos) - 1), word ? word.from : context.pos);
    if (before === ".") return null;
    const options = [];
    const seen = new Set();
    for (const helper of getHelpers() || []) {
      if (!helper || !helper.name || seen.has(helper.name)) continue;
      seen.add(helper.name);
      options.push({ label: helper.name, type: "function", detail: translate("helper"), info: helper.doc || undefined, boost: 1 });
    }
    for (const name of getNames() || []) {
      if (!name || seen.has(name) || !IDENT.test(name)) continue;
      seen.add(name);
      options.push({ label: name, type: "variable", detail: translate("data"), boost: 2 });
    }
    return { from: word ? word.from : context.pos, options, validFor: /^\w*$/ };
  };
}

/**
 * createCodeEditor({parent, value, helpers, names, onChange, placeholder, history, onKeyUndo, lineNumbers})
 *   parent: the DOM element to render into; value: initial text; helpers: [{name, doc}] (or a function giving
 *   them); names: data names offered by autocomplete (an array or a function); onChange(text) on every edit
 *   (debounce is the caller's job). history (default true): the editor's own undo; the properties panel turns it
 *   off so Ctrl+Z reaches bpmn-js' command stack. onUndoKey(): called on Ctrl/Cmd+Z before the key bubbles on.
 * Returns {view, getValue(), setValue(text), focus(), hasFocus(), setHelpers(list), setNames(list), destroy()}.
 */
export function createCodeEditor(options) {
  const {
    parent, value = "", onChange, placeholder, onUndoKey,
    history: withHistory = true, lineNumbers: withLineNumbers = true,
  } = options || {};
  if (!parent) throw new Error("createCodeEditor: parent is required");
  let helpers = options.helpers || [];
  let names = options.names || [];
  const list = (v) => (typeof v === "function" ? v() : v);
  let silent = false;

  const readOnly = new Compartment();
  const undoKeys = onUndoKey
    ? [{ key: "Mod-z", run: () => { onUndoKey(); return false; } }, { key: "Mod-y", run: () => { onUndoKey(); return false; } },
      { key: "Mod-Shift-z", run: () => { onUndoKey(); return false; } }]
    : [];
  const extensions = [
    withLineNumbers ? lineNumbers() : [],
    withHistory ? history() : [],
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    python(),
    pythonLanguage.data.of({ autocomplete: completionSource(() => list(helpers), () => list(names)) }),
    autocompletion({ activateOnTyping: true }),
    keymap.of([...undoKeys, ...closeBracketsKeymap, ...completionKeymap, ...(withHistory ? historyKeymap : []), indentWithTab, ...defaultKeymap]),
    placeholder ? placeholderText(placeholder) : [],
    EditorView.lineWrapping,
    readOnly.of(EditorState.readOnly.of(false)),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !silent && onChange) onChange(update.state.doc.toString());
    }),
    EditorView.theme({
      "&": { fontSize: "13px", border: "1px solid var(--tc-border, #c8ccd4)", borderRadius: "3px", background: "#fff" },
      "&.cm-focused": { outline: "2px solid var(--tc-focus, #3b82f6)", outlineOffset: "-1px" },
      ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'WenQuanYi Micro Hei Mono', monospace", minHeight: "3.2em" },
      ".cm-scroller": { maxHeight: "22em", overflow: "auto" },
      ".cm-gutters": { background: "#f6f7f9", color: "#8a8f98", border: "none" },
      ".cm-tooltip-autocomplete ul li": { fontFamily: "inherit" },
    }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc: value || "", extensions }), parent });

  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      const next = text || "";
      if (next === view.state.doc.toString()) return;
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      } finally {
        silent = false;
      }
    },
    setReadOnly(on) {
      view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(!!on)) });
    },
    focus: () => view.focus(),
    hasFocus: () => view.hasFocus,
    setHelpers(next) { helpers = next || []; },
    setNames(next) { names = next || []; },
    destroy: () => view.destroy(),
  };
}
