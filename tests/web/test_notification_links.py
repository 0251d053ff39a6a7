"""A notice keeps what it is about; the notifications page links it to that thing's page, which exists."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.db import utcnow
from app.domain.notifications import Notification
from app.governance.supervision import SupervisionCase
from app.workflow.models import HumanTask
from tests.web.test_pages import call, login  # noqa: F401 - `call` is a fixture

LINK = re.compile(r'<label><input[^>]*> ([^<]*)</label>\s*<div class="meta">[^<]*?(?: · <a href="([^"]+)">查看</a>)?</div>')


def notices(client, username):
    """(text, link or None) of each notice the user's notifications page shows."""
    login(client, username)
    body = client.get("/notifications").get_data(as_text=True)
    return [(text, link or None) for text, link in LINK.findall(body)]


def the_route_exists(app, link):
    """The link names a route of this app (the URL map matches it), not merely some path."""
    parts = urlsplit(link)
    assert not parts.scheme and not parts.netloc, link
    app.url_map.bind("localhost").match(parts.path)  # raises NotFound for a route that does not exist
    return True


def test_a_new_task_leads_to_its_task_page(client, call, session):  # noqa: F811
    task = session.scalars(select(HumanTask).where(HumanTask.status == "open", HumanTask.bpmn_id == "respond")
                           .order_by(HumanTask.id)).first()
    shown = dict(notices(client, task.orgs[0]))
    assert shown[f"新待办：{task.title}"] == f"/tasks/{task.id}"


def test_an_urge_leads_to_the_call_and_a_case_to_its_page(app, client, call, session, runtime, api_as):  # noqa: F811
    with freeze_time(utcnow() + timedelta(days=3)):  # past the response limit
        assert api_as("zhenjie").post(f"/api/calls/{call}/urge", {"org": "nongye", "note": "请尽快"}).status_code == 200
        assert tick(lambda: Session(session.get_bind()), runtime).fired
        shown = notices(client, "nongye")
        urged = [link for text, link in shown if "催办" in text]
        assert urged == [f"/calls/{call}"]
        case = session.scalars(select(SupervisionCase).where(SupervisionCase.target_org == "nongye")).one()
        assert [link for text, link in shown if text.startswith(f"督办 {case.number}")] == [f"/supervision/{case.number}"]
        assert f'href="/supervision/{case.number}"' in client.get("/supervision").get_data(as_text=True)
        for username in ("nongye", "gongan", "ducha", "zhenjie", "bianban"):
            for text, link in notices(client, username):
                assert link and the_route_exists(app, link), (username, text, link)
                assert client.get(link).status_code == 200, (username, text, link)


def test_the_domain_stores_what_a_notice_is_about_never_a_url(call, session):  # noqa: F811
    stored = session.scalars(select(Notification)).all()
    assert stored and all(note.link is None for note in stored)
    assert all(note.subject or note.instance_id for note in stored)
    assert {note.subject.partition(":")[0] for note in stored if note.subject} <= {"task", "call", "supervision", "list"}


def test_a_designers_link_is_kept_only_as_a_path_on_this_site(session):
    from app.domain.notifications import notify

    kept = notify(session, "nongye", "请查看", link="/lists/P-0001")
    dropped = notify(session, "nongye", "钓鱼", link="https://evil.example/x")
    assert (kept.link, dropped.link) == ("/lists/P-0001", None)
