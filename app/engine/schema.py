"""XSD validation of BPMN files, every violation reported (SpiffWorkflow's own check stops at the first)."""

import re
import threading

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.spiff.parser.process import SPIFF_XSD

from app.engine.names import describe, is_ncname, local_name, owner_id
from app.engine.problems import Problem
from app.messages import msg

ELEMENT = re.compile(r"^Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: (.*)$", re.S)
EXPECTED = re.compile(r"Expected is (?:one of )?\(\s*(.*?)\s*\)", re.S)
DMN_PREFIX = ("http://www.omg.org/spec/DMN/", "https://www.omg.org/spec/DMN/")
_local = threading.local()


def _validator(dmn_schema=None):
    """One validator per schema and thread: lxml keeps a schema's error log on the schema object."""
    cache = _local.__dict__.setdefault("validators", {})
    if dmn_schema not in cache:
        cache[dmn_schema] = (BpmnValidator(dmn_schema) if dmn_schema
                             else BpmnValidator(imports={"spiffworkflow": SPIFF_XSD}))
    return cache[dmn_schema]


def schema_problems(root, file_name):
    """Every XSD violation of a BPMN or DMN tree, on its element, in Chinese (prepared as SpiffWorkflow does).

    DMN files are checked against the schema of their DMN version, as SpiffWorkflow does; a version it has no
    schema for is left to its parser.
    """
    namespace = etree.QName(root).namespace or ""
    if namespace.startswith(DMN_PREFIX):
        if namespace not in DMN_SCHEMAS:
            return []
        validator = _validator(DMN_SCHEMAS[namespace])
    else:
        validator = _validator()
        validator.preprocess(root)
    schema = validator.validator
    if schema.validate(root):
        return []
    return [_problem(root, file_name, entry) for entry in schema.error_log]


def _problem(root, file_name, entry):
    match = ELEMENT.match(entry.message.strip())
    tag, attribute, detail = match.groups() if match else (None, None, entry.message.strip())
    node = _node_at(root, entry.line, tag)
    reason = _reason(attribute, detail)
    where = describe(node) if node is not None else msg("def.line", line=entry.line)
    element_id = owner_id(node) if node is not None else None
    return Problem(file_name, element_id, entry.line, msg("def.xsd_on", element=where, reason=reason))


def _node_at(root, line, tag):
    on_line = [node for node in root.iter() if isinstance(node.tag, str) and node.sourceline == line]
    named = [node for node in on_line if tag and local_name(node) == tag]
    return (named or on_line or [None])[0]


def _reason(attribute, detail):
    """lxml's English reason in Chinese where it is one of the usual ones; the original text otherwise."""
    if attribute and "atomic type 'xs:ID'" in detail:
        value = detail.split("'")[1] if detail.count("'") >= 2 else ""
        return msg("def.xsd_duplicate_id", value=value) if is_ncname(value) else msg("def.xsd_bad_id", value=value)
    if attribute and "is not allowed" in detail:
        return msg("def.xsd_attribute_not_allowed", attribute=attribute)
    if "is required but missing" in detail:
        missing = detail.split("'")[1] if detail.count("'") >= 2 else ""
        return msg("def.xsd_attribute_missing", attribute=missing)
    expected = EXPECTED.search(detail)
    names = "、".join(sorted({etree.QName(n.strip()).localname for n in expected.group(1).split(",")})) if expected else ""
    if "This element is not expected" in detail:
        return msg("def.xsd_unexpected", expected=names) if names else msg("def.xsd_unexpected_any")
    if "Missing child element" in detail:
        return msg("def.xsd_missing_child", expected=names)
    if attribute:
        return msg("def.xsd_attribute_invalid", attribute=attribute, detail=detail)
    return msg("def.xsd_other", detail=detail)
