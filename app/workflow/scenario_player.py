"""Play one scenario test through the platform's operations: start, complete, wait; then compare the end.

The worker (app/cli/scenario_worker.py) plays each scenario of a bundle with a `ScenarioPlayer` in the isolated
database that app/workflow/scenario_tests.py prepared, on freezegun's clock; it commits each step, as an edge does.
A designer's mistake (data a form refuses, a task that is not open, an engine error) becomes a failure in Chinese.
"""

import secrets
from datetime import timedelta

from sqlalchemy import func, select

from app.db import utcnow
from app.definitions.scenario_files import compare_end
from app.domain import access
from app.domain.actors import Actor
from app.domain.organisations import Organisation
from app.domain.people import User, UserRole, create_user
from app.engine.durations import add_duration, parse_duration
from app.engine.passed import passed_elements
from app.errors import DomainError, InvalidState
from app.messages import label, msg
from app.workflow.execution import begin_run
from app.workflow.instances import get_instance, instance_data, start_instance
from app.workflow.models import HumanTask, MessageRecord, ProcessInstance
from app.workflow.tasks import complete_task

MAX_TIMER_ROUNDS = 500  # timers one `wait` fires, one due time after another, before it is called a runaway
ONE_SECOND = timedelta(seconds=1)


class ScenarioPlayer:
    """Plays one scenario through the platform's operations, as people of the roles it names.

    The edge (the worker) gives the frozen clock, `step_done` (its commit, one per step) and its timer sweep, as the
    demo's Player takes them: the player itself never commits.
    """

    def __init__(self, session, runtime, clock, step_done, sweep):
        self.session, self.runtime, self.clock, self.step_done, self.sweep = session, runtime, clock, step_done, sweep
        self.failures, self.passed, self.observed = [], {}, 0

    def play(self, scenario):
        """The scenario's result: passed, the instance's status and path, and every failure in Chinese."""
        instance_id = self._start(scenario)
        if instance_id is not None and not self._stopped(instance_id, scenario, msg("scenario.after_start")):
            for step in scenario.steps:
                done = self._complete(instance_id, step) if step.complete else self._wait(step)
                self._observe(instance_id)
                if not done or self._stopped(instance_id, scenario, msg("scenario.after_step", number=step.number)):
                    break
        status, path = None, []
        if instance_id is not None:
            instance = get_instance(self.session, instance_id)
            status, path = instance.status, [entry[-1] for entry in sorted(self.passed.values())]
            if not self.failures:
                self.failures = compare_end(scenario.expect, status, path, instance_data(
                    self.session, self.runtime, instance), self._open_elements(instance_id))
        return {"process": scenario.process, "file": scenario.file, "scenario": scenario.id, "name": scenario.name,
                "passed": not self.failures, "status": status, "path": path, "failures": self.failures}

    def _start(self, scenario):
        acting = scenario.start
        try:
            user = self._starter(acting)
            instance = start_instance(self.session, self.runtime, user, scenario.process, dict(acting.data))
            self.step_done()
        except DomainError as err:
            self.session.rollback()
            self.failures.append(msg("scenario.start_failed", detail=_detail(err)))
            return None
        self._observe(instance.id)
        return instance.id

    def _starter(self, acting):
        if acting.user:
            return self._named(acting.user)
        user = next(iter(self._users(acting.role, acting.org)), None)
        if user is None and acting.org is None:
            raise InvalidState(msg("scenario.no_starter", role=acting.role))
        return user or self._synthetic(acting.role, acting.org)

    def _complete(self, instance_id, step):
        acting = step.acting
        rows = [t for t in self._open_tasks(instance_id) if t.bpmn_id == step.complete]
        if not rows:
            opened = sorted({msg("scenario.task_named", name=t.name, element=t.bpmn_id)
                             for t in self._open_tasks(instance_id)})
            self.failures.append(msg("scenario.no_open_task", number=step.number, element=step.complete,
                                     open="、".join(opened) or msg("scenario.none")))
            return False
        try:
            task, user = self._worker_for(rows, acting)
            if task is None:
                self.failures.append(msg("scenario.no_candidate", number=step.number, element=step.complete,
                                         who=_who(acting), candidates=_candidates(rows)))
                self.session.rollback()
                return False
            complete_task(self.session, self.runtime, user, task.id, dict(acting.data))
            self.step_done()
        except DomainError as err:
            self.session.rollback()
            self.failures.append(msg("scenario.step_failed", number=step.number, element=step.complete,
                                     detail=_detail(err)))
            return False
        return True

    def _worker_for(self, rows, acting):
        """(task, user): the first open task of the element whom a user of the role (and organisation) may work on;
        an existing user first, else one made for the scenario in a candidate organisation."""
        people = [self._named(acting.user)] if acting.user else self._users(acting.role, acting.org)
        for task in rows:
            for user in people:
                if access.work_refusal(user, task) is None:
                    return task, user
        if acting.user:
            return None, None
        for task in rows:
            for org in self._candidate_orgs(task, acting):
                user = self._synthetic(acting.role, org)
                if access.work_refusal(user, task) is None:
                    return task, user
        return None, None

    def _candidate_orgs(self, task, acting):
        if acting.org:
            return [acting.org]
        fitting = [c for c in task.candidates if c.role in (acting.role, access.ANY) and c.username is None]
        orgs = list(dict.fromkeys(c.org_code for c in fitting if c.org_code != access.ANY))
        if any(c.org_code == access.ANY for c in fitting):
            orgs.append(self.session.scalar(select(Organisation.code).order_by(Organisation.id).limit(1)))
        return [org for org in orgs if org]

    def _users(self, role, org):
        query = select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True)).order_by(User.id)
        if org:
            query = query.join(User.org).where(Organisation.code == org)
        return list(self.session.scalars(query))

    def _named(self, username):
        user = self.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise InvalidState(msg("scenario.user_unknown", user=username))
        return user

    def _synthetic(self, role, org):
        """A user of the role in the organisation, made in the isolated database when none exists."""
        username = f"scenario-{role}-{org}"[:64]
        user = self.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(self.session, Actor.system(), username, msg(
                "scenario.user_name", role=label("role", role), org=org), secrets.token_hex(16), org, [role],
                self.runtime.settings.password_hash_method)
        return user

    def _wait(self, step):
        """Move the clock by the step's duration, sweeping timers at each due time on the way (as the worker would)."""
        end = add_duration(utcnow(), parse_duration(step.wait))
        for _ in range(MAX_TIMER_ROUNDS):
            self.session.expire_all()
            due = self.session.scalar(select(func.min(ProcessInstance.next_timer_due)).where(
                ProcessInstance.status == "running"))
            if due is None or due >= end:
                self.clock.move_to(end)
                self.sweep()
                self.session.expire_all()
                return True
            self.clock.move_to(max(due, utcnow()) + ONE_SECOND)  # SpiffWorkflow fires a timer once past its time
            self.sweep()
        self.failures.append(msg("scenario.wait_runaway", number=step.number, limit=MAX_TIMER_ROUNDS))
        return False

    def _stopped(self, instance_id, scenario, when):
        """Whether the instance fell into error: a failure, unless the scenario expects exactly that."""
        instance = get_instance(self.session, instance_id)
        if instance.status != "error":
            return False
        if scenario.expect.status != "error":
            error = instance.error or {}
            self.failures.append(msg("scenario.instance_error", when=when, task=error.get("task") or msg(
                "scenario.none"), detail=error.get("message") or ""))
        return True

    def _observe(self, instance_id):
        """Note the elements the instance (and its call activities' children) completed since the last look."""
        self.session.expire_all()
        instance = get_instance(self.session, instance_id)
        if instance.state:
            run = begin_run(self.session, self.runtime, instance, None).run
            for order, (task_id, element) in enumerate(passed_elements(run)):
                self.passed.setdefault(task_id, (self.observed, order, element))
        self.observed += 1

    def _open_tasks(self, instance_id):
        self.session.expire_all()
        return list(self.session.scalars(select(HumanTask).where(
            HumanTask.instance_id.in_(instance_family(self.session, instance_id)), HumanTask.status == "open")
            .order_by(HumanTask.id)))

    def _open_elements(self, instance_id):
        return [t.bpmn_id for t in self._open_tasks(instance_id)]


def instance_family(session, instance_id):
    """The instance and every instance its messages started, transitively (a supervision case, say)."""
    ids, todo = {instance_id}, [instance_id]
    while todo:
        found = set(session.scalars(select(MessageRecord.target_instance_id).where(
            MessageRecord.source_instance_id.in_(todo), MessageRecord.target_instance_id.is_not(None)))) - ids
        ids |= found
        todo = list(found)
    return ids


def _detail(err):
    fields = "；".join(f"{key}：{'、'.join(map(str, texts))}" for key, texts in (err.errors or {}).items()
                      if isinstance(texts, list))
    return msg("scenario.field_errors", message=err.message, fields=fields) if fields else err.message


def _who(acting):
    if acting.user:
        return msg("scenario.who_user", user=acting.user)
    return msg("scenario.who_role", role=acting.role, org=msg("scenario.in_org", org=acting.org) if acting.org else "")


def _candidates(rows):
    return "、".join(sorted({f"{c.role}@{c.org_code}" + (f"（{c.username}）" if c.username else "")
                            for t in rows for c in t.candidates})) or msg("scenario.none")
