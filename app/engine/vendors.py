"""What a diagram says beyond the platform's own properties: read where the platform has a meaning for it, and
named in a warning where it is ignored.

Read into a task's properties in the tree SpiffWorkflow gets (the working copy, never the uploaded file), under names
a designer cannot write (`spiffworkflow:property` names are checked against the platform's list before this):

- `documentation`: the text of a human task's `bpmn:documentation` (its instructions when it has none of its own);
- `lane_id`: the id of the lane a human task is in (SpiffWorkflow keeps the lane's name only);
- `candidate_groups`, `assignee`, `form_key`: Camunda 7's `candidateGroups`, `assignee`, `formRef`/`formKey` on a
  human task (Flowable's and Activiti's attributes of the same names too);
- `candidate_starter_groups`: Camunda 7's `candidateStarterGroups` of a process, on its start events.

What they mean (roles, forms, users) is decided by app/definitions/defaults.py. Any other attribute or extension
element of another vendor inside an executable process is ignored, with one warning per element.
"""

import copy

from lxml import etree

from app.engine.names import BPMN_NS, describe, local_name, owner
from app.engine.problems import warning
from app.messages import msg

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
OWN_NAMESPACES = {BPMN_NS, SPIFF_NS, "http://www.w3.org/2001/XMLSchema-instance",
                  "http://www.w3.org/XML/1998/namespace", None}
CAMUNDA_NAMESPACES = {"http://camunda.org/schema/1.0/bpmn", "http://activiti.org/bpmn", "http://flowable.org/bpmn"}
HUMAN_TASKS = ("userTask", "manualTask", "task")
# Camunda attribute -> the property it is read into; formRef wins over formKey, its binding and version go with it.
TASK_ATTRIBUTES = {"candidateGroups": "candidate_groups", "assignee": "assignee", "formKey": "form_key",
                   "formRef": "form_key", "formRefBinding": None, "formRefVersion": None}
PROCESS_ATTRIBUTES = {"candidateStarterGroups": "candidate_starter_groups"}
READ_PROPERTIES = ("documentation", "lane_id", "candidate_groups", "assignee", "form_key", "candidate_starter_groups")


def read_conventions(root):
    """The tree with what other conventions say written as properties; `root` itself when there is nothing."""
    work = copy.deepcopy(root)
    lanes = {(ref.text or ""): ref.getparent().get("id") for ref in work.iter(f"{{{BPMN_NS}}}flowNodeRef")}
    changed = False
    for process in work.iter(f"{{{BPMN_NS}}}process"):
        starters = _camunda(process, PROCESS_ATTRIBUTES)
        for start in process.findall(f"{{{BPMN_NS}}}startEvent") if starters else ():
            changed |= _write(start, starters)
    for tag in HUMAN_TASKS:
        for node in work.iter(f"{{{BPMN_NS}}}{tag}"):
            found = _camunda(node, TASK_ATTRIBUTES)
            documentation = node.findtext(f"{{{BPMN_NS}}}documentation")
            if documentation and documentation.strip():
                found["documentation"] = documentation.strip()
            if lanes.get(node.get("id")):
                found["lane_id"] = lanes[node.get("id")]
            changed |= _write(node, found)
    return work if changed else root


def _camunda(node, attributes):
    """{property: value} for the Camunda-style attributes of a node that are read (formRef before formKey)."""
    found = {}
    for key, value in sorted(node.attrib.items(), key=lambda item: item[0].endswith("}formRef")):
        name = etree.QName(key)
        if name.namespace in CAMUNDA_NAMESPACES and attributes.get(name.localname) and value.strip():
            found[attributes[name.localname]] = value.strip()
    return found


def _write(node, properties):
    """Add `properties` to the node's `spiffworkflow:properties` (made if missing); True if any was written."""
    if not properties:
        return False
    extensions = node.find(f"{{{BPMN_NS}}}extensionElements")
    if extensions is None:
        extensions = etree.Element(f"{{{BPMN_NS}}}extensionElements")
        node.insert(1 if node.find(f"{{{BPMN_NS}}}documentation") is not None else 0, extensions)
    holder = extensions.find(f"{{{SPIFF_NS}}}properties")
    if holder is None:
        holder = etree.SubElement(extensions, f"{{{SPIFF_NS}}}properties")
    for name, value in sorted(properties.items()):
        etree.SubElement(holder, f"{{{SPIFF_NS}}}property", name=name, value=value)
    return True


def vendor_warnings(root, file_name):
    """One warning per element of an executable process that carries other vendors' attributes or extensions."""
    found = {}
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        if process.get("isExecutable", "true") != "true":
            continue
        for node in process.iter(f"{{{BPMN_NS}}}*"):
            names = _ignored(node)
            holder = owner(node)
            if names:
                found.setdefault(process if holder is None else holder, []).extend(names)
    return [warning(file_name, node.get("id"), node.sourceline, msg(
        "def.vendor_ignored", element=describe(node), names="、".join(names))) for node, names in found.items()]


def _ignored(node):
    """The foreign attributes of a BPMN element that are not read, and the foreign elements of its extensions."""
    kind = local_name(node)
    read = TASK_ATTRIBUTES if kind in HUMAN_TASKS else PROCESS_ATTRIBUTES if kind == "process" else {}
    names = []
    for key in node.attrib:
        name = etree.QName(key)
        if name.namespace not in OWN_NAMESPACES and not (name.namespace in CAMUNDA_NAMESPACES and name.localname in read):
            names.append(_prefixed(node, key))
    if kind == "extensionElements":
        names += [_prefixed(child, child.tag) for child in node
                  if isinstance(child.tag, str) and etree.QName(child).namespace not in OWN_NAMESPACES]
    return names


def _prefixed(node, key):
    """`camunda:asyncBefore` for a namespaced name, by the prefix the file declares for it."""
    name = etree.QName(key)
    prefix = next((p for p, uri in node.nsmap.items() if uri == name.namespace and p), None)
    return f"{prefix}:{name.localname}" if prefix else name.localname
