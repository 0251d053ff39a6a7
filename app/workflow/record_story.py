"""The record as people read it: each audit event one sentence with names, its step, its reason and its files.

Pages (the call page, task pages, the console, 记录仪), notices and exports all tell events through `story`; a page
that tells a case as steps folds each step's consequences under it with `grouped`.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.config import Config
from app.definitions.models import DeployedProcess
from app.domain.actors import SYSTEM
from app.domain.attachments import Attachment
from app.domain.organisations import Organisation
from app.domain.people import User
from app.workflow.form_labels import form_labels
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.record_text import Names, tell

STEP_WINDOW = timedelta(seconds=5)  # one step's consequences are written in its transaction, within moments


def names_for(session, timezone, logins, instance_ids=()):
    """The Names a story needs — these people, every organisation, and the steps, processes and each task's form
    labels of these instances — read in a few queries."""
    logins = {u for u in logins if isinstance(u, str)}
    people = {u: (n, o) for u, n, o in session.execute(
        select(User.username, User.display_name, Organisation.code).join(Organisation, User.org_id == Organisation.id)
        .where(User.username.in_(logins)))} if logins else {}
    orgs = dict(session.execute(select(Organisation.code, Organisation.name)).all())
    names = Names(people=people, orgs=orgs, zone=ZoneInfo(timezone))
    if not instance_ids:
        return names
    instances = session.execute(select(ProcessInstance.id, ProcessInstance.deployment_id, ProcessInstance.process_id)
                                .where(ProcessInstance.id.in_(instance_ids))).all()
    labels = {deployment: form_labels(session, deployment)[1] for deployment in {d for _, d, _ in instances}}
    deployment_of = {i: d for i, d, _ in instances}
    names.instances = {i: p for i, _, p in instances}
    for instance_id, bpmn_id, name, form_id in session.execute(select(
            HumanTask.instance_id, HumanTask.bpmn_id, HumanTask.name, HumanTask.form_id).where(
            HumanTask.instance_id.in_(instance_ids))):
        names.steps[(instance_id, bpmn_id)] = name
        if form_id:
            names.forms[(instance_id, bpmn_id)] = labels[deployment_of[instance_id]].get(form_id) or {}
    names.processes = dict(session.execute(select(DeployedProcess.process_id, DeployedProcess.name).where(
        DeployedProcess.deployment_id.in_(set(deployment_of.values())))).all())
    return names


def story(session, events, timezone=Config.TIMEZONE, *, whole=True, names=None):
    """[entry] for these audit events (rows), in the order given.

    An entry: {"id", "stream", "seq", "at" (aware datetime), "action", "actor", "org", "instance_id", "who" (the
    actor as people name them: organisation and name), "text" (the sentence), "step" (the step's name, for a
    task's events), "details" ([sentence]), "whole" (told whole), "files" ([{"id", "filename", "size", "image",
    "sha256"}]: the files attached at that step), "follows"/"leads" (see record_text.Said), "hash", "prev_hash"}.
    `whole` may be a predicate (event → bool) deciding per event. Not whole (a reader who may not see the
    instance's data, or a rating between others) the sentence names who did what at which step:
    no reason, data or file. Times in sentences are in `timezone` (the county's, Config.TIMEZONE).
    """
    events = list(events)
    instance_ids = {e.instance_id for e in events if e.instance_id}
    names = names or names_for(session, timezone, mentioned(events), instance_ids)
    files = {a.id: a for a in session.scalars(select(Attachment).where(
        Attachment.instance_id.in_(instance_ids)))} if instance_ids and whole is not False else {}
    told = []
    for event in events:
        payload = event.payload or {}
        plain = {"action": event.action, "actor": event.actor, "org": event.org, "stream": event.stream,
                 "instance_id": event.instance_id, "payload": payload}
        told_whole = whole(event) if callable(whole) else whole
        said = tell(plain, names, told_whole)
        task = payload.get("task")
        told.append({
            "id": event.id, "stream": event.stream, "seq": event.seq, "at": event.at, "action": event.action,
            "actor": event.actor if event.actor and event.actor != SYSTEM else None, "org": event.org,
            "instance_id": event.instance_id, "who": names.person(event.actor), "text": said.text,
            "step": names.step(task, None, event.instance_id) if task and event.action.startswith("task.") else "",
            "details": [], "files": [file_view(files[i]) for i in attached_ids(payload) if i in files and told_whole],
            "follows": said.follows, "leads": said.leads, "whole": told_whole, "hash": event.hash,
            "prev_hash": event.prev_hash})
    return told


def mentioned(events):
    """The logins events name: who acted, and whom their payload names (a user administered, a task given to)."""
    return {e.actor for e in events} | {(e.payload or {}).get(key) for e in events for key in ("username", "to")}


def grouped(entries, window=STEP_WINDOW):
    """The story as steps: each consequence (an entry that `follows`) folded under the step before it by the same
    actor within moments; a consequence that `leads` becomes the step's sentence (the step's own goes), the others
    its details; the step's files are all its events' files."""
    groups = []
    for entry in entries:
        last = groups[-1] if groups else None
        if (entry["follows"] and last is not None and last["actor"] == entry["actor"]
                and abs(entry["at"] - last["events"][-1]["at"]) <= window):
            last["events"].append(entry)
        else:
            groups.append({**entry, "events": [entry]})
    for group in groups:
        followers = group["events"][1:]
        lead = next((e for e in followers if e["leads"]), None)
        if lead is not None:
            group["text"] = lead["text"]
        group["details"] = [e["text"] for e in followers if e is not lead and e["whole"]]
        group["files"] = [f for e in group["events"] for f in e["files"]]
    return groups


def attached_ids(payload):
    """The attachment ids a payload's data names (an upload field keeps ids, alone or in a list)."""
    data = payload.get("data")
    found = []
    for value in (data.values() if isinstance(data, dict) else ()):
        for item in value if isinstance(value, list) else [value]:
            ident = item.get("id") if isinstance(item, dict) else item
            if isinstance(ident, int) and not isinstance(ident, bool) and ident not in found:
                found.append(ident)
    return found


def file_view(attachment):
    return {"id": attachment.id, "filename": attachment.filename, "size": attachment.size, "sha256": attachment.sha256,
            "image": (attachment.mime or "").startswith("image/")}
