"""Validate a bundle as a whole: names, XML safety and XSD (engine), forms, roles, services and every expression.

Every problem of every file is reported at once. Errors refuse the bundle; warnings (what the platform assumed
for the designer) let it deploy and are returned with it.
"""

from dataclasses import dataclass, field

from app.definitions.expressions import check_expressions
from app.definitions.files import file_kind, stem, stored_names
from app.definitions.form_checks import read_form_file
from app.definitions.limits import DefinitionLimits
from app.definitions.models import ID_LENGTH, NAME_LENGTH
from app.definitions.templates import check_template
from app.engine.durations import is_duration
from app.engine.inspection import tasks
from app.engine.names import describe, local_name
from app.engine.parser import BPMN_NS, FLOW_NODE_TAGS, parse_bundle
from app.engine.problems import Problem, errors_in, warnings_in
from app.engine.scripting import check_source
from app.errors import DefinitionInvalid
from app.messages import msg

TASK_PROPERTIES = {"form", "role", "org", "due", "calendar", "title", "kpi", "start_roles"}
CALENDARS = {"working", "natural"}


def split_roles(text):
    """Role names or codes from a comma list (`role`, `start_roles` properties)."""
    return [r.strip() for r in (text or "").replace("，", ",").split(",") if r.strip()]


def role_of(roles, name):
    """The role code for a code or a Chinese role name in `roles` (lanes may use either); None if unknown."""
    if name in roles:
        return name
    return next((code for code, label in roles.items() if label == name), None)


@dataclass
class Catalogue:
    """What the host offers designers: roles (code -> name, lanes may use either) and service operations."""

    roles: dict
    services: dict  # name -> {param: required?}
    limits: DefinitionLimits  # from Config
    reserved: set = field(default_factory=set)

    def role_of(self, name):
        return role_of(self.roles, name)


@dataclass
class ValidBundle:
    parsed: object
    forms: dict  # form id -> (file name, Form)
    files: dict  # stored name -> bytes
    warnings: list = field(default_factory=list)  # Problems of severity "warning", in file order


def validate_bundle(files, catalogue):
    """Return a ValidBundle (with its warnings) or raise DefinitionInvalid listing every problem."""
    if not files:
        raise DefinitionInvalid(msg("def.empty_bundle"), [Problem("", None, None, msg("def.empty_bundle"))])
    files, problems = stored_names(files, NAME_LENGTH)
    forms = _read_forms({n: c for n, c in files.items() if file_kind(n) == "form"}, catalogue.limits, problems)
    diagrams = {n: c for n, c in files.items() if file_kind(n) in ("bpmn", "dmn")}
    parsed = parse_bundle(diagrams, catalogue.limits.diagrams(), TASK_PROPERTIES, collect=True)
    problems.extend(parsed.problems)
    problems.extend(_check_ids(parsed))
    problems.extend(_check_gateways(parsed))
    problems.extend(_check_tasks(parsed, forms, catalogue))
    problems.extend(check_expressions(parsed))
    errors, warnings = errors_in(problems), warnings_in(problems)
    if errors:
        raise DefinitionInvalid(_refusal(errors, warnings), problems)
    return ValidBundle(parsed, forms, files, warnings)


def _refusal(errors, warnings):
    if warnings:
        return msg("def.bundle_rejected_with_warnings", count=len(errors), warnings=len(warnings))
    return msg("def.bundle_rejected", count=len(errors))


def _read_forms(form_files, limits, problems):
    forms = {}
    for name, content in sorted(form_files.items()):
        form, found = read_form_file(name, content, limits, ID_LENGTH, stem(name))
        problems.extend(found)
        if form is None:
            continue
        if form.id in forms:
            problems.append(Problem(name, form.id, None, msg("def.form_duplicate", form=form.id)))
        forms[form.id] = (name, form)
    return forms


def _check_ids(parsed):
    """Process and flow-node ids fit the columns that store them (any NCName is accepted; the XSD checks that)."""
    problems = []
    for file_name, root in parsed.roots.items():
        for node in root.iter():
            element_id = node.get("id") if isinstance(node.tag, str) else None
            if element_id and len(element_id) > ID_LENGTH and local_name(node) in FLOW_NODE_TAGS | {"process"}:
                problems.append(Problem(file_name, element_id, node.sourceline, msg(
                    "def.id_too_long", element=describe(node), limit=ID_LENGTH)))
    return problems


def _check_gateways(parsed):
    """An event-based gateway may race one timer: SpiffWorkflow keeps a single due time per gateway, so a second
    timer behind it would silently wait as long as the first."""
    problems = []
    for pid, file_name in parsed.process_files.items():
        process = parsed.process_element(pid)
        for gateway in process.iter(f"{{{BPMN_NS}}}eventBasedGateway") if process is not None else ():
            targets = [parsed.element(file_name, flow.get("targetRef")) for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow")
                       if flow.get("sourceRef") == gateway.get("id")]
            timers = [t for t in targets if t is not None and t.find(f"{{{BPMN_NS}}}timerEventDefinition") is not None]
            if len(timers) > 1:
                problems.append(Problem(file_name, gateway.get("id"), gateway.sourceline, msg(
                    "def.on", element=describe(gateway), reason=msg("def.gateway_timers", count=len(timers)))))
    return problems


def _check_tasks(parsed, forms, catalogue):
    problems = []
    for task in tasks(parsed):
        def problem(reason, task=task):
            node = parsed.element(task.file, task.element_id)
            problems.append(Problem(task.file, task.element_id, None if node is None else node.sourceline,
                                    msg("def.on", element=describe(node), reason=reason)))
        if task.kind == "service":
            _check_service(task, catalogue, problem)
            continue
        props = task.properties
        form = props.get("form")
        if task.kind == "user" and not form:
            problem(msg("def.form_missing"))
        elif form and form not in forms:
            problem(msg("def.form_unknown", form=form))
        if task.kind == "user":
            _check_role(task, catalogue, problem)
            _check_user_properties(task, problem)
        for role in split_roles(props.get("start_roles")) if task.kind == "start" else []:
            if catalogue.role_of(role) is None:
                problem(msg("def.role_unknown", role=role))
    return problems


def _check_role(task, catalogue, problem):
    roles = split_roles(task.properties.get("role"))
    if not roles and task.lane:
        roles = [task.lane]
    if not roles:
        problem(msg("def.role_missing"))
    for role in roles:
        if catalogue.role_of(role) is None:
            problem(msg("def.role_unknown", role=role))


def _check_user_properties(task, problem):
    props = task.properties
    if props.get("org"):
        _expression(props["org"], "单位表达式（org）", problem)
    due = props.get("due")
    if due and not is_duration(due):
        _expression(due, "期限表达式（due）", problem)
    if props.get("calendar") and props["calendar"] not in CALENDARS:
        problem(msg("def.expression", what="日历（calendar）", detail=f"只能是 {'、'.join(sorted(CALENDARS))}"))
    for what, source in (("标题", props.get("title")), ("办理说明", task.instructions)):
        error = check_template(source) if source else None
        if error:
            problem(msg("def.template", what=what, detail=error))


def _expression(source, what, problem):
    error = check_source(source, "eval")
    if error:
        problem(msg("def.expression", what=what, detail=error))


def _check_service(task, catalogue, problem):
    params = catalogue.services.get(task.operation)
    if params is None:
        problem(msg("def.service_unknown", name=task.operation))
        return
    for name in task.operation_params:
        if name not in params:
            problem(msg("def.service_param_unknown", name=task.operation, param=name))
    for name, required in params.items():
        if required and name not in task.operation_params:
            problem(msg("def.service_param_missing", name=task.operation, param=name))
