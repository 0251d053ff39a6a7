"""Draw the first versions of the five governance procedures into processes/ (see scripts/bpmn_layout.py)."""

from pathlib import Path

from bpmn_layout import Diagram, extensions, instructions, multi_instance, operator, properties, script_ext

OUT = Path(__file__).resolve().parent.parent / "processes"
HANDLERS = "dept_staff,town_staff"


def message_throw(d, node_id, name, lane, col, payload):
    body = (f'<bpmn:messageEventDefinition id="{node_id}_def" messageRef="supervision_opened"><bpmn:extensionElements>'
            f"<spiffworkflow:messagePayload>{payload}</spiffworkflow:messagePayload></bpmn:extensionElements>"
            "</bpmn:messageEventDefinition>")
    d.message("supervision_opened")
    return d.add("intermediateThrowEvent", node_id, name, lane, col, body)


def service(d, node_id, name, lane, col, op, result_variable, **params):
    return d.add("serviceTask", node_id, name, lane, col, extensions(operator(op, result_variable, **params)))


def script(d, node_id, name, lane, col, code):
    from xml.sax.saxutils import escape

    return d.add("scriptTask", node_id, name, lane, col, f"<bpmn:script>{escape(code)}</bpmn:script>")


def user(d, node_id, name, lane, col, text=None, pre=None, post=None, **props):
    parts = [properties(**props)]
    if text:
        parts.append(instructions(text))
    if pre:
        parts.append(script_ext("preScript", pre))
    if post:
        parts.append(script_ext("postScript", post))
    return d.add("userTask", node_id, name, lane, col, extensions(*parts))


def call_response():
    d = Diagram("call_response", "呼叫—响应", [("lane_caller", "呼叫方（镇街、网格）"), ("lane_platform", "平台"),
                                           ("lane_departments", "响应单位（市直部门）")])
    d.add("startEvent", "start", "发现问题 呼叫", "lane_caller", 0, extensions(properties(form="call_form",
          role="grid,town_staff")))
    service(d, "open_call", "登记呼叫单", "lane_platform", 1, "calls.open", "call", item="item_code",
            location="location", description="description", urgency="urgency", extra="extra_departments",
            photos="photos")
    d.add("businessRuleTask", "deadlines", "确定响应、办理时限", "lane_platform", 2,
          extensions("<spiffworkflow:calledDecisionId>call_deadlines</spiffworkflow:calledDecisionId>"))
    service(d, "start_clock", "开始响应计时", "lane_platform", 3, "calls.start_clock", "clock",
            number='call["number"]', response_hours="response_hours", handle_days="handle_days")
    script(d, "prepare", "整理呼叫数据", "lane_platform", 4,
           'call_no = call["number"]\ncaller_org = call["caller_org"]\ndepartments = call["departments"]\n'
           'response_due = clock["response_due"]\nredo_count = 0')
    d.add("callActivity", "per_department", "各单位并行响应、办理", "lane_departments", 5,
          multi_instance("departments", "dept", "dept_outcomes", "dept_outcome", "per_department", d.declared), calledElement="department_response")
    script(d, "collect", "汇总办理单位", "lane_platform", 6,
           'handlers = sorted(set(o["handler"] for o in dept_outcomes if o["handled"]))')
    service(d, "to_confirm", "待确认", "lane_platform", 7, "calls.update", "status", number="call_no",
            status='"confirming"')
    user(d, "confirm", "确认并评价", "lane_caller", 8, form="confirm_form", role="grid,town_staff", org="caller_org",
         due="P2D", calendar="working", kpi="evaluate", title="确认办理结果：{{ call['title'] }}（{{ call_no }}）",
         text="请核实 **{{ call['title'] }}**（{{ call_no }}）的办理结果并评价。不满意可退回重办（最多两次）。")
    service(d, "rate_handlers", "记录满意度", "lane_platform", 9, "evaluations.record", "rated",
            kind='"satisfaction"', number="call_no", rater="caller_org", ratees="handlers", grade="grade",
            comment="comment")
    d.add("exclusiveGateway", "satisfied", "是否重办？", "lane_platform", 10, default="flow_satisfied_rate_call")
    service(d, "mark_redo", "退回重办", "lane_platform", 11, "calls.update", "redo_state", number="call_no",
            status='"redo"')
    script(d, "count_redo", "重办计数", "lane_platform", 12, 'redo_count = redo_state["redo_count"]\nredo_results = []')
    user(d, "redo", "重办", "lane_departments", 11, form="redo_form", role=HANDLERS, org="handler", kpi="handle",
         due="P2D", calendar="working", title="重办：{{ call['title'] }}（{{ call_no }}）")
    user(d, "rate_call", "评价呼叫", "lane_departments", 12, form="rate_call_form", role=HANDLERS, org="rater",
         kpi="mutual", title="评价呼叫：{{ call['title'] }}（{{ call_no }}）")
    service(d, "average", "记录呼叫评价", "lane_platform", 13, "evaluations.record_ratings", "rated_call",
            number="call_no", raters="handlers", ratee="caller_org", ratings="call_ratings")
    service(d, "close", "办结", "lane_platform", 14, "calls.update", "status", number="call_no", status='"closed"')
    d.add("endEvent", "end", "办结", "lane_caller", 15)
    for a, b in (("start", "open_call"), ("open_call", "deadlines"), ("deadlines", "start_clock"),
                 ("start_clock", "prepare"), ("prepare", "per_department"), ("per_department", "collect"),
                 ("collect", "to_confirm"), ("to_confirm", "confirm"), ("confirm", "rate_handlers"),
                 ("rate_handlers", "satisfied"), ("mark_redo", "count_redo"), ("count_redo", "redo"),
                 ("redo", "to_confirm"),
                 ("rate_call", "average"), ("average", "close"), ("close", "end")):
        d.flow(a, b)
    d.flow("satisfied", "mark_redo", "不满意且可重办", 'grade == "不满意" and redo_count < 2')
    d.flow("satisfied", "rate_call", "满意 / 基本满意")
    _fix_multi_instances(d, {"redo": ("handlers", "handler", "redo_results", "redo_result"),
                             "rate_call": ("handlers", "rater", "call_ratings", "call_rating")})
    return d


def _fix_multi_instances(d, spec):
    for node in d.nodes:
        if node.id in spec:
            node.body = node.body + multi_instance(*spec[node.id], node.id, d.declared)


def department_response():
    d = Diagram("department_response", "单位响应与办理", [("lane_unit", "响应单位"), ("lane_platform", "平台"),
                                                     ("lane_supervision", "督查机构")])
    d.add("startEvent", "start", "收到呼叫", "lane_unit", 0)
    user(d, "respond", "签收响应", "lane_unit", 1, form="respond_form", role=HANDLERS, org="dept", due="response_due",
         kpi="respond", title="签收响应：{{ call['title'] }}（{{ call_no }}）",
         text="呼叫 **{{ call_no }}**：{{ description }}\n\n地点：{{ location }}。请在时限内签收：接受并办理，或说明理由驳回。")
    d.boundary("no_response", "respond", "响应超时", "response_due", interrupting=False)
    service(d, "open_no_response", "督办：不响应", "lane_supervision", 1.5, "supervision.open", "case",
            target="dept", reason='"no_response"', summary='"呼叫 " + call_no + " 未在时限内响应"', number="call_no")
    message_throw(d, "notify_no_response", "通知督办", "lane_supervision", 2.5, "case")
    d.add("endEvent", "end_no_response", "已督办", "lane_supervision", 3.5)
    service(d, "record_response", "记录响应", "lane_platform", 2, "calls.respond", "response", number="call_no",
            org="dept", decision="decision", reason="reason", handle_days="handle_days")
    d.add("exclusiveGateway", "late", "迟响应？", "lane_platform", 3, default="flow_late_decided")
    service(d, "open_late", "督办：迟响应", "lane_supervision", 4, "supervision.open", "late_case", target="dept",
            reason='"late_response"', summary='"呼叫 " + call_no + " 响应超时"', number="call_no",
            late_hours='response["late_hours"]')
    message_throw(d, "notify_late", "通知督办", "lane_supervision", 5, "late_case")
    d.add("exclusiveGateway", "decided", "接受或驳回？", "lane_platform", 6, default="flow_decided_rfc")
    script(d, "accepted", "由本单位办理", "lane_platform", 7,
           'handler_org = dept\nhandle_due = response["handle_due"]')
    d.add("callActivity", "rfc", "驳回—转发—协调", "lane_supervision", 7, calledElement="reject_forward_coordinate")
    script(d, "after_rfc", "确定责任单位", "lane_platform", 8,
           'handler_org = rfc_result["responsible"]\nhandle_due = rfc_result["handle_due"]')
    d.add("exclusiveGateway", "has_handler", "需要办理？", "lane_platform", 9, default="flow_has_handler_outcome_released")
    user(d, "handle", "办理", "lane_unit", 10, form="handle_form", role=HANDLERS, org="handler_org", due="handle_due",
         kpi="handle", title="办理：{{ call['title'] }}（{{ call_no }}）",
         text="请在承诺时限内办理并报告结果。确需延期的，选择“申请延期”并说明理由，由督查机构审批。")
    d.boundary("inaction", "handle", "办理超时", "handle_due", interrupting=False)
    service(d, "open_inaction", "督办：响应不作为", "lane_supervision", 10.5, "supervision.open", "inaction_case",
            target="handler_org", reason='"inaction"', summary='"呼叫 " + call_no + " 未在承诺时限内办结"',
            number="call_no")
    message_throw(d, "notify_inaction", "通知督办", "lane_supervision", 11.5, "inaction_case")
    d.add("endEvent", "end_inaction", "已督办", "lane_supervision", 12.5)
    d.add("exclusiveGateway", "wants_time", "申请延期？", "lane_platform", 11, default="flow_wants_time_finish")
    service(d, "ask_extension", "延期申请", "lane_platform", 12, "calls.request_extension", "extension",
            number="call_no", org="handler_org", days="extension_days", reason="extension_reason")
    user(d, "approve_extension", "审批延期", "lane_supervision", 13, form="extension_form", role="supervisor",
         org='"ducha"', kpi="supervise", title="延期申请：{{ call_no }}（{{ handler_org }}，{{ extension_days }} 个工作日）",
         text="理由：{{ extension_reason }}")
    service(d, "decide_extension", "记录审批", "lane_platform", 14, "calls.decide_extension", "extension_decision",
            id='extension["id"]', approved='approve == "yes"')
    script(d, "new_due", "更新期限", "lane_platform", 15, 'handle_due = extension_decision["handle_due"]')
    service(d, "finish", "记录办结", "lane_platform", 16, "calls.handled", "done", number="call_no", org="handler_org",
            result="result")
    script(d, "outcome_done", "办理结果", "lane_platform", 17,
           'dept_outcome = {"org": dept, "handler": handler_org, "handled": True}')
    script(d, "outcome_released", "驳回成立", "lane_platform", 10,
           'dept_outcome = {"org": dept, "handler": None, "handled": False}')
    d.add("endEvent", "end", "完成", "lane_unit", 18)
    d.add("endEvent", "end_released", "无需办理", "lane_unit", 11.5)
    for a, b in (("start", "respond"), ("respond", "record_response"), ("record_response", "late"),
                 ("open_late", "notify_late"), ("notify_late", "decided"), ("accepted", "handle"),
                 ("rfc", "after_rfc"), ("after_rfc", "has_handler"), ("handle", "wants_time"),
                 ("ask_extension", "approve_extension"), ("approve_extension", "decide_extension"),
                 ("decide_extension", "new_due"), ("new_due", "handle"), ("finish", "outcome_done"),
                 ("outcome_done", "end"), ("no_response", "open_no_response"),
                 ("open_no_response", "notify_no_response"), ("notify_no_response", "end_no_response"),
                 ("inaction", "open_inaction"), ("open_inaction", "notify_inaction"),
                 ("notify_inaction", "end_inaction"), ("outcome_released", "end_released")):
        d.flow(a, b)
    d.flow("late", "open_late", "迟响应", 'response["supervise_late"]')
    d.flow("late", "decided", "按时")
    d.flow("decided", "accepted", "接受", 'decision == "accept"')
    d.flow("decided", "rfc", "驳回")
    d.flow("has_handler", "handle", "有责任单位", "handler_org is not None")
    d.flow("has_handler", "outcome_released", "驳回成立")
    d.flow("wants_time", "ask_extension", "申请延期", 'action == "extension"')
    d.flow("wants_time", "finish", "办结")
    return d


def reject_forward_coordinate():
    d = Diagram("reject_forward_coordinate", "驳回—转发—协调",
                [("lane_caller", "呼叫方"), ("lane_supervision", "监督检查账号"), ("lane_office", "市委编办"),
                 ("lane_platform", "平台")])
    d.add("startEvent", "start", "被驳回", "lane_caller", 0)
    user(d, "decide", "处理驳回", "lane_caller", 1, form="rejection_form", role="grid,town_staff", org="caller_org",
         due="P1D", calendar="working", kpi="dispute",
         title="处理驳回：{{ call['title'] }}（{{ call_no }}，{{ dept }}）",
         text="{{ dept }} 驳回了呼叫 {{ call_no }}，理由：{{ reason }}。\n\n接受驳回，或转发至市监督检查账号。")
    d.add("exclusiveGateway", "choice", "接受驳回？", "lane_caller", 2, default="flow_choice_forward")
    script(d, "accept", "驳回成立", "lane_platform", 3,
           'outcome = "accepted"\nresponsible_org = None\nbasis = "呼叫方接受驳回"')
    service(d, "forward", "转发至监督检查账号", "lane_supervision", 3, "calls.forward", "forwarded",
            number="call_no", org="dept")
    user(d, "negotiate", "协商", "lane_supervision", 4, form="negotiation_form", role="supervisor", org='"ducha"',
         kpi="dispute", title="组织协商：{{ call_no }}（{{ dept }} 与 {{ caller_org }}）",
         text="组织 {{ dept }} 与 {{ caller_org }} 协商。驳回理由：{{ reason }}",
         post='responsible_org = {"department": dept, "caller": caller_org}.get(responsible, other_org)')
    d.add("exclusiveGateway", "agreed", "协商一致？", "lane_supervision", 5, default="flow_agreed_coordinate")
    user(d, "filing", "备案审查", "lane_office", 6, form="filing_form", role="bianban", org='"bianban"', kpi="filing",
         title="备案审查：{{ call_no }} 协商意见", text="协商意见：{{ summary }}。责任单位：{{ responsible_org }}")
    d.add("exclusiveGateway", "filed", "予以备案？", "lane_office", 7, default="flow_filed_agreement")
    script(d, "agreement", "协商结论", "lane_platform", 8, 'outcome = "agreement"\nbasis = summary')
    user(d, "coordinate", "协调", "lane_office", 6.5 + 0.5, form="coordination_form", role="bianban",
         org='"bianban"', kpi="coordinate", title="协调：{{ call_no }}（{{ dept }} 与 {{ caller_org }}）",
         text="协商未达成一致。请依据清单事项或《中国共产党机构编制工作条例》确定责任单位。",
         post='responsible_org = {"department": dept, "caller": caller_org}.get(responsible, other_org)')
    d.add("exclusiveGateway", "amend", "调整清单？", "lane_office", 8, default="flow_amend_coordinated")
    service(d, "propose", "提出清单调整", "lane_office", 9, "lists.propose_amendment", "proposal",
            item='call["item_code"]', note="amendment_note")
    script(d, "coordinated", "协调结论", "lane_platform", 10, 'outcome = "coordination"\nbasis = basis_note')
    service(d, "record", "记录结论，开始办理计时", "lane_platform", 11, "calls.rejection", "decision", number="call_no",
            org="dept", outcome="outcome", responsible="responsible_org", handle_days="handle_days", basis="basis")
    d.add("exclusiveGateway", "supervise", "需督办？", "lane_platform", 12, default="flow_supervise_result")
    service(d, "open_case", "督办责任单位", "lane_supervision", 13, "supervision.open", "forward_case",
            target="responsible_org", reason='"forwarded"', summary='"呼叫 " + call_no + " 驳回争议已定，由责任单位办理"',
            number="call_no")
    message_throw(d, "notify_case", "通知督办", "lane_supervision", 14, "forward_case")
    script(d, "result", "返回结论", "lane_platform", 15,
           'rfc_result = {"responsible": responsible_org, "outcome": outcome, "handle_due": decision["handle_due"]}')
    d.add("endEvent", "end", "结论", "lane_platform", 16)
    for a, b in (("start", "decide"), ("decide", "choice"), ("accept", "record"), ("forward", "negotiate"),
                 ("negotiate", "agreed"), ("filing", "filed"), ("agreement", "record"), ("coordinate", "amend"),
                 ("propose", "coordinated"), ("coordinated", "record"), ("record", "supervise"),
                 ("open_case", "notify_case"), ("notify_case", "result"), ("result", "end")):
        d.flow(a, b)
    d.flow("choice", "accept", "接受", 'choice == "accept"')
    d.flow("choice", "forward", "转发")
    d.flow("agreed", "filing", "一致", 'agreed == "yes"')
    d.flow("agreed", "coordinate", "不一致")
    d.flow("filed", "negotiate", "退回", 'filing_decision == "returned"')
    d.flow("filed", "agreement", "备案")
    d.flow("amend", "propose", "调整清单", "amend_list")
    d.flow("amend", "coordinated", "不调整")
    d.flow("supervise", "open_case", "有责任单位", "responsible_org is not None")
    d.flow("supervise", "result", "驳回成立")
    return d


def admission_approval():
    d = Diagram("admission_approval", "准入审批", [("lane_dept", "申请部门"), ("lane_office", "市委编办"),
                                               ("lane_towns", "镇街"), ("lane_leaders", "市委市政府"),
                                               ("lane_platform", "平台")])
    d.add("startEvent", "start", "提出准入申请", "lane_dept", 0, extensions(properties(form="admission_form",
          role="dept_staff")))
    user(d, "leader_review", "部门负责人审核", "lane_dept", 1, form="approve_return_form", role="dept_leader",
         kpi="review", title="准入申请审核：{{ duty_title }}", text="申请将“{{ duty_title }}”交由镇街承担。理由：{{ reason }}")
    d.add("exclusiveGateway", "leader_ok", "同意？", "lane_dept", 2, default="flow_leader_ok_formal_review")
    user(d, "revise", "修改申请", "lane_dept", 2.5, form="admission_form", role="dept_staff", kpi="revise",
         title="修改准入申请：{{ duty_title }}", text="审核意见：{{ comment }}")
    user(d, "formal_review", "形式审查", "lane_office", 3, form="formal_review_form", role="bianban", org='"bianban"',
         kpi="review", title="形式审查：{{ duty_title }}（{{ initiator_org }}）",
         text="依据：{{ legal_basis }}\n\n保障措施：经费 {{ funds }} 万元，人员 {{ staff }} 名；培训：{{ training }}；装备：{{ equipment }}")
    d.add("exclusiveGateway", "formal_ok", "审查结论", "lane_office", 4, default="flow_formal_ok_consult_due")
    script(d, "consult_due", "确定征求意见期限", "lane_platform", 5, "opinion_due = working_days_from_now(5)")
    d.add("callActivity", "consult", "征求镇街书面意见", "lane_towns", 6,
          multi_instance("target_towns", "town", "opinions", "opinion", "consult"), calledElement="town_opinion")
    script(d, "count", "统计意见", "lane_platform", 7,
           'disagree_count = len([o for o in opinions if not o["missing"] and o["agree"] == "disagree"])\n'
           'missing_count = len([o for o in opinions if o["missing"]])\ntown_count = len(opinions)')
    d.add("businessRuleTask", "escalation", "是否报领导审批", "lane_platform", 8,
          extensions("<spiffworkflow:calledDecisionId>admission_escalation</spiffworkflow:calledDecisionId>"))
    user(d, "office_review", "编办审核", "lane_office", 9, form="approve_reject_form", role="bianban", org='"bianban"',
         kpi="review", title="准入审核：{{ duty_title }}",
         text="{{ town_count }} 个镇街：{{ disagree_count }} 个不同意，{{ missing_count }} 个未按期反馈。")
    d.add("exclusiveGateway", "office_ok", "通过？", "lane_office", 10, default="flow_office_ok_notify_rejected")
    d.add("exclusiveGateway", "needs_leader", "报领导？", "lane_platform", 11, default="flow_needs_leader_publish")
    user(d, "leader_approval", "领导审批", "lane_leaders", 12, form="approve_reject_form", role="leader", org='"gov"',
         kpi="approve", title="准入审批：{{ duty_title }}",
         text="{{ disagree_count }} 个镇街不同意，{{ missing_count }} 个未反馈。编办意见：{{ comment }}")
    d.add("exclusiveGateway", "leader_ok2", "批准？", "lane_leaders", 13, default="flow_leader_ok2_notify_rejected")
    service(d, "publish", "纳入清单", "lane_platform", 14, "lists.publish", "published", kind="list_kind",
            title="duty_title", category='"准入事项"', lead="initiator_org", cooperating="target_towns",
            legal_basis="legal_basis", lead_duties="reason", cooperating_duties="duty_title",
            response_hours="response_hours", handle_days="handle_days", effective_from="effective_from",
            towns_lead='target_towns if list_kind == "power" else None')
    service(d, "notify_done", "通知相关单位", "lane_platform", 15, "notify", "notified",
            org="[initiator_org] + target_towns", text='"准入事项已纳入清单：" + duty_title')
    d.add("endEvent", "end", "已准入", "lane_platform", 16)
    service(d, "notify_rejected", "通知申请部门", "lane_platform", 14.5 - 3, "notify", "notified_rejection",
            org="initiator_org", text='"准入申请未通过：" + duty_title')
    d.add("endEvent", "rejected", "未准入", "lane_dept", 12.5)
    for a, b in (("start", "leader_review"), ("leader_review", "leader_ok"), ("revise", "leader_review"),
                 ("formal_review", "formal_ok"), ("consult_due", "consult"), ("consult", "count"),
                 ("count", "escalation"), ("escalation", "office_review"), ("office_review", "office_ok"),
                 ("leader_approval", "leader_ok2"), ("publish", "notify_done"), ("notify_done", "end"),
                 ("notify_rejected", "rejected")):
        d.flow(a, b)
    d.flow("leader_ok", "revise", "退回", 'decision == "return"')
    d.flow("leader_ok", "formal_review", "同意")
    d.flow("formal_ok", "revise", "退回修改", 'decision == "return"')
    d.flow("formal_ok", "notify_rejected", "不予受理", 'decision == "reject"')
    d.flow("formal_ok", "consult_due", "受理")
    d.flow("office_ok", "needs_leader", "通过", 'decision == "approve"')
    d.flow("office_ok", "notify_rejected", "不通过")
    d.flow("needs_leader", "leader_approval", "需领导审批", "escalate or disagree_count > 0")
    d.flow("needs_leader", "publish", "编办决定")
    d.flow("leader_ok2", "publish", "批准", 'decision == "approve"')
    d.flow("leader_ok2", "notify_rejected", "不批准")
    return d


def town_opinion():
    d = Diagram("town_opinion", "镇街书面意见", [("lane_town", "镇街"), ("lane_platform", "平台")])
    d.add("startEvent", "start", "征求意见", "lane_town", 0)
    user(d, "give_opinion", "书面意见", "lane_town", 1, form="opinion_form", role="town_leader", org="town",
         due="opinion_due", kpi="consult", title="准入征求意见：{{ duty_title }}（{{ initiator_org }}）",
         text="{{ initiator_org }} 申请将“{{ duty_title }}”交由镇街承担。\n\n依据：{{ legal_basis }}；理由：{{ reason }}。"
              "\n\n保障措施：经费 {{ funds }} 万元，人员 {{ staff }} 名。请在期限内书面反馈意见。")
    d.boundary("overdue", "give_opinion", "逾期未反馈", "opinion_due", interrupting=True)
    script(d, "given", "记录意见", "lane_platform", 2,
           'opinion = {"town": town, "missing": False, "agree": agree, "text": opinion_text}')
    script(d, "missing", "记为未反馈", "lane_platform", 1.5 + 0.5 + 1,
           'opinion = {"town": town, "missing": True, "agree": None, "text": ""}')
    service(d, "tell_office", "告知编办", "lane_platform", 4, "notify", "told", org='"bianban"',
            text='town + " 未在期限内反馈对“" + duty_title + "”的意见"')
    d.add("endEvent", "end", "已反馈", "lane_town", 3)
    d.add("endEvent", "end_missing", "未反馈", "lane_platform", 5)
    for a, b in (("start", "give_opinion"), ("give_opinion", "given"), ("given", "end"), ("overdue", "missing"),
                 ("missing", "tell_office"), ("tell_office", "end_missing")):
        d.flow(a, b)
    return d


def assigned_matter():
    d = Diagram("assigned_matter", "交办事项", [("lane_proposer", "提出单位"), ("lane_office", "市委编办"),
                                            ("lane_leaders", "市委市政府"), ("lane_platform", "平台")])
    d.add("startEvent", "start", "提出交办事项", "lane_proposer", 0, extensions(properties(form="assigned_form",
          role="dept_staff,bianban,leader")))
    user(d, "office_review", "编办审核", "lane_office", 1, form="approve_reject_form", role="bianban", org='"bianban"',
         kpi="review", title="交办事项审核：{{ title }}", text="{{ description }}（截止 {{ end_date }}）")
    d.add("exclusiveGateway", "office_ok", "通过？", "lane_office", 2, default="flow_office_ok_notify_rejected")
    user(d, "leader_approval", "领导审批", "lane_leaders", 3, form="approve_reject_form", role="leader", org='"gov"',
         kpi="approve", title="交办事项审批：{{ title }}", text="{{ description }}（截止 {{ end_date }}）")
    d.add("exclusiveGateway", "leader_ok", "批准？", "lane_leaders", 4, default="flow_leader_ok_notify_rejected")
    service(d, "publish", "列入交办事项栏目", "lane_platform", 5, "lists.publish", "published", kind='"assigned"',
            title="title", category="category", lead="lead_org", cooperating="cooperating_orgs",
            legal_basis="basis", lead_duties="description", response_hours="response_hours",
            handle_days="handle_days", effective_to="end_date")
    script(d, "retire_time", "计算到期时间", "lane_platform", 6, 'retire_at = end_date + "T23:59:59+08:00"')
    d.add("intermediateCatchEvent", "until_end", "到期", "lane_platform", 7,
          '<bpmn:timerEventDefinition id="until_end_def"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">retire_at'
          "</bpmn:timeDate></bpmn:timerEventDefinition>")
    service(d, "retire", "废止交办事项", "lane_platform", 8, "lists.retire", "retired", codes='published["codes"]',
            reason='"交办事项到期"')
    d.add("endEvent", "end", "已到期", "lane_platform", 9)
    service(d, "notify_rejected", "通知提出单位", "lane_platform", 4.5 + 0.5, "notify", "told",
            org="initiator_org", text='"交办事项未获批准：" + title')
    d.add("endEvent", "rejected", "未批准", "lane_proposer", 6)
    for a, b in (("start", "office_review"), ("office_review", "office_ok"), ("leader_approval", "leader_ok"),
                 ("publish", "retire_time"), ("retire_time", "until_end"), ("until_end", "retire"),
                 ("retire", "end"), ("notify_rejected", "rejected")):
        d.flow(a, b)
    d.flow("office_ok", "leader_approval", "通过", 'decision == "approve"')
    d.flow("office_ok", "notify_rejected", "不通过")
    d.flow("leader_ok", "publish", "批准", 'decision == "approve"')
    d.flow("leader_ok", "notify_rejected", "不批准")
    return d


def supervision_case():
    d = Diagram("supervision_case", "督办", [("lane_supervision", "督查机构"), ("lane_target", "被督办单位"),
                                          ("lane_platform", "平台")])
    body = ('<bpmn:messageEventDefinition id="start_def" messageRef="supervision_opened"><bpmn:extensionElements>'
            "<spiffworkflow:messageVariable>case</spiffworkflow:messageVariable></bpmn:extensionElements>"
            "</bpmn:messageEventDefinition>")
    d.message("supervision_opened")
    d.add("startEvent", "start", "开启督办", "lane_supervision", 0, body)
    script(d, "unpack", "读取督办信息", "lane_platform", 1,
           'case_no = case["number"]\ntarget = case["target_org"]\nreason = case["reason"]\n'
           'lateness_hours = case["lateness_hours"]\nsummary = case["summary"]')
    d.add("businessRuleTask", "grade_case", "确定督办等级", "lane_platform", 2,
          extensions("<spiffworkflow:calledDecisionId>supervision_grade</spiffworkflow:calledDecisionId>"))
    service(d, "store_grade", "记录等级", "lane_platform", 3, "supervision.update", "graded", number="case_no",
            grade="grade")
    user(d, "rectify", "整改", "lane_target", 4, form="rectify_form", role="dept_staff,town_staff", org="target",
         due="P3D", calendar="working", kpi="rectify", title="督办整改：{{ case_no }}（{{ summary }}）",
         text="督办等级：{{ grade }}。请说明整改措施和结果。")
    service(d, "to_verify", "待核实", "lane_platform", 5, "supervision.update", "verifying", number="case_no",
            status='"verifying"')
    user(d, "verify", "核实", "lane_supervision", 6, form="verify_form", role="supervisor", org='"ducha"',
         kpi="supervise", title="核实整改：{{ case_no }}", text="整改措施：{{ measures }}\n\n结果：{{ result }}")
    d.add("exclusiveGateway", "verified", "整改到位？", "lane_supervision", 7, default="flow_verified_close")
    service(d, "close", "办结督办", "lane_platform", 8, "supervision.update", "closed", number="case_no",
            status='"closed"')
    d.add("endEvent", "end", "办结", "lane_supervision", 9)
    for a, b in (("start", "unpack"), ("unpack", "grade_case"), ("grade_case", "store_grade"),
                 ("store_grade", "rectify"), ("rectify", "to_verify"), ("to_verify", "verify"),
                 ("verify", "verified"), ("close", "end")):
        d.flow(a, b)
    d.flow("verified", "rectify", "退回整改", 'verify_decision == "back"')
    d.flow("verified", "close", "办结")
    return d


if __name__ == "__main__":
    for build in (call_response, department_response, reject_forward_coordinate, admission_approval,
                  town_opinion, assigned_matter, supervision_case):
        diagram = build()
        (OUT / f"{diagram.process_id}.bpmn").write_text(diagram.xml(), encoding="utf-8")
        print("wrote", diagram.process_id)
