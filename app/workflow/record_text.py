"""An instance's record told as sentences: who did what, why, and what changed (the console's history)."""

import json
from zoneinfo import ZoneInfo

from app.domain.actors import SYSTEM
from app.messages import MESSAGES, label, msg


def _local(moment, zone):
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _person(actor, people):
    if not actor or actor == SYSTEM:
        return label("actor", SYSTEM)
    return people.get(actor, actor)


def _target(payload, people, orgs):
    after = payload.get("after") or {}
    if isinstance(after, dict) and after.get("users"):
        return "、".join(people.get(u, u) for u in after["users"])
    if isinstance(after, dict) and after.get("orgs"):
        return "、".join(orgs.get(o, o) for o in after["orgs"])
    to = payload.get("to")
    return people.get(to, to) if to else ""


def _named(name, labels):
    """A data name as a form calls it (除数), else as it is."""
    return ((labels or {}).get(name) or {}).get("label") or name


def _value(value):
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _assignment(who, people, orgs):
    """Who holds or may take a task, by name: the holder, else the users, organisations and roles."""
    if who.get("claimed_by"):
        return people.get(who["claimed_by"], who["claimed_by"])
    names = [people.get(u, u) for u in who.get("users") or []] + [orgs.get(o, o) for o in who.get("orgs") or []]
    return "、".join(names + [label("role", r) for r in who.get("roles") or []]) or msg("said.anyone")


def changes_of(payload, action=None, people=None, orgs=None):
    """[(name, before, after)] of an event that changed data or assignment (the console shows them)."""
    before, after = payload.get("before"), payload.get("after")
    if action == "task.reassign" and isinstance(before, dict) and isinstance(after, dict):
        return [(msg("said.assignee"), _assignment(before, people or {}, orgs or {}),
                 _assignment(after, people or {}, orgs or {}))]
    if not isinstance(before, dict) and not isinstance(after, dict):
        return []
    before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    names = list(dict.fromkeys([*before, *after]))
    return [(name, _value(before[name]) if name in before else "—", _value(after[name]) if name in after else "—")
            for name in names if before.get(name) != after.get(name)]


def sentence(event, steps, people, orgs, labels=None):
    """One event as a sentence; an action without its own sentence reads "who：what"."""
    payload = event.get("payload") or {}
    task = payload.get("task")
    values = {
        "actor": _person(event.get("actor"), people), "task": steps.get(task, task) or "", "reason": payload.get(
            "reason") or "", "message": payload.get("message") or "", "to": _target(payload, people, orgs),
        "due": payload.get("due") or "", "from_version": payload.get("from_version", ""),
        "to_version": payload.get("to_version", ""), "changes": "、".join(
            _named(name, labels) for name, _, _ in changes_of(payload)) or "、".join(
            _named(name, labels) for name in payload.get("removed") or []),
    }
    key = f"said.{event['action']}"
    if key in MESSAGES:
        text = msg(key, **values)
    else:
        text = msg("said.other", actor=values["actor"], action=label("audit_action", event["action"]))
    if values["reason"] and "{reason}" not in MESSAGES.get(key, ""):
        text += msg("said.reason", reason=values["reason"])
    return text


def told(events, steps, people, orgs, timezone, labels=None):
    """The record as the console reads it: time, sentence, and the before/after of what changed (data names read
    by `labels`, the forms' names for them)."""
    zone = ZoneInfo(timezone)
    return [{"seq": e["seq"], "at": _local(e["at"], zone), "action": e["action"],
             "text": sentence(e, steps, people, orgs, labels or {}),
             "changes": changes_of(e.get("payload") or {}, e["action"], people, orgs)}
            for e in events]
