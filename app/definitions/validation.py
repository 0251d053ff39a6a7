"""Validate a bundle as a whole: XML safety and XSD (engine), forms, roles, services and every expression."""

import json
from dataclasses import dataclass, field

from app.definitions.forms import read_form
from app.definitions.templates import check_template
from app.engine.durations import is_duration
from app.engine.inspection import expression_sites, tasks
from app.engine.parser import SAFE_FILE, Problem, parse_bundle
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
    max_flow_nodes: int  # TIANCHANG_MAX_FLOW_NODES
    reserved: set = field(default_factory=set)

    def role_of(self, name):
        return role_of(self.roles, name)


@dataclass
class ValidBundle:
    parsed: object
    forms: dict  # form id -> (file name, Form)
    files: dict  # name -> bytes


def validate_bundle(files, catalogue):
    """Return a ValidBundle or raise DefinitionInvalid listing every problem with file, element and line."""
    problems = []
    if not files:
        raise DefinitionInvalid(msg("def.empty_bundle"), [Problem("", None, None, msg("def.empty_bundle"))])
    forms = _read_forms({n: c for n, c in files.items() if n.endswith(".json")}, problems)
    diagrams = {n: c for n, c in files.items() if not n.endswith(".json")}
    parsed = parse_bundle(diagrams, catalogue.max_flow_nodes, TASK_PROPERTIES, collect=True)
    problems.extend(parsed.problems)
    problems.extend(_check_tasks(parsed, forms, catalogue))
    problems.extend(_check_expressions(parsed))
    if problems:
        raise DefinitionInvalid(msg("def.bundle_rejected", count=len(problems)), problems)
    return ValidBundle(parsed, forms, files)


def _read_forms(form_files, problems):
    forms = {}
    for name, content in sorted(form_files.items()):
        if not SAFE_FILE.match(name):
            problems.append(Problem(name, None, None, msg("def.bad_file_name")))
            continue
        try:
            data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            problems.append(Problem(name, None, getattr(err, "lineno", None), msg("def.form_invalid", detail=str(err))))
            continue
        form, form_problems = read_form(name, data)
        problems.extend(Problem(name, None, None, p) for p in form_problems)
        if form is None:
            continue
        if form.id in forms:
            problems.append(Problem(name, form.id, None, msg("def.form_duplicate", form=form.id)))
        forms[form.id] = (name, form)
    return forms


def _check_tasks(parsed, forms, catalogue):
    problems = []
    for task in tasks(parsed):
        def problem(message, task=task):
            problems.append(Problem(task.file, task.element_id, parsed.line_of(task.file, task.element_id), message))
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


def _check_expressions(parsed):
    problems = []
    for site in expression_sites(parsed):
        error = check_source(site.source, site.mode)
        if error:
            file_name, line = parsed.locate(site.file, site.element_id)
            problems.append(Problem(file_name, site.element_id, line, msg("def.expression", what=site.what, detail=error)))
    return problems
