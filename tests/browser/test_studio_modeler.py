"""The designer studio in Chromium: the designer (sheji) changes a procedure in the modeler as a person does (palette,
context pad, replace menu, space tool, properties panel, dialogs), asks to publish it with a reason, 编办 (bianban)
approves it in 我的待办, and staff see the effect in their own pages. Shared steps: tests/browser/studio.py."""

import json
import re

import pytest

from tests.browser.studio import Designer, Person, approve, instance_of_call, make_space, new_form, shot, start_call

NOT_DEFAULT_NOR_CONDITION = "排他网关的这条出口既不是默认流，也没有条件"


@pytest.fixture
def config_overrides():
    return {"DEPLOY_APPROVAL": True}


# --- 7: errors block deploy ------------------------------------------------------------------------------------------

def add_a_branch_without_condition(sheji):
    """是否重办？ gets a third branch, to a new end event (its context pad): no condition, not the default.
    Returns (end event, flow) once the server's validation has marked the flow."""
    sheji.zoom("satisfied", 1.0)
    end = sheji.append("satisfied", "append.end-event")
    flow = sheji.flow_to(end)
    sheji.page.wait_for_function("""(id) => window.studioModeler.getProblems().some((p) => p.source === 'server'
        && p.severity === 'error' && p.elementId === id)""", arg=flow)
    return end, flow


def expect_the_wrong_grade(sheji):
    """In 场景测试, a scenario whose expectation is wrong (满意 expected as 不满意), run: 未通过 with the reason.
    Returns the right expectation."""
    editor = sheji.edit_scenario("accepted_and_closed")
    expected = json.loads(editor.locator("#sc-expect-data").input_value())
    assert expected["grade"] == "满意"
    editor.locator("#sc-expect-data").fill(json.dumps({**expected, "grade": "不满意"}, ensure_ascii=False))
    shot(sheji.page, "a3-scenario-editor")
    editor.get_by_role("button", name="保存场景").click()
    assert "1 个场景未通过" in sheji.run_tests()
    scenario = sheji.page.locator('li.scenario[data-scenario="accepted_and_closed"]')
    assert scenario.locator(".badge").inner_text() == "未通过"
    assert '数据 grade 应为 "不满意"，实际为 "满意"' in scenario.locator(".failures").inner_text()
    shot(sheji.page, "a3-scenario-fails")
    return expected


def test_errors_and_a_failing_scenario_block_deploy(browser_page, procedures):
    sheji = Designer(browser_page).open("call_response")
    page = sheji.page
    review = sheji.review()  # as published: nothing blocks
    assert review.locator('[data-testid="review-blocked"]').count() == 0 and review.locator("#submit-request").is_enabled()
    sheji.close_review()

    end, flow = add_a_branch_without_condition(sheji)
    # the server's message on the flow: a red marker and a badge naming it; our lint rule wants the branch named
    assert page.locator(f'.djs-element.tc-error[data-element-id="{flow}"]').count() == 1
    assert NOT_DEFAULT_NOR_CONDITION in page.locator(".tc-badge-error").first.get_attribute("title")
    lint = [p["message"] for p in sheji.problems() if p["source"] == "lint" and p["elementId"] == flow]
    assert any("这条分支没有名称" in m for m in lint), lint
    shot(page, "a1-branch-without-condition")
    # the 问题 list names it; a click on the row selects the flow
    row = page.locator(f'#problems .tc-problem[data-element-id="{flow}"][data-source="server"]')
    assert NOT_DEFAULT_NOR_CONDITION in row.inner_text()
    assert row.locator(".tc-problem-element").inner_text().startswith(f"顺序流（{flow}）")  # unnamed: its kind
    sheji.click("rate_handlers")
    row.click()
    assert sheji.selected() == [flow]

    review = sheji.review()
    assert "修正后才能发布" in review.locator('[data-testid="review-blocked"]').first.inner_text()
    assert NOT_DEFAULT_NOR_CONDITION in review.locator("ul.problems").inner_text()
    review.locator("#reason").fill("新增一条办结分支")
    assert review.locator("#submit-request").is_disabled()
    shot(page, "a2-review-refuses-errors")
    sheji.close_review()

    # the branch removed (the end event deleted from its context pad): no error left
    sheji.click(end).pad("delete")
    assert flow not in sheji.ids()
    sheji.wait_no_errors()

    expected = expect_the_wrong_grade(sheji)
    review = sheji.review()
    assert "1 个场景测试未通过" in review.locator('[data-testid="review-blocked"]').inner_text()
    assert review.locator('[data-testid="review-blocked"]').count() == 1  # the test only, no error
    assert review.locator("#submit-request").is_disabled()
    shot(page, "a4-review-refuses-failed-test")
    sheji.close_review()

    # the expectation put right: the same dialog lets the request go
    sheji.edit_scenario("accepted_and_closed").locator("#sc-expect-data").fill(json.dumps(expected, ensure_ascii=False))
    page.get_by_role("button", name="保存场景").click()
    review = sheji.review()
    assert review.locator('[data-testid="review-blocked"]').count() == 0 and review.locator("#submit-request").is_enabled()


# --- 8: rollback -------------------------------------------------------------------------------------------------------

def roll_back(sheji, browser_page, process_id, version, reason):
    """回退到此版本… on the versions page, with a reason; 编办 approves."""
    page = sheji.page
    page.goto(f"/design/processes/{process_id}/versions")
    page.locator(f'[data-testid="versions"] tr[data-version="{version}"]').get_by_role("button", name="回退到此版本…").click()
    dialog = page.locator("#rollback")
    assert f"第 {version} 版" in dialog.inner_text()
    dialog.locator("#rollback-reason").fill(reason)
    dialog.get_by_role("button", name="提交回退申请").click()
    page.locator("#message").get_by_text("已提交回退申请").wait_for(timeout=60_000)
    shot(page, "b2-rollback-asked")
    approve(browser_page, reason)


def accept_call(person, number):
    """签收响应 of one call, from 我的待办: 接受并办理."""
    person.page.goto("/")
    person.page.get_by_role("link", name=number).filter(has_text="签收响应").click()
    person.page.wait_for_function("() => window.__formReady === true")
    person.choose("接受并办理").submit()
    return [t for t in person.inbox_titles() if number in t]


def test_rollback_to_an_earlier_version(browser_page, procedures):
    sheji = Designer(browser_page).open("department_response")
    sheji.zoom("handle", 1.0).click("handle")
    sheji.group("平台设置")
    assert sheji.page.locator("#bio-properties-panel-tc-title").input_value() == "办理：{{ call['title'] }}（{{ call_no }}）"
    sheji.set_text("tc-title", "限期办理：{{ call['title'] }}（{{ call_no }}）")
    sheji.wait_saved()
    shot(sheji.page, "b1-title-changed")
    said = sheji.publish(browser_page, "办理待办的标题写明“限期”", diff_has=["限期办理"])
    assert "1 个建模规范错误" in said  # the shipped 接受或驳回？ both joins and splits: the lint rule's 错误 is no refusal
    assert sheji.published_version("department_response") == 2

    # a call on version 2: the department's 办理 task has the new title; the call stays open
    zhenjie, nongye = Person(browser_page, "zhenjie"), Person(browser_page, "nongye")
    first = start_call(zhenjie, "夜间有人电鱼（第 2 版）")
    assert any(t.startswith("限期办理：") for t in accept_call(nongye, first))

    sheji.page.goto("/design/processes/department_response/versions")
    latest = sheji.page.locator('[data-testid="versions"] tr[data-version="2"]').inner_text()
    assert "办理待办的标题写明“限期”" in latest and "吴编" in latest
    roll_back(sheji, browser_page, "department_response", 1, "“限期”二字引起误解，恢复原标题")
    sheji.page.goto("/design/processes/department_response/versions")
    assert sheji.page.locator('[data-testid="versions"] tbody tr').count() == 3
    assert "当前" in sheji.page.locator('[data-testid="versions"] tr[data-version="3"]').inner_text()
    shot(sheji.page, "b3-versions")

    # a new call runs version 3 (version 1's files): the old title; the open call keeps version 2, also for a task
    # that opens after the rollback
    second = start_call(zhenjie, "夜间有人电鱼（回退后）")
    assert any(t.startswith("办理：") for t in accept_call(nongye, second))
    assert any(t.startswith("限期办理：") for t in accept_call(Person(browser_page, "gongan"), first))
    assert instance_of_call(zhenjie.page, first)["process_version"] == 2
    assert instance_of_call(zhenjie.page, second)["process_version"] == 3


# --- 4: urgent calls also notify the town leader ----------------------------------------------------------------------

def draw_the_urgent_branch(sheji):
    """After 登记呼叫单: 是否紧急？ (紧急: urgency == "urgent" → 通知镇街负责人 → back; 一般: the default)."""
    sheji.zoom("open_call", 1.0)
    make_space(sheji, 375, 195, dx=260)  # the space tool: room right of 登记呼叫单
    make_space(sheji, 600, 290, dy=120)  # and a higher 平台 lane
    gateway = sheji.create("create.exclusive-gateway", *sheji.point("flow_open_call_deadlines"))  # splits the flow
    normal = sheji.flow_from(gateway)
    sheji.set_name("是否紧急？")
    notice = sheji.draw_task(600, 350, "replace-with-service-task", "通知镇街负责人")
    assert "发送站内通知给单位（可限定角色）" in sheji.group("平台设置").get_by_label("调用服务").inner_text()
    sheji.set_service("notify", "leader_notice", org="initiator_org", role='"town_leader"',
                      text='"紧急呼叫：" + location + "，" + description')
    shot(sheji.page, "c2-service-task")
    urgent = sheji.connect(gateway, notice)
    sheji.connect(notice, "deadlines")
    sheji.branch(urgent, "紧急", condition='urgency == "urgent"')
    sheji.branch(normal, "一般", default=True)


def test_urgent_calls_also_notify_the_town_leader(browser_page, procedures):
    sheji = Designer(browser_page).open("call_response")
    draw_the_urgent_branch(sheji)
    sheji.wait_no_errors().wait_saved()
    shot(sheji.page, "c3-drawn")
    xml = sheji.xml()
    assert 'urgency == "urgent"' in xml and 'serviceTaskOperator id="notify" resultVariable="leader_notice"' in xml
    sheji.publish(browser_page, "紧急呼叫同时通知呼叫镇街的负责人", diff_has=["是否紧急？", "通知镇街负责人"])
    assert sheji.published_version("call_response") == 2

    zhenjie = Person(browser_page, "zhenjie")
    start_call(zhenjie, "湖边有人钓鱼（一般）", urgency="一般")
    start_call(zhenjie, "夜间有人电鱼，正在作业", urgency="紧急")
    zhenzhang = Person(browser_page, "zhenzhang")
    zhenzhang.page.get_by_role("link", name="通知").click()
    notices = zhenzhang.page.locator("ul.tasks li").all_inner_texts()
    shot(zhenzhang.page, "c5-leader-notices")
    urgent = [n for n in notices if "紧急呼叫：" in n]
    assert len(urgent) == 1 and "高邮湖铜城段，夜间有人电鱼，正在作业" in urgent[0], notices
    assert not any("湖边有人钓鱼" in n for n in notices), notices


# --- 2: a step before the call is sent ---------------------------------------------------------------------------------

def draw_the_leaders_approval(sheji):
    """After 发现问题 呼叫: 网格员发起？ (网格员发起: "grid" in initiator_roles → 查找所在镇街 (orgs.parent) → 镇街负责人审核
    → 登记呼叫单; 镇街发起: the default). Returns the review task's id."""
    sheji.zoom("start", 1.0)
    make_space(sheji, 190, 120, dx=460)  # room between 发现问题 呼叫 and 登记呼叫单
    make_space(sheji, 600, 290, dy=120)  # and a higher 平台 lane
    gateway = sheji.create("create.exclusive-gateway", *sheji.spot(300, 225))  # on the flow to 登记呼叫单
    direct = sheji.flow_from(gateway)
    sheji.set_name("网格员发起？")
    lookup = sheji.draw_task(420, 350, "replace-with-service-task", "查找所在镇街")
    sheji.set_service("orgs.parent", "town", org="initiator_org")
    review = sheji.draw_task(560, 75, "replace-with-user-task", "镇街负责人审核")
    sheji.group("平台设置")
    sheji.check_role("tc-role", "镇街负责人")
    sheji.set_text("tc-org", "town")
    sheji.set_due(4, "H", working=True)
    sheji.set_text("tc-title", "审核网格员呼叫：{{ location }}")
    form = new_form(sheji, "镇街负责人审核意见", "leader_review_form")  # the form designer opens in a new tab
    form.add("多行文本", "审核意见", "leader_opinion", required=True).saved()
    shot(form.page, "d1-form-editor")
    form.page.close()
    to_lookup = sheji.connect(gateway, lookup)
    sheji.connect(lookup, review)
    sheji.connect(review, "open_call")
    sheji.branch(to_lookup, "网格员发起", condition='"grid" in initiator_roles')
    sheji.branch(direct, "镇街发起", default=True)
    return review


def leader_first_in_grid_scenarios(sheji, review):
    """The grid workers' scenarios fail now (their first open task is the leader's); each gets a first step."""
    assert "2 个场景未通过" in sheji.run_tests()
    failure = sheji.page.locator('li.scenario[data-scenario="urgent_deadlines_from_the_table"] .failures').inner_text()
    assert f"当前待办：“镇街负责人审核”（{review}）" in failure, failure  # the open task, by its name and id
    for scenario in ("urgent_deadlines_from_the_table", "rejection_coordinated_by_the_office"):
        editor = sheji.edit_scenario(scenario)
        editor.get_by_role("button", name="添加：完成任务").click()
        steps = editor.locator("li.step")
        count = steps.count()
        steps.nth(count - 1).locator(".step-task").select_option(review)
        steps.nth(count - 1).locator(".step-role").select_option("town_leader")
        steps.nth(count - 1).locator(".step-data").fill('{"leader_opinion": "情况属实，同意发送"}')
        for index in range(count - 1, 0, -1):  # 上移 until it is the first step
            steps.nth(index).get_by_role("button", name="上移").click()
        assert steps.first.locator(".step-task").input_value() == review
        editor.get_by_role("button", name="保存场景").click()
    assert "全部 6 个场景通过" in sheji.run_tests()


def test_the_town_leader_approves_a_grid_workers_call_first(browser_page, procedures):
    sheji = Designer(browser_page).open("call_response")
    review = draw_the_leaders_approval(sheji)
    sheji.wait_no_errors()
    shot(sheji.page, "d2-drawn")
    xml = sheji.xml()
    assert '<spiffworkflow:property name="due" value="PT4H" />' in xml  # 4 hours, as chosen
    assert '<spiffworkflow:property name="calendar" value="working" />' in xml
    assert '<spiffworkflow:property name="form" value="leader_review_form" />' in xml
    leader_first_in_grid_scenarios(sheji, review)
    sheji.publish(browser_page, "网格员的呼叫先经镇街负责人审核再发送", diff_has=["镇街负责人审核"])

    wangge = Person(browser_page, "wangge")
    assert start_call(wangge, "有人在河道倾倒建筑垃圾") is None  # not registered yet: it waits for the leader
    nongye = Person(browser_page, "nongye")
    assert not [t for t in nongye.inbox_titles() if "签收响应" in t]
    zhenzhang = Person(browser_page, "zhenzhang").task("审核网格员呼叫：高邮湖铜城段")
    assert "期限" in zhenzhang.page.locator(".meta").first.inner_text()
    shot(zhenzhang.page, "d3-leader-task")
    zhenzhang.fill(**{"审核意见": "情况属实，同意发送"}).submit()
    assert len([t for t in nongye.inbox_titles() if "签收响应" in t]) == 1


# --- 6: a new procedure from an empty diagram --------------------------------------------------------------------------

def new_process(sheji, name, process_id):
    page = sheji.page
    page.goto("/design")
    page.get_by_text("新建流程", exact=True).click()
    page.get_by_label("流程名称").fill(name)
    page.get_by_label("流程编号（字母开头，字母、数字、下划线）").fill(process_id)
    page.get_by_label("起点").select_option(label="空白流程图")
    page.get_by_role("button", name="创建草稿并打开").first.click()
    page.wait_for_url(f"**/design/processes/{process_id}")
    page.wait_for_function("() => window.__studioReady === true")
    sheji.group("常规")


def draw_joint_enforcement(sheji):
    """发起 (start form, 镇街工作人员) → 各部门会签 (parallel, over `departments`, each `dept`) → 汇总 → 办结."""
    sheji.click("start").set_name("发起")
    sheji.group("平台设置")
    sheji.check_role("tc-start-roles", "镇街工作人员")
    start_form = new_form(sheji, "联合执法申请", "joint_start_form")
    start_form.add("文本框", "执法事项", "matter", required=True)
    start_form.add("多选框组", "参加部门", "departments", required=True,
                   options=[("市农业农村局", "nongye"), ("市公安局", "gongan")]).saved()
    shot(start_form.page, "e1-start-form")
    start_form.page.close()

    sign = sheji.append("start", "append.append-task")
    sheji.replace(sign, "replace-with-user-task").click(sign).set_name("各部门会签")
    sheji.replace(sign, "toggle-parallel-mi").click(sign)  # 并行多实例, from the replace menu's header
    sheji.page.wait_for_function("""(id) => window.studioModeler.getProblems().some((p) => p.source === 'server'
        && p.elementId === id && p.message.includes('多实例'))""", arg=sign)  # no collection yet: refused
    sheji.group("多实例")
    for field, name in (("collection", "departments"), ("element", "dept"), ("output-collection", "opinions"),
                        ("output-element", "opinion")):
        sheji.set_text(f"tc-mi-{field}", name)
    sheji.group("平台设置")
    sheji.check_role("tc-role", "部门工作人员")
    sheji.set_text("tc-org", "dept")
    sheji.set_due(2, "D", working=True)
    sheji.set_text("tc-title", "联合执法会签：{{ matter }}")
    sign_form = new_form(sheji, "会签意见", "joint_sign_form")
    sign_form.add("多行文本", "会签意见", "opinion", required=True).saved()
    sign_form.page.close()
    shot(sheji.page, "e2-multi-instance")

    # 汇总: no role, so the initiator's (docs/bpmn.md); the generic form; every department's opinion listed
    summary = sheji.append(sign, "append.append-task")
    sheji.replace(summary, "replace-with-user-task").click(summary).set_name("汇总")
    sheji.group("平台设置")
    sheji.set_text("tc-title", "联合执法汇总：{{ matter }}")
    sheji.set_text("tc-instructions", "各部门会签意见：\n\n{% for o in opinions %}- {{ o }}\n{% endfor %}")
    sheji.click(sheji.append(summary, "append.end-event")).set_name("办结")
    return sign


def test_a_new_procedure_from_an_empty_diagram(browser_page, procedures):
    sheji = Designer(browser_page)
    new_process(sheji, "联合执法", "joint_enforcement")
    assert [e["type"] for e in sheji.elements() if e["type"] != "bpmn:Process"] == ["bpmn:StartEvent"]
    sign = draw_joint_enforcement(sheji)
    sheji.wait_no_errors().wait_saved()
    shot(sheji.page, "e3-drawn")
    xml = sheji.xml()
    assert "<bpmn:loopDataInputRef>departments</bpmn:loopDataInputRef>" in xml
    assert '<bpmn:inputDataItem id="dept" name="dept" />' in xml

    review = sheji.review()
    assert "此流程还没有场景测试" in review.inner_text()
    assert review.locator(f'[data-testid="diff-new"] .djs-element[data-element-id="{sign}"]').count() == 1
    shot(sheji.page, "e4-review")
    sheji.close_review()
    sheji.publish(browser_page, "新增联合执法流程：镇街发起，各部门会签，发起人汇总",
                  diff_has=["新增流程“联合执法”", "新增表单“joint_start_form”，含 2 个字段"])
    assert sheji.published_version("joint_enforcement") == 2

    zhenjie = Person(browser_page, "zhenjie")
    zhenjie.page.goto("/start/joint_enforcement")  # (no menu entry leads to a new procedure: see the report)
    zhenjie.page.wait_for_function("() => window.__formReady === true")
    zhenjie.fill(**{"执法事项": "高邮湖非法捕捞联合整治"}).choose("市农业农村局", "市公安局")
    zhenjie.page.click("#submit")
    zhenjie.page.wait_for_url(re.compile(r":\d+/$"))
    for username, opinion in (("nongye", "渔政执法船两艘参加"), ("gongan", "派出所民警四人配合")):
        Person(browser_page, username).task("联合执法会签：高邮湖非法捕捞联合整治").fill(**{"会签意见": opinion}).submit()
    zhenjie.task("联合执法汇总：高邮湖非法捕捞联合整治")
    instructions = zhenjie.page.locator("main").inner_text()
    assert "渔政执法船两艘参加" in instructions and "派出所民警四人配合" in instructions
    shot(zhenjie.page, "e5-summary-task")
    zhenjie.page.locator("#form").get_by_text("我已阅读办理说明，并已完成此项工作").click()  # the generic form
    zhenjie.submit()
    statuses = zhenjie.page.evaluate("""async () => (await (await fetch('/api/instances?process_id=joint_enforcement',
        {headers: {Accept: 'application/json'}})).json()).map((i) => i.status)""")
    assert statuses == ["completed"], statuses
