"""Draw BPMN files with lanes and diagram interchange from a compact description.

Used to draw the first versions of the procedures in processes/ (run `python scripts/draw_procedures.py`);
after that, 编办 edits the diagrams in the browser like any other. Nodes sit on a grid of columns within lanes.
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

COL_W, LANE_H, LEFT = 150, 150, 90
SIZES = {"task": (110, 80), "event": (36, 36), "gateway": (50, 50)}


@dataclass
class Node:
    id: str
    name: str
    kind: str  # startEvent, endEvent, userTask, serviceTask, scriptTask, businessRuleTask, callActivity, ...
    lane: str
    col: float
    body: str = ""
    attrs: dict = field(default_factory=dict)

    @property
    def shape(self):
        if self.kind.endswith("Event"):
            return "event"
        if self.kind.endswith("Gateway"):
            return "gateway"
        return "task"


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str | None = None


class Diagram:
    def __init__(self, process_id, name, lanes):
        self.process_id, self.name, self.lanes = process_id, name, lanes  # lanes: [(id, name)]
        self.nodes, self.flows, self.boundaries, self.messages = [], [], [], {}
        self.declared = set()  # data names declared as properties (see multi_instance)

    def add(self, kind, node_id, name, lane, col, body="", **attrs):
        self.nodes.append(Node(node_id, name, kind, lane, col, body, attrs))
        return node_id

    def boundary(self, node_id, attached, name, timer, interrupting=True, kind="timeDate"):
        body = (f'<bpmn:timerEventDefinition id="{node_id}_def"><bpmn:{kind} xsi:type="bpmn:tFormalExpression">'
                f"{escape(timer)}</bpmn:{kind}></bpmn:timerEventDefinition>")
        self.boundaries.append((node_id, attached, name, body, interrupting))
        return node_id

    def flow(self, source, target, name="", condition=None):
        self.flows.append(Flow(f"flow_{source}_{target}", source, target, name, condition))

    def message(self, message_id):
        self.messages[message_id] = message_id

    def xml(self):
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
            'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
            'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'id="defs_{self.process_id}" targetNamespace="http://tianchang.gov.cn/bpmn" '
            'exporter="tianchang" exporterVersion="1">',
            f'  <bpmn:collaboration id="collab_{self.process_id}">',
            f'    <bpmn:participant id="pool_{self.process_id}" name={quoteattr(self.name)} '
            f'processRef="{self.process_id}" />',
            "  </bpmn:collaboration>",
        ]
        lines += [f'  <bpmn:message id="{m}" name="{m}" />' for m in self.messages]
        lines.append(f'  <bpmn:process id="{self.process_id}" name={quoteattr(self.name)} isExecutable="true">')
        lines.append(f'    <bpmn:laneSet id="lanes_{self.process_id}">')
        for lane_id, lane_name in self.lanes:
            refs = "".join(f"<bpmn:flowNodeRef>{n.id}</bpmn:flowNodeRef>" for n in self.nodes if n.lane == lane_id)
            refs += "".join(f"<bpmn:flowNodeRef>{b[0]}</bpmn:flowNodeRef>" for b in self.boundaries
                            if self._node(b[1]).lane == lane_id)
            lines.append(f'      <bpmn:lane id="{lane_id}" name={quoteattr(lane_name)}>{refs}</bpmn:lane>')
        lines.append("    </bpmn:laneSet>")
        for node in self.nodes:
            lines.append("    " + self._node_xml(node))
        for node_id, attached, name, body, interrupting in self.boundaries:
            outs = "".join(f"<bpmn:outgoing>{f.id}</bpmn:outgoing>" for f in self.flows if f.source == node_id)
            lines.append(f'    <bpmn:boundaryEvent id="{node_id}" name={quoteattr(name)} '
                         f'cancelActivity="{"true" if interrupting else "false"}" attachedToRef="{attached}">'
                         f"{outs}{body}</bpmn:boundaryEvent>")
        for f in self.flows:
            cond = (f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(f.condition)}'
                    "</bpmn:conditionExpression>") if f.condition else ""
            name = f" name={quoteattr(f.name)}" if f.name else ""
            lines.append(f'    <bpmn:sequenceFlow id="{f.id}"{name} sourceRef="{f.source}" targetRef="{f.target}"'
                         + (f">{cond}</bpmn:sequenceFlow>" if cond else " />"))
        lines.append("  </bpmn:process>")
        lines += self._di()
        lines.append("</bpmn:definitions>")
        return "\n".join(lines) + "\n"

    def _node(self, node_id):
        return next(n for n in self.nodes if n.id == node_id)

    def _node_xml(self, node):
        attrs = "".join(f" {k}={quoteattr(str(v))}" for k, v in node.attrs.items())
        ins = "".join(f"<bpmn:incoming>{f.id}</bpmn:incoming>" for f in self.flows if f.target == node.id)
        outs = "".join(f"<bpmn:outgoing>{f.id}</bpmn:outgoing>" for f in self.flows if f.source == node.id)
        inner = node.body
        ext, rest = "", inner
        if inner.startswith("<bpmn:extensionElements>"):
            end = inner.index("</bpmn:extensionElements>") + len("</bpmn:extensionElements>")
            ext, rest = inner[:end], inner[end:]
        return (f'<bpmn:{node.kind} id="{node.id}" name={quoteattr(node.name)}{attrs}>{ext}{ins}{outs}{rest}'
                f"</bpmn:{node.kind}>")

    def _bounds(self, node):
        w, h = SIZES[node.shape]
        lane_index = [lane for lane, _ in self.lanes].index(node.lane)
        cx = LEFT + 60 + node.col * COL_W
        cy = lane_index * LANE_H + LANE_H / 2
        return cx - w / 2, cy - h / 2, w, h

    def _di(self):
        width = LEFT + 60 + (max(n.col for n in self.nodes) + 1) * COL_W
        out = [f'  <bpmndi:BPMNDiagram id="diagram_{self.process_id}">',
               f'    <bpmndi:BPMNPlane id="plane_{self.process_id}" bpmnElement="collab_{self.process_id}">',
               f'      <bpmndi:BPMNShape id="pool_{self.process_id}_di" bpmnElement="pool_{self.process_id}" '
               f'isHorizontal="true"><dc:Bounds x="0" y="0" width="{width:.0f}" '
               f'height="{len(self.lanes) * LANE_H}" /></bpmndi:BPMNShape>']
        for i, (lane_id, _) in enumerate(self.lanes):
            out.append(f'      <bpmndi:BPMNShape id="{lane_id}_di" bpmnElement="{lane_id}" isHorizontal="true">'
                       f'<dc:Bounds x="30" y="{i * LANE_H}" width="{width - 30:.0f}" height="{LANE_H}" />'
                       "</bpmndi:BPMNShape>")
        for node in self.nodes:
            x, y, w, h = self._bounds(node)
            marker = ' isMarkerVisible="true"' if node.kind == "exclusiveGateway" else ""
            out.append(f'      <bpmndi:BPMNShape id="{node.id}_di" bpmnElement="{node.id}"{marker}>'
                       f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" /></bpmndi:BPMNShape>')
        for node_id, attached, *_ in self.boundaries:
            x, y, w, h = self._bounds(self._node(attached))
            offset = 18 + 40 * [b[0] for b in self.boundaries if b[1] == attached].index(node_id)
            out.append(f'      <bpmndi:BPMNShape id="{node_id}_di" bpmnElement="{node_id}">'
                       f'<dc:Bounds x="{x + offset:.0f}" y="{y + h - 18:.0f}" width="36" height="36" />'
                       "</bpmndi:BPMNShape>")
        for f in self.flows:
            out.append(f'      <bpmndi:BPMNEdge id="{f.id}_di" bpmnElement="{f.id}">{self._waypoints(f)}'
                       "</bpmndi:BPMNEdge>")
        out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>"]
        return out

    def _waypoints(self, f):
        sx, sy = self._exit(f.source)
        tx, ty = self._entry(f.target, sx)
        points = [(sx, sy)]
        if abs(sy - ty) > 1:
            mid = sx if any(b[0] == f.source for b in self.boundaries) else (sx + tx) / 2 if tx > sx else sx + 20
            points += [(mid, sy), (mid, ty)] if tx > sx else [(sx + 20, sy), (sx + 20, ty)]
        points.append((tx, ty))
        return "".join(f'<di:waypoint x="{x:.0f}" y="{y:.0f}" />' for x, y in points)

    def _exit(self, node_id):
        for b in self.boundaries:
            if b[0] == node_id:
                x, y, w, h = self._bounds(self._node(b[1]))
                offset = 18 + 40 * [c[0] for c in self.boundaries if c[1] == b[1]].index(node_id)
                return x + offset + 18, y + h + 18
        x, y, w, h = self._bounds(self._node(node_id))
        return x + w, y + h / 2

    def _entry(self, node_id, from_x):
        x, y, w, h = self._bounds(self._node(node_id))
        if from_x > x + w:  # a flow going back enters from the bottom
            return x + w / 2, y + h
        return x, y + h / 2


def properties(**props):
    rows = "".join(f"<spiffworkflow:property name={quoteattr(k)} value={quoteattr(str(v))} />"
                   for k, v in props.items() if v is not None)
    return f"<spiffworkflow:properties>{rows}</spiffworkflow:properties>"


def extensions(*parts):
    return "<bpmn:extensionElements>" + "".join(parts) + "</bpmn:extensionElements>"


def instructions(text):
    return f"<spiffworkflow:instructionsForEndUser>{escape(text)}</spiffworkflow:instructionsForEndUser>"


def script_ext(kind, code):
    return f"<spiffworkflow:{kind}>{escape(code)}</spiffworkflow:{kind}>"


def operator(name, result_variable, **params):
    rows = "".join(f'<spiffworkflow:parameter id="{k}" type="any" value={quoteattr(v)} />' for k, v in params.items())
    return (f'<spiffworkflow:serviceTaskOperator id="{name}" resultVariable="{result_variable}">'
            f"<spiffworkflow:parameters>{rows}</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>")


def multi_instance(collection, item, output_collection, output_item, owner=None, declared=None):
    """SpiffWorkflow names the variables by the data items' ids, so ids must be unique within the file.

    The collections are declared once per file as activity properties, so that the references resolve for
    bpmn-js (SpiffWorkflow reads them as task data names and ignores the properties).
    """
    declared = declared if declared is not None else set()
    props = "".join(f'<bpmn:property id="{name}" name="{name}" />' for name in (collection, output_collection)
                    if name not in declared)
    declared.update((collection, output_collection))
    return (props + f"<bpmn:multiInstanceLoopCharacteristics><bpmn:loopDataInputRef>{collection}</bpmn:loopDataInputRef>"
            f"<bpmn:loopDataOutputRef>{output_collection}</bpmn:loopDataOutputRef>"
            f'<bpmn:inputDataItem id="{item}" name="{item}" /><bpmn:outputDataItem id="{output_item}" '
            f'name="{output_item}" /></bpmn:multiInstanceLoopCharacteristics>')
