"""The engine facade: start, load, step and save workflows; SpiffWorkflow types never leave this module."""

import json
import time
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.task import Task as SpiffTask
from SpiffWorkflow.util.task import TaskState

from app.engine import interventions, states
from app.engine.loops import connect_loops
from app.engine.scripting import Sandbox, ScriptError, ensure_json
from app.engine.serializer import SERIALIZER_VERSION, SpecCache, ThreadSerializers, dump_state, load_state
from app.engine.timers import next_due, pending_events
from app.messages import msg

MAX_ADVANCE_ROUNDS = 50
# SpiffWorkflow walks a task tree only this deep (TaskIterator's max_depth): a loop that grows one path past it
# leaves its next tasks unseen and the workflow reads as completed. A run is stopped in error before that.
TREE_DEPTH_LIMIT = 1000 - 10


@dataclass(frozen=True)
class ReadyTask:
    id: str
    bpmn_id: str
    name: str
    process_id: str
    lane: str | None
    properties: dict
    instructions: str | None
    multi_instance_index: int | None
    data: dict


@dataclass(frozen=True)
class FailedTask:
    task_id: str | None
    bpmn_id: str | None
    name: str | None
    line: int | None
    message: str


@dataclass(frozen=True)
class Message:
    name: str
    payload: object
    correlations: dict


@dataclass(frozen=True)
class RunLimits:
    """How far one advance may go: task transitions and seconds (Config's ENGINE_STEP_BUDGET, ENGINE_TIME_LIMIT)."""

    steps: int
    seconds: float

    @classmethod
    def from_config(cls, config):
        return cls(config.ENGINE_STEP_BUDGET, config.ENGINE_TIME_LIMIT)


class RunawayRun(Exception):
    """An advance spent its budget: the diagram loops (or works) beyond what one request may do."""

    def __init__(self, task, message):
        super().__init__(message)
        self.task, self.message = task, message


class StepBudget:
    """Counts the engine's task transitions of one advance and stops it at the step or time limit."""

    def __init__(self, limits):
        self.limits, self.spent = limits, 0
        self.deadline = time.monotonic() + limits.seconds

    def spend(self, task):
        self.spent += 1
        if self.spent > self.limits.steps:
            raise RunawayRun(task, msg("engine.step_budget", task=_task_name(task), steps=self.limits.steps))
        if time.monotonic() > self.deadline:
            raise RunawayRun(task, msg("engine.time_limit", task=_task_name(task), seconds=self.limits.seconds))


def _task_name(task):
    spec = task.task_spec
    return getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name


class EngineFailure(Exception):
    """A step failed inside the workflow; the run holds the failed state, ready to be saved in error."""

    def __init__(self, failure):
        super().__init__(failure.message)
        self.failure = failure


class TaskNotReady(Exception):
    """The task is not a ready human task of this workflow."""


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Routes every expression, script and service call of SpiffWorkflow into the sandbox."""

    def __init__(self, sandbox, call_service):
        super().__init__({})
        self.sandbox = sandbox
        self.service = call_service

    def evaluate(self, expression, context, external_context=None):
        return self.sandbox.evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        self.sandbox.execute(script, context, external_context)
        return True

    def call_service(self, context, operation_name=None, operation_params=None):
        params = {name: spec["value"] for name, spec in (operation_params or {}).items()}
        result = self.service(operation_name, params)
        ensure_json(result, operation_name)
        return json.dumps(result)


class SandboxScriptEngine(PythonScriptEngine):
    def create_task_exec_exception(self, task, script, err):
        if isinstance(err, ScriptError):
            line = err.line or 0
            lines = script.splitlines() if script else []
            error_line = lines[line - 1] if 0 < line <= len(lines) else ""
            return WorkflowTaskException(err.message, task=task, exception=err, line_number=line, error_line=error_line)
        return super().create_task_exec_exception(task, script, err)

    def call_service(self, task, **kwargs):
        try:
            return self.environment.call_service(task.data, **kwargs)
        except Exception as err:  # every failure becomes a task error with a message
            raise self.create_task_exec_exception(task, "", err) from err


class Engine:
    """Holds the spec cache and builds runs; the host supplies sandbox helpers and the service caller."""

    serializer_version = SERIALIZER_VERSION

    def __init__(self, run_limits: RunLimits):
        self.specs = SpecCache()
        self.run_limits = run_limits
        self._serializers = ThreadSerializers(self.specs)

    def register(self, key, spec, subprocess_specs):
        connect_loops(spec, *subprocess_specs.values())  # a loop started before a restart still finishes
        self.specs.put(key, spec, subprocess_specs)

    def knows(self, key):
        return key in self.specs

    def start(self, key, data, sandbox, call_service):
        spec, subprocess_specs = self.specs.get(key)
        workflow = BpmnWorkflow(spec, subprocess_specs)
        workflow.spec_key = key
        run = WorkflowRun(self, workflow, sandbox, call_service)
        start_task = workflow.get_tasks(state=TaskState.READY)[0]
        start_task.data.update(data)
        return run

    def load(self, blob, sandbox, call_service):
        workflow = load_state(self._serializers.serializer, blob)
        return WorkflowRun(self, workflow, sandbox, call_service)

    def dump(self, workflow):
        return dump_state(self._serializers.serializer, workflow)


class WorkflowRun:
    """One loaded workflow and the operations a host performs on it."""

    def __init__(self, engine, workflow, sandbox: Sandbox, call_service):
        self.engine = engine
        self.workflow = workflow
        workflow.script_engine = SandboxScriptEngine(environment=SandboxEnvironment(sandbox, call_service))

    def dump(self):
        return self.engine.dump(self.workflow)

    @property
    def spec_key(self):
        return self.workflow.spec_key

    def is_completed(self):
        return self.workflow.is_completed()

    def ready_tasks(self):
        return [_ready_view(t) for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)]

    def find_ready(self, task_id):
        task = self._get(task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        return _ready_view(task)

    def complete_task(self, task_id, data):
        """Merge form data into a ready human task and run it (guarding what SpiffWorkflow does not)."""
        task = self._get(task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        output_item = _mi_output_name(task)
        task.data.update(data)
        if output_item and output_item not in data:
            task.data[output_item] = dict(data)
        self._guard(task.run)

    def evaluate(self, task_id, expression):
        """Evaluate a host expression (org, due) over a ready task's data."""
        task = self._get(task_id)
        return self.workflow.script_engine.environment.evaluate(expression, dict(task.data))

    def advance(self):
        """Run engine steps and due timers until only human tasks or waits remain, within the run limits."""
        budget = StepBudget(self.engine.run_limits)
        for _ in range(MAX_ADVANCE_ROUNDS):
            self._guard(self.workflow.refresh_timers)
            self._guard(lambda: self.workflow.do_engine_steps(will_complete_task=budget.spend))
            self._guard(self._refuse_deep_tree)
            if not self.workflow.get_tasks(state=TaskState.READY, manual=False):
                return

    def _refuse_deep_tree(self):
        for workflow in (self.workflow, *self.workflow.subprocesses.values()):
            task, depth = workflow.last_task, 0
            while task is not None and depth < TREE_DEPTH_LIMIT:
                task, depth = task.parent, depth + 1
            if depth >= TREE_DEPTH_LIMIT:
                last = workflow.last_task
                raise RunawayRun(last, msg("engine.too_deep", task=_task_name(last), depth=TREE_DEPTH_LIMIT))

    def retry(self):
        """Put every errored task back to ready and step again."""
        for task in self.workflow.get_tasks(state=TaskState.ERROR):
            task._set_state(TaskState.READY)
        self.advance()

    def cancel(self):
        self.workflow.cancel()

    # An admin's hand (app/engine/interventions.py); each raises NotActionable when the element does not allow it.
    def fire_timer(self, task_id):
        return interventions.fire_timer(self.workflow, task_id)

    def rewind(self, task_id):
        return self._guard(lambda: interventions.rewind(self.workflow, task_id))

    def skip(self, task_id, data):
        return self._guard(lambda: interventions.skip(self.workflow, task_id, data))

    def change_data(self, changed, removed):
        return interventions.change_data(self.workflow, changed, removed)

    def has_errors(self):
        return interventions.has_errors(self.workflow)

    def where(self):
        """Where the workflow stands: element states, sub-workflows, completed steps to rewind to, path taken."""
        top = self.workflow
        return states.Where(states.element_states(top), states.sub_workflows(top), states.rewind_points(top),
                            states.taken_pairs(top))

    def next_timer_due(self):
        """The earliest due time of every waiting timer (app/engine/timers.py says which count)."""
        return next_due(self.workflow)

    def take_messages(self):
        """Drain the messages this workflow threw that it could not catch itself."""
        out = []
        for event in self.workflow.get_events():
            definition = event.event_definition
            if isinstance(definition, MessageEventDefinition):
                out.append(Message(definition.name, event.payload, _plain(event.correlations)))
        return out

    def waiting_messages(self):
        return [Message(e.name, None, _plain(e.correlations))
                for e in pending_events(self.workflow) if e.event_type == "MessageEventDefinition"]

    def deliver(self, message):
        """Deliver a message to a catch event of this workflow; False if nothing here waits for it."""
        definition = MessageEventDefinition(message.name)
        event = BpmnEvent(definition, message.payload, message.correlations)
        try:
            self.workflow.send_event(event)
        except WorkflowException:
            return False
        return True

    def current_data(self):
        """The data a reader of the instance expects: the workflow's when done, else the latest task's."""
        if self.workflow.is_completed():
            return dict(self.workflow.data)
        ready = self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.ERROR)
        if ready:
            return dict(ready[0].data)
        last = self.workflow.last_task
        return dict(last.data) if last is not None else dict(self.workflow.data)

    def _get(self, task_id):
        try:
            return self.workflow.get_task_from_id(UUID(str(task_id)))
        except (ValueError, KeyError, TypeError):
            return None

    def _guard(self, step):
        try:
            return step()
        except SpiffWorkflowException as err:
            raise EngineFailure(_failure(getattr(err, "task", None), err)) from err
        except ScriptError as err:
            raise EngineFailure(FailedTask(None, None, None, err.line, err.message)) from err
        except RunawayRun as err:
            task = err.task
            raise EngineFailure(FailedTask(str(task.id), task.task_spec.bpmn_id, _task_name(task), None, err.message)
                                ) from err
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError) as err:
            # What a diagram's data can make the engine trip over (a multi-instance over null, say): the instance
            # waits in error with the reason, like any designer failure, and the request never becomes a 500.
            raise EngineFailure(FailedTask(None, None, None, None, msg("engine.data_error", detail=str(err)[:300]))
                                ) from err


def _ready_view(task: SpiffTask):
    spec = task.task_spec
    extensions = getattr(spec, "extensions", {}) or {}
    info = spec.task_info(task) if hasattr(spec, "task_info") else {}
    index = info.get("instance") if isinstance(info, dict) else None
    return ReadyTask(
        id=str(task.id), bpmn_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id,
        process_id=task.workflow.spec.name, lane=spec.lane, properties=dict(extensions.get("properties", {})),
        instructions=extensions.get("instructionsForEndUser"), multi_instance_index=index, data=dict(task.data),
    )


def _mi_output_name(task):
    parent = task.parent
    spec = getattr(parent, "task_spec", None)
    output_item = getattr(spec, "output_item", None)
    if output_item is not None and task.task_spec.name.endswith("[child]"):
        return output_item.bpmn_id
    return None


def _failure(task, err):
    detail = _error_text(err) if err is not None else ""
    inner = _script_error(err)
    line = getattr(err, "line_number", None) or (inner.line if inner else None)
    if task is None:
        return FailedTask(None, None, None, line, detail)
    spec = task.task_spec
    return FailedTask(str(task.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id, line, detail)


def _error_text(err):
    """The sandbox's message when a ScriptError lies under SpiffWorkflow's wrapper, else the wrapper's text."""
    inner = _script_error(err)
    if inner is not None:
        return inner.message
    notes = " ".join(getattr(err, "__notes__", []) or [])
    return f"{err} {notes}".strip()


def find_cause(err, kind, depth=12):
    """The first exception of `kind` along the cause chain of `err` (SpiffWorkflow wraps what it calls), or None."""
    for _ in range(depth):
        if err is None or isinstance(err, kind):
            return err
        err = err.__cause__ or err.__context__
    return None


def _script_error(err):
    return find_cause(err, ScriptError)


def _plain(correlations):
    return json.loads(json.dumps(correlations or {}, default=str))


def parse_iso(value):
    return datetime.fromisoformat(value)
