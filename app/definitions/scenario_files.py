"""Scenario tests stored with a bundle: `<process id>.scenarios.json`, read, checked against the bundle, compared.

A file tests one process (its name's stem). Each scenario starts the process as a person of a role, completes human
tasks (the process's, its called processes', and those of the processes its messages start), waits on the clock,
then compares the end with its expectation. The format is in docs/bpmn.md. Reading finds every problem at once, in
Chinese, naming the scenario and the step, so a malformed file refuses a deploy like any other error; the runner
(app/workflow/scenario_tests.py) plays the scenarios that read well.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from app.definitions.defaults import STORED_INSTANCE_STATUSES
from app.definitions.files import file_kind, stem
from app.engine.durations import is_duration
from app.engine.inspection import HUMAN_KINDS, start_messages, tasks
from app.engine.names import BPMN_NS, is_ncname, local_name
from app.engine.parser import FLOW_NODE_TAGS
from app.engine.problems import Problem
from app.messages import LABELS, label, msg

DEFAULT_CLOCK = "2026-03-02T09:30:00"  # a working Monday morning, local time (Config.TIMEZONE) when a scenario names none
ID_LENGTH = 64
SHAPES = {  # key -> kind, for each object of the format; the required keys follow
    "file": ({"process": "string", "scenarios": "list"}, ("process", "scenarios")),
    "scenario": ({"id": "string", "name": "string", "clock": "string", "start": "object", "steps": "list",
                  "expect": "object"}, ("id", "name", "start")),
    "start": ({"role": "string", "org": "string", "user": "string", "data": "object"}, ()),
    "complete": ({"complete": "string", "role": "string", "org": "string", "user": "string", "data": "object"},
                 ("complete",)),
    "wait": ({"wait": "string"}, ("wait",)),
    "expect": ({"status": "string", "path": "strings", "path_exact": "boolean", "data": "object",
                "open_tasks": "strings"}, ()),
}
KINDS = {"string": str, "list": list, "object": dict, "boolean": bool}
THROWERS = {"intermediateThrowEvent", "endEvent", "sendTask"}


@dataclass(frozen=True)
class Acting:
    """Who starts or completes: a role (and organisation), or one user by name; with the data they submit."""

    role: str | None = None
    org: str | None = None
    user: str | None = None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as the designer counts
    complete: str | None = None  # a human task's element id
    wait: str | None = None  # an ISO 8601 duration
    acting: Acting | None = None


@dataclass(frozen=True)
class Expect:
    status: str | None = None
    path: tuple = ()
    path_exact: bool = False
    data: dict = field(default_factory=dict)
    open_tasks: tuple | None = None


@dataclass(frozen=True)
class Scenario:
    file: str
    process: str
    id: str
    name: str
    clock: str | None
    start: Acting
    steps: tuple
    expect: Expect

    def start_time(self, timezone):
        """When the scenario's clock starts: its `clock`, or DEFAULT_CLOCK; a time without offset is local."""
        moment = datetime.fromisoformat(self.clock or DEFAULT_CLOCK)
        return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def is_scenario_file(name):
    return file_kind(name) == "scenario"


def bundle_scenarios(files):
    """([Scenario], problems) of every scenario file of a bundle, in file-name order (the shape only)."""
    scenarios, problems = [], []
    for name, content in sorted(files.items()):
        if is_scenario_file(name):
            _process, found, issues = read_scenario_file(name, content)
            scenarios.extend(found)
            problems.extend(issues)
    return scenarios, problems


def read_scenario_file(name, content):
    """(process id or None, [Scenario], problems) of one file; a scenario with a problem is left out."""
    try:
        data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
    except UnicodeDecodeError:
        return None, [], [Problem(name, None, None, msg("scenario.not_utf8"))]
    except json.JSONDecodeError as err:
        return None, [], [Problem(name, None, err.lineno, msg("scenario.bad_json", line=err.lineno, column=err.colno))]
    reader = _Reader(name)
    values = reader.shape(data, "file", msg("scenario.where.file"))
    process = values.get("process")
    if process is not None and process != stem(name):
        reader.add(msg("scenario.where.file"), msg("scenario.file_name", process=process, expected=stem(name)))
    if values.get("scenarios") == []:
        reader.add(msg("scenario.where.file"), msg("scenario.empty"))
    scenarios, seen = [], set()
    for index, item in enumerate(values.get("scenarios") or (), start=1):
        scenario = reader.scenario(item, index, process or stem(name), seen)
        if scenario is not None:
            scenarios.append(scenario)
    return process, scenarios, reader.problems


class _Reader:
    """Reads one file's objects by their shape (SHAPES), collecting every problem."""

    def __init__(self, file_name):
        self.file, self.problems = file_name, []

    def add(self, where, reason):
        self.problems.append(Problem(self.file, None, None, msg("scenario.at", where=where, reason=reason)))

    def shape(self, value, kind, where):
        """The keys of `value` that have the right type; unknown, missing and mistyped keys are problems."""
        if not isinstance(value, dict):
            self.add(where, msg("scenario.not_object"))
            return {}
        kinds, required = SHAPES[kind]
        found = {}
        for key, item in value.items():
            wanted = kinds.get(key)
            if wanted is None:
                self.add(where, msg("scenario.key_unknown", key=key))
            elif not _has_kind(item, wanted):
                self.add(where, msg("scenario.key_type", key=key, kind=msg(f"scenario.type.{wanted}")))
            else:
                found[key] = item
        for key in required:
            if key not in value:
                self.add(where, msg("scenario.key_missing", key=key))
        return found

    def scenario(self, item, index, process, seen):
        """The Scenario, or None when any part of it has a problem (a scenario is played whole or not at all)."""
        before = len(self.problems)
        name = item.get("name") if isinstance(item, dict) and isinstance(item.get("name"), str) else None
        where = msg("scenario.where.scenario", name=name or index)
        values = self.shape(item, "scenario", where)
        scenario_id = values.get("id")
        if scenario_id is not None and (not is_ncname(scenario_id) or len(scenario_id) > ID_LENGTH):
            self.add(where, msg("scenario.bad_id", id=scenario_id, limit=ID_LENGTH))
        elif scenario_id in seen:
            self.add(where, msg("scenario.duplicate_id", id=scenario_id))
        seen.add(scenario_id)
        if "clock" in values and not _is_time(values["clock"]):
            self.add(where, msg("scenario.bad_clock", value=values["clock"]))
        start = self.acting(values["start"], "start", msg("scenario.where.start", name=name or index)) \
            if "start" in values else Acting()
        steps = tuple(self.step(step, number, name or index) for number, step in enumerate(values.get("steps", ()), 1))
        expect = self.expect(values.get("expect", {}), msg("scenario.where.expect", name=name or index))
        if len(self.problems) > before:
            return None
        return Scenario(self.file, process, scenario_id, values["name"], values.get("clock"), start, steps, expect)

    def acting(self, value, kind, where):
        values = self.shape(value, kind, where)
        if isinstance(value, dict) and "role" not in values and "user" not in values:
            self.add(where, msg("scenario.actor_missing"))
        return Acting(values.get("role"), values.get("org"), values.get("user"), values.get("data", {}))

    def step(self, value, number, name):
        where = msg("scenario.where.step", name=name, number=number)
        kinds = [kind for kind in ("complete", "wait") if isinstance(value, dict) and kind in value]
        if len(kinds) != 1:
            self.add(where, msg("scenario.step_kind"))
            return Step(number)
        if kinds == ["wait"]:
            duration = self.shape(value, "wait", where).get("wait")
            if duration is not None and not is_duration(duration):
                self.add(where, msg("scenario.bad_duration", value=duration))
            return Step(number, wait=duration)
        acting = self.acting(value, "complete", where)
        return Step(number, complete=value.get("complete") if isinstance(value.get("complete"), str) else None,
                    acting=acting)

    def expect(self, value, where):
        values = self.shape(value, "expect", where)
        if "status" in values and values["status"] not in STORED_INSTANCE_STATUSES:
            self.add(where, msg("scenario.status_unknown", status=values["status"], names="、".join(STORED_INSTANCE_STATUSES)))
        open_tasks = values.get("open_tasks")
        return Expect(values.get("status"), tuple(values.get("path", ())), values.get("path_exact", False),
                      values.get("data", {}), tuple(open_tasks) if open_tasks is not None else None)


def _has_kind(value, kind):
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, KINDS[kind]) and not isinstance(value, bool)


def _is_time(text):
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def scenario_problems(files, parsed, roles=None):
    """Problems of the bundle's scenario files: their shape, then each against the bundle's parsed processes
    (`parsed`, app.engine.parser.ParsedBundle) and role codes (`roles`; default: the catalogue's)."""
    roles = LABELS["role"] if roles is None else roles
    problems = []
    for name, content in sorted(files.items()):
        if not is_scenario_file(name):
            continue
        process, scenarios, found = read_scenario_file(name, content)
        problems.extend(found)
        if process is None:
            continue
        if process not in parsed.process_files:
            key = "scenario.process_not_executable" if process in parsed.non_executable else "scenario.process_unknown"
            problems.append(Problem(name, None, None, msg("scenario.at", where=msg("scenario.where.file"),
                                                          reason=msg(key, process=process))))
            continue
        family = ProcessFamily(parsed, process)
        for scenario in scenarios:
            problems.extend(Problem(name, element, None, text) for element, text in family.check(scenario, roles))
    return problems


class ProcessFamily:
    """A process with the processes it calls and those its messages start: whose human tasks a scenario completes."""

    def __init__(self, parsed, process_id):
        self.process = process_id
        self.ids = family_ids(parsed, process_id)
        humans = {t.element_id for t in tasks(parsed) if t.process_id in self.ids and t.kind in HUMAN_KINDS}
        nodes = set()
        for pid in self.ids:
            element = parsed.process_element(pid)
            nodes |= {n.get("id") for n in element.iter() if isinstance(n.tag, str) and local_name(n) in FLOW_NODE_TAGS}
        self.human_tasks, self.nodes = humans, nodes

    def check(self, scenario, roles):
        """(element id, Chinese sentence) for each step, role and expected element the bundle does not have."""
        where = msg("scenario.where.scenario", name=scenario.name)
        found = []
        for acting, place in [(scenario.start, msg("scenario.where.start", name=scenario.name))] + [
                (s.acting, msg("scenario.where.step", name=scenario.name, number=s.number)) for s in scenario.steps]:
            if acting is not None and acting.role is not None and acting.role not in roles:
                found.append((None, msg("scenario.at", where=place, reason=msg("scenario.role_unknown", role=acting.role))))
        for step in scenario.steps:
            if step.complete is not None and step.complete not in self.human_tasks:
                found.append((step.complete, msg("scenario.at", where=msg(
                    "scenario.where.step", name=scenario.name, number=step.number), reason=self._not_human(step.complete))))
        for element in scenario.expect.open_tasks or ():
            if element not in self.human_tasks:
                found.append((element, msg("scenario.at", where=where, reason=self._not_human(element))))
        for element in scenario.expect.path:
            if element not in self.nodes:
                found.append((element, msg("scenario.at", where=where, reason=msg(
                    "scenario.path_unknown", element=element, process=self.process))))
        return found

    def _not_human(self, element):
        if element in self.nodes:
            return msg("scenario.not_human", element=element)
        return msg("scenario.task_unknown", element=element, process=self.process)


def family_ids(parsed, process_id):
    """The process, the processes its call activities call and those its thrown messages start, transitively."""
    starters = {}
    for pid in parsed.process_files:
        for name in start_messages(parsed, pid):
            starters.setdefault(name, set()).add(pid)
    seen, todo = set(), [process_id]
    while todo:
        pid = todo.pop()
        element = parsed.process_element(pid) if pid in parsed.process_files else None
        if pid in seen or element is None:
            continue
        seen.add(pid)
        todo.extend(node.get("calledElement") for node in element.iter(f"{{{BPMN_NS}}}callActivity"))
        for name in _thrown_messages(element):
            todo.extend(starters.get(name, ()))
    return seen


def _thrown_messages(process):
    """Names of the messages a process throws (throw and end events, send tasks), as SpiffWorkflow names them."""
    root = process.getroottree().getroot()
    names = {m.get("id"): m.get("name") or m.get("id") for m in root.iter(f"{{{BPMN_NS}}}message")}
    refs = []
    for node in process.iter():
        if isinstance(node.tag, str) and local_name(node) in THROWERS:
            refs.append(node.get("messageRef"))
            refs.extend(d.get("messageRef") for d in node.iter(f"{{{BPMN_NS}}}messageEventDefinition"))
    return {names.get(ref, ref) for ref in refs if ref}


def compare_end(expect, status, path, data, open_tasks):
    """Chinese sentences for every way the end differs from the expectation (none: it holds)."""
    failures = []
    if expect.status is not None and expect.status != status:
        failures.append(msg("scenario.expect_status", expected=label("instance_status", expect.status),
                            actual=label("instance_status", status)))
    failures.extend(_path_failures(expect, path))
    for key, wanted, actual in _data_differences(expect.data, data):
        if actual is MISSING:
            failures.append(msg("scenario.expect_data_missing", key=key, expected=show(wanted)))
        else:
            failures.append(msg("scenario.expect_data", key=key, expected=show(wanted), actual=show(actual)))
    if expect.open_tasks is not None and sorted(set(expect.open_tasks)) != sorted(set(open_tasks)):
        failures.append(msg("scenario.expect_open", expected=_names(sorted(set(expect.open_tasks))),
                            actual=_names(sorted(set(open_tasks)))))
    return failures


def _path_failures(expect, path):
    shown = " → ".join(path) or msg("scenario.none")
    if expect.path_exact:
        return [] if list(expect.path) == list(path) else [
            msg("scenario.expect_path_exact", expected=" → ".join(expect.path) or msg("scenario.none"), actual=shown)]
    remaining = iter(path)
    for index, element in enumerate(expect.path):
        if element not in remaining:  # consumes the path up to the match: an ordered subsequence
            if index == 0:
                return [msg("scenario.expect_path_first", element=element, actual=shown)]
            return [msg("scenario.expect_path", element=element, previous=expect.path[index - 1], actual=shown)]
    return []


MISSING = object()


def _data_differences(expected, actual, prefix=""):
    """(key, expected, actual or MISSING) where `actual` does not hold `expected` (objects compared key by key)."""
    for key, wanted in expected.items():
        name = f"{prefix}{key}"
        if not isinstance(actual, dict) or key not in actual:
            yield name, wanted, MISSING
        elif isinstance(wanted, dict) and isinstance(actual[key], dict):
            yield from _data_differences(wanted, actual[key], f"{name}.")
        elif not _same(wanted, actual[key]):
            yield name, wanted, actual[key]


def _same(a, b):
    return isinstance(a, bool) == isinstance(b, bool) and a == b  # JSON true is not 1


def show(value):
    return json.dumps(value, ensure_ascii=False, default=str)


def _names(elements):
    return "、".join(elements) or msg("scenario.none")
