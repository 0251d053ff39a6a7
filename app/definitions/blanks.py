"""New files for the studio: an empty diagram, a copy of a process under a new id, an empty form."""

import json
import re

from lxml import etree

from app.engine.names import BPMN_NS
from app.engine.parser import SPIFF_NS, harden_parse
from app.errors import ValidationFailed
from app.messages import msg

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
NSMAP = {"bpmn": BPMN_NS, "bpmndi": DI_NS, "dc": DC_NS, "spiffworkflow": SPIFF_NS}
FORM_SCHEMA_VERSION = 19


def check_id(value, field):
    """A process or form id is an XML name (letters, digits, `_`, `-`, `.`; not starting with a digit)."""
    if not isinstance(value, str) or not NCNAME.match(value):
        raise ValidationFailed(msg("design.bad_id", value=value), {field: [msg("design.bad_id", value=value)]})
    return value


def check_name(value, field):
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text or len(text) > 128:
        raise ValidationFailed(msg("design.bad_name"), {field: [msg("design.bad_name")]})
    return text


def empty_process(process_id, name):
    """A diagram with one start event, drawn, ready for the palette."""
    root = etree.Element(f"{{{BPMN_NS}}}definitions", nsmap=NSMAP, id=f"defs_{process_id}",
                         targetNamespace="http://bpmn.io/schema/bpmn")
    process = etree.SubElement(root, f"{{{BPMN_NS}}}process", id=process_id, name=name, isExecutable="true")
    etree.SubElement(process, f"{{{BPMN_NS}}}startEvent", id="start", name=msg("design.blank_start"))
    diagram = etree.SubElement(root, f"{{{DI_NS}}}BPMNDiagram", id=f"diagram_{process_id}")
    plane = etree.SubElement(diagram, f"{{{DI_NS}}}BPMNPlane", id=f"plane_{process_id}", bpmnElement=process_id)
    shape = etree.SubElement(plane, f"{{{DI_NS}}}BPMNShape", id="start_di", bpmnElement="start")
    etree.SubElement(shape, f"{{{DC_NS}}}Bounds", x="180", y="160", width="36", height="36")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def copy_process(content, old_id, new_id, name):
    """The diagram of `old_id` as a new process `new_id` named `name`: the process and what points at it renamed."""
    root = harden_parse(content)
    found = root.xpath("//*[local-name()='process' and @id=$id]", id=old_id)
    if not found:
        raise ValidationFailed(msg("def.no_process", pid=old_id), {"copy_of": [msg("def.no_process", pid=old_id)]})
    found[0].set("id", new_id)
    found[0].set("name", name)
    for node in root.xpath("//*[@processRef=$id]", id=old_id):
        node.set("processRef", new_id)
    for node in root.xpath("//*[local-name()='BPMNPlane' and @bpmnElement=$id]", id=old_id):
        node.set("bpmnElement", new_id)
    for participant in root.xpath("//*[local-name()='participant' and @processRef=$id]", id=new_id):
        participant.set("name", name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def empty_form(form_id, name):
    schema = {"type": "default", "id": form_id, "schemaVersion": FORM_SCHEMA_VERSION,
              "components": [{"type": "text", "id": f"{form_id}_title", "text": f"# {name}"}]}
    return json.dumps(schema, ensure_ascii=False, indent=2).encode("utf-8")
