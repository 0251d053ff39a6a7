"""What a bundle's files say, element by element: read for comparing two versions and for following a form's data.

A BPMN process is read into items (flow nodes, sequence flows, lanes, data objects), each a flat map of aspects
(`@name`, `property:form`, `script`, `condition`, `timer:timeDuration`, `param:item` …) and, apart, its layout (DI
and annotations). A form-js form is read into its fields by data path, a DMN decision into its columns and rules.
Everything is read from the XML or JSON as written (a draft need not build); nothing here runs designer code.
"""

import json
from dataclasses import dataclass, field

from lxml import etree

from app.engine.names import BPMN_NS, local_name
from app.engine.parser import FLOW_NODE_TAGS, SPIFF_NS

CONTAINER_TAGS = {"subProcess", "transaction", "adHocSubProcess"}
ITEM_TAGS = FLOW_NODE_TAGS | CONTAINER_TAGS | {
    "complexGateway", "sequenceFlow", "dataObject", "dataObjectReference", "dataStoreReference"}
ARTIFACT_TAGS = {"textAnnotation", "association", "group"}  # not executed: counted with the layout
SKIPPED = {"incoming", "outgoing", "laneSet", "flowNodeRef", "childLaneSet"}
BPMN_DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
FORM_CONTAINERS = {"group", "dynamiclist"}
FORM_SKIPPED = {"id", "type", "key", "path", "layout", "components"}


@dataclass
class Item:
    id: str
    kind: str  # the element's local name, a form component's type, "rule", "input", "output"
    node: object  # the lxml element, or the form component (a dict)
    aspects: dict  # aspect -> value (text, or a JSON value for forms)
    parent: str | None = None  # the enclosing sub-process (BPMN), for following flows into and out of it


@dataclass
class ProcessView:
    id: str
    node: object
    items: dict  # id -> Item, in document order; the process itself is one, under its id
    layout: dict = field(default_factory=dict)  # element id -> its geometry and annotations, as text


def read_bpmn(root):
    """({process id: ProcessView}, {id: Item} of the definitions' other elements: messages, signals, pools …)."""
    geometry = _geometry(root)
    participants = {p.get("processRef"): p.get("id") for p in root.iter(f"{{{BPMN_NS}}}participant")}
    processes, shared = {}, {}
    for child in _bpmn_children(root):
        kind = local_name(child)
        if kind == "process" and child.get("id"):
            processes[child.get("id")] = _process(child, geometry, participants.get(child.get("id")))
        elif kind == "collaboration":
            for part in _bpmn_children(child):
                if part.get("id") and local_name(part) not in ARTIFACT_TAGS:
                    shared[part.get("id")] = Item(part.get("id"), local_name(part), part, aspects_of(part))
        elif child.get("id"):
            shared[child.get("id")] = Item(child.get("id"), kind, child, aspects_of(child))
    return processes, shared


def _process(node, geometry, participant):
    lanes = {}
    for lane in node.iter(f"{{{BPMN_NS}}}lane"):  # nested lanes come later: a node's lane is the innermost
        for ref in lane.findall(f"{{{BPMN_NS}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane.get("id")
    pid = node.get("id")
    view = ProcessView(pid, node, {pid: Item(pid, "process", node, aspects_of(node))})
    artifacts = {}
    _walk(node, None, view.items, artifacts, lanes)
    owned = set(view.items) | set(artifacts) | {participant}
    view.layout = {i: g for i, g in geometry.items() if i in owned}
    for artifact_id, text in artifacts.items():
        view.layout[artifact_id] = (view.layout.get(artifact_id) or "") + text
    return view


def _walk(container, parent, items, artifacts, lanes):
    for child in _bpmn_children(container):
        kind, element_id = local_name(child), child.get("id")
        if kind == "laneSet":
            for lane in child.iter(f"{{{BPMN_NS}}}lane"):
                items[lane.get("id")] = Item(lane.get("id"), "lane", lane, aspects_of(lane), parent)
        elif kind in ARTIFACT_TAGS and element_id:
            artifacts[element_id] = canonical(child)
        elif kind in ITEM_TAGS and element_id:
            items[element_id] = Item(element_id, kind, child, aspects_of(child, lanes), parent)
            if kind in CONTAINER_TAGS:
                _walk(child, element_id, items, artifacts, lanes)


def _bpmn_children(node):
    return [c for c in node if isinstance(c.tag, str) and etree.QName(c).namespace == BPMN_NS]


def aspects_of(node, lanes=None):
    """The flat aspects of one element: its attributes, lane, extensions, code, event definitions, loop settings."""
    aspects = {f"@{_qualified(node, key)}": value for key, value in node.attrib.items() if key != "id"}
    lane = (lanes or {}).get(node.get("id"))
    if lane:
        aspects["lane"] = lane
    for child in node:
        if not isinstance(child.tag, str):
            continue
        kind = local_name(child)
        if kind in SKIPPED or kind in ARTIFACT_TAGS or (kind in ITEM_TAGS and child.get("id")):
            continue
        reader = CHILD_READERS.get(kind)
        if reader is not None:
            reader(child, aspects)
        elif kind.endswith("EventDefinition"):
            _event(child, aspects)
        else:
            _add(aspects, f"other:{kind}", canonical(child))
    return aspects


def _add(aspects, key, value):
    aspects[key] = f"{aspects[key]}\n{value}" if key in aspects else value


def _text(node):
    return (node.text or "").strip()


def _extensions(node, aspects):
    for child in node:
        if not isinstance(child.tag, str):
            continue
        kind = local_name(child)
        if etree.QName(child).namespace != SPIFF_NS:
            _add(aspects, f"ext:{_qualified(child, child.tag)}", canonical(child))
        elif kind == "properties":
            for prop in child.findall(f"{{{SPIFF_NS}}}property"):
                aspects[f"property:{prop.get('name', '')}"] = prop.get("value", "")
        elif kind == "serviceTaskOperator":
            aspects["service"] = child.get("id", "")
            if child.get("resultVariable"):
                aspects["service.result"] = child.get("resultVariable")
            for param in child.iter(f"{{{SPIFF_NS}}}parameter"):
                aspects[f"param:{param.get('id', '')}"] = param.get("value", "")
        elif len(child):
            _add(aspects, f"spiff:{kind}", canonical(child))
        else:
            aspects[f"spiff:{kind}"] = _text(child)


def _multi_instance(node, aspects):
    aspects["mi"] = "sequential" if node.get("isSequential") == "true" else "parallel"
    for child in node:
        if not isinstance(child.tag, str):
            continue
        kind = local_name(child)
        if kind in ("inputDataItem", "outputDataItem"):
            aspects[f"mi.{kind}"] = child.get("name") or child.get("id") or ""
        elif kind in ("loopCardinality", "loopDataInputRef", "loopDataOutputRef", "completionCondition"):
            aspects[f"mi.{kind}"] = _text(child)
        else:
            _add(aspects, "mi.other", canonical(child))


def _event(node, aspects):
    kind = local_name(node)
    attributes = ", ".join(f"{_qualified(node, k)}={v}" for k, v in sorted(node.attrib.items()) if k != "id")
    aspects[f"event:{kind}"] = attributes or kind
    for child in node:
        if not isinstance(child.tag, str):
            continue
        inner = local_name(child)
        if inner in ("timeDate", "timeDuration", "timeCycle"):
            aspects[f"timer:{inner}"] = _text(child)
        elif inner == "condition":
            aspects["event.condition"] = _text(child)
        else:
            _add(aspects, f"event:{kind}", canonical(child))


CHILD_READERS = {
    "documentation": lambda node, aspects: _add(aspects, "documentation", _text(node)),
    "extensionElements": _extensions,
    "script": lambda node, aspects: aspects.__setitem__("script", _text(node)),
    "conditionExpression": lambda node, aspects: aspects.__setitem__("condition", _text(node)),
    "multiInstanceLoopCharacteristics": _multi_instance,
    "standardLoopCharacteristics": lambda node, aspects: aspects.__setitem__("loop", canonical(node)),
}


def canonical(node):
    """An element as comparable text: local names, attributes sorted (ids left out), stripped texts, children."""
    if not isinstance(node.tag, str):
        return ""
    attributes = ",".join(f"{_qualified(node, k)}={v}" for k, v in sorted(node.attrib.items()) if k != "id")
    inner = "".join(canonical(child) for child in node)
    return f"<{local_name(node)}[{attributes}]{_text(node)}{inner}>"


def _qualified(node, key):
    """`name` for a plain attribute, `camunda:formKey` for one in a namespace (by the file's prefix)."""
    name = etree.QName(key)
    if name.namespace is None:
        return name.localname
    prefix = next((p for p, uri in node.nsmap.items() if uri == name.namespace and p), None)
    return f"{prefix}:{name.localname}" if prefix else name.localname


def _geometry(root):
    """{element id: its shapes' and edges' bounds, waypoints and label, as text} of every diagram in the file."""
    found = {}
    for node in root.iter():
        if isinstance(node.tag, str) and node.get("bpmnElement") and etree.QName(node).namespace == BPMN_DI_NS:
            found[node.get("bpmnElement")] = found.get(node.get("bpmnElement"), "") + canonical(node)
    return found


# --- forms ---

@dataclass
class FormView:
    id: str
    name: str | None
    fields: dict  # data path -> Item (kind: the component type); dynamic lists' fields as `list[].key`
    layout: dict  # a component's place (parent, position, layout), and the content of display components


def read_form(data, default_id):
    """A form-js schema (a dict) read into its fields by data path; ValueError if it is not form-js."""
    if not isinstance(data, dict) or not isinstance(data.get("components"), list):
        raise ValueError("not form-js")
    form_id = data.get("id") if isinstance(data.get("id"), str) and data.get("id") else default_id
    name = next((data[k] for k in ("name", "title") if isinstance(data.get(k), str) and data[k].strip()), None)
    view = FormView(form_id, name, {}, {})
    _form_walk(data["components"], "", view)
    return view


def _form_walk(components, prefix, view):
    for index, component in enumerate(components):
        if not isinstance(component, dict):
            continue
        kind = component.get("type")
        path = component.get("path") if kind in FORM_CONTAINERS else component.get("key")
        place = _json([prefix, index, component.get("layout")])
        if isinstance(path, str) and path:
            full = prefix + path
            view.fields[full] = Item(full, str(kind), component, _field_aspects(component))
            view.layout[full] = place
            if kind in FORM_CONTAINERS:
                _form_walk(component.get("components") or [], full + ("[]." if kind == "dynamiclist" else "."), view)
        else:
            content = {k: v for k, v in component.items() if k != "components"}
            view.layout[component.get("id") or f"{prefix}#{index}"] = place + _json(content)
            _form_walk(component.get("components") or [], prefix, view)


def _field_aspects(component):
    aspects = {}
    for key, value in component.items():
        if key in FORM_SKIPPED:
            continue
        if key == "validate" and isinstance(value, dict):
            aspects.update({f"validate.{k}": v for k, v in value.items()})
        else:
            aspects[key] = value
    return aspects


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


# --- decisions ---

@dataclass
class DecisionView:
    id: str
    name: str
    node: object
    table: dict  # aspects of the decision and its table: name, hit policy, aggregation, anything else
    inputs: dict  # column id -> Item (aspects label, expression, typeRef)
    outputs: dict  # column id -> Item (aspects label, name, typeRef)
    rules: list  # Items in table order; aspects `description`, `cell:<column id>`


def read_dmn(root):
    """{decision id: DecisionView} of a DMN file; input cells `-` read as empty, as SpiffWorkflow reads them."""
    decisions = {}
    for node in root:
        if isinstance(node.tag, str) and local_name(node) == "decision" and node.get("id"):
            decisions[node.get("id")] = _decision(node)
    return decisions


def _decision(node):
    view = DecisionView(node.get("id"), (node.get("name") or "").strip(), node, {}, {}, {}, [])
    view.table["@name"] = node.get("name") or ""
    for child in _children(node):
        if local_name(child) == "decisionTable":
            _table(child, view)
        elif local_name(child) != "description":
            _add(view.table, f"other:{local_name(child)}", canonical(child))
    return view


def _table(table, view):
    for key in ("hitPolicy", "aggregation", "preferredOrientation"):
        if table.get(key):
            view.table[f"@{key}"] = table.get(key)
    inputs, outputs = [], []
    for child in _children(table):
        kind = local_name(child)
        if kind == "input":
            expression = next((c for c in _children(child) if local_name(c) == "inputExpression"), None)
            aspects = {"label": child.get("label") or "", "expression": _cell(expression),
                       "typeRef": expression.get("typeRef") if expression is not None else None}
            inputs.append(Item(child.get("id") or f"input{len(inputs) + 1}", "input", child, aspects))
        elif kind == "output":
            aspects = {"label": child.get("label") or "", "name": child.get("name") or "", "typeRef": child.get("typeRef")}
            outputs.append(Item(child.get("id") or f"output{len(outputs) + 1}", "output", child, aspects))
        elif kind == "rule":
            view.rules.append(_rule(child, inputs, outputs, len(view.rules)))
    view.inputs = {i.id: i for i in inputs}
    view.outputs = {o.id: o for o in outputs}


def _rule(node, inputs, outputs, index):
    aspects = {}
    entries = {"inputEntry": [], "outputEntry": []}
    for child in _children(node):
        if local_name(child) == "description":
            aspects["description"] = _text(child)
        elif local_name(child) in entries:
            entries[local_name(child)].append(child)
    for columns, kind in ((inputs, "inputEntry"), (outputs, "outputEntry")):
        for column, entry in zip(columns, entries[kind], strict=False):
            text = _cell(entry)
            aspects[f"cell:{column.id}"] = "" if kind == "inputEntry" and text == "-" else text
    return Item(node.get("id") or f"#{index + 1}", "rule", node, aspects)


def _children(node):
    return [c for c in node if isinstance(c.tag, str)]


def _cell(node):
    """The text of an entry or expression (its `text` child)."""
    if node is None:
        return ""
    found = next((c for c in _children(node) if local_name(c) == "text"), None)
    return _text(found) if found is not None else ""
