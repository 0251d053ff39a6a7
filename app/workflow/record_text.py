"""Audit events told as Chinese sentences: who (organisation and name), what, at which step, why, what changed.

One template per action in the catalogue ("said.<action>"); an action whose sentence needs more than the payload's
plain fields has a teller (`register_teller`): the platform's live here, Tianchang's in app/governance/record_tellers.py.
Every page, notice and export tells events through `tell`, so no code (login, organisation code, task id, status)
reaches a reader.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from app.config import Config
from app.domain.actors import RESERVED_NAMES, SYSTEM
from app.messages import LABELS, MESSAGES, label, msg

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")

@dataclass(frozen=True)
class Said:
    """A told event. `follows`: a consequence of the step before it by the same actor (pages fold it under that
    step); `leads`: a consequence that says the step better than the step's own sentence (it becomes the headline)."""

    text: str
    follows: bool = False
    leads: bool = False

@dataclass
class Names:
    """What sentences may name, read once per story: people {login: (name, organisation code)}, organisations
    {code: name}, steps {element id: name}, processes {id: name}, each task's form labels {element id: {key:
    {"label", "options", "kind"}}}, and the county's time zone."""

    people: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)
    instances: dict = field(default_factory=dict)  # instance id -> its process id
    forms: dict = field(default_factory=dict)
    zone: ZoneInfo = ZoneInfo(Config.TIMEZONE)

    def person(self, username):
        """A person as the record names them: 市公安局 张三; the system as 系统; an unknown login as 已删除的用户."""
        if not username or username in RESERVED_NAMES:
            return label("actor", username or SYSTEM)
        name, org = self.people.get(username, (None, None))
        if name is None:
            return msg("said.unknown_person")
        return f"{self.orgs[org]} {name}" if org in self.orgs else name

    def name(self, username):
        return self.people.get(username, (msg("said.unknown_person"), None))[0]

    def org(self, code):
        return self.orgs.get(code) or (msg("said.unknown_org") if code else "")

    def step(self, element_id, fallback=None, instance_id=None):
        """A step's name: by its instance's diagram first (two processes may use one element id)."""
        return (self.steps.get((instance_id, element_id)) or self.steps.get(element_id) or readable(fallback)
                or msg("said.a_step"))

    def time(self, moment):
        """An ISO string or a datetime as the county reads it, with the year: 2026-11-23 11:00."""
        if isinstance(moment, str):
            try:
                moment = datetime.fromisoformat(moment)
            except ValueError:
                return ""
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else ""

    def value(self, value, options=None):
        """A data value in words: an option by its label, a person or organisation by name, yes/no; None for a
        code nobody can name (it stays out of the sentence)."""
        if isinstance(value, bool):
            return msg("said.yes" if value else "said.no")
        if isinstance(value, list):
            parts = [self.value(v, options) for v in value]
            return "、".join(p for p in parts if p) or None
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str) or not value:
            return None
        named = (options or {}).get(value) or self.orgs.get(value) or self.people.get(value, (None,))[0]
        return named or (None if CODE_LIKE.match(value) else value)

    def summary(self, instance_id, element_id, data, kinds_skipped=("photos", "filepicker")):
        """Submitted data as labelled values "处理决定：驳回；驳回理由：…" by the task's form (fields it does not
        label, and files, stay out: the files are shown as files)."""
        labels = self.forms.get((instance_id, element_id)) or {}
        parts = []
        for key, value in (data or {}).items():
            named = labels.get(key)
            if not named or named.get("kind") in kinds_skipped or not CJK.search(named.get("label") or ""):
                continue
            said = self.value(value, named.get("options"))
            if said:
                parts.append(msg("said.field", label=named["label"], value=said))
        return "；".join(parts)

def readable(text):
    """A name fit for a reader: one with Chinese in it (a BPMN message or element named only by a code is not)."""
    return text if isinstance(text, str) and CJK.search(text) else ""

TELLERS = {}

def register_teller(action, teller):
    """`teller(event, names) -> Said` tells `action`; registered once at start-up (create_app)."""
    TELLERS[action] = teller

def values(event, names):
    """The plain fields every template may use."""
    payload = event.get("payload") or {}
    task = payload.get("task")
    return {
        "actor": names.person(event.get("actor")),
        "task": names.step(task, payload.get("name") or task, event.get("instance_id")),
        "reason": payload.get("reason") or "", "message": readable(payload.get("message")),
        "to": _target(payload, names), "due": names.time(payload.get("due")),
        "from_version": payload.get("from_version", ""), "to_version": payload.get("to_version", ""),
        "process": names.processes.get(payload.get("process") or names.instances.get(event.get("instance_id")))
        or msg("said.a_process"),
        "user": names.name(payload.get("username")) if payload.get("username") else "",
        "org": names.org(payload.get("code")) if payload.get("code") else names.org(event.get("org")),
        "number": payload.get("number", ""), "count": len(payload.get("files") or []),
        "name": payload.get("name") or "", "comment": payload.get("comment") or "",
    }

def _target(payload, names):
    after = payload.get("after") or {}
    if isinstance(after, dict) and after.get("users"):
        return "、".join(names.name(u) for u in after["users"])
    if isinstance(after, dict) and after.get("orgs"):
        return "、".join(names.org(o) for o in after["orgs"])
    to = payload.get("to")
    return names.name(to) if to else ""

def tell(event, names, whole=True):
    """One event (a dict: action, actor, org, payload) as a Said. Without `whole` — a reader who may not see the
    instance's data — it says who did what at which step, with no reason, data or result."""
    teller = TELLERS.get(event["action"])
    said = teller(event, names) if teller is not None else Said(templated(event, names))
    if whole:
        return said
    task = (event.get("payload") or {}).get("task")
    text = msg("said.briefly", actor=names.person(event.get("actor")), action=label("audit_action", event["action"]))
    return Said(text + (msg("said.at_step", task=names.step(task, None, event.get("instance_id"))) if task else ""),
                follows=said.follows)

def templated(event, names, key=None, **extra):
    """The event through its catalogue template; the reason appended when the template has no place for it."""
    key = key or f"said.{event['action']}"
    given = {**values(event, names), **extra}
    if key not in MESSAGES:
        return msg("said.briefly", actor=given["actor"], action=label("audit_action", event["action"]))
    text = msg(key, **given)
    if given["reason"] and "{reason}" not in MESSAGES[key]:
        text += msg("said.reason", reason=given["reason"])
    return text

def _task_complete(event, names):
    payload = event.get("payload") or {}
    summary = names.summary(event.get("instance_id"), payload.get("task"), payload.get("data"))
    return Said(templated(event, names, "said.task.complete_with" if summary else "said.task.complete",
                          summary=summary))

def _instance_start(event, names):
    payload = event.get("payload") or {}
    if payload.get("message") or payload.get("from"):
        return Said(templated(event, names, "said.instance.start_by_message"), follows=True)
    return Said(templated(event, names))

def _instance_error(event, names):
    payload = event.get("payload") or {}
    return Said(templated(event, names, task=names.step(payload.get("bpmn_id"), payload.get("task"), event.get("instance_id")),
                          message=payload.get("message") or ""))

def _audit_verify(event, names):
    payload = event.get("payload") or {}
    if payload.get("ok"):
        return Said(templated(event, names, events=payload.get("events", 0)))
    return Said(templated(event, names, "said.audit.verify_broken", message=payload.get("message") or ""))


def _verify_call(event, names):
    payload = event.get("payload") or {}
    verdict = msg("said.intact") if payload.get("ok") else msg("said.broken", seq=payload.get("seq") or "")
    return Said(templated(event, names, number=payload.get("call", ""), verdict=verdict))


def _data_edit(event, names):
    """The data an admin changed, by the forms' names for them; a name no form gives is counted, not shown."""
    payload = event.get("payload") or {}
    keys = [key for key, _, _ in changes_of(payload)] or list(payload.get("removed") or [])
    labels = {}
    for (instance_id, _), fields in names.forms.items():
        if instance_id == event.get("instance_id"):
            labels = {**fields, **labels}
    said = [labels[key]["label"] for key in keys if key in labels]
    unnamed = len(keys) - len(said)
    if unnamed:
        said.append(msg("said.more_data", count=unnamed))
    return Said(templated(event, names, changes="、".join(said)))


def _sessions_ended(event, names):
    return Said(templated(event, names, why=label("session_end_reason", (event.get("payload") or {}).get("reason")),
                          reason=""))


for _action, _teller in (("task.complete", _task_complete), ("instance.start", _instance_start),
                         ("instance.error", _instance_error), ("audit.verify", _audit_verify),
                         ("instance.data_edit", _data_edit), ("audit.verify_call", _verify_call),
                         ("user.sessions_ended", _sessions_ended)):
    register_teller(_action, _teller)

# --- the console's before/after of an event that changed data or assignment -------------------------------------

def _value(value):
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)

def _assignment(who, names):
    """Who holds or may take a task, by name: the holder, else the users, organisations and roles."""
    if who.get("claimed_by"):
        return names.name(who["claimed_by"])
    held = [names.name(u) for u in who.get("users") or []] + [names.org(o) for o in who.get("orgs") or []]
    return "、".join(held + [label("role", r) for r in who.get("roles") or []]) or msg("said.anyone")

def changes_of(payload, action=None, names=None):
    """[(name, before, after)] of an event that changed data or assignment (the console shows them)."""
    before, after = payload.get("before"), payload.get("after")
    if action == "task.reassign" and isinstance(before, dict) and isinstance(after, dict):
        return [(msg("said.assignee"), _assignment(before, names or Names()), _assignment(after, names or Names()))]
    if not isinstance(before, dict) and not isinstance(after, dict):
        return []
    before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(key, _value(before[key]) if key in before else "—", _value(after[key]) if key in after else "—")
            for key in keys if before.get(key) != after.get(key)]

def data_edit_names(payload, labels):
    """The data an admin changed, by the forms' names for them (除数), else as they are."""
    keys = [key for key, _, _ in changes_of(payload)] or list(payload.get("removed") or [])
    return "、".join(((labels or {}).get(key) or {}).get("label") or key for key in keys)

def told(events, names, labels=None):
    """The record as the console reads it: time, sentence, and the before/after of what changed (data names read
    by `labels`, the forms' names for them)."""
    rows = []
    for e in events:
        payload = e.get("payload") or {}
        text = templated(e, names, changes=data_edit_names(payload, labels)) \
            if e["action"] == "instance.data_edit" else tell(e, names).text
        rows.append({"seq": e["seq"], "at": names.time(e["at"]), "action": e["action"], "text": text,
                     "changes": changes_of(payload, e["action"], names)})
    return rows

KNOWN_ACTIONS = LABELS["audit_action"]
