"""Constructs SpiffWorkflow 3.2 accepts and then runs wrong, found at deploy (issue 9: run to the end, or say why not).

Each is refused on its element with what to draw instead, warned about where it works in part and a designer may
still want it, or normalised in the working copy SpiffWorkflow reads where a small change makes it right:

- an ad hoc sub-process without a data object fails at start (SpiffWorkflow pops `data_objects` from task data
  that only a data object puts there): the working copy gets an empty data object;
- a sequential ad hoc sub-process is run in parallel (SpiffWorkflow looks for a namespaced `bpmn:ordering`, which
  no modeller writes, so it never sees `ordering="Sequential"`), and one without a completion condition fails at
  start: both refused;
- an event sub-process started by a message (never registered as a wait), by an error, escalation or compensation
  (read as a none start, run when the process starts), or interrupting (SpiffWorkflow does not read
  `isInterrupting`; BPMN's default is interrupting): refused; a non-interrupting timer one keeps the instance
  running after its flow has ended, until the timer fires: a warning;
- link events (read as none events, the flow ends at the throw) and script tasks without a script: refused;
- a signal caught where no process of its call tree throws it: signals do not travel between instances, a warning.

Only executable processes are checked: the others are stored and viewed, never run.
"""

import copy

from app.engine.names import BPMN_NS, describe, local_name
from app.engine.problems import Problem, warning
from app.messages import label, msg

SIGNAL_THROWS = {"intermediateThrowEvent", "endEvent"}
SIGNAL_CATCHES = {"intermediateCatchEvent", "boundaryEvent", "startEvent"}
START_TRIGGERS = {"errorEventDefinition": "error", "escalationEventDefinition": "escalation",
                  "compensateEventDefinition": "compensation"}


def _q(tag):
    return f"{{{BPMN_NS}}}{tag}"


def unsupported_problems(bpmn):
    """Errors and warnings for the executable processes of `bpmn` ({file: tree SpiffWorkflow reads}); a tree that
    needs normalising is replaced in `bpmn` by a normalised copy."""
    problems = []
    for name in sorted(bpmn):
        bpmn[name] = _normalised(bpmn[name])
        for process in _executable(bpmn[name]):
            for node in process.iter(_q("*")):
                problems.extend(_node_problems(name, node))
    problems.extend(_signal_warnings(bpmn))
    return problems


def _executable(root):
    return [p for p in root.iter(_q("process")) if p.get("isExecutable", "true") == "true"]


def _normalised(root):
    """`root`, or a copy whose ad hoc sub-processes each hold a data object."""
    if all(node.find(_q("dataObject")) is not None for node in root.iter(_q("adHocSubProcess"))):
        return root
    work = copy.deepcopy(root)
    for node in work.iter(_q("adHocSubProcess")):
        if node.find(_q("dataObject")) is None:
            data = node.makeelement(_q("dataObject"), {"id": f"{node.get('id')}__adhoc_data"})
            node.insert(0, data)
    return work


def _node_problems(name, node):
    kind = local_name(node)
    if kind == "scriptTask" and not (node.findtext(_q("script")) or "").strip():
        return [_error(name, node, "def.script_missing")]
    if node.find(_q("linkEventDefinition")) is not None:
        return [_error(name, node, "def.link_event")]
    if kind == "adHocSubProcess":
        return _adhoc_problems(name, node)
    if kind == "startEvent" and _in_event_subprocess(node):
        return _event_start_problems(name, node)
    return []


def _adhoc_problems(name, node):
    if (node.get("ordering") or "").lower() == "sequential":
        return [_error(name, node, "def.on", reason=msg("spiff.adhoc_sequential"))]
    if node.find(_q("completionCondition")) is None:
        return [_error(name, node, "def.adhoc_no_condition")]
    return []


def _in_event_subprocess(node):
    parent = node.getparent()
    return parent is not None and local_name(parent) == "subProcess" and parent.get("triggeredByEvent") == "true"


def _event_start_problems(name, start):
    """The start event of an event sub-process: what its trigger and interrupting flag make of it."""
    definitions = {local_name(c) for c in start if isinstance(c.tag, str) and local_name(c).endswith("Definition")}
    if "messageEventDefinition" in definitions:
        return [_error(name, start, "def.esp_message")]
    for definition, kind in START_TRIGGERS.items():
        if definition in definitions:
            return [_error(name, start, "def.esp_trigger", kind=label("element_kind", kind))]
    if start.get("isInterrupting", "true") != "false":
        return [_error(name, start, "def.esp_interrupting")]
    if "timerEventDefinition" in definitions:
        return [warning(name, start.get("id"), start.sourceline,
                        msg("def.esp_timer_after_end", element=describe(start.getparent())))]
    return []


def _error(name, node, key, **params):
    return Problem(name, node.get("id"), node.sourceline, msg(key, element=describe(node), **params))


def _signal_warnings(bpmn):
    """A warning on each signal catch whose signal no process of its call tree throws (an instance and the
    processes it calls are one workflow; signals reach no other)."""
    processes = {}  # process id -> (file, process element, root)
    for name, root in sorted(bpmn.items()):
        for process in _executable(root):
            processes.setdefault(process.get("id"), (name, process, root))
    group = _call_groups(processes)
    thrown = {}  # group -> signal names thrown in it
    for pid, (_name, process, root) in processes.items():
        thrown.setdefault(group[pid], set()).update(s for _n, s in _signals(process, root, SIGNAL_THROWS))
    problems = []
    for pid, (name, process, root) in processes.items():
        for node, signal in _signals(process, root, SIGNAL_CATCHES):
            if signal not in thrown[group[pid]]:
                problems.append(warning(name, node.get("id"), node.sourceline, msg(
                    "def.signal_other_instance", element=describe(node), signal=signal)))
    return problems


def _signals(process, root, kinds):
    """(event, signal name) for the events of `kinds` in the process (its sub-processes included)."""
    names = {s.get("id"): (s.get("name") or s.get("id")) for s in root.iter(_q("signal"))}
    for definition in process.iter(_q("signalEventDefinition")):
        event = definition.getparent()
        if local_name(event) in kinds:
            ref = definition.get("signalRef") or ""
            yield event, names.get(ref, ref)


def _call_groups(processes):
    """Process id -> the id that stands for its group: processes joined by call activities, either way."""
    parent = {pid: pid for pid in processes}

    def find(pid):
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    for pid, (_name, process, _root) in processes.items():
        for call in process.iter(_q("callActivity")):
            callee = (call.get("calledElement") or "").strip()
            if callee in parent:
                parent[find(callee)] = find(pid)
    return {pid: find(pid) for pid in processes}
