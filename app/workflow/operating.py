"""An admin steers a running instance: suspend, resume, terminate, retry — each with a reason, audited with who and
why, refused with a Chinese reason when the instance's state does not allow it (app/workflow/interventions.py holds
the element-level actions: reassign, skip, rewind, fire a timer, deliver a message, edit the data)."""

from app.db import utcnow
from app.domain import access
from app.engine.runner import EngineFailure
from app.errors import DomainError, InvalidState, ValidationFailed
from app.messages import label, msg
from app.workflow.execution import advance, begin_run, close_open_tasks, lock_instance, save
from app.workflow.models import ProcessInstance
from app.workflow.recording import audit, record_failure

ENDED = frozenset({"completed", "terminated"})
# The instance-level actions, as the console and the batch offer them, with the states each is allowed from.
INSTANCE_ACTIONS = ("suspend", "resume", "retry", "terminate")


def _suspend_refusal(instance):
    return None if instance.status in ("running", "error") else "console.refused.not_running"


def _resume_refusal(instance):
    if instance.status != "suspended":
        return "console.refused.not_suspended"
    return "console.refused.resume_error" if instance.error else None


def _retry_refusal(instance):
    return None if instance.error and instance.status in ("error", "suspended") else "console.refused.no_error"


def _edit_refusal(instance):
    return None if instance.status == "suspended" else "console.refused.edit_not_suspended"


def _running_refusal(instance):
    return None if instance.status == "running" else "console.refused.wakes_running_only"


def _unfinished(instance):
    return None


# Per action, why the instance's state refuses it (None: allowed). Reassigning, skipping and rewinding are allowed
# in any unfinished state (a suspended instance stays put until resumed); firing a timer or delivering a message
# runs the instance on, so only a running one. The element decides the rest (app/engine/interventions.py).
_REFUSALS = {"suspend": _suspend_refusal, "resume": _resume_refusal, "retry": _retry_refusal,
             "terminate": _unfinished, "edit_data": _edit_refusal, "reassign": _unfinished, "skip": _unfinished,
             "rewind": _unfinished, "fire_timer": _running_refusal, "deliver_message": _running_refusal}


def action_refusal(instance, action):
    """Why `action` is not allowed in the instance's state (a catalogue key), or None.

    An instance in error may be suspended (so its data can be fixed) and keeps its error while suspended; a
    suspended instance with an error is retried, not resumed into the same failure.
    """
    if action not in _REFUSALS:
        return "console.refused.unknown_action"
    if instance.status in ENDED:
        return "console.refused.ended"
    return _REFUSALS[action](instance)


def allowed_actions(instance):
    """The instance-level actions its state allows (what the console offers and the batch accepts)."""
    return [action for action in INSTANCE_ACTIONS if action_refusal(instance, action) is None]


def require_reader(actor):
    """The console's pages and reads (list, instance, overview, migrations): the read-all roles."""
    access.require(access.may_read_console(actor), "console.read_forbidden")


def require_operator(actor):
    access.require(access.may_administer_instances(actor), "console.forbidden")


def require_reason(reason):
    """Every console action says why; the reason is kept on the record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(msg("console.reason_required"), {"reason": [msg("console.reason_required")]})
    return reason


def lock_for(session, actor, instance_id, action, reason):
    """Check the operator and the reason, lock the instance and check that its state allows the action."""
    require_operator(actor)
    reason = require_reason(reason)
    instance = lock_instance(session, instance_id)
    refused = action_refusal(instance, action)
    if refused:
        raise InvalidState(msg(refused, status=label("instance_status", instance.status)))
    return instance, reason


def suspend_instance(session, runtime, actor, instance_id, reason):
    instance, reason = lock_for(session, actor, instance_id, "suspend", reason)
    step = begin_run(session, runtime, instance, actor)
    before = instance.status
    instance.status = "suspended"
    audit(step, "instance.suspend", {"reason": reason, "before": before})
    save(step)
    return instance


def resume_instance(session, runtime, actor, instance_id, reason):
    instance, reason = lock_for(session, actor, instance_id, "resume", reason)
    step = begin_run(session, runtime, instance, actor)
    instance.status = "running"
    audit(step, "instance.resume", {"reason": reason})
    advance(step)
    save(step)
    return instance


def terminate_instance(session, runtime, actor, instance_id, reason):
    instance, reason = lock_for(session, actor, instance_id, "terminate", reason)
    step = begin_run(session, runtime, instance, actor)
    before = instance.status
    instance.status = "terminated"
    audit(step, "instance.terminate", {"reason": reason, "before": before})
    step.run.cancel()
    instance.ended_at = utcnow()
    close_open_tasks(session, instance)
    save(step)
    return instance


def retry_instance(session, runtime, actor, instance_id, reason):
    """Re-run the failed tasks of an instance in error (or suspended with its error, after its data was fixed); it
    fails again with a fresh message if still broken."""
    instance, reason = lock_for(session, actor, instance_id, "retry", reason)
    previous = instance.error
    step = begin_run(session, runtime, instance, actor)
    instance.status, instance.error = "running", None
    audit(step, "instance.retry", {"reason": reason, "previous_error": previous})
    try:
        step.run.retry()
    except EngineFailure as failure:
        record_failure(step, failure.failure)
    if instance.status == "running":
        advance(step)
    save(step)
    return instance


def run_instance_action(session, runtime, actor, instance_id, action, reason):
    """One of INSTANCE_ACTIONS by name (the batch's entry): the instance row after it."""
    if action not in INSTANCE_ACTIONS:
        raise ValidationFailed(msg("console.refused.unknown_action"), {"action": [msg("console.refused.unknown_action")]})
    return ACTION_FUNCTIONS[action](session, runtime, actor, instance_id, reason)


def run_batch(session, runtime, actor, ids, action, reason):
    """One action on each instance, each in its own savepoint inside the caller's transaction (the edge commits once),
    so a refusal rolls back that instance alone; one result per instance: done, or refused with the Chinese reason."""
    require_operator(actor)
    reason = require_reason(reason)
    return [_run_one(session, runtime, actor, instance_id, action, reason) for instance_id in dict.fromkeys(ids)]


def _run_one(session, runtime, actor, instance_id, action, reason):
    try:
        with session.begin_nested():
            instance = run_instance_action(session, runtime, actor, instance_id, action, reason)
    except DomainError as refused:
        current = session.get(ProcessInstance, instance_id)
        return {"id": instance_id, "ok": False, "message": refused.message,
                "status": current.status if current else None,
                "status_label": label("instance_status", current.status) if current else None}
    return {"id": instance_id, "ok": True, "status": instance.status,
            "status_label": label("instance_status", instance.status),
            "message": msg("console_list.batch.done", action=label("batch_action", action),
                           status=label("instance_status", instance.status))}


ACTION_FUNCTIONS = {"suspend": suspend_instance, "resume": resume_instance, "retry": retry_instance,
                    "terminate": terminate_instance}
