"""Call activities that call back into their own process (directly or through others) are refused at deploy.

SpiffWorkflow starts a called process as soon as its call activity is reached, so a cycle of calls that nothing
stops never waits: one request would run until its step budget. A call activity in a cycle is accepted only when
the designer states the condition that ends the recursion: every path from the start of its process (or of the
sub-process holding it) to it passes a sequence flow with a condition, or a gateway's default flow.
"""

from app.engine.names import BPMN_NS, describe, local_name
from app.engine.problems import Problem
from app.messages import msg

STARTS = {"startEvent", "boundaryEvent"}  # where a token appears without a flow leading to it
CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}


def call_cycle_problems(bpmn):
    """A problem on every unguarded call activity that closes a cycle of calls among the bundle's processes."""
    calls = {}  # process id -> [(file, call activity node, callee)]
    for name, root in bpmn.items():
        for process in root.iter(f"{{{BPMN_NS}}}process"):
            found = calls.setdefault(process.get("id"), [])
            for node in process.iter(f"{{{BPMN_NS}}}callActivity"):
                callee = (node.get("calledElement") or "").strip()
                if callee and not _guarded(node):
                    found.append((name, node, callee))
    graph = {pid: {callee for _f, _n, callee in entries} for pid, entries in calls.items()}
    problems = []
    for pid, entries in calls.items():
        for name, node, callee in entries:
            path = _path(graph, callee, pid)
            if path is not None:
                chain = " → ".join([pid, *path])
                problems.append(Problem(name, node.get("id"), node.sourceline,
                                        msg("def.call_cycle", element=describe(node), chain=chain)))
    return problems


def _path(graph, start, goal):
    """The processes from `start` to `goal` along unguarded calls (start and goal included), or None."""
    seen, stack = {start}, [(start, [start])]
    while stack:
        here, path = stack.pop()
        if here == goal:
            return path
        for callee in sorted(graph.get(here, ())):
            if callee not in seen:
                seen.add(callee)
                stack.append((callee, [*path, callee]))
    return None


def _guarded(node):
    """True when no unconditioned path leads from a start of the node's container to it (nor to the container)."""
    container = node.getparent()
    while container is not None and local_name(container) not in CONTAINERS:
        container = container.getparent()
    if container is None:
        return False
    if node.get("id") not in _reached_freely(container):
        return True
    return local_name(container) != "process" and _guarded(container)


def _reached_freely(container):
    """Ids reachable from the container's starts through flows that carry no condition and are no default."""
    children = [c for c in container if isinstance(c.tag, str)]
    defaults = {c.get("default") for c in children if c.get("default")}
    outgoing = {}
    for flow in children:
        if local_name(flow) != "sequenceFlow" or flow.get("id") in defaults:
            continue
        if flow.find(f"{{{BPMN_NS}}}conditionExpression") is not None:
            continue
        outgoing.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    reached = {c.get("id") for c in children if local_name(c) in STARTS}
    if not any(local_name(c) == "startEvent" for c in children):  # no start event: every node without incoming flow
        targets = {f.get("targetRef") for f in children if local_name(f) == "sequenceFlow"}
        reached |= {c.get("id") for c in children if c.get("id") not in targets and local_name(c) != "sequenceFlow"}
    todo = list(reached)
    while todo:
        for target in outgoing.get(todo.pop(), ()):
            if target not in reached:
                reached.add(target)
                todo.append(target)
    return reached
