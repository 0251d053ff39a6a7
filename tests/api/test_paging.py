"""Every list of the API pages one way (flask-smorest's pagination): `page` and `page_size` in the query, the rows
as the body, the totals in the X-Pagination header; a page beyond the bounds is refused with 422 in Chinese."""

from itertools import count

import pytest

from app.governance.calls import Call, CallParty
from app.governance.lists import get_item
from app.messages import msg
from tests.api.pagination import pagination, total
from tests.procedures.test_call_response import FISHING

NUMBERS = count(1)
PAGED = ["/api/tasks", "/api/instances", "/api/calls", "/api/audit/events", "/api/lists"]


def start_main_flows(api, count):
    return [api.post("/api/instances", {"process_id": "main_flow", "data": {"subject": f"事项{i}"}}).json["id"]
            for i in range(count)]


def test_pages_split_the_rows_and_the_header_counts_them_all(deploy, api_as):
    deploy("constructs")
    town = api_as("zhenjie")
    start_main_flows(town, 3)
    for url in ("/api/tasks", "/api/instances"):
        pages = [town.get(f"{url}?page_size=2&page={page}") for page in (1, 2, 3)]
        assert [len(page.json) for page in pages] == [2, 1, 0], url
        assert len({row["id"] for page in pages for row in page.json}) == 3, url
        assert [pagination(page) for page in pages[1:]] == [
            {"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 2, "previous_page": 1},
            {"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2}], url  # past the end: no rows, no page
    events = api_as("admin").get("/api/audit/events?action=instance.start&page_size=1")
    assert len(events.json) == 1 and total(events) == 3 and events.json[0]["action"] == "instance.start"


def add_call(session, caller_org, parties):
    """A call record made by `caller_org` with these parties (the call procedure makes them so; here only rows)."""
    version = get_item(session, "P-0001").current
    call = Call(number=f"HJ-T{next(NUMBERS)}", caller_org=caller_org, caller_user="test",
                item_code="P-0001", item_version_id=version.id, title=version.title, location="", description="")
    session.add(call)
    session.flush()
    session.add_all(CallParty(call_id=call.id, org_code=org, role="lead") for org in parties)
    session.commit()
    return call.number


def test_calls_page_once_over_those_an_organisation_made_and_those_it_is_party_to(session, api_as):
    """One query: an organisation that called once and is called twice sees three calls, two to a page."""
    made = add_call(session, "nongye", ["gongan"])
    called = [add_call(session, "tongcheng", ["nongye", "gongan"]) for _ in range(2)]
    add_call(session, "tongcheng", ["gongan"])
    department = api_as("nongye")
    first, second = (department.get(f"/api/calls?page_size=2&page={page}") for page in (1, 2))
    assert [c["number"] for c in first.json + second.json] == [*called[::-1], made]
    assert (len(first.json), total(first), pagination(second)["page"]) == (2, 3, 2)
    assert total(api_as("gongan").get("/api/calls")) == 4 and total(api_as("renda").get("/api/calls")) == 4
    assert [c["number"] for c in department.get("/api/calls?status=closed").json] == []


def test_the_call_procedure_lists_its_call_with_parties(procedures, api_as):
    number = api_as("zhenjie").post("/api/instances", {"process_id": "call_response", "data": FISHING}).json["business_key"]
    (listed,) = api_as("gongan").get("/api/calls").json
    assert listed["number"] == number and listed["status_label"] == "待响应"
    assert sorted(p["org_code"] for p in listed["parties"]) == ["gongan", "nongye"]


@pytest.mark.parametrize("url", PAGED)
def test_pages_stay_within_their_bounds(api_as, url):
    admin, largest = api_as("admin"), 500 if url in ("/api/audit/events", "/api/lists") else 200
    assert admin.get(f"{url}?page_size={largest}").status_code == 200
    refusals = {"page=0": ("page", msg("form.minimum", n=1)),
                f"page={10**6 + 1}": ("page", msg("form.maximum", n=10**6)),
                "page_size=0": ("page_size", f"{msg('form.minimum', n=1)}，{msg('form.maximum', n=largest)}"),
                f"page_size={largest + 1}": ("page_size", f"{msg('form.minimum', n=1)}，{msg('form.maximum', n=largest)}"),
                "page=abc": ("page", "应为整数")}
    for query, (field, message) in refusals.items():
        refused = admin.get(f"{url}?{query}")
        assert refused.status_code == 422 and refused.json["message"] == msg("validation.request"), (url, query)
        assert refused.json["errors"] == {"query": {field: [message]}}, (url, query)


def test_the_description_states_the_paging_of_every_list(client):
    spec = client.get("/api/openapi.json").json
    for url in PAGED:
        operation = spec["paths"][url]["get"]
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["page"]["maximum"] == 10**6 and parameters["page_size"]["minimum"] == 1, url
        assert "X-Pagination" in operation["responses"]["200"]["headers"], url
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array", url
