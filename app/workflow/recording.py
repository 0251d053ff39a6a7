"""Append instance events to the audit chain, and record a workflow failure on the instance."""

from app.db import utcnow
from app.domain.actors import as_actor
from app.domain.audit import append_at_head, new_event


def audit(step, action, payload, task_id=None):
    """Append to the instance's stream; its head is kept on the (locked) instance row."""
    event = new_event(f"instance:{step.instance.id}", action, actor=as_actor(step.actor), instance_id=step.instance.id,
                      task_id=task_id, payload=payload)
    append_at_head(step.session, step.instance, event)


def record_failure(step, failure):
    """Put the instance in error with task, line and message; it waits there for a retry."""
    step.instance.status = "error"
    step.instance.error = {
        "task_id": failure.task_id, "bpmn_id": failure.bpmn_id, "task": failure.name,
        "line": failure.line, "message": failure.message, "at": utcnow().isoformat(),
    }
    audit(step, "instance.error", dict(step.instance.error), task_id=failure.task_id)
