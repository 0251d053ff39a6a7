"""The scenario worker: `python -m app.cli.scenario_worker REQUEST.json`, started by app.workflow.scenario_tests.

An edge in a process of its own, so freezegun's clock moves here, never in the web server. It builds the app once
on the isolated database that run_scenarios prepared, deploys the bundle there as a designer (the real validate and
deploy path), keeps a copy of the deployed database, and plays each scenario on a fresh copy of it, on a frozen
clock, committing each step. It writes one JSON line per result (the first says how the deploy went), flushed as it
goes, so a run stopped at its time limit keeps the results it has.

It configures itself as any process of the platform does (TIANCHANG_* variables, over the caller's own) and loads
the app as `flask --app app` does, so this edge, like every CLI command, runs in the app create_app wires.
"""

import base64
import json
import os
import secrets
import shutil
import sys
import time
from functools import partial
from pathlib import Path

from flask.cli import ScriptInfo
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.config import PREFIX
from app.definitions.scenario_files import bundle_scenarios
from app.domain.access import DESIGNER_ROLES, is_read_only
from app.domain.actors import Actor
from app.domain.organisations import Organisation, ensure_org
from app.domain.people import User, UserRole, create_user
from app.errors import DefinitionInvalid, DomainError
from app.extensions import db
from app.messages import msg
from app.workflow.deployments import deploy_checked
from app.workflow.scenario_player import ScenarioPlayer

# Nobody signs in to the isolated database: the users made there get a random password, cheaply hashed.
THROWAWAY_HASH = "pbkdf2:sha256:1000"
DESIGNER = "scenario-designer"


def main(argv=None):
    """Play the request's bundle; every outcome, the deploy's refusal included, is a line of the results file."""
    request = json.loads(Path((argv or sys.argv[1:])[0]).read_text(encoding="utf-8"))
    database = Path(request["database"])
    os.environ.update({PREFIX + name: str(value) for name, value in {
        "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": secrets.token_hex(32),
        "AUDIT_KEY": secrets.token_hex(32), "UPLOAD_DIR": request["uploads"], "TIMER_INTERVAL": 0,
        "SQLITE_JOURNAL_MODE": "DELETE", "SQLITE_SYNCHRONOUS": "OFF", "PASSWORD_HASH_METHOD": THROWAWAY_HASH}.items()})
    app = ScriptInfo(app_import_path="app").load_app()
    config = app.extensions["tianchang.config"]
    files = {name: base64.b64decode(content) for name, content in request["files"].items()}
    with app.app_context(), open(request["results"], "a", encoding="utf-8") as out:
        def write(item):
            out.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
            out.flush()

        db.create_all()  # any table the caller's metadata did not hold
        if not _deploy(app, files, write):
            return 0
        deployed = database.with_name("deployed.db")
        _release()
        shutil.copyfile(database, deployed)
        scenarios, _problems = bundle_scenarios(files)
        for scenario in scenarios:
            if request["only_process"] in (None, scenario.process):
                _release()
                shutil.copyfile(deployed, database)
                write(_play(app, config, scenario))
    return 0


def _release():
    """Close every connection, so the database file can be replaced by a fresh copy."""
    db.session.remove()
    db.engine.dispose()


def _deploy(app, files, write):
    """Deploy the bundle as a designer; False (and the refusal written) when validation refuses it."""
    try:
        deploy_checked(db.session, app.extensions["tianchang.runtime"], _designer(), files, msg("scenario.deploy_note"))
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        problems = [p.as_dict() for p in err.problems] if isinstance(err, DefinitionInvalid) else []
        write({"deploy": {"ok": False, "message": err.message, "problems": problems}})
        return False
    write({"deploy": {"ok": True}})
    return True


def _designer():
    """A designer of the copied reference data, or one made for the run (in an organisation made too if none)."""
    query = select(User).join(UserRole).where(UserRole.role.in_(DESIGNER_ROLES), User.active.is_(True))
    found = next((u for u in db.session.scalars(query.order_by(User.id)) if not is_read_only(u)), None)
    if found is not None:
        return found
    org = db.session.scalar(select(Organisation.code).order_by(Organisation.id).limit(1))
    if org is None:
        org = ensure_org(db.session, DESIGNER, msg("scenario.deploy_note"), "office").code
    return create_user(db.session, Actor.system(), DESIGNER, msg("scenario.deploy_note"), secrets.token_hex(16), org,
                       ["designer"], THROWAWAY_HASH)


def _play(app, config, scenario):
    """One scenario's result, with its wall-clock duration (measured outside the frozen clock)."""
    runtime = app.extensions["tianchang.runtime"]
    sweep = partial(tick, lambda: Session(db.engine), runtime, config.AUDIT_CHECKPOINT_INTERVAL)
    started = time.perf_counter()
    try:
        with freeze_time(scenario.start_time(config.TIMEZONE)) as clock:
            result = ScenarioPlayer(db.session, runtime, clock, db.session.commit, sweep).play(scenario)
    except Exception as err:  # the platform's fault, not the designer's: this scenario fails with it, the rest run
        db.session.rollback()
        result = {"process": scenario.process, "file": scenario.file, "scenario": scenario.id, "name": scenario.name,
                  "passed": False, "status": None, "path": [],
                  "failures": [msg("scenario.worker_failed", detail=f"{type(err).__name__}: {err}")]}
    result["duration_ms"] = round((time.perf_counter() - started) * 1000)
    return result


if __name__ == "__main__":
    sys.exit(main())
