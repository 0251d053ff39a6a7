// Reading and writing the spiffworkflow:* extension elements the engine reads, through the command stack (undo works).
//
// Conventions (processes/README.md): <bpmn:extensionElements> holds one <spiffworkflow:properties> with
// <spiffworkflow:property name value> (form, role, org, due, calendar, title, kpi, start_roles),
// <spiffworkflow:instructionsForEndUser>, <spiffworkflow:preScript>, <spiffworkflow:postScript>,
// <spiffworkflow:calledDecisionId> (text bodies) and <spiffworkflow:serviceTaskOperator id resultVariable> with
// <spiffworkflow:parameters>/<spiffworkflow:parameter id type value>. An emptied value is removed, and so is a
// container left empty (no value="" and no empty <bpmn:extensionElements>), except <spiffworkflow:parameters>,
// which the XSD requires inside an operator.
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

export const MULTI = "properties-panel.multi-command-executor";

export const isEmpty = (value) => value === undefined || value === null || String(value).trim() === "";

export function extensionValues(element, type) {
  const bo = getBusinessObject(element);
  const ext = bo && bo.get("extensionElements");
  const values = (ext && ext.get("values")) || [];
  return type ? values.filter((v) => is(v, type)) : values;
}

export function getProperties(element) {
  return extensionValues(element, "spiffworkflow:Properties")[0];
}

export function getProperty(element, name) {
  const props = getProperties(element);
  const found = props && (props.get("properties") || []).find((p) => p.get("name") === name);
  return found ? found.get("value") : undefined;
}

export function getBody(element, type) {
  const found = extensionValues(element, type)[0];
  return found ? found.get("value") : undefined;
}

export function getOperator(element) {
  return extensionValues(element, "spiffworkflow:ServiceTaskOperator")[0];
}

export function getParameters(operator) {
  const list = operator && operator.get("parameters");
  return (list && list.get("parameters")) || [];
}

export function getParameter(element, id) {
  return getParameters(getOperator(element)).find((p) => p.get("id") === id);
}

/**
 * Builds the commands that change an element's extension elements; execute() runs them as one undoable step.
 */
class Changes {
  constructor(injector, element) {
    this.injector = injector;
    this.element = element;
    this.bo = getBusinessObject(element);
    this.commands = [];
    this.factory = injector.get("bpmnFactory");
  }

  update(moddleElement, properties) {
    this.commands.push({ cmd: "element.updateModdleProperties", context: { element: this.element, moddleElement, properties } });
  }

  create(type, attrs, parent) {
    const created = this.factory.create(type, attrs);
    created.$parent = parent;
    return created;
  }

  /** The extensionElements, created (as a pending command) when missing. */
  extensionElements() {
    let ext = this.bo.get("extensionElements");
    if (!ext) {
      ext = this.create("bpmn:ExtensionElements", { values: [] }, this.bo);
      this.update(this.bo, { extensionElements: ext });
    }
    return ext;
  }

  /** Append a child to a list property of `parent`, given the list as it will be once earlier commands ran. */
  append(parent, listName, current, child) {
    this.update(parent, { [listName]: [...current, child] });
    return [...current, child];
  }

  /** Remove `child` from the extension elements; drop them when left empty. */
  removeExtension(child) {
    const ext = this.bo.get("extensionElements");
    const rest = ext.get("values").filter((v) => v !== child);
    if (rest.length) this.update(ext, { values: rest });
    else this.update(this.bo, { extensionElements: undefined });
  }

  execute() {
    if (!this.commands.length) return false;
    const commandStack = this.injector.get("commandStack");
    if (this.commands.length === 1) commandStack.execute(this.commands[0].cmd, this.commands[0].context);
    else commandStack.execute(MULTI, this.commands);
    return true;
  }
}

/** Set (or, empty, remove) one spiffworkflow:property. */
export function setProperty(injector, element, name, value) {
  return setProperties(injector, element, { [name]: value });
}

/** Set several spiffworkflow:property values in one undoable step: {name: value}; an empty value removes it. */
export function setProperties(injector, element, values) {
  const changes = new Changes(injector, element);
  const props = getProperties(element);
  const before = (props && props.get("properties")) || [];
  let list = before;
  for (const [name, value] of Object.entries(values)) {
    const existing = list.find((p) => p.get("name") === name);
    if (isEmpty(value)) {
      if (existing) list = list.filter((p) => p !== existing);
    } else if (existing) {
      if (existing.get("value") !== value) changes.update(existing, { value });
    } else {
      list = [...list, changes.create("spiffworkflow:Property", { name, value }, props)];
    }
  }
  if (list !== before) {
    if (!list.length) {
      changes.removeExtension(props);
    } else if (props) {
      changes.update(props, { properties: list });
    } else {
      const ext = changes.extensionElements();
      const container = changes.create("spiffworkflow:Properties", { properties: list }, ext);
      list.forEach((p) => { p.$parent = container; });
      changes.append(ext, "values", ext.get("values") || [], container);
    }
  }
  return changes.execute();
}

/** Set (or, empty, remove) a text-body element such as spiffworkflow:preScript. */
export function setBody(injector, element, type, value) {
  const changes = new Changes(injector, element);
  const existing = extensionValues(element, type)[0];
  if (isEmpty(value)) {
    if (!existing) return false;
    changes.removeExtension(existing);
  } else if (existing) {
    if (existing.get("value") === value) return false;
    changes.update(existing, { value });
  } else {
    const ext = changes.extensionElements();
    changes.append(ext, "values", ext.get("values") || [], changes.create(type, { value }, ext));
  }
  return changes.execute();
}

/**
 * Choose the service an operator calls (empty: remove the operator). Parameters the new service also has keep
 * their expressions; the others are dropped, since they mean nothing to it.
 */
export function setService(injector, element, name, service) {
  const changes = new Changes(injector, element);
  const operator = getOperator(element);
  if (isEmpty(name)) {
    if (!operator) return false;
    changes.removeExtension(operator);
    return changes.execute();
  }
  if (operator) {
    if (operator.get("id") === name) return false;
    changes.update(operator, { id: name });
    const known = service ? new Set(service.params.map((p) => p.name)) : null;
    const list = operator.get("parameters");
    if (known && list) changes.update(list, { parameters: getParameters(operator).filter((p) => known.has(p.get("id"))) });
    if (!list) changes.update(operator, { parameters: changes.create("spiffworkflow:Parameters", { parameters: [] }, operator) });
  } else {
    const ext = changes.extensionElements();
    const created = changes.create("spiffworkflow:ServiceTaskOperator", { id: name }, ext);
    created.set("parameters", changes.create("spiffworkflow:Parameters", { parameters: [] }, created));
    changes.append(ext, "values", ext.get("values") || [], created);
  }
  return changes.execute();
}

/** Set (or, empty, remove) the expression of one parameter of the operator (type "any"). */
export function setParameter(injector, element, id, value) {
  const operator = getOperator(element);
  if (!operator) return false;
  const changes = new Changes(injector, element);
  let list = operator.get("parameters");
  const params = getParameters(operator);
  const existing = params.find((p) => p.get("id") === id);
  if (isEmpty(value)) {
    if (!existing) return false;
    changes.update(list, { parameters: params.filter((p) => p !== existing) });
  } else if (existing) {
    if (existing.get("value") === value) return false;
    changes.update(existing, { value });
  } else {
    if (!list) {
      list = changes.create("spiffworkflow:Parameters", { parameters: [] }, operator);
      changes.update(operator, { parameters: list });
    }
    changes.append(list, "parameters", params, changes.create("spiffworkflow:Parameter", { id, type: "any", value }, list));
  }
  return changes.execute();
}

export function setResultVariable(injector, element, value) {
  const operator = getOperator(element);
  if (!operator) return false;
  const next = isEmpty(value) ? undefined : value.trim();
  if ((operator.get("resultVariable") || undefined) === next) return false;
  const changes = new Changes(injector, element);
  changes.update(operator, { resultVariable: next });
  return changes.execute();
}

/** A script task's bpmn:script (scriptFormat python); empty removes both. */
export function setScript(injector, element, value) {
  const bo = getBusinessObject(element);
  const modeling = injector.get("modeling");
  if (isEmpty(value)) {
    if (bo.get("script") === undefined && bo.get("scriptFormat") === undefined) return false;
    modeling.updateProperties(element, { script: undefined, scriptFormat: undefined });
  } else {
    if (bo.get("script") === value && bo.get("scriptFormat") === "python") return false;
    modeling.updateProperties(element, { script: value, scriptFormat: "python" });
  }
  return true;
}

export function getCondition(element) {
  const expr = getBusinessObject(element).get("conditionExpression");
  return expr ? expr.get("body") : undefined;
}

/** A sequence flow's condition, a bpmn:FormalExpression; empty removes it. */
export function setCondition(injector, element, value) {
  const bo = getBusinessObject(element);
  const modeling = injector.get("modeling");
  const expr = bo.get("conditionExpression");
  if (isEmpty(value)) {
    if (!expr) return false;
    modeling.updateProperties(element, { conditionExpression: undefined });
  } else if (expr) {
    if (expr.get("body") === value) return false;
    modeling.updateModdleProperties(element, expr, { body: value });
  } else {
    const created = injector.get("bpmnFactory").create("bpmn:FormalExpression", { body: value });
    modeling.updateProperties(element, { conditionExpression: created });
  }
  return true;
}

export function isDefaultFlow(element) {
  const bo = getBusinessObject(element);
  const source = bo.get("sourceRef");
  return !!source && source.get("default") === bo;
}

/**
 * Make a flow its gateway's default (or not). As bpmn-js' own "default flow" replacement does, a flow that
 * becomes the default loses its condition: the engine takes the default only when no condition holds.
 */
export function setDefaultFlow(injector, element, on) {
  const bo = getBusinessObject(element);
  const source = bo.get("sourceRef");
  const registry = injector.get("elementRegistry");
  const gateway = source && registry.get(source.id);
  if (!gateway || isDefaultFlow(element) === !!on) return false;
  const commands = [{ cmd: "element.updateProperties", context: { element: gateway, properties: { default: on ? bo : undefined } } }];
  if (on && bo.get("conditionExpression")) {
    commands.push({ cmd: "element.updateProperties", context: { element, properties: { conditionExpression: undefined } } });
  }
  injector.get("commandStack").execute(MULTI, commands);
  return true;
}

export function isGatewayBranch(element) {
  if (!is(element, "bpmn:SequenceFlow")) return false;
  const source = getBusinessObject(element).get("sourceRef");
  return !!source && (is(source, "bpmn:ExclusiveGateway") || is(source, "bpmn:InclusiveGateway"));
}

// --- multi-instance: the collection a task runs over and the name of its current item (SpiffWorkflow reads the
// texts: <bpmn:loopDataInputRef>departments</…> names the list in the task data, <bpmn:inputDataItem id="dept"
// name="dept"/> the item). A collection is a bpmn:Property of the activity whose id is the data name (as the
// shipped procedures write it: <bpmn:property id="departments" name="departments"/>); an item's id is its name.

export const DATA_NAME = /^[A-Za-z_]\w*$/;
const LOOP_REFS = { loopDataInputRef: "loopDataOutputRef", loopDataOutputRef: "loopDataInputRef" };
const LOOP_ITEMS = { inputDataItem: "bpmn:DataInput", outputDataItem: "bpmn:DataOutput" };

export function getLoop(element) {
  const loop = getBusinessObject(element).get("loopCharacteristics");
  return loop && is(loop, "bpmn:MultiInstanceLoopCharacteristics") ? loop : null;
}

/** Every moddle element of the diagram, once (the definitions walked as the catalogue's data names are). */
function allNodes(injector) {
  const out = [];
  const seen = new Set();
  const stack = [injector.get("bpmnjs").getDefinitions()];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (node.$type) out.push(node);
    for (const p of (node.$descriptor && node.$descriptor.properties) || []) {
      if (p.isReference || p.isAttr || p.isVirtual) continue;
      const value = node.get(p.name);
      if (Array.isArray(value)) stack.push(...value);
      else if (value && typeof value === "object") stack.push(value);
    }
  }
  return out;
}

/** The element of the diagram that has `id` already, other than `except`, or null. */
export function idTaken(injector, id, except) {
  return allNodes(injector).find((n) => n.id === id && n !== except) || null;
}

export function getLoopRef(element, which) {
  const loop = getLoop(element);
  const ref = loop && loop.get(which);
  return ref ? ref.get("id") : undefined;
}

/** Why `value` cannot name the collection (`which`: loopDataInputRef | loopDataOutputRef), or null. */
export function loopRefProblem(injector, element, which, value) {
  if (isEmpty(value)) return null;
  const name = value.trim();
  if (!DATA_NAME.test(name)) return "name";
  const taken = idTaken(injector, name);
  return taken && !is(taken, "bpmn:Property") ? "taken" : null;
}

/** Set (or, empty, remove) a multi-instance collection: a property of the activity named by the data name. */
export function setLoopRef(injector, element, which, value) {
  const loop = getLoop(element);
  if (!loop || loopRefProblem(injector, element, which, value)) return false;
  const name = isEmpty(value) ? null : value.trim();
  const current = loop.get(which);
  if ((current ? current.get("id") : null) === name) return false;
  const changes = new Changes(injector, element);
  const bo = changes.bo;
  let properties = bo.get("properties") || [];
  const before = properties;
  let target;
  if (name) {
    target = allNodes(injector).find((n) => n.id === name && is(n, "bpmn:Property"));
    if (!target) {
      target = changes.create("bpmn:Property", { id: name, name }, bo);
      properties = [...properties, target];
    }
  }
  // the property this element held for the old name goes, unless something else still points at it
  if (current && properties.includes(current)) {
    const other = loop.get(LOOP_REFS[which]);
    const used = other === current || allNodes(injector).some((n) => n !== loop && is(n, "bpmn:MultiInstanceLoopCharacteristics")
      && (n.get("loopDataInputRef") === current || n.get("loopDataOutputRef") === current));
    if (!used) properties = properties.filter((p) => p !== current);
  }
  if (properties !== before) changes.update(bo, { properties });
  changes.update(loop, { [which]: target || undefined });
  return changes.execute();
}

export function getLoopItem(element, which) {
  const loop = getLoop(element);
  const item = loop && loop.get(which);
  return item ? item.get("name") || item.get("id") : undefined;
}

export function loopItemProblem(injector, element, which, value) {
  if (isEmpty(value)) return null;
  const name = value.trim();
  if (!DATA_NAME.test(name)) return "name";
  const loop = getLoop(element);
  return idTaken(injector, name, loop && loop.get(which)) ? "taken" : null;
}

/** Set (or, empty, remove) the name of a multi-instance item (`which`: inputDataItem | outputDataItem). */
export function setLoopItem(injector, element, which, value) {
  const loop = getLoop(element);
  if (!loop || loopItemProblem(injector, element, which, value)) return false;
  const name = isEmpty(value) ? null : value.trim();
  const current = loop.get(which);
  if ((current ? current.get("name") || current.get("id") : null) === name) return false;
  const changes = new Changes(injector, element);
  changes.update(loop, { [which]: name ? changes.create(LOOP_ITEMS[which], { id: name, name }, loop) : undefined });
  return changes.execute();
}
