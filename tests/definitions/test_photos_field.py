"""The photos field (the platform's form-js upload field): its value is a list of attachment ids, judged in Chinese."""

from app.definitions.forms import Form, validate_submission
from tests.api.test_attachment_images import camera_jpeg
from tests.api.test_attachments import upload
from tests.procedures.test_call_response import FISHING


def photos_form(**extra):
    component = {"type": "photos", "key": "evidence", "id": "Field_evidence", "label": "现场照片", **extra}
    return Form("f", {"type": "default", "schemaVersion": 19, "id": "f", "components": [component]})


def test_a_list_of_distinct_ids_is_a_photos_value():
    form = photos_form()
    assert validate_submission(form, {"evidence": [3, 17]}) == {}
    assert validate_submission(form, {"evidence": []}) == {}
    assert validate_submission(form, {"evidence": None}) == {}, "optional: form-js may send nothing"
    assert validate_submission(form, {}) == {}


def test_anything_else_is_refused_in_chinese():
    form = photos_form()
    assert validate_submission(form, {"evidence": ["3"]}) == {"evidence": ["只能填写已上传文件的编号"]}
    assert validate_submission(form, {"evidence": [0]}) == {"evidence": ["只能填写已上传文件的编号"]}
    assert validate_submission(form, {"evidence": [True]}) == {"evidence": ["只能填写已上传文件的编号"]}
    assert validate_submission(form, {"evidence": [4, 4]}) == {"evidence": ["同一个文件添加了两次"]}
    assert validate_submission(form, {"evidence": list(range(1, 11))}) == {"evidence": ["最多只能添加 9 个文件"]}
    assert validate_submission(form, {"evidence": "3"})["evidence"][0].startswith("类型不正确")


def test_required_and_the_designers_maximum():
    form = photos_form(validate={"required": True}, properties={"maxFiles": "2"})
    assert validate_submission(form, {"evidence": []}) == {"evidence": ["此项为必填项"]}
    assert validate_submission(form, {}) == {"evidence": ["此项为必填项"]}
    assert validate_submission(form, {"evidence": [1, 2, 3]}) == {"evidence": ["最多只能添加 2 个文件"]}
    assert validate_submission(form, {"evidence": [1, 2]}) == {}


def test_its_ids_are_bound_whatever_the_key():
    form = photos_form()
    assert form.attachment_fields() == {"evidence"}
    assert form.attachment_ids({"evidence": [5, 6]}) == {"evidence": [5, 6]}


def test_the_call_forms_photos_are_bound_to_the_call_and_checked(procedures, api_as):
    grid = api_as("wangge")
    photo = upload(grid, camera_jpeg()).json["id"]
    typed = grid.post("/api/instances", {"process_id": "call_response", "data": {**FISHING, "photos": [f"{photo}"]}})
    assert typed.status_code == 422 and typed.json["errors"]["photos"] == ["只能填写已上传文件的编号"]
    started = grid.post("/api/instances", {"process_id": "call_response", "data": {**FISHING, "photos": [photo]}})
    assert started.status_code == 201, started.json
    assert api_as("nongye").get(f"/api/attachments/{photo}/thumbnail").status_code == 200, "bound: the party reads it"
