"""The assessment (计算器) at scale: a year of facts, the figures per month and per year, the rankings page.

Run by hand (never in tests):

    .venv/bin/python bench/assessment.py [--calls 1000000] [--year 2026] [--runs 3] [--renders 20] \
        [--database-url postgresql+psycopg://postgres@127.0.0.1:55440/tc_bench_assess] [--reuse] [--explain]

Builds a migrated database with the demo organisations, users and lists (SQLite in a temporary folder, or
`--database-url`, whose database must exist and be empty; `--reuse` measures one an earlier run filled), then
fills it with a year of facts (bench/assessment_facts.py: calls, parties, tasks, ratings, urges, extensions,
督办 cases, ladder steps, 约谈), in bulk: COPY on PostgreSQL, executemany in one transaction with synchronous and
journal off on SQLite. Then it times `assessment_metrics.measure` for each month (min / median / max of the
months, each the median of `--runs` runs) and for the year, `assessment_runs.compute` of a month (which writes
its results), and, once two months are computed and published, the rankings page and a department's card through
the Flask test client as 编办 (median and p95 of `--renders`). `--explain` prints each measure query's plan
(EXPLAIN ANALYZE on PostgreSQL). The last line is machine-readable:
`RESULT name=ms …`.
"""

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assessment_facts import COLUMNS, Facts  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
sqlite3.register_adapter(datetime, lambda d: d.isoformat(" ", "microseconds"))  # as SQLAlchemy stores them
sqlite3.register_adapter(date, lambda d: d.isoformat())


def bench_app(url, tmp):
    from app import create_app
    from app.config import Config

    return create_app(Config.from_env(DATABASE_URL=url, UPLOAD_DIR=tmp, SECRET_KEY="bench", AUDIT_KEY="bench",
                                      PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", PG_STATEMENT_TIMEOUT=0,
                                      TIMER_INTERVAL=0))


def timed(label, work):
    started = time.perf_counter()
    result = work()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def fill(app, url, calls, year):
    """Migrate, load the demo, then write the year's facts in bulk; returns the rows written per table."""
    deployment, items = prepare(app)
    facts = Facts(year, items, deployment)
    written = dict.fromkeys(COLUMNS, 0)
    postgres = url.startswith("postgresql")
    connection = _raw_connection(url)
    cursor = connection.cursor()
    if not postgres:
        for pragma in ("synchronous=OFF", "journal_mode=OFF", "foreign_keys=OFF"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.execute("BEGIN")
    started, done = time.perf_counter(), 0
    for chunk in facts.chunks(calls):
        for table, columns in COLUMNS.items():
            if chunk[table]:
                write(cursor, postgres, table, columns, chunk[table])
                written[table] += len(chunk[table])
        done += len(chunk["call"])
        if done % 100000 == 0 or done == calls:
            print(f"  {done} calls, {time.perf_counter() - started:.0f} s", flush=True)
    if postgres:
        for table in COLUMNS:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")
    connection.commit()
    if postgres:
        connection.autocommit = True
        timed("vacuum analyze", lambda: cursor.execute("VACUUM ANALYZE"))
    else:
        timed("analyze", lambda: cursor.execute("ANALYZE"))
    connection.close()
    return written


def prepare(app):
    """The real migrations and demo data, a deployment for the instances; (deployment id, department-led items)."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.governance.demo import load_demo
    from app.governance.lists import ResponsibilityItem

    with app.app_context():
        if "alembic_version" in inspect(db.engine).get_table_names():
            sys.exit("the database is not empty: give an empty one, or --reuse to measure what it holds")
        upgrade(directory=str(ROOT / "app/migrations"))
        load_demo(db.session, "tianchang", "pbkdf2:sha256:1000")
        deployment = db.session.execute(text(
            "INSERT INTO deployment (number, checksum, deployed_by, deployed_at, note) "
            "VALUES (1, 'bench', 'admin', :at, '') RETURNING id"), {"at": datetime(2000, 1, 1)}).scalar()
        for process, name in (("call_response", "呼叫—响应"), ("supervision_case", "督办")):
            db.session.execute(text(
                "INSERT INTO deployed_process (deployment_id, process_id, name, file_name, start_roles, "
                "start_messages) VALUES (:d, :p, :name, :file, '[]', '[]')"),
                {"d": deployment, "p": process, "name": name, "file": f"{process}.bpmn"})
        departments = set(db.session.scalars(text("SELECT code FROM organisation WHERE kind = 'department'")))
        items = [(item.code, item.current.id, item.current.title, item.current.lead_org,
                  list(item.current.cooperating_orgs or []), item.current.response_hours, item.current.handle_days)
                 for item in db.session.scalars(select(ResponsibilityItem).order_by(ResponsibilityItem.code))
                 if item.current.lead_org in departments]
        db.session.commit()
        db.engine.dispose()  # the bulk load has the database to itself
    return deployment, items


def write(cursor, postgres, table, columns, rows):
    names = ", ".join(f'"{c}"' for c in columns)
    if postgres:
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})', rows)


def _raw_connection(url):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return sqlite3.connect(parsed.database, isolation_level=None)
    import psycopg

    return psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))


def median_ms(runs, work):
    work()  # warm-up (plans, caches)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _once(work):
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def measure_all(app, year, runs, explain):
    """Median ms of measure() per month, for the year, and of compute() for November (results written)."""
    from app.domain.actors import Actor
    from app.domain.people import get_user
    from app.extensions import db
    from app.governance.assessment_metrics import measure
    from app.governance.assessment_periods import Period

    timings = {}
    with app.app_context():
        months = []
        for month in range(1, 13):
            start, end = Period.month(year, month).bounds(ZONE)
            ms = median_ms(runs, lambda s=start, e=end: measure(db.session, s, e))
            months.append(ms)
            print(f"  measure {year}-{month:02d}: {ms:.0f} ms", flush=True)
        timings["month_min"], timings["month_median"], timings["month_max"] = \
            min(months), statistics.median(months), max(months)
        start, end = Period.year(year).bounds(ZONE)
        timings["year"] = median_ms(runs - 1, lambda: measure(db.session, start, end)) if runs > 1 else \
            _once(lambda: measure(db.session, start, end))
        print(f"  measure {year}: {timings['year']:.0f} ms", flush=True)
        if explain:
            _explain(db, Period.month(year, 11).bounds(ZONE))
        actor = Actor.of(get_user(db.session, "bianban"))
        after = datetime(year + 1, 1, 10, tzinfo=timezone.utc)
        timings["compute"] = median_ms(runs, lambda: _compute(db, actor, Period.month(year, 11), after))
        print(f"  compute {year}-11: {timings['compute']:.0f} ms", flush=True)
    return timings


def _compute(db, actor, period, now):
    from app.governance.assessment_runs import compute

    compute(db.session, actor, period, ZONE, "bench", now=now)
    db.session.commit()


def _explain(db, bounds):
    from app.governance.assessment_metrics import measure

    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    measure(db.session, *bounds)
    event.remove(db.engine, "before_cursor_execute", seen)
    postgres = db.engine.dialect.name == "postgresql"
    for statement, parameters in statements:
        if "GROUP BY" not in statement:
            continue
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        started = time.perf_counter()
        plan = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()
        print(f"\n--- {(time.perf_counter() - started) * 1000:.0f} ms\n{statement}")
        print("\n".join("    " + " | ".join(str(c) for c in row) for row in plan), flush=True)
    db.session.rollback()


def pages(app, year, renders):
    """Compute and publish October and November, then render the rankings page and a department's card."""
    from app.domain.actors import Actor
    from app.domain.people import get_user, issue_token
    from app.extensions import db
    from app.governance.assessment_periods import Period
    from app.governance.assessment_runs import compute, publish

    after = datetime(year + 1, 1, 10, tzinfo=timezone.utc)
    with app.app_context():
        actor = Actor.of(get_user(db.session, "bianban"))
        calendar = app.extensions["tianchang.runtime"].calendar(db.session)
        for month in (10, 11):
            run = compute(db.session, actor, Period.month(year, month), ZONE, "bench", now=after)
            publish(db.session, actor, run.id, calendar, 5, "bench")  # a reason: --reuse republishes
        token = issue_token(db.session, get_user(db.session, "bianban"), "bench")[0]
        db.session.commit()
    client, headers, timings = app.test_client(), {"Authorization": f"Bearer {token}"}, {}
    for name, url in (("rankings", f"/assessment?period={year}-11"),
                      ("card", f"/assessment/org/nongye?period={year}-11"),
                      ("drill", f"/assessment/org/nongye/calls?period={year}-11&metric=response_rate&part=miss")):
        samples, status = [], None
        for _ in range(renders + 1):
            with app.app_context():
                started = time.perf_counter()
                status = client.get(url, headers=headers).status_code
                samples.append((time.perf_counter() - started) * 1000)
        samples = sorted(samples[1:])
        if status != 200:
            print(f"  {url}: HTTP {status}", flush=True)
            continue
        timings[name] = statistics.median(samples)
        print(f"  {url}: median {timings[name]:.1f} ms, p95 {samples[int(len(samples) * .95) - 1]:.1f} ms",
              flush=True)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3, help="runs per timing, after a warm-up")
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="measure a database an earlier run filled")
    parser.add_argument("--explain", action="store_true", help="print each measure query's plan")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/assessment.db"
        app = bench_app(url, tmp)
        if not args.reuse:
            print(f"filling {args.calls} calls over {args.year}", flush=True)
            started = time.perf_counter()
            written = fill(app, url, args.calls, args.year)
            print(f"  filled in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{table} {n}" for table, n in written.items()), flush=True)
        print("timing", flush=True)
        timings = measure_all(app, args.year, args.runs, args.explain)
        timings.update(pages(app, args.year, args.renders))
        print(f"\n{'what':34} {'ms':>9}")
        for name, label in (("month_min", "measure, a month (fastest)"), ("month_median", "measure, a month (median)"),
                            ("month_max", "measure, a month (slowest)"), ("year", "measure, the year"),
                            ("compute", "compute a month (results written)"), ("rankings", "rankings page"),
                            ("card", "a department's card page"), ("drill", "its late responses (drill-down)")):
            if name in timings:
                print(f"{label:34} {timings[name]:9.0f}")
        print("RESULT " + " ".join(f"{name}={ms:.0f}" for name, ms in timings.items()))


if __name__ == "__main__":
    main()
