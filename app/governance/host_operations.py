"""Host operations Tianchang's procedures call (DESIGN.md §5): lists, calls, evaluations, supervision.

Each is typed parameters → the governance call → a plain dict. What each does and what its parameters mean,
as designers read them, is in the catalogue (`app.messages.governance.OPERATIONS`). `ctx.actor` is who
caused the step: the person, or the process when none did (a timer)."""

from datetime import date, datetime

from app.db import utcnow
from app.domain.actors import Actor
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.organisations import get_org
from app.governance import appeal_operations, escalation_operations, lists  # noqa: F401  (their operations register)
from app.governance import call_progress as progress
from app.governance import calls as call_ops
from app.governance import supervision as cases
from app.governance.evaluations import Rating, record_evaluation
from app.governance.operation_registry import OPERATIONS, register
from app.messages import msg
from app.workflow.services import OPTIONAL, Param


def register_operations(registry):
    """Offer Tianchang's host operations to service tasks (called once by create_app, explicitly)."""
    for name, params, fn in OPERATIONS:
        registry.register(name, **params)(fn)


def _calendar(ctx):
    return ctx.runtime.calendar(ctx.session)


def _iso(value):
    return value.isoformat() if isinstance(value, (datetime, date)) else value


@register("lists.lookup", item=Param())
def lookup_item(ctx, item):
    version = lists.get_item(ctx.session, item).current
    return {"code": item, "title": version.title, "lead": version.lead_org,
            "cooperating": list(version.cooperating_orgs or []), "response_hours": version.response_hours,
            "handle_days": version.handle_days, "status": version.status}


@register("lists.publish", kind=Param(), title=Param(), category=Param(), lead=Param(), cooperating=OPTIONAL,
          legal_basis=OPTIONAL, lead_duties=OPTIONAL, cooperating_duties=OPTIONAL, response_hours=Param(),
          handle_days=Param(), effective_from=OPTIONAL, effective_to=OPTIONAL, towns_lead=OPTIONAL)
def publish_item(ctx, kind, title, category, lead, response_hours, handle_days, cooperating=None, legal_basis="",
                 lead_duties="", cooperating_duties="", effective_from=None, effective_to=None, towns_lead=None):
    """One item (or one per town when `towns_lead` is given: a duty each town leads); returns the codes."""
    base = {"title": title, "category": category, "legal_basis": legal_basis or "", "lead_duties": lead_duties or "",
            "cooperating_duties": cooperating_duties or "", "response_hours": int(response_hours),
            "handle_days": int(handle_days), "effective_from": effective_from or utcnow().date().isoformat(),
            "effective_to": effective_to or None}
    leads = [(town, [lead]) for town in towns_lead] if towns_lead else [(lead, list(cooperating or []))]
    codes = []
    for lead_org, cooperating_orgs in leads:
        code = lists.next_code(ctx.session, kind)
        lists.create_item(ctx.session, ctx.actor, code, kind, dict(base, lead_org=lead_org,
                          cooperating_orgs=cooperating_orgs), msg("list.published", instance=ctx.instance.id),
                          instance_id=ctx.instance.id)
        codes.append(code)
    return {"codes": codes}


@register("lists.retire", codes=Param(), reason=Param())
def retire_items(ctx, codes, reason):
    for code in codes:
        lists.retire_item(ctx.session, ctx.actor, code, reason, instance_id=ctx.instance.id)
    return {"retired": list(codes)}


@register("lists.propose_amendment", item=Param(), note=Param())
def propose_amendment(ctx, item, note):
    title = lists.get_item(ctx.session, item).current.title
    notify(ctx.session, "bianban", msg("notice.amendment", item=title, note=note), role="bianban",
           subject=f"list:{item}", instance_id=ctx.instance.id)
    append_event(ctx.session, f"list:{item}", "list.amendment.proposed", actor=ctx.actor,
                 instance_id=ctx.instance.id, payload={"note": note})
    return {"proposed": True}


@register("calls.open", item=Param(), location=Param(), description=Param(), urgency=Param(), extra=OPTIONAL,
          photos=OPTIONAL)
def open_call(ctx, item, location, description, urgency, extra=None, photos=None):
    # The caller (呼叫人) is who started the call's instance, also when an admin's retry or a timer runs this step.
    starter = ctx.instance.started_by
    caller = ctx.actor if ctx.actor.name == starter else Actor(starter, org=ctx.instance.org_code)
    call = call_ops.open_call(ctx.session, caller, ctx.instance.org_code, item,
                              {"location": location, "description": description, "urgency": urgency,
                               "photos": photos or []}, extra or [], ctx.instance.id)
    version = lists.get_item(ctx.session, item).current
    ctx.instance.business_key = call.number
    return {"number": call.number, "title": call.title, "caller_org": call.caller_org, "item_code": call.item_code,
            "departments": [p.org_code for p in call.parties], "lead": version.lead_org,
            "response_hours": version.response_hours, "handle_days": version.handle_days}


@register("calls.start_clock", number=Param(), response_hours=Param(), handle_days=Param())
def start_clock(ctx, number, response_hours, handle_days):
    due = progress.start_response_clock(ctx.session, ctx.actor, number, response_hours, _calendar(ctx))
    return {"response_due": due.isoformat(), "handle_days": int(handle_days)}


@register("calls.respond", number=Param(), org=Param(), decision=Param(), reason=OPTIONAL, handle_days=Param())
def respond(ctx, number, org, decision, handle_days, reason=None):
    answer = progress.record_response(ctx.session, ctx.actor, number, org, decision, handle_days, _calendar(ctx), reason)
    return {"late_hours": answer.late_hours, "late": answer.late, "supervise_late": answer.supervise_late,
            "handle_due": _iso(answer.handle_due)}


@register("calls.forward", number=Param(), org=Param())
def forward(ctx, number, org):
    progress.forward_rejection(ctx.session, ctx.actor, number, org, ctx.instance.id)
    return {"forwarded": True}


@register("calls.rejection", number=Param(), org=Param(), outcome=Param(), responsible=OPTIONAL, handle_days=Param(),
          basis=OPTIONAL)
def rejection(ctx, number, org, outcome, handle_days, responsible=None, basis=None):
    decided = progress.RejectionOutcome(outcome, responsible, basis)
    due, overturned = progress.record_rejection_outcome(ctx.session, ctx.actor, number, org, decided, handle_days,
                                                        _calendar(ctx))
    return {"handle_due": _iso(due), "overturned": overturned}


@register("calls.request_extension", number=Param(), org=Param(), days=Param(), reason=Param())
def request_extension(ctx, number, org, days, reason):
    call = call_ops.get_call(ctx.session, number)
    extension = call_ops.request_extension(ctx.session, ctx.actor, call, org, int(days), reason)
    return {"id": extension.id, "days": extension.days}


@register("calls.decide_extension", id=Param(), approved=Param())
def decide_extension(ctx, id, approved):  # the parameter name designers use
    due = progress.decide_extension(ctx.session, ctx.actor, id, approved, _calendar(ctx))
    return {"handle_due": _iso(due), "approved": bool(approved)}


@register("calls.handled", number=Param(), org=Param(), result=Param())
def handled(ctx, number, org, result):
    progress.record_handled(ctx.session, ctx.actor, number, org, result)
    return {"handled": True}


@register("calls.update", number=Param(), status=Param())
def update_call(ctx, number, status):
    call = progress.move_call(ctx.session, ctx.actor, number, status)
    return {"status": call.status, "redo_count": call.redo_count}


@register("evaluations.record", kind=Param(), number=Param(), rater=Param(), ratees=Param(), grade=OPTIONAL,
          accuracy=OPTIONAL, cooperation=OPTIONAL, comment=OPTIONAL)
def record(ctx, kind, number, rater, ratees, grade=None, accuracy=None, cooperation=None, comment=""):
    call = call_ops.get_call(ctx.session, number)
    for ratee in ratees:
        record_evaluation(ctx.session, ctx.actor, kind, rater, ratee, Rating(grade, accuracy, cooperation, comment),
                          instance_id=ctx.instance.id, call_id=call.id)
    return {"recorded": len(ratees)}


@register("evaluations.record_ratings", number=Param(), raters=Param(), ratee=Param(), ratings=Param())
def record_ratings(ctx, number, raters, ratee, ratings):
    call = call_ops.get_call(ctx.session, number)
    for rater, rating in zip(raters, ratings, strict=True):
        given = Rating(accuracy=rating.get("accuracy"), cooperation=rating.get("cooperation"),
                       comment=rating.get("rating_comment"))
        record_evaluation(ctx.session, ctx.actor, "call_quality", rater, ratee, given, instance_id=ctx.instance.id,
                          call_id=call.id)
    return {"recorded": len(raters)}


@register("supervision.open", target=Param(), reason=Param(), summary=Param(), number=OPTIONAL, late_hours=OPTIONAL)
def open_supervision(ctx, target, reason, summary, number=None, late_hours=0):
    call = call_ops.get_call(ctx.session, number) if number else None
    case = cases.open_case(ctx.session, ctx.actor, target, reason, summary, call.id if call else None, ctx.instance.id,
                           late_hours or 0)
    return {"number": case.number, "target_org": target, "reason": reason, "lateness_hours": case.lateness_hours,
            "summary": case.summary, "target_role": cases.rectifying_role(get_org(ctx.session, target))}


@register("supervision.update", number=Param(), grade=OPTIONAL, status=OPTIONAL, note=OPTIONAL)
def update_supervision(ctx, number, grade=None, status=None, note=None):
    case = cases.update_case(ctx.session, ctx.actor, number, grade=grade or None, status=status or None,
                             handled_in=ctx.instance.id)
    return {"number": case.number, "grade": case.grade, "status": case.status}


@register("orgs.kind", org=Param())
def org_kind(ctx, org):
    return get_org(ctx.session, org).kind
