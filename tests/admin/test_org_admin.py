"""The organisation tree through the API: create, rename, move, deactivate; cycles refused; every change audited."""

from sqlalchemy import select

from app.domain.audit import AuditEvent


def patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


def org_events(session, code):
    return [(e.action, e.actor, e.payload) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.stream == "orgs").order_by(AuditEvent.seq)) if e.payload["code"] == code]


def test_an_admin_creates_renames_moves_and_deactivates_a_village(api_as, session):
    admin = api_as("admin")
    created = admin.post("/api/orgs", {"code": "tongcheng_xinzhuang", "name": "新庄村", "kind": "village",
                                       "parent": "tongcheng"})
    assert created.status_code == 201, created.json
    assert created.json == {"code": "tongcheng_xinzhuang", "name": "新庄村", "kind": "village",
                            "parent": "tongcheng", "active": True}
    renamed = patch(admin, "/api/orgs/tongcheng_xinzhuang", {"name": "铜城镇新庄村"})
    assert renamed.json["name"] == "铜城镇新庄村"
    moved = patch(admin, "/api/orgs/tongcheng_xinzhuang", {"parent": "qinlan"})
    assert moved.json["parent"] == "qinlan"
    assert admin.post("/api/orgs/tongcheng_xinzhuang/deactivate").json["active"] is False
    assert "tongcheng_xinzhuang" not in {o["code"] for o in admin.get("/api/orgs?active=true").json}
    assert "tongcheng_xinzhuang" in {o["code"] for o in admin.get("/api/orgs").json}, "still named by history"
    assert admin.post("/api/orgs/tongcheng_xinzhuang/activate").json["active"] is True
    events = org_events(session, "tongcheng_xinzhuang")
    assert [a for a, _, _ in events] == ["org.create", "org.rename", "org.move", "org.deactivate", "org.activate"]
    assert {actor for _, actor, _ in events} == {"admin"}
    _, _, rename = events[1]
    assert (rename["before"]["name"], rename["after"]["name"]) == ("新庄村", "铜城镇新庄村")
    _, _, move = events[2]
    assert (move["before"]["parent"], move["after"]["parent"]) == ("tongcheng", "qinlan")


def test_an_organisation_cannot_move_under_itself_or_its_own_sub_unit(api_as):
    admin = api_as("admin")
    for parent in ("tongcheng", "tongcheng_longgang"):
        refused = patch(admin, "/api/orgs/tongcheng", {"parent": parent})
        assert refused.status_code == 422, refused.json
        assert "不能把“铜城镇”移到" in refused.json["message"]
    assert admin.get("/api/orgs/tongcheng").json["parent"] == "gov", "nothing moved"


def test_creation_is_checked_with_chinese_reasons(api_as):
    admin = api_as("admin")
    cases = [({"code": "Bad-Code", "name": "x", "kind": "village"}, "code"),
             ({"code": "tongcheng", "name": "重复", "kind": "town"}, "code"),
             ({"code": "nowhere_v", "name": "无上级", "kind": "village", "parent": "nowhere"}, "parent")]
    for body, field in cases:
        refused = admin.post("/api/orgs", body)
        assert refused.status_code in (409, 422), refused.json
        assert field in refused.json["errors"] or field in str(refused.json["errors"]), refused.json
        assert "单位" in refused.json["message"] or "编码" in refused.json["message"]


def test_an_organisation_still_holding_people_is_not_deactivated(api_as):
    admin = api_as("admin")
    refused = admin.post("/api/orgs/tongcheng_gaoyouhu/deactivate")
    assert refused.status_code == 409
    assert refused.json["message"] == "“铜城镇高邮湖社区”还有 1 名在用人员和 0 个在用下属单位，请先调出或停用"
    assert admin.post("/api/orgs/tongcheng/deactivate").status_code == 409, "its villages are still active"


def test_a_deactivated_organisation_takes_no_new_people_or_sub_units(api_as):
    admin = api_as("admin")
    assert admin.post("/api/orgs/datong_datong/deactivate").status_code == 200
    refused = admin.post("/api/users", {"username": "late1", "display_name": "迟到", "password": "password1",
                                        "org": "datong_datong", "roles": ["grid"]})
    assert refused.status_code == 422
    assert refused.json["errors"]["org"] == ["单位“大通镇大通社区”已停用"]
    child = admin.post("/api/orgs", {"code": "datong_x", "name": "下属", "kind": "village", "parent": "datong_datong"})
    assert child.status_code == 422


def test_only_the_admin_changes_the_tree(api_as):
    for username in ("bianban", "zhenjie", "ducha"):
        refused = api_as(username).post("/api/orgs", {"code": "nope_org", "name": "不行", "kind": "village",
                                                      "parent": "tongcheng"})
        assert refused.status_code == 403
        assert refused.json["message"] == "您无权执行此操作"
    assert api_as("renda").post("/api/orgs/tongcheng/deactivate").json["message"] == "只读角色不能修改数据"


def test_a_deactivated_town_is_given_no_more_work(api_as, session):
    from app.workflow.services import CallContext, registry

    admin = api_as("admin")
    admin.post("/api/orgs", {"code": "closing_town", "name": "撤并镇", "kind": "town"})
    context = CallContext(session, None, None)
    assert "closing_town" in registry.call(context, "orgs.towns", {})
    assert admin.post("/api/orgs/closing_town/deactivate").status_code == 200
    session.expire_all()
    assert "closing_town" not in registry.call(context, "orgs.towns", {})
    assert "tongcheng" in registry.call(context, "orgs.towns", {})
