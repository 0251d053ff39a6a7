"""Sign-in time for a known username with a wrong password versus an unknown username (run by hand).

`.venv/bin/python bench/login_timing.py` builds a throw-away SQLite database with the demo users hashed
as `make run` hashes them (scrypt), then posts the real login form N times each way and prints the
median and p95 in ms. The two must be alike, or the time would tell which usernames exist.
"""

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed_logins(client, usernames, repeats):
    """{username: [ms, …]}, the usernames taking turns so that load on the machine falls on both alike."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    times = {name: [] for name in usernames}
    for attempt in range(repeats):
        for name in usernames:
            started = time.perf_counter()
            response = client.post("/login", data={"username": name, "password": f"wrong{attempt}", "csrf_token": token})
            times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 401, response.status_code
    return times


def main(repeats=30):
    from flask_migrate import upgrade

    from app import create_app
    from app.config import Config
    from app.extensions import db
    from app.governance.demo import load_demo

    with tempfile.TemporaryDirectory() as tmp:
        config = Config(DATABASE_URL=f"sqlite:///{tmp}/login.db", SECRET_KEY="bench", AUDIT_KEY="bench",
                        LOGIN_MAX_FAILURES=10**6, TIMER_INTERVAL=0)
        app = create_app(config)
        with app.app_context():
            upgrade(directory=str(ROOT / "app/migrations"))
            load_demo(db.session, "bench-password", config.PASSWORD_HASH_METHOD)
            db.session.commit()
        client = app.test_client()
        timed_logins(client, ["zhenjie", "nosuchuser"], 3)  # warm-up: the dummy hash is made once per process
        results = timed_logins(client, ["zhenjie", "nosuchuser"], repeats)
    for name, times in results.items():
        print(f"{name:12s} median {statistics.median(times):7.1f} ms   p95 {statistics.quantiles(times, n=20)[18]:7.1f} ms")
    known, unknown = (statistics.median(results[n]) for n in ("zhenjie", "nosuchuser"))
    print(f"RESULT known_ms={known:.1f} unknown_ms={unknown:.1f} ratio={unknown / known:.2f}")


if __name__ == "__main__":
    main()
