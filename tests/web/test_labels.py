"""One table per kind of code: Python, the API and the templates name a status, a kind or a role the same way."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from jinja2 import nodes
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.db import utcnow
from app.messages import LABELS
from tests.web.test_pages import call, login, page  # noqa: F401 - `call` is a fixture

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "web" / "templates"
TABLES = ("call_status", "party_status", "urgency", "instance_status", "task_status", "case_status", "case_grade",
          "case_reason", "list_kind", "list_status", "evaluation_kind", "role", "org_kind")
WORDS = {word: table for table in TABLES for word in LABELS[table].values()}


ELEMENT_TEXT = re.compile(r">\s*([^<>]+?)\s*<")


def typed_labels(app, source):
    """Labels a template writes itself: as a string in an expression, or as the whole text of an element."""
    tree = app.jinja_env.parse(source)
    found = [node.value for node in tree.find_all(nodes.Const) if node.value in WORDS]
    for data in tree.find_all(nodes.TemplateData):
        found += [text for text in ELEMENT_TEXT.findall(data.data) if text in WORDS]
    return found


def test_no_template_types_a_label(app):
    sources = {path.name: path.read_text(encoding="utf-8") for path in TEMPLATES.glob("*.html")}
    assert len(sources) > 10
    assert {name: typed_labels(app, text) for name, text in sources.items() if typed_labels(app, text)} == {}


def test_the_check_sees_a_typed_label(app):
    source = "<td>{{ '有效' if ok else x }}</td><td> 待整改 </td><p>重办 {{ n }} 次</p><p>本单位待签收</p>"
    assert typed_labels(app, source) == ["有效", "待整改"]


@pytest.mark.parametrize("module, name, table", [
    ("app.governance.calls", "CALL_STATUSES", "call_status"), ("app.governance.calls", "PARTY_STATUSES", "party_status"),
    ("app.governance.supervision", "REASONS", "case_reason"), ("app.governance.supervision", "GRADES", "case_grade"),
    ("app.governance.supervision", "STATUSES", "case_status"), ("app.governance.lists", "KINDS", "list_kind"),
    ("app.governance.evaluations", "KINDS", "evaluation_kind"), ("app.workflow.models", "INSTANCE_STATUSES", "instance_status"),
    ("app.workflow.models", "TASK_STATUSES", "task_status"), ("app.domain.people", "ROLES", "role"),
])
def test_the_names_python_imports_are_the_catalogues_tables(module, name, table):
    import importlib

    assert getattr(importlib.import_module(module), name) is LABELS[table]


def test_the_api_and_the_pages_say_the_same(client, call, api_as, session, runtime):  # noqa: F811
    detail = api_as("zhenjie").get(f"/api/calls/{call}").json
    login(client, "zhenjie")
    record = page(client, f"/calls/{call}")
    assert f"<p class=\"meta\">{detail['status_label']} · " in record
    for party in detail["parties"]:
        assert f"· {LABELS['party_status'][party['status']]}</span></h3>" in record
    item = api_as("zhenjie").get("/api/lists/P-0001").json
    assert f"{item['kind_label']} · " in page(client, "/lists/P-0001")
    with freeze_time(utcnow() + timedelta(days=3)):
        assert tick(lambda: Session(session.get_bind()), runtime).fired
        cases = api_as("ducha").get("/api/supervision").json
        login(client, "ducha")
        board = page(client, "/supervision")
    assert cases and all(f'<td class="reason">{case["reason_label"]}</td>' in board for case in cases)
