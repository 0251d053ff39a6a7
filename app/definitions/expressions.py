"""Check every piece of designer code a bundle holds: it compiles under the sandbox, it is Python, not JUEL,
and a timer's literal is a valid ISO 8601 value of its kind."""

import ast
import re

from app.engine.inspection import condition_sites, expression_sites, timer_sites
from app.engine.names import describe
from app.engine.problems import Problem
from app.engine.scripting import check_source
from app.engine.timers import literal_reason
from app.messages import msg

JUEL = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.S)
JUEL_OPENING = re.compile(r"[$#]\{")  # `${…}` or `#{…}` anywhere: JUEL, as Camunda writes `${initiator}`
STRING_LITERAL = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
STRINGS = re.compile(STRING_LITERAL)


def has_juel(text, outside_strings=False):
    """Whether `text` holds JUEL (`${…}` or `#{…}`); `outside_strings`: not counting Python string literals in it."""
    text = STRINGS.sub("", text or "") if outside_strings else (text or "")
    return bool(JUEL_OPENING.search(text))
JUEL_TOKENS = re.compile(
    f"({STRING_LITERAL})" r"|(&&|\|\||!=|!|\b(?:eq|ne|lt|gt|le|ge|div|mod|empty|null|true|false)\b)")
PYTHON_OF = {"&&": "and", "||": "or", "!=": "!=", "!": "not ", "eq": "==", "ne": "!=", "lt": "<", "gt": ">",
             "le": "<=", "ge": ">=", "div": "/", "mod": "%", "empty": "not ", "null": "None", "true": "True",
             "false": "False"}


def juel_to_python(text):
    """The Python expression for a JUEL one (`${a > 1 && !b}` → `a > 1 and not b`), or None if `text` is not JUEL."""
    found = JUEL.match(text or "")
    if found is None:
        return None

    def swap(match):
        return match.group(1) or PYTHON_OF[match.group(2)]
    return re.sub(r"\s+", " ", JUEL_TOKENS.sub(swap, found.group(1))).replace("not  ", "not ").strip()


def check_expressions(parsed):
    """Problems of every expression site, condition and timer of the bundle's executable processes."""
    problems = []
    for site in [*expression_sites(parsed), *condition_sites(parsed), *timer_sites(parsed)]:
        reason = site_reason(site)
        if reason:
            file_name, line = parsed.locate(site.file, site.element_id)
            element = describe(parsed.element(file_name, site.element_id))
            problems.append(Problem(file_name, site.element_id, line, msg(
                "def.site", element=element, what=site.what, reason=reason)))
    return problems


def site_reason(site):
    """Why a site's source cannot run here (JUEL, does not compile, not a valid timer literal); None if it can."""
    source = site.source
    if JUEL.match(source) or has_juel(source, outside_strings=True):
        python = juel_to_python(source)
        return msg("def.juel", python=python) if python else msg("def.juel_embedded")
    error = check_source(source, site.mode)
    if error:
        return msg("def.not_compiled", detail=error)
    if site.timer is not None:
        literal = _literal(source)
        if literal is not _NOT_LITERAL:
            return literal_reason(site.timer, literal)
    return None


_NOT_LITERAL = object()


def _literal(source):
    try:
        return ast.literal_eval(source.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_LITERAL
