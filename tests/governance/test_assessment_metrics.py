"""Each assessment figure against facts computed by hand; the period's edges; scores, ranks, exclusions, freezing."""

import pytest

from app.domain.actors import as_actor
from app.domain.calendars import WorkingCalendar
from app.errors import InvalidState, ValidationFailed
from app.governance import assessment_runs as runs
from app.governance.assessment_formulas import save_formula
from app.governance.assessment_metrics import behind, measure
from app.governance.assessment_periods import Period
from tests.governance.assessment_facts import ZONE, Facts, county

NOVEMBER = Period.month(2026, 11)
DECEMBER = Period.month(2026, 12)
AFTER = county(2026, 12, 20)


@pytest.fixture
def facts(session):
    return Facts(session)


@pytest.fixture
def bianban(user):
    return as_actor(user("bianban"))


def november(session, orgs=None):
    start, end = NOVEMBER.bounds(ZONE)
    return measure(session, start, end, orgs)


def values(figures, org):
    return {key: figure.value for key, figure in figures[org].items()}


def fishing_month(facts):
    """市农业农村局 and 市公安局 in November 2026, as the test's docstring table counts them."""
    a = facts.call(county(2026, 11, 2, 9))
    facts.party(a, "nongye", county(2026, 11, 2, 12), county(2026, 11, 2, 11), county(2026, 11, 9), county(2026, 11, 8))
    facts.party(a, "gongan", county(2026, 11, 2, 12), county(2026, 11, 2, 11), county(2026, 11, 9), county(2026, 11, 9, 9),
                role="cooperate")
    b = facts.call(county(2026, 11, 3, 9))
    facts.party(b, "nongye", county(2026, 11, 3, 12), county(2026, 11, 3, 15), county(2026, 11, 10), county(2026, 11, 12))
    c = facts.call(county(2026, 11, 4, 9), status="responding")
    facts.party(c, "nongye", county(2026, 11, 4, 12))
    d = facts.call(county(2026, 11, 5, 9), status="handling")
    facts.party(d, "nongye", county(2026, 11, 5, 12), county(2026, 11, 5, 10), county(2026, 11, 20))
    facts.rating(a, "nongye", 100, county(2026, 11, 10))
    facts.rating(a, "gongan", 100, county(2026, 11, 10))
    facts.rating(b, "nongye", 90, county(2026, 11, 13))
    facts.rating(d, "nongye", 0, county(2026, 11, 25))
    facts.quality(a, "nongye", "tongcheng", 5, 4, county(2026, 11, 10))
    instance_a, instance_b = facts.instance(a), facts.instance(b)
    facts.task(instance_a, "nongye", county(2026, 11, 2, 12), county(2026, 11, 2, 11), kpi="respond")
    facts.task(instance_a, "nongye", county(2026, 11, 9), county(2026, 11, 8))
    facts.task(instance_b, "nongye", county(2026, 11, 3, 12), county(2026, 11, 3, 15), kpi="respond")
    facts.task(instance_a, "tongcheng", county(2026, 11, 10, 17), county(2026, 11, 10, 11), kpi="evaluate")
    facts.case("nongye", "red", county(2026, 11, 15), b)
    facts.case("nongye", "yellow", county(2026, 11, 16), c)
    facts.urge(c, "nongye", county(2026, 11, 4, 15))
    facts.urge(c, "nongye", county(2026, 11, 5, 9))
    facts.extension(d, "nongye", county(2026, 11, 12))
    return a, b, c, d


def test_each_figure_of_a_month_as_counted_by_hand(session, facts):
    fishing_month(facts)
    figures = november(session)
    nongye = figures["nongye"]
    assert (nongye["sign_rate"].num, nongye["sign_rate"].den) == (2, 4)  # A and D answered in time; B late; C never
    assert (nongye["response_rate"].num, nongye["response_rate"].den) == (2, 3)  # A's two tasks; B's respond late
    assert (nongye["ontime_rate"].num, nongye["ontime_rate"].den) == (1, 3)  # A; B handled late; D not yet
    assert (nongye["resolve_rate"].num, nongye["resolve_rate"].den) == (2, 3)  # A and B handled and closed
    assert nongye["satisfaction_rate"].num == pytest.approx(1.9) and nongye["satisfaction_rate"].den == 3
    assert nongye["mutual_score"].value == pytest.approx(190 / 3)
    assert [nongye[k].num for k in ("case_red", "case_yellow", "case_blue", "urges", "extensions")] == [1, 1, 0, 2, 1]
    assert values(figures, "gongan")["response_rate"] is None  # no task of its own: no data, not zero
    assert values(figures, "gongan")["satisfaction_rate"] == 1
    assert figures["tongcheng"]["mutual_score"].value == 90  # (5 + 4) × 10 from 市农业农村局
    assert figures["tongcheng"]["response_rate"].value == 1
    assert figures["nongye"]["ratings_given"].num == 1 and figures["tongcheng"]["ratings_given"].num == 4


def test_a_month_without_calls_has_no_data_and_no_rank(session, bianban):
    run = runs.compute(session, bianban, NOVEMBER, ZONE, now=AFTER)
    groups = runs.results(session, run)
    assert len(groups["department"]) == 14 and len(groups["town"]) == 15
    row = groups["department"][0]
    assert row["score"] is None and row["rank"] is None
    assert row["figures"]["sign_rate"] == {"num": 0, "den": 0, "value": None}
    assert row["figures"]["urges"] == {"num": 0, "den": None, "value": 0}


def test_the_score_weighs_the_figures_scales_missing_ones_and_deducts(session, facts, bianban):
    fishing_month(facts)
    run = runs.compute(session, bianban, NOVEMBER, ZONE, now=AFTER)
    rows = {r["org_code"]: r for r in runs.results(session, run)["department"]}
    # 10 × 2/3 + 50 × 2/3 + 40 × 1.9/3 = 65.333…, less 2 (red card) and 1 (yellow card)
    assert rows["nongye"]["score"] == pytest.approx(65.3333 - 3, abs=1e-3) and rows["nongye"]["deductions"] == 3
    # 市公安局 has no task of its own: 50 × 1 + 40 × 1 scaled to the whole weight of 100
    assert rows["gongan"]["score"] == pytest.approx(100)
    assert (rows["gongan"]["rank"], rows["nongye"]["rank"]) == (1, 2)
    assert rows["gongan"]["red"] and rows["nongye"]["red"]  # two ranked, list size 3
    assert rows["shuili"]["rank"] is None
    towns = {r["org_code"]: r for r in runs.results(session, run)["town"]}
    assert towns["tongcheng"]["score"] == pytest.approx(100) and towns["tongcheng"]["rank"] == 1


def test_the_drill_down_lists_exactly_the_calls_a_figure_counts(session, facts):
    a, b, c, d = fishing_month(facts)
    start, end = NOVEMBER.bounds(ZONE)
    late, total = behind(session, "nongye", start, end, "sign_rate", "miss")
    assert total == 2 and {row["number"] for row in late} == {b.number, c.number}
    answered, total = behind(session, "nongye", start, end, "sign_rate", "num")
    assert total == 2 and {row["number"] for row in answered} == {a.number, d.number}
    urged, total = behind(session, "nongye", start, end, "urges")
    assert total == 2 and {row["number"] for row in urged} == {c.number}
    tasks, total = behind(session, "nongye", start, end, "response_rate", "miss")
    assert total == 1 and tasks[0]["number"] == b.number


def test_every_response_late(session, facts):
    for day in (2, 3, 4):
        call = facts.call(county(2026, 11, day, 9))
        facts.party(call, "shuili", county(2026, 11, day, 11), county(2026, 11, day, 16))
    figure = november(session, ["shuili"])["shuili"]["sign_rate"]
    assert (figure.num, figure.den, figure.value) == (0, 3, 0)


def test_a_call_spanning_two_months_counts_each_deadline_in_its_own_month(session, facts):
    call = facts.call(county(2026, 11, 28, 9), status="closed")
    facts.party(call, "shuili", county(2026, 11, 30, 23), county(2026, 11, 30, 22), county(2026, 12, 1, 1),
                county(2026, 12, 3))
    dec_start, dec_end = DECEMBER.bounds(ZONE)
    nov = november(session, ["shuili"])["shuili"]
    dec = measure(session, dec_start, dec_end, ["shuili"])["shuili"]
    assert (nov["sign_rate"].den, nov["ontime_rate"].den) == (1, 0)  # 23:00 on 30 November, county time
    assert (dec["sign_rate"].den, dec["ontime_rate"].den, dec["ontime_rate"].num) == (0, 1, 0)  # 01:00 on 1 December


def test_a_rejection_overturned_after_the_period_closed_leaves_the_published_month_alone(session, facts, bianban):
    call = facts.call(county(2026, 11, 20, 9), status="handling")
    party = facts.party(call, "shuili", county(2026, 11, 20, 12), county(2026, 11, 20, 10), rejected=True)
    published = runs.publish(session, bianban, runs.compute(session, bianban, NOVEMBER, ZONE, now=AFTER).id,
                             WorkingCalendar(), 5)
    assert _figure(session, published, "shuili", "overturned") == {"num": 0, "den": 1, "value": 0}
    party.rejection_overturned = True  # 编办's coordination decides in December: 市水利局 must handle it after all
    session.flush()
    assert november(session, ["shuili"])["shuili"]["overturned"].num == 1  # the rejection was made in November
    assert _figure(session, published, "shuili", "overturned")["num"] == 0  # frozen
    again = runs.compute(session, bianban, NOVEMBER, ZONE, now=AFTER)
    assert again.id != published.id and again.revision == 2 and again.status == "computed"
    assert _figure(session, again, "shuili", "overturned")["num"] == 1
    assert runs.shown_run(session, NOVEMBER.code, as_actor_user(session, "renda")).id == published.id
    with pytest.raises(ValidationFailed):
        runs.publish(session, bianban, again.id, WorkingCalendar(), 5)  # a republish needs a reason
    runs.publish(session, bianban, again.id, WorkingCalendar(), 5, reason="协调认定驳回不当")
    assert published.status == "superseded" and _figure(session, published, "shuili", "overturned")["num"] == 0
    with pytest.raises(InvalidState):
        runs.publish(session, bianban, published.id, WorkingCalendar(), 5, reason="再发一次")


def test_an_excluded_call_counts_no_more_for_that_organisation(session, facts, bianban):
    a, b, _c, _d = fishing_month(facts)
    runs.exclude_calls(session, bianban, "nongye", [b.id], "呼叫人填错了事项")
    nongye, gongan = november(session, ["nongye", "gongan"]).values()
    assert (nongye["sign_rate"].num, nongye["sign_rate"].den) == (2, 3)
    assert (nongye["response_rate"].num, nongye["response_rate"].den) == (2, 2)
    assert nongye["satisfaction_rate"].den == 2 and nongye["case_red"].num == 0
    assert gongan["satisfaction_rate"].den == 1  # the exclusion is 市农业农村局's alone


def test_new_facts_and_formulas_never_change_a_published_month(session, facts, bianban):
    a, *_ = fishing_month(facts)
    run = runs.publish(session, bianban, runs.compute(session, bianban, NOVEMBER, ZONE, now=AFTER).id,
                       WorkingCalendar(), 5)
    before = {r["org_code"]: (r["score"], r["rank"]) for r in runs.results(session, run)["department"]}
    facts.rating(a, "gongan", 0, county(2026, 11, 29))
    save_formula(session, bianban, {"weights": {"department": {"satisfaction_rate": 100}, "town": {"response_rate": 1}}},
                 "2026-11-01", "只看满意率")
    after = {r["org_code"]: (r["score"], r["rank"]) for r in runs.results(session, run)["department"]}
    assert after == before and run.formula_version == 1


def test_a_period_is_computed_with_the_version_in_force_on_its_first_day(session, facts, bianban):
    fishing_month(facts)
    version = save_formula(session, bianban, {"weights": {"department": {"sign_rate": 100},
                                                          "town": {"response_rate": 100}}}, "2026-12-01", "看签收")
    assert runs.compute(session, bianban, NOVEMBER, ZONE, now=AFTER).formula_version == 1
    assert runs.compute(session, bianban, DECEMBER, ZONE, now=AFTER).formula_version == version.version == 2


def _figure(session, run, org, key):
    rows = {r["org_code"]: r for group in runs.results(session, run).values() for r in group}
    return rows[org]["figures"][key]


def as_actor_user(session, username):
    from app.domain.people import get_user
    return get_user(session, username)


def test_a_preview_shows_how_the_ranks_would_move_and_changes_nothing(session, facts, bianban):
    fishing_month(facts)
    from app.governance.assessment_formulas import formula_versions, preview
    rows = {r["org_code"]: r for r in preview(session, {"weights": {"department": {"sign_rate": 100},
                                                                    "town": {"response_rate": 10}},
                                                        "deductions": {}}, NOVEMBER, ZONE)["department"]}
    assert (rows["gongan"]["old_rank"], rows["gongan"]["new_rank"]) == (1, 1)
    assert rows["nongye"]["old_score"] == pytest.approx(62.3333, abs=1e-3) and rows["nongye"]["new_score"] == 50
    assert len(formula_versions(session)) == 1


def test_a_formula_is_refused_field_by_field_in_chinese(session, bianban):
    with pytest.raises(ValidationFailed) as refused:
        save_formula(session, bianban, {"weights": {"department": {"urges": 5, "sign_rate": "多"}, "town": {}},
                                        "deductions": {"sign_rate": 1}, "list_size": 0}, "明天", "")
    errors = refused.value.errors
    assert errors["weights.department.urges"] == ["“催办”不能设置权重"]
    assert errors["weights.department.sign_rate"] == ["请填写数字"]
    assert errors["weights.town"] == ["镇街至少要有一项指标的权重大于 0"]
    assert errors["deductions.sign_rate"] and errors["list_size"] and errors["effective_from"] and errors["reason"]


def test_a_towns_villages_count_for_the_town_and_are_excluded_with_it(session, facts, bianban):
    call = facts.call(county(2026, 11, 2, 9), caller="tongcheng_gaoyouhu")
    instance = facts.instance(call)
    facts.task(instance, "tongcheng_gaoyouhu", county(2026, 11, 3, 17), county(2026, 11, 4), kpi="evaluate")
    facts.task(instance, "tongcheng", county(2026, 11, 3, 17), county(2026, 11, 3, 10), kpi="dispute")
    facts.quality(call, "nongye", "tongcheng_gaoyouhu", 4, 4, county(2026, 11, 5))
    town = november(session, ["tongcheng"])["tongcheng"]
    assert (town["response_rate"].num, town["response_rate"].den, town["mutual_score"].value) == (1, 2, 80)
    start, end = NOVEMBER.bounds(ZONE)
    assert behind(session, "tongcheng", start, end, "response_rate", "miss")[1] == 1
    runs.exclude_calls(session, bianban, "tongcheng", [call.id], "网格员误报")
    town = november(session, ["tongcheng"])["tongcheng"]
    assert (town["response_rate"].den, town["mutual_score"].den) == (0, 0)


def test_a_rectification_task_counts_for_the_call_its_case_supervises(session, facts, bianban):
    call = facts.call(county(2026, 11, 2, 9))
    case = facts.case("shuili", "blue", county(2026, 11, 3), call)
    case.instance_id = facts.instance().id
    from app.workflow.models import ProcessInstance
    instance = session.get(ProcessInstance, case.instance_id)
    facts.task(instance, "shuili", county(2026, 11, 6), county(2026, 11, 9), kpi="rectify")
    start, end = NOVEMBER.bounds(ZONE)
    rows, total = behind(session, "shuili", start, end, "response_rate", "miss")
    assert total == 1 and rows[0]["number"] == call.number
    runs.exclude_calls(session, bianban, "shuili", [call.id], "重复督办")
    assert november(session, ["shuili"])["shuili"]["response_rate"].den == 0


def test_a_period_not_yet_begun_cannot_be_computed(session, bianban):
    with pytest.raises(ValidationFailed) as refused:
        runs.compute(session, bianban, Period.month(2030, 1), ZONE, now=AFTER)
    assert refused.value.message == "这个考核期间还没有开始，不能计算"


def test_mid_month_a_deadline_ahead_counts_only_once_met(session, facts):
    early = facts.call(county(2026, 11, 10, 9))
    facts.party(early, "shuili", county(2026, 11, 20), county(2026, 11, 10, 11))  # answered ten days early
    waiting = facts.call(county(2026, 11, 10, 9))
    facts.party(waiting, "shuili", county(2026, 11, 20))  # still open, not yet due
    start, end = NOVEMBER.bounds(ZONE)
    mid = measure(session, start, end, ["shuili"], now=county(2026, 11, 15))["shuili"]["sign_rate"]
    after = measure(session, start, end, ["shuili"], now=county(2026, 11, 25))["shuili"]["sign_rate"]
    assert (mid.num, mid.den) == (1, 1) and (after.num, after.den) == (1, 2)
