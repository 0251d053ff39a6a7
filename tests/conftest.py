"""Fixtures: a migrated template database with demo data, copied fresh for every test.

Tests drive the real edges (HTTP, CLI, operations that the edges commit), so each test gets its own
database: a file copy of the template on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL
(TIANCHANG_TEST_DATABASE_URL). Nothing is mocked.
"""

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import Config
from app.extensions import db
from app.governance.demo import load_demo

HERE = Path(__file__).parent
BUNDLES = HERE / "bundles"
PASSWORD = "tianchang"
PG_URL = os.environ.get("TIANCHANG_TEST_DATABASE_URL")


def make_config(url, **overrides):
    values = dict(DATABASE_URL=url, SECRET_KEY="test-secret", AUDIT_KEY="test-audit-key",
                  PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", DEMO_PASSWORD=PASSWORD, TESTING=True, TIMER_INTERVAL=0,
                  SCRIPT_TIME_LIMIT=1.0, DEPLOY_APPROVAL=False)  # an admin deploys directly; the studio's tests ask for approval
    values.update(overrides)
    return Config(**values)


def _build_template(url):
    app = create_app(make_config(url))
    with app.app_context():
        upgrade()  # the directory that app.extensions.migrate resolves inside the package
        load_demo(db.session, PASSWORD, "pbkdf2:sha256:1000")
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    if PG_URL:
        base = make_url(PG_URL)
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        name = f"tc_template_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        _build_template(base.set(database=name).render_as_string(hide_password=False))
        yield ("postgresql", admin, base, name)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        _build_template(f"sqlite:///{path}")
        yield ("sqlite", None, None, path)


@contextmanager
def database_copy(template_db, folder):
    """A database of its own: a file copy of the migrated template (SQLite) or `CREATE DATABASE … TEMPLATE`."""
    kind, admin, base, source = template_db
    if kind == "sqlite":
        target = folder / "test.db"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
        return
    name = f"tc_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def database_url(template_db, tmp_path):
    with database_copy(template_db, tmp_path) as url:
        yield url


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as in production (the test's context keeps its own session)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def config_overrides():
    """Settings a test module changes for its app (override this fixture); none by default."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, config_overrides):
    application = create_app(make_config(database_url, UPLOAD_DIR=str(tmp_path / "uploads"), **config_overrides))
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def runtime(app):
    return app.extensions["tianchang.runtime"]


@pytest.fixture
def session(app):
    return db.session


def bundle_files(*names):
    """{file name: bytes} of the named folders under tests/bundles."""
    files = {}
    for name in names:
        for path in sorted((BUNDLES / name).iterdir()):
            if path.suffix in (".bpmn", ".dmn", ".json"):
                files[path.name] = path.read_bytes()
    return files


@pytest.fixture
def deploy(app, session, runtime):
    """Deploy test bundles as the admin (a designer), committed."""
    from app.domain.people import get_user
    from app.workflow.deployments import deploy_files

    def _deploy(*names, files=None):
        deployment, _ = deploy_files(session, runtime, get_user(session, "admin"), files or bundle_files(*names))
        session.commit()
        return deployment

    return _deploy


@pytest.fixture
def procedures(app, session, runtime):
    """The real procedures of processes/ and forms/, deployed."""
    from app.domain.people import get_user
    from app.workflow.deployments import deploy_files, read_bundle_dir

    deployment, _ = deploy_files(session, runtime, get_user(session, "admin"),
                                 read_bundle_dir(HERE.parent / "processes", HERE.parent / "forms"))
    session.commit()
    return deployment


@pytest.fixture
def user(session):
    from app.domain.people import get_user

    return lambda username: get_user(session, username)


class ApiClient:
    """A test client that calls the API with a bearer token of one user."""

    def __init__(self, client, token):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url, json=None, **kw):
        return self.client.post(url, json=json if json is not None else {}, headers=self.headers, **kw)

    def put(self, url, json=None, **kw):
        return self.client.put(url, json=json if json is not None else {}, headers=self.headers, **kw)

    def delete(self, url, **kw):
        return self.client.delete(url, headers=self.headers, **kw)


@pytest.fixture
def api_as(app, session):
    """api_as("zhenjie") -> ApiClient authenticated with a fresh token of that demo user."""
    from app.domain.people import get_user, issue_token

    def _as(username):
        token, _ = issue_token(session, get_user(session, username), "test")
        session.commit()
        return ApiClient(app.test_client(), token)

    return _as


def login(client, username, password=PASSWORD, **kwargs):
    """Sign in through the real login form (with its CSRF token); returns the response."""
    import re

    page = client.get("/login", **kwargs).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token}, **kwargs)


def csrf_token(client):
    import re

    page = client.get("/inbox").get_data(as_text=True)  # "/" may send those who oversee on to 概览
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
