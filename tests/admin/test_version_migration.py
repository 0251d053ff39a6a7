"""Moving running instances to another version: dry run, a partial batch, revert, the form reason, the CLI, who may.

Two versions of a small process: v1 is 步骤a → 步骤b, v2 drops 步骤a and adds 步骤c after 步骤b. An instance
waiting at 步骤a cannot move (its step is gone); one at 步骤b can.
"""

import pytest
from sqlalchemy import select

from app.domain.audit import AuditEvent
from app.errors import Forbidden, InvalidState
from app.workflow import version_migration as vm
from app.workflow.instances import get_instance
from app.workflow.models import HumanTask
from tests.helpers import bundle, definitions, form, process, user_task

WHY = "新版本去掉了步骤a"


def flow(source, target, fid):
    return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}" />'


V1 = user_task("a", name="步骤a", outgoing="fm") + flow("a", "b", "fm") + user_task("b", name="步骤b", incoming="fm")
V2 = user_task("b", name="步骤b", outgoing="fc") + flow("b", "c", "fc") + user_task("c", name="步骤c", incoming="fc")
PHONE = [{"type": "textfield", "id": "f_note", "key": "note", "label": "意见", "validate": {"required": True}},
         {"type": "textfield", "id": "f_phone", "key": "phone", "label": "电话", "validate": {"required": True}}]


def files_of(middle, forms=None):
    return bundle(definitions(process(pid="mig", name="迁移流程", middle=middle), pid="mig"), name="mig.bpmn",
                  forms=forms)


def start(api_as, done=0):
    """An instance of v1 with `done` of its steps completed (through the API, as a town's staff member)."""
    zhenjie = api_as("zhenjie")
    iid = zhenjie.post("/api/instances", {"process_id": "mig", "data": {}}).json["id"]
    for _ in range(done):
        task = next(t for t in zhenjie.get("/api/tasks").json if t["instance_id"] == iid)
        assert zhenjie.post(f"/api/tasks/{task['id']}/complete", {"data": {"note": "已办"}}).status_code == 200
    return iid


@pytest.fixture
def running(api_as, deploy):
    return deploy_and_start(api_as, deploy)


def deploy_and_start(api_as, deploy):
    """v1 deployed, three instances (at 步骤a, at 步骤b, completed), then v2 deployed."""
    v1 = deploy(files=files_of(V1)).number
    at_a, at_b, done = start(api_as), start(api_as, 1), start(api_as, 2)
    v2 = deploy(files=files_of(V2)).number
    return {"v1": v1, "v2": v2, "at_a": at_a, "at_b": at_b, "done": done}


def open_tasks(session, iid):
    session.expire_all()
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == iid, HumanTask.status == "open")).all()


def events(session, iid, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.instance_id == iid, AuditEvent.action == action)).all()


def test_dry_run_lists_open_instances_with_their_verdict(session, runtime, user, running):
    found = {c.id: c for c in vm.dry_run(session, runtime, user("admin"), "mig", None, running["v2"])}
    assert set(found) == {running["at_a"], running["at_b"]}  # the completed one is never listed
    assert found[running["at_a"]].reasons == ["当前所在的步骤「步骤a」在目标版本中已不存在"]
    assert not found[running["at_a"]].can_move and found[running["at_a"]].steps == ["步骤a"]
    assert found[running["at_b"]].can_move and found[running["at_b"]].version == running["v1"]


def test_a_partial_batch_moves_what_it_can_and_reports_the_rest(session, runtime, user, running):
    task_before = open_tasks(session, running["at_b"])[0].id
    chosen = [running["at_a"], running["done"], running["at_b"]]  # the refused ones come first: the last still moves
    batch = vm.migrate(session, runtime, user("admin"), "mig", running["v2"], chosen, WHY)
    session.commit()
    results = {m.instance_id: (m.result, m.detail) for m in batch.moves}
    assert results[running["at_b"]] == ("moved", f"已从第 {running['v1']} 版迁移到第 {running['v2']} 版")
    assert results[running["at_a"]] == ("refused", "未迁移：当前所在的步骤「步骤a」在目标版本中已不存在")
    assert results[running["done"]] == ("refused", "未迁移：实例已完成，不再迁移")
    assert get_instance(session, running["at_a"]).deployment.number == running["v1"]
    assert get_instance(session, running["at_b"]).deployment.number == running["v2"]
    assert [t.id for t in open_tasks(session, running["at_b"])] == [task_before]  # the open task row survives
    (event,) = events(session, running["at_b"], "instance.migrate")
    assert event.actor == "admin" and event.payload == {"from_version": running["v1"], "to_version": running["v2"],
                                                        "reason": WHY, "batch": batch.id}
    assert events(session, running["at_a"], "instance.migrate") == []


def test_a_moved_instance_runs_on_the_new_version(session, runtime, user, running, api_as):
    vm.migrate(session, runtime, user("admin"), "mig", running["v2"], [running["at_b"]], WHY)
    session.commit()
    (task,) = open_tasks(session, running["at_b"])
    api_as("zhenjie").post(f"/api/tasks/{task.id}/complete", {"data": {"note": "新版本"}})
    assert [t.name for t in open_tasks(session, running["at_b"])] == ["步骤c"]


def test_a_revert_puts_the_instance_back_on_its_old_version(session, runtime, user, running):
    batch = vm.migrate(session, runtime, user("admin"), "mig", running["v2"], [running["at_b"]], WHY)
    session.commit()
    (move,) = batch.moves
    assert vm.may_revert(move)
    vm.revert(session, runtime, user("admin"), move.id, "迁错了")
    session.commit()
    instance = get_instance(session, running["at_b"])
    assert instance.deployment.number == running["v1"]
    assert [t.name for t in open_tasks(session, running["at_b"])] == ["步骤b"]
    (event,) = events(session, running["at_b"], "instance.migrate_revert")
    assert event.payload["reason"] == "迁错了" and event.payload["to_version"] == running["v1"]
    assert vm.move_state(move) == "reverted" and vm.move_text(move) == f"已撤销，回到第 {running['v1']} 版"
    with pytest.raises(InvalidState):
        vm.revert(session, runtime, user("admin"), move.id, "再撤一次")


def test_a_revert_is_refused_once_the_instance_moved_on(session, runtime, user, running, api_as):
    batch = vm.migrate(session, runtime, user("admin"), "mig", running["v2"], [running["at_b"]], WHY)
    session.commit()
    (task,) = open_tasks(session, running["at_b"])
    api_as("zhenjie").post(f"/api/tasks/{task.id}/complete", {"data": {"note": "新版本"}})
    session.expire_all()
    with pytest.raises(InvalidState) as refused:
        vm.revert(session, runtime, user("admin"), batch.moves[0].id, "迁错了")
    assert "迁移后已有变化" in refused.value.message


def test_a_form_whose_new_required_field_the_data_lacks_refuses(session, runtime, user, api_as, deploy):
    v1 = deploy(files=files_of(V1)).number
    at_b = start(api_as, 1)
    v3 = deploy(files=files_of(V1, forms={"simple_form": form(components=PHONE)})).number
    (found,) = vm.dry_run(session, runtime, user("admin"), "mig", [v1], v3)
    assert found.id == at_b
    assert found.reasons == ["步骤「步骤a」的表单在目标版本中必须填写电话，而实例数据中没有"]


def test_only_admins_migrate_and_read_all_roles_see_dry_runs(session, runtime, user, running):
    with pytest.raises(Forbidden):
        vm.dry_run(session, runtime, user("zhenjie"), "mig", None, running["v2"])
    assert len(vm.dry_run(session, runtime, user("renda"), "mig", None, running["v2"])) == 2
    with pytest.raises(Forbidden):
        vm.migrate(session, runtime, user("renda"), "mig", running["v2"], [running["at_b"]], WHY)


def test_the_cli_dry_runs_and_migrates(runner, running):
    args = ["instances", "migrate", "--process", "mig", "--from", "all", "--to", str(running["v2"])]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"实例 {running['at_a']}" in dry.output and "不能迁移：当前所在的步骤「步骤a」在目标版本中已不存在" in dry.output
    assert "共 2 个实例：可以迁移 1 个，不能迁移 1 个" in dry.output
    done = runner.invoke(args=[*args, "--ids", f"{running['at_a']},{running['at_b']}", "--reason", WHY])
    assert done.exit_code == 0, done.output
    assert f"实例 {running['at_b']}：已从第 {running['v1']} 版迁移到第 {running['v2']} 版" in done.output
    assert "迁移 1 个，未迁移 1 个" in done.output
