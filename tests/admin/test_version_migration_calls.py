"""A running 呼叫—响应 moves with its departments' child workflows to a new version and finishes there."""

from app.workflow import version_migration as vm
from app.workflow.deployments import deploy_files, read_bundle_dir
from app.workflow.instances import get_instance
from tests.conftest import HERE
from tests.procedures.helpers import Driver
from tests.procedures.test_call_response import FISHING


def test_a_call_inside_its_departments_children_moves_and_finishes_on_the_new_version(session, runtime, user,
                                                                                       procedures):
    drive = Driver(session, runtime, user, None)
    instance = drive.start("zhenjie", "call_response", FISHING)
    drive.complete("respond", {"decision": "accept"}, org="nongye")
    files = read_bundle_dir(HERE.parent / "processes", HERE.parent / "forms")
    files["call_response.bpmn"] = files["call_response.bpmn"].replace('name="确认并评价"'.encode(),
                                                                      'name="确认办理结果"'.encode())
    new, _ = deploy_files(session, runtime, user("admin"), files, note="改名")
    session.commit()
    (verdict,) = vm.dry_run(session, runtime, user("admin"), "call_response", None, new.number)
    assert verdict.can_move and {"办理", "签收响应", "响应超时（等待定时器）"} <= set(verdict.steps)  # tasks and timers
    due = get_instance(session, instance.id).next_timer_due
    batch = vm.migrate(session, runtime, user("admin"), "call_response", new.number, [instance.id], "改名")
    session.commit()
    assert batch.moves[0].result == "moved", batch.moves[0].detail
    session.expire_all()
    assert get_instance(session, instance.id).next_timer_due == due  # the deadlines keep running, never restart
    drive.complete("respond", {"decision": "accept"}, org="gongan")
    for org in ("nongye", "gongan"):
        drive.complete("handle", {"action": "done", "result": f"{org} 已处置"}, org=org)
    assert drive.one("confirm").name == "确认办理结果"
    drive.complete("confirm", {"grade": "满意", "comment": ""})
    for org in ("nongye", "gongan"):
        drive.complete("rate_call", {"accuracy": 5, "cooperation": 5}, org=org)
    session.expire_all()
    finished = get_instance(session, instance.id)
    assert (finished.status, finished.deployment.number) == ("completed", new.number)
