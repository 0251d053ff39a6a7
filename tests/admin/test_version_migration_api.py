"""Version migrations over the REST API: dry run, a batch and its report, revert; who may; the spec in Chinese."""

import pytest

from tests.admin.test_version_migration import WHY, deploy_and_start, start


@pytest.fixture
def running(api_as, deploy):
    return deploy_and_start(api_as, deploy)


def test_dry_run_batch_report_and_revert(api_as, running):
    admin = api_as("admin")
    dry = admin.get(f"/api/migrations/dry-run?process_id=mig&to_version={running['v2']}")
    assert dry.status_code == 200, dry.json
    verdicts = {c["id"]: c for c in dry.json}
    assert verdicts[running["at_a"]]["reasons"] == ["当前所在的步骤「步骤a」在目标版本中已不存在"]
    assert verdicts[running["at_b"]]["can_move"] and verdicts[running["at_b"]]["status_label"] == "运行中"
    ran = admin.post("/api/migrations", {"process_id": "mig", "to_version": running["v2"],
                                         "ids": [running["at_a"], running["at_b"]], "reason": WHY})
    assert ran.status_code == 201, ran.json
    assert (ran.json["moved"], ran.json["refused"]) == (1, 1)
    report = admin.get(f"/api/migrations/{ran.json['id']}").json
    moves = {m["instance_id"]: m for m in report["moves"]}
    assert moves[running["at_b"]]["result_label"] == "已迁移" and moves[running["at_b"]]["may_revert"]
    assert not moves[running["at_a"]]["may_revert"]
    assert [b["id"] for b in admin.get("/api/migrations").json] == [ran.json["id"]]
    reverted = admin.post(f"/api/migrations/moves/{moves[running['at_b']]['id']}/revert", {"reason": "迁错了"})
    assert reverted.status_code == 200, reverted.json
    assert reverted.json["result"] == "reverted" and reverted.json["text"] == f"已撤销，回到第 {running['v1']} 版"
    again = admin.post(f"/api/migrations/moves/{moves[running['at_b']]['id']}/revert", {"reason": "迁错了"})
    assert again.status_code == 409 and "已于" in again.json["message"]


def test_read_all_roles_see_only_admins_move(api_as, running):
    assert api_as("renda").get(f"/api/migrations/dry-run?process_id=mig&to_version={running['v2']}").status_code == 200
    assert api_as("zhenjie").get(f"/api/migrations/dry-run?process_id=mig&to_version={running['v2']}").status_code == 403
    body = {"process_id": "mig", "to_version": running["v2"], "ids": [running["at_b"]], "reason": WHY}
    assert api_as("bianban").post("/api/migrations", body).status_code == 403
    assert api_as("renda").post("/api/migrations", body).status_code == 403


def test_bad_requests_are_refused_in_chinese(api_as, running):
    admin = api_as("admin")
    unknown = admin.get("/api/migrations/dry-run?process_id=mig&to_version=99")
    assert unknown.status_code == 404 and "没有第 99 版" in unknown.json["message"]
    empty = admin.post("/api/migrations", {"process_id": "mig", "to_version": running["v2"], "ids": [], "reason": WHY})
    assert empty.status_code == 422 and "请至少选择一个实例" in str(empty.json)
    assert admin.get("/api/migrations/999").status_code == 404
    unknown_ids = admin.post("/api/migrations", {"process_id": "mig", "to_version": running["v2"],
                                                 "ids": [running["at_b"], 99999], "reason": WHY})
    assert unknown_ids.status_code == 422 and "没有这些流程实例：99999" in unknown_ids.json["message"]


def test_a_new_instance_after_the_deploy_is_on_the_target_and_not_listed(api_as, running):
    newer = start(api_as)
    listed = api_as("admin").get(f"/api/migrations/dry-run?process_id=mig&to_version={running['v2']}").json
    assert newer not in {c["id"] for c in listed}


def test_the_spec_describes_the_endpoints_in_chinese(client):
    spec = client.get("/api/openapi.json").json
    assert spec["paths"]["/api/migrations/dry-run"]["get"]["summary"].startswith("试运行")
    assert "/api/migrations/moves/{move_id}/revert" in spec["paths"]


def test_the_pages_offer_moves_to_admins_and_show_dry_runs_to_readers(app, running):
    from tests.conftest import login

    page = f"/admin/migrations?process=mig&to={running['v2']}&run=1"
    readers = {}
    for username in ("admin", "renda", "zhenjie"):
        client = app.test_client()
        login(client, username)
        readers[username] = client.get(page)
    assert readers["zhenjie"].status_code == 403
    renda, admin = readers["renda"].get_data(as_text=True), readers["admin"].get_data(as_text=True)
    for text in (renda, admin):
        assert "当前所在的步骤「步骤a」在目标版本中已不存在" in text and "可以迁移" in text
    assert "迁移所选" in admin and "迁移所选" not in renda
    assert f'name="ids" value="{running["at_b"]}"' in admin and f'name="ids" value="{running["at_a"]}"' not in admin
