"""Engine overhead: bare SpiffWorkflow vs our service layer vs our HTTP API, on SpiffArena's benchmark diagrams.

Run by hand (`make bench` or `.venv/bin/python bench/engine_overhead.py [--instances 300] [--database-url URL]
[--history N]`). All three modes run in this process, in this run, on ../shared/bench/flow_8_user_tasks.bpmn (and
flow_mi.bpmn): every user task is completed with a small payload unique per instance. The diagrams get a `form` and
a `role` property injected (our deploy validation requires both); nothing else changes.

`--history N` first stores N completed instances of a one-task process for the same organisation and role through
the service layer (start and complete, one transaction per batch of instances, not a request each), so the
completion and inbox figures are taken on a database with history. The inbox is timed with 40 open tasks waiting
(two pages). The last line is machine-readable:
`RESULT history=N service_ms=… http_ms=… inbox_p50_ms=… inbox_p95_ms=… sql_per_completion=… …` (medians unless
named; `sql_per_completion` is the service layer's, `http_sql_per_completion` the HTTP API's).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("TIANCHANG_SHARED", ROOT.parent / "shared")) / "bench"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"
FORM = {"type": "default", "id": "bench_form", "schemaVersion": 19, "components": [
    {"type": "textfield", "id": "f_note", "key": "note", "label": "备注"},
    {"type": "textfield", "id": "f_route", "key": "route", "label": "路线"}]}


def with_properties(path):
    """The diagram with form/role properties on every user task, and start roles on its start events."""
    root = etree.parse(str(path)).getroot()
    for task in root.iter(f"{BPMN}userTask"):
        ext = task.find(f"{BPMN}extensionElements")
        if ext is None:
            ext = etree.Element(f"{BPMN}extensionElements")
            task.insert(0, ext)
        props = etree.SubElement(ext, f"{SPIFF}properties")
        for name, value in (("form", "bench_form"), ("role", "town_staff")):
            etree.SubElement(props, f"{SPIFF}property", name=name, value=value)
    for start in root.iter(f"{BPMN}startEvent"):  # the bench's starter is a town worker
        ext = start.find(f"{BPMN}extensionElements")
        if ext is None:
            ext = etree.Element(f"{BPMN}extensionElements")
            start.insert(0, ext)
        props = etree.SubElement(ext, f"{SPIFF}properties")
        etree.SubElement(props, f"{SPIFF}property", name="start_roles", value="town_staff")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


HISTORY_BPMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="history_defs"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="history_flow" name="history" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="start_roles" value="town_staff"/>
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:startEvent>
    <bpmn:userTask id="handle" name="handle"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="form" value="bench_form"/>
      <spiffworkflow:property name="role" value="town_staff"/>
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>"""


def payload(instance, step, bpmn_id):
    data = {"note": f"instance-{instance}-step-{step}"}
    if bpmn_id == "choose_route":
        data["route"] = "fan_out"
    return data


def pick(values, q):
    return values[min(len(values) - 1, int(q * len(values)))]


def summarise(samples):
    wall = sorted(s[0] for s in samples)
    cpu = sorted(s[1] for s in samples)
    return {"wall_median": statistics.median(wall), "wall_p95": pick(wall, 0.95),
            "cpu_median": statistics.median(cpu), "cpu_p95": pick(cpu, 0.95), "count": len(samples)}


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


def bench_bare(diagram, process_id, instances, warmup):
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.util.task import TaskState

    parser = SpiffBpmnParser()
    parser.add_bpmn_str(diagram)
    spec = parser.get_spec(process_id)
    samples = []
    for i in range(warmup + instances):
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        step = 0
        while ready := workflow.get_tasks(state=TaskState.READY, manual=True):
            task = ready[0]

            def complete(task=task, step=step, i=i, workflow=workflow):
                data = payload(i, step, task.task_spec.bpmn_id)
                task.data.update(data)
                if task.task_spec.name.endswith("[child]"):  # what our host does for a multi-instance output item
                    task.data["result"] = dict(data)
                task.run()
                workflow.do_engine_steps()
            sample = timed(complete)
            if i >= warmup:
                samples.append(sample)
            step += 1
    return summarise(samples)


class Host:
    """Our app on a database of its own: migrated, demo users, the bench bundle deployed."""

    def __init__(self, url, diagrams):
        from flask_migrate import upgrade
        from sqlalchemy import event

        from app import create_app
        from app.config import Config
        from app.domain.people import get_user
        from app.extensions import db
        from app.governance.demo import load_demo
        from app.workflow.deployments import deploy_files

        self.app = create_app(Config.from_env(DATABASE_URL=url, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
                                              TIMER_INTERVAL=0))
        self.ctx = self.app.app_context()
        self.ctx.push()
        upgrade(directory=str(ROOT / "app/migrations"))
        load_demo(db.session, "bench-password", "pbkdf2:sha256:1000")
        files = dict(diagrams)
        files["bench_form.json"] = json.dumps(FORM).encode()
        deploy_files(db.session, self.runtime, get_user(db.session, "admin"), files)
        db.session.commit()
        self.statements = 0
        event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.statements += 1

    @property
    def runtime(self):
        return self.app.extensions["tianchang.runtime"]

    def user(self, name):
        from app.domain.people import get_user
        from app.extensions import db

        return get_user(db.session, name)

    def close(self):
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
        self.ctx.pop()


def open_task(instance_id):
    from sqlalchemy import select

    from app.extensions import db
    from app.workflow.models import HumanTask

    return db.session.scalar(select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
                             .order_by(HumanTask.id).limit(1))


def bench_host(host, process_id, instances, warmup, complete):
    """Start instances untimed; time each completion (its request or operation and its commit)."""
    from app.extensions import db
    from app.workflow.instances import start_instance

    starter = host.user("zhenjie")
    samples, statements, ids = [], [], []
    for i in range(warmup + instances):
        instance = start_instance(db.session, host.runtime, starter, process_id, {})
        db.session.commit()
        ids.append(instance.id)
        step = 0
        while (task := open_task(instance.id)) is not None:
            task_id, bpmn_id = task.id, task.bpmn_id
            db.session.expire_all()
            starter.roles, starter.org.code  # noqa: B018 - the service layer is handed a loaded actor (HTTP loads it)
            before = host.statements
            sample = timed(lambda task_id=task_id, bpmn_id=bpmn_id, step=step, i=i: complete(task_id, payload(i, step, bpmn_id)))
            if i >= warmup:
                samples.append(sample)
                statements.append(host.statements - before)
            step += 1
    result = summarise(samples)
    result["sql_per_completion"] = statistics.mean(statements)
    result["bytes_per_instance"] = stored_bytes(ids[warmup:])
    return result


def store_history(host, count, batch=500):
    """Store `count` completed one-task instances through the service layer, one transaction per batch."""
    from app.extensions import db
    from app.workflow.instances import start_instance
    from app.workflow.tasks import complete_task

    clerk, started = host.user("zhenjie"), time.perf_counter()
    for done in range(0, count, batch):
        for i in range(done, min(count, done + batch)):
            instance = start_instance(db.session, host.runtime, clerk, "history_flow", {})
            complete_task(db.session, host.runtime, clerk, open_task(instance.id).id, {"note": f"history-{i}"})
        db.session.commit()
        db.session.expunge_all()  # a batch's rows are not needed again: keep the identity map small
        clerk = host.user("zhenjie")
        if (done // batch) % 20 == 19:
            print(f"  history: {done + batch} instances, {time.perf_counter() - started:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    print(f"history: {count} completed instances stored in {seconds:.1f} s ({count / max(seconds, 1e-9):.0f}/s)")


def bench_inbox(host, rounds=200, waiting=40):
    """Time the clerk's inbox (first page, with its count) with `waiting` open tasks: service layer and HTTP."""
    from app.domain.people import issue_token
    from app.extensions import db
    from app.workflow.instances import start_instance
    from app.workflow.tasks import inbox

    clerk = host.user("zhenjie")
    for _ in range(waiting):
        start_instance(db.session, host.runtime, clerk, "flow_8_user_tasks", {})
    token, _ = issue_token(db.session, clerk, "bench-inbox")
    db.session.commit()
    service, http, client = [], [], host.app.test_client()
    for _ in range(rounds):
        db.session.expire_all()
        clerk.roles, clerk.org.code  # noqa: B018 - as for completions: the service layer gets a loaded user
        service.append(timed(lambda: inbox(db.session, clerk))[0])
        db.session.rollback()
        with host.app.app_context():
            http.append(timed(lambda: client.get("/api/tasks", headers={"Authorization": f"Bearer {token}"}))[0])
    service.sort()
    http.sort()
    return {"p50": statistics.median(service), "p95": pick(service, 0.95),
            "http_p50": statistics.median(http), "http_p95": pick(http, 0.95)}


def stored_bytes(instance_ids):
    """Bytes of every stored value of these instances: state row, task rows, candidates, audit events."""
    from sqlalchemy import bindparam, inspect, text

    from app.extensions import db

    where = {
        "process_instance": "id IN :ids",
        "human_task": "instance_id IN :ids",
        "task_candidate": "task_id IN (SELECT id FROM human_task WHERE instance_id IN :ids)",
        "audit_event": "instance_id IN :ids",
        "message_wait": "instance_id IN :ids",
    }
    postgres = db.engine.dialect.name == "postgresql"
    inspector = inspect(db.engine)
    total = 0
    for table, condition in where.items():
        sizes = []
        for column in inspector.get_columns(table):
            name = column["name"]
            binary = name == "state"
            if postgres:
                sizes.append(f"COALESCE(octet_length({name}{'' if binary else '::text'}), 0)")
            else:
                sizes.append(f"COALESCE(length(CAST({name} AS BLOB)), 0)")
        query = text(f"SELECT SUM({' + '.join(sizes)}) FROM {table} WHERE {condition}")
        query = query.bindparams(bindparam("ids", expanding=True))
        total += db.session.execute(query, {"ids": list(instance_ids)}).scalar() or 0
    return total / len(instance_ids)


def service_completer(host):
    from app.extensions import db
    from app.workflow.tasks import complete_task

    user = host.user("zhenjie")

    def complete(task_id, data):
        complete_task(db.session, host.runtime, user, task_id, data)
        db.session.commit()
    return complete


def http_completer(host):
    from app.domain.people import issue_token
    from app.extensions import db

    token, _ = issue_token(db.session, host.user("zhenjie"), "bench")
    db.session.commit()
    client = host.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def complete(task_id, data):
        with host.app.app_context():  # a fresh context and session per request, as in production
            response = client.post(f"/api/tasks/{task_id}/complete", json={"data": data}, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(response.get_json())
    return complete


def run(args):
    flows = [("flow_8_user_tasks", SHARED / "flow_8_user_tasks.bpmn"), ("flow_mi", SHARED / "flow_mi.bpmn")]
    flows = [f for f in flows if f[0] in args.flows.split(",")]
    diagrams = {f"{pid}.bpmn": with_properties(path) for pid, path in flows}
    diagrams["history_flow.bpmn"] = HISTORY_BPMN
    results = {}
    for pid, _path in flows:
        bare = bench_bare(diagrams[f"{pid}.bpmn"], pid, args.instances, args.warmup)
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{tmp}/bench.db"
            host = Host(url, diagrams)
            try:
                main = pid == "flow_8_user_tasks"
                if main and args.history:
                    store_history(host, args.history)
                service = bench_host(host, pid, args.instances, args.warmup, service_completer(host))
                http = bench_host(host, pid, args.instances, args.warmup, http_completer(host))
                inbox = bench_inbox(host) if main else None
            finally:
                host.close()
        results[pid] = {"bare": bare, "service": service, "http": http, "inbox": inbox}
        report(pid, results[pid], url)
    main = results.get("flow_8_user_tasks") or next(iter(results.values()))
    inbox = main["inbox"] or {"p50": float("nan"), "p95": float("nan"), "http_p50": float("nan"),
                              "http_p95": float("nan")}
    print(
        f"RESULT history={args.history} service_ms={main['service']['wall_median']:.3f} "
        f"http_ms={main['http']['wall_median']:.3f} inbox_p50_ms={inbox['p50']:.3f} inbox_p95_ms={inbox['p95']:.3f} "
        f"sql_per_completion={main['service']['sql_per_completion']:.1f} "
        f"http_sql_per_completion={main['http']['sql_per_completion']:.1f} "
        f"inbox_http_p50_ms={inbox['http_p50']:.3f} inbox_http_p95_ms={inbox['http_p95']:.3f} "
        f"bare_ms={main['bare']['wall_median']:.3f} service_cpu_ms={main['service']['cpu_median']:.3f} "
        f"ratio_cpu={main['service']['cpu_median'] / main['bare']['wall_median']:.1f} "
        f"bytes_per_instance={main['service']['bytes_per_instance']:.0f}"
    )


def report(pid, result, url):
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite (file)"
    print(f"\n{pid} on {database}")
    print(f"{'mode':8} {'wall ms median':>15} {'p95':>8} {'cpu ms median':>14} {'p95':>8} {'SQL/compl.':>11} {'bytes/inst':>11}")
    for mode in ("bare", "service", "http"):
        r = result[mode]
        sql = f"{r['sql_per_completion']:.1f}" if "sql_per_completion" in r else "-"
        size = f"{r['bytes_per_instance']:.0f}" if "bytes_per_instance" in r else "-"
        print(f"{mode:8} {r['wall_median']:15.3f} {r['wall_p95']:8.3f} {r['cpu_median']:14.3f} {r['cpu_p95']:8.3f} "
              f"{sql:>11} {size:>11}")
    if result.get("inbox"):
        r = result["inbox"]
        print(f"inbox (first page of 40 open): service p50 {r['p50']:.3f} p95 {r['p95']:.3f} ms, "
              f"HTTP p50 {r['http_p50']:.3f} p95 {r['http_p95']:.3f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--database-url", default=os.environ.get("TIANCHANG_BENCH_DATABASE_URL"))
    parser.add_argument("--history", type=int, default=0, help="completed instances to store first")
    parser.add_argument("--flows", default="flow_8_user_tasks,flow_mi", help="comma-separated diagrams to run")
    run(parser.parse_args())
