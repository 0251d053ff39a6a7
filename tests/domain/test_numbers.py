"""Call numbers from concurrent creators: each call gets its own number, consecutive within the day."""

import threading

from sqlalchemy import select

from app.governance.calls import Call

FISHING = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
           "extra_departments": [], "photos": []}
CREATORS = 6


def test_concurrent_callers_never_share_a_number(procedures, api_as, session):
    from app.domain.people import create_user

    for n in range(CREATORS):
        create_user(session, "admin", f"grid{n}", f"网格员{n}", "password1", "tongcheng_longgang", ["grid"],
                    "pbkdf2:sha256:1000")
    session.commit()
    clients = [api_as(f"grid{n}") for n in range(CREATORS)]
    barrier, results = threading.Barrier(CREATORS), []
    postgres = session.get_bind().dialect.name == "postgresql"

    def call(api):
        barrier.wait()
        for _ in range(1 if postgres else 20):  # SQLite has one writer: a busy start answers 409, and is sent again
            response = api.post("/api/instances", {"process_id": "call_response", "data": FISHING})
            if response.status_code != 409:
                break
        results.append(response)

    threads = [threading.Thread(target=call, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert [r.status_code for r in results] == [201] * CREATORS, [r.json for r in results if r.status_code != 201]
    assert [r.json["status"] for r in results] == ["running"] * CREATORS, [r.json.get("error") for r in results]
    session.expire_all()
    numbers = sorted(session.scalars(select(Call.number)))
    assert len(set(numbers)) == CREATORS
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, CREATORS + 1))
