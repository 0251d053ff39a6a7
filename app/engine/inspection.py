"""Read a parsed bundle for validation: every expression site, human task and service task, with its place."""

import re
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask

from app.engine.names import BPMN_NS, owner_id
from app.engine.scripting import check_source
from app.engine.timers import event_of, timer_nodes
from app.messages import label

UNCODED_EVENTS = (NoneEventDefinition, TimerEventDefinition)  # timers are read from the XML (timer_sites)
DMN_PLACEHOLDER = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


@dataclass(frozen=True)
class Site:
    file: str
    process_id: str
    element_id: str
    what: str  # Chinese description of the site (the catalogue's `expression_site` table)
    source: str
    mode: str  # "eval" | "exec"
    timer: str | None = None  # "date" | "duration" | "cycle" for a timer's text


@dataclass(frozen=True)
class TaskInfo:
    file: str
    process_id: str
    element_id: str
    name: str
    kind: str  # "user" | "manual" | "plain" | "start" | "service"
    lane: str | None
    properties: dict
    instructions: str | None
    operation: str | None = None
    operation_params: tuple = ()


def _specs(bundle):
    for pid, file_name in bundle.process_files.items():
        spec, _ = bundle.spec(pid)
        for task_spec in spec.task_specs.values():
            if getattr(task_spec, "bpmn_id", None):
                yield file_name, pid, task_spec


def expression_sites(bundle):
    """Every piece of designer code in the bundle's processes, as (file, element, kind, source, mode)."""
    sites = []
    for file_name, pid, ts in _specs(bundle):
        def add(site, source, mode="eval", ts=ts, file_name=file_name, pid=pid):
            if source:
                sites.append(Site(file_name, pid, ts.bpmn_id, _what(site), source, mode))
        add("script", getattr(ts, "script", None), "exec")
        add("prescript", getattr(ts, "prescript", None), "exec")
        add("postscript", getattr(ts, "postscript", None), "exec")
        definition = getattr(ts, "event_definition", None)
        if isinstance(ts, (CatchingEvent, ThrowingEvent)) and not isinstance(definition, UNCODED_EVENTS):
            add("event", getattr(definition, "expression", None))
        for param in (getattr(ts, "operation_params", None) or {}).values():
            add("service_param", param.get("value"))
        if isinstance(ts, MultiInstanceTask):
            add("cardinality", ts.cardinality)
            add("completion", ts.condition)
        sites.extend(_dmn_sites(file_name, pid, ts))
    return sites


def _what(site):
    return label("expression_site", site)


def _process_nodes(bundle, tag):
    """(file, process id, node) for every `tag` element of the executable processes, as the designer drew them."""
    for pid, file_name in bundle.process_files.items():
        process = bundle.process_element(pid)
        if process is not None:
            for node in process.iter(f"{{{BPMN_NS}}}{tag}"):
                yield file_name, pid, node


def condition_sites(bundle):
    """The condition of every sequence flow, on the flow (SpiffWorkflow keeps it on the gateway, without the flow)."""
    sites = []
    for file_name, pid, flow in _process_nodes(bundle, "sequenceFlow"):
        condition = flow.find(f"{{{BPMN_NS}}}conditionExpression")
        if condition is not None and (condition.text or "").strip():
            sites.append(Site(file_name, pid, flow.get("id"), _what("condition"), condition.text.strip(), "eval"))
    return sites


def timer_sites(bundle):
    """The text of every timer (boundary, intermediate, start, behind an event-based gateway), on its event."""
    sites = []
    for pid, file_name in bundle.process_files.items():
        process = bundle.process_element(pid)
        for node, kind in timer_nodes(process) if process is not None else ():
            text = (node.text or "").strip()
            sites.append(Site(file_name, pid, owner_id(event_of(node)), _what(f"timer_{kind}"), text or "None", "eval", kind))
    return sites


def _dmn_sites(file_name, pid, ts):
    engine = getattr(ts, "dmnEngine", None)
    if engine is None:
        return []
    table = engine.decision_table
    sites = [Site(file_name, pid, table.id, _what("dmn_input"), i.expression, "eval") for i in table.inputs if i.expression]
    for rule in table.rules:
        for entry in rule.inputEntries:
            for lhs in entry.lhs:
                if lhs:
                    sites.append(Site(file_name, pid, entry.id, _what("dmn_condition"), _dmn_condition(lhs), "eval"))
        for entry in rule.outputEntries:
            if entry.text:
                sites.append(Site(file_name, pid, entry.id, _what("dmn_output"), entry.text, "eval"))
    return sites


def _dmn_condition(text):
    """The expression SpiffWorkflow's DMN engine will evaluate for a cell, with the input as `dmninputexpr`."""
    replaced = DMN_PLACEHOLDER.sub("dmninputexpr", text)
    if "dmninputexpr" in replaced:
        return replaced
    if check_source(text, "eval") is None:
        return f"(dmninputexpr) == ({text})"
    return f"dmninputexpr {text}"


def tasks(bundle):
    """Human tasks (user, manual, plain), start events and service tasks of every process, with their properties."""
    found = []
    for file_name, pid, ts in _specs(bundle):
        kind = _kind(ts)
        if kind is None:
            continue
        ext = getattr(ts, "extensions", {}) or {}
        params = tuple(sorted((getattr(ts, "operation_params", None) or {}).keys()))
        found.append(TaskInfo(
            file_name, pid, ts.bpmn_id, ts.bpmn_name or ts.bpmn_id, kind, ts.lane, dict(ext.get("properties", {})),
            ext.get("instructionsForEndUser"), getattr(ts, "operation_name", None), params,
        ))
    return found


KINDS = {"UserTask": "user", "ManualTask": "manual", "NoneTask": "plain", "StartEvent": "start",
         "ServiceTask": "service"}
HUMAN_KINDS = frozenset({"user", "manual", "plain"})  # the tasks a person completes (bpmn:userTask, manualTask, task)


def _kind(ts):
    return KINDS.get(type(ts).__name__)


def start_messages(bundle, process_id):
    """Names of the messages that start this process (message start events)."""
    spec, _ = bundle.spec(process_id)
    names = []
    for ts in spec.task_specs.values():
        definition = getattr(ts, "event_definition", None)
        if type(ts).__name__ == "StartEvent" and type(definition).__name__ == "MessageEventDefinition":
            names.append(definition.name)
    return names
