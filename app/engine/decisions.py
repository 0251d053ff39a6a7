"""Try a decision table as a business rule task runs it, and find the cells the sandbox would refuse.

A DMN file is parsed with a probe process (start, one business rule task calling the decision, end) exactly as a
bundle is (app/engine/parser.py), so the table is SpiffWorkflow's own model of it; the cells are then evaluated on
that task by SpiffWorkflow's DMN engine through the platform's script engine and sandbox, as a running instance
evaluates them. Deploy validation already checks the cells of every table a business rule task calls (inspection's
DMN sites, app/definitions/expressions.py); `decision_cell_problems` checks one file on its own, for its editor.
"""

import json
import re
from xml.sax.saxutils import escape

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.dmn.specs.model import HitPolicy
from SpiffWorkflow.util.task import TaskState

from app.engine.inspection import _dmn_condition
from app.engine.names import BPMN_NS, is_ncname, local_name
from app.engine.parser import SPIFF_NS, DiagramLimits, harden_parse, parse_bundle
from app.engine.problems import Problem, errors_in
from app.engine.runner import SandboxEnvironment, SandboxScriptEngine, find_cause
from app.engine.scripting import ScriptError, check_source, ensure_json
from app.messages import msg

PROBE_ID = "decision_probe"
PROBE_FILE = "decision_probe.bpmn"
PROBE_LIMITS = DiagramLimits(max_flow_nodes=3, max_bytes=None, max_elements=None)  # the probe's three nodes
PROBE = (f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="{BPMN_NS}" '
         f'xmlns:spiffworkflow="{SPIFF_NS}" id="probe" targetNamespace="http://tianchang.invalid/probe">'
         f'<bpmn:process id="{PROBE_ID}" isExecutable="true">'
         '<bpmn:startEvent id="start"><bpmn:outgoing>to_decide</bpmn:outgoing></bpmn:startEvent>'
         '<bpmn:businessRuleTask id="decide"><bpmn:extensionElements><spiffworkflow:calledDecisionId>{decision}'
         '</spiffworkflow:calledDecisionId></bpmn:extensionElements><bpmn:incoming>to_decide</bpmn:incoming>'
         '<bpmn:outgoing>to_end</bpmn:outgoing></bpmn:businessRuleTask>'
         '<bpmn:endEvent id="end"><bpmn:incoming>to_end</bpmn:incoming></bpmn:endEvent>'
         '<bpmn:sequenceFlow id="to_decide" sourceRef="start" targetRef="decide" />'
         '<bpmn:sequenceFlow id="to_end" sourceRef="decide" targetRef="end" /></bpmn:process></bpmn:definitions>')
ROW = re.compile(r"row (\d+)")


def evaluate_decision(dmn_bytes, decision_id, inputs, *, sandbox, file_name="decision.dmn"):
    """What a business rule task calling `decision_id` would merge into data `inputs`, run in `sandbox` (the one
    the host builds for a run, with its helpers and limits).

    Returns {"result": the outputs (a dict; for hit policy COLLECT a dict of lists; {} when no rule matched) or None
    on error, "matched": 1-based numbers of the rules that matched, "applied": those whose outputs are the result
    (the first for UNIQUE, FIRST and the others, all for COLLECT), "error": None or a Chinese message}.
    """
    found = {"result": None, "matched": [], "applied": [], "error": None}
    try:
        ensure_json(inputs, "inputs")
    except ScriptError as err:
        return {**found, "error": err.message}
    if not isinstance(inputs, dict):
        return {**found, "error": msg("decision.inputs_not_object")}
    task, error = _decision_task(dmn_bytes, decision_id, file_name, sandbox, inputs)
    if error:
        return {**found, "error": error}
    engine = task.task_spec.dmnEngine
    try:
        matched = engine.decide(task)
    except Exception as err:  # SpiffWorkflow wraps what a cell raises; whatever it is, the designer reads why
        return {**found, "error": _failure(err, _row(err))}
    numbers = [rule.row_number for rule in matched]
    collect = engine.decision_table.hit_policy == HitPolicy.COLLECT.value
    applied = numbers if collect else numbers[:1]
    try:
        result = engine.result(task)
    except Exception as err:  # as above: an output cell's failure, on the rule that holds it
        return {**found, "matched": numbers, "applied": applied, "error": _failure(err, _failing_output(task, matched))}
    return {**found, "result": json.loads(json.dumps(result)), "matched": numbers, "applied": applied}


def _decision_task(dmn_bytes, decision_id, file_name, sandbox, inputs):
    """(the probe's business rule task, ready over `inputs`, None) or (None, why not)."""
    bundle, error = _probe(dmn_bytes, decision_id, file_name)
    if error:
        return None, error
    spec, subprocess_specs = bundle.spec(PROBE_ID)
    workflow = BpmnWorkflow(spec, subprocess_specs)
    workflow.script_engine = SandboxScriptEngine(environment=SandboxEnvironment(sandbox, _no_service))
    start = workflow.get_tasks(state=TaskState.READY)[0]
    start.data.update(json.loads(json.dumps(inputs)))
    for _ in range(5):  # the start task, the start event, then the decision
        ready = workflow.get_tasks(state=TaskState.READY)
        task = next((t for t in ready if t.task_spec.bpmn_id == "decide"), None)
        if task is not None or not ready:
            return task, None if task is not None else msg("decision.not_found", id=decision_id)
        ready[0].run()
    return None, msg("decision.not_found", id=decision_id)


def _probe(dmn_bytes, decision_id, file_name):
    """(the parsed probe bundle, None) or (None, the first refusal, in Chinese)."""
    if not is_ncname(decision_id):
        return None, msg("decision.not_found", id=decision_id)
    files = {file_name: dmn_bytes, PROBE_FILE: PROBE.format(decision=escape(decision_id)).encode()}
    bundle = parse_bundle(files, PROBE_LIMITS, collect=True)
    own = errors_in([p for p in bundle.problems if p.file == file_name])
    if own:
        return None, own[0].message
    if decision_id not in bundle.decision_ids or PROBE_ID not in bundle.process_files:
        return None, msg("decision.not_found", id=decision_id)
    return bundle, None


def _no_service(operation, params):
    raise ScriptError(msg("decision.no_service"))


def _row(err):
    notes = " ".join(getattr(err, "notes", None) or [])  # SpiffWorkflow's own notes, not Python's __notes__
    found = ROW.search(notes)
    return int(found.group(1)) if found else None


def _failing_output(task, matched):
    """The number of the first matched rule whose outputs cannot be evaluated."""
    for rule in matched:
        try:
            rule.output_as_dict(task)
        except Exception:  # the failure being located
            return rule.row_number
    return None


def _failure(err, number):
    inner = find_cause(err, ScriptError)
    detail = inner.message if inner is not None else str(err.args[0] if err.args else err)
    return msg("decision.failed_rule", number=number, detail=detail) if number else msg("decision.failed", detail=detail)


def condition_source(text):
    """The expression SpiffWorkflow's DMN engine evaluates for an input cell, the input as `dmninputexpr`."""
    return _dmn_condition(text)


def decision_cell_problems(dmn_bytes, file_name="decision.dmn"):
    """Problems of one DMN file as its editor shows them: what parsing refuses (XML, DMN schema, SpiffWorkflow's
    refusals) and every input expression and cell the sandbox would not compile, named by table, rule and column."""
    try:
        root = harden_parse(dmn_bytes)
    except Exception:  # parse_bundle below says why, in Chinese, as deploy does
        root = None
    decision = next((n for n in root.iter() if isinstance(n.tag, str) and local_name(n) == "decision"), None) \
        if root is not None else None
    decision_id = decision.get("id") if decision is not None else None
    files = {file_name: dmn_bytes, PROBE_FILE: PROBE.format(decision=escape(decision_id or "none")).encode()}
    bundle = parse_bundle(files, PROBE_LIMITS, collect=True)
    problems = [p for p in bundle.problems if p.file == file_name]
    if errors_in(problems) or PROBE_ID not in bundle.process_files:
        return problems
    spec, _ = bundle.spec(PROBE_ID)
    table = spec.task_specs["decide"].dmnEngine.decision_table
    table_name = (decision.get("name") or "").strip() or decision_id
    for column in table.inputs:
        if column.expression:
            problems += _cell_problem(bundle, file_name, column.id, column.id, column.expression, msg(
                "decision.input_where", table=table_name, column=column.label or column.expression))
    for rule in table.rules:
        for entry in rule.inputEntries:
            for text in (t for t in entry.lhs if t):
                problems += _cell_problem(bundle, file_name, rule.id, entry.id, condition_source(text), msg(
                    "decision.cell_where", table=table_name, number=rule.row_number, column=_label(entry.input)))
        for entry in rule.outputEntries:
            if entry.text:
                problems += _cell_problem(bundle, file_name, rule.id, entry.id, entry.text, msg(
                    "decision.cell_where", table=table_name, number=rule.row_number, column=_label(entry.output)))
    return problems


def _label(column):
    return column.label or column.name or getattr(column, "expression", None) or column.id


def _cell_problem(bundle, file_name, element_id, cell_id, source, where):
    """A Problem on the rule (or input column) `element_id`, at the line of its cell, if `source` does not compile."""
    error = check_source(source, "eval")
    if error is None:
        return []
    return [Problem(file_name, element_id, bundle.line_of(file_name, cell_id),
                    msg("decision.cell_problem", where=where, reason=msg("def.not_compiled", detail=error)))]
