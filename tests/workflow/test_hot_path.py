"""The completion hot path: statements per completion, an inbox blind to closed tasks, the instance's audit head."""

import json

import pytest
from sqlalchemy import event, select

from app.domain.audit import AuditEvent, verify_chains
from app.extensions import db
from app.workflow import instances, tasks
from app.workflow.models import HumanTask, ProcessInstance

FORM = {"type": "default", "id": "note_form", "schemaVersion": 19, "components": [
    {"type": "textfield", "id": "f_note", "key": "note", "label": "备注"}]}


def user_task(task_id, role):
    return f"""
    <bpmn:userTask id="{task_id}" name="{task_id}">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="form" value="note_form"/>
        <spiffworkflow:property name="role" value="{role}"/>
        <spiffworkflow:property name="title" value="步骤 {task_id}"/>
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>"""


def sequence_bpmn(steps):
    """start → the user tasks (id, role) in order → end."""
    nodes = ["start", *(s for s, _ in steps), "end"]
    flows = "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
                    for i, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False)))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="sequence" name="顺序办理" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="start_roles" value="town_staff"/>
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:startEvent>
    {"".join(user_task(s, role) for s, role in steps)}
    <bpmn:endEvent id="end"/>
    {flows}
  </bpmn:process>
</bpmn:definitions>""".encode()


@pytest.fixture
def sequence(deploy):
    """Three steps: two for 铜城镇's clerk, then one for a department role the clerk does not hold."""
    deploy(files={"sequence.bpmn": sequence_bpmn([("a", "town_staff"), ("b", "town_staff"), ("c", "dept_staff")]),
                  "note_form.json": json.dumps(FORM).encode()})


def start(session, runtime, user):
    instance = instances.start_instance(session, runtime, user("zhenjie"), "sequence", {})
    session.commit()
    return instance.id


def open_task(session, instance_id):
    return session.scalar(select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open"))


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.statements, self.parameters = engine, [], []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)
        self.parameters.append(parameters)


def test_a_completion_takes_at_most_eight_statements(sequence, session, runtime, user):
    warm = start(session, runtime, user)  # the first completion of a deployment also reads (and caches) its form
    tasks.complete_task(session, runtime, user("zhenjie"), open_task(session, warm).id, {"note": "先"})
    session.commit()
    instance_id = start(session, runtime, user)
    task_id = open_task(session, instance_id).id
    session.expire_all()
    clerk = user("zhenjie")
    assert clerk.roles and clerk.org.code  # the acting user is given to the service layer, loaded
    with StatementCounter(db.engine) as counter:
        done, _ = tasks.complete_task(session, runtime, clerk, task_id, {"note": "好"})
        session.commit()
    assert done.status == "completed" and open_task(session, instance_id).bpmn_id == "b"
    assert len(counter.statements) <= 8, "\n".join(counter.statements)


def test_the_instance_row_keeps_its_audit_head_and_the_chain_verifies(sequence, session, runtime, user):
    instance_id = start(session, runtime, user)
    clerk = user("zhenjie")
    tasks.claim_task(session, clerk, open_task(session, instance_id).id)
    session.commit()
    tasks.complete_task(session, runtime, clerk, open_task(session, instance_id).id, {"note": "一"})
    session.commit()
    tasks.unclaim_task(session, clerk, tasks.claim_task(session, clerk, open_task(session, instance_id).id).id)
    session.commit()
    session.expire_all()
    events = session.execute(select(AuditEvent.seq, AuditEvent.action, AuditEvent.hash).where(
        AuditEvent.stream == f"instance:{instance_id}").order_by(AuditEvent.seq)).all()
    assert [e.action for e in events] == ["instance.start", "task.claim", "task.complete", "task.claim",
                                          "task.unclaim"]
    instance = session.get(ProcessInstance, instance_id)
    assert (instance.audit_seq, instance.audit_hash) == (events[-1].seq, events[-1].hash)
    assert verify_chains(session).ok


def test_the_inbox_never_reads_or_shows_closed_tasks(sequence, session, runtime, user):
    clerk = user("zhenjie")
    finished = []
    for _ in range(3):  # history: the clerk's steps a and b done, c waits for the department
        instance_id = start(session, runtime, user)
        for _step in range(2):
            tasks.complete_task(session, runtime, clerk, open_task(session, instance_id).id, {"note": "好"})
            session.commit()
        finished.append(instance_id)
    waiting = start(session, runtime, user)
    closed = set(session.scalars(select(HumanTask.id).where(HumanTask.status != "open")))
    assert len(closed) == 6
    with StatementCounter(db.engine) as counter:
        rows, total = tasks.inbox(session, clerk)
    assert [(r.instance_id, r.bpmn_id) for r in rows] == [(waiting, "a")] and total == 1
    assert not closed & {r.id for r in rows}
    assert tasks.inbox(session, clerk, scope="group")[0] == rows
    if session.get_bind().dialect.name == "sqlite":
        at = next(i for i, q in enumerate(counter.statements) if "FROM human_task JOIN process_instance" in q)
        query, parameters = counter.statements[at], counter.parameters[at]
        plan = " | ".join(r[3] for r in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {query}", parameters))
        assert "ix_human_task_open" in plan and "SCAN task_candidate" not in plan, plan
        assert "ix_task_candidate_lookup" not in plan, plan

