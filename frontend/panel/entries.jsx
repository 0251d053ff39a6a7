// The entries of the 平台设置 group. Every component is defined here, once, at module level: a component created
// inside getGroups() would be a new preact type on each render, its input would remount and a pending debounced
// edit would be lost (see ../shared/research/frontend.md, pitfall 2). All texts go through translate().
import {
  CheckboxEntry, SelectEntry, TextAreaEntry, TextFieldEntry,
} from "@bpmn-io/properties-panel";
import { useEffect, useMemo, useRef, useState } from "@bpmn-io/properties-panel/preact/hooks";
import { useService } from "bpmn-js-properties-panel";

import { dataNames } from "../catalog.js";
import { createCodeEditor } from "../code_editor.js";
import {
  getBody, getLoopItem, getLoopRef, getOperator, getParameter, getProperty, isDefaultFlow, isEmpty, loopItemProblem,
  loopRefProblem, setBody, setDefaultFlow, setLoopItem, setLoopRef, setParameter, setProperties, setProperty,
  setResultVariable, setService,
} from "./model.js";

const INSTRUCTIONS = "spiffworkflow:InstructionsForEndUser";
const DECISION = "spiffworkflow:CalledDecisionId";

function useCommon() {
  return {
    translate: useService("translate"),
    injector: useService("injector"),
    debounce: useService("debounceInput"),
    catalog: useService("tianchangCatalog"),
  };
}

function withUnknown(options, value, label) {
  if (!isEmpty(value) && !options.some((o) => o.value === value)) options.push({ value, label });
  return options;
}

// --- 表单 -------------------------------------------------------------------------------------------------------

export function FormEntry(props) {
  const { element, id } = props;
  const { translate, injector, catalog } = useCommon();
  const current = getProperty(element, "form") || "";
  const getOptions = () => {
    const options = [{ value: "", label: translate("<generic form>") }];
    for (const form of catalog.get().forms) {
      const name = form.name || form.id;
      options.push({
        value: form.id,
        label: translate(form.draft ? "{name} ({id}, draft)" : "{name} ({id})", { name, id: form.id }),
      });
    }
    return withUnknown(options, current, translate("Unknown form {id}", { id: current }));
  };
  return (
    <div class="tc-entry tc-form-entry">
      <SelectEntry
        element={element}
        id={id}
        label={translate("Form")}
        getValue={() => getProperty(element, "form") || ""}
        setValue={(value) => setProperty(injector, element, "form", value)}
        getOptions={getOptions}
      />
      <div class="tc-entry-actions">
        <button type="button" class="tc-button" disabled={!current} onClick={() => catalog.openForm(current)}>
          {translate("Open")}
        </button>
        <button type="button" class="tc-button" onClick={() => catalog.newForm(element)}>
          {translate("New form")}
        </button>
      </div>
    </div>
  );
}

// --- 办理角色 / 可发起角色: several role codes, comma-separated ------------------------------------------------------

const splitCodes = (value) => (value || "").split(",").map((c) => c.trim()).filter(Boolean);

export function RolesEntry(props) {
  const { element, id, property, label, description } = props;
  const { translate, injector, catalog } = useCommon();
  const value = getProperty(element, property) || "";
  const codes = splitCodes(value);
  const roles = catalog.get().roles;
  const unknown = codes.filter((c) => !roles.some((r) => r.code === c));
  const toggle = (code, on) => {
    const next = on ? [...codes.filter((c) => c !== code), code] : codes.filter((c) => c !== code);
    setProperty(injector, element, property, next.join(","));
  };
  const item = (code, text, title) => (
    <label class="tc-check" title={title} key={code}>
      <input type="checkbox" checked={codes.includes(code)} onChange={(e) => toggle(code, e.target.checked)} />
      <span>{text}</span>
    </label>
  );
  return (
    <div class="bio-properties-panel-entry tc-entry tc-roles" data-entry-id={id}>
      <div class="bio-properties-panel-label" id={`bio-properties-panel-${id}-label`}>{label}</div>
      <input type="hidden" class="bio-properties-panel-input" value={value} />
      <div class="tc-checks" role="group" aria-labelledby={`bio-properties-panel-${id}-label`}>
        {roles.map((r) => item(r.code, r.name || r.code, r.code))}
        {unknown.map((c) => item(c, translate("Unknown role {code}", { code: c }), c))}
      </div>
      {description && <div class="bio-properties-panel-description">{description}</div>}
    </div>
  );
}

// --- 办理单位: an expression, with the helper list as suggestions ----------------------------------------------------

export function OrgEntry(props) {
  const { element, id } = props;
  const { translate, injector, debounce, catalog } = useCommon();
  const helpers = catalog.get().org_helpers;
  return (
    <div class="tc-entry tc-org">
      <TextFieldEntry
        element={element}
        id={id}
        label={translate("Handling organisation")}
        description={translate("Empty: the initiator's organisation")}
        getValue={() => getProperty(element, "org") || ""}
        setValue={(value) => setProperty(injector, element, "org", value)}
        debounce={debounce}
      />
      {helpers.length > 0 && (
        <ul class="tc-suggestions" aria-label={translate("Click to use")}>
          {helpers.map((h) => (
            <li key={h.expr}>
              <button type="button" class="tc-suggestion" title={translate("Click to use")}
                onClick={() => setProperty(injector, element, "org", h.expr)}>
                <code>{h.expr}</code>
              </button>
              {h.doc && <span class="tc-suggestion-doc">{h.doc}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// --- 办理时限: number + unit (P3D / PT4H), 按工作日计算 (calendar=working), or an expression --------------------------

const DAYS = /^P(\d+)D$/;
const HOURS = /^PT(\d+)H$/;

export function parseDue(value) {
  if (isEmpty(value)) return { mode: "none", amount: "", unit: "D", text: "" };
  let m = DAYS.exec(value);
  if (m) return { mode: "duration", amount: m[1], unit: "D", text: value };
  m = HOURS.exec(value);
  if (m) return { mode: "duration", amount: m[1], unit: "H", text: value };
  return { mode: "expression", amount: "", unit: "D", text: value };
}

export function formatDue(amount, unit) {
  const n = String(amount || "").trim();
  if (!/^\d+$/.test(n) || Number(n) <= 0) return undefined;
  return unit === "H" ? `PT${Number(n)}H` : `P${Number(n)}D`;
}

export function DueEntry(props) {
  const { element, id } = props;
  const { translate, injector, debounce, catalog } = useCommon();
  const value = getProperty(element, "due") || "";
  const working = getProperty(element, "calendar") === "working";
  const [state, setState] = useState(() => parseDue(value));
  const written = useRef(value);
  const shown = useRef(element);

  // follow changes made elsewhere (undo, another element), not the echo of our own writes
  useEffect(() => {
    if (shown.current !== element || value !== written.current) {
      shown.current = element;
      written.current = value;
      setState(parseDue(value));
    }
  }, [element, value]);

  const writeLater = useMemo(() => debounce((target, next) => {
    written.current = next || "";
    setProperty(injector, target, "due", next);
  }), [element]);
  useEffect(() => () => writeLater.flush && writeLater.flush(), [writeLater]);
  // an immediate write (another unit, another mode) drops a typed amount's pending one: that one was computed with
  // the old unit, and would land later (4 小时 written, then P4D over it)
  const cancelPending = () => writeLater.cancel && writeLater.cancel();
  const write = (next) => {
    cancelPending();
    written.current = next || "";
    setProperty(injector, element, "due", next);
  };

  const setMode = (mode) => {
    setState({ ...state, mode });
    if (mode === "none") {
      cancelPending();
      written.current = "";
      setProperties(injector, element, { due: undefined, calendar: undefined });
    } else if (mode === "duration") {
      write(formatDue(state.amount, state.unit));
    } else if (mode === "expression") {
      const text = state.text || value;
      setState({ ...state, mode, text });
      write(text);
    }
  };
  const inputId = `bio-properties-panel-${id}`;
  return (
    <div class="bio-properties-panel-entry tc-entry tc-due" data-entry-id={id}>
      <label class="bio-properties-panel-label" for={`${inputId}-mode`}>{translate("Time limit")}</label>
      <input type="hidden" class="bio-properties-panel-input" value={value} />
      <select id={`${inputId}-mode`} class="bio-properties-panel-input tc-select" aria-label={translate("Time limit mode")}
        value={state.mode} onChange={(e) => setMode(e.target.value)}>
        <option value="none">{translate("No time limit")}</option>
        <option value="duration">{translate("By duration")}</option>
        <option value="expression">{translate("By expression")}</option>
      </select>
      {state.mode === "duration" && (
        <div class="tc-due-duration">
          <input id={`${inputId}-amount`} type="number" min="1" step="1" inputMode="numeric"
            class="bio-properties-panel-input tc-number" aria-label={translate("Amount")} value={state.amount}
            onInput={(e) => {
              const amount = e.target.value;
              setState({ ...state, amount });
              writeLater(element, formatDue(amount, state.unit));
            }} />
          <select id={`${inputId}-unit`} class="bio-properties-panel-input tc-select" aria-label={translate("Unit")}
            value={state.unit} onChange={(e) => {
              const unit = e.target.value;
              setState({ ...state, unit });
              write(formatDue(state.amount, unit));
            }}>
            <option value="D">{translate("days")}</option>
            <option value="H">{translate("hours")}</option>
          </select>
        </div>
      )}
      {state.mode === "expression" && (
        <input id={`${inputId}-expression`} type="text" spellcheck={false} class="bio-properties-panel-input tc-code-input"
          aria-label={translate("By expression")} value={state.text} placeholder="response_due"
          onInput={(e) => {
            const text = e.target.value;
            setState({ ...state, text });
            writeLater(element, text);
          }} />
      )}
      {state.mode === "expression" && (
        <div class="bio-properties-panel-description">{translate("An expression giving an ISO date-time or duration, e.g. response_due")}</div>
      )}
      {state.mode !== "none" && (catalog.get().working_calendar !== false || working) && (
        <label class="tc-switch">
          <input id={`${inputId}-working`} type="checkbox" role="switch" checked={working}
            onChange={(e) => setProperty(injector, element, "calendar", e.target.checked ? "working" : undefined)} />
          <span class="tc-switch-track" aria-hidden="true"></span>
          <span>{translate("Count working days only")}</span>
        </label>
      )}
    </div>
  );
}

// --- 考核指标, 待办标题 ----------------------------------------------------------------------------------------------

export function KpiEntry(props) {
  const { element, id } = props;
  const { translate, injector, catalog } = useCommon();
  const current = getProperty(element, "kpi") || "";
  return (
    <SelectEntry
      element={element}
      id={id}
      label={translate("KPI")}
      getValue={() => getProperty(element, "kpi") || ""}
      setValue={(value) => setProperty(injector, element, "kpi", value)}
      getOptions={() => withUnknown(
        [{ value: "", label: translate("<none>") }, ...catalog.get().kpis.map((k) => ({ value: k.code, label: k.name || k.code }))],
        current, current)}
    />
  );
}

export function TitleEntry(props) {
  const { element, id } = props;
  const { translate, injector, debounce } = useCommon();
  return (
    <TextFieldEntry
      element={element}
      id={id}
      label={translate("Task title")}
      description={translate("Shown in the to-do list; a Jinja template over the task data, e.g. {example}", { example: "{{ call_no }}" })}
      getValue={() => getProperty(element, "title") || ""}
      setValue={(value) => setProperty(injector, element, "title", value)}
      debounce={debounce}
    />
  );
}

// --- 办理说明 with a server-rendered preview ------------------------------------------------------------------------

export function InstructionsEntry(props) {
  const { element, id } = props;
  const { translate, injector, debounce, catalog } = useCommon();
  const [preview, setPreview] = useState(null); // null | {loading} | {html} | {error}
  const host = useRef(null);
  useEffect(() => setPreview(null), [element]);

  const showPreview = async () => {
    const textarea = host.current && host.current.querySelector("textarea");
    const markdown = textarea ? textarea.value : getBody(element, INSTRUCTIONS) || "";
    const { preview_url: url, csrf_token: token } = catalog.get();
    if (isEmpty(markdown)) {
      setPreview({ html: "", empty: true });
      return;
    }
    setPreview({ loading: true });
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token || "" },
        body: JSON.stringify({ markdown }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      setPreview({ html: data.html || "" });
    } catch (err) {
      setPreview({ error: err.message || "?" });
    }
  };

  return (
    <div class="tc-entry tc-instructions" ref={host}>
      <div style={preview ? "display:none" : undefined}>
        <TextAreaEntry
          element={element}
          id={id}
          label={translate("Instructions")}
          description={translate("Markdown; a Jinja template over the task data")}
          getValue={() => getBody(element, INSTRUCTIONS) || ""}
          setValue={(value) => setBody(injector, element, INSTRUCTIONS, value)}
          debounce={debounce}
          rows={4}
          autoResize
        />
      </div>
      {preview && (
        <div class="bio-properties-panel-entry">
          <div class="bio-properties-panel-label">{translate("{label} (preview)", { label: translate("Instructions") })}</div>
          {preview.loading && <div class="tc-preview tc-muted">{translate("Generating the preview…")}</div>}
          {preview.error && <div class="tc-preview tc-preview-error">{translate("The preview failed ({status})", { status: preview.error })}</div>}
          {preview.empty && <div class="tc-preview tc-muted">{translate("Nothing to preview")}</div>}
          {preview.html !== undefined && !preview.empty && <div class="tc-preview" dangerouslySetInnerHTML={{ __html: preview.html }} />}
        </div>
      )}
      <div class="tc-entry-actions">
        <button type="button" class="tc-button" aria-pressed={!!preview} disabled={!catalog.get().preview_url}
          onClick={() => (preview ? setPreview(null) : showPreview())}>
          {preview ? translate("Back to editing") : translate("Preview")}
        </button>
      </div>
    </div>
  );
}

// --- scripts and conditions: the CodeMirror editor -------------------------------------------------------------------

/**
 * props: getValue(element), setValue(element, text), label, description, placeholder.
 */
export function CodeEntry(props) {
  const { element, id, label, description, placeholder } = props;
  const { debounce, catalog } = useCommon();
  const value = props.getValue(element) || "";
  const host = useRef(null);
  const editor = useRef(null);
  const pending = useRef(false);
  const latest = useRef({});

  const commit = useMemo(() => {
    const target = element;
    const setter = props.setValue;
    return debounce((text) => {
      pending.current = false;
      setter(target, text);
    });
  }, [element]);
  latest.current = { commit, element };
  useEffect(() => () => commit.flush && commit.flush(), [commit]);

  useEffect(() => {
    editor.current = createCodeEditor({
      parent: host.current,
      value,
      placeholder,
      history: false,
      lineNumbers: false,
      helpers: () => catalog.get().helpers,
      names: () => dataNames(latest.current.element, catalog.get()),
      onUndoKey: () => latest.current.commit.flush && latest.current.commit.flush(),
      onChange: (text) => {
        pending.current = true;
        latest.current.commit(text);
      },
    });
    const content = host.current.querySelector(".cm-content");
    if (content) {
      content.setAttribute("aria-labelledby", `bio-properties-panel-${id}-label`);
      content.setAttribute("id", `bio-properties-panel-${id}`);
    }
    return () => editor.current.destroy();
  }, []);

  useEffect(() => {
    if (editor.current && !pending.current) editor.current.setValue(value);
  }, [value, element]);

  return (
    <div class="bio-properties-panel-entry tc-entry tc-code" data-entry-id={id}>
      <label class="bio-properties-panel-label" id={`bio-properties-panel-${id}-label`}
        onClick={() => editor.current && editor.current.focus()}>{label}</label>
      <input type="hidden" class="bio-properties-panel-input" value={value} />
      <div class="tc-code-host" ref={host}></div>
      {description && <div class="bio-properties-panel-description">{description}</div>}
    </div>
  );
}

// --- 调用服务, its parameters, 结果变量 --------------------------------------------------------------------------------
// the options name each service in Chinese only (a long label and its code did not fit the panel's width); the
// chosen one's code is the description below

export function ServiceEntry(props) {
  const { element, id } = props;
  const { translate, injector, catalog } = useCommon();
  const operator = getOperator(element);
  const current = (operator && operator.get("id")) || "";
  return (
    <SelectEntry
      element={element}
      id={id}
      label={translate("Service")}
      description={current ? translate("Operation {name}", { name: current }) : undefined}
      getValue={() => current}
      setValue={(name) => setService(injector, element, name, catalog.service(name))}
      getOptions={() => withUnknown(
        [{ value: "", label: translate("<choose a service>") },
          ...catalog.get().services.map((s) => ({ value: s.name, label: s.label || s.name }))],
        current, translate("Unknown service {name}", { name: current }))}
    />
  );
}

export function ParameterEntry(props) {
  const { element, id, param } = props;
  const { translate, injector, debounce, catalog } = useCommon();
  const label = param.label || param.name;
  return (
    <TextAreaEntry
      element={element}
      id={id}
      label={param.required ? translate("{label} (required)", { label }) : label}
      description={translate("An expression (parameter {name}): a data name as it is, text in quotes, e.g. {example}",
        { name: param.name, example: '"town_leader"' })}
      monospace
      autoResize
      rows={1}
      getValue={() => {
        const p = getParameter(element, param.name);
        return (p && p.get("value")) || "";
      }}
      setValue={(value) => {
        // a text field commits on blur, also when it is removed because another service was chosen: a parameter
        // the current service does not list and the diagram no longer has is not written back
        const operator = getOperator(element);
        const service = operator && catalog.service(operator.get("id"));
        const listed = service && service.params.some((p) => p.name === param.name);
        if (!listed && !getParameter(element, param.name)) return;
        setParameter(injector, element, param.name, value);
      }}
      validate={param.required ? (value) => (isEmpty(value) ? translate("Required: write an expression over the task data") : null) : undefined}
      debounce={debounce}
    />
  );
}

export function ResultVariableEntry(props) {
  const { element, id } = props;
  const { translate, injector, debounce } = useCommon();
  return (
    <TextFieldEntry
      element={element}
      id={id}
      label={translate("Result variable")}
      description={translate("The service's result is stored under this name")}
      getValue={() => {
        const op = getOperator(element);
        return (op && op.get("resultVariable")) || "";
      }}
      setValue={(value) => setResultVariable(injector, element, value)}
      validate={(value) => (isEmpty(value) || /^[A-Za-z_]\w*$/.test(value.trim()) ? null : translate("A data name: letters, digits and _, not starting with a digit"))}
      debounce={debounce}
    />
  );
}

// --- 决策表 -------------------------------------------------------------------------------------------------------

export function DecisionEntry(props) {
  const { element, id } = props;
  const { translate, injector, catalog } = useCommon();
  const current = (getBody(element, DECISION) || "").trim();
  return (
    <SelectEntry
      element={element}
      id={id}
      label={translate("Decision table")}
      getValue={() => current}
      setValue={(value) => setBody(injector, element, DECISION, value)}
      getOptions={() => withUnknown(
        [{ value: "", label: translate("<choose a decision table>") },
          ...catalog.get().decisions.map((d) => ({ value: d.id, label: translate("{name} ({id})", { name: d.name || d.id, id: d.id }) }))],
        current, translate("Unknown decision table {id}", { id: current }))}
    />
  );
}

// --- 默认分支 -----------------------------------------------------------------------------------------------------

export function DefaultFlowEntry(props) {
  const { element, id } = props;
  const { translate, injector } = useCommon();
  return (
    <CheckboxEntry
      element={element}
      id={id}
      label={translate("Default branch")}
      description={translate("Taken when no other branch's condition holds; a default branch needs no condition")}
      getValue={() => isDefaultFlow(element)}
      setValue={(on) => setDefaultFlow(injector, element, on)}
    />
  );
}

// --- 多实例: the collection a task runs over, its item, and what it collects -----------------------------------------

/**
 * props.which: loopDataInputRef | loopDataOutputRef (a collection) or inputDataItem | outputDataItem (an item).
 */
export function LoopDataEntry(props) {
  const { element, id, which, label, description } = props;
  const { translate, injector, debounce } = useCommon();
  const collection = which.endsWith("Ref");
  const problem = (value) => (collection ? loopRefProblem : loopItemProblem)(injector, element, which, value);
  return (
    <TextFieldEntry
      element={element}
      id={id}
      label={label}
      description={description}
      getValue={() => (collection ? getLoopRef(element, which) : getLoopItem(element, which)) || ""}
      setValue={(value) => (collection ? setLoopRef : setLoopItem)(injector, element, which, value)}
      validate={(value) => {
        const found = problem(value);
        if (found === "name") return translate("A data name: letters, digits and _, not starting with a digit");
        if (found === "taken") return translate("{name} is already the id of another element: choose another name", { name: value.trim() });
        return null;
      }}
      debounce={debounce}
    />
  );
}
