"""Database faults made for real answer the Chinese error (JSON on the API, the error page on pages), and the
next request succeeds on its own.

SQLite: another connection holds the write lock past a short busy timeout; the database files are
overwritten with garbage under the app's open connections, then restored. PostgreSQL
(TIANCHANG_TEST_DATABASE_URL): an admin connection terminates the app's backends while they are idle
(pre-ping reconnects), in the middle of a request, and while the database refuses new connections
(as during a restart; the error page must then not query again). Nothing is mocked: the session, the pool and
the database are the real ones.
"""

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.messages import msg
from tests.conftest import PG_URL, csrf_token, login

sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="a fault of the SQLite file")
postgres_only = pytest.mark.skipif(not PG_URL, reason="needs TIANCHANG_TEST_DATABASE_URL")
SERVER_ERROR = {"code": "server_error", "message": msg("http.server_error"), "errors": {}}


@pytest.fixture
def config_overrides():
    """A busy timeout short enough to run out while a test holds the lock."""
    return {"SQLITE_BUSY_TIMEOUT": 0.2}


@pytest.fixture
def callers(app, api_as):
    """(API client of the admin, page client signed in as the admin), both with one request already answered."""
    api = api_as("admin")
    page = app.test_client()
    login(page, "admin")
    assert api.get("/api/users/me").status_code == 200
    assert page.get("/").status_code == 200
    db.session.remove()
    return api, page


def assert_chinese_page(response, status, message):
    body = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert message in body and 'lang="zh-CN"' in body
    assert "Internal Server Error" not in body and "Traceback" not in body


def sqlite_path(database_url):
    return Path(make_url(database_url).database)


@contextmanager
def garbled(path):
    """The database file and its WAL and shared-memory files overwritten in place with random bytes, then restored."""
    saved = {}
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            saved[part] = part.read_bytes()
            part.write_bytes(os.urandom(len(saved[part])))
    try:
        yield
    finally:
        for part, content in saved.items():
            part.write_bytes(content)


def assert_answered_in_chinese_then_recovered(api, page, fault):
    """While `fault` lasts, the API and the pages answer the Chinese error; once it ends, both work again."""
    with fault:
        broken = api.get("/api/users/me")
        assert broken.status_code == 500 and broken.json == SERVER_ERROR
        assert_chinese_page(page.get("/"), 500, msg("http.server_error"))
        assert_chinese_page(page.get("/no-such-page"), 404, msg("http.not_found"))
    assert api.get("/api/users/me").status_code == 200
    assert page.get("/").status_code == 200


@sqlite_only
def test_unreadable_sqlite_file_answers_the_chinese_error_and_recovers(callers, database_url):
    api, page = callers
    assert_answered_in_chinese_then_recovered(api, page, garbled(sqlite_path(database_url)))


@sqlite_only
def test_a_lock_held_past_the_busy_timeout_answers_409_in_chinese(callers, database_url):
    api, page = callers
    token = csrf_token(page)
    other = sqlite3.connect(sqlite_path(database_url), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the write lock, held by someone else
    try:
        busy = api.post("/api/users/me/tokens", {"name": "忙时签发"})
        assert busy.status_code == 409
        assert busy.json == {"code": "conflict", "message": msg("task.concurrent"), "errors": {}}
        assert_chinese_page(page.post("/logout", data={"csrf_token": token}), 409, msg("task.concurrent"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert api.post("/api/users/me/tokens", {"name": "闲时签发"}).status_code == 201
    assert page.post("/logout", data={"csrf_token": token}).status_code == 302


def terminate_backends(admin, database):
    """Terminate every backend connected to `database`, waiting until each is gone."""
    with admin.connect() as conn:
        return conn.execute(text("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                                 "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database}).scalar()


@contextmanager
def unavailable(admin, database):
    """The app's database refuses connections and its open ones are gone, as while the server restarts."""
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
    terminate_backends(admin, database)
    try:
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))


@contextmanager
def killed_at_next_statement(admin):
    """The app's connection is terminated by the server just before its next statement reaches it."""
    killed = []

    def kill(conn, cursor, statement, parameters, context, executemany):
        if not killed:
            killed.append(statement)
            with admin.connect() as admin_conn:
                admin_conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"),
                                   {"pid": conn.connection.dbapi_connection.info.backend_pid})

    event.listen(db.engine, "before_cursor_execute", kill)
    try:
        yield killed
    finally:
        event.remove(db.engine, "before_cursor_execute", kill)


@postgres_only
def test_idle_connections_killed_by_the_server_are_replaced_by_pre_ping(callers, template_db, database_url):
    api, page = callers
    admin = template_db[1]
    assert terminate_backends(admin, make_url(database_url).database) >= 1
    assert api.get("/api/users/me").status_code == 200
    assert terminate_backends(admin, make_url(database_url).database) >= 1
    assert page.get("/").status_code == 200


@postgres_only
def test_an_unavailable_database_answers_the_chinese_error_and_the_pool_recovers(callers, template_db, database_url):
    api, page = callers
    assert_answered_in_chinese_then_recovered(api, page, unavailable(template_db[1], make_url(database_url).database))


@postgres_only
def test_a_connection_killed_mid_request_answers_the_chinese_error_and_the_next_request_succeeds(callers, template_db):
    api, page = callers
    admin = template_db[1]
    with killed_at_next_statement(admin) as killed:
        broken = api.get("/api/users/me")
    assert killed and broken.status_code == 500 and broken.json == SERVER_ERROR
    assert api.get("/api/users/me").status_code == 200
    with killed_at_next_statement(admin) as killed:
        broken_page = page.get("/")
    assert killed
    assert_chinese_page(broken_page, 500, msg("http.server_error"))
    assert page.get("/").status_code == 200
