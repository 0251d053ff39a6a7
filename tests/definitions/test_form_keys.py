"""A form's keys against what its processes read after it: over the shipped procedures and small diagrams."""

import json
from pathlib import Path

import pytest

from app.definitions.form_keys import form_key_report, names_in
from app.workflow.runtime import HELPER_NAMES
from tests.helpers import bundle, definitions, process, script_task, user_task

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    files = {p.name: p.read_bytes() for p in sorted((ROOT / "processes").iterdir()) if p.suffix in {".bpmn", ".dmn"}}
    files.update({p.name: p.read_bytes() for p in sorted((ROOT / "forms").glob("*.json"))})
    return files


def schema_of(files, form_id):
    return json.loads(files[f"{form_id}.json"])


def where(report, key="missing"):
    return [(r["name"], r["element_id"]) for r in report[key]]


def test_every_shipped_form_is_fully_provided_for(shipped):
    for path in sorted((ROOT / "forms").glob("*.json")):
        report = form_key_report(shipped, path.stem, schema_of(shipped, path.stem), reserved=HELPER_NAMES)
        assert report["processes"], path.stem
        if path.stem not in ("approve_return_form",):  # deployment_approval's data comes from the platform's request
            assert report["missing"] == [], path.stem


def test_the_call_form_keys_and_what_reads_them(shipped):
    report = form_key_report(shipped, "call_form", schema_of(shipped, "call_form"), reserved=HELPER_NAMES)
    assert report["keys"] == ["description", "extra_departments", "item_code", "location", "photos", "urgency"]
    assert report["processes"] == ["call_response"]
    first = report["reads"][0]
    assert first == {"name": "item_code", "process": "call_response", "element_id": "open_call",
                     "where": "服务任务“登记呼叫单”（open_call）的服务参数 item", "from_form": True}
    assert ("urgency", "deadlines") in where(report, "reads")  # the decision table's input, through its task
    called = {"department_response", "reject_forward_coordinate"}  # and what it calls, and what those call
    assert {r["process"] for r in report["reads"]} == {"call_response", *called}


def test_a_key_removed_from_the_form_is_missing_where_it_is_read(shipped):
    schema = schema_of(shipped, "call_form")
    schema["components"] = [c for c in schema["components"] if c["key"] != "urgency"]
    report = form_key_report(shipped, "call_form", schema, reserved=HELPER_NAMES)
    assert "urgency" not in report["keys"]
    assert where(report) == [("urgency", "open_call"), ("urgency", "deadlines")]
    assert [r["where"] for r in report["missing"]] == ["服务任务“登记呼叫单”（open_call）的服务参数 urgency",
                                                       "业务规则任务“确定响应、办理时限”（deadlines）的决策表输入"]


def test_only_what_runs_after_the_form_is_read(shipped):
    report = form_key_report(shipped, "confirm_form", schema_of(shipped, "confirm_form"), reserved=HELPER_NAMES)
    read_at = {r["element_id"] for r in report["reads"]}
    assert "flow_satisfied_mark_redo" in read_at and "rate_handlers" in read_at
    assert not read_at & {"open_call", "start_clock", "prepare", "collect"}  # upstream of 确认并评价
    assert [r["name"] for r in report["reads"] if r["from_form"]] == ["grade", "comment", "grade"]


def test_helpers_are_names_only_when_the_host_says_so(shipped):
    schema = schema_of(shipped, "admission_form")
    assert ("working_days_from_now", "consult_due") in where(form_key_report(shipped, "admission_form", schema))
    assert form_key_report(shipped, "admission_form", schema, reserved=HELPER_NAMES)["missing"] == []


GROUPED = {"type": "default", "id": "simple_form", "components": [
    {"type": "textfield", "key": "note", "label": "意见"},
    {"type": "group", "path": "address", "components": [{"type": "textfield", "key": "city", "label": "城市"}]},
    {"type": "group", "components": [{"type": "number", "key": "amount", "label": "金额"}]},
    {"type": "dynamiclist", "path": "contacts", "components": [{"type": "textfield", "key": "name", "label": "姓名"}]},
    {"type": "text", "text": "说明"}]}


def small_bundle(*nodes):
    """start -f1-> nodes[0] -f3-> nodes[1] -f4-> … -f2-> end."""
    names = ["f1", *(f"f{i + 3}" for i in range(len(nodes) - 1)), "f2"]
    ids = [n.split('id="', 1)[1].split('"', 1)[0] for n in nodes]
    flows = "".join(f'<bpmn:sequenceFlow id="{names[i + 1]}" sourceRef="{ids[i]}" targetRef="{ids[i + 1]}" />\n'
                    for i in range(len(nodes) - 1))
    text = definitions(process(middle="".join(nodes) + flows))
    return bundle(text, forms={"simple_form": json.dumps(GROUPED, ensure_ascii=False).encode()})


def test_groups_with_a_path_and_dynamic_lists_give_their_keys():
    code = "city = address['city']\nfirst = contacts[0]['name'] if contacts else note\ntotal = amount + extra"
    script = script_task("use", code, incoming="f3", outgoing="f2")
    files = small_bundle(user_task(outgoing="f3", form="simple_form"), script)
    report = form_key_report(files, "simple_form", GROUPED)
    assert report["keys"] == ["address", "address.city", "amount", "contacts", "contacts[].name", "note"]
    assert [r["name"] for r in report["reads"]] == ["address", "contacts", "note", "amount", "extra"]
    assert where(report) == [("extra", "use")]


def test_scripts_results_and_templates_give_and_read():
    title = '<spiffworkflow:property name="title" value="{{ summary }}：{{ nobody }}" />'
    code = "summary = note.strip()\nfor row in contacts:\n    last = row\nn = len([c for c in contacts if c])"
    script = script_task("give", code, incoming="f3", outgoing="f4")
    later = user_task("later", form="", extra_props=title, incoming="f4", outgoing="f2")
    files = small_bundle(user_task(outgoing="f3", form="simple_form"), script, later)
    report = form_key_report(files, "simple_form", GROUPED)
    assert where(report) == [("nobody", "later")]
    assert ("summary", "later") in where(report, "reads") and ("c", "give") not in where(report, "reads")


def test_a_camunda_form_key_naming_the_file_counts_as_showing_the_form():
    task = user_task(form="", outgoing="f3").replace(
        '<bpmn:userTask id="work"', '<bpmn:userTask id="work" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'camunda:formKey="camunda-forms:deployment:simple_form.json"')
    files = small_bundle(task, script_task("use", "x = note + later", incoming="f3", outgoing="f2"))
    report = form_key_report(files, "simple_form", GROUPED)
    assert report["processes"] == ["simple"] and where(report) == [("later", "use")]


def test_a_form_no_task_shows_reads_nothing_and_unreadable_files_are_skipped(shipped):
    files = {**shipped, "broken.bpmn": b"<bpmn:definitions", "odd.json": b"[]"}
    report = form_key_report(files, "nowhere_form", GROUPED)
    assert report == {"keys": ["address", "address.city", "amount", "contacts", "contacts[].name", "note"],
                      "processes": [], "reads": [], "missing": []}
    assert form_key_report({}, "x", {"components": "nope"})["keys"] == []


def test_names_in_scopes_the_way_python_does():
    assert names_in("x = y + 1\nz = x * w\nx += q", "exec") == (["y", "w", "q"], {"x", "z"})
    assert names_in("[a for a in items if a > limit]", "eval") == (["items", "limit"], set())
    assert names_in("def f(v):\n    return v + outer\nr = f(1)", "exec") == (["outer"], {"r"})
    assert names_in("(lambda k: k + j)(2)", "eval") == (["j"], set())
    assert names_in("not python ${x}", "eval") == ([], set())
