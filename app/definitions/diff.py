"""Compare two versions of a bundle by meaning: what a reviewer must know before a designer's change goes live.

Processes are compared element by element (app/definitions/aspects.py says what an element is), forms field by
field, decisions column by column and rule by rule. Moving shapes, bending edges and editing annotations is layout:
counted per process (`layout_only`), never a sentence. A file that cannot be read is said to be so; its content is
not compared, and nothing in it is reported as added or removed.
"""

import json
from dataclasses import dataclass, field

from lxml import etree

from app.definitions.aspects import read_bpmn, read_dmn, read_form
from app.definitions.diff_texts import (
    change_entry,
    change_line,
    decision_title,
    describe_change,
    field_title,
    form_title,
    reference,
    value_text,
)
from app.definitions.files import file_kind, stem
from app.engine.names import BPMN_NS, describe
from app.engine.parser import DMN_PREFIX, harden_parse
from app.messages import msg


@dataclass
class Reading:
    """One file of one side, read: its processes and shared elements, forms or decisions; or why it could not be."""

    kind: str | None
    root: object = None
    processes: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)
    forms: dict = field(default_factory=dict)
    decisions: dict = field(default_factory=dict)
    error: str | None = None


def semantic_diff(old_files, new_files):
    """The changes from `old_files` to `new_files` ({name: bytes}) by file, process, form and decision, with
    `lines` (Chinese sentences grouped by file) and `changed_elements` ({process id: ids added or changed})."""
    report = Report()
    old = {name: read_file(name, content) for name, content in sorted((old_files or {}).items())}
    new = {name: read_file(name, content) for name, content in sorted((new_files or {}).items())}
    report.compare_files(old_files or {}, new_files or {}, old, new)
    blocked = {name for name, reading in [*old.items(), *new.items()] if reading.error}
    for name in sorted(old.keys() & new.keys() - blocked):
        report.compare_shared(name, old[name], new[name])
    report.compare_keyed("processes", _sides(old, blocked, "processes"), _sides(new, blocked, "processes"))
    report.compare_keyed("forms", _sides(old, blocked, "forms"), _sides(new, blocked, "forms"))
    report.compare_keyed("decisions", _sides(old, blocked, "decisions"), _sides(new, blocked, "decisions"))
    return report.result()


def read_file(name, content):
    """A Reading of one bundle file; never raises for what a designer wrote."""
    kind = file_kind(name)
    try:
        if kind == "form":
            return _read_form_file(name, content)
        if kind in ("bpmn", "dmn"):
            return _read_diagram(kind, content)
    except Exception as err:  # a designer's file may trip a reader anywhere: it is reported, never raised
        return Reading(kind, error=msg("diff.read_failed", detail=str(err)[:300] or type(err).__name__))
    return Reading(kind)


def _read_diagram(kind, content):
    try:
        root = harden_parse(content if isinstance(content, bytes) else str(content).encode("utf-8"))
    except etree.XMLSyntaxError as err:
        return Reading(kind, error=msg("def.malformed", detail=str(err)))
    except LookupError as err:
        return Reading(kind, error=msg("def.bad_encoding", detail=str(err)))
    except ValueError:
        return Reading(kind, error=msg("def.doctype"))
    name = etree.QName(root)
    if name.localname == "definitions" and name.namespace == BPMN_NS:
        processes, shared = read_bpmn(root)
        return Reading("bpmn", root, processes=processes, shared=shared)
    if name.localname == "definitions" and (name.namespace or "").startswith(DMN_PREFIX):
        return Reading("dmn", root, decisions=read_dmn(root))
    return Reading(kind, error=msg("def.bad_root", tag=root.tag))


def _read_form_file(name, content):
    try:
        data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return Reading("form", error=msg("def.form_invalid", detail=str(err)))
    try:
        view = read_form(data, stem(name))
    except ValueError:
        return Reading("form", error=msg("def.form_not_form_js"))
    return Reading("form", forms={view.id: view})


def _sides(readings, blocked, what):
    """{key: (file, view, root)} of one side, files that either side cannot read left out (first file wins)."""
    found = {}
    for name, reading in readings.items():
        if name in blocked:
            continue
        for key, view in getattr(reading, what).items():
            found.setdefault(key, (name, view, reading.root))
    return found


def _compare(old_items, new_items):
    """(added ids, removed ids, [(id, [(aspect, old, new)])]), each in document order."""
    added = [i for i in new_items if i not in old_items]
    removed = [i for i in old_items if i not in new_items]
    changed = []
    for item_id, item in new_items.items():
        if item_id in old_items:
            before = old_items[item_id]
            found = [("kind", before.kind, item.kind)] if before.kind != item.kind else []
            found += _changes(before.aspects, item.aspects)
            if found:
                changed.append((item_id, found))
    return added, removed, changed


def _changes(old, new, only=None):
    """[(aspect, old value, new value)] of two aspect maps, in the new one's order, then the aspects it dropped."""
    keys = [*new, *(k for k in old if k not in new)]
    return [(k, old.get(k), new.get(k)) for k in keys
            if (only is None or only(k)) and _norm(old.get(k)) != _norm(new.get(k))]


def _norm(value):
    """Unset, empty and false read alike (a property written empty is one not written)."""
    return None if value is None or value is False or value == "" or value == [] or value == {} else value


class Report:
    """The result being built, its lines kept by file so they read grouped."""

    def __init__(self):
        self.files = {"added": [], "removed": [], "changed": [], "unreadable": []}
        self.sections = {"processes": {}, "forms": {}, "decisions": {}, "definitions": {}}
        self.lines, self.changed_elements = {}, {}

    def say(self, file_name, line):
        self.lines.setdefault(file_name, []).append(line)

    def result(self):
        lines = [line for name in sorted(self.lines) for line in self.lines[name]]
        return {"files": self.files, **self.sections, "lines": lines, "changed_elements": self.changed_elements}

    def compare_files(self, old_files, new_files, old, new):
        for name in sorted(old_files.keys() | new_files.keys()):
            if name not in old_files:
                self.files["added"].append(name)
                self.say(name, msg("diff.file_added", name=name))
            elif name not in new_files:
                self.files["removed"].append(name)
                self.say(name, msg("diff.file_removed", name=name))
            elif old_files[name] != new_files[name]:
                self.files["changed"].append(name)
                if old[name].kind not in ("bpmn", "dmn", "form"):
                    self.say(name, msg("diff.file_changed", name=name))
            for side, readings in (("old", old), ("new", new)):
                if name in readings and readings[name].error:
                    self.files["unreadable"].append({"file": name, "side": side, "message": readings[name].error})
                    self.say(name, msg(f"diff.unreadable_{side}", name=name, detail=readings[name].error))

    def compare_keyed(self, section, old, new):
        compare = {"processes": self.compare_process, "forms": self.compare_form,
                   "decisions": self.compare_decision}[section]
        for key in [*new, *(k for k in old if k not in new)]:
            entry = compare(key, old.get(key), new.get(key))
            if entry is not None:
                self.sections[section][key] = entry

    def compare_shared(self, name, old, new):
        """Messages, signals, errors, pools and message flows of a BPMN file."""
        added, removed, changed = _compare(old.shared, new.shared)
        for item_id in added:
            self.say(name, msg("diff.added", element=describe(new.shared[item_id].node)))
        for item_id in removed:
            self.say(name, msg("diff.removed", element=describe(old.shared[item_id].node)))
        for item_id, changes in changed:
            for aspect, before, after in changes:
                self.say(name, change_line(describe(new.shared[item_id].node), aspect, before, after, old.root, new.root))
        if added or removed or changed:
            self.sections["definitions"][name] = {
                "added": [_element(new.shared[i]) for i in added],
                "removed": [_element(old.shared[i]) for i in removed],
                "changed": [{**_element(new.shared[i]), "changes": [change_entry(*c) for c in cs]}
                            for i, cs in changed]}

    def compare_process(self, pid, old, new):
        if old is None or new is None:
            name, view, root = new or old
            status = "added" if old is None else "removed"
            items = [i for i in view.items.values() if i.id != pid]
            self.say(name, msg(f"diff.process_{status}", element=describe(view.node), count=len(items)))
            if status == "added":
                self.changed_elements[pid] = [i.id for i in items]
            return {"file": name, "name": view.node.get("name"), "status": status, "added": [], "removed": [],
                    "changed": [], "layout_only": 0}
        (old_name, old_view, old_root), (name, view, root) = old, new
        if old_name != name:
            self.say(name, msg("diff.process_moved", element=describe(view.node), old=old_name, new=name))
        added, removed, changed = _compare(old_view.items, view.items)
        for item_id in added:
            self.say(name, _added_line(view.items[item_id], root, "added"))
        for item_id in removed:
            self.say(name, _added_line(old_view.items[item_id], old_root, "removed"))
        for item_id, changes in changed:
            for aspect, before, after in changes:
                self.say(name, change_line(describe(view.items[item_id].node), aspect, before, after, old_root, root))
        semantic = {*added, *removed, *(i for i, _ in changed)}
        layout = sum(1 for i in old_view.layout.keys() | view.layout.keys()
                     if i not in semantic and old_view.layout.get(i) != view.layout.get(i))
        marked = [i for i in [*added, *(i for i, _ in changed)] if i != pid]
        if marked:
            self.changed_elements[pid] = marked
        if not (semantic or layout or old_name != name):
            return None
        return {"file": name, "name": view.node.get("name"), "status": "changed",
                "added": [_element(view.items[i]) for i in added],
                "removed": [_element(old_view.items[i]) for i in removed],
                "changed": [{**_element(view.items[i]), "changes": [change_entry(*c) for c in cs]}
                            for i, cs in changed],
                "layout_only": layout}

    def compare_form(self, form_id, old, new):
        if old is None or new is None:
            name, view, _root = new or old
            status = "added" if old is None else "removed"
            self.say(name, msg(f"diff.form_{status}", form=form_title(view), count=len(view.fields)))
            return {"file": name, "status": status, "added": [], "removed": [], "changed": [], "layout_only": 0}
        (_old_name, old_view, _), (name, view, _) = old, new
        added, removed, changed = _compare(old_view.fields, view.fields)
        form = form_title(view)
        for key in added:
            self.say(name, msg("diff.field_added", form=form, field=field_title(view.fields[key])))
        for key in removed:
            self.say(name, msg("diff.field_removed", form=form, field=field_title(old_view.fields[key])))
        for key, changes in changed:
            where = msg("diff.field_where", form=form, field=field_title(view.fields[key]))
            for aspect, before, after in changes:
                self.say(name, change_line(where, aspect, before, after))
        semantic = {*added, *removed, *(k for k, _ in changed)}
        layout = sum(1 for k in old_view.layout.keys() | view.layout.keys()
                     if k not in semantic and old_view.layout.get(k) != view.layout.get(k))
        if not (semantic or layout):
            return None
        return {"file": name, "status": "changed", "added": [_field(view.fields[k]) for k in added],
                "removed": [_field(old_view.fields[k]) for k in removed],
                "changed": [{**_field(view.fields[k]), "changes": [change_entry(*c) for c in cs]} for k, cs in changed],
                "layout_only": layout}

    def compare_decision(self, decision_id, old, new):
        if old is None or new is None:
            name, view, _root = new or old
            status = "added" if old is None else "removed"
            self.say(name, msg(f"diff.decision_{status}", table=decision_title(view), count=len(view.rules)))
            return {"file": name, "name": view.name, "status": status}
        (_old_name, old_view, _), (name, view, _) = old, new
        table = decision_title(view)
        entry = {"file": name, "name": view.name, "status": "changed", "changes": []}
        for aspect, before, after in _changes(old_view.table, view.table):
            entry["changes"].append(change_entry(aspect, before, after))
            self.say(name, msg("diff.decision_change", table=table, change=describe_change(aspect, before, after)))
        for kind in ("inputs", "outputs"):
            entry[kind] = self._columns(name, table, kind, getattr(old_view, kind), getattr(view, kind))
        entry["rules"] = self._rules(name, table, old_view, view)
        if entry["changes"] or any(entry[k]["added"] or entry[k]["removed"] or entry[k]["changed"]
                                   for k in ("inputs", "outputs", "rules")) or entry["rules"]["reordered"]:
            return entry
        return None

    def _columns(self, name, table, kind, old, new):
        added, removed, changed = _compare(old, new)
        column = msg(f"diff.{kind}")
        for column_id in added:
            self.say(name, msg("diff.column_added", table=table, kind=column, column=field_title(new[column_id])))
        for column_id in removed:
            self.say(name, msg("diff.column_removed", table=table, kind=column, column=field_title(old[column_id])))
        for column_id, changes in changed:
            where = msg("diff.column_where", table=table, kind=column, column=field_title(new[column_id]))
            for aspect, before, after in changes:
                self.say(name, change_line(where, f"column.{aspect}", before, after))
        return {"added": added, "removed": removed,
                "changed": [{"id": i, "changes": [change_entry(f"column.{a}", b, c) for a, b, c in cs]}
                            for i, cs in changed]}

    def _rules(self, name, table, old_view, view):
        pairs, added, removed = _rule_pairs(old_view.rules, view.rules)
        shared_columns = {f"cell:{c}" for c in (old_view.inputs.keys() & view.inputs.keys())
                          | (old_view.outputs.keys() & view.outputs.keys())} | {"description"}
        columns = {**{f"cell:{i}": c for i, c in view.inputs.items()}, **{f"cell:{i}": c for i, c in view.outputs.items()}}
        found = {"added": [], "removed": [], "changed": [], "reordered": False}
        for number, rule in added:
            cells = [msg("diff.cell", column=_column_name(columns[k]), value=value_text(v))
                     for k, v in rule.aspects.items() if k in columns and v]
            self.say(name, msg("diff.rule_added", table=table, number=number, id=rule.id,
                               cells=msg("diff.rule_cells", cells="；".join(cells)) if cells else ""))
            found["added"].append({"id": rule.id, "number": number})
        for number, rule in removed:
            self.say(name, msg("diff.rule_removed", table=table, number=number, id=rule.id))
            found["removed"].append({"id": rule.id, "number": number})
        for (_old_number, old_rule), (number, rule) in pairs:
            changes = _changes(old_rule.aspects, rule.aspects, only=shared_columns.__contains__)
            whats = [_column_name(columns[a]) if a in columns else None for a, _, _ in changes]
            for (aspect, before, after), what in zip(changes, whats, strict=True):
                self.say(name, msg("diff.rule_change", table=table, number=number,
                                   change=describe_change(aspect, before, after, what=what)))
            if changes:
                found["changed"].append({"id": rule.id, "number": number, "changes": [
                    change_entry(a, b, c, what) for (a, b, c), what in zip(changes, whats, strict=True)]})
        order = [old_number for (old_number, _), _ in pairs]
        if order != sorted(order):
            found["reordered"] = True
            before = [r.id for (_, r), _ in sorted(pairs, key=lambda pair: pair[0][0])]
            self.say(name, msg("diff.rules_reordered", table=table, old="、".join(before),
                               new="、".join(r.id for _, (_, r) in pairs)))
        return found


def _rule_pairs(old_rules, new_rules):
    """([((old number, rule), (new number, rule))], added [(number, rule)], removed [(number, rule)]): rules by id
    when the two versions share ids, else by position."""
    old = list(enumerate(old_rules, 1))
    new = list(enumerate(new_rules, 1))
    old_ids = {r.id: (n, r) for n, r in old}
    if old_ids.keys() & {r.id for _, r in new}:
        pairs = [(old_ids[r.id], (n, r)) for n, r in new if r.id in old_ids]
        new_ids = {r.id for _, r in new}
        return pairs, [(n, r) for n, r in new if r.id not in old_ids], [(n, r) for n, r in old if r.id not in new_ids]
    count = min(len(old), len(new))
    return list(zip(old[:count], new[:count], strict=True)), new[count:], old[count:]


def _column_name(column):
    aspects = column.aspects
    return aspects.get("label") or aspects.get("name") or aspects.get("expression") or column.id


def _element(item):
    found = {"id": item.id, "kind": item.kind, "name": item.node.get("name")}
    if item.kind == "sequenceFlow":
        found.update(source=item.aspects.get("@sourceRef"), target=item.aspects.get("@targetRef"),
                     condition=item.aspects.get("condition"))
    return found


def _field(item):
    return {"key": item.id, "type": item.kind, "label": item.aspects.get("label")}


def _added_line(item, root, status):
    if item.kind != "sequenceFlow":
        return msg(f"diff.{status}", element=describe(item.node))
    source, target = (reference(root, item.aspects.get(k)) for k in ("@sourceRef", "@targetRef"))
    line = msg(f"diff.flow_{status}", element=describe(item.node), source=source, target=target)
    condition = item.aspects.get("condition")
    if status == "added" and condition:
        line += msg("diff.flow_condition", condition=value_text(condition))
    return line
