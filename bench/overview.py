"""The overview's figures (概览) at scale (run by hand: `.venv/bin/python bench/overview.py [--calls 60000]`).

Builds a migrated database with the demo data (SQLite in a temporary folder, or `--database-url` for PostgreSQL,
whose database must exist and be empty), fills it with calls spread over three months (two parties each, a mix of
states: closed, handling, overdue, late, rejected with each outcome) and open cases, then times
`month_overview` for the busiest month: the median and p95 of `--runs` runs after a warm-up, and the queries.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(session, calls, seed=12):
    """`calls` calls from 1 Jan to 31 Mar 2026 (half of them in March), inserted in bulk."""
    from sqlalchemy import insert, select

    from app.governance.calls import Call, CallParty
    from app.governance.lists import ItemVersion, ResponsibilityItem
    from app.governance.supervision import SupervisionCase

    rng = random.Random(seed)
    version = session.scalar(select(ItemVersion).order_by(ItemVersion.id))
    code = session.get(ResponsibilityItem, version.item_id).code
    start, now = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 4, 10, tzinfo=timezone.utc)
    rows, parties = [], []
    for n in range(1, calls + 1):
        created = (datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(31 * 86400))
                   if n % 2 else start + timedelta(seconds=rng.randrange(59 * 86400)))
        status = rng.choice(["closed"] * 5 + ["handling"] * 3 + ["responding", "disputed"])
        rows.append({"id": n, "number": f"HJB-{n:07d}", "caller_org": "tongcheng", "caller_user": "zhenjie",
                     "item_code": code, "item_version_id": version.id, "title": version.title,
                     "location": "高邮湖", "description": "", "urgency": "normal", "photos": [], "status": status,
                     "redo_count": 0, "created_at": created, "closed_at": created + timedelta(days=3)
                     if status == "closed" else None})
        for org in ("nongye", "gongan"):
            parties.append(party(rng, n, org, created, status, now))
    session.execute(insert(Call), rows)
    session.execute(insert(CallParty), parties)
    session.execute(insert(SupervisionCase), [
        {"number": f"DBB-{n:05d}", "target_org": rng.choice(["nongye", "gongan"]), "reason": "no_response",
         "grade": rng.choice([None, "blue", "yellow", "red"]), "status": rng.choice(["open", "verifying", "closed"]),
         "lateness_hours": 3, "summary": "", "opened_at": start} for n in range(calls // 50)])
    session.commit()


def party(rng, call_id, org, created, status, now):
    due = created + timedelta(hours=2)
    responded = created + timedelta(hours=rng.choice([1, 1, 1, 5]))
    row = {"call_id": call_id, "org_code": org, "role": "lead" if org == "nongye" else "cooperate",
           "status": "handled" if status == "closed" else "handling", "response_due": due, "responded_at": responded,
           "handle_due": created + timedelta(days=rng.choice([5, 60])), "rejection_overturned": False, "urge_count": 0}
    if status == "responding":
        row.update(status="pending", responded_at=None, handle_due=None)
    elif rng.random() < 0.1:
        row.update(status="released", rejection_reason="非本单位职责", handle_due=None,
                   rejection_outcome=rng.choice([None, "accepted", "agreement", "coordination"]))
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--database-url")
    parser.add_argument("--verbose", action="store_true", help="the median time of each query")
    args = parser.parse_args()
    from zoneinfo import ZoneInfo

    from flask_migrate import upgrade
    from sqlalchemy import event

    from app import create_app
    from app.config import Config
    from app.domain.people import get_user
    from app.extensions import db
    from app.governance.demo import load_demo
    from app.governance.overview_figures import Month, month_overview

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/overview.db"
        app = create_app(Config.from_env(DATABASE_URL=url, UPLOAD_DIR=tmp, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000"))
        with app.app_context():
            upgrade(directory=str(ROOT / "app/migrations"))
            load_demo(db.session, "bench-password", "pbkdf2:sha256:1000")
            db.session.commit()
            fill(db.session, args.calls)
            zone, user = ZoneInfo("Asia/Shanghai"), get_user(db.session, "lingdao")
            now = datetime(2026, 4, 10, 1, tzinfo=timezone.utc)
            queries, timings = [], {}

            def before(conn, cursor, statement, parameters, context, executemany):
                queries.append(1)
                conn.info["started"] = time.perf_counter()

            def after(conn, cursor, statement, parameters, context, executemany):
                key = " ".join(statement.split())[:90]
                timings.setdefault(key, []).append((time.perf_counter() - conn.info["started"]) * 1000)

            event.listen(db.engine, "before_cursor_execute", before)
            event.listen(db.engine, "after_cursor_execute", after)
            month_overview(db.session, user, Month(2026, 3), zone, now)  # warm-up
            samples = []
            for _ in range(args.runs):
                queries.clear()
                started = time.perf_counter()
                figures = month_overview(db.session, user, Month(2026, 3), zone, now)
                samples.append((time.perf_counter() - started) * 1000)
            opened = figures["figures"][0]["count"]
            samples.sort()
            if args.verbose:
                for key, spent in sorted(timings.items(), key=lambda kv: -sum(kv[1])):
                    print(f"{statistics.median(spent):7.1f} ms x{len(spent) // (args.runs + 1):>2}  {key}")
            print(f"{db.engine.dialect.name}: {args.calls} calls, {opened} in March; {len(queries)} queries; "
                  f"median {statistics.median(samples):.0f} ms, p95 {samples[int(len(samples) * .95) - 1]:.0f} ms")


if __name__ == "__main__":
    main()
