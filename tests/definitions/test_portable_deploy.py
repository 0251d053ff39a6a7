"""Diagrams as other modellers write them, through the deploy operation and the REST API (/api/processes/deploy).

Ids with hyphens, dots, underscores and Chinese letters; Flowable's `.bpmn20.xml` and form-js's `.form` files with
the folders a browser adds; documentation diagrams marked not executable; and broken files, whose every problem
comes back at once with file, element, line and a Chinese message.
"""

import io
from pathlib import Path

from app.workflow.deployments import deploy_checked, read_bundle_dir

TESTS = Path(__file__).resolve().parents[1]
PORTABLE, BROKEN = TESTS / "bundles" / "portable", TESTS / "bundles" / "broken"


def multipart(files):
    return {"files": [(io.BytesIO(content), name) for name, content in files.items()]}


def upload(api, url, files):
    return api.client.post(url, data=multipart(files), headers=api.headers, content_type="multipart/form-data")


def test_modeller_ids_and_file_names_deploy_and_run(api_as):
    files = {name: content.decode() for name, content in read_bundle_dir(PORTABLE).items()}
    files["exports/bpmn-js/bpmnjs-ids.bpmn20.xml"] = files.pop("bpmnjs-ids.bpmn20.xml")
    files["C:\\Users\\设计员\\巡查表.form"] = files.pop("巡查表.form")
    designer = api_as("admin")
    deployed = designer.post("/api/processes/deploy", {"files": files})
    assert deployed.status_code == 201, deployed.json
    assert {"bpmnjs-ids.bpmn20.xml", "巡查表.form"} <= set(deployed.json["deployment"]["files"]), "no folders kept"
    assert "Process_巡查-1.v2" in deployed.json["deployment"]["processes"]
    xml = designer.get("/api/processes/Process_巡查-1.v2/xml")
    assert xml.status_code == 200 and "巡查审核".encode() in xml.data
    assert designer.get("/api/forms/Form_巡查.v1").json["id"] == "Form_巡查.v1"

    town = api_as("zhenjie")
    started = town.post("/api/instances", {"process_id": "Process_巡查-1.v2"})
    assert started.status_code == 201, started.json
    (task,) = [t for t in town.get("/api/tasks").json if t["instance_id"] == started.json["id"]]
    assert (task["bpmn_id"], task["name"]) == ("Activity_审核-0k3", "巡查审核")
    done = town.post(f"/api/tasks/{task['id']}/complete", {"data": {"decision": "pass"}})
    assert done.status_code == 200, done.json
    instance = town.get(f"/api/instances/{started.json['id']}").json
    assert instance["status"] == "completed" and instance["data"]["outcome"] == "passed"


def test_a_non_executable_process_is_stored_viewable_and_never_started(api_as):
    designer = api_as("admin")
    only_documentation = {"documentation.bpmn": (PORTABLE / "documentation.bpmn").read_bytes()}
    deployed = upload(designer, "/api/processes/deploy", only_documentation)
    assert deployed.status_code == 201, deployed.json
    assert sorted(deployed.json["deployment"]["processes"]) == ["Process_doc_dept", "Process_doc_town"]
    listed = {p["process_id"]: p for p in designer.get("/api/processes").json}
    assert listed["Process_doc_town"]["name"] == "镇街呼叫（示意）" and listed["Process_doc_town"]["version"] == 1
    assert "综合判断".encode() in designer.get("/api/processes/Process_doc_town/xml").data
    for who in ("zhenjie", "admin"):
        refused = api_as(who).post("/api/instances", {"process_id": "Process_doc_town"})
        assert refused.status_code == 409
        assert refused.json["message"] == "流程“镇街呼叫（示意）”在图中标为不可执行（isExecutable=\"false\"），只供查看，不能发起"


def test_every_problem_of_every_file_is_reported_at_once(api_as):
    files = read_bundle_dir(BROKEN)
    files["notes.txt"] = b"not a diagram"
    refused = upload(api_as("sheji"), "/api/processes/validate", files)
    assert refused.status_code == 400
    problems = refused.json["errors"]["problems"]
    found = {(p["file"], p["element_id"], p["severity"]): p["message"] for p in problems}
    expected = {
        ("many_defects.bpmn", "1bad", "error"): "流程“编号开头的流程”（1bad）不符合 BPMN/DMN 规范：ID“1bad”不是合法的 XML 名称",
        ("many_defects.bpmn", "ledger_store", "error"): "数据存储“台账”（ledger_store）：本平台没有数据存储的实现",
        ("many_defects.bpmn", "read", "error"): "任务“读台账”（read）：数据输入关联无法解析",
        ("many_defects.bpmn", "each", "error"): "任务“逐个处理”（each）：多实例没有指定数量（loopCardinality）",
        ("many_defects.bpmn", "d1", "error"): "顺序流“大额”（d1）的条件是 JUEL 表达式，本平台的表达式是 Python，"
                                              "请改写为：amount > 1000 and not approved",
        ("many_defects.bpmn", "wait", "warning"): "中间捕获事件“等一小时”（wait）的定时器值 PT1H 没有引号，"
                                                  "已按字面值 \"PT1H\" 读取",
        ("juel_timers.bpmn", "Event_due", "error"): "中间捕获事件“到期日”（Event_due）的定时器时间（timeDate）是 JUEL 表达式，"
                                                    "本平台的表达式是 Python，请改写为：dueDate",
        ("juel_timers.bpmn", "Event_wait", "error"): "中间捕获事件“等待”（Event_wait）的定时器时长（timeDuration）的值 "
                                                     "PT1X 不是有效的 ISO 8601 时长（timeDuration），"
                                                     "应写成带引号的字面值，例如 \"PT2H\"",
        ("huge_text.form", "Text_notice", "error"): "组件（Text_notice）的文字过长：10002 个字符，超过上限 10000 个"
                                                    "（设置项 TIANCHANG_MAX_FORM_TEXT）",
        ("notes.txt", None, "error"): "文件“notes.txt”的类型不受支持",
    }
    for key, text in expected.items():
        assert key in found and found[key].startswith(text), (key, found.get(key))
    assert len(problems) == len(expected), problems
    assert refused.json["message"] == "部署被拒绝：共 9 个问题（另有 1 条提醒）"
    lines = {(p["file"], p["element_id"]): p["line"] for p in problems}
    assert all(lines[(f, e)] for (f, e, _s) in expected if f.endswith(".bpmn")), lines


def test_warnings_come_back_with_the_deployment(session, runtime, user):
    deployed = deploy_checked(session, runtime, user("sheji"), read_bundle_dir(PORTABLE))
    assert deployed.created
    (warning,) = [w for w in deployed.warnings if w.file == "event_gateway.bpmn"]
    assert (warning.file, warning.element_id, warning.severity) == ("event_gateway.bpmn", "Event_two_hours", "warning")
    assert warning.message == "中间捕获事件“两小时”（Event_two_hours）的定时器值 PT2H 没有引号，已按字面值 \"PT2H\" 读取"
    again = deploy_checked(session, runtime, user("sheji"), read_bundle_dir(PORTABLE))
    assert not again.created and again.warnings == deployed.warnings, "an unchanged bundle says the same"


def test_the_county_procedures_deploy_without_warnings(session, runtime, user):
    root = TESTS.parent
    deployed = deploy_checked(session, runtime, user("sheji"), read_bundle_dir(root / "processes", root / "forms"))
    assert deployed.created and deployed.warnings == []
