"""Pages read plain data from the query functions, and show of it what the API would: a party of a call reads who
did what on its record, not what another party wrote; the task page names colleagues, not their logins."""

from contextlib import contextmanager

from flask import template_rendered

from tests.web.test_pages import call, login, page  # noqa: F401 - `call` is a fixture

PRIVATE = "公安内部意见"


@contextmanager
def rendered(app):
    """The context of each template rendered meanwhile: what the page was given, not only what it printed."""
    contexts = []

    def record(sender, template, context, **extra):
        contexts.append(context)

    template_rendered.connect(record, app)
    try:
        yield contexts
    finally:
        template_rendered.disconnect(record, app)


def gongan_rejects(api_as):
    task = next(t["id"] for t in api_as("gongan").get("/api/tasks").json)
    done = api_as("gongan").post(f"/api/tasks/{task}/complete", {"data": {"decision": "reject", "reason": PRIVATE}})
    assert done.status_code == 200, done.json


def test_another_partys_call_page_does_not_carry_the_events_payloads(app, client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    login(client, "nongye")
    with rendered(app) as contexts:
        body = page(client, f"/calls/{call}")
    (history,) = [c["history"] for c in contexts if "history" in c]
    assert history and all(set(event["payload"]) == {"task"} for event in history)
    assert any(event["action"] == "task.complete" for event in history)
    assert PRIVATE not in str(history) and PRIVATE not in body


def test_the_calling_organisation_reads_its_call_whole(app, client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    login(client, "zhenjie")
    with rendered(app) as contexts:
        page(client, f"/calls/{call}")
    (history,) = [c["history"] for c in contexts if "history" in c]
    assert PRIVATE in str(history), "the caller's own instance: every event whole"


def test_another_partys_task_page_does_not_carry_the_events_payloads(app, client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    task = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    login(client, "nongye")
    with rendered(app) as contexts:
        body = page(client, f"/tasks/{task}")
    (shown,) = [c["task"] for c in contexts if "task" in c and isinstance(c["task"], dict)]
    assert shown["history"] and PRIVATE not in str(shown["history"]) and PRIVATE not in body
    assert "（签收响应）" in body, "steps are named by the task they concern"


def test_the_delegate_list_names_colleagues_by_display_name(client, call, api_as, session, user):  # noqa: F811
    from app.domain.people import create_user

    create_user(session, "admin", "nongye2", "农业农村局二号", "password1", "nongye", sorted(user("nongye").roles),
                "pbkdf2:sha256:1000")
    session.commit()
    task = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    login(client, "nongye")
    body = page(client, f"/tasks/{task}")
    assert '<option value="nongye2">农业农村局二号</option>' in body, "the name shown, the login sent"
    assert "（nongye2）" not in body


def test_the_call_page_record_names_people_and_steps_not_logins_and_element_ids(client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    login(client, "nongye")
    body = page(client, f"/calls/{call}")
    record = body[body.index("办理记录"):]
    assert "赵警官" in record and "gongan" not in record, "who acted, by name"
    assert "签收响应" in record and "（respond）" not in record, "which step, by its name"
    assert "zhenjie" not in body, "the caller is named, not its login"
