"""XML names and how a designer reads an element: `用户任务“填写”（fill）`.

Ids are XML NCNames (xsd:ID: Unicode letters, digits, `_`, `-`, `.`, not starting with a digit, `-` or `.`). They
are keys in the database and in SpiffWorkflow, never parts of a file-system path.
"""

import re

from lxml import etree

from app.messages import LABELS, msg

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"  # every element of a diagram is in it

_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
          "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_REST = _START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
NCNAME = re.compile(f"[{_START}][{_REST}]*")

KINDS = LABELS["element_kind"]  # local name -> how a designer reads it, from the catalogue


def is_ncname(text):
    return isinstance(text, str) and NCNAME.fullmatch(text) is not None


def local_name(node):
    return etree.QName(node).localname


def owner(node):
    """The nearest element, from `node` up, that has an id (the one a designer can find in the modeller)."""
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return node


def owner_id(node):
    found = owner(node)
    return None if found is None else found.get("id")


def describe(node):
    """`用户任务“填写”（fill）` for an element, or the nearest element with an id above it."""
    found = owner(node)
    if found is None:
        return KINDS.get(local_name(node), local_name(node)) if node is not None else msg("def.whole_file")
    kind = KINDS.get(local_name(found), local_name(found))
    name, element_id = (found.get("name") or "").strip(), found.get("id")
    return f"{kind}“{name}”（{element_id}）" if name else f"{kind}（{element_id}）"


def find_by_id(root, element_id):
    if root is None or not element_id:
        return None
    found = root.xpath("//*[@id=$id]", id=element_id)
    return found[0] if found else None
