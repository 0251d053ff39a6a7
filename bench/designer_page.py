"""The studio's figures on the biggest shipped diagram (run by hand: `.venv/bin/python bench/designer_page.py`).

Builds a database like `make run` does, serves it on loopback, and drives Debian's Chromium (Playwright) as `sheji`:
- modeler page load: from navigation to the diagram imported, drawn and validated once (`window.__studioReady`);
- validate round trip: the editor's own call, POST /api/design/validate with the unsaved diagram, timed in the page
  (fetch start to JSON parsed) and on the server alone (the Flask test client);
- scenario run: POST /api/design/tests/run for the process (its own subprocess and isolated database).
Prints median and p95 in ms over `--repeats` (default 15) and a machine-readable RESULT line.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"


def biggest_diagram():
    path = max((ROOT / "processes").glob("*.bpmn"), key=lambda p: p.stat().st_size)
    from lxml import etree

    process = etree.parse(str(path)).getroot().find("{http://www.omg.org/spec/BPMN/20100524/MODEL}process")
    return path, process.get("id")


def quantiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def build(tmp):
    from flask_migrate import upgrade

    from app import create_app
    from app.config import Config
    from app.domain.people import get_user
    from app.extensions import db
    from app.governance.demo import load_demo
    from app.workflow.deployments import deploy_files, read_bundle_dir

    app = create_app(Config.from_env(DATABASE_URL=f"sqlite:///{tmp}/studio.db", UPLOAD_DIR=tmp, TIMER_INTERVAL=0,
                                     PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", DEMO_PASSWORD="bench-password"))
    with app.app_context():
        upgrade(directory=str(ROOT / "app/migrations"))
        load_demo(db.session, "bench-password", "pbkdf2:sha256:1000")
        deploy_files(db.session, app.extensions["tianchang.runtime"], get_user(db.session, "admin"),
                     read_bundle_dir(ROOT / "processes", ROOT / "forms"))
        db.session.commit()
    return app


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    path, process_id = biggest_diagram()
    xml = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        app = build(tmp)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        loads, page_validate = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(base + "/login")
            page.fill("#username", "sheji")
            page.fill("#password", "bench-password")
            page.click("button[type=submit]")
            page.wait_for_selector('[data-testid="who"]')
            for _ in range(args.repeats):
                started = time.perf_counter()
                page.goto(f"{base}/design/processes/{process_id}")
                page.wait_for_function("window.__studioReady === true", timeout=60_000)
                loads.append((time.perf_counter() - started) * 1000)
            for _ in range(args.repeats):
                page_validate.append(page.evaluate("""async ([name, xml]) => {
                    const token = document.querySelector('meta[name="csrf-token"]').content;
                    const started = performance.now();
                    const response = await fetch('/api/design/validate', {method: 'POST', credentials: 'same-origin',
                        headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                        body: JSON.stringify({files: {[name]: xml}})});
                    await response.json();
                    return performance.now() - started;
                }""", [path.name, xml]))
            scenario_ms = page.evaluate("""async (pid) => {
                const token = document.querySelector('meta[name="csrf-token"]').content;
                const started = performance.now();
                const response = await fetch('/api/design/tests/run', {method: 'POST', credentials: 'same-origin',
                    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                    body: JSON.stringify({process: pid})});
                const results = await response.json();
                return [performance.now() - started, results.length];
            }""", "call_response")
            browser.close()
        server.shutdown()
    load_p50, load_p95 = quantiles(loads)
    validate_p50, validate_p95 = quantiles(page_validate)
    print(f"diagram: {path.name} ({path.stat().st_size} bytes, process {process_id})")
    print(f"modeler page load      median {load_p50:7.0f} ms   p95 {load_p95:7.0f} ms")
    print(f"validate round trip    median {validate_p50:7.0f} ms   p95 {validate_p95:7.0f} ms")
    print(f"scenario tests (call_response, {scenario_ms[1]} scenarios): {scenario_ms[0]:.0f} ms")
    print(f"RESULT load_p50_ms={load_p50:.0f} load_p95_ms={load_p95:.0f} validate_p50_ms={validate_p50:.0f} "
          f"validate_p95_ms={validate_p95:.0f} scenarios_ms={scenario_ms[0]:.0f}")


if __name__ == "__main__":
    main()
