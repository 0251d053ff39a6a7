"""/assessment/appeals: 编办 (and those who read the whole assessment) see every appeal, pending first, 编办 with the
task that decides it; an organisation sees its own. /start prefills a start form from the query string."""

import json
import re

import pytest
from freezegun import freeze_time

from app.workflow import tasks
from tests.conftest import login
from tests.procedures.helpers import Driver
from tests.procedures.test_assessment_appeal import APPEALED, TOO_LATE, appeal, month  # noqa: F401  (a fixture)
from tests.web.test_call_context import main, text, upload_photo


@pytest.fixture
def drive(session, runtime, user, procedures):
    return Driver(session, runtime, user)


@pytest.fixture
def appeals(drive, month, api_as, session, runtime, user):  # noqa: F811  (month: the fixture imported above)
    """市农业农村局's appeal with a photo, pending; 市公安局's, refused. Their numbers."""
    late, in_time, _ = month
    photo = upload_photo(api_as, "nongye")
    with freeze_time(APPEALED):
        pending = drive.start("nongye", "assessment_appeal", dict(appeal(drive, late), evidence=[photo]))
        refused = drive.start("gongan", "assessment_appeal", appeal(drive, in_time))
        task = next(t for t in drive.open("decide_appeal") if t.instance_id == refused.id)
        tasks.complete_task(session, runtime, user("bianban"), task.id, {"outcome": "refuse", "exclude_calls": "",
                                                                          "decision": "证据不足"})
        session.commit()
    return pending.business_key, refused.business_key, late, in_time, photo


def cards(html):
    return re.findall(r'<article class="card appeal (\w+)" id="(SS[\d-]+)"', html)


def test_bianban_sees_every_appeal_pending_first_with_the_task_to_decide(client, appeals, drive):
    pending, refused, late, _, photo = appeals
    login(client, "bianban")
    html = main(client, "/assessment/appeals")
    assert cards(html) == [("pending", pending), ("refused", refused)]
    task = drive.one("decide_appeal")
    assert f'href="/tasks/{task.id}"' in html and "去决定" in html
    assert f'href="/calls/{late}"' in html and f"/api/attachments/{photo}/thumbnail" in html
    said = text(html)
    assert "市农业农村局" in said and "2026年11月（第 1 版结果）" in said and "签收及时率" in said
    assert "当日系统停电" in said and "证据不足" in said and "未采纳" in said and "待决定" in said
    assert "sign_rate" not in html and "nongye" not in said
    only_pending = main(client, "/assessment/appeals?status=pending")
    assert cards(only_pending) == [("pending", pending)]


def test_an_organisation_sees_its_own_appeals_only(client, appeals):
    pending, refused, *_ = appeals
    login(client, "nongye")
    html = main(client, "/assessment/appeals")
    assert cards(html) == [("pending", pending)]
    assert "去决定" not in html and 'data-testid="new-appeal"' in html
    client.post("/logout")
    login(client, "gongan")
    assert cards(main(client, "/assessment/appeals")) == [("refused", refused)]


def test_a_leader_reads_every_appeal_but_decides_none_and_a_grid_worker_appeals_nothing(client, appeals):
    login(client, "lingdao")
    html = main(client, "/assessment/appeals")
    assert len(cards(html)) == 2 and "去决定" not in html and 'data-testid="new-appeal"' not in html
    client.post("/logout")
    login(client, "wangge")
    html = main(client, "/assessment/appeals")
    assert cards(html) == [] and "暂无申诉" in html and 'data-testid="new-appeal"' not in html
    assert client.get("/start/assessment_appeal").status_code == 403


def test_the_start_form_is_prefilled_from_the_query_string(client, procedures):
    login(client, "nongye")
    page = client.get("/start/assessment_appeal?period=2026-11&metric=sign_rate&evidence=7&bogus=1").get_data(True)
    data = json.loads(re.search(r'<script type="application/json" id="start-data">(.*?)</script>', page, re.S)[1])
    assert data["data"] == {"period": "2026-11", "metric": "sign_rate"}, "only the form's own text and choice fields"
    values = [v["value"] for c in data["schema"]["components"] if c["key"] == "metric" for v in c["values"]]
    labels = {v["value"]: v["label"] for c in data["schema"]["components"] if c["key"] == "metric" for v in c["values"]}
    from app.messages import LABELS

    assert values and labels == {key: LABELS["assessment_metric"][key] for key in values}
    assert set(values) == set(LABELS["assessment_metric"]), "the form offers every metric, as the catalogue names it"


def test_a_refused_start_answers_in_chinese(appeals, api_as):
    _, _, late, *_ = appeals
    with freeze_time(TOO_LATE):
        response = api_as("nongye").post("/api/instances", {"process_id": "assessment_appeal",
                                                            "data": appeal(None, late)})
    assert response.status_code == 422
    assert response.json["message"] == "申诉未能提交：2026年11月的申诉期已于 2026-12-08 09:00 截止，不能再申诉"


def test_a_notice_of_a_decision_leads_to_the_appeal(client, appeals):
    _, refused, *_ = appeals
    login(client, "gongan")
    html = main(client, "/notifications")
    assert f'href="/assessment/appeals#{refused}"' in html


def test_a_prefilled_value_stays_data(client, procedures):
    login(client, "nongye")
    page = client.get("/start/assessment_appeal?period=</script><script>alert(1)</script>").get_data(True)
    assert "<script>alert(1)" not in page and "\\u003c/script\\u003e" in page
