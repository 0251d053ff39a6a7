"""Move a loaded workflow to another deployed version: why it cannot move, or the move itself.

SpiffWorkflow's own diff (`SpiffWorkflow.bpmn.util.diff`) aligns the old and the new task specs (by id, then by
structure); `WorkflowDiff` maps the instance's tasks onto that alignment and `migrate_workflow` swaps the specs and
re-predicts the ready and waiting branches. What the library leaves to its host is done here:

* the verdict: an active task (ready, waiting, started, in error) whose element the target lacks or has turned into
  another kind of element, a running child workflow whose process the target lacks or whose calling element
  changed, a waiting timer or message whose event is gone or changed, and the form check the host passes in;
* after the move, tasks whose element the target lacks (finished history, predictions) are taken out of the tree,
  since the serializer stores a task by its spec's name and could not load them again; finished children whose
  process the target lacks go the same way. Waiting timers keep their due time (a reset would restart them).
"""

import threading
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from app.engine.loops import connect_loops
from app.engine.serializer import SpecCache, make_serializer
from app.messages import LABELS, msg

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
FINISHED = TaskState.COMPLETED | TaskState.CANCELLED
# What a calling element may change while its child runs: where the flow goes next and how it is drawn or named.
NEUTRAL_FOR_CHILD = {"inputs", "outputs", "description", "documentation", "bpmn_name", "lane", "lookahead"}


@dataclass(frozen=True)
class Obstacle:
    """One reason an instance cannot move: a catalogue key and its parameters (`within`: the child's process)."""

    key: str
    params: dict = field(default_factory=dict)

    @property
    def text(self):
        params = dict(self.params)
        within = params.pop("within", None)
        text = msg(self.key, **params)
        return msg("migration.reason.within", process=within, reason=text) if within else text


@dataclass(frozen=True)
class FormStep:
    """A human task of the instance as the target version defines it, for the host's form check."""

    process_id: str
    bpmn_id: str
    name: str
    properties: dict
    data: dict
    done: bool  # completed (the target's later steps count on its data) or ready (a person fills it in now)


class MigrationRefused(Exception):
    def __init__(self, obstacles):
        super().__init__("; ".join(o.text for o in obstacles))
        self.obstacles = obstacles


@dataclass
class _Part:
    """The top workflow or one child workflow, with the target spec it moves to and the diff against it."""

    workflow: object
    name: str
    target: object = None  # None: the target has no process of this name
    spec_diff: object = None
    diff: object = None


class _Registries(threading.local):
    def __init__(self):
        self.registry = make_serializer(SpecCache()).registry


_registries = _Registries()


def check_migration(run, target_key, form_check=None):
    """Every obstacle to moving `run` to the version registered as `target_key` (empty: it can move)."""
    parts = _diff_parts(run, target_key)
    obstacles = []
    for part in parts.values():
        obstacles.extend(_part_obstacles(part, parts))
    if form_check is not None:
        obstacles.extend(_form_obstacles(parts, form_check))
    return _unique(obstacles)


def migrate_run(run, target_key, form_check=None):
    """Move the workflow and its children to the target version; MigrationRefused when something stands in the way."""
    obstacles = check_migration(run, target_key, form_check)
    if obstacles:
        raise MigrationRefused(obstacles)
    workflow = run.workflow
    spec, subprocess_specs = run.engine.specs.get(target_key)
    parts = _diff_parts(run, target_key)
    timers = _waiting_internals(workflow)
    workflow.subprocess_specs = subprocess_specs
    for part in parts.values():
        if part.target is None:
            _drop_child(workflow, part.workflow)
    for part in parts.values():
        if part.target is not None and part.workflow is not None and _alive(workflow, part.workflow):
            migrate_workflow(part.diff, part.workflow, part.target)
            _prune_unaligned(part.workflow)
    _restore_internals(workflow, timers)
    connect_loops(spec, *subprocess_specs.values())
    workflow.spec_key = target_key


def active_steps(run):
    """Names of the elements the instance stands on: ready human tasks, waits and failed tasks, children included."""
    names = []
    for wf in (run.workflow, *run.workflow.subprocesses.values()):
        for task in wf.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.ERROR, skip_subprocesses=True):
            spec = task.task_spec
            event = getattr(spec, "event_definition", None)
            if task.state == TaskState.WAITING and event is not None:
                names.append(msg("migration.step.waiting", name=_name(spec), kind=_event_kind(event)))
            elif getattr(spec, "bpmn_id", None) and (spec.manual or task.state != TaskState.READY):
                names.append(_name(spec))
    return list(dict.fromkeys(names))


# The diff ------------------------------------------------------------------------------------------------------------

def _diff_parts(run, target_key):
    """{workflow id: _Part} for the top workflow (key None) and each child workflow (its calling task's id)."""
    workflow = run.workflow
    spec, subprocess_specs = run.engine.specs.get(target_key)
    registry = _registries.registry
    parts = {None: _part(registry, workflow, workflow.spec.name, spec)}
    for sp_id, sp in workflow.subprocesses.items():
        parts[sp_id] = _part(registry, sp, sp.spec.name, subprocess_specs.get(sp.spec.name))
    return parts


def _part(registry, workflow, name, target):
    if target is None:
        return _Part(workflow, name)
    spec_diff = SpecDiff(registry, workflow.spec, target)
    return _Part(workflow, name, target, spec_diff, WorkflowDiff(workflow, spec_diff))


def _part_obstacles(part, parts):
    within = None if part.workflow is parts[None].workflow else _process_label(part)
    if part.target is None:
        if part.workflow.is_completed():
            return []
        return [Obstacle("migration.reason.subprocess_removed", {"process": _process_label(part)})]
    found = []
    removed = set(part.diff.removed)
    changed = part.spec_diff.changed
    for task in part.workflow.get_tasks(state=ACTIVE, skip_subprocesses=True):
        spec = task.task_spec
        if not getattr(spec, "bpmn_id", None):
            continue  # the library's own bookkeeping tasks (start, end join) have no element
        found.extend(_task_obstacles(task, task in removed, changed.get(spec, []), part, parts, within))
    return found


def _task_obstacles(task, removed, changes, part, parts, within):
    spec, params = task.task_spec, {"task": _name(task.task_spec)}
    if within:
        params["within"] = within
    event = getattr(spec, "event_definition", None)
    if removed:
        if task.state == TaskState.WAITING and event is not None:
            return [Obstacle("migration.reason.wait_missing", {**params, "kind": _event_kind(event)})]
        return [Obstacle("migration.reason.missing", params)]
    if changes == ["typename"]:
        new = part.spec_diff.alignment[spec]
        return [Obstacle("migration.reason.typename", {
            **params, "old": _kind(spec), "new": _kind(new)})]
    if task.state == TaskState.WAITING and event is not None and "event_definition" in changes:
        return [Obstacle("migration.reason.wait_changed", {**params, "kind": _event_kind(event)})]
    child = parts.get(task.id)
    if child is not None and set(changes) - NEUTRAL_FOR_CHILD and not child.workflow.is_completed():
        return [Obstacle("migration.reason.subprocess_changed", params)]
    return []


def _form_obstacles(parts, form_check):
    found = []
    for part in parts.values():
        if part.target is None:
            continue
        for task in part.workflow.get_tasks(state=TaskState.READY | TaskState.COMPLETED, skip_subprocesses=True):
            new = part.spec_diff.alignment.get(task.task_spec) if part.spec_diff else None
            if new is None or not new.manual or not getattr(new, "bpmn_id", None):
                continue
            extensions = getattr(new, "extensions", {}) or {}
            step = FormStep(part.target.name, new.bpmn_id, _name(new), dict(extensions.get("properties", {})),
                            dict(task.data), task.state == TaskState.COMPLETED)
            missing = form_check(step)
            if missing:
                found.append(Obstacle("migration.reason.form_missing", {"task": step.name, "fields": "、".join(missing)}))
    return found


# The move ------------------------------------------------------------------------------------------------------------

def _alive(workflow, child):
    return child is workflow or child in workflow.subprocesses.values()


def _drop_child(workflow, child):
    """Forget a finished child whose process the target no longer has (and the children it called)."""
    for sp_id, sp in list(workflow.subprocesses.items()):
        if sp is child:
            for inner_id, inner in list(workflow.subprocesses.items()):
                if inner_id != sp_id and inner.parent_task_id in child.tasks:
                    _drop_child(workflow, inner)
            workflow.subprocesses.pop(sp_id, None)


def _prune_unaligned(workflow):
    """Take out tasks whose spec the new version lacks: predictions are dropped, finished history spliced out."""
    specs = workflow.spec.task_specs
    for task in list(workflow.tasks.values()):
        if task.id not in workflow.tasks or specs.get(task.task_spec.name) is task.task_spec:
            continue
        if task.has_state(FINISHED) and task.parent is not None:
            _splice(workflow, task)
        elif task.parent is not None:
            _drop_calls(workflow, task)
            workflow._remove_task(task.id)
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None


def _splice(workflow, task):
    """Hang a finished task's children on its parent and take it out (each child keeps its own full data)."""
    parent = task.parent
    at = parent._children.index(task.id)
    parent._children[at:at + 1] = list(task._children)
    for child in task.children:
        child._parent = parent.id
    _drop_calls(workflow, task, itself_only=True)
    workflow.tasks.pop(task.id)


def _drop_calls(workflow, task, itself_only=False):
    top = workflow.top_workflow if hasattr(workflow, "top_workflow") else workflow
    ids = [task.id] if itself_only else [t.id for t in task]
    for task_id in ids:
        child = top.subprocesses.get(task_id)
        if child is not None:
            _drop_child(top, child)


def _waiting_internals(workflow):
    """The internal data (a timer's due time) of every waiting event, to put back after the branch resets."""
    kept = {}
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.get_tasks(state=TaskState.WAITING, skip_subprocesses=True):
            if getattr(task.task_spec, "event_definition", None) is not None:
                kept[task.id] = (type(task.task_spec.event_definition), dict(task.internal_data))
    return kept


def _restore_internals(workflow, kept):
    for wf in (workflow, *workflow.subprocesses.values()):
        for task_id, (kind, internal) in kept.items():
            task = wf.tasks.get(task_id)
            if task is not None and type(getattr(task.task_spec, "event_definition", None)) is kind:
                task.internal_data = internal


# Names ---------------------------------------------------------------------------------------------------------------

def _name(spec):
    return getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name


def _process_label(part):
    return getattr(part.workflow.spec, "description", None) or part.name


def _kind(spec):
    return LABELS["migration_element"].get(type(spec).__name__) or msg("migration.element.other")


def _event_kind(event):
    kind = type(event).__name__
    if "Timer" in kind or "Duration" in kind or "TimeDate" in kind or "Cycle" in kind:
        return msg("migration.event.timer")
    if "Message" in kind:
        return msg("migration.event.message")
    return msg("migration.event.other")


def _unique(obstacles):
    seen, out = set(), []
    for obstacle in obstacles:
        if obstacle.text not in seen:
            seen.add(obstacle.text)
            out.append(obstacle)
    return out
