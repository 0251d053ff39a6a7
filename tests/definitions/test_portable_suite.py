"""A portability suite of our own (issue 9, point 8): diagrams as modellers export them, each deployed, started
and run to its expected end through the REST API, and broken ones, each refused on the expected element with the
expected reason.

The manifest below is the suite. A runnable case names its files (every form of runnable/ goes with it), the
process, who starts it with what data, then its steps: who completes which task with what data, which other
instances start (a sender of a message), how long the clock moves before the timer sweep runs and how many
instances it fires. It ends with the instance's status, the end events it reached and the data it holds. A broken
case names its file, the element the refusal is on and a fragment of the message. docs/bpmn.md ("BPMN 2.0 element
support") is the table these cases prove.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from freezegun import freeze_time
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from app.cli.sweep import tick
from app.workflow import instances
from app.workflow.execution import begin_run

SUITE = Path(__file__).resolve().parents[1] / "bundles" / "portable_suite"
RUNNABLE, BROKEN = SUITE / "runnable", SUITE / "broken"
START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # a Monday, 09:00 in Tianchang
EVERYONE = "grid,town_staff,town_leader,dept_staff,dept_leader,bianban,designer,supervisor,leader,admin"


@dataclass(frozen=True)
class Complete:
    """`by` completes the open task `task` (its BPMN id) of instance `of` (of any instance: None; a message may
    have started it) with `data`; `title` picks one of several."""

    task: str
    by: str
    data: dict = field(default_factory=dict)
    of: str | None = "main"
    title: str | None = None
    shows: str | None = None  # the task's instructions, as its page shows them, contain this


@dataclass(frozen=True)
class Start:
    """`by` starts another process (a sender, a partner); later steps name it `name`."""

    process: str
    by: str
    name: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Wait:
    """The clock moves on by `duration`, then the timer sweep runs and fires `fired` instances."""

    duration: timedelta
    fired: int


@dataclass(frozen=True)
class Status:
    """Instance `of` has this status now."""

    status: str
    of: str = "main"


@dataclass(frozen=True)
class Open:
    """Instance `of` has exactly these open tasks (BPMN ids, sorted)."""

    tasks: tuple
    of: str = "main"


@dataclass(frozen=True)
class Case:
    name: str
    proves: str
    files: tuple
    process: str
    starter: str
    steps: tuple = ()
    data: dict = field(default_factory=dict)
    status: str = "completed"
    ends: tuple = ()  # end events of the started process that were reached
    result: dict = field(default_factory=dict)  # a subset of the instance's data at the end
    others: dict = field(default_factory=dict)  # name -> status of the other instances
    warnings: tuple = ()  # element ids of the deploy warnings
    refused: str | None = None  # the start is refused (409) with this message fragment
    marks: tuple = ()


@dataclass(frozen=True)
class Broken:
    file: str
    element: str | None
    message: str
    also: tuple = ()  # other files of the bundle
    marks: tuple = ()


def xfail(reason):
    return (pytest.mark.xfail(strict=True, reason=reason),)


def minutes(n):
    return timedelta(minutes=n)


def hours(n):
    return timedelta(hours=n)


RUNNABLE_CASES = [
    Case("bpmnjs-approval", "a bpmn-js export (generated ids, diagram interchange): user task, script task, "
         "exclusive gateway with a condition and a default flow",
         ("bpmnjs-approval.bpmn",), "Process_1k9z3xq", "zhenjie", data={"subject": "修缮村道"},
         steps=(Complete("Activity_0x1y2z3", "zhenzhang", {"decision": "pass"}),),
         ends=("Event_0d8z1ok",), result={"outcome": "approved: 修缮村道"}),
    Case("bpmnjs-approval-back", "the default flow of an exclusive gateway",
         ("bpmnjs-approval.bpmn",), "Process_1k9z3xq", "zhenjie", data={"subject": "修缮村道"},
         steps=(Complete("Activity_0x1y2z3", "zhenzhang", {"decision": "back", "comment": "材料不全"}),),
         ends=("Event_1n4back",), result={"outcome": None, "comment": "材料不全"}),
    Case("parallel-countersign", "a parallel split and join; tasks of two departments chosen by an `org` expression",
         ("parallel-countersign.bpmn",), "Process_0p4r1lx", "zhenjie", data={"subject": "联合执法"},
         steps=(Open(("Activity_0nongye", "Activity_1gongan")),
                Complete("Activity_1gongan", "gongan", {"confirmed": True}),
                Complete("Activity_0nongye", "nongye", {"note": "同意"})),
         ends=("Event_1end9gh",), result={"summary": "同意；公安已确认"}),
    Case("inclusive-gateway", "an inclusive gateway takes the branches whose conditions hold, its join waits for them",
         ("inclusive-gateway.bpmn",), "Process_1inc7zz", "zhenjie",
         data={"subject": "秸秆焚烧", "departments": ["nongye"]},
         steps=(Open(("Activity_0ny8h9i",)), Complete("Activity_0ny8h9i", "nongye", {"note": "已处置"})),
         ends=("Event_0fin3t4",), result={"note": "已处置"}),
    Case("inclusive-gateway-default", "an inclusive gateway's default flow when no condition holds",
         ("inclusive-gateway.bpmn",), "Process_1inc7zz", "zhenjie", data={"subject": "咨询", "departments": []},
         ends=("Event_0fin3t4",), result={"note": "无需会办"}),
    Case("event-gateway-message", "an event-based gateway: the message from another pool's instance wins the race",
         ("event-gateway-race.bpmn",), "Process_0wait1x", "zhenjie", data={"subject": "询问"},
         steps=(Start("Process_1reply4y", "nongye", "reply"),
                Complete("Activity_0write9b", "nongye", {"note": "已核实"}, of="reply")),
         ends=("Event_0endA3v",), result={"outcome": "answered: 已核实"}, others={"reply": "completed"}),
    Case("event-gateway-timer", "an event-based gateway: its timer wins when no message comes, fired by the sweep",
         ("event-gateway-race.bpmn",), "Process_0wait1x", "zhenjie", data={"subject": "询问"},
         steps=(Wait(hours(1), 0), Wait(hours(1) + minutes(1), 1)),
         ends=("Event_1endB4w",), result={"outcome": "timed out"}),
    Case("event-subprocess", "a non-interrupting event sub-process started by a timer reminds and leaves the task "
         "open; the process ends with its task",
         ("event-subprocess.bpmn",), "Process_0esp1ab", "zhenjie", data={"subject": "占道经营"},
         steps=(Wait(hours(1) + minutes(1), 1), Open(("Activity_0handle",)),
                Complete("Activity_0handle", "zhenjie", {"decision": "pass"})),
         ends=("Event_0done5n", "Event_1rem3t"), result={"decision": "pass"}, warnings=("Event_0rem6o",)),
    Case("event-subprocess-early", "a process whose flow has ended before its event sub-process's timer is due "
         "stays running until the timer fires and the sub-process has run (SpiffWorkflow's end join counts the "
         "event sub-process as a live branch): what the deploy warning says",
         ("event-subprocess.bpmn",), "Process_0esp1ab", "zhenjie", data={"subject": "占道经营"},
         steps=(Complete("Activity_0handle", "zhenjie", {"decision": "pass"}), Status("running"),
                Wait(hours(1) + minutes(1), 1)),
         ends=("Event_0done5n", "Event_1rem3t"), result={"decision": "pass"}, warnings=("Event_0rem6o",)),
    Case("message-boundary", "an interrupting message boundary event: a message from another pool's instance "
         "withdraws the case and cancels its task (what a message event sub-process, refused, cannot do)",
         ("message-boundary.bpmn",), "Process_0mbd3gh", "zhenjie", data={"subject": "占道经营"},
         steps=(Open(("Activity_0hdl3e",)), Start("Process_1mbw5kl", "zhenjie", "withdraw", {"subject": "已自行整改"})),
         ends=("Event_1wde2n",), result={"outcome": "withdrawn: 已自行整改"}, others={"withdraw": "completed"}),
    Case("collaboration-documentation", "a Signavio collaboration marked not executable (pools, lanes, message "
         "flows, a complex gateway, a data store) is stored and viewable, and its start is refused",
         ("collaboration-documentation.bpmn",), "sid-PROC-TOWN-doc", "zhenjie", refused="不可执行"),
    Case("signal-events", "a signal thrown in one branch is caught by an interrupting boundary event and an "
         "intermediate catch event in the others",
         ("signal-events.bpmn",), "Process_0sig3ef", "zhenjie", data={"subject": "低保申请"},
         steps=(Open(("Activity_0chk8l", "Activity_1ask5q")), Complete("Activity_0chk8l", "zhenjie", {"confirmed": True})),
         ends=("Event_0fin6g",), result={"signalled": True, "archived": True}),
    Case("signal-across-instances", "a signal thrown by one pool's instance does not reach the instances of "
         "another pool that wait for it (the host routes only messages between instances): deploy warns on the "
         "catch, and the waiting instance keeps waiting",
         ("signal-across-instances.bpmn",), "Process_0sgw3gh", "zhenjie", data={"subject": "防汛"},
         steps=(Start("Process_1sgb5kl", "zhenjie", "broadcast", {"subject": "防汛"}),),
         status="running", result={"evacuated": None}, others={"broadcast": "completed"},
         warnings=("Event_1wat3e",)),
    Case("escalation-events", "escalations from a sub-process: a non-interrupting one (intermediate throw) and an "
         "interrupting one (end event), each caught by its boundary event",
         ("escalation-events.bpmn",), "Process_1esc3gh", "zhenjie", data={"subject": "修桥", "amount": 50000},
         steps=(Complete("Activity_1ldr5r", "zhenzhang", {"decision": "pass"}),),
         ends=("Event_0ccd4q", "Event_1big8z", "Event_1ldd8u"), result={"copied": True, "decision": "pass"}),
    Case("escalation-events-small", "an escalation that is not thrown leaves the sub-process to end normally",
         ("escalation-events.bpmn",), "Process_1esc3gh", "zhenjie", data={"subject": "修路灯", "amount": 800},
         ends=("Event_0ccd4q", "Event_0fin9v", "Event_0ok0b1"), result={"copied": True}),
    Case("error-boundary", "an error end event in a sub-process is caught by the error boundary event (error code)",
         ("error-boundary.bpmn",), "Process_0err3ef", "zhenjie", data={"subject": "张三"},
         steps=(Complete("Activity_0fnd9o", "gongan", {"confirmed": False}),),
         ends=("Event_0nf8x", "Event_1rej7i"), result={"outcome": "not found"}),
    Case("data-objects", "a data object written by one task (output association), read by the next ones",
         ("data-objects.bpmn",), "Process_1dat1cd", "zhenjie", data={"subject": "河道保洁"},
         steps=(Complete("Activity_1rev0o", "zhenjie", {"note": "核对无误"}),),
         ends=("Event_0fin3c",), result={"entries": 2, "checked_subject": "河道保洁", "note": "核对无误"}),
    Case("mi-sequential", "a sequential multi-instance user task over a collection (input and output data items), "
         "one task at a time, its title rendered per item",
         ("mi-sequential.bpmn",), "Process_0mis2cd", "zhenjie", data={"subject": "门店检查", "items": ["甲店", "乙店"]},
         steps=(Open(("Activity_1chk3g",)), Complete("Activity_1chk3g", "zhenjie", {"note": "甲店合格"}),
                Open(("Activity_1chk3g",)), Complete("Activity_1chk3g", "zhenjie", {"note": "乙店整改"})),
         ends=("Event_1fin9m",), result={"summary": "甲店合格; 乙店整改"}),
    Case("mi-parallel", "a parallel multi-instance user task, one task per department of a collection (the `org` "
         "expression reads the input item), then a multi-instance script task by loop cardinality",
         ("mi-parallel.bpmn",), "Process_1mip1cd", "zhenjie",
         data={"subject": "秸秆禁烧", "departments": ["nongye", "gongan"]},
         steps=(Open(("Activity_0opn3g", "Activity_0opn3g")),
                Complete("Activity_0opn3g", "gongan", {"decision": "back", "comment": "不归我局"}),
                Complete("Activity_0opn3g", "nongye", {"decision": "pass"})),
         ends=("Event_0fin2p",), result={"agreed": 1, "notices": ["告知 nongye", "告知 gongan"]}),
    Case("loop-task", "standard loops: a user task repeated while its loop condition holds (loopMaximum 3), a script "
         "task tested before each pass",
         ("loop-task.bpmn",), "Process_0lop2cd", "zhenjie", data={"subject": "补正"},
         steps=(Complete("Activity_1fix3g", "zhenzhang", {"decision": "back"}), Open(("Activity_1fix3g",)),
                Complete("Activity_1fix3g", "zhenzhang", {"decision": "pass"})),
         ends=("Event_0fin2p",), result={"decision": "pass", "copies": 3}),
    Case("call-nested", "call activities two deep (outer → middle → inner, three files): the inner user task's "
         "data comes back up to the outer process",
         ("call-outer.bpmn", "call-middle.bpmn", "call-inner.bpmn"), "Process_0out1ab", "zhenjie",
         data={"subject": "危房改造"},
         steps=(Complete("Activity_0inn3e", "zhenjie", {"note": "已入户"}),),
         ends=("Event_0inn9k", "Event_0out9k", "Event_1mid0k"),
         result={"summary": "危房改造 / 已入户 / True"}),
    Case("transaction", "a transaction sub-process that completes: the flow leaves it normally",
         ("transaction.bpmn",), "Process_1trx1ab", "zhenjie", data={"subject": "缴费"},
         steps=(Complete("Activity_1pay7i", "zhenjie", {"decision": "pass"}),),
         ends=("Event_1pdd3y", "Event_1tok9k"), result={"outcome": "paid"}),
    Case("transaction-cancel", "a cancel end event inside a transaction is caught by its cancel boundary event",
         ("transaction.bpmn",), "Process_1trx1ab", "zhenjie", data={"subject": "缴费"},
         steps=(Complete("Activity_1pay7i", "zhenjie", {"decision": "back"}),),
         ends=("Event_0cnd9u", "Event_0tcn0l"), result={"outcome": "cancelled"}),
    Case("timer-boundary", "an interrupting timer boundary event written bare (P1D, as Camunda writes it: a deploy "
         "warning) cancels the task when the sweep fires it",
         ("timer-boundary.bpmn",), "Process_0tmb1cd", "zhenjie", data={"subject": "答复"},
         steps=(Wait(hours(23), 0), Wait(hours(1) + minutes(1), 1)),
         ends=("Event_1ovd3o",), result={"outcome": "overdue"}, warnings=("Event_0due6h",)),
    Case("timer-boundary-in-time", "the task done in time: the boundary timer never fires",
         ("timer-boundary.bpmn",), "Process_0tmb1cd", "zhenjie", data={"subject": "答复"},
         steps=(Complete("Activity_1ans3e", "nongye", {"note": "已答复"}), Wait(hours(25), 0)),
         ends=("Event_0ont4p",), result={"note": "已答复"}, warnings=("Event_0due6h",)),
    Case("timer-cycle", "a non-interrupting cycle timer boundary event (R2/PT1H) notifies twice through a service "
         "task, and the task stays open",
         ("timer-cycle.bpmn",), "Process_1tmc1cd", "zhenjie", data={"subject": "垃圾清运"},
         steps=(Wait(hours(1) + minutes(1), 1), Wait(hours(1), 1), Wait(hours(1), 0), Open(("Activity_0hdl3e",)),
                Complete("Activity_0hdl3e", "zhenjie", {"note": "已清运"})),
         ends=("Event_0urd3o", "Event_0urd3o", "Event_1dne4p"), result={"note": "已清运"}),
    Case("timer-date", "an intermediate timer event at a date written bare (a deploy warning)",
         ("timer-date.bpmn",), "Process_0tmd1cd", "zhenjie", data={"subject": "公示"},
         steps=(Wait(hours(23), 0), Wait(hours(1) + minutes(1), 1)),
         ends=("Event_0pbd0l",), result={"published": True}, warnings=("Event_1at3e",)),
    Case("message-correlation", "send and receive tasks, a message start event and a message end event across two "
         "pools; two cases at once, each answer correlated to its own case by a correlation key",
         ("message-correlation.bpmn",), "Process_0req3de", "zhenjie", data={"subject": "A-1"},
         steps=(Start("Process_0req3de", "zhenjie", "second", {"subject": "A-2"}),
                Complete("Activity_0rev7i", "nongye", {"decision": "back"}, of=None, title="受理：A-2"),
                Status("completed", "second"), Status("running"),
                Complete("Activity_0rev7i", "nongye", {"decision": "pass"}, of=None, title="受理：A-1")),
         ends=("Event_0req0b",), result={"outcome": "A-1: pass"}, others={"second": "completed"}),
    Case("terminate-end", "a terminate end event in one branch ends the process and cancels the other branch's task",
         ("terminate-end.bpmn",), "Process_0trm1cd", "zhenjie", data={"subject": "新建养殖场"},
         steps=(Open(("Activity_0veto8j", "Activity_1agr8t")),
                Complete("Activity_0veto8j", "gongan", {"decision": "back"})),
         ends=("Event_1vtd6r",), result={"decision": "back"}),
    Case("signavio-lanes", "a Signavio export (sid- ids, a pool, a laneSet): lanes named by Chinese role names "
         "assign the tasks, an embedded sub-process's task included",
         ("signavio-lanes.bpmn",), "sid-7E2B6A6A-3C1D-4B8E-9A0F-6D5C4B3A2910", "zhenjie", data={"subject": "困难救助"},
         steps=(Complete("sid-SUBTASK-3A4B5C6D", "zhenjie", {"note": "属实"}),
                Complete("sid-TASK-6F7A8B9C", "zhenzhang", {"decision": "pass"})),
         ends=("sid-END-2B3C4D5E", "sid-SUBEND-1C2D3E4F"), result={"note": "属实", "decision": "pass"}),
    Case("business-rule", "a business rule task calls a Camunda Modeler DMN table (FIRST hit policy, a `-` rule)",
         ("business-rule.bpmn", "资金定级.dmn"), "Process_1brt1cd", "zhenjie", data={"subject": "修桥", "amount": 20000},
         steps=(Complete("Activity_1ldr1m", "zhenzhang", {"decision": "pass"}),),
         ends=("Event_0ldr4p",), result={"grade": "高"}),
    Case("business-rule-low", "the DMN table's catch-all rule",
         ("business-rule.bpmn", "资金定级.dmn"), "Process_1brt1cd", "zhenjie", data={"subject": "修灯", "amount": 50},
         ends=("Event_1self5q",), result={"grade": "低"}),
    Case("spiff-arena", "SpiffWorkflow's own conventions (spiff-arena's export): script unit tests, pre- and "
         "post-scripts and Markdown instructions rendered from the task's data",
         ("spiff-arena.bpmn",), "spiff_example_review", "zhenjie", data={"subject": "017"},
         steps=(Complete("review_materials", "zhenjie", {"decision": "pass"}, title="初审 TC-017",
                         shows="身份证明、现场照片"),),
         ends=("Event_0jjzl0f",), result={"case_no": "TC-017", "reviewed": True}),
    Case("conditional-event", "a conditional intermediate event waits until a data object another branch writes "
         "makes its condition true",
         ("conditional-event.bpmn",), "Process_0cnd1cd", "zhenjie", data={"subject": "低保"},
         steps=(Open(("Activity_1col3o",)), Complete("Activity_1col3o", "zhenjie", {"confirmed": True})),
         ends=("Event_0fin0f",), result={"started": True}),
    Case("adhoc-subprocess", "an ad hoc sub-process: its tasks are open in any order until its completion "
         "condition holds (without a data object of its own: deploy gives it one, which SpiffWorkflow needs)",
         ("adhoc-subprocess.bpmn",), "Process_1adh1cd", "zhenjie", data={"subject": "门店"},
         steps=(Open(("Activity_0hyg7i", "Activity_1fir6h")), Complete("Activity_1fir6h", "zhenjie", {"note": "合格"}),
                Complete("Activity_0hyg7i", "zhenjie", {"confirmed": True})),
         ends=("Event_1fin8j",), result={"note": "合格", "confirmed": True}),
    Case("adhoc-dataobject", "an ad hoc sub-process that holds a data object (the way around the engine's fault): "
         "its tasks are open at once, the completion condition ends it and cancels the task left",
         ("adhoc-dataobject.bpmn",), "Process_0adh2do", "zhenjie", data={"subject": "门店"},
         steps=(Open(("Activity_0hyg7i", "Activity_1fir6h")), Complete("Activity_0hyg7i", "zhenjie", {"confirmed": True})),
         ends=("Event_1fin8j",), result={"confirmed": True}),
    Case("timer-start", "a timer start event at a date: a person starts the instance, it waits for the date",
         ("timer-start.bpmn",), "Process_0tms1cd", "zhenjie",
         steps=(Status("running"), Wait(hours(22), 0), Wait(hours(1) + minutes(1), 1)),
         ends=("Event_0cnt7i",), result={"counted": True}),
    Case("flowable", "a Flowable export (.bpmn20.xml, BPMN as the default namespace, no incoming/outgoing "
         "elements, sid- ids): flowable:candidateGroups and flowable:formKey are read, other vendor attributes "
         "ignored with a warning",
         ("flowable-report.bpmn20.xml",), "gridReport", "zhenjie", data={"subject": "河道垃圾"},
         steps=(Complete("sid-3D9C2F0A-6E1B-4B2D-9E5F-7A8B9C0D1E2F", "zhenjie", {"note": "需部门处置"}),
                Complete("sid-1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D", "nongye", {"confirmed": True})),
         ends=("sid-9F8E7D6C-5B4A-4392-8180-7F6E5D4C3B2A",), result={"confirmed": True},
         warnings=("sid-3D9C2F0A-6E1B-4B2D-9E5F-7A8B9C0D1E2F", "startEvent1")),
    # Diagrams without the platform's own properties: what issue 9 point 2 made deployable and runnable.
    Case("camunda7-user-tasks", "a Camunda 7 export: candidateStarterGroups say who starts it, candidateGroups and "
         "formRef who works on a task with which form, an assignee and an embedded HTML form key give the generic "
         "form with the task's documentation; unread Camunda attributes are warnings",
         ("camunda7-user-tasks.bpmn",), "Process_1c7u1cd", "zhenjie",
         steps=(Complete("Activity_0ldr3f", "zhenzhang", {"decision": "pass", "comment": "请答复"}),
                Complete("Activity_1rpl6i", "zhenjie", {"acknowledged": True, "comment": "已电话答复"},
                         shows="当面或电话")),
         ends=("Event_0fin9l",), result={"decision": "pass", "comment": "已电话答复"},
         warnings=("Activity_1rpl6i", "Activity_1rpl6i", "Process_1c7u1cd", "StartEvent_1")),
    Case("manual-and-plain-tasks", "a manual task and a plain task without properties, in lanes that name a role and "
         "an organisation, and a user task in a lane that names neither (its initiator does it): each runs with "
         "the generic form and its documentation as instructions",
         ("manual-and-plain-tasks.bpmn",), "Process_0mpt3gh", "zhenjie",
         steps=(Complete("Activity_0pst6mn", "zhenjie", {"acknowledged": True}, shows="张贴禁烧公告"),
                Complete("Activity_1chk8qr", "nongye", {"acknowledged": True, "comment": "无焚烧痕迹"}),
                Complete("Activity_0fil0uv", "zhenjie", {"acknowledged": True})),
         ends=("Event_1fin1wx",), result={"acknowledged": True},
         warnings=("Activity_0fil0uv", "Activity_0fil0uv", "Activity_0pst6mn", "Activity_1chk8qr",
                   "Activity_1chk8qr")),
]

BROKEN_CASES = [
    Broken("complex-gateway.bpmn", "Gateway_0cpx1a", "复杂网关“综合研判”（Gateway_0cpx1a）：流程引擎不支持这种元素"),
    Broken("data-store.bpmn", "DataStore_1led4d", "本平台没有数据存储的实现"),
    Broken("mi-without-input.bpmn", "Activity_1each2b", "多实例没有指定数量（loopCardinality）或集合（loopDataInputRef）"),
    Broken("flow-without-condition.bpmn", "Flow_0no4d", "排他网关的这条出口既不是默认流，也没有条件"),
    Broken("juel-condition.bpmn", "Flow_1yes3c", "请改写为：subject != None and not rejected"),
    Broken("script-syntax-error.bpmn", "Activity_1reg2b", "的脚本无法编译：Line 1: SyntaxError"),
    Broken("script-import.bpmn", "Activity_0imp3c", "脚本中不允许使用 import"),
    Broken("service-unknown.bpmn", "Activity_1sms4d", "未知的服务操作：sms.send"),
    Broken("form-unknown.bpmn", "Activity_0fil5e", "表单“Form_不存在”不存在于本次部署或已部署的表单中"),
    Broken("role-unknown.bpmn", "StartEvent_1", "未知的角色：mayor"),
    Broken("org-expression-error.bpmn", "Activity_0org7g", "单位表达式（org）无法编译"),
    Broken("title-template-error.bpmn", "Activity_1ttl8h", "标题模板错误"),
    Broken("unknown-property.bpmn", "Activity_0prp9i", "未知的任务属性：assignee"),
    Broken("unknown-extension.bpmn", "Activity_1ext0j", "未知的 spiffworkflow 扩展元素：retryPolicy"),
    Broken("call-missing.bpmn", "Activity_1cal1k", "调用的流程 Process_核查 不在本次部署中"),
    Broken("call-not-executable.bpmn", "Activity_0cal2l", "调用的流程 Process_0doc3m 在图中标为不可执行"),
    Broken("no-start-event.bpmn", "Process_0nst0ab", "流程没有开始事件"),
    Broken("timer-bad-literal.bpmn", "Event_0wt6r", "PT1X 不是有效的 ISO 8601 时长（timeDuration），应写成带引号的字面值"),
    Broken("event-gateway-two-timers.bpmn", "Gateway_0two8t", "事件网关后有 2 个定时器"),
    Broken("duplicate-ids.bpmn", "Activity_0same3y", "ID“Activity_0same3y”在文件中重复"),
    Broken("bad-id.bpmn", "1st-task", "ID“1st-task”不是合法的 XML 名称"),
    Broken("doctype.bpmn", None, "不允许 DOCTYPE 或实体声明"),
    Broken("conditional-without-condition.bpmn", "Event_1cnd4z", "条件事件没有条件"),
    Broken("subprocess-two-starts.bpmn", "Activity_1sub6b", "子流程必须恰有一个开始事件（现有 2 个）"),
    Broken("decision-missing.bpmn", "Activity_0dmn7c", "调用的决策 Decision_不存在 不在本次部署中"),
    Broken("compensation.bpmn", "Event_1cmb4t", "这种边界事件流程引擎不支持"),
    Broken("not-form-js.form", None, "不是 form-js 表单"),
    Broken("message-missing.bpmn", "Event_0rcv0f", "事件引用的消息、信号、错误或升级不存在"),
    Broken("script-without-script.bpmn", "Activity_0reg1a", "脚本任务没有脚本，实例运行到这里会出错"),
    Broken("adhoc-sequential.bpmn", "Activity_1ahs8d", "自由子流程不支持顺序执行"),
    Broken("adhoc-no-condition.bpmn", "Activity_0adh3e", "自由子流程没有完成条件（completionCondition）"),
    Broken("link-events.bpmn", "Event_1lkt2h", "流程引擎不支持链接事件"),
    Broken("event-subprocess-interrupting.bpmn", "Event_1day1a", "流程引擎不支持中断型事件子流程"),
    Broken("event-subprocess-error.bpmn", "Event_1rets1", "流程引擎不支持由错误触发的事件子流程"),
    Broken("event-subprocess-message.bpmn", "Event_1wds8h", "请改用任务上的消息边界事件"),
]


# ---------------------------------------------------------------------------------------------------------------


def bundle(names):
    files = {path.name: path.read_text("utf-8") for path in sorted(RUNNABLE.iterdir()) if path.suffix == ".form"}
    files.update({name: (RUNNABLE / name).read_text("utf-8") for name in names})
    return files


class Run:
    """One case: its API clients by user, its instances by name, the clock."""

    def __init__(self, api_as, session, runtime, clock):
        self.api_as, self.session, self.runtime, self.clock = api_as, session, runtime, clock
        self.clients, self.instances = {}, {}

    def api(self, username):
        if username not in self.clients:
            self.clients[username] = self.api_as(username)
        return self.clients[username]

    def start(self, process, username, data, name):
        started = self.api(username).post("/api/instances", {"process_id": process, "data": data})
        assert started.status_code == 201, started.json
        self.instances[name] = started.json["id"]
        return started.json

    def open_tasks(self, username, instance):
        """The open tasks in the user's inbox (of one instance, unless None), every page."""
        found, page = [], 1
        while True:
            answer = self.api(username).get(f"/api/tasks?page={page}&page_size=50")
            assert answer.status_code == 200, answer.json
            found += [t for t in answer.json if instance is None or t["instance_id"] == self.instances[instance]]
            if len(answer.json) < 50:
                return found
            page += 1

    def detail(self, name="main"):
        answer = self.api("admin").get(f"/api/instances/{self.instances[name]}")
        assert answer.status_code == 200, answer.json
        return answer.json

    def step(self, step):
        if isinstance(step, Complete):
            mine = [t for t in self.open_tasks(step.by, step.of) if t["bpmn_id"] == step.task
                    and step.title in (None, t["title"])]
            assert mine, (step, step.of and self.detail(step.of)["tasks"], step.of and self.detail(step.of)["error"])
            if step.shows is not None:
                shown = self.api(step.by).get(f"/api/tasks/{mine[0]['id']}").json
                assert step.shows in (shown["instructions"] or ""), shown
            done = self.api(step.by).post(f"/api/tasks/{mine[0]['id']}/complete", {"data": step.data})
            assert done.status_code == 200, (step, done.json)
        elif isinstance(step, Start):
            self.start(step.process, step.by, step.data, step.name)
        elif isinstance(step, Wait):
            self.clock.tick(step.duration)
            fired = tick(lambda: Session(self.session.get_bind()), self.runtime).fired
            assert fired == step.fired, (step, fired)
        elif isinstance(step, Status):
            assert self.detail(step.of)["status"] == step.status, step
        elif isinstance(step, Open):
            tasks = sorted(t["bpmn_id"] for t in self.detail(step.of)["tasks"] if t["status"] == "open")
            assert tasks == sorted(step.tasks), (step, tasks)

    def reached_ends(self, name="main"):
        """The end events that completed: of the process, its sub-processes and the processes it called."""
        self.session.expire_all()
        instance = instances.get_instance(self.session, self.instances[name])
        workflow = begin_run(self.session, self.runtime, instance, None).run.workflow
        return sorted(t.task_spec.bpmn_id for flow in (workflow, *workflow.subprocesses.values())
                      for t in flow.get_tasks(state=TaskState.COMPLETED)
                      if t.workflow is flow and type(t.task_spec).__name__ == "EndEvent")


def deploy(api, files):
    return api.post("/api/processes/deploy", {"files": files})


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=c.marks) for c in RUNNABLE_CASES])
def test_runs_to_its_end(case, api_as, session, runtime):
    with freeze_time(START) as clock:
        run = Run(api_as, session, runtime, clock)
        deployed = deploy(run.api("admin"), bundle(case.files))
        assert deployed.status_code == 201, deployed.json
        assert sorted(w["element_id"] for w in deployed.json["warnings"]) == sorted(case.warnings), deployed.json
        if case.refused is not None:
            refused = run.api(case.starter).post("/api/instances", {"process_id": case.process, "data": case.data})
            assert refused.status_code == 409 and case.refused in refused.json["message"], refused.json
            return
        run.start(case.process, case.starter, case.data, "main")
        for step in case.steps:
            run.step(step)
        detail = run.detail()
        assert detail["status"] == case.status, (detail["status"], detail["error"])
        assert {k: detail["data"].get(k) for k in case.result} == case.result, detail["data"]
        if case.status == "completed":
            assert not [t for t in detail["tasks"] if t["status"] == "open"], detail["tasks"]
        assert run.reached_ends() == sorted(case.ends)
        for name, status in case.others.items():
            assert run.detail(name)["status"] == status, name


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file, marks=c.marks) for c in BROKEN_CASES])
def test_is_refused_on_its_element(case, api_as):
    files = bundle(())
    files.update({name: (BROKEN / name).read_text("utf-8") for name in (case.file, *case.also)})
    refused = deploy(api_as("admin"), files)
    assert refused.status_code == 400, refused.json
    problems = [p for p in refused.json["errors"]["problems"] if p["severity"] == "error"]
    assert any(p["file"] == case.file and p["element_id"] == case.element and case.message in p["message"]
               for p in problems), problems


def test_the_suite_is_as_large_as_promised():
    """At least 25 diagrams run to their end (not counting strict xfails) and 15 broken ones are refused; every
    file of the suite is in the manifest."""
    running = {f for c in RUNNABLE_CASES if not c.marks for f in c.files if f.endswith((".bpmn", ".bpmn20.xml"))}
    refused = {c.file for c in BROKEN_CASES if not c.marks}
    assert len(running) >= 25 and len(refused) >= 15, (len(running), len(refused))
    on_disk = {p.name for p in RUNNABLE.iterdir() if p.suffix != ".form"}
    assert on_disk == {f for c in RUNNABLE_CASES for f in c.files}, "every diagram of runnable/ is run"
    assert {p.name for p in BROKEN.iterdir()} == {f for c in BROKEN_CASES for f in (c.file, *c.also)}
