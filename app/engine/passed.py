"""Which elements a run has passed, in order (scenario tests check the path an instance took)."""

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.util.task import TaskState


def passed_elements(run):
    """(task id, element id) of every completed task of a run, in the order the task tree says they ran: a task
    before those after it, a called process's tasks before the call activity that waited for them. Without
    SpiffWorkflow's own tasks (Start, End, joins) and a multi-instance activity's wrapper (its instances count).

    Iterative: a loop's tree may be deeper than Python recurses.
    """
    workflow, found = run.workflow, []
    stack = [workflow.task_tree]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # a task whose called process and children are already on the stack above it
            task, spec = item[0], item[0].task_spec
            if getattr(spec, "bpmn_id", None) and not isinstance(spec, MultiInstanceTask) \
                    and task.has_state(TaskState.COMPLETED):
                found.append((str(task.id), spec.bpmn_id))
            continue
        stack.extend(reversed(sorted(item.children, key=lambda child: not _instance_of(item, child))))
        stack.append((item,))
        called = workflow.subprocesses.get(item.id)
        if called is not None:
            stack.append(called.task_tree)
    return found


def _instance_of(task, child):
    """Whether `child` is one of the instances of the multi-instance `task` (they run before what follows it)."""
    return isinstance(task.task_spec, MultiInstanceTask) and child.task_spec.bpmn_id == task.task_spec.bpmn_id
