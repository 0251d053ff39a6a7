"""Title and instruction templates: Jinja in its SandboxedEnvironment, over task data only."""

import re
from functools import lru_cache

from jinja2 import TemplateError, Undefined
from jinja2.sandbox import SandboxedEnvironment

from app.messages import msg

MAX_OUTPUT = 20_000
# What titles and instructions may call to name a code (app.workflow.assignment.text_helpers provides them).
TEMPLATE_HELPERS = frozenset({"org_name", "person_name", "label"})


class _Env(SandboxedEnvironment):
    """No attribute of Python objects beyond plain data; output length bounded."""

    intercepted_binops = frozenset(["*", "**"])

    def is_safe_attribute(self, obj, attr, value):
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "*" and any(isinstance(x, (str, list)) for x in (left, right)):
            size = max(len(x) if isinstance(x, (str, list)) else 0 for x in (left, right))
            count = max(x if isinstance(x, int) else 0 for x in (left, right))
            if size * count > MAX_OUTPUT:
                raise TemplateError("output too large")
        if operator == "**" and isinstance(right, int) and right > 1000:
            raise TemplateError("number too large")
        return super().call_binop(context, operator, left, right)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")  # what Markdown lets a backslash escape


def escape_markdown(value):
    """Data filled into Markdown instructions stays text: a user's `[link](…)` or `**` is shown, not applied."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", value) if isinstance(value, str) else value


_ENV = _Env(autoescape=False, undefined=Undefined)
_MARKDOWN_ENV = _Env(autoescape=False, undefined=Undefined, finalize=escape_markdown)


@lru_cache(maxsize=2048)
def _compile(source, markdown=False):
    return (_MARKDOWN_ENV if markdown else _ENV).from_string(source)


def check_template(source):
    """A Chinese message if the template does not compile, else None."""
    try:
        _compile(source)
    except TemplateError as err:
        return str(err)
    return None


def render_template(source, data, markdown=False, helpers=None):
    """Render over a copy of the data; failures render as a Chinese note, never raise.

    `markdown`: the template is Markdown (instructions), so every value printed into it is escaped. `helpers`:
    functions the template may call to name codes (`{{ org_name(dept) }}`), which data cannot shadow.
    """
    if not source:
        return ""
    try:
        text = _compile(source, markdown).render({**{k: v for k, v in data.items() if isinstance(k, str)},
                                                  **(helpers or {})})
    except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, MemoryError) as err:
        return msg("template.failed", detail=str(err))
    return text[:MAX_OUTPUT]
