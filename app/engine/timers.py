"""Timers: when the waiting ones are due, and how a timer's text reads.

Every waiting timer counts: boundary and intermediate catch events, event sub-process and timer start events,
and timers behind an event-based gateway, which SpiffWorkflow keeps on the gateway as one multiple-event wait.
A timer's text is a Python expression; a bare ISO 8601 value (`PT1H`, `2026-03-01T09:00:00+08:00`,
`R3/PT10M`) is read as the literal it obviously is, as other engines read it.
"""

import json
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition

from app.engine.names import BPMN_NS, describe, local_name, owner_id
from app.engine.problems import warning
from app.messages import LABELS, msg

TIMER_KINDS = {"timeDate": "date", "timeDuration": "duration", "timeCycle": "cycle"}
KIND_NAMES = LABELS["timer_kind"]


def next_due(workflow):
    """The earliest due time of any timer the workflow waits on, or None."""
    due = [_as_datetime(value) for value in _waiting_values(workflow)]
    due = [d for d in due if d is not None]
    return min(due) if due else None


def _waiting_values(workflow):
    for task in list(workflow.event_manager.tasks.values()):
        value = timer_value(task)
        if value is not None:
            yield value


def timer_value(task):
    """The due value a waiting task's timer keeps (an ISO text, or a cycle's dict), or None if it has no timer."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return definition.details(task).value
    if isinstance(definition, MultipleEventDefinition) and _has_timer(definition):
        return _multiple_value(task, definition)
    return None


def timer_due(task):
    """When a waiting task's timer is due (a datetime), or None."""
    value = timer_value(task)
    return _as_datetime(value) if value is not None else None


def make_due_now(task, now):
    """Set a waiting task's timer so that it is due at `now` (an admin fires it): the next refresh fires it."""
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):
        task.internal_data["event_value"] = {**value, "next": now.isoformat()}
    else:
        task.internal_data["event_value"] = now.isoformat()


def pending_events(workflow):
    """What the workflow waits for, one entry per event: a multiple wait (an event-based gateway) counts each of its
    events, so a message behind the gateway is routed like any other catch."""
    for task in list(workflow.event_manager.tasks.values()):
        definition = task.task_spec.event_definition
        if isinstance(definition, MultipleEventDefinition):
            for inner in definition.event_definitions:
                if not isinstance(inner, TimerEventDefinition):
                    yield inner.details(task)
        else:
            yield definition.details(task)


def _has_timer(definition):
    return any(isinstance(d, TimerEventDefinition) for d in definition.event_definitions)


def _multiple_value(task, definition):
    """The timers of a multiple wait (an event-based gateway) keep their due time on the waiting task."""
    value = task.internal_data.get("event_value")
    cycle = any(isinstance(d, CycleTimerEventDefinition) for d in definition.event_definitions)
    if cycle and isinstance(value, dict):
        return value.get("next") if value.get("cycles") else None
    return value


def _as_datetime(value):
    if isinstance(value, dict):
        value = value.get("next")
    if not isinstance(value, str):
        return None
    try:
        return TimerEventDefinition.get_datetime(value)
    except (ValueError, TypeError):
        return None


def literal_reason(kind, value):
    """None if `value` is a valid literal for a timer of `kind` (date, duration, cycle); else why not, in Chinese."""
    if not isinstance(value, str) or not _reads_as(kind, value.strip()):
        return msg("timer.bad_literal", value=value, kind=KIND_NAMES[kind], example=EXAMPLES[kind])
    return None


EXAMPLES = {"date": '"2026-03-01T09:00:00+08:00"', "duration": '"PT2H"', "cycle": '"R3/PT10M"'}


def _reads_as(kind, text):
    try:
        if kind == "duration":
            return text.upper().startswith("P") and bool(TimerEventDefinition.parse_iso_duration(text))
        if kind == "cycle":
            return text.upper().startswith("R") and TimerEventDefinition.parse_iso_recurring_interval(text) is not None
        return isinstance(TimerEventDefinition.parse_time_or_duration(text), datetime)
    except Exception:  # SpiffWorkflow's ISO parsers raise bare Exceptions, AttributeErrors and ValueErrors
        return False


def timer_nodes(root):
    """(node, kind) for every timeDate, timeDuration and timeCycle of a BPMN tree."""
    for tag, kind in TIMER_KINDS.items():
        for node in root.iter(f"{{{BPMN_NS}}}{tag}"):
            yield node, kind


def event_of(node):
    """The event a timer's text belongs to (above its timerEventDefinition), as the designer sees it."""
    event = node.getparent()
    while event is not None and local_name(event) == "timerEventDefinition":
        event = event.getparent()
    return event if event is not None else node


def quote_bare_timers(root, file_name):
    """Rewrite bare ISO 8601 timer values as string literals in the tree; a warning for each tells the designer."""
    problems = []
    for node, kind in timer_nodes(root):
        text = (node.text or "").strip()
        if text and _reads_as(kind, text):
            node.text = json.dumps(text)
            event = event_of(node)
            problems.append(warning(file_name, owner_id(event), node.sourceline, msg(
                "timer.bare_literal", element=describe(event), text=text, quoted=node.text)))
    return problems
