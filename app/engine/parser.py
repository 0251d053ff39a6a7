"""Parse a bundle of BPMN and DMN files safely, collecting every problem of every file instead of stopping at the first.

Each file is read on its own (size, hardened XML, root, element count, extensions, XSD), bare ISO 8601 timer
values are read as literals, other vendors' conventions are read or warned about (app/engine/vendors.py), then
SpiffWorkflow builds the specs of the whole bundle (app/engine/building.py).
"""

import copy
from dataclasses import dataclass, field

from lxml import etree

from app.engine.building import AppParser, build_specs
from app.engine.call_cycles import call_cycle_problems
from app.engine.names import BPMN_NS, describe, find_by_id, local_name, owner_id
from app.engine.problems import BundleError, Problem, errors_in, warnings_in
from app.engine.schema import schema_problems
from app.engine.timers import quote_bare_timers
from app.engine.unsupported import unsupported_problems
from app.engine.vendors import read_conventions, vendor_warnings
from app.messages import msg

__all__ = ["AppParser", "BundleError", "DiagramLimits", "ParsedBundle", "Problem", "harden_parse", "parse_bundle"]

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DMN_PREFIX = ("http://www.omg.org/spec/DMN/", "https://www.omg.org/spec/DMN/")
SPIFF_ELEMENTS = {
    "properties", "property", "instructionsForEndUser", "preScript", "postScript", "serviceTaskOperator",
    "parameters", "parameter", "calledDecisionId", "messagePayload", "messageVariable",
    "processVariableCorrelation", "variableName", "payloadExpression", "unitTests", "unitTest",
    "inputJson", "expectedOutputJson", "category", "taskMetadataValues", "taskMetadataValue",
    "signalButtonLabel", "allowGuest", "guestConfirmation",
}
FLOW_NODE_TAGS = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask", "receiveTask",
    "callActivity", "subProcess", "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
    "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
}


@dataclass(frozen=True)
class DiagramLimits:
    """Config's MAX_FLOW_NODES, MAX_DIAGRAM_BYTES and MAX_DIAGRAM_ELEMENTS; None leaves a size unchecked."""

    max_flow_nodes: int
    max_bytes: int | None
    max_elements: int | None


def harden_parse(content):
    """Parse XML bytes with DTDs, entities and network access all refused."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True,
    )
    root = etree.fromstring(content, parser=parser)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ValueError("doctype")
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise ValueError("doctype")
    return root


@dataclass
class ParsedBundle:
    parser: AppParser
    roots: dict  # file name -> root element, as uploaded
    process_files: dict  # executable process id -> file name (its spec built)
    non_executable: dict = field(default_factory=dict)  # process id -> file name: stored and shown, never started
    decision_ids: set = field(default_factory=set)
    problems: list = field(default_factory=list)

    @property
    def errors(self):
        return errors_in(self.problems)

    @property
    def warnings(self):
        return warnings_in(self.problems)

    def spec(self, process_id):
        """(spec, subprocess specs) for one executable process of the bundle."""
        return self.parser.get_spec(process_id), self.parser.get_subprocess_specs(process_id)

    def element(self, file_name, element_id):
        return find_by_id(self.roots.get(file_name), element_id)

    def line_of(self, file_name, element_id):
        found = self.element(file_name, element_id)
        return None if found is None else found.sourceline

    def locate(self, file_name, element_id):
        """(file, line) of an element: in the given file, else in whichever file defines it (DMN cells)."""
        line = self.line_of(file_name, element_id)
        if line is not None:
            return file_name, line
        for name in self.roots:
            line = self.line_of(name, element_id)
            if line is not None:
                return name, line
        return file_name, None

    def process_element(self, process_id):
        name = self.process_files.get(process_id) or self.non_executable.get(process_id)
        found = self.element(name, process_id)
        return found if found is not None and local_name(found) == "process" else None


def parse_bundle(files, limits, known_properties=None, collect=False, deploying=True):
    """Parse {name: bytes} for BPMN/DMN files; return a ParsedBundle or raise BundleError if any problem is an error.

    `known_properties`, when given, is the set of `spiffworkflow:property` names the host understands.
    With `collect`, problems (errors and warnings) are kept on the bundle instead, which holds only the processes
    that built, so a validator can go on checking them. Without `deploying` (a stored version loaded to run),
    the deploy policies a later release added (call cycles, constructs refused as misrun) do not refuse it: it
    passed the rules of its day, and the run limits still bound what it does; their normalisations still apply.
    """
    problems, roots, bpmn, dmn, seen, explained = [], {}, {}, {}, {}, set()
    for name, content in sorted(files.items()):
        root = _read_file(name, content, limits, problems)
        if root is None:
            continue
        roots[name] = root
        _check_extensions(root, name, problems, known_properties)
        schema = schema_problems(root, name)
        problems.extend(schema)
        explained.update((p.file, p.element_id) for p in schema)
        if _is_dmn(root):
            dmn[name] = root
        else:
            problems.extend(quote_bare_timers(root, name))
            problems.extend(vendor_warnings(root, name))
            bpmn[name] = read_conventions(_working_copy(root, name, limits, problems, seen))
    policies = [*call_cycle_problems(bpmn), *unsupported_problems(bpmn)]  # the latter normalises bpmn's trees
    if deploying:
        problems.extend(policies)
    built = build_specs(bpmn, dmn, roots, problems, explained)
    bundle = ParsedBundle(built.parser, roots, built.executable, built.non_executable, set(built.parser.dmn_parsers),
                          problems)
    if bundle.errors and not collect:
        raise BundleError(problems)
    return bundle


def _read_file(name, content, limits, problems):
    if limits.max_bytes is not None and len(content) > limits.max_bytes:
        problems.append(Problem(name, None, None, msg("def.diagram_too_big", size=len(content), limit=limits.max_bytes)))
        return None
    try:
        root = harden_parse(content)
    except etree.XMLSyntaxError as err:
        detail = str(err)
        key = "def.doctype" if "Entity" in detail or "DOCTYPE" in detail.upper() else "def.malformed"
        problems.append(Problem(name, None, err.lineno, msg(key, detail=detail)))
        return None
    except LookupError as err:
        problems.append(Problem(name, None, None, msg("def.bad_encoding", detail=str(err))))
        return None
    except ValueError:
        problems.append(Problem(name, None, None, msg("def.doctype")))
        return None
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "definitions" or not (namespace == BPMN_NS or _is_dmn(root)):
        problems.append(Problem(name, None, root.sourceline, msg("def.bad_root", tag=root.tag)))
        return None
    count = sum(1 for _ in root.iter())
    if limits.max_elements is not None and count > limits.max_elements:
        problems.append(Problem(name, None, None, msg("def.diagram_too_many", count=count, limit=limits.max_elements)))
        return None
    return root


def _is_dmn(root):
    return (etree.QName(root).namespace or "").startswith(DMN_PREFIX)


def _check_extensions(root, name, problems, known_properties):
    for node in root.iter(f"{{{SPIFF_NS}}}*"):
        local = etree.QName(node).localname
        if local not in SPIFF_ELEMENTS:
            problems.append(Problem(name, owner_id(node), node.sourceline, msg("def.unknown_extension", name=local)))
        elif local == "property" and node.getparent() is not None and \
                etree.QName(node.getparent()).localname == "properties":
            prop = node.get("name", "")
            if known_properties is not None and prop not in known_properties:
                problems.append(Problem(name, owner_id(node), node.sourceline, msg(
                    "def.unknown_property", name=prop, allowed="、".join(sorted(known_properties)))))


def _working_copy(root, name, limits, problems, seen):
    """The tree SpiffWorkflow gets: without processes it must not parse (a duplicate id, too many nodes) or data
    stores (the platform implements none); each is reported here."""
    set_aside = []
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        pid = process.get("id", "")
        count = sum(1 for node in process.iter() if isinstance(node.tag, str) and local_name(node) in FLOW_NODE_TAGS)
        if pid in seen:
            problems.append(Problem(name, pid, process.sourceline, msg("def.duplicate_process", pid=pid, other=seen[pid])))
            set_aside.append(process)
        elif count > limits.max_flow_nodes:
            problems.append(Problem(name, pid, process.sourceline, msg(
                "def.too_large_on", element=describe(process), count=count, limit=limits.max_flow_nodes)))
            set_aside.append(process)
        seen.setdefault(pid, name)
    executable = any(p.get("isExecutable", "true") == "true" for p in root.iter(f"{{{BPMN_NS}}}process"))
    for store in root.iter(f"{{{BPMN_NS}}}dataStore"):  # harmless in a diagram that is only ever viewed
        if executable:
            problems.append(Problem(name, store.get("id"), store.sourceline, msg("def.data_store", element=describe(store))))
        set_aside.append(store)
    if not set_aside:
        return root
    work = copy.deepcopy(root)
    for node in set_aside:
        twin = find_by_id(work, node.get("id")) if node.get("id") else None
        if twin is not None and twin.getparent() is not None:
            twin.getparent().remove(twin)
    return work
