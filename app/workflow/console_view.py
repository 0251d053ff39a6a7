"""What the console's instance page shows: the diagram of one workflow of an instance with every element's state,
the task rows behind each element (who, when, the data submitted, the files), the sub-workflows and instances it is
linked to both ways, the data with the forms' labels, the record as sentences, and the actions its state allows."""

from sqlalchemy import select

from app.definitions.models import DeployedProcess
from app.definitions.operations import file_content
from app.domain import access
from app.domain.attachments import Attachment
from app.domain.audit import AuditEvent
from app.domain.organisations import Organisation
from app.domain.people import display_names
from app.errors import NotFound
from app.messages import label, msg
from app.workflow.execution import begin_run
from app.workflow.form_labels import form_labels
from app.workflow.instances import get_instance
from app.workflow.models import HumanTask, MessageRecord, MessageWait
from app.workflow.operating import allowed_actions, require_reader
from app.workflow.queries import instance_history, instance_summary
from app.workflow.record_story import names_for
from app.workflow.record_text import told

# Submitted data is read from these events of the record, by the engine task they concern.
SUBMITTING = ("task.complete", "task.skip")


def _diagram_keys(workflow, subs):
    """The workflow keys drawn on one diagram: the workflow and its embedded sub-processes (not called ones)."""
    keys, grown = {workflow}, True
    while grown:
        grown = False
        for sub in subs:
            if not sub.called and sub.parent_workflow in keys and sub.id not in keys:
                keys.add(sub.id)
                grown = True
    return keys


def _process(session, instance, process_id):
    process = session.scalar(select(DeployedProcess).where(DeployedProcess.deployment_id == instance.deployment_id,
                                                           DeployedProcess.process_id == process_id))
    if process is None:
        raise NotFound(msg("console.diagram_missing", process=process_id))
    return process


# The start data every instance has (app/definitions/defaults.STANDARD_START_DATA), named and shown by kind.
def _submitted(session, instance_id):
    """{engine task id: the data submitted} and the ids of the tasks an admin skipped, from the record."""
    rows = session.execute(select(AuditEvent.task_id, AuditEvent.action, AuditEvent.payload).where(
        AuditEvent.instance_id == instance_id, AuditEvent.action.in_(SUBMITTING)).order_by(AuditEvent.seq)).all()
    data = {task_id: (payload or {}).get("data") or {} for task_id, _, payload in rows if task_id}
    return data, {task_id for task_id, action, _ in rows if action == "task.skip"}


def _files(session, instance_id):
    return {a.id: {"id": a.id, "filename": a.filename, "size": a.size}
            for a in session.scalars(select(Attachment).where(Attachment.instance_id == instance_id))}


def _attached(data, files):
    """The instance's files a task's data names (an upload field keeps attachment ids)."""
    found = []
    for value in (data or {}).values():
        for item in value if isinstance(value, list) else [value]:
            ident = item.get("id") if isinstance(item, dict) else item
            if isinstance(ident, int) and ident in files and files[ident] not in found:
                found.append(files[ident])
    return found


def _task_rows(session, instance, people_wanted):
    rows = list(session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id).order_by(HumanTask.id)))
    for row in rows:
        people_wanted.update({row.completed_by, row.claimed_by, *row.users})
    return rows


def _linked_instances(session, instance):
    """Instances this one's messages went to (started or resumed), and those whose messages it received."""
    sent = session.scalars(select(MessageRecord.target_instance_id).where(
        MessageRecord.source_instance_id == instance.id, MessageRecord.target_instance_id.is_not(None)))
    received = session.scalars(select(MessageRecord.source_instance_id).where(
        MessageRecord.target_instance_id == instance.id, MessageRecord.source_instance_id.is_not(None)))
    return {"sent_to": sorted(set(sent)), "received_from": sorted(set(received))}


def _element_view(element, rows_by_uuid, submitted, files, subs_by_id, skipped=frozenset()):
    tasks = []
    for point in element.tasks:
        row = rows_by_uuid.get(point.task_id)
        data = submitted.get(point.task_id)
        tasks.append({"task_id": point.task_id, "state": point.state, "changed_at": point.changed_at,
                      "timer_due": point.timer_due, "message": point.message, "correlations": point.correlations,
                      "child": subs_by_id.get(point.child), "row": row, "data": data,
                      "skipped": point.task_id in skipped,
                      "files": _attached(data, files) if data else []})
    return {"id": element.bpmn_id, "name": element.name, "kind": element.kind, "state": element.state,
            "tasks": tasks}


def instance_console(session, runtime, user, instance_id, workflow="top"):
    """Everything the instance page shows of one of its workflows (`top`, or a sub-workflow's id)."""
    require_reader(user)
    instance = get_instance(session, instance_id)
    elements, subs, rewinds, taken, data = [], [], [], [], {}
    if instance.state:
        run = begin_run(session, runtime, instance, None).run
        where = run.where()
        elements, subs, rewinds, taken = where.elements, where.subs, where.rewinds, where.taken
        data = run.current_data()
    subs_by_id = {sub.id: sub for sub in subs}
    if workflow != "top" and workflow not in subs_by_id:
        raise NotFound(msg("console.workflow_missing"))
    shown = subs_by_id[workflow] if workflow != "top" else None
    while shown is not None and not shown.called:  # an embedded sub-process is drawn on its parent's diagram
        workflow, shown = shown.parent_workflow, subs_by_id.get(shown.parent_workflow)
    keys = _diagram_keys(workflow, subs)
    process = _process(session, instance, shown.process_id if shown else instance.process_id)
    people = {instance.started_by}
    rows = _task_rows(session, instance, people)
    (submitted, skipped), files = _submitted(session, instance.id), _files(session, instance.id)
    views = [_element_view(e, {r.task_uuid: r for r in rows}, submitted, files, subs_by_id, skipped)
             for e in elements if e.workflow in keys]
    if instance.error and instance.error.get("bpmn_id"):
        for view in views:
            if view["id"] == instance.error["bpmn_id"]:
                view["state"], view["error"] = "error", instance.error
    labels, labels_by_form, fields = form_labels(session, instance.deployment_id)
    history = instance_history(session, instance.id)
    people |= {e["actor"] for e in history}
    names = display_names(session, people)
    orgs = dict(session.execute(select(Organisation.code, Organisation.name)).all())
    active_orgs = dict(session.execute(select(Organisation.code, Organisation.name).where(
        Organisation.active.is_(True)).order_by(Organisation.kind, Organisation.code)).all())
    steps = {r.bpmn_id: r.name for r in rows} | {e.bpmn_id: e.name for e in elements}
    config = runtime.settings
    said = names_for(session, config.timezone, people | {(e["payload"] or {}).get("to") for e in history},
                     {instance.id})
    said.steps.update(steps)
    return {
        "instance": instance_summary(instance), "workflow": workflow,
        "parent": None if shown is None else {"workflow": shown.parent_workflow, "element": shown.element_id},
        "process": {"id": process.process_id, "name": process.name, "file": process.file_name},
        "xml": file_content(session, instance.deployment_id, process.file_name).decode("utf-8", "replace"),
        "elements": views, "children": [s for s in subs if s.called and s.parent_workflow in keys],
        "rewinds": [r for r in rewinds if r[3] in keys], "taken": taken, "data": data, "labels": labels,
        "labels_by_form": labels_by_form, "people": names, "orgs": orgs, "active_orgs": active_orgs,
        "open_tasks": [r for r in rows if r.status == "open"],
        "form_fields": fields,
        "waiting_messages": list(session.scalars(select(MessageWait).where(MessageWait.instance_id == instance.id))),
        "history": told(history, said, labels),
        "allowed": allowed_actions(instance), "may_operate": access.may_administer_instances(user),
        "linked": _linked_instances(session, instance),
        "process_names": dict(session.execute(select(DeployedProcess.process_id, DeployedProcess.name).where(
            DeployedProcess.deployment_id == instance.deployment_id)).all()),
    }


def elements_data(view):
    """The diagram part of the console view as plain data (the API's `elements`)."""
    def point(task):
        row = task["row"]
        return {**{k: task[k] for k in ("task_id", "state", "changed_at", "timer_due", "message", "correlations")},
                "child": task["child"].id if task["child"] else None, "human_task_id": row.id if row else None}
    return {"workflow": view["workflow"], "process_id": view["process"]["id"],
            "elements": [{"id": e["id"], "name": e["name"], "kind": e["kind"], "state": e["state"],
                          "state_label": label("element_state", e["state"]), "error": e.get("error"),
                          "tasks": [point(t) for t in e["tasks"]]} for e in view["elements"]],
            "children": [vars(s) for s in view["children"]],
            "rewinds": [{"task_id": r[0], "element_id": r[1], "name": r[2], "completed_at": r[4]}
                        for r in view["rewinds"]],
            "allowed": view["allowed"]}
