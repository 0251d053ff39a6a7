"""Deploy over HTTP: multipart or JSON bundles, numbered versions, every problem listed, XML and diff."""

import io

from tests.conftest import bundle_files


def multipart(files):
    return {"files": [(io.BytesIO(content), name) for name, content in files.items()]}


def test_validate_lists_every_problem_with_file_element_and_line(api_as):
    files = bundle_files("constructs")
    files["main.bpmn"] = files["main.bpmn"].replace(b'value="fill_form"', b'value="missing_form"')
    files["evil.bpmn"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    response = api_as("sheji").client.post("/api/processes/validate", data=multipart(files),
                                            headers=api_as("sheji").headers, content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.json
    assert body["code"] == "definition_invalid" and body["message"] == "部署被拒绝：共 2 个问题"
    problems = {p["file"]: p for p in body["errors"]["problems"]}
    assert problems["main.bpmn"]["element_id"] == "fill" and problems["main.bpmn"]["line"]
    assert "missing_form" in problems["main.bpmn"]["message"]
    assert "DOCTYPE" in problems["evil.bpmn"]["message"]


def test_deploy_numbers_versions_and_serves_xml_forms_and_diffs(api_as):
    designer = api_as("admin")
    first = designer.client.post("/api/processes/deploy", data=multipart(bundle_files("constructs")),
                                 headers=designer.headers, content_type="multipart/form-data")
    assert first.status_code == 201 and first.json["created"] and first.json["deployment"]["number"] == 1
    assert first.json["deployment"]["deployed_by"] == "admin"
    same = designer.post("/api/processes/deploy", {"files": {k: v.decode() for k, v in bundle_files("constructs").items()}})
    assert same.json["created"] is False and same.json["deployment"]["number"] == 1
    changed = {"sub.bpmn": bundle_files("constructs")["sub.bpmn"].decode().replace("子流程确认", "子流程复核")}
    second = designer.post("/api/processes/deploy", {"files": changed, "overlay": True, "note": "改名"})
    assert second.json["deployment"]["number"] == 2 and second.json["deployment"]["note"] == "改名"
    assert sorted(second.json["deployment"]["processes"]) == ["main_flow", "sub_flow"]
    assert designer.get("/api/deployments/diff?from=1&to=2").json == {"added": [], "removed": [], "changed": ["sub.bpmn"]}
    versions = designer.get("/api/processes/sub_flow/versions").json
    assert [v["version"] for v in versions] == [2, 1]
    xml = designer.get("/api/processes/sub_flow/xml?version=1")
    assert xml.status_code == 200 and "子流程确认".encode() in xml.data
    assert designer.get("/api/processes/nope/xml").status_code == 404
    assert designer.get("/api/forms/fill_form").json["id"] == "fill_form"
    listed = api_as("zhenjie").get("/api/processes").json
    assert {p["process_id"]: p["version"] for p in listed} == {"main_flow": 2, "sub_flow": 2}


def test_service_operations_are_listed_in_chinese(api_as):
    operations = {op["name"]: op for op in api_as("sheji").get("/api/services").json["operations"]}
    assert operations["notify"]["label"].startswith("发送站内通知")
    assert [p["name"] for p in operations["notify"]["params"] if p["required"]] == ["org", "text"]
