"""Host operations of the 申诉 (assessment appeal) procedure (processes/assessment_appeal.bpmn).

What each does, as designers read it, is in the catalogue (`app.messages.assessment_appeals.OPERATIONS`)."""

from app.domain.actors import Actor
from app.errors import ValidationFailed
from app.governance import assessment_appeals as appeals
from app.governance.assessment_periods import Period
from app.governance.operation_registry import register
from app.messages import label, msg
from app.workflow.services import OPTIONAL, Param


def _zone(ctx):
    return ctx.runtime.calendar(ctx.session).tz


@register("assessment.appeal_open", period=Param(), metric=OPTIONAL, calls=Param(), reason=Param(), evidence=OPTIONAL)
def appeal_open(ctx, period, calls, reason, metric=None, evidence=None):
    """Runs at the start: a refusal (out of the window, a call of another organisation) reaches the person starting
    the appeal as a 422 with the reason in Chinese, and nothing is written."""
    starter = ctx.instance.started_by
    actor = ctx.actor if ctx.actor.name == starter else Actor(starter, org=ctx.instance.org_code)
    claim = appeals.Claim(period, metric, calls, reason, tuple(evidence or ()))
    appeal = appeals.open_appeal(ctx.session, actor, ctx.instance.org_code, claim, ctx.instance.id, _zone(ctx))
    ctx.instance.business_key = appeal.number
    code = Period.parse(period).code
    return {"number": appeal.number, "org": appeal.org_code, "period": code, "period_label": Period.parse(code).label,
            "metric_label": label("assessment_metric", appeal.metric) if appeal.metric else msg("appeal.whole_score"),
            "calls": list(appeal.calls), "calls_text": " ".join(appeal.calls)}


@register("assessment.appeal_decide", number=Param(), accepted=Param(), exclude=OPTIONAL, decision=Param())
def appeal_decide(ctx, number, accepted, decision, exclude=None):
    """A decision that cannot stand (a call not named by the appeal, a recomputation refused) writes nothing and
    comes back as `ok` false with the `problem`, so the diagram returns the task to 编办."""
    try:
        with ctx.session.begin_nested():
            appeal = appeals.decide_appeal(ctx.session, ctx.actor, number, bool(accepted), exclude or "", decision,
                                           ctx.runtime.calendar(ctx.session))
    except ValidationFailed as refused:
        return {"ok": False, "problem": refused.message}
    return {"ok": True, "status": appeal.status, "result_run": appeal.result_run_id}
