"""The role × endpoint matrix: every endpoint checks role and organisation; congress reads, never writes."""

import pytest

from tests.conftest import bundle_files

USERS = ["anonymous", "wangge", "zhenzhang", "nongye", "nongyezhang", "gongan", "bianban", "sheji", "ducha",
         "renda", "lingdao", "zhenjie", "admin"]
READ_ALL = {"bianban", "ducha", "renda", "lingdao", "admin"}
SIGNED_IN = set(USERS) - {"anonymous"}


def expect(allowed, ok=200, denied=403):
    return {u: (401 if u == "anonymous" else ok if u in allowed else denied) for u in USERS}


MATRIX = {
    ("GET", "/api/processes"): expect(SIGNED_IN),
    ("POST", "/api/processes/validate"): expect({"sheji", "admin"}),
    ("POST", "/api/processes/deploy"): expect({"sheji", "admin"}, ok=201),
    ("GET", "/api/instances"): expect(SIGNED_IN),
    ("POST", "/api/instances"): expect(SIGNED_IN - {"renda"}, ok=201),
    ("GET", "/api/instances/{iid}"): expect(READ_ALL | {"zhenjie", "zhenzhang"}),
    ("POST", "/api/instances/{iid}/suspend"): expect({"admin"}),
    ("GET", "/api/tasks"): expect(SIGNED_IN),
    ("GET", "/api/tasks/{tid}"): expect(READ_ALL | {"zhenjie"}),
    ("POST", "/api/tasks/{tid}/claim"): expect({"zhenjie"}),
    ("GET", "/api/audit/events"): expect(READ_ALL),
    ("GET", "/api/audit/verify"): expect(READ_ALL),
    ("GET", "/api/orgs"): expect(SIGNED_IN),
    ("GET", "/api/users"): expect(SIGNED_IN),
    ("POST", "/api/users"): expect({"admin"}, ok=201),
    ("GET", "/api/users/me"): expect(SIGNED_IN),
    ("GET", "/api/lists"): expect(SIGNED_IN),
    ("GET", "/api/lists/P-0001/versions"): expect(SIGNED_IN),
    ("POST", "/api/lists/P-0001/revise"): expect({"bianban", "admin"}, ok=201),
    ("GET", "/api/calls"): expect(SIGNED_IN),
    ("GET", "/api/supervision"): expect(SIGNED_IN),
    ("GET", "/api/evaluations"): expect(SIGNED_IN),
}


def body_for(method, url, counter):
    if url.endswith(("/validate", "/deploy")):
        return {"files": {k: v.decode() for k, v in bundle_files("constructs").items()}}
    if url == "/api/instances":
        return {"process_id": "main_flow", "data": {"subject": "矩阵"}}
    if url.endswith("/revise"):
        return {"reason": f"矩阵测试 {counter}", "changes": {"handle_days": 3 + counter}}
    if url == "/api/users":
        return {"username": f"newuser{counter}", "display_name": "新", "password": "password1", "org": "nongye",
                "roles": ["dept_staff"]}
    return {}


@pytest.mark.parametrize("method,url", list(MATRIX), ids=[f"{m} {u}" for m, u in MATRIX])
def test_role_endpoint_matrix(app, deploy, api_as, method, url):
    deploy("constructs")
    starter = api_as("zhenjie")
    iid = starter.post("/api/instances", {"process_id": "main_flow", "data": {"subject": "矩阵"}}).json["id"]
    tid = starter.get("/api/tasks").json["items"][0]["id"]
    anonymous = app.test_client()
    results = {}
    for counter, username in enumerate(USERS):
        client = anonymous if username == "anonymous" else api_as(username)
        target = url.format(iid=iid, tid=tid)
        body = body_for(method, url, counter)
        response = client.get(target) if method == "GET" else client.post(target, json=body)
        results[username] = response.status_code
        if response.status_code >= 400:
            assert set(response.json) == {"code", "message", "errors"}, response.json
    assert results == MATRIX[(method, url)]
