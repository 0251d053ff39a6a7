"""Every write names a typed actor (a person, the system, a process), and the record keeps who it was."""

import pytest
from sqlalchemy import select

from app.domain.actors import Actor, as_actor
from app.domain.audit import AuditEvent
from app.governance.lists import ItemChange, revise_item


def test_a_person_the_system_and_a_process(user):
    bianban = user("bianban")
    person = Actor.of(bianban)
    assert (person.name, person.user_id, person.kind, person.org) == ("bianban", bianban.id, "user", "bianban")
    assert person.is_person and person.user is bianban
    assert (Actor.system().name, Actor.system().kind, Actor.system().is_person) == ("system", "system", False)
    assert (Actor.system("demo").name, Actor.process().name, Actor.process().kind) == ("demo", "system", "process")
    assert person == Actor("bianban", bianban.id, "user", "bianban"), "the user it stands for is not part of equality"


def test_one_conversion_for_what_older_callers_hold(user):
    person = Actor.of(user("nongye"))
    assert as_actor(person) is person
    assert as_actor(user("nongye")) == person
    assert as_actor("admin") == Actor.system("admin")
    assert as_actor(None) is None


@pytest.mark.parametrize("name, kind", [("", "user"), ("x", "robot")])
def test_an_actor_has_a_name_and_a_known_kind(name, kind):
    with pytest.raises(ValueError):
        Actor(name, kind=kind)


def test_the_record_names_the_actor_and_its_organisation(session, user):
    revise_item(session, Actor.of(user("bianban")), "P-0001", ItemChange({"handle_days": 4}, "人工调整"))
    revise_item(session, Actor.system("import"), "P-0001", ItemChange({"handle_days": 5}, "批量导入"))
    events = session.scalars(select(AuditEvent).where(AuditEvent.stream == "list:P-0001", AuditEvent.action == "list.version")
                             .order_by(AuditEvent.seq)).all()
    assert [(e.actor, e.org) for e in events[-2:]] == [("bianban", "bianban"), ("import", None)]
