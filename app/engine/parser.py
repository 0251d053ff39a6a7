"""Parse a bundle of BPMN and DMN files safely, collecting every problem instead of stopping at the first."""

import re
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from app.messages import msg

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DMN_PREFIX = ("http://www.omg.org/spec/DMN/", "https://www.omg.org/spec/DMN/")
SAFE_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
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
class Problem:
    file: str
    element_id: str | None
    line: int | None
    message: str

    def as_dict(self):
        return {"file": self.file, "element_id": self.element_id, "line": self.line, "message": self.message}


class BundleError(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class AppParser(SpiffBpmnParser):
    """SpiffWorkflow's Spiff parser with XSD validation on; class dicts are never mutated."""

    def __init__(self):
        super().__init__(validator=VALIDATOR)


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
    roots: dict  # file name -> root element
    process_files: dict  # process id -> file name
    decision_ids: set = field(default_factory=set)
    problems: list = field(default_factory=list)

    def spec(self, process_id):
        """(spec, subprocess specs) for one process of the bundle."""
        return self.parser.get_spec(process_id), self.parser.get_subprocess_specs(process_id)

    def line_of(self, file_name, element_id):
        root = self.roots.get(file_name)
        if root is None or not element_id:
            return None
        found = root.xpath("//*[@id=$id]", id=element_id)
        return found[0].sourceline if found else None

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


def parse_bundle(files, max_flow_nodes=400, known_properties=None, collect=False):
    """Parse {name: bytes} for BPMN/DMN files; return a ParsedBundle or raise BundleError with all problems.

    `known_properties`, when given, is the set of `spiffworkflow:property` names the host understands.
    With `collect`, problems are kept on the bundle instead, which holds only the processes that parsed,
    so a validator can go on checking them.
    """
    parser = AppParser()
    problems, roots, process_files, decisions = [], {}, {}, set()
    for name, content in sorted(files.items()):
        root = _read_file(name, content, problems)
        if root is None:
            continue
        _check_extensions(root, name, problems, known_properties)
        roots[name] = root
        if _is_dmn(root):
            _add_dmn(parser, root, name, problems, decisions)
        else:
            _add_bpmn(parser, root, name, problems, process_files, max_flow_nodes)
    bundle = ParsedBundle(parser, roots, process_files, decisions)
    broken_files = {p.file for p in problems}
    for pid in [pid for pid, name in process_files.items() if name in broken_files]:
        del process_files[pid]
    _build_specs(bundle, problems)
    if problems and not collect:
        raise BundleError(problems)
    bundle.problems = problems
    return bundle


def _read_file(name, content, problems):
    if not SAFE_FILE.match(name) or ".." in name or not name.endswith((".bpmn", ".dmn")):
        problems.append(Problem(name, None, None, msg("def.bad_file_name")))
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
    return root


def _is_dmn(root):
    return (etree.QName(root).namespace or "").startswith(DMN_PREFIX)


def _check_extensions(root, name, problems, known_properties):
    for node in root.iter(f"{{{SPIFF_NS}}}*"):
        local = etree.QName(node).localname
        if local not in SPIFF_ELEMENTS:
            problems.append(Problem(name, _owner_id(node), node.sourceline, msg("def.unknown_extension", name=local)))
        elif local == "property" and node.getparent() is not None and \
                etree.QName(node.getparent()).localname == "properties":
            prop = node.get("name", "")
            if known_properties is not None and prop not in known_properties:
                problems.append(Problem(name, _owner_id(node), node.sourceline, msg(
                    "def.unknown_property", name=prop, allowed="、".join(sorted(known_properties)))))


def _owner_id(node):
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return None if node is None else node.get("id")


def _add_dmn(parser, root, name, problems, decisions):
    try:
        parser.add_dmn_xml(root, filename=name)
    except ValidationException as err:
        problems.append(_from_validation(err, name, root))
        return
    for decision in root.iter("{*}decision"):
        decisions.add(decision.get("id"))


def _add_bpmn(parser, root, name, problems, process_files, max_flow_nodes):
    before = len(problems)
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        pid = process.get("id", "")
        if not SAFE_ID.match(pid):
            problems.append(Problem(name, pid, process.sourceline, msg("def.bad_process_id", pid=pid)))
        elif pid in process_files:
            problems.append(Problem(name, pid, process.sourceline,
                                    msg("def.duplicate_process", pid=pid, other=process_files[pid])))
        else:
            process_files[pid] = name
        count = sum(1 for node in process.iter() if etree.QName(node).localname in FLOW_NODE_TAGS)
        if count > max_flow_nodes:
            problems.append(Problem(name, pid, process.sourceline, msg("def.too_large", count=count, limit=max_flow_nodes)))
    if len(problems) > before:
        return
    try:
        parser.add_bpmn_xml(root, filename=name)
    except ValidationException as err:
        problems.append(_from_validation(err, name, root))


def _build_specs(bundle, problems):
    """Build every process's spec; a process that fails is reported and dropped from the bundle."""
    for pid, name in list(bundle.process_files.items()):
        try:
            bundle.spec(pid)
        except ValidationException as err:
            problems.append(_from_validation(err, err.file_name or name, bundle.roots.get(err.file_name or name)))
            del bundle.process_files[pid]
        except RecursionError:
            problems.append(Problem(name, pid, None, msg("def.too_deep")))
            del bundle.process_files[pid]


def _from_validation(err, name, root):
    element_id = getattr(err, "id", None) or None
    line = err.line_number if isinstance(err.line_number, int) else None
    if line is None and element_id and root is not None:
        found = root.xpath("//*[@id=$id]", id=element_id)
        line = found[0].sourceline if found else None
    detail = str(err.args[0] if err.args else err)
    if "RecursionError" in detail or "recursion depth" in detail:
        return Problem(name, element_id, line, msg("def.too_deep"))
    key = "def.xsd" if "Element '" in detail or "attribute" in detail.lower() and line else "def.semantic"
    return Problem(name, element_id, line, msg(key, detail=detail))
