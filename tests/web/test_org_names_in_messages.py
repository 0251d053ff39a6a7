"""Notices and refusals about calls name organisations as people know them, never by their codes."""

from datetime import timedelta

from freezegun import freeze_time

from app.db import utcnow
from tests.web.test_notification_links import notices
from tests.web.test_pages import call  # noqa: F401 - `call` is a fixture


def test_urges_name_organisations_not_their_codes(client, call, api_as):  # noqa: F811
    early = api_as("zhenjie").post(f"/api/calls/{call}/urge", {"org": "nongye"})
    assert early.status_code == 409 and early.json["message"] == "市农业农村局 尚未超过时限，无需催办"
    with freeze_time(utcnow() + timedelta(days=3)):  # past the response limit
        assert api_as("zhenjie").post(f"/api/calls/{call}/urge", {"org": "nongye"}).status_code == 200
        urged = [text for text, _ in notices(client, "nongye") if "催办" in text]
    assert urged and all("铜城镇 催办" in text and "tongcheng" not in text for text in urged), urged


def test_a_forwarded_rejection_names_the_rejecting_organisation(client, call, api_as):  # noqa: F811
    for org, data in (("nongye", {"decision": "accept"}), ("gongan", {"decision": "reject", "reason": "不属于本单位职责"}),
                      ("zhenjie", {"choice": "forward"})):
        task = next(t["id"] for t in api_as(org).get("/api/tasks").json)
        assert api_as(org).post(f"/api/tasks/{task}/complete", {"data": data}).status_code == 200, org
    forwarded = [text for text, _ in notices(client, "ducha") if "驳回" in text]
    assert forwarded and all("被 市公安局 驳回" in text and "gongan" not in text for text in forwarded), forwarded
