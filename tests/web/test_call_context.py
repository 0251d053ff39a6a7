"""The call page and a call's task pages give the context people decide in; 催办 from the call page's button."""

import io
import json
import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from PIL import Image

from tests.conftest import csrf_token, login
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING, MONDAY

REASON = "非法捕捞由渔政部门查处，属地巡查由镇街负责"
NOTE = "电鱼涉嫌犯罪，需公安机关配合"
MINUTES = "双方对配合职责认识不一"
BASIS = "配合事项清单 P-0001：市农业农村局主办，市公安局配合查处"


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def upload_photo(api_as, username):
    caller = api_as(username)
    response = caller.client.post("/api/attachments", headers=caller.headers,
                                  data={"file": (io.BytesIO(jpeg()), "现场.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json["id"]


def main(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True).split("<main>")[1].split("</main>")[0]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def drive(session, runtime, user, procedures):
    return Driver(session, runtime, user)


@pytest.fixture
def disputed(drive, api_as):
    """The fishing case up to 编办's coordination: 市公安局 rejected, the caller forwarded, no agreement."""
    with freeze_time(MONDAY):
        photo = upload_photo(api_as, "wangge")
        instance = drive.start("wangge", "call_response", dict(FISHING, photos=[photo]))
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "reject", "reason": REASON}, org="gongan")
        drive.complete("decide", {"choice": "forward", "dispute_note": NOTE})
        drive.complete("negotiate", {"agreed": "no", "responsible": "department", "summary": MINUTES})
    return instance.business_key, photo


def test_the_coordinator_sees_the_rejection_the_note_and_the_minutes_and_the_departments_by_name(
        client, drive, disputed):
    task = drive.one("coordinate")
    with freeze_time(MONDAY + timedelta(hours=1)):
        login(client, "bianban")
        body = main(client, f"/tasks/{task.id}")
    said = text(body)
    assert REASON in said and NOTE in said and MINUTES in said and "协调：市公安局 与 铜城镇高邮湖社区" in said
    page = json.loads(re.search(r'<script type="application/json" id="task-data">(.*?)</script>', body, re.S).group(1))
    choice = next(c for c in page["schema"]["components"] if c.get("key") == "responsible")
    assert [o["label"] for o in choice["values"]] == ["市公安局（驳回的部门）", "铜城镇高邮湖社区（呼叫方）", "其他单位"]
    assert "responsible" not in page["data"], "the negotiation's choice is not the coordinator's"
    other = next(c for c in page["schema"]["components"] if c.get("key") == "other_org")
    assert other["type"] == "select" and {"label": "市自然资源和规划局", "value": "ziranziyuan"} in other["values"]
    assert f"/api/attachments/{disputed[1]}/thumbnail" in body, "every task of a call shows its photos"


def test_the_department_sees_the_callers_photo_and_deadline_in_words(client, drive, api_as, procedures):
    with freeze_time(MONDAY):
        photo = upload_photo(api_as, "zhenjie")
        drive.start("zhenjie", "call_response", dict(FISHING, photos=[photo]))
    task = drive.one("respond", org="nongye")
    with freeze_time(MONDAY + timedelta(hours=3)):
        login(client, "nongye")
        said = text(main(client, f"/tasks/{task.id}"))
        body = main(client, f"/tasks/{task.id}")
    assert f"/api/attachments/{photo}/thumbnail" in body
    assert "期限 2026-03-02 11:00 · 已超期 1 小时" in said
    assert "响应 已超期 1 小时（工作时间）" in said and "响应期限 2026-03-02 11:00（按工作时间计算，2 小时）" in said
    assert 'title="响应期限 2026-03-02 11:00' in body and "<details" not in body
    assert api_as("nongye").get(f"/api/attachments/{photo}/thumbnail").status_code == 200


def test_raters_see_each_partys_result_and_the_verifier_the_call(client, drive, disputed):
    with freeze_time(MONDAY + timedelta(hours=2)):
        drive.complete("coordinate", {"responsible": "department", "basis_kind": "list", "basis_note": BASIS})
        drive.complete("rectify", {"measures": "联合夜巡", "result": "查获电鱼器 2 套"})
    verify = drive.one("verify")
    with freeze_time(MONDAY + timedelta(hours=2)):
        login(client, "ducha")
        said = text(main(client, f"/tasks/{verify.id}"))
        assert f'href="/calls/{disputed[0]}"' in main(client, f"/tasks/{verify.id}")
    assert "督办原因 驳回转发" in said and "被督办单位 市公安局" in said and "办理 剩 3 天（工作时间）" in said
    with freeze_time(MONDAY + timedelta(hours=3)):
        drive.complete("verify", {"verify_decision": "close"})
        drive.complete("handle", {"action": "done", "result": "罚款 3000 元，没收电鱼器"}, org="nongye")
        drive.complete("handle", {"action": "done", "result": "涉案人员已移交"}, org="gongan")
    confirm = drive.one("confirm")
    login(client, "wangge")
    said = text(main(client, f"/tasks/{confirm.id}"))
    assert "各单位办理结果" in said and "罚款 3000 元，没收电鱼器" in said and "涉案人员已移交" in said
    drive.complete("confirm", {"grade": "满意", "comment": "处置迅速"})
    rate = drive.one("rate_call", org="nongye")
    login(client, "nongye")
    said = text(main(client, f"/tasks/{rate.id}"))
    assert "罚款 3000 元，没收电鱼器" in said and "涉案人员已移交" in said and "呼叫方评价 满意" in said


def test_the_call_page_tells_each_party_and_a_closed_call_how_long_it_took(client, drive, disputed):
    number, photo = disputed
    with freeze_time(MONDAY + timedelta(hours=2)):
        drive.complete("coordinate", {"responsible": "department", "basis_kind": "list", "basis_note": BASIS})
        drive.complete("rectify", {"measures": "联合夜巡", "result": "查获电鱼器 2 套"})
        drive.complete("verify", {"verify_decision": "close"})
    with freeze_time(MONDAY + timedelta(hours=5)):
        drive.complete("handle", {"action": "done", "result": "罚款 3000 元"}, org="nongye")
        drive.complete("handle", {"action": "done", "result": "涉案人员已移交"}, org="gongan")
        drive.complete("confirm", {"grade": "满意", "comment": "处置迅速"})
        for org in ("nongye", "gongan"):
            drive.complete("rate_call", {"accuracy": 5, "cooperation": 4}, org=org)
    login(client, "wangge")
    body = main(client, f"/calls/{number}")
    said = text(body)
    assert body.index(f"/api/attachments/{photo}/thumbnail") < body.index("办理单位"), "the photos come first"
    assert "事项 查处高邮湖非法电鱼等非法捕捞行为" in said and "呼叫方 铜城镇高邮湖社区 王格" in said
    assert "用时 5 小时" in said and "已历时" not in said
    assert f"已驳回（2026-03-02 09:00），理由：{REASON}" in said
    assert f"转发说明 {NOTE}" in said and f"协商纪要 {MINUTES}" in said
    assert f"编办协调决定：由市公安局办理（驳回不成立），依据：{BASIS}（吴编" in said
    assert "办理结果 罚款 3000 元" in said and "收到评价 铜城镇高邮湖社区：满意（处置迅速）" in said
    assert "响应 按时完成 " in said and "响应期限 2026-03-02 11:00（按工作时间计算，2 小时）" in said
    assert "2026-03-02 09:00 铜城镇高邮湖社区 王格" in said, "the record tells who did what, with the year"
    assert "/urge/" not in body and "催办 呼叫已办结" in said and "<details" not in body


def urge(client, number, org):
    return client.post(f"/calls/{number}/urge/{org}", data={"csrf_token": csrf_token(client)}, follow_redirects=True)


def test_the_caller_urges_a_late_party_from_the_button(client, drive, procedures):
    with freeze_time(MONDAY):
        number = drive.start("zhenjie", "call_response", FISHING).business_key
    with freeze_time(MONDAY + timedelta(hours=1)):
        login(client, "zhenjie")
        assert "未超期" in text(main(client, f"/calls/{number}"))
        refused = text(urge(client, number, "gongan").get_data(as_text=True))
        assert "未超期" in refused and "已催办 1 次" not in refused
    with freeze_time(MONDAY + timedelta(hours=3)):
        login(client, "zhenjie")
        body = main(client, f"/calls/{number}")
        assert f'action="/calls/{number}/urge/gongan"' in body and 'name="csrf_token"' in body
        for count in (1, 2):
            said = text(urge(client, number, "gongan").get_data(as_text=True))
            assert f"已催办市公安局（第 {count} 次）" in said and f"已催办 {count} 次" in said
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        said = text(urge(client, number, "nongye").get_data(as_text=True))
        assert "未超期" in said and "已催办市农业农村局" not in said


def test_urging_is_not_offered_to_another_organisation(client, drive, procedures):
    with freeze_time(MONDAY):
        number = drive.start("zhenjie", "call_response", FISHING).business_key
    with freeze_time(MONDAY + timedelta(hours=3)):
        login(client, "nongye")
        body = main(client, f"/calls/{number}")
        assert "/urge/" not in body and "您不是呼叫方" in text(body)
        said = text(urge(client, number, "gongan").get_data(as_text=True))
    assert "只有呼叫方可以催办" in said and "已催办市公安局" not in said
