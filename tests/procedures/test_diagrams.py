"""The procedures deploy cleanly and open in bpmn-js / dmn-js (their moddle readers) without warnings."""

import shutil
import subprocess
from pathlib import Path

from app.workflow.deployments import read_bundle_dir

ROOT = Path(__file__).resolve().parents[2]


def test_procedures_validate_as_one_bundle(runtime, user):
    from app.workflow.deployments import validate_files

    bundle = validate_files(runtime, user("sheji"), read_bundle_dir(ROOT / "processes", ROOT / "forms"))
    assert set(bundle.parsed.process_files) == {
        "call_response", "department_response", "reject_forward_coordinate", "admission_approval", "town_opinion",
        "assigned_matter", "supervision_case", "deployment_approval", "supervision_escalation",
        "assessment_appeal"}


def test_diagrams_open_without_warnings_and_every_element_is_drawn():
    node = shutil.which("node")
    assert node, "Node.js is part of the set-up (make deps)"
    result = subprocess.run([node, "scripts/check_diagrams.mjs", "processes"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "diagrams ok" in result.stdout


def test_lanes_and_tasks_are_named_as_the_seed_names_them():
    text = "".join((ROOT / "processes" / f).read_text(encoding="utf-8") for f in (
        "call_response.bpmn", "department_response.bpmn", "reject_forward_coordinate.bpmn",
        "admission_approval.bpmn", "town_opinion.bpmn", "assigned_matter.bpmn", "supervision_case.bpmn"))
    for word in ("呼叫", "响应", "办理", "驳回", "转发", "协商", "备案审查", "协调", "督办", "整改", "意见", "审核", "审批"):
        assert word in text, word
    for lane in ("呼叫方", "市委编办", "督查机构", "镇街", "市委市政府"):
        assert f'name="{lane}' in text, lane
