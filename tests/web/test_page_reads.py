"""Pages read plain data from the query functions: every party of a call reads its story whole (why another
rejected — the mechanism is transparent among its parties), an organisation outside the call reads nothing of it;
the task page names colleagues, not their logins."""

from contextlib import contextmanager

from flask import template_rendered

from tests.conftest import login as submit_login
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


def test_another_party_reads_why_a_department_rejected(app, client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    login(client, "nongye")
    with rendered(app) as contexts:
        body = page(client, f"/calls/{call}")
    (seen,) = [c["ctx"] for c in contexts if "ctx" in c]
    assert seen["whole"] and f"市公安局 赵警官驳回：{PRIVATE}" in body


def test_an_organisation_outside_the_call_reads_nothing_of_it(client, call, api_as, session, user):  # noqa: F811
    from app.domain.people import create_user

    gongan_rejects(api_as)
    create_user(session, "admin", "zhujian1", "住建一号", "password1", "zhujian", sorted(user("nongye").roles),
                "pbkdf2:sha256:1000")
    session.commit()
    assert submit_login(client, "zhujian1", "password1").status_code == 302
    for url in (f"/calls/{call}", f"/record/calls/{call}"):
        response = client.get(url)
        assert response.status_code == 403 and PRIVATE not in response.get_data(as_text=True), url


def test_the_calling_organisation_reads_its_call_whole(app, client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    login(client, "zhenjie")
    with rendered(app) as contexts:
        body = page(client, f"/calls/{call}")
    (seen,) = [c["ctx"] for c in contexts if "ctx" in c]
    assert seen["whole"] and PRIVATE in body, "the caller's own instance: every event whole"


def test_a_partys_task_page_tells_the_calls_story_with_its_steps(client, call, api_as):  # noqa: F811
    gongan_rejects(api_as)
    task = next(t["id"] for t in api_as("nongye").get("/api/tasks").json)
    login(client, "nongye")
    body = page(client, f"/tasks/{task}")
    assert f"驳回：{PRIVATE}" in body and ">签收响应<" in body, "each step named, its decision and reason told"


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


def test_a_party_reads_the_story_but_not_the_ratings_between_others(app, session, runtime, user, procedures):
    from app.governance.call_context import call_context
    from tests.governance.record_case import play_case

    played, _ = play_case(app, session, runtime, user)
    told = " ".join(e["text"] for e in call_context(session, user("nongye"), played.number)["story"])
    assert "市公安局 赵警官驳回" in told, "why the other department rejected"
    assert "评价市农业农村局：满意" in told, "its own rating"
    assert "评价市公安局：满意" not in told and "评价" in told, "another's rating: who rated, not what"
    caller = " ".join(e["text"] for e in call_context(session, user("wangge"), played.number)["story"])
    assert "评价市公安局：满意" in caller and "评价市农业农村局：满意" in caller
