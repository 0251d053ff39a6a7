"""Small diagram and form builders for tests that need one-off bundles."""

import json
import re

HEAD = ('<?xml version="1.0" encoding="{encoding}"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs_{pid}" '
        'targetNamespace="http://tianchang.example/tests">\n')


def user_task(task_id="work", name="办理", form="simple_form", role="town_staff", extra_props="", extra_ext="",
              incoming="f1", outgoing="f2", inner=""):
    props = "".join(f'<spiffworkflow:property name="{k}" value="{v}" />' for k, v in
                    (("form", form), ("role", role)) if v)
    return (f'<bpmn:userTask id="{task_id}" name="{name}"><bpmn:extensionElements><spiffworkflow:properties>{props}'
            f'{extra_props}</spiffworkflow:properties>{extra_ext}</bpmn:extensionElements>'
            f'<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>{inner}</bpmn:userTask>\n')


STARTERS = "grid,town_staff,town_leader,dept_staff,dept_leader,bianban,designer,supervisor,leader,admin"


def start_roles(roles=STARTERS):
    """The start event's extension naming who may start the process (by default every role that may write)."""
    return ('<bpmn:extensionElements><spiffworkflow:properties>'
            f'<spiffworkflow:property name="start_roles" value="{roles}" /></spiffworkflow:properties>'
            '</bpmn:extensionElements>')


def process(pid="simple", middle=None, name="简单流程", start_ext=None):
    """start -> middle (default: one user task) -> end; `middle` must take f1 and give f2."""
    middle = middle if middle is not None else user_task()
    start_ext = start_roles() if start_ext is None else start_ext
    return (f'<bpmn:process id="{pid}" name="{name}" isExecutable="true">\n'
            f'<bpmn:startEvent id="start">{start_ext}<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>\n{middle}'
            f'<bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>\n'
            f'<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{_first_id(middle)}" />\n'
            f'<bpmn:sequenceFlow id="f2" sourceRef="{_last_id(middle)}" targetRef="end" />\n'
            f'</bpmn:process>\n')


def _node_ids(text):
    return [m.group(2) for m in re.finditer(r'<bpmn:(\w+) id="([^"]+)"', text) if m.group(1) != "sequenceFlow"]


def _first_id(middle):
    return _node_ids(middle)[0]


def _last_id(middle):
    return _node_ids(middle[:middle.index("<bpmn:outgoing>f2</bpmn:outgoing>")])[-1]


def definitions(*processes, pid="simple", encoding="UTF-8", extra=""):
    return HEAD.format(encoding=encoding, pid=pid) + extra + "".join(processes) + "</bpmn:definitions>\n"


def form(form_id="simple_form", components=None):
    components = components if components is not None else [
        {"type": "textfield", "id": "f_note", "key": "note", "label": "意见", "validate": {"required": True}}]
    return json.dumps({"type": "default", "id": form_id, "schemaVersion": 19, "components": components},
                      ensure_ascii=False).encode()


def bundle(bpmn_text=None, forms=None, name="simple.bpmn"):
    text = bpmn_text if bpmn_text is not None else definitions(process())
    files = {name: text if isinstance(text, bytes) else text.encode("utf-8")}
    for form_id, content in (forms or {"simple_form": form()}).items():
        files[f"{form_id}.json"] = content
    return files


def script_task(task_id, script, incoming="f1", outgoing="f2"):
    return (f'<bpmn:scriptTask id="{task_id}" name="脚本"><bpmn:incoming>{incoming}</bpmn:incoming>'
            f'<bpmn:outgoing>{outgoing}</bpmn:outgoing><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>\n')
