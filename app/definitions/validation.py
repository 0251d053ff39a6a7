"""Validate a bundle as a whole: names, XML safety and XSD (engine), forms, roles, services and every expression.

Every problem of every file is reported at once. Errors refuse the bundle; warnings (what the platform assumed
for the designer) let it deploy and are returned with it.
"""

from dataclasses import dataclass, field

from app.definitions.defaults import assignment_of, form_of, role_of, split_roles
from app.definitions.expressions import check_expressions
from app.definitions.files import file_kind, stem, stored_names
from app.definitions.form_checks import read_form_file
from app.definitions.limits import DefinitionLimits
from app.definitions.models import ID_LENGTH, NAME_LENGTH
from app.definitions.scenario_files import scenario_problems
from app.definitions.templates import check_template
from app.engine.durations import is_duration
from app.engine.inspection import HUMAN_KINDS, tasks
from app.engine.names import describe, local_name
from app.engine.parser import BPMN_NS, FLOW_NODE_TAGS, parse_bundle
from app.engine.problems import ERROR, WARNING, Problem, errors_in, warnings_in
from app.engine.scripting import check_source
from app.engine.vendors import HUMAN_TASKS
from app.errors import DefinitionInvalid
from app.messages import label, msg

TASK_PROPERTIES = {"form", "role", "org", "due", "calendar", "title", "kpi", "start_roles"}
CALENDARS = {"working", "natural"}


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
    problems.extend(_check_tasks(parsed, forms, catalogue, {(p.file, p.element_id) for p in errors_in(problems)}))
    problems.extend(check_expressions(parsed))
    problems.extend(scenario_problems(files, parsed, catalogue.roles))
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


def _check_tasks(parsed, forms, catalogue, refused):
    """Forms, roles, services and properties of every task; what the platform assumes for a human task is said only
    of a task that is not refused already (`refused`: (file, element id) of the errors found so far)."""
    problems = []
    form_files = {form_id: file_name for form_id, (file_name, _form) in forms.items()}
    for task in tasks(parsed):
        def problem(reason, severity=ERROR, task=task):
            node = parsed.element(task.file, task.element_id)
            problems.append(Problem(task.file, task.element_id, None if node is None else node.sourceline,
                                    msg("def.on", element=describe(node), reason=reason), severity))
        props = task.properties
        if task.kind == "service":
            _check_service(task, catalogue, problem)
        elif props.get("form") and props["form"] not in forms:
            problem(msg("def.form_unknown", form=props["form"]))
        if task.kind in HUMAN_KINDS and _drawn_as_human(parsed, task) and (task.file, task.element_id) not in refused:
            _check_human(task, form_files, catalogue, problem)
            _check_user_properties(task, problem)
        elif task.kind == "start":
            _check_start(task, catalogue, problem)
    return problems


def _drawn_as_human(parsed, task):
    """Not an activity the parser refused and set aside as a plain task (that is reported as it was drawn)."""
    node = parsed.element(task.file, task.element_id)
    return node is not None and local_name(node) in HUMAN_TASKS


def _check_human(task, form_files, catalogue, problem):
    """Explicit roles must exist; what the platform assumes for a task without its properties is a warning."""
    unknown = [role for role in split_roles(task.properties.get("role")) if catalogue.role_of(role) is None]
    for role in unknown:
        problem(msg("def.role_unknown", role=role))
    if unknown or (task.properties.get("form") and task.properties["form"] not in form_files):
        return
    form, unread_key = form_of(task.properties, form_files)
    if unread_key:
        problem(msg("def.form_key_unknown", key=unread_key), WARNING)
    elif form is None:
        problem(msg("def.generic_form"), WARNING)
    assignment = assignment_of(task.properties, task.lane, catalogue.roles)
    if assignment.ignored_groups:
        problem(msg("def.groups_ignored", groups="、".join(assignment.ignored_groups)), WARNING)
    if assignment.ignored_assignee:
        problem(msg("def.assignee_expression", value=assignment.ignored_assignee), WARNING)
    if assignment.roles or (assignment.assignee and not assignment.lanes):
        return
    otherwise = assignment.assignee or msg("def.default_people")
    if assignment.lanes:
        problem(msg("def.assigned_by_lane", lane=assignment.lanes[0], otherwise=otherwise), WARNING)
    elif assignment.org_expression:
        problem(msg("def.assigned_by_org"), WARNING)
    else:
        problem(msg("def.assigned_by_default", otherwise=otherwise), WARNING)


def _check_start(task, catalogue, problem):
    for role in split_roles(task.properties.get("start_roles")):
        if catalogue.role_of(role) is None:
            problem(msg("def.role_unknown", role=role))
    ignored = [g for g in split_roles(task.properties.get("candidate_starter_groups")) if catalogue.role_of(g) is None]
    if ignored:
        problem(msg("def.groups_ignored", groups="、".join(ignored)), WARNING)


def _check_user_properties(task, problem):
    props = task.properties
    if props.get("org"):
        _expression(props["org"], label("expression_site", "org"), problem)
    due = props.get("due")
    if due and not is_duration(due):
        _expression(due, label("expression_site", "due"), problem)
    if props.get("calendar") and props["calendar"] not in CALENDARS:
        problem(msg("def.expression", what=label("expression_site", "calendar"),
                    detail=msg("def.calendar_choices", names="、".join(sorted(CALENDARS)))))
    for site, source in (("title", props.get("title")), ("instructions", task.instructions)):
        error = check_template(source) if source else None
        if error:
            problem(msg("def.template", what=label("expression_site", site), detail=error))


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
