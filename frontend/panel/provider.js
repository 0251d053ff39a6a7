// The properties panel group 平台设置 (id "tianchang"), inserted after the stock "General" group.
import {
  isCheckboxEntryEdited, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

import {
  CodeEntry, DecisionEntry, DefaultFlowEntry, DueEntry, FormEntry, InstructionsEntry, KpiEntry, LoopDataEntry, OrgEntry,
  ParameterEntry, ResultVariableEntry, RolesEntry, ServiceEntry, TitleEntry,
} from "./entries.jsx";
import {
  getBody, getCondition, getLoop, getOperator, getParameters, isGatewayBranch, setBody, setCondition, setScript,
} from "./model.js";

const LOW_PRIORITY = 500; // after the stock BPMN provider (1000), so "general" exists
const isFilled = (node) => !!(node && node.value);

function humanTaskEntries(element, translate, injector) {
  return [
    { id: "tc-form", component: FormEntry, isEdited: isSelectEntryEdited },
    {
      id: "tc-role", component: RolesEntry, isEdited: isFilled, property: "role",
      label: translate("Handling role"), description: translate("No role chosen: the lane or the initiator handles it"),
    },
    { id: "tc-org", component: OrgEntry, isEdited: isTextFieldEntryEdited },
    { id: "tc-due", component: DueEntry, isEdited: isFilled },
    { id: "tc-kpi", component: KpiEntry, isEdited: isSelectEntryEdited },
    { id: "tc-title", component: TitleEntry, isEdited: isTextFieldEntryEdited },
    { id: "tc-instructions", component: InstructionsEntry, isEdited: isTextAreaEntryEdited },
    scriptEntry("tc-prescript", "spiffworkflow:PreScript", translate("Pre-script"), translate("Runs before the task opens"), injector),
    scriptEntry("tc-postscript", "spiffworkflow:PostScript", translate("Post-script"), translate("Runs after the task is completed"), injector),
  ];
}

function scriptEntry(id, type, label, description, injector) {
  return {
    id, component: CodeEntry, isEdited: isFilled, label, description,
    getValue: (element) => getBody(element, type),
    setValue: (element, value) => setBody(injector, element, type, value),
  };
}

function serviceEntries(element, catalog) {
  const entries = [{ id: "tc-service", component: ServiceEntry, isEdited: isSelectEntryEdited }];
  const operator = getOperator(element);
  if (!operator) return entries;
  const service = catalog.service(operator.get("id"));
  const params = service ? [...service.params] : [];
  // parameters the diagram has but the service does not list: shown, so nothing is hidden
  for (const p of getParameters(operator)) {
    const name = p.get("id");
    if (name && !params.some((q) => q.name === name)) params.push({ name, label: name });
  }
  for (const param of params) {
    entries.push({ id: `tc-param-${param.name}`, component: ParameterEntry, isEdited: isTextFieldEntryEdited, param });
  }
  entries.push({ id: "tc-result", component: ResultVariableEntry, isEdited: isTextFieldEntryEdited });
  return entries;
}

export function platformEntries(element, translate, injector, catalog) {
  const bo = getBusinessObject(element);
  if (is(element, "bpmn:UserTask") || is(element, "bpmn:ManualTask")) return humanTaskEntries(element, translate, injector);
  if (is(element, "bpmn:StartEvent") && is(bo.$parent, "bpmn:Process")) {
    return [
      { id: "tc-form", component: FormEntry, isEdited: isSelectEntryEdited },
      {
        id: "tc-start-roles", component: RolesEntry, isEdited: isFilled, property: "start_roles",
        label: translate("Roles allowed to start"), description: translate("Nobody starts it by hand when none is chosen"),
      },
    ];
  }
  if (is(element, "bpmn:ServiceTask")) return serviceEntries(element, catalog);
  if (is(element, "bpmn:BusinessRuleTask")) return [{ id: "tc-decision", component: DecisionEntry, isEdited: isSelectEntryEdited }];
  if (is(element, "bpmn:ScriptTask")) {
    return [{
      id: "tc-script", component: CodeEntry, isEdited: isFilled,
      label: translate("Script"), description: translate("Python over the task data, in the sandbox"),
      placeholder: "total = price * amount",
      getValue: (el) => getBusinessObject(el).get("script"),
      setValue: (el, value) => setScript(injector, el, value),
    }];
  }
  if (isGatewayBranch(element)) {
    return [
      {
        id: "tc-condition", component: CodeEntry, isEdited: isFilled,
        label: translate("Condition"),
        description: translate("A Python expression over the task data, e.g. {example}", { example: 'decision == "accept"' }),
        getValue: (el) => getCondition(el),
        setValue: (el, value) => setCondition(injector, el, value),
      },
      { id: "tc-default", component: DefaultFlowEntry, isEdited: isCheckboxEntryEdited },
    ];
  }
  return [];
}

/** The stock 多实例 group has only 循环基数 and 完成条件: the collection and its item are what the platform runs. */
export function loopEntries(element, translate) {
  if (!getLoop(element)) return [];
  const entry = (id, which, label, description) => ({ id, which, label, description, component: LoopDataEntry,
    isEdited: isTextFieldEntryEdited });
  return [
    entry("tc-mi-collection", "loopDataInputRef", translate("Collection"),
      translate("A list in the task data: one task for each of its items, e.g. departments (chosen in the start form); leave Loop cardinality empty")),
    entry("tc-mi-element", "inputDataItem", translate("Element variable"),
      translate("The current item's name in each task, e.g. dept; the handling organisation may be dept")),
    entry("tc-mi-output-collection", "loopDataOutputRef", translate("Result collection"),
      translate("A list collecting each task's result, e.g. opinions (optional)")),
    entry("tc-mi-output-element", "outputDataItem", translate("Result element"),
      translate("The data name each task puts into the result collection, e.g. opinion (optional)")),
  ];
}

export default function PlatformPropertiesProvider(propertiesPanel, translate, injector, tianchangCatalog, eventBus) {
  this.getGroups = (element) => (groups) => {
    const multi = groups.find((g) => g.id === "multiInstance");
    if (multi) multi.entries = [...loopEntries(element, translate).map((e) => ({ ...e, element })), ...multi.entries];
    const entries = platformEntries(element, translate, injector, tianchangCatalog)
      .map((entry) => ({ ...entry, element, translate }));
    if (!entries.length) return groups;
    const group = { id: "tianchang", label: translate("Platform settings"), entries, translate };
    const general = groups.findIndex((g) => g.id === "general");
    groups.splice(general < 0 ? 0 : general + 1, 0, group);
    return groups;
  };
  propertiesPanel.registerProvider(LOW_PRIORITY, this);
  // a changed catalogue (a new form, say) re-renders the panel
  eventBus.on("tianchang.catalog.changed", () => eventBus.fire("propertiesPanel.providersChanged"));
}

PlatformPropertiesProvider.$inject = ["propertiesPanel", "translate", "injector", "tianchangCatalog", "eventBus"];
