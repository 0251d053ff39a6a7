"""What an admin does to a loaded workflow by hand: fire a timer now, rewind to a completed step, skip a stuck task,
change the data. Each checks that the element allows it and raises NotActionable (a catalogue key) if not; the
caller runs the engine on afterwards."""

from datetime import UTC, datetime
from uuid import UUID

from SpiffWorkflow.util.task import TaskState

from app.engine.states import STEP_KINDS
from app.engine.timers import make_due_now, timer_due

UNFINISHED = TaskState.READY | TaskState.WAITING | TaskState.ERROR | TaskState.STARTED
LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


class NotActionable(Exception):
    """The element does not allow the action in its state; `key` names the reason in the catalogue."""

    def __init__(self, key, **params):
        super().__init__(key)
        self.key, self.params = key, params


def _task(workflow, task_id):
    try:
        return workflow.get_task_from_id(UUID(str(task_id)))
    except (ValueError, KeyError, TypeError):
        raise NotActionable("console.task_unknown") from None


def _name(task):
    spec = task.task_spec
    return spec.bpmn_name or spec.bpmn_id or spec.name


def fire_timer(workflow, task_id):
    """Make a waiting timer due now; the next advance fires it. Returns (element name, the due time it had)."""
    task = _task(workflow, task_id)
    due = timer_due(task) if task.state == TaskState.WAITING else None
    if due is None:
        raise NotActionable("console.not_a_waiting_timer")
    make_due_now(task, datetime.now(UTC))
    return _name(task), due


def rewind(workflow, task_id):
    """Reset the workflow to a completed step (SpiffWorkflow's reset_from_task_id): the step is ready again and
    everything after it is gone. Returns the element's name."""
    task = _task(workflow, task_id)
    spec = task.task_spec
    if task.state != TaskState.COMPLETED or type(spec).__name__ not in STEP_KINDS:
        raise NotActionable("console.not_a_completed_step")
    name = _name(task)
    workflow.reset_from_task_id(task.id)
    _forget_removed_waits(workflow)
    return name


def _forget_removed_waits(workflow):
    """SpiffWorkflow's reset leaves the catch events it removed (or sent back to the future) in the event manager,
    whose next timer refresh then trips over a task without a parent: they are dropped here."""
    manager = workflow.event_manager
    for task_id, task in list(manager.tasks.items()):
        if task.workflow.tasks.get(task_id) is not task or not task.has_state(LIVE):
            manager.remove_task(task)


def skip(workflow, task_id, data):
    """Complete a stuck task with the admin's data without running it: a ready human task, or a task in error
    (its script or service is not run). Returns the element's name."""
    task = _task(workflow, task_id)
    if task.state == TaskState.ERROR:
        task._set_state(TaskState.READY)  # SpiffWorkflow completes only a ready task
    elif not (task.state == TaskState.READY and task.task_spec.manual):
        raise NotActionable("console.not_skippable")
    task.data.update(data)
    task.complete()
    return _name(task)


def change_data(workflow, changed, removed):
    """Set `changed` and drop `removed` names in the data of every unfinished task (where the instance's data
    lives while it runs), in every sub-workflow; returns how many tasks took the change."""
    tasks = workflow.get_tasks(state=UNFINISHED)
    if not tasks:
        raise NotActionable("console.no_live_data")
    for task in tasks:
        task.data.update(changed)
        for name in removed:
            task.data.pop(name, None)
    return len(tasks)


def has_errors(workflow):
    return bool(workflow.get_tasks(state=TaskState.ERROR))
