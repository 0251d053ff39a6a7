"""A designer hears of warnings where they deploy: the validate and deploy answers carry them, and the size limits
that refuse a bundle are the ones the running configuration sets."""

from pathlib import Path

import pytest

from app.workflow.deployments import read_bundle_dir

PORTABLE = Path(__file__).resolve().parents[1] / "bundles" / "portable"


@pytest.fixture
def config_overrides():
    return {"MAX_FORM_COMPONENTS": 1}


def bundle(*names):
    files = read_bundle_dir(PORTABLE)
    return {name: files[name].decode() for name in names}


def test_validate_and_deploy_answer_with_the_warnings(api_as):
    designer = api_as("admin")
    files = bundle("event_gateway.bpmn")
    checked = designer.post("/api/processes/validate", {"files": files})
    assert checked.status_code == 200, checked.json
    (warning,) = checked.json["warnings"]
    assert (warning["element_id"], warning["severity"]) == ("Event_two_hours", "warning")
    assert "没有引号" in warning["message"]
    deployed = designer.post("/api/processes/deploy", {"files": files})
    assert deployed.status_code == 201 and deployed.json["warnings"] == checked.json["warnings"]


def test_the_configured_form_limit_refuses_a_bigger_form(api_as):
    form = '{"type": "default", "id": "two", "components": [' \
           '{"type": "textfield", "key": "a", "label": "甲"}, {"type": "textfield", "key": "b", "label": "乙"}]}'
    refused = api_as("sheji").post("/api/processes/validate", {"files": {"two.form": form}})
    assert refused.status_code == 400, refused.json
    assert any("MAX_FORM_COMPONENTS" in p["message"] for p in refused.json["errors"]["problems"]), refused.json
