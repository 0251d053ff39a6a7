"""The operator's overview (/admin, GET /api/console/overview): instances by status, errors with their message,
timers due and late (late by more than a minute is a fault), overdue tasks by organisation, the last deploys and the
audit record's last checkpoint; read by the read-all roles, refused to everyone else."""

import re
from datetime import timedelta

from app.db import utcnow
from app.domain.audit import write_checkpoint
from app.workflow.models import ProcessInstance
from app.workflow.overview import overview
from tests.admin.test_instance_list import NOW, add_instance
from tests.conftest import login
from tests.web.test_pages import page


def make_world(session, deployment, now=None):
    """Timers late by 5 minutes and due by 20 s at `now` (the page reads the clock: by default, the moment of the
    call, so a slow run never turns the 20 s into a minute)."""
    now = now or utcnow()
    late, soon = now - timedelta(days=2), now + timedelta(days=2)
    ids = {
        "error": add_instance(session, deployment, status="error", key="HJ-ERR",
                              error={"task": "计算", "bpmn_id": "divide", "line": 3, "message": "除数为零"}),
        "late_timer": add_instance(session, deployment, key="HJ-LATE"),
        "due_timer": add_instance(session, deployment),
        "overdue": add_instance(session, deployment, tasks=[("open", late, ["nongye"]), ("open", late, ["nongye"]),
                                                            ("open", late, ["gongan"]), ("open", soon, ["qinlan"])]),
        "done": add_instance(session, deployment, status="completed"),
    }
    session.get(ProcessInstance, ids["late_timer"]).next_timer_due = now - timedelta(minutes=5)
    session.get(ProcessInstance, ids["due_timer"]).next_timer_due = now - timedelta(seconds=20)
    session.commit()
    return ids


def test_the_overview_counts_what_needs_a_look(session, deploy):
    ids = make_world(session, deploy("constructs"), now=NOW)
    view = overview(session, now=NOW)
    assert view["counts"] == {"running": 1, "waiting": 2, "suspended": 0, "error": 1, "completed": 1,
                              "terminated": 0}
    assert [e["id"] for e in view["errors"]] == [ids["error"]] and view["errors"][0]["error"]["message"] == "除数为零"
    assert (view["timers"]["due"], view["timers"]["late"]) == (2, 1), "a timer 20 s past due is due, not late"
    assert [t["id"] for t in view["timers"]["late_rows"]] == [ids["late_timer"]]
    assert view["overdue"] == [("nongye", 2), ("gongan", 1)]
    assert view["deploys"][0]["number"] == 1 and view["deploys"][0]["deployed_by"] == "系统管理员"
    assert view["audit"]["checkpoint"] is None


def test_the_page_shows_it_in_chinese_with_links(client, session, deploy):
    ids = make_world(session, deploy("constructs"))
    checkpoint = write_checkpoint(session)
    session.commit()
    login(client, "ducha")
    body = page(client, "/admin")
    assert "运维概览" in body and "除数为零" in body and "“计算”第 3 行" in body
    assert f'href="/admin/instances/{ids["error"]}"' in body and f'href="/admin/instances/{ids["late_timer"]}"' in body
    assert re.search(r'data-testid="late-timers">1<', body) and "定时器到期超过一分钟仍未触发" in body
    assert '<a href="/admin/instances?org=nongye&amp;overdue=1">市农业农村局</a>' in body
    assert "第 1 版" in body and "系统管理员 部署" in body
    assert f"最近的检查点：第 {checkpoint.id} 号" in body
    text = re.sub(r"<[^>]+>", " ", body)
    for code in ("running", "waiting", "error", "nongye", "divide"):
        assert not re.search(rf"\b{code}\b", text), code


def test_only_the_console_readers_see_it(client, api_as, session, deploy):
    make_world(session, deploy("constructs"))
    assert api_as("zhenjie").get("/api/console/overview").status_code == 403
    answer = api_as("renda").get("/api/console/overview").json
    assert answer["counts"]["error"] == 1 and answer["timers"]["late"] == 1
    login(client, "zhenjie")
    assert client.get("/admin").status_code == 403


def test_no_late_timer_no_error_says_so(client, deploy, session):
    deploy("constructs")
    login(client, "admin")
    body = page(client, "/admin")
    assert "没有出错的实例。" in body and "定时器按时触发。" in body and "没有超期任务。" in body
    assert "还没有检查点" in body


def test_the_last_verification_and_anchor_are_shown_as_the_commands_recorded_them(client, runner, session, tmp_path):
    login(client, "admin")
    body = page(client, "/admin")
    assert "还没有做过完整校验" in body and "还没有生成过锚点" in body
    anchor = tmp_path / "anchor.json"
    assert runner.invoke(args=["audit", "anchor", "--output", str(anchor)]).exit_code == 0
    verified = runner.invoke(args=["audit", "verify", "--anchor", str(anchor)])
    assert verified.exit_code == 0, verified.output
    body = page(client, "/admin")
    assert re.search(r'data-testid="audit-verified">最近一次完整校验：[\d-]+ [\d:]+，记录完整（\d+ 条记录', body)
    assert "并与" in body and "的锚点一致" in body
    assert re.search(r'data-testid="audit-anchor">最近的锚点：[\d-]+ [\d:]+ 生成', body)
