"""Build SpiffWorkflow's specs for a bundle and go on after its first refusal, so every process's problems are found.

SpiffWorkflow stops a process at its first error. After each refusal the offending element is set aside in a
working copy of the tree (an activity becomes a plain task, an event loses its definition, a boundary event is
removed, a flow without a condition gets one) and the bundle is parsed again, a bounded number of times. The
working copies are only for finding problems; nothing built from them is ever run.
"""

import copy
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from app.engine.names import BPMN_NS, describe, find_by_id, local_name
from app.engine.problems import Problem
from app.engine.refusals import called_process, decision_called, reason_of
from app.messages import msg

MAX_ATTEMPTS = 25
ACTIVITIES = {"task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent"}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}


class AppParser(SpiffBpmnParser):
    """SpiffWorkflow's Spiff parser; XSD validation runs before it (app/engine/schema.py), class dicts untouched."""

    def __init__(self):
        super().__init__(validator=None)


@dataclass
class Built:
    parser: AppParser
    executable: dict = field(default_factory=dict)  # process id -> file, specs built
    non_executable: dict = field(default_factory=dict)  # process id -> file, stored and viewable, never started


def build_specs(bpmn, dmn, originals, problems, explained=frozenset()):
    """Parse the BPMN and DMN trees into specs; problems are appended once each, located on `originals`.

    `explained` holds (file, element id) pairs the XSD already refused: SpiffWorkflow's view of them is not added.
    """
    report = Report(originals, problems, explained)
    work, skipped, tried = dict(bpmn), set(), set()
    for _ in range(MAX_ATTEMPTS):
        built, failures = _attempt(work, dmn, skipped, report)
        fresh = [failure for failure in failures if failure not in tried]
        tried.update(fresh)
        if not [failure for failure in fresh if _set_aside(work, failure)]:
            return built
    return built


class Report:
    """Problems found while building, each once, located on the files as uploaded."""

    def __init__(self, originals, problems, explained):
        self.originals, self.problems, self.explained = originals, problems, explained
        self.seen = {(p.file, p.element_id, p.message) for p in problems}
        self.broken_decisions = set()  # reported on their DMN file; a task that calls one is not blamed again

    def add(self, file_name, element_id, detail):
        if decision_called(detail) in self.broken_decisions or (file_name, element_id) in self.explained:
            return
        node = find_by_id(self.originals.get(file_name), element_id)
        reason = reason_of(detail)
        message = msg("def.on", element=describe(node), reason=reason) if node is not None else reason
        key = (file_name, element_id if node is not None else None, message)
        if key not in self.seen:
            self.seen.add(key)
            self.problems.append(Problem(file_name, key[1], None if node is None else node.sourceline, message))


@dataclass(frozen=True)
class Failure:
    file: str
    element_id: str | None


def _attempt(work, dmn, skipped, report):
    parser = AppParser()
    for name, root in sorted(dmn.items()):
        _add(parser.add_dmn_xml, root, name, skipped, report)
    _parse_decisions(parser, report)
    for name, root in sorted(work.items()):
        _add(parser.add_bpmn_xml, root, name, skipped, report)
    built, failures = Built(parser), []
    for pid, process_parser in list(parser.process_parsers.items()):  # building adds embedded sub-processes
        file_name = process_parser.filename
        if not process_parser.process_executable:
            built.non_executable[pid] = file_name
            continue
        failure = _build_one(parser, pid, file_name, report)
        if failure is None:
            built.executable[pid] = file_name
        else:
            failures.append(failure)
    return built, failures


def _add(add, root, name, skipped, report):
    if name in skipped:
        return
    try:
        add(root, filename=name)
    except ValidationException as err:
        skipped.add(name)
        report.add(err.file_name or name, err.id or None, _detail(err))


def _parse_decisions(parser, report):
    """Parse every decision table now, so a broken one is reported on its own file (and set aside)."""
    for decision_id, dmn_parser in list(parser.dmn_parsers.items()):
        try:
            dmn_parser.parse()
        except ValidationException as err:
            report.add(err.file_name or dmn_parser.filename, err.id or None, _detail(err))
            report.broken_decisions.add(decision_id)
            del parser.dmn_parsers[decision_id]


def _build_one(parser, pid, file_name, report):
    """None when the process and everything it calls builds; else where it failed."""
    try:
        parser.get_spec(pid)
        parser.get_subprocess_specs(pid)
        return None
    except ValidationException as err:
        detail = _detail(err)
        callee = called_process(detail)
        if callee is not None and callee != pid:
            caller = _caller(parser, pid, callee)
            report.add(file_name, caller, detail)
            return Failure(file_name, caller)
        failed_file = err.file_name or file_name
        report.add(failed_file, err.id or None, detail)
        return Failure(failed_file, err.id or None)
    except RecursionError:
        report.add(file_name, pid, "RecursionError")
    except Exception as err:  # an odd tree (one the XSD refused) can trip the library anywhere
        report.add(file_name, pid, repr(err))
    return Failure(file_name, None)


def _detail(err):
    return str(err.args[0] if err.args else err)


def _caller(parser, pid, callee):
    """The call activity of `pid` (or of a process it calls) that names `callee`."""
    for process_parser in parser.process_parsers.values():
        for node in process_parser.node.iter(f"{{{BPMN_NS}}}callActivity"):
            if node.get("calledElement") == callee:
                return node.get("id")
    return None


def _set_aside(work, failure):
    """Neutralise the failing element in a working copy of its file; False when nothing can be set aside."""
    root = work.get(failure.file)
    if root is None or not failure.element_id:
        return False
    root = copy.deepcopy(root)
    node = find_by_id(root, failure.element_id)
    if node is None or not _neutralise(node):
        return False
    work[failure.file] = root
    return True


def _neutralise(node):
    kind = local_name(node)
    if kind in ACTIVITIES:
        _replace(node, "task")
    elif kind in GATEWAYS:
        _replace(node, "parallelGateway")
    elif kind == "boundaryEvent":
        for flow in node.getparent().iter(f"{{{BPMN_NS}}}sequenceFlow"):
            if flow.get("sourceRef") == node.get("id"):
                flow.getparent().remove(flow)
        node.getparent().remove(node)
    elif kind in EVENTS:
        definitions = [c for c in node if isinstance(c.tag, str) and local_name(c).endswith("EventDefinition")]
        for child in definitions:
            node.remove(child)
        return bool(definitions)
    elif kind == "sequenceFlow" and node.find(f"{{{BPMN_NS}}}conditionExpression") is None:
        condition = etree.SubElement(node, f"{{{BPMN_NS}}}conditionExpression")
        condition.text = "True"
    else:
        return False
    return True


def _replace(node, tag):
    """The node becomes a plain `tag` with the same id, name and flows (its content set aside)."""
    keep = [c for c in node if isinstance(c.tag, str) and local_name(c) in ("incoming", "outgoing")]
    attributes = {k: v for k, v in node.attrib.items() if k in ("id", "name")}
    node.clear()
    node.tag = f"{{{BPMN_NS}}}{tag}"
    node.attrib.update(attributes)
    node.extend(keep)
