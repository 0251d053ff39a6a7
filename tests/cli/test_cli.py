"""The command line: validate and deploy bundles, tick timers, show instances, create users."""

from datetime import datetime, timedelta, timezone

from freezegun import freeze_time

from tests.conftest import BUNDLES


def test_validate_and_deploy_a_directory(runner):
    ok = runner.invoke(args=["processes", "validate", str(BUNDLES / "constructs")])
    assert ok.exit_code == 0 and "校验通过：2 个流程，6 个表单" in ok.output
    first = runner.invoke(args=["processes", "deploy", str(BUNDLES / "constructs")])
    assert first.exit_code == 0 and "已部署版本 1" in first.output
    again = runner.invoke(args=["processes", "deploy", str(BUNDLES / "constructs")])
    assert "未创建新版本" in again.output
    listed = runner.invoke(args=["processes", "list"])
    assert listed.exit_code == 0 and "main_flow" in listed.output and "sub_flow" in listed.output


def test_a_bad_directory_is_rejected_with_every_problem(runner, tmp_path):
    (tmp_path / "bad.bpmn").write_text("<bpmn:definitions", encoding="utf-8")
    (tmp_path / "worse.bpmn").write_text("<html/>", encoding="utf-8")
    result = runner.invoke(args=["processes", "deploy", str(tmp_path)])
    assert result.exit_code == 1
    assert "部署被拒绝：共 2 个问题" in result.output
    assert "bad.bpmn" in result.output and "worse.bpmn" in result.output
    assert all(x.startswith("  错误 ") for x in result.output.splitlines()[1:] if x.strip()), result.output


def test_warnings_are_printed_beside_a_valid_or_deployed_bundle(runner):
    portable = str(BUNDLES / "portable")
    checked = runner.invoke(args=["processes", "validate", portable])
    assert checked.exit_code == 0 and "校验通过" in checked.output
    line = next(x for x in checked.output.splitlines() if "Event_two_hours" in x)
    assert line.startswith("  提醒 event_gateway.bpmn:") and "没有引号" in line
    deployed = runner.invoke(args=["processes", "deploy", portable])
    assert deployed.exit_code == 0 and "已部署版本" in deployed.output and line in deployed.output.splitlines()


def test_designers_only(runner):
    result = runner.invoke(args=["processes", "deploy", str(BUNDLES / "constructs"), "--user", "zhenjie"])
    assert result.exit_code == 1 and "无权" in result.output


def test_timers_tick_and_instances_show(runner, deploy, api_as):
    deploy("constructs")
    api = api_as("zhenjie")
    start = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        iid = api.post("/api/instances", {"process_id": "main_flow", "data": {"subject": "定时"}}).json["id"]
        for data in ({"amount": 1, "reviewers": []}, {"confirmed": True}):
            task = api.get("/api/tasks").json[0]
            assert api.post(f"/api/tasks/{task['id']}/complete", {"data": data}).status_code == 200
        clock.tick(timedelta(hours=2))
        result = runner.invoke(args=["timers", "tick"])
        assert result.exit_code == 0 and "触发 1 个实例" in result.output
        again = runner.invoke(args=["timers", "tick"])
        assert again.exit_code == 0 and "触发 0 个实例" in again.output, "a timer fires once"
    shown = runner.invoke(args=["instances", "show", str(iid)])
    assert shown.exit_code == 0 and shown.output.startswith(f"实例 {iid} ") and "状态 运行中" in shown.output
    assert '"subject": "定时"' in shown.output


def test_create_user(runner, api_as):
    result = runner.invoke(args=["users", "create", "xiaoli", "--name", "小李", "--org", "gongan", "--role",
                                 "dept_staff", "--password", "longpassword"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["users", "create", "xiaoli2", "--name", "x", "--org", "nowhere", "--role",
                              "dept_staff", "--password", "longpassword"])
    assert bad.exit_code == 1 and "单位不存在" in bad.output


def test_demo_load_is_idempotent(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "新建 0 个用户" in result.output
