"""Which data a form gives its processes, which names their code reads after it, and which of those nothing gives.

The processes read are those with a human task or start event showing the form. What they read is collected from
every element downstream of those (following sequence flows, into and out of sub-processes, boundary events and
event sub-processes) and from every process a call activity there calls: scripts, pre- and post-scripts,
conditions, service parameters, `org`, `due` when an expression, title and instruction templates, multi-instance
settings, timer expressions and the decision tables business rule tasks call. A name is given by any form of those
processes, a script's top-level assignment, a service's result variable, a multi-instance item, a decision's output,
a message variable or data object, the start data every instance has, a helper or a builtin — anywhere in the
processes connected to it by call activities, in either direction and in any order: a name is `missing` only when
no path could give it. Read from the files as written (a draft need not build); unreadable files give nothing.
"""

import ast
import json

from jinja2 import TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from app.definitions.aspects import read_bpmn, read_dmn
from app.definitions.defaults import STANDARD_START_DATA, form_of
from app.definitions.diff_texts import aspect_label
from app.definitions.files import file_kind, stem
from app.definitions.forms import form_to_json_schema
from app.definitions.templates import TEMPLATE_HELPERS
from app.engine.decisions import condition_source
from app.engine.durations import is_duration
from app.engine.names import BPMN_NS, describe
from app.engine.parser import DMN_PREFIX, harden_parse
from app.engine.scripting.policy import SAFE_BUILTIN_NAMES
from app.engine.timers import TIMER_KINDS, literal_reason
from app.engine.vendors import read_conventions
from app.messages import label, msg

STANDARD_DATA = frozenset(STANDARD_START_DATA)
BUILTINS = frozenset(SAFE_BUILTIN_NAMES) | {"math", "dmninputexpr"}
FORM_NODES = {"startEvent", "userTask", "manualTask", "task"}
EXEC = {"script", "spiff:preScript", "spiff:postScript"}
EVAL = {"condition", "property:org", "mi.loopCardinality", "mi.completionCondition", "event.condition",
        "spiff:messagePayload"}
TEMPLATES = {"property:title", "spiff:instructionsForEndUser"}
AFTER_FORM = {"spiff:postScript", "mi.completionCondition"}  # what a form's own task evaluates after the form
GIVING = ("service.result", "mi.inputDataItem", "mi.outputDataItem", "mi.loopDataOutputRef", "spiff:messageVariable")
_TEMPLATES = SandboxedEnvironment()


def form_key_report(files, form_id, schema, *, reserved=frozenset()):
    """{"keys": the form's data paths, "processes": ids of the processes showing it, "reads": [{name, process,
    element_id, where, from_form}], "missing": the reads nothing gives} for form `form_id` as `schema` (the draft
    being edited) in the bundle `files` ({name: bytes}); `reserved`: the host's helper names."""
    processes, decisions, forms, form_files = _read_bundle(files)
    forms[form_id] = schema
    form_files.setdefault(form_id, form_id)
    own = _top_names(schema)
    users = [pid for pid, view in processes.items() if _form_tasks(view, form_files, form_id)]
    reads, seen = [], set()
    for pid in users:
        view = processes[pid]
        for read in _reads(view, _form_tasks(view, form_files, form_id), processes, decisions):
            key = (read["name"], read["process"], read["element_id"], read["where"])
            if key not in seen:
                seen.add(key)
                reads.append({**read, "from_form": read["name"] in own})
    given = {}  # process id -> what its call-connected processes give
    for pid in {r["process"] for r in reads}:
        given[pid] = _given(_connected(pid, processes), processes, decisions, forms, form_files)
    ignored = BUILTINS | STANDARD_DATA | set(reserved) | set(_TEMPLATES.globals) | TEMPLATE_HELPERS
    missing = [r for r in reads if r["name"] not in ignored and r["name"] not in given[r["process"]]]
    return {"keys": _paths(schema), "processes": users, "reads": reads, "missing": missing}


def _read_bundle(files):
    """({process id: ProcessView}, {decision id: DecisionView}, {form id: schema}, {form id: file name}) of the
    files that read."""
    processes, decisions, forms, form_files = {}, {}, {}, {}
    for name, content in sorted((files or {}).items()):
        kind = file_kind(name)
        try:
            if kind == "form":
                data = json.loads(content.decode("utf-8-sig") if isinstance(content, bytes) else content)
                if isinstance(data, dict):
                    form_id = data.get("id") if isinstance(data.get("id"), str) and data.get("id") else stem(name)
                    forms.setdefault(form_id, data)
                    form_files.setdefault(form_id, name)
            elif kind in ("bpmn", "dmn"):
                root = harden_parse(content)
                if (etree.QName(root).namespace or "").startswith(DMN_PREFIX):
                    for decision_id, view in read_dmn(root).items():
                        decisions.setdefault(decision_id, view)
                elif root.tag == f"{{{BPMN_NS}}}definitions":
                    for pid, view in read_bpmn(read_conventions(root))[0].items():
                        processes.setdefault(pid, view)
        except Exception:  # an unreadable file gives and reads nothing; validation and the diff say why
            continue
    return processes, decisions, forms, form_files


def _form_tasks(view, form_files, form_id):
    """Ids of the human tasks and start events of a process that show form `form_id` (by `form`, or a form key)."""
    return [i.id for i in view.items.values()
            if i.kind in FORM_NODES and form_of(_properties(i), form_files)[0] == form_id]


def _properties(item):
    return {k[len("property:"):]: v for k, v in item.aspects.items() if k.startswith("property:")}


def _top_names(schema):
    try:
        return set(form_to_json_schema(schema)["properties"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return set()


def _paths(schema):
    """The form's data paths: `a`, `group.b`, `list[].c`."""
    try:
        properties = form_to_json_schema(schema)["properties"]
    except (AttributeError, KeyError, TypeError, ValueError):
        return []
    return sorted(_walk_paths(properties, ""))


def _walk_paths(properties, prefix):
    for key, node in properties.items():
        yield prefix + key
        if node.get("type") == "object":
            yield from _walk_paths(node.get("properties", {}), f"{prefix}{key}.")
        elif isinstance(node.get("items"), dict) and node["items"].get("properties"):
            yield from _walk_paths(node["items"]["properties"], f"{prefix}{key}[].")


def _reads(view, seeds, processes, decisions):
    """Every name read downstream of the seeds in this process, and in the processes called from there."""
    reached = _reach(view, seeds)
    for item in view.items.values():
        if item.id in reached or item.id in seeds:
            yield from _item_reads(view.id, item, decisions, partial=item.id not in reached)
    for callee in _callees(view, reached, processes):
        for item in processes[callee].items.values():
            yield from _item_reads(callee, item, decisions, partial=False)


def _reach(view, seeds):
    following = _following(view)
    reached, queue = set(), [n for seed in seeds for n in following.get(seed, [])]
    queue += [i.id for i in view.items.values() if i.kind == "subProcess" and i.aspects.get("@triggeredByEvent") == "true"]
    while queue:
        current = queue.pop()
        if current not in reached:
            reached.add(current)
            queue.extend(following.get(current, []))
    return reached


def _following(view):
    """{id: ids that run after it}: flows, boundary events, what a sub-process holds and where it goes after."""
    following, leaving = {}, {}
    for item in view.items.values():
        source = item.aspects.get("@sourceRef")
        if item.kind == "sequenceFlow":
            following.setdefault(source, []).append(item.id)
            following.setdefault(item.id, []).append(item.aspects.get("@targetRef"))
            leaving.setdefault(source, []).append(item.id)
        elif item.kind == "boundaryEvent":
            following.setdefault(item.aspects.get("@attachedToRef"), []).append(item.id)
        if item.parent:
            following.setdefault(item.parent, []).append(item.id)
    for item in view.items.values():
        if item.parent and item.kind == "endEvent":
            following.setdefault(item.id, []).extend(leaving.get(item.parent, []))
    return following


def _callees(view, reached, processes):
    """Processes called (directly or through others) by the reached call activities."""
    found, queue = [], [view.items[i].aspects.get("@calledElement") for i in reached
                        if i in view.items and view.items[i].kind == "callActivity"]
    while queue:
        callee = queue.pop(0)
        if callee in processes and callee not in found and callee != view.id:
            found.append(callee)
            queue += [i.aspects.get("@calledElement") for i in processes[callee].items.values() if i.kind == "callActivity"]
    return found


def _connected(pid, processes):
    """The processes linked to `pid` by call activities, either way, transitively (data flows both ways)."""
    links = {}
    for view in processes.values():
        for item in view.items.values():
            callee = item.aspects.get("@calledElement") if item.kind == "callActivity" else None
            if callee in processes:
                links.setdefault(view.id, set()).add(callee)
                links.setdefault(callee, set()).add(view.id)
    found, queue = {pid}, [pid]
    while queue:
        for other in links.get(queue.pop(), ()):
            if other not in found:
                found.add(other)
                queue.append(other)
    return found


def _item_reads(pid, item, decisions, partial):
    """{name, process, element_id, where} for each name an element's code reads (`partial`: only what runs after
    the element's own form)."""
    for aspect, value in item.aspects.items():
        if not isinstance(value, str) or not value.strip() or (partial and aspect not in AFTER_FORM):
            continue
        for name in _names_read(aspect, value):
            yield _read(name, pid, item, aspect_label(aspect))
    decision = decisions.get(item.aspects.get("spiff:calledDecisionId")) if item.kind == "businessRuleTask" else None
    if decision is not None and not partial:
        for what, source in _decision_sources(decision):
            for name in names_in(source, "eval")[0]:
                yield _read(name, pid, item, label("expression_site", what))


def _read(name, pid, item, what):
    return {"name": name, "process": pid, "element_id": item.id,
            "where": msg("formkeys.where", element=describe(item.node), what=what)}


def _names_read(aspect, value):
    if aspect in EXEC:
        return names_in(value, "exec")[0]
    if aspect in EVAL or aspect.startswith("param:") or (aspect == "property:due" and not is_duration(value)):
        return names_in(value, "eval")[0]
    if aspect in TEMPLATES:
        return _template_names(value)
    if aspect == "mi.loopDataInputRef":
        return [value.strip()] if value.strip().isidentifier() else []
    kind = TIMER_KINDS.get(aspect[len("timer:"):]) if aspect.startswith("timer:") else None
    if kind is not None and literal_reason(kind, value) is not None:  # a bare ISO 8601 value reads nothing
        return names_in(value, "eval")[0]
    return []


def _template_names(source):
    try:
        return sorted(meta.find_undeclared_variables(_TEMPLATES.parse(source)))
    except TemplateError:
        return []


def _decision_sources(decision):
    """(expression site, source) of a decision table's inputs and cells, as the DMN engine evaluates them."""
    for column in decision.inputs.values():
        yield "dmn_input", column.aspects.get("expression") or ""
    for rule in decision.rules:
        for key, text in rule.aspects.items():
            column = key[len("cell:"):]
            if text and column in decision.inputs:
                yield "dmn_condition", condition_source(text)
            elif text and column in decision.outputs:
                yield "dmn_output", text


def _given(pids, processes, decisions, forms, form_files):
    """Every name the processes `pids` give: forms, script assignments, results, items, decision outputs, objects."""
    given = set()
    for pid in pids:
        for item in processes[pid].items.values():
            aspects = item.aspects
            if item.kind in FORM_NODES:
                given |= _top_names(forms.get(form_of(_properties(item), form_files)[0]))
            for aspect in EXEC & aspects.keys():
                given |= names_in(aspects[aspect], "exec")[1]
            given |= {aspects[k].strip() for k in GIVING if isinstance(aspects.get(k), str)}
            if item.kind in ("dataObject", "dataObjectReference"):
                given |= {item.id, aspects.get("@name") or ""}
            decision = decisions.get(aspects.get("spiff:calledDecisionId"))
            for output in (decision.outputs.values() if decision else ()):
                given.add((output.aspects.get("name") or output.aspects.get("label") or "").split(".")[0])
    return given - {""}


def names_in(source, mode):
    """(names the code reads, in order, once each; names it assigns at its top level) — ([], set()) if it does not
    parse. A name a script assigns before reading it is not read; names bound inside functions, lambdas and
    comprehensions are their own."""
    try:
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return [], set()
    if mode == "eval":
        return list(dict.fromkeys(_loads(tree.body, frozenset()))), set()
    reads, stored, defined = [], set(), set()
    for statement in tree.body:
        reads += _loads(statement, frozenset(stored | defined))
        stored |= _stores(statement)
        if isinstance(statement, ast.FunctionDef):  # bound, but never data: the sandbox drops callables
            defined.add(statement.name)
    return list(dict.fromkeys(reads)), stored


def _loads(node, bound):
    """Names loaded in `node` that `bound` does not hold, scope by scope."""
    if isinstance(node, ast.Name):
        return [node.id] if isinstance(node.ctx, ast.Load) and node.id not in bound else []
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id not in bound:
        return [node.target.id, *_loads(node.value, bound)]
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        found, inner = [], set(bound)
        for generator in node.generators:
            found += _loads(generator.iter, frozenset(inner))
            inner |= _stores(generator.target)
            for condition in generator.ifs:
                found += _loads(condition, frozenset(inner))
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        return found + [n for part in parts for n in _loads(part, frozenset(inner))]
    if isinstance(node, (ast.Lambda, ast.FunctionDef)):
        arguments = node.args
        names = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        body = node.body if isinstance(node.body, list) else [node.body]
        local = bound | names | {s for statement in body for s in _stores(statement)} | {getattr(node, "name", "")}
        defaults = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
        return [n for d in defaults for n in _loads(d, bound)] + [n for s in body for n in _loads(s, frozenset(local))]
    return [n for child in ast.iter_child_nodes(node) for n in _loads(child, bound)]


def _stores(node):
    """Names a statement assigns in its own scope (not inside functions, lambdas or comprehensions)."""
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Store) else set()
    if isinstance(node, (ast.FunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        return set()
    return {n for child in ast.iter_child_nodes(node) for n in _stores(child)}
