"""An admin's hand on one element of a running instance: reassign an open task, skip a stuck task, rewind to a
completed step, fire a waiting timer now, deliver a waiting message, edit the data of a suspended instance.

Each takes a reason, is refused with a Chinese reason when the instance's state (operating.action_refusal) or the
element's state (app/engine/interventions.NotActionable) does not allow it, and is audited on the instance's stream
with who, why, before and after.
"""

from sqlalchemy import select

from app.db import utcnow
from app.definitions.forms import validate_submission
from app.domain import access
from app.domain.access import ANY
from app.domain.notifications import notify
from app.domain.organisations import get_org
from app.domain.people import get_user
from app.engine.interventions import NotActionable
from app.engine.runner import EngineFailure, Message
from app.errors import InvalidState, NotFound, ValidationFailed
from app.messages import msg
from app.workflow.execution import Step, advance, begin_run, save
from app.workflow.models import HumanTask, TaskCandidate
from app.workflow.operating import lock_for
from app.workflow.recording import audit, record_failure
from app.workflow.runtime import HELPER_NAMES


def _refused(err):
    return InvalidState(msg(err.key, **err.params))


def _settle(step):
    """After a hand on the engine: an instance whose errors are gone runs again; a running one steps on."""
    instance = step.instance
    if instance.error and not step.run.has_errors():
        instance.error = None
        if instance.status == "error":
            instance.status = "running"
    if instance.status == "running":
        advance(step)
    save(step)
    return instance


def _open_task(session, instance, task_id):
    task = session.scalar(select(HumanTask).where(HumanTask.id == task_id, HumanTask.instance_id == instance.id)
                          .execution_options(populate_existing=True))
    if task is None:
        raise NotFound(msg("task.not_found"))
    if task.status != "open":
        raise InvalidState(msg("console.task_not_open"))
    return task


def _who(task):
    return {"users": task.users, "orgs": task.orgs, "roles": task.roles, "claimed_by": task.claimed_by}


def reassign_task(session, runtime, actor, instance_id, task_id, reason, username=None, org_code=None):
    """Give an open task to one user (who then holds it) or to an organisation (its roles keep their say)."""
    instance, reason = lock_for(session, actor, instance_id, "reassign", reason)
    if bool(username) == bool(org_code):
        raise ValidationFailed(msg("console.reassign_target"), {"target": [msg("console.reassign_target")]})
    task = _open_task(session, instance, task_id)
    before = _who(task)
    if username:
        person = get_user(session, username)
        refused = access.holder_refusal(person)
        if refused:
            raise ValidationFailed(msg(refused), {"username": [msg(refused)]})
        task.candidates = [TaskCandidate(role=ANY, org_code=ANY, username=person.username)]
        task.claimed_by, task.claimed_at = person.username, utcnow()
    else:
        org = get_org(session, org_code)
        if not org.active:
            raise ValidationFailed(msg("console.org_inactive"), {"org_code": [msg("console.org_inactive")]})
        task.candidates = [TaskCandidate(role=role, org_code=org.code) for role in (task.roles or [ANY])]
        task.claimed_by, task.claimed_at = None, None
        notify(session, org.code, msg("notice.new_task", title=task.title), subject=f"task:{task.task_uuid}",
               instance_id=instance.id, check_org=False)
    session.flush()
    step = Step(session, runtime, instance, None, actor, None)
    audit(step, "task.reassign", {"task": task.bpmn_id, "name": task.name, "reason": reason, "before": before,
                                  "after": _who(task)}, task_id=task.task_uuid)
    return task


def skip_task(session, runtime, actor, instance_id, engine_task_id, reason, data=None):
    """Complete a stuck task with the data the admin gives: a ready human task (its form checks the data) or a
    task in error (its script or service is not run)."""
    instance, reason = lock_for(session, actor, instance_id, "skip", reason)
    data = data if isinstance(data, dict) else {}
    human = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.task_uuid == str(engine_task_id),
                                                   HumanTask.status == "open"))
    if human is not None and human.form_id:
        form = runtime.form(session, instance.deployment_id, human.form_id)
        errors = validate_submission(form, data, reserved=HELPER_NAMES)
        if errors:
            raise ValidationFailed(msg("validation.request"), errors)
        data = form.complete(data)
    step = begin_run(session, runtime, instance, actor)
    try:
        name = step.run.skip(engine_task_id, data)
    except NotActionable as err:
        raise _refused(err) from err
    except EngineFailure as failure:
        record_failure(step, failure.failure)
        save(step)
        return instance
    if human is not None:
        human.status, human.completed_at, human.completed_by = "completed", utcnow(), actor.username
    audit(step, "task.skip", {"task": name, "reason": reason, "data": data}, task_id=str(engine_task_id))
    return _settle(step)


def rewind_instance(session, runtime, actor, instance_id, engine_task_id, reason):
    """Go back to a completed step: it is ready again, what came after it is undone (its tasks cancelled)."""
    instance, reason = lock_for(session, actor, instance_id, "rewind", reason)
    step = begin_run(session, runtime, instance, actor)
    before = step.run.current_data()
    try:
        name = step.run.rewind(engine_task_id)
    except NotActionable as err:
        raise _refused(err) from err
    audit(step, "instance.rewind", {"task": name, "reason": reason, "data_before": before},
          task_id=str(engine_task_id))
    return _settle(step)


def fire_timer(session, runtime, actor, instance_id, engine_task_id, reason):
    """A waiting timer fires now instead of at its due time."""
    instance, reason = lock_for(session, actor, instance_id, "fire_timer", reason)
    step = begin_run(session, runtime, instance, actor)
    try:
        name, due = step.run.fire_timer(engine_task_id)
    except NotActionable as err:
        raise _refused(err) from err
    audit(step, "timer.fire_now", {"task": name, "reason": reason, "due": due.isoformat()},
          task_id=str(engine_task_id))
    return _settle(step)


def deliver_message(session, runtime, actor, instance_id, name, reason, payload=None):
    """Deliver a message the instance waits for, by hand, with the payload the admin gives."""
    instance, reason = lock_for(session, actor, instance_id, "deliver_message", reason)
    step = begin_run(session, runtime, instance, actor)
    waits = [w for w in step.run.waiting_messages() if w.name == name]
    if not waits:
        raise InvalidState(msg("console.not_waiting_message", name=name))
    if not step.run.deliver(Message(name, payload, waits[0].correlations)):
        raise InvalidState(msg("console.not_waiting_message", name=name))
    audit(step, "message.deliver", {"message": name, "reason": reason, "payload": payload,
                                    "correlations": waits[0].correlations})
    return _settle(step)


def edit_data(session, runtime, actor, instance_id, data, reason):
    """Replace the data of a suspended instance with `data`; the record keeps each changed name's before and after."""
    instance, reason = lock_for(session, actor, instance_id, "edit_data", reason)
    if not isinstance(data, dict):
        raise ValidationFailed(msg("console.data_not_object"), {"data": [msg("console.data_not_object")]})
    reserved = sorted(set(data) & set(HELPER_NAMES))
    if reserved:
        text = msg("console.data_reserved", names="、".join(reserved))
        raise ValidationFailed(text, {"data": [text]})
    step = begin_run(session, runtime, instance, actor)
    current = step.run.current_data()
    changed = {k: v for k, v in data.items() if k not in current or current[k] != v}
    removed = sorted(set(current) - set(data))
    if not changed and not removed:
        raise ValidationFailed(msg("console.data_unchanged"), {"data": [msg("console.data_unchanged")]})
    try:
        step.run.change_data(changed, removed)
    except NotActionable as err:
        raise _refused(err) from err
    audit(step, "instance.data_edit", {
        "reason": reason, "before": {k: current[k] for k in sorted(changed) if k in current} | {
            k: current[k] for k in removed}, "after": changed, "removed": removed})
    save(step)
    return instance
