"""Server render time of the staff pages on the demo data (run by hand: `.venv/bin/python bench/page_render.py`).

Builds a database like `make run` does (migrations, demo data, procedures, the fishing scenario), then renders
each page many times through the Flask test client as the user who uses it, printing median and p95 in ms.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(repeats=50):
    from flask_migrate import upgrade
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app import create_app
    from app.cli.sweep import tick
    from app.config import Config
    from app.domain.people import get_user, issue_token
    from app.extensions import db
    from app.governance.calls import Call
    from app.governance.demo import load_demo
    from app.governance.scenarios import play_fishing
    from app.governance.supervision import SupervisionCase
    from app.workflow.deployments import deploy_files, read_bundle_dir
    from app.workflow.models import HumanTask

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Config.from_env(DATABASE_URL=f"sqlite:///{tmp}/pages.db", UPLOAD_DIR=tmp,
                                         PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", TIMER_INTERVAL=0))
        with app.app_context():
            upgrade(directory=str(ROOT / "app/migrations"))
            load_demo(db.session, "bench-password", "pbkdf2:sha256:1000")
            deploy_files(db.session, app.extensions["tianchang.runtime"], get_user(db.session, "admin"),
                         read_bundle_dir(ROOT / "processes", ROOT / "forms"))
            db.session.commit()
            runtime = app.extensions["tianchang.runtime"]
            play_fishing(db.session, runtime, db.session.commit, lambda: tick(lambda: Session(db.engine), runtime),
                         runtime.settings.timezone, photos=(tmp, 10 * 1024 * 1024))
            task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.status == "open").order_by(HumanTask.id))
            task_user = "nongye"
            tokens = {u: issue_token(db.session, get_user(db.session, u), "bench")[0]
                      for u in ("nongye", "zhenjie", "wangge", "ducha", "lingdao", "renda", "bianban")}
            call = db.session.scalar(select(Call.number).where(Call.status == "closed").order_by(Call.id))
            case = db.session.scalar(select(SupervisionCase.number).order_by(SupervisionCase.id))
            db.session.commit()
        pages = [("nongye", "/inbox"), (task_user, f"/tasks/{task_id}"), ("zhenjie", "/calls"),
                 ("zhenjie", "/calls?status=closed&rejection=any"), ("nongye", f"/calls/{call}"), ("zhenjie", "/lists"),
                 ("zhenjie", "/lists/P-0001"), ("ducha", "/supervision"), ("ducha", f"/supervision/{case}"),
                 ("nongye", "/notifications"), ("zhenjie", "/start/call_response"), ("lingdao", "/overview"),
                 ("renda", "/record"), ("renda", f"/record/calls/{call}"), ("renda", f"/record/calls/{call}.pdf"),
                 ("renda", f"/record/calls/{call}.zip")]
        client = app.test_client()
        print(f"{'page':44} {'median ms':>10} {'p95 ms':>8}")
        worst = 0.0
        for username, url in pages:
            headers = {"Authorization": f"Bearer {tokens[username]}"}
            samples = []
            for _ in range(repeats):
                with app.app_context():
                    started = time.perf_counter()
                    response = client.get(url, headers=headers)
                    samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            samples.sort()
            median, p95 = statistics.median(samples), samples[int(0.95 * len(samples)) - 1]
            worst = max(worst, median)
            print(f"{url:44} {median:10.1f} {p95:8.1f}")
        print(f"RESULT worst_page_median_ms={worst:.1f}")


if __name__ == "__main__":
    main()
