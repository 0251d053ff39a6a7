"""Host operations Tianchang's procedures call (DESIGN.md §5): lists, calls, evaluations, supervision.

Each is typed parameters (as designers see them) → the governance call → a plain dict."""

from datetime import date, datetime

from app.db import utcnow
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.organisations import get_org
from app.governance import call_progress as progress
from app.governance import calls as call_ops
from app.governance import lists
from app.governance import supervision as cases
from app.governance.evaluations import record_evaluation
from app.workflow.services import Param

OPERATIONS = []  # (name, label, params, function): handed to the platform's registry by register_operations


def register(name, label, **params):
    """Note a host operation of Tianchang's procedures; it is registered only when the factory asks."""
    def decorator(fn):
        OPERATIONS.append((name, label, params, fn))
        return fn
    return decorator


def register_operations(registry):
    """Offer Tianchang's host operations to service tasks (called once by create_app, explicitly)."""
    for name, label, params, fn in OPERATIONS:
        registry.register(name, label, **params)(fn)


def _calendar(ctx):
    return ctx.runtime.calendar(ctx.session)


def _iso(value):
    return value.isoformat() if isinstance(value, (datetime, date)) else value


@register("lists.lookup", "查询清单事项（主办、配合单位与时限）", item=Param("事项编码"))
def lookup_item(ctx, item):
    version = lists.get_item(ctx.session, item).current
    return {"code": item, "title": version.title, "lead": version.lead_org,
            "cooperating": list(version.cooperating_orgs or []), "response_hours": version.response_hours,
            "handle_days": version.handle_days, "status": version.status}


@register("lists.publish", "发布清单事项（准入、交办通过后生效）",
          kind=Param("清单类别 power/cooperation/assigned"), title=Param("事项名称"), category=Param("分类"),
          lead=Param("主办单位代码"), cooperating=Param("配合单位代码列表", required=False),
          legal_basis=Param("依据", required=False), lead_duties=Param("主办职责", required=False),
          cooperating_duties=Param("配合职责", required=False), response_hours=Param("响应时限（小时）"),
          handle_days=Param("办理时限（工作日）"), effective_from=Param("生效日期", required=False),
          effective_to=Param("失效日期", required=False), towns_lead=Param("按镇街分别立项（列表）", required=False))
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
        lists.create_item(ctx.session, ctx.actor_name, code, kind, dict(base, lead_org=lead_org,
                          cooperating_orgs=cooperating_orgs), f"流程实例 {ctx.instance.id} 审批通过后发布",
                          instance_id=ctx.instance.id)
        codes.append(code)
    return {"codes": codes}


@register("lists.retire", "废止清单事项", codes=Param("事项编码列表"), reason=Param("理由"))
def retire_items(ctx, codes, reason):
    for code in codes:
        lists.retire_item(ctx.session, ctx.actor_name, code, reason, instance_id=ctx.instance.id)
    return {"retired": list(codes)}


@register("lists.propose_amendment", "提出清单调整建议（协调结论）", item=Param("事项编码"), note=Param("建议内容"))
def propose_amendment(ctx, item, note):
    notify(ctx.session, "bianban", f"清单调整建议：{item}：{note}", role="bianban", instance_id=ctx.instance.id)
    append_event(ctx.session, f"list:{item}", "list.amendment.proposed", actor=ctx.actor_name,
                 instance_id=ctx.instance.id, payload={"note": note})
    return {"proposed": True}


@register("calls.open", "登记呼叫单（由清单事项确定主办、配合单位）",
          item=Param("事项编码"), location=Param("地点"), description=Param("问题描述"), urgency=Param("紧急程度"),
          extra=Param("增加的部门", required=False), photos=Param("照片", required=False))
def open_call(ctx, item, location, description, urgency, extra=None, photos=None):
    call = call_ops.open_call(ctx.session, ctx.instance.started_by, ctx.instance.org_code, item,
                              {"location": location, "description": description, "urgency": urgency,
                               "photos": photos or []}, extra or [], ctx.instance.id)
    version = lists.get_item(ctx.session, item).current
    ctx.instance.business_key = call.number
    return {"number": call.number, "title": call.title, "caller_org": call.caller_org, "item_code": call.item_code,
            "departments": [p.org_code for p in call.parties], "lead": version.lead_org,
            "response_hours": version.response_hours, "handle_days": version.handle_days}


@register("calls.start_clock", "开始响应计时", number=Param("呼叫单号"), response_hours=Param("响应时限（小时）"),
          handle_days=Param("办理时限（工作日）"))
def start_clock(ctx, number, response_hours, handle_days):
    due = progress.start_response_clock(ctx.session, ctx.actor_name, number, response_hours, _calendar(ctx))
    return {"response_due": due.isoformat(), "handle_days": int(handle_days)}


@register("calls.respond", "记录签收/响应（接受或驳回）", number=Param("呼叫单号"), org=Param("单位代码"),
          decision=Param("accept 或 reject"), reason=Param("驳回理由", required=False),
          handle_days=Param("办理时限（工作日）"))
def respond(ctx, number, org, decision, handle_days, reason=None):
    answer = progress.record_response(ctx.session, ctx.actor_name, number, org, decision, handle_days, _calendar(ctx),
                                      reason)
    return {"late_hours": answer.late_hours, "late": answer.late, "supervise_late": answer.supervise_late,
            "handle_due": _iso(answer.handle_due)}


@register("calls.forward", "驳回转发至监督检查账号", number=Param("呼叫单号"), org=Param("驳回单位代码"))
def forward(ctx, number, org):
    progress.forward_rejection(ctx.session, ctx.actor_name, number, org, ctx.instance.id)
    return {"forwarded": True}


@register("calls.rejection", "记录驳回的处理结果并开始办理计时", number=Param("呼叫单号"), org=Param("驳回单位代码"),
          outcome=Param("accepted/agreement/coordination"), responsible=Param("责任单位代码", required=False),
          handle_days=Param("办理时限（工作日）"), basis=Param("依据", required=False))
def rejection(ctx, number, org, outcome, handle_days, responsible=None, basis=None):
    decided = progress.RejectionOutcome(outcome, responsible, basis)
    due, overturned = progress.record_rejection_outcome(ctx.session, ctx.actor_name, number, org, decided, handle_days,
                                                        _calendar(ctx))
    return {"handle_due": _iso(due), "overturned": overturned}


@register("calls.request_extension", "延期申请", number=Param("呼叫单号"), org=Param("单位代码"), days=Param("延期天数"),
          reason=Param("理由"))
def request_extension(ctx, number, org, days, reason):
    call = call_ops.get_call(ctx.session, number)
    extension = call_ops.request_extension(ctx.session, call, org, int(days), reason, ctx.actor_name)
    return {"id": extension.id, "days": extension.days}


@register("calls.decide_extension", "审批延期申请（通过则顺延办理期限）", id=Param("申请编号"),
          approved=Param("是否同意"))
def decide_extension(ctx, id, approved):  # the parameter name designers use
    due = progress.decide_extension(ctx.session, ctx.actor_name, id, approved, _calendar(ctx))
    return {"handle_due": _iso(due), "approved": bool(approved)}


@register("calls.handled", "记录办结", number=Param("呼叫单号"), org=Param("单位代码"), result=Param("办理结果"))
def handled(ctx, number, org, result):
    progress.record_handled(ctx.session, ctx.actor_name, number, org, result)
    return {"handled": True}


@register("calls.update", "更新呼叫单状态", number=Param("呼叫单号"), status=Param("状态"))
def update_call(ctx, number, status):
    call = progress.move_call(ctx.session, ctx.actor_name, number, status)
    return {"status": call.status, "redo_count": call.redo_count}


@register("evaluations.record", "记录评价（满意度互评）", kind=Param("评价类别"), number=Param("呼叫单号"),
          rater=Param("评价单位"), ratees=Param("被评价单位列表"), grade=Param("等次", required=False),
          accuracy=Param("呼叫准确性 1-5", required=False), cooperation=Param("配合程度 1-5", required=False),
          comment=Param("意见", required=False))
def record(ctx, kind, number, rater, ratees, grade=None, accuracy=None, cooperation=None, comment=""):
    call = call_ops.get_call(ctx.session, number)
    for ratee in ratees:
        record_evaluation(ctx.session, kind, rater, ratee, rater_user=ctx.actor_name, instance_id=ctx.instance.id,
                          call_id=call.id, grade=grade, accuracy=accuracy, cooperation=cooperation, comment=comment)
    return {"recorded": len(ratees)}


@register("evaluations.record_ratings", "记录各单位对呼叫的评价（与评价单位一一对应）", number=Param("呼叫单号"),
          raters=Param("评价单位列表"), ratee=Param("被评价单位"), ratings=Param("评价表单数据列表"))
def record_ratings(ctx, number, raters, ratee, ratings):
    call = call_ops.get_call(ctx.session, number)
    for rater, rating in zip(raters, ratings, strict=True):
        record_evaluation(ctx.session, "call_quality", rater, ratee, rater_user=ctx.actor_name,
                          instance_id=ctx.instance.id, call_id=call.id, accuracy=rating.get("accuracy"),
                          cooperation=rating.get("cooperation"), comment=rating.get("rating_comment"))
    return {"recorded": len(raters)}


@register("supervision.open", "开启督办", target=Param("被督办单位"), reason=Param("原因"), summary=Param("说明"),
          number=Param("呼叫单号", required=False), late_hours=Param("超时小时", required=False))
def open_supervision(ctx, target, reason, summary, number=None, late_hours=0):
    call = call_ops.get_call(ctx.session, number) if number else None
    case = cases.open_case(ctx.session, target, reason, summary, call.id if call else None, ctx.instance.id,
                           late_hours or 0)
    return {"number": case.number, "target_org": target, "reason": reason, "lateness_hours": case.lateness_hours,
            "summary": case.summary, "target_role": cases.rectifying_role(get_org(ctx.session, target))}


@register("supervision.update", "更新督办（等级、状态）", number=Param("督办编号"), grade=Param("等级", required=False),
          status=Param("状态", required=False), note=Param("说明", required=False))
def update_supervision(ctx, number, grade=None, status=None, note=None):
    changes = {k: v for k, v in (("grade", grade), ("status", status)) if v}
    case = cases.update_case(ctx.session, number, ctx.actor_name, **changes)
    if status == "closed":
        case.instance_id = case.instance_id or ctx.instance.id
    else:
        case.instance_id = ctx.instance.id
    return {"number": case.number, "grade": case.grade, "status": case.status}


@register("orgs.kind", "查询单位类别", org=Param("单位代码"))
def org_kind(ctx, org):
    return get_org(ctx.session, org).kind
