"""SpiffWorkflow's refusals as a designer reads them: the reason in Chinese, the original kept when unknown."""

import re

from app.messages import label, msg

REASONS = [
    (r"There is no support implemented for this task type", "spiff.unsupported", ()),
    (r"Process (\S+) is not executable", "spiff.not_executable", ("pid",)),
    (r"The process '([^']+)' was not found", "spiff.process_missing", ("pid",)),
    (r"No start event found", "spiff.no_start", ()),
    (r"Exactly one start event is required in a SubWorkflow Task; found (\d+)", "spiff.subprocess_starts", ("n",)),
    (r"A SubWorkflow Must contain an End event", "spiff.subprocess_end", ()),
    (r'No "calledElement" attribute', "spiff.no_called_element", ()),
    (r"Cannot resolve data(Input|Output)Association", "spiff.data_association", ("direction",)),
    (r"Could not find messageRef from message event definition: (\S+)", "spiff.message_missing", ("ref",)),
    (r"Non-default exclusive outgoing sequence flow without condition", "spiff.flow_without_condition", ()),
    (r"multiinstance task must specify a cardinality or a (?:collection|loop input)", "spiff.mi_without_input", ()),
    (r"Invalid Script Task\.\s+No Script Provided", "spiff.no_script", ()),
    (r"A Service Task must have an operator", "spiff.no_operator", ()),
    (r"Unknown Time Specification", "spiff.timer_empty", ()),
    (r"Time Specification Error\. (.*)", "spiff.timer_bad", ("detail",)),
    (r"Conditional event definition with missing condition", "spiff.condition_missing", ()),
    (r"Unsupported Catch Event", "spiff.unsupported_catch", ()),
    (r"Expected an? (Message|Signal|Error|Escalation) node", "spiff.missing_definition", ("kind",)),
    # the Spiff parser reports a dangling messageRef/signalRef/errorRef/escalationRef through a call that fails
    (r"raise_validation_exception\(\) got an unexpected keyword argument 'node'", "spiff.definition_missing_any", ()),
    (r'No DMN Diagram available with id "([^"]*)"', "spiff.decision_missing", ("ref",)),
    (r"Multiple decision tables are not current supported", "spiff.many_tables", ()),
    (r"No decisions found", "spiff.no_decisions", ()),
    (r"Malformed Output Expression '([^']*)'", "spiff.dmn_output", ("text",)),
    (r"Sequential ordering for ad hoc subprocesses not supported", "spiff.adhoc_sequential", ()),
    (r"Ad hoc subprocesses may not contain start or end events", "spiff.adhoc_events", ()),
    (r"(?:Message|Signal|Error|Escalation|Correlation|Data Store) (?:identifier|name) is missing", "spiff.missing_id", ()),
    (r"RecursionError|recursion depth", "def.too_deep", ()),
]
COMPILED = [(re.compile(pattern, re.S), key, names) for pattern, key, names in REASONS]


def reason_of(detail):
    """The Chinese reason for one of SpiffWorkflow's messages (the English text itself when it is not known)."""
    for pattern, key, names in COMPILED:
        found = pattern.search(detail)
        if found:
            values = dict(zip(names, found.groups(), strict=False))
            if "direction" in values:
                values["direction"] = label("data_direction", values["direction"].lower())
            if "kind" in values:
                values["kind"] = label("element_kind", values["kind"].lower())  # message, signal, error, escalation
            return msg(key, **values)
    return msg("spiff.other", detail=detail)


def called_process(detail):
    """The process id a call activity names, when SpiffWorkflow refused the call itself (missing, not executable)."""
    for pattern in (r"The process '([^']+)' was not found", r"Process (\S+) is not executable"):
        found = re.search(pattern, detail)
        if found:
            return found.group(1).rstrip(".")
    return None


def decision_called(detail):
    """The decision id SpiffWorkflow could not find for a business rule task, or None."""
    found = re.search(r'No DMN Diagram available with id "([^"]*)"', detail)
    return found.group(1) if found else None
