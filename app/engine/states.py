"""Where a workflow stands, element by element: what the console draws on the diagram and what it may act on.

Read from SpiffWorkflow's task tree (top workflow and every sub-workflow): each BPMN element with its state —
completed, active, waiting (a timer with its due time, a message with its correlation), in error, cancelled — and
the sub-workflows (embedded sub-processes and called processes) with the element that runs them.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.util.task import TaskState

from app.engine.timers import timer_due

# The state an element shows when it has several tasks (a loop, a multi-instance): the most urgent wins.
PRECEDENCE = ("error", "active", "waiting", "completed", "cancelled")
_SHOWN = {TaskState.COMPLETED: "completed", TaskState.CANCELLED: "cancelled", TaskState.ERROR: "error",
          TaskState.READY: "active", TaskState.STARTED: "active", TaskState.WAITING: "waiting"}
# Element kinds an admin may rewind to (a step of work, not a gateway or an event).
STEP_KINDS = frozenset({"UserTask", "ManualTask", "NoneTask", "ScriptTask", "ServiceTask", "BusinessRuleTask",
                        "SendTask", "ReceiveTask", "CallActivity", "SubWorkflowTask", "TransactionSubprocess"})


@dataclass
class TaskPoint:
    """One engine task of an element (a loop or multi-instance has several)."""

    task_id: str
    state: str
    changed_at: datetime
    timer_due: datetime | None = None
    message: str | None = None
    correlations: dict | None = None
    child: str | None = None  # the sub-workflow this task runs (a call activity or sub-process)


@dataclass
class ElementState:
    bpmn_id: str
    name: str
    kind: str
    process_id: str
    workflow: str  # "top" or the id of the sub-workflow the element belongs to
    state: str
    tasks: list = field(default_factory=list)


@dataclass(frozen=True)
class SubWorkflow:
    id: str
    process_id: str
    parent_workflow: str  # "top" or a sub-workflow id
    parent_task: str
    element_id: str
    called: bool  # a call activity's process (its own diagram) rather than an embedded sub-process
    completed: bool
    item: object = None  # the item a multi-instance ran this child for (a department, say), or None


@dataclass(frozen=True)
class Where:
    """Where a workflow stands (WorkflowRun.where)."""

    elements: list
    subs: list
    rewinds: list
    taken: list  # (source element id, target element id) of each step taken


def _workflow_key(workflow, top):
    return "top" if workflow is top else str(workflow.parent_task_id)


def _message(task):
    definition = getattr(task.task_spec, "event_definition", None)
    definitions = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    for inner in definitions:
        if inner is not None and type(inner).__name__ == "MessageEventDefinition":
            details = inner.details(task)
            return inner.name, details.correlations or {}
    return None, None


def _point(task, top):
    state = _SHOWN.get(task.state)
    if state is None:
        return None
    point = TaskPoint(str(task.id), state, datetime.fromtimestamp(task.last_state_change, UTC))
    if state == "waiting":
        point.timer_due = timer_due(task)
        point.message, point.correlations = _message(task)
    sub = top.subprocesses.get(task.id)
    if sub is not None:
        point.child = str(task.id)
    return point


def _element_name(task):
    """An element's name; a multi-instance's wrapper takes it from the task it repeats (the diagram's one box)."""
    spec = task.task_spec
    if spec.bpmn_name:
        return spec.bpmn_name
    inner = task.workflow.spec.task_specs.get(spec.task_spec) if isinstance(spec, LoopTask) else None
    return (inner.bpmn_name if inner is not None else None) or spec.bpmn_id


def element_states(top):
    """Every element that has run or is running, in every workflow of the instance, with its tasks."""
    elements = {}
    for task in top.get_tasks():
        spec = task.task_spec
        bpmn_id = getattr(spec, "bpmn_id", None)
        point = _point(task, top) if bpmn_id else None
        if point is None:
            continue
        key = (_workflow_key(task.workflow, top), bpmn_id)
        element = elements.get(key)
        if element is None:
            element = elements[key] = ElementState(bpmn_id, _element_name(task), type(spec).__name__,
                                                   task.workflow.spec.name, key[0], point.state)
        element.tasks.append(point)
        if PRECEDENCE.index(point.state) < PRECEDENCE.index(element.state):
            element.state = point.state
    return list(elements.values())


def sub_workflows(top):
    """The instance's sub-workflows, each with the element (and workflow) that runs it."""
    out = []
    for task_id, sub in top.subprocesses.items():
        parent = top.get_task_from_id(task_id)
        out.append(SubWorkflow(str(task_id), sub.spec.name, _workflow_key(parent.workflow, top), str(task_id),
                               parent.task_spec.bpmn_id, isinstance(parent.task_spec, CallActivity),
                               sub.is_completed(), _loop_item(parent)))
    return out


def _loop_item(task):
    """The value of a multi-instance's input item for one of its children (None outside a loop)."""
    loop = task.parent.task_spec if task.parent is not None else None
    item = getattr(loop, "input_item", None) if isinstance(loop, LoopTask) else None
    value = task.data.get(item.bpmn_id) if item is not None else None
    return value if isinstance(value, str | int | float) else None


def rewind_points(top):
    """Completed steps an admin may rewind to: (task id, element id, name, workflow, when), newest first."""
    points = []
    for task in top.get_tasks(state=TaskState.COMPLETED):
        spec = task.task_spec
        if getattr(spec, "bpmn_id", None) and type(spec).__name__ in STEP_KINDS and not spec.name.endswith("[child]"):
            points.append((str(task.id), spec.bpmn_id, _element_name(task),
                           _workflow_key(task.workflow, top), datetime.fromtimestamp(task.last_state_change, UTC)))
    return sorted(points, key=lambda p: p[4], reverse=True)


# Tasks that ran or are running; a predicted task (MAYBE, LIKELY, FUTURE) says nothing about the path taken.
REACHED = TaskState.COMPLETED | TaskState.READY | TaskState.STARTED | TaskState.WAITING | TaskState.ERROR


def taken_pairs(top):
    """(source element, target element) of each step the instance took: a task and the nearest ancestor task that
    names an element (SpiffWorkflow's own tasks between them, a boundary event's split, name none)."""
    pairs = set()
    for task in top.get_tasks(state=REACHED):
        target = getattr(task.task_spec, "bpmn_id", None)
        parent = task.parent
        while parent is not None and not getattr(parent.task_spec, "bpmn_id", None):
            parent = parent.parent
        if target and parent is not None and parent.has_state(REACHED) and parent.task_spec.bpmn_id != target:
            pairs.add((parent.task_spec.bpmn_id, target))
    return sorted(pairs)
