"""How a change reads: the Chinese name of an aspect (`表单（form）`, `条件`, `必填`) and a value shown short."""

import json

from app.engine.names import describe, find_by_id
from app.messages import MESSAGES, label, msg

LONG = 80  # a value longer than this (or of several lines) is said to have changed, not shown
REFERENCES = {"@sourceRef", "@targetRef", "@default", "@attachedToRef", "lane", "@processRef"}
TIMERS = {"timeDate": "timer_date", "timeDuration": "timer_duration", "timeCycle": "timer_cycle"}
SITES = {"script": "script", "spiff:preScript": "prescript", "spiff:postScript": "postscript",
         "condition": "condition", "property:org": "org", "property:calendar": "calendar",
         "spiff:instructionsForEndUser": "instructions", "mi.loopCardinality": "cardinality",
         "mi.completionCondition": "completion"}


def aspect_label(aspect, what=None):
    """The Chinese name of an aspect key of app/definitions/aspects.py (or of a decision's column: `what`)."""
    if what is not None:
        return what
    if aspect in SITES:
        return label("expression_site", SITES[aspect])
    head, _, tail = aspect.partition(":")
    if head == "timer" and tail in TIMERS:
        return label("expression_site", TIMERS[tail])
    if f"diff.aspect.{aspect}" in MESSAGES:
        return msg(f"diff.aspect.{aspect}")
    for prefix, rest in _prefixes(aspect):
        if f"diff.aspect.{prefix}*" in MESSAGES:
            return msg(f"diff.aspect.{prefix}*", name=rest)
    return msg("diff.aspect.other:*", name=aspect)


def _prefixes(aspect):
    """`@`, `property:`, `validate.` … and the rest of the key: the families an aspect may belong to."""
    if aspect.startswith("@"):
        yield "@", aspect[1:]
    for separator in (":", "."):
        head, found, tail = aspect.partition(separator)
        if found:
            yield head + separator, tail


def shown(value, root=None, aspect=None):
    """A value as a reader sees it, or None when it is too long to show."""
    if value is None or value == "" or value == [] or value == {}:
        return msg("diff.empty")
    if aspect in REFERENCES and root is not None and isinstance(value, str):
        return reference(root, value)
    if isinstance(value, bool):
        return msg("diff.yes" if value else "diff.no")
    if aspect == "kind" and isinstance(value, str):
        return label("element_kind", value)
    if aspect and aspect.startswith("event:") and value == aspect[len("event:"):]:
        return None  # a definition without settings: said to be added or removed
    if aspect == "values" and isinstance(value, list):
        value = "、".join(msg("diff.option", label=o.get("label"), value=o.get("value")) if isinstance(o, dict)
                         else str(o) for o in value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return None if len(text) > LONG or "\n" in text else text


def value_text(value):
    """A value shown, cut to fit when long."""
    text = shown(value)
    if text is not None:
        return text
    flat = " ".join(str(value).split())
    return flat[:LONG - 1] + "…" if len(flat) > LONG else flat


def describe_change(aspect, old, new, old_root=None, new_root=None, what=None):
    """`条件 a → b`, `新增表单（form） x`, `删除脚本`, `办理说明已修改`."""
    name = aspect_label(aspect, what)
    if isinstance(old, bool) or isinstance(new, bool):  # a switch: unset reads as off
        old, new = bool(old), bool(new)
    before, after = shown(old, old_root, aspect), shown(new, new_root, aspect)
    if _unset(old) and old is not False:
        return msg("diff.set", what=name, value=after) if after is not None else msg("diff.set_long", what=name)
    if _unset(new) and new is not False:
        return msg("diff.unset", what=name, value=before) if before is not None else msg("diff.unset_long", what=name)
    if before is None or after is None:
        return msg("diff.changed_long", what=name)
    return msg("diff.changed", what=name, old=before, new=after)


def change_line(where, aspect, old, new, old_root=None, new_root=None, what=None):
    return msg("diff.on", element=where, change=describe_change(aspect, old, new, old_root, new_root, what))


def change_entry(aspect, old, new, what=None):
    return {"aspect": aspect, "label": aspect_label(aspect, what), "old": old, "new": new}


def _unset(value):
    return value is None or value is False or value == "" or value == [] or value == {}


def reference(root, element_id):
    """An element named by its id, as describe() reads it; the id itself when the file has no such element."""
    found = find_by_id(root, element_id) if element_id else None
    return describe(found) if found is not None else (element_id or msg("diff.empty"))


def named(name, element_id):
    return msg("diff.named", name=name, id=element_id) if name else msg("diff.unnamed", id=element_id)


def form_title(view):
    return msg("diff.quoted", name=view.name or view.id)


def field_title(item):
    """`“现场坐标”（coordinates）`: a form field by label and key, a decision's column by label and id."""
    aspects = item.aspects
    text = aspects.get("label") or aspects.get("name") or aspects.get("expression")
    return named(text if isinstance(text, str) else None, item.id)


def decision_title(view):
    return msg("diff.quoted", name=view.name) if view.name else msg("diff.unnamed", id=view.id)
