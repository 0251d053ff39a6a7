"""Host operations of the 督办 escalation ladder (processes/supervision_escalation.bpmn); described for designers in
`app.messages.escalation.OPERATIONS`."""

from app.db import utcnow
from app.governance import escalation
from app.governance.operation_registry import register
from app.workflow.services import OPTIONAL, Param


def _calendar(ctx):
    return ctx.runtime.calendar(ctx.session)


@register("supervision.ladder_facts", number=Param())
def ladder_facts(ctx, number):
    return escalation.ladder_facts(ctx.session, number, _calendar(ctx), utcnow())


@register("supervision.escalate", number=Param(), step=Param(), recipients=Param())
def escalate(ctx, number, step, recipients):
    row = escalation.escalate(ctx.session, ctx.actor, number, step, recipients, ctx.instance.id)
    return {"id": row.id, "step": row.step, "recipients": list(row.recipients)}


@register("supervision.record_interview", number=Param(), held_on=Param(), attendees=Param(), outcome=Param(),
          step_id=OPTIONAL)
def record_interview(ctx, number, held_on, attendees, outcome, step_id=None):
    meeting = {"held_on": held_on, "attendees": attendees, "outcome": outcome}
    interview = escalation.record_interview(ctx.session, ctx.actor, number, meeting, _calendar(ctx), step_id,
                                            ctx.instance.id)
    return {"id": interview.id, "held_on": interview.held_on.isoformat()}
