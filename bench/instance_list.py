"""The console's instance list at scale: 1 M instances on PostgreSQL, the list page's queries timed.

Run by hand (never in tests; it needs a PostgreSQL server and creates, then drops, a database of its own):

    .venv/bin/python bench/instance_list.py --server postgresql+psycopg://postgres@127.0.0.1:55433 \
        [--instances 1000000] [--runs 7] [--explain] [--keep | --reuse]

It migrates a fresh database `tc_bench_list` (the real migrations, so the real indexes), loads the demo
organisations and users, and fills it in SQL with generate_series: three processes in two versions each, N
instances (≈45 % completed, 10 % terminated, 38 % running, 3 % suspended, 2 % error; call numbers as business keys;
start times over two years, increasing with the id), 1–3 human tasks per instance (≈20 % open, some overdue; a
running instance without an open task is "waiting") and one candidate organisation per task. Then it times what
the list page asks (app/workflow/instance_list.py, the same functions the page calls): the first page and the
counts per status under each filter, median of `--runs` runs after one warm-up, and prints a table (`--explain`
prints each query's EXPLAIN ANALYZE too). The last line is machine-readable: `RESULT name=ms …`.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "tc_bench_list"
PROCESSES = (("call_response", "呼叫—响应"), ("admission_approval", "准入审批"), ("supervision_case", "督办"))

FILL = """
INSERT INTO process_instance (id, process_id, process_name, deployment_id, status, business_key, state,
    serializer_version, next_timer_due, started_by, org_code, started_at, updated_at, ended_at, error,
    waits_for_messages, audit_seq, audit_hash, version)
SELECT i, p.pid, p.pname, d.id,
    s.status,
    CASE WHEN i % 3 = 0 THEN 'HJ' || to_char(date '2025-01-01' + (i / 1500), 'YYYYMMDD') || lpad((i % 100000)::text, 5, '0')
         ELSE NULL END,
    CAST('' AS bytea), '1.0',
    CASE WHEN s.status = 'running' AND i % 5 = 0 THEN now() + ((i % 700) - 20) * interval '1 minute' END,
    (ARRAY['wangge','zhenjie','nongye','gongan','bianban'])[1 + i % 5],
    orgs.codes[1 + (i * 7) % array_length(orgs.codes, 1)],
    now() - interval '730 days' + (i::float / :n) * interval '730 days',
    now() - interval '730 days' + (i::float / :n) * interval '730 days',
    CASE WHEN s.status IN ('completed', 'terminated')
         THEN now() - interval '730 days' + (i::float / :n) * interval '731 days' END,
    CASE WHEN s.status = 'error' THEN json_build_object('task', '办理', 'bpmn_id', 'handle', 'line', 1,
        'message', '除数为零', 'at', now()::text) END,
    false, 0, :genesis, 1
FROM generate_series(1, :n) AS i
CROSS JOIN LATERAL (SELECT CASE WHEN i % 100 < 45 THEN 'completed' WHEN i % 100 < 55 THEN 'terminated'
                                WHEN i % 100 < 58 THEN 'suspended' WHEN i % 100 < 60 THEN 'error'
                                ELSE 'running' END AS status) s
CROSS JOIN LATERAL (SELECT (ARRAY['call_response','call_response','call_response','admission_approval',
                            'supervision_case'])[1 + (i * 13) % 5] AS pid) pp
JOIN (VALUES ('call_response', '呼叫—响应'), ('admission_approval', '准入审批'), ('supervision_case', '督办'))
    AS p(pid, pname) ON p.pid = pp.pid
JOIN deployment d ON d.number = CASE WHEN i % 4 = 0 THEN :old ELSE :new END
CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes FROM organisation WHERE kind IN ('town', 'department')) orgs
"""

TASKS = """
INSERT INTO human_task (id, instance_id, task_uuid, process_id, bpmn_id, name, title, status, created_at, due_at,
    completed_at, completed_by)
SELECT i * 3 + k, i, md5((i * 3 + k)::text)::uuid::text, pi.process_id, 'step' || k,
    (ARRAY['签收','办理','确认'])[k], (ARRAY['签收','办理','确认'])[k] || '：' || coalesce(pi.business_key, ''),
    CASE WHEN pi.status IN ('running', 'suspended', 'error') AND k = 1 + i % 3 AND i % 10 <> 7 THEN 'open'
         WHEN pi.status = 'terminated' AND k = 1 + i % 3 THEN 'cancelled' ELSE 'completed' END,
    pi.started_at + k * interval '1 hour',
    pi.started_at + k * interval '1 hour' + CASE WHEN i % 9 = 0 THEN interval '2 days' ELSE interval '900 days' END,
    CASE WHEN NOT (pi.status IN ('running', 'suspended', 'error') AND k = 1 + i % 3)
         THEN pi.started_at + k * interval '2 hours' END,
    CASE WHEN NOT (pi.status IN ('running', 'suspended', 'error') AND k = 1 + i % 3) THEN pi.started_by END
FROM process_instance pi
CROSS JOIN LATERAL generate_series(1, 1 + pi.id % 3) AS k
CROSS JOIN LATERAL (SELECT pi.id AS i) ii
"""

CANDIDATES = """
INSERT INTO task_candidate (task_id, role, org_code)
SELECT t.id, CASE WHEN o.kinds[1 + (t.id * 11) % o.n] = 'town' THEN 'town_staff' ELSE 'dept_staff' END,
    o.codes[1 + (t.id * 11) % o.n]
FROM human_task t
CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes, array_agg(kind ORDER BY code) AS kinds, count(*) AS n
            FROM organisation WHERE kind IN ('town', 'department')) o
"""


# What every save sets (app/workflow/task_sync.py), for the rows filled above.
FLAGS = """
UPDATE process_instance SET has_open_task = true
WHERE id IN (SELECT instance_id FROM human_task WHERE status = 'open')
"""


def timed(label, work):
    started = time.perf_counter()
    result = work()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def bench_app(url):
    from app import create_app
    from app.config import Config

    return create_app(Config(DATABASE_URL=url, SECRET_KEY="bench", AUDIT_KEY="bench", PG_STATEMENT_TIMEOUT=0))


def fill(url, n):
    """Migrate and fill the bench database (the app's migrations and demo data, then SQL for the volume)."""
    from flask_migrate import upgrade

    from app.domain.audit import GENESIS
    from app.extensions import db
    from app.governance.demo import load_demo

    app = bench_app(url)
    with app.app_context():
        upgrade()
        load_demo(db.session, "tianchang", "pbkdf2:sha256:1000")
        db.session.commit()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET statement_timeout = 0"))
        for number in (1, 2):
            deployment = conn.execute(text(
                "INSERT INTO deployment (number, checksum, deployed_by, deployed_at, note) "
                "VALUES (:n, md5(CAST(:n AS text)), 'admin', now() - (3 - :n) * interval '300 days', '') RETURNING id"),
                {"n": number}).scalar()
            for pid, name in PROCESSES:
                conn.execute(text("INSERT INTO deployed_process (deployment_id, process_id, name, file_name, "
                                  "start_roles, start_messages) VALUES (:d, :p, :name, :file, '[]', '[]')"),
                             {"d": deployment, "p": pid, "name": name, "file": f"{pid}.bpmn"})
        timed("instances", lambda: conn.execute(text(FILL), {"n": n, "old": 1, "new": 2, "genesis": GENESIS}))
        timed("tasks", lambda: conn.execute(text(TASKS)))
        timed("candidates", lambda: conn.execute(text(CANDIDATES)))
        timed("open-task flags", lambda: conn.execute(text(FLAGS)))
        for table in ("process_instance", "human_task", "task_candidate"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        timed("vacuum analyze", lambda: conn.execute(text("VACUUM ANALYZE")))
    engine.dispose()
    return app


def cases():
    """(name, filters, page) the list page asks: the first page and deep pages, each filter alone, combined."""
    from app.workflow.instance_list import InstanceFilter as F

    return [("first page", F(), 1), ("page 500", F(), 500), ("status running", F(status="running"), 1),
            ("status waiting", F(status="waiting"), 1), ("status error", F(status="error"), 1),
            ("process", F(process_id="admission_approval"), 1),
            ("process+version", F(process_id="call_response", version=1), 1),
            ("org involved", F(org="nongye"), 1), ("overdue", F(overdue=True), 1),
            ("started between", F(started_from=_days_ago(40), started_to=_days_ago(30)), 1),
            ("business key prefix", F(key="HJ20250315"), 1), ("text search", F(q="准入"), 1),
            ("text call number", F(q="HJ2025031"), 1),
            ("org+overdue+running", F(org="nongye", overdue=True, status="running"), 1)]


def _days_ago(days):
    from datetime import date, timedelta

    return date.today() - timedelta(days=days)


def measure(app, runs, explain):
    """Median milliseconds of the page (rows + counts, as the page asks) per case; the counts alone too."""
    from sqlalchemy import event

    from app.domain.people import get_user
    from app.extensions import db
    from app.workflow.instance_list import filter_counts, instance_list
    from app.workflow.overview import overview

    zone, results = ZoneInfo("Asia/Shanghai"), {}
    with app.app_context():
        admin = get_user(db.session, "admin")
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda c, cur, sql, params, ctx, many: statements.append(
            (sql, params)))
        for name, filters, page in cases():
            page_ms = _median(runs, lambda f=filters, p=page: instance_list(db.session, admin, f, zone, p, 20))
            counts_ms = _median(runs, lambda f=filters: filter_counts(db.session, admin, f, zone))
            statements.clear()
            rows, total, _ = instance_list(db.session, admin, filters, zone, page, 20)
            results[name] = (page_ms, counts_ms, total, len(rows))
            print(f"{name:24} {page_ms:9.1f} {counts_ms:9.1f} {total:10d} {len(rows):5d}", flush=True)
            if explain:
                _explain(db.session, statements)
        results["overview"] = (_median(runs, lambda: overview(db.session)), 0.0, 0, 0)
        print(f"{'overview':24} {results['overview'][0]:9.1f}", flush=True)
    return results


def _median(runs, work):
    from app.extensions import db

    work()  # warm-up (plans, caches)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return statistics.median(times)


def _explain(session, statements):
    for sql, params in statements:
        if sql.lstrip().upper().startswith("SELECT") and "process_instance" in sql:
            plan = session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).scalars()
            print("    " + "\n    ".join(plan), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:55433")
    parser.add_argument("--instances", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (drop it by hand)")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep, without filling it")
    parser.add_argument("--database", default=DATABASE, help="the bench database's name (created and dropped)")
    args = parser.parse_args()
    server = make_url(args.server)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = args.database
    url = server.set(database=name).render_as_string(hide_password=False)
    if not args.reuse:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        if args.reuse:
            app = bench_app(url)
        else:
            print(f"filling {args.instances} instances", flush=True)
            app = fill(url, args.instances)
        print(f"{'query':24} {'page ms':>9} {'counts ms':>9} {'found':>10} {'rows':>5}")
        results = measure(app, args.runs, args.explain)
        print("RESULT " + " ".join(f"{name.replace(' ', '_').replace('+', '_')}={page:.1f}/{counts:.1f}"
                                   for name, (page, counts, _, _) in results.items()))
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
