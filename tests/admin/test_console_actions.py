"""The console's actions on one instance, over HTTP: each takes a reason, is refused with a Chinese reason when the
state does not allow it, and is recorded with who, why, before and after."""

from tests.helpers import bundle, definitions, process, script_task, user_task

WHY = "核实后处理"


def _flows(*pairs):
    return "".join(f'<bpmn:sequenceFlow id="{f}" sourceRef="{a}" targetRef="{b}" />\n' for f, a, b in pairs)


def _timer(task_id, incoming, outgoing, duration='"PT1H"'):
    return (f'<bpmn:intermediateCatchEvent id="{task_id}" name="等一小时"><bpmn:incoming>{incoming}</bpmn:incoming>'
            f'<bpmn:outgoing>{outgoing}</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>{duration}'
            '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>\n')


def _catch(task_id, incoming, outgoing):
    return (f'<bpmn:intermediateCatchEvent id="{task_id}" name="等回复"><bpmn:incoming>{incoming}</bpmn:incoming>'
            f'<bpmn:outgoing>{outgoing}</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m_reply" />'
            '</bpmn:intermediateCatchEvent>\n')


# start → 办理 (a town's task) → 计算 (divides by the form's number) → 等一小时 → end
STEPS = (user_task("work", outgoing="fa", form="count_form") + script_task("calc", "ratio = 100 / divisor", "fa", "fb")
         + _timer("wait", "fb", "f2") + _flows(("fa", "work", "calc"), ("fb", "calc", "wait")))
COUNT_FORM = ('{"type": "default", "id": "count_form", "schemaVersion": 19, "components": [{"type": "number", '
              '"id": "f_divisor", "key": "divisor", "label": "除数", "validate": {"required": true}}]}').encode()
# start → 等回复 (a message) → 收尾 (a town's task) → end
LISTENING = _catch("hear", "f1", "fa") + user_task("close", incoming="fa") + _flows(("fa", "hear", "close"))


def _deploy_console_flows(deploy):
    files = bundle(definitions(process(pid="console_flow", middle=STEPS, name="控制台流程")), name="console.bpmn",
                   forms={"count_form": COUNT_FORM})
    listening = definitions(process(pid="listening", middle=LISTENING, name="等消息流程"), pid="listening",
                            extra='<bpmn:message id="m_reply" name="reply" />\n')
    files.update(bundle(listening, name="listening.bpmn"))
    deploy(files=files)


def _start(api_as, pid="console_flow"):
    return api_as("zhenjie").post("/api/instances", {"process_id": pid, "data": {}}).json["id"]


def _task(api_as, iid):
    (task,) = [t for t in api_as("admin").get(f"/api/instances/{iid}").json["tasks"] if t["status"] == "open"]
    return task


def _history(api_as, iid):
    return api_as("admin").get(f"/api/instances/{iid}").json["history"]


def _element(api_as, iid, element_id, workflow="top"):
    elements = api_as("admin").get(f"/api/instances/{iid}/elements?workflow={workflow}").json["elements"]
    return next(e for e in elements if e["id"] == element_id)


def test_an_error_is_fixed_while_suspended_and_retried_to_the_end(deploy, api_as):
    _deploy_console_flows(deploy)
    iid, admin = _start(api_as), api_as("admin")
    task = _task(api_as, iid)
    api_as("zhenjie").post(f"/api/tasks/{task['id']}/complete", {"data": {"divisor": 0}})
    calc = _element(api_as, iid, "calc")
    assert calc["state"] == "error" and calc["state_label"] == "出错" and calc["error"]["line"] == 1
    assert _element(api_as, iid, "work")["state"] == "completed"
    edit = admin.put(f"/api/instances/{iid}/data", {"data": {"divisor": 4}, "reason": WHY})
    assert edit.status_code == 409 and "只有挂起的流程实例可以修改数据" in edit.json["message"]
    assert admin.post(f"/api/instances/{iid}/suspend", {"reason": WHY}).json["status"] == "suspended"
    resumed = admin.post(f"/api/instances/{iid}/resume", {"reason": WHY})
    assert resumed.status_code == 409 and "重试" in resumed.json["message"], "a suspended error is retried, not resumed"
    data = admin.get(f"/api/instances/{iid}").json["data"]
    reserved = admin.put(f"/api/instances/{iid}/data", {"data": {**data, "today": 1}, "reason": WHY})
    assert reserved.status_code == 422 and "保留" in reserved.json["message"]
    fixed = {**data, "divisor": 4}
    assert admin.put(f"/api/instances/{iid}/data", {"data": fixed, "reason": WHY}).status_code == 200
    same = admin.put(f"/api/instances/{iid}/data", {"data": fixed, "reason": WHY})
    assert same.status_code == 422 and same.json["message"] == "数据没有修改"
    retried = admin.post(f"/api/instances/{iid}/retry", {"reason": WHY}).json
    assert retried["status"] == "running" and retried["error"] is None and retried["next_timer_due"]
    assert admin.get(f"/api/instances/{iid}").json["data"]["ratio"] == 25
    edited = next(e for e in _history(api_as, iid) if e["action"] == "instance.data_edit")
    assert edited["actor"] == "admin" and edited["payload"]["reason"] == WHY
    assert edited["payload"]["before"] == {"divisor": 0} and edited["payload"]["after"] == {"divisor": 4}
    wait = _element(api_as, iid, "wait")
    assert wait["state"] == "waiting" and wait["tasks"][0]["timer_due"]
    fired = admin.post(f"/api/instances/{iid}/fire-timer", {"task_id": wait["tasks"][0]["task_id"], "reason": WHY})
    assert fired.json["status"] == "completed"
    assert [e["action"] for e in _history(api_as, iid)][-2:] == ["timer.fire_now", "instance.complete"]
    ended = admin.post(f"/api/instances/{iid}/suspend", {"reason": WHY})
    assert ended.status_code == 409 and ended.json["message"] == "流程实例已“已完成”，不能再操作"


def test_a_stuck_task_is_reassigned_to_a_user_and_to_an_organisation(deploy, api_as):
    _deploy_console_flows(deploy)
    iid, admin = _start(api_as), api_as("admin")
    task = _task(api_as, iid)
    url = f"/api/instances/{iid}/tasks/{task['id']}/reassign"
    assert api_as("zhenjie").post(url, {"username": "zhenzhang", "reason": WHY}).status_code == 403
    both = admin.post(url, {"username": "zhenzhang", "org_code": "qinlan", "reason": WHY})
    assert both.status_code == 422 and "二选一" in both.json["message"]
    read_only = admin.post(url, {"username": "renda", "reason": WHY})
    assert read_only.status_code == 422 and "只读" in read_only.json["message"], "人大 reads, never works a task"
    moved = admin.post(url, {"username": "zhenzhang", "reason": WHY}).json
    assert moved["claimed_by"] == "zhenzhang"
    assert [t["id"] for t in api_as("zhenzhang").get("/api/tasks").json] == [task["id"]]
    assert api_as("zhenjie").get("/api/tasks").json == []
    to_org = admin.post(url, {"org_code": "qinlan", "reason": WHY}).json
    assert to_org["orgs"] == ["qinlan"] and to_org["claimed_by"] is None
    assert api_as("zhenzhang").get("/api/tasks").json == []
    event = [e for e in _history(api_as, iid) if e["action"] == "task.reassign"][-1]
    assert event["payload"]["before"]["users"] == ["zhenzhang"] and event["payload"]["after"]["orgs"] == ["qinlan"]
    assert admin.post(url, {"org_code": "nowhere", "reason": WHY}).status_code == 404


def test_skip_a_human_task_with_data_checked_by_its_form_and_rewind_to_it(deploy, api_as):
    _deploy_console_flows(deploy)
    iid, admin = _start(api_as), api_as("admin")
    work = _element(api_as, iid, "work")["tasks"][0]["task_id"]
    wrong = admin.post(f"/api/instances/{iid}/skip", {"task_id": work, "data": {}, "reason": WHY})
    assert wrong.status_code == 422 and wrong.json["errors"] == {"divisor": ["此项为必填项"]}
    skipped = admin.post(f"/api/instances/{iid}/skip", {"task_id": work, "data": {"divisor": 5}, "reason": WHY}).json
    assert skipped["status"] == "running" and skipped["next_timer_due"]
    assert _element(api_as, iid, "calc")["state"] == "completed"
    rewinds = api_as("admin").get(f"/api/instances/{iid}/elements").json["rewinds"]
    assert [r["element_id"] for r in rewinds] == ["calc", "work"]
    bogus = admin.post(f"/api/instances/{iid}/rewind", {"task_id": "not-a-task", "reason": WHY})
    assert bogus.status_code == 409 and bogus.json["message"] == "流程实例中没有这个任务"
    back = admin.post(f"/api/instances/{iid}/rewind", {"task_id": rewinds[1]["task_id"], "reason": WHY}).json
    assert back["next_timer_due"] is None
    assert _element(api_as, iid, "work")["state"] == "active"
    assert _task(api_as, iid)["bpmn_id"] == "work", "the step is to be done again"
    actions = [e["action"] for e in _history(api_as, iid)]
    assert actions[-2:] == ["task.skip", "instance.rewind"], _history(api_as, iid)[-1]["payload"]


def test_a_waiting_message_is_delivered_by_hand(deploy, api_as):
    _deploy_console_flows(deploy)
    iid, admin = _start(api_as, "listening"), api_as("admin")
    hear = _element(api_as, iid, "hear")
    assert hear["state"] == "waiting" and hear["tasks"][0]["message"] == "reply"
    missing = admin.post(f"/api/instances/{iid}/deliver-message", {"name": "other", "reason": WHY})
    assert missing.status_code == 409 and missing.json["message"] == "流程实例没有在等待消息“other”"
    timer = admin.post(f"/api/instances/{iid}/fire-timer", {"task_id": hear["tasks"][0]["task_id"], "reason": WHY})
    assert timer.status_code == 409 and timer.json["message"] == "这个环节没有在等待定时器"
    delivered = admin.post(f"/api/instances/{iid}/deliver-message",
                           {"name": "reply", "payload": {"answer": "同意"}, "reason": WHY})
    assert delivered.status_code == 200
    assert _task(api_as, iid)["bpmn_id"] == "close"
    event = [e for e in _history(api_as, iid) if e["action"] == "message.deliver"][-1]
    assert event["payload"]["payload"] == {"answer": "同意"} and event["payload"]["reason"] == WHY


def test_reads_for_the_read_all_roles_and_acts_for_the_admin_only(deploy, api_as):
    _deploy_console_flows(deploy)
    iid = _start(api_as)
    assert api_as("ducha").get(f"/api/instances/{iid}/elements").status_code == 200
    refused = api_as("zhenjie").get(f"/api/instances/{iid}/elements")
    assert refused.status_code == 403 and "控制台" in refused.json["message"]
    denied = api_as("ducha").post(f"/api/instances/{iid}/suspend", {"reason": WHY})
    assert denied.status_code == 403 and denied.json["message"] == "只有系统管理员可以操作流程实例"
    assert api_as("admin").get(f"/api/instances/{iid}/elements?workflow=nope").status_code == 404
