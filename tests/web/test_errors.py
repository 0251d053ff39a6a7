"""Pages answer every error with the Chinese error page, never werkzeug's English one: unknown pages, methods
a page does not take (with `Allow`), expired forms, and numbers too large for the database."""

from app.messages import msg
from tests.conftest import login

ENGLISH = ("Internal Server Error", "Not Found", "Method Not Allowed", "Bad Request", "Traceback")


def chinese_page(response, status, message):
    body = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html", (response.status_code, body[:200])
    assert message in body and 'lang="zh-CN"' in body
    assert not any(word in body for word in ENGLISH), body
    return body


def test_an_unknown_page_is_the_chinese_not_found_page(client):
    login(client, "nongye")
    body = chinese_page(client.get("/no-such-page"), 404, msg("http.not_found"))
    assert "找不到页面" in body and 'data-testid="who"' in body  # the signed-in navigation is still there


def test_a_method_a_page_does_not_take_answers_405_with_allow(client):
    response = client.delete("/login")
    chinese_page(response, 405, msg("http.method"))
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_a_form_without_its_csrf_token_is_the_chinese_expired_page(client):
    login(client, "nongye")
    chinese_page(client.post("/logout"), 400, msg("auth.csrf"))
    assert client.get("/").status_code == 200  # still signed in: nothing was done


def test_the_api_answers_json_where_a_page_answers_html(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json == {"code": "not_found", "message": msg("http.not_found"), "errors": {}}


def test_a_page_number_beyond_what_the_database_holds_shows_the_first_page(client):
    login(client, "nongye")
    for page in ("50907072713712006594560", "-3", "abc"):
        response = client.get(f"/?page={page}")
        assert response.status_code == 200 and "<h1>我的待办" in response.get_data(as_text=True).split("<main>")[1], page
