"""Scenario tests: play a bundle's `<process>.scenarios.json` files in an isolated database, in a process of their own.

freezegun moves the clock of a whole process, so scenarios never run in the caller's (the web server's):
`run_scenarios` builds a fresh SQLite file in a temporary folder, its schema from the models' metadata, copies the
caller's reference data into it, and starts one worker (`python -m app.cli.scenario_worker`, bounded by `timeout`)
that deploys the bundle there through the real validate-and-deploy path and plays each scenario with
`app.workflow.scenario_player.ScenarioPlayer` on a frozen clock, each on its own copy of the freshly deployed database.

Reference data, one rule: every table of the metadata is copied whole, except the runtime and history tables named
in RUNTIME_TABLES (what instances, people's work and the record produce, the deployments, designers' drafts, sign-in
state and credentials). A copied row's link to a runtime row (the instance that made a list item's version) is
cleared, that row not being copied. So organisations, users and their roles, the holiday table (the working
calendar), the responsibility lists and their versions, and any reference table added later, reach the scenarios.
Tables are named, never imported: the platform knows nothing of governance's models.
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from math import ceil
from pathlib import Path

from sqlalchemy import create_engine, inspect, select

from app.config import Config
from app.db import Base
from app.definitions.defaults import STANDARD_START_DATA
from app.definitions.files import stem
from app.definitions.models import DeployedProcess
from app.definitions.scenario_files import bundle_scenarios, is_scenario_file
from app.domain import access
from app.domain.audit import AuditEvent
from app.domain.people import User
from app.engine.problems import errors_in
from app.engine.runner import Engine, RunLimits
from app.errors import InvalidState
from app.messages import msg
from app.workflow.instances import get_instance, instance_data
from app.workflow.models import HumanTask
from app.workflow.runtime import Runtime, Settings
from app.workflow.scenario_player import instance_family

WORKER = "app.cli.scenario_worker"
RUNTIME_TABLES = frozenset({
    "process_instance", "human_task", "task_candidate", "message_wait", "message_record",  # instances and work
    "deployment", "deployed_file", "deployed_process", "deployed_form",  # the bundle under test is deployed afresh
    "design_draft", "design_draft_revision", "deploy_request", "deploy_request_file",  # designers' work
    "audit_event", "audit_checkpoint", "notification", "notification_read", "attachment",  # the record, messages
    "login_throttle", "api_token",  # sign-in state and credentials
    "call", "call_party", "call_extension", "call_urge", "evaluation", "supervision_case",  # governance's runtime
})
HIDDEN_KEYS = STANDARD_START_DATA  # what start_instance adds to the start data itself
RECORDED_KEYS = 8  # how many of the final data's values a recorded scenario expects


def run_scenarios(session, files, only_process=None, timeout=None):
    """Play every scenario of the bundle `files` (one process's with `only_process`); one result dict each."""
    timeout = Config.SCENARIO_TIME_LIMIT if timeout is None else timeout
    scenarios, problems = bundle_scenarios(files)
    entries = _entries(files, scenarios, only_process)
    if not entries:
        return []
    if errors_in(problems):  # a file that does not read: the deploy would refuse the bundle, no need to start one
        refusal = msg("def.bundle_rejected", count=len(errors_in(problems)))
        return [_failed(entry, _bundle_failures(refusal, [p.as_dict() for p in problems])) for entry in entries]
    with tempfile.TemporaryDirectory(prefix="tianchang-scenarios-") as folder:
        database = Path(folder) / "scenarios.db"
        build_isolated_database(session, f"sqlite:///{database}")
        outcome = _run_worker(Path(folder), database, files, only_process, timeout)
    return [_outcome_of(entry, outcome, timeout) for entry in entries]


def _entries(files, scenarios, only_process):
    """(file, process, scenario id, name) to report on: each scenario read, or a file that gave none."""
    entries = []
    for name in sorted(n for n in files if is_scenario_file(n)):
        found = [(s.file, s.process, s.id, s.name) for s in scenarios if s.file == name]
        entries.extend(found or [(name, stem(name), None, name)])
    return [e for e in entries if only_process is None or e[1] == only_process]


def _failed(entry, failures, status=None):
    file, process, scenario_id, name = entry
    return {"process": process, "file": file, "scenario": scenario_id, "name": name, "passed": False,
            "status": status, "path": [], "failures": failures, "duration_ms": 0}


def _bundle_failures(message, problems):
    """The refusal, then each error (problems as dicts, as Problem.as_dict gives them): file and message."""
    return [msg("scenario.bundle_invalid", message=message)] + [
        msg("scenario.problem", file=p["file"], message=p["message"]) for p in problems if p["severity"] == "error"]


def build_isolated_database(session, url):
    """A fresh database at `url`: the metadata's schema and the caller's reference data (the module's rule)."""
    target = create_engine(url)
    try:
        Base.metadata.create_all(target)
        copy_reference_data(session, target)
    finally:
        target.dispose()


def copy_reference_data(session, target):
    """Copy every reference table (all but RUNTIME_TABLES) from the caller's session into the `target` engine."""
    existing = set(inspect(session.connection()).get_table_names())
    with target.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in RUNTIME_TABLES or table.name not in existing:
                continue
            cleared = dict.fromkeys(c.name for c in table.columns
                                    if any(fk.column.table.name in RUNTIME_TABLES for fk in c.foreign_keys))
            rows = [{**row, **cleared} for row in session.execute(select(table)).mappings()]
            if rows:
                connection.execute(table.insert(), rows)


def _run_worker(folder, database, files, only_process, timeout):
    """{"deploy": …, "results": {(file, scenario id): result}, "timed_out", "error"} of one worker run."""
    request, results = folder / "request.json", folder / "results.jsonl"
    request.write_text(json.dumps({
        "database": str(database), "results": str(results), "uploads": str(folder / "uploads"),
        "only_process": only_process, "files": {n: base64.b64encode(c).decode() for n, c in files.items()}}))
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    timed_out, error = False, None
    try:
        done = subprocess.run([sys.executable, "-m", WORKER, str(request)], cwd=folder, env=env, timeout=timeout,
                              capture_output=True, text=True, check=False)
        if done.returncode:
            error = (done.stderr.strip().splitlines() or [str(done.returncode)])[-1]
    except subprocess.TimeoutExpired:
        timed_out = True
    outcome = {"deploy": None, "results": {}, "timed_out": timed_out, "error": error}
    for line in results.read_text(encoding="utf-8").splitlines() if results.exists() else ():
        try:
            item = json.loads(line)
        except ValueError:  # the last line, cut short when the time limit stopped the worker
            continue
        if "deploy" in item:
            outcome["deploy"] = item["deploy"]
        else:
            outcome["results"][(item["file"], item["scenario"])] = item
    return outcome


def _outcome_of(entry, outcome, timeout):
    result = outcome["results"].get((entry[0], entry[2]))
    if result is not None:
        return result
    deploy = outcome["deploy"]
    if deploy is not None and not deploy["ok"]:
        return _failed(entry, _bundle_failures(deploy["message"], deploy["problems"]))
    if outcome["timed_out"]:
        return _failed(entry, [msg("scenario.timeout", seconds=f"{timeout:g}")])
    return _failed(entry, [msg("scenario.worker_failed", detail=outcome["error"] or msg("scenario.none"))])


def record_scenario(session, instance_id, runtime=None):
    """One scenario recorded from a real instance (running or ended), to play back on the same bundle.

    Its clock starts when the instance did; it starts as the initiator's role and organisation with the start data;
    then, in the order they happened, waits for the time that passed and completes each human task of the instance
    and the instances its messages started, as the acting user's matching candidate role and organisation, with the
    submitted data; it expects the end status, the human tasks in order, a few of the final data's values (`runtime`
    reads them; without one, a reader built from Config's defaults does) and, while running, the open tasks.
    """
    instance = get_instance(session, instance_id)
    streams = [f"instance:{i}" for i in sorted(instance_family(session, instance_id))]
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.stream.in_(streams)).order_by(AuditEvent.id)))
    begun = next((e for e in events if e.action == "instance.start" and e.instance_id == instance_id), None)
    starter = session.scalar(select(User).where(User.username == begun.actor)) if begun is not None else None
    if starter is None or "message" in begun.payload:
        raise InvalidState(msg("scenario.record_not_person"))
    start_data = _submitted(begun.payload.get("data"))
    clock, steps, path = begun.at, [], []
    for event in events:
        if event.action != "task.complete":
            continue
        clock = _wait_until(steps, clock, event.at)
        steps.append(_recorded_step(session, event))
        path += [event.payload.get("task")] if event.instance_id == instance_id else []
    _wait_until(steps, clock, events[-1].at)
    final = instance_data(session, runtime or _reading_runtime(), instance)
    keys = [*start_data, *(key for step in steps for key in step.get("data", {}))]
    expect = {"status": instance.status, "path": path, "data": _some_values(final, keys)}
    if instance.status == "running":
        expect["open_tasks"] = sorted({t.bpmn_id for t in session.scalars(select(HumanTask).where(
            HumanTask.instance_id.in_(instance_family(session, instance_id)), HumanTask.status == "open"))})
    return {"id": f"recorded_{instance.id}", "name": msg("scenario.recorded_name", key=instance.business_key or
                                                          instance.id),
            "clock": begun.at.isoformat(), "start": {"role": _start_role(session, instance, starter),
                                                     "org": starter.org.code, "data": start_data},
            "steps": steps, "expect": expect}


def _submitted(data):
    """What a person submitted, without what the platform filled in (nulls for fields left out, the initiator)."""
    return {k: v for k, v in (data or {}).items() if v is not None and k not in HIDDEN_KEYS}


def _wait_until(steps, clock, moment):
    """Add a wait from `clock` to `moment` (whole seconds, rounded up, never early); the clock after it."""
    seconds = ceil((moment - clock).total_seconds())
    if seconds < 1:
        return clock
    steps.append({"wait": _iso_duration(seconds)})
    return clock + timedelta(seconds=seconds)


def _iso_duration(seconds):
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time = "".join(f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value)
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


def _recorded_step(session, event):
    user = session.scalar(select(User).where(User.username == event.actor))
    task = session.scalar(select(HumanTask).where(HumanTask.instance_id == event.instance_id,
                                                  HumanTask.task_uuid == event.task_id))
    step = {"complete": event.payload.get("task")}
    if user is None:
        step["user"] = event.actor
    else:
        matched = [c.role for c in (task.candidates if task else ()) if access.matches_candidate(user, c)]
        step["role"] = next((r for r in matched if r != access.ANY), None) or sorted(user.roles)[0]
        step["org"] = user.org.code
    step["data"] = _submitted(event.payload.get("data"))
    return step


def _start_role(session, instance, starter):
    """The initiator's role that the start event allows (the first, by code); any of theirs when none does."""
    allowed = session.scalar(select(DeployedProcess.start_roles).where(
        DeployedProcess.deployment_id == instance.deployment_id, DeployedProcess.process_id == instance.process_id))
    return sorted(starter.roles & set(allowed or ()) or starter.roles)[0]


def _some_values(final, keys):
    """A few scalar values of the final data, under the keys the start and the forms set."""
    values = {}
    for key in dict.fromkeys(keys):
        value = final.get(key)
        if isinstance(value, (str, int, float, bool)) and len(values) < RECORDED_KEYS:
            values[key] = value
    return values


def _reading_runtime():
    """A runtime that only reads stored states (no script runs): Config's defaults serve."""
    config = Config()
    return Runtime(Engine(RunLimits.from_config(config)), Settings.from_config(config))
