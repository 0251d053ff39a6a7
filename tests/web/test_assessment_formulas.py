"""考核公式 over HTTP: 编办 edits the formula with a preview of the rankings; 人大 reads the versions; a department
neither reads nor edits them. A refused formula is shown field by field in Chinese and nothing is saved; a saved
one becomes the next version, and a period is computed with the version in force on its first day.

The world: last month (county time), 铜城镇 called twice on P-0001 with 市水利局 added, so 市农业农村局, 市公安局 and
市水利局 are parties of both calls. 市农业农村局 handled both (solved 2/2) but was rated 不满意 twice; 市公安局 never
handled either (0/2) and was rated 满意; 市水利局 handled one (1/2) and was rated 基本满意. Under the starting formula
(响应 10 / 解决 50 / 满意 40) 水利 leads, then 农业农村, then 公安; with 解决 10 and 满意 80 公安 leads and 农业农村 is last.
"""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.db import utcnow
from app.domain.actors import Actor
from app.domain.people import get_user
from app.governance import calls
from app.governance.assessment_models import AssessmentFormula
from app.governance.assessment_periods import last_complete_month
from app.governance.assessment_runs import compute, results
from app.governance.evaluations import Rating, record_evaluation
from tests.conftest import csrf_token, login

COUNTY = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor.system()
FIELDS = {"location": "高邮湖铜城段", "description": "湖边堆放的渔网和垃圾无人清理", "urgency": "normal"}
PARTIES = ("nongye", "gongan", "shuili")
GRADES = {"nongye": "不满意", "gongan": "满意", "shuili": "基本满意"}
OLD_ORDER = ["shuili", "nongye", "gongan"]  # 水利 (1/2, 基本满意) > 农业农村 (2/2, 不满意) > 公安 (0/2, 满意)
NEW_ORDER = ["gongan", "shuili", "nongye"]  # with 解决 10, 满意 80
LATIN = re.compile(r"[A-Za-z]{2,}")


def the_month():
    """The last complete month in county time: the preview's default."""
    return last_complete_month(utcnow().astimezone(COUNTY).date())


def at(month, day, hour=9):
    return datetime.combine(month.first + timedelta(days=day - 1), time(hour), COUNTY)


def played_month(session, month):
    """The two calls of the module's world, in `month`, committed."""
    clerk = Actor.of(get_user(session, "zhenjie"))
    for day, shuili_handles in ((3, True), (10, False)):
        moment = at(month, day)
        with freeze_time(moment):
            call = calls.open_call(session, clerk, "tongcheng", "P-0001", FIELDS, extra_orgs=["shuili"])
        for org in PARTIES:
            calls.set_response_due(session, SYSTEM, call, org, moment + timedelta(hours=2))
            calls.accept_call(session, SYSTEM, call, org, moment + timedelta(hours=1), moment + timedelta(days=5))
        calls.mark_handled(session, SYSTEM, call, "nongye", moment + timedelta(days=3), "已清理渔网")
        if shuili_handles:
            calls.mark_handled(session, SYSTEM, call, "shuili", moment + timedelta(days=4), "已清理岸线垃圾")
        with freeze_time(moment + timedelta(days=6)):
            calls.set_status(session, SYSTEM, call, "closed")
            for org, grade in GRADES.items():
                record_evaluation(session, clerk, "satisfaction", "tongcheng", org, Rating(grade=grade),
                                  call_id=call.id)
    session.commit()


def form_of(page):
    """{name: value} of the editor's inputs as the page filled them."""
    fields = dict(re.findall(r'<input type="text" inputmode="decimal" name="([^"]+)" id="[^"]+" value="([^"]*)"', page))
    return {**fields, "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}


def editor(client):
    response = client.get("/assessment/formulas/new")
    assert response.status_code == 200
    return form_of(response.get_data(as_text=True))


def department_ranks(session, run):
    return {row["org_code"]: row["rank"] for row in results(session, run)["department"] if row["org_code"] in PARTIES}


def versions(session):
    """How many versions people saved (the first is the county's starting formula, made when first asked for)."""
    return session.scalar(select(func.count()).select_from(AssessmentFormula).where(AssessmentFormula.version > 1))


@pytest.fixture
def month(session):
    month = the_month()
    played_month(session, month)
    return month


def test_congress_reads_every_version_but_cannot_edit(client, session):
    login(client, "renda")
    page = client.get("/assessment/formulas").get_data(as_text=True)
    assert "第 1 版" in page and "全市起步公式" in page and "最初的版本" in page
    assert "修改公式" not in page and "系统" in page, "the first version is the system's, named in Chinese"
    assert client.get("/assessment/formulas/new").status_code == 403
    token = csrf_token(client)
    assert client.post("/assessment/formulas/new", data={"csrf_token": token}).status_code == 403
    assert client.post("/assessment/formulas/preview", data={"csrf_token": token, "period": "2026-11"},
                       headers={"Accept": "application/json"}).status_code == 403
    assert versions(session) == 0


def test_a_department_neither_reads_nor_edits_the_formula(client, session):
    login(client, "nongye")
    assert client.get("/assessment/formulas").status_code == 403
    refused = client.get("/assessment/formulas/new")
    assert refused.status_code == 403 and "只有编办可以修改考核公式" in refused.get_data(as_text=True)
    token = csrf_token(client)
    answer = client.post("/assessment/formulas/preview", data={"csrf_token": token, "period": "2026-11"},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 403 and answer.json["message"] == "只有编办可以修改考核公式。"
    saved = client.post("/assessment/formulas/new", data={"csrf_token": token, "reason": "试图修改",
                                                          "effective_from": "2026-12-01"})
    assert saved.status_code == 403 and versions(session) == 0


def test_the_editor_starts_from_the_version_in_force(client):
    login(client, "bianban")
    response = client.get("/assessment/formulas/new")
    page = response.get_data(as_text=True)
    fields = form_of(page)
    assert fields["weights.department.response_rate"] == "10" and fields["weights.town.resolve_rate"] == "50"
    assert fields["weights.town.satisfaction_rate"] == "40" and fields["weights.department.sign_rate"] == "0"
    assert fields["deductions.case_red"] == "2" and fields["deductions.interviews"] == "3"
    assert fields["caps.deductions"] == "20" and fields["list_size"] == "3"
    assert "督办（红牌）" in page and "本期被督办且等级为红牌的次数" in page, "labels and definitions shown"
    assert "市直部门" in page and "镇街" in page
    assert 'id="formula-data"' in page and "<script>" not in page and "style=" not in page


def test_a_bad_weight_a_missing_reason_and_a_bad_date_are_refused_in_chinese(client, session):
    login(client, "bianban")
    fields = editor(client)
    fields.update({"weights.department.resolve_rate": "五十", "weights.town.satisfaction_rate": "-5",
                   "deductions.case_red": "200", "effective_from": "2026-13-01", "reason": "  "})
    response = client.post("/assessment/formulas/new", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = dict(re.findall(r'<p class="field-error" data-error-for="([^"]+)">([^<]+)</p>', page))
    assert errors == {"weights.department.resolve_rate": "请填写数字",
                      "weights.town.satisfaction_rate": "请填写 0 到 100 之间的数",
                      "deductions.case_red": "请填写 0 到 100 之间的数",
                      "effective_from": "请填写生效日期，如 2026-12-01", "reason": "请填写修改理由"}
    assert 'value="五十"' in page and 'value="-5"' in page and 'value="2026-13-01"' in page, "what was typed stays"
    assert "公式未保存" in page
    assert versions(session) == 0

    fields.update({"weights.department.resolve_rate": "0", "weights.department.satisfaction_rate": "0",
                   "weights.department.response_rate": "0", "weights.town.satisfaction_rate": "40",
                   "deductions.case_red": "2", "effective_from": "", "reason": "部门只看解决率"})
    page = client.post("/assessment/formulas/new", data=fields).get_data(as_text=True)
    errors = dict(re.findall(r'<p class="field-error" data-error-for="([^"]+)">([^<]+)</p>', page))
    assert errors == {"weights.department": "市直部门至少要有一项指标的权重大于 0",
                      "effective_from": "请填写生效日期，如 2026-12-01"}
    assert "部门只看解决率</textarea>" in page
    assert versions(session) == 0


def test_a_preview_of_a_bad_formula_or_month_is_refused_field_by_field(client, session):
    login(client, "bianban")
    fields = editor(client)
    fields.update({"weights.town.resolve_rate": "abc", "list_size": "0", "period": "2026-11"})
    answer = client.post("/assessment/formulas/preview", data=fields, headers={"Accept": "application/json"})
    assert answer.status_code == 422
    assert answer.json["errors"] == {"weights.town.resolve_rate": ["请填写数字"],
                                     "list_size": ["红黑榜人数须为 1 到 20 之间的整数"]}
    fields.update({"weights.town.resolve_rate": "50", "list_size": "3", "period": "2026年11月"})
    answer = client.post("/assessment/formulas/preview", data=fields, headers={"Accept": "application/json"})
    assert answer.status_code == 422 and list(answer.json["errors"]) == ["period"]
    assert "考核期间写法不对" in answer.json["errors"]["period"][0]
    assert versions(session) == 0


def test_the_preview_shows_old_and_new_ranks_as_a_recomputation_gives_them(client, session, month):
    before = compute(session, SYSTEM, month, COUNTY)
    session.commit()
    old_ranks = department_ranks(session, before)
    assert sorted(old_ranks, key=old_ranks.get) == OLD_ORDER
    login(client, "bianban")
    fields = editor(client)
    fields.update({"weights.department.resolve_rate": "10", "weights.department.satisfaction_rate": "80",
                   "period": month.code})
    answer = client.post("/assessment/formulas/preview", data=fields, headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.json["period"] == month.label and answer.json["version"] == 1
    rows = {row["name"]: row for row in answer.json["groups"]["department"]}
    names = {"nongye": "市农业农村局", "gongan": "市公安局", "shuili": "市水利局"}
    assert {org: rows[names[org]]["old_rank"] for org in PARTIES} == old_ranks
    new_ranks = {org: rows[names[org]]["new_rank"] for org in PARTIES}
    assert sorted(new_ranks, key=new_ranks.get) == NEW_ORDER
    assert rows["市公安局"]["old_score"] == "44.44" and rows["市公安局"]["new_score"] == "88.89"
    assert rows["市教育体育局"]["old_rank"] is None and rows["市教育体育局"]["new_score"] is None, "no data: unranked"
    assert [r["name"] for r in answer.json["groups"]["department"][:3]] == ["市公安局", "市水利局", "市农业农村局"]
    assert versions(session) == 0, "a preview saves nothing"

    fields.update({"effective_from": month.first.isoformat(), "reason": "群众满意是第一标准，提高满意率权重"})
    assert client.post("/assessment/formulas/new", data=fields).status_code == 302
    after = compute(session, SYSTEM, month, COUNTY, reason="公式第 2 版")
    session.commit()
    assert after.formula_version == 2 and department_ranks(session, after) == new_ranks


def test_saving_makes_the_next_version_used_from_its_effective_date(client, session, month):
    login(client, "bianban")
    fields = editor(client)
    fields.update({"weights.department.resolve_rate": "10", "weights.department.satisfaction_rate": "80",
                   "weights.town.sign_rate": "5", "deductions.case_red": "3", "caps.bonuses": "8",
                   "list_size": "5", "effective_from": month.first.isoformat(),
                   "reason": "群众满意是第一标准，提高满意率权重"})
    saved = client.post("/assessment/formulas/new", data=fields)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/assessment/formulas")
    formula = session.scalar(select(AssessmentFormula).where(AssessmentFormula.version == 2))
    assert formula.created_by == "bianban" and formula.reason == "群众满意是第一标准，提高满意率权重"
    assert formula.effective_from == month.first
    assert formula.spec["weights"]["department"] == {"response_rate": 10, "resolve_rate": 10, "satisfaction_rate": 80}
    assert formula.spec["weights"]["town"]["sign_rate"] == 5 and formula.spec["deductions"]["case_red"] == 3

    this_run = compute(session, SYSTEM, month, COUNTY)
    earlier_run = compute(session, SYSTEM, month.previous(), COUNTY)
    session.commit()
    assert this_run.formula_version == 2 and earlier_run.formula_version == 1

    response = client.get("/assessment/formulas")
    page = response.get_data(as_text=True)
    assert f"考核公式第 2 版已保存，自 {month.first.isoformat()} 起生效。" in page
    second = page[page.index('data-testid="version-2"'):page.index('data-testid="version-1"')]
    assert "吴编" in second and "群众满意是第一标准" in second and month.first.isoformat() in second
    assert "现行" in second
    changes = re.findall(r"<li>([^<]+)</li>", second)
    assert changes == ["市直部门权重 · 解决率：50 → 10", "市直部门权重 · 满意率：40 → 80",
                       "镇街权重 · 签收及时率：新计入，5", "扣分 · 每次督办（红牌）：2 → 3", "加分上限：5 → 8",
                       "红黑榜名额：3 → 5"]
    used = page[page.index('data-testid="months-used"'):page.index("</table>", page.index('data-testid="months-used"'))]
    assert f"{month.label}</td>\n        <td><a href=\"/assessment/formulas#v2\">第 2 版" in used
    assert f"{month.previous().label}</td>\n        <td><a href=\"/assessment/formulas#v1\">第 1 版" in used
    text = re.sub(r"<[^>]+>", " ", page[page.index("<main>"):page.index("</main>")])
    assert LATIN.findall(text) == [], "no code or English word on the page"


def test_a_version_saved_for_later_waits_and_the_editor_still_starts_from_the_one_in_force(client, session):
    login(client, "bianban")
    fields = editor(client)
    later = utcnow().astimezone(COUNTY).date().replace(day=1) + timedelta(days=400)
    fields.update({"weights.town.satisfaction_rate": "60", "weights.town.resolve_rate": "30",
                   "effective_from": later.isoformat(), "reason": "明年起镇街更看重群众满意"})
    assert client.post("/assessment/formulas/new", data=fields).status_code == 302
    page = client.get("/assessment/formulas/new").get_data(as_text=True)
    assert f"已保存的第 2 版将自 {later.isoformat()} 起生效" in page
    assert form_of(page)["weights.town.satisfaction_rate"] == "40", "the version in force is the starting point"
    listed = client.get("/assessment/formulas").get_data(as_text=True)
    second = listed[listed.index('data-testid="version-2"'):listed.index('data-testid="version-1"')]
    assert "待生效" in second and "现行" not in second and "现行" in listed[listed.index('data-testid="version-1"'):]
