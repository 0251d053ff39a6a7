"""What designer code may be: RestrictedPython's policy plus our refusals, the builtins whitelist, JSON values.

Beyond RestrictedPython's guards (no imports, no dunder or frame attributes, no str.format), the transformer
refuses classes, globals, generators, `with` and format specs, injects a tick into every loop body, function
body and lambda, and routes the operators that can allocate without bound through `_binop_`.
"""

import ast
import math
import re
from functools import lru_cache

from RestrictedPython import RestrictingNodeTransformer, compile_restricted

from app.messages import msg

JSON_SCALARS = (str, int, float, bool, type(None))


class ScriptError(Exception):
    """A script failed or was refused; `message` is Chinese, `line` is 1-based when known."""

    def __init__(self, message, line=None, detail=None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.detail = detail or message


FORBIDDEN_NODES = {
    ast.ClassDef: "class",
    ast.Global: "global",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.AsyncFunctionDef: "async",
    ast.Await: "await",
    ast.With: "with",
    ast.Import: "import",
    ast.ImportFrom: "import",
}
GUARDED_BINOPS = {ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<", ast.Add: "+", ast.Mod: "%"}


class SandboxTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy plus step ticks and allocation guards."""

    def generic_visit(self, node):
        kind = FORBIDDEN_NODES.get(type(node))
        if kind:
            self.error(node, msg("script.forbidden_construct", what=kind))
            return node
        return super().generic_visit(node)

    def visit_ClassDef(self, node):
        return self.generic_visit(node)

    def visit_Global(self, node):
        return self.generic_visit(node)

    def visit_Yield(self, node):
        return self.generic_visit(node)

    def visit_YieldFrom(self, node):
        return self.generic_visit(node)

    def visit_With(self, node):
        return self.generic_visit(node)

    def visit_Import(self, node):
        return self.generic_visit(node)

    def visit_ImportFrom(self, node):
        return self.generic_visit(node)

    def visit_While(self, node):
        node = super().visit_While(node)
        node.body.insert(0, _tick_statement(node))
        return node

    def visit_For(self, node):
        node = super().visit_For(node)
        node.body.insert(0, _tick_statement(node))
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        node.body.insert(0, _tick_statement(node))
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        node.body = _call("_tick_", [node.body], node)
        return node

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        symbol = GUARDED_BINOPS.get(type(node.op))
        if symbol is None:
            return node
        return _call("_binop_", [ast.Constant(symbol), node.left, node.right], node)

    def visit_FormattedValue(self, node):
        if node.format_spec is not None:
            self.error(node, msg("script.format_spec"))
        return super().visit_FormattedValue(node)


def _call(name, args, where):
    call = ast.copy_location(ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[]), where)
    return ast.fix_missing_locations(call)


def _tick_statement(where):
    return ast.fix_missing_locations(ast.copy_location(ast.Expr(_call("_tick_", [], where)), where))


@lru_cache(maxsize=4096)
def compile_source(source, mode):
    """Compile designer code once per distinct text; raise ScriptError with the line on refusal."""
    try:
        result = compile_restricted(source, filename="<string>", mode=mode, policy=SandboxTransformer)
    except SyntaxError as err:
        detail = "；".join(err.msg) if isinstance(err.msg, tuple) else str(err.msg)
        line = err.lineno or _line_in(detail)
        raise ScriptError(msg("script.syntax", detail=detail), line, detail) from None
    except (ValueError, TypeError) as err:  # null bytes and the like
        raise ScriptError(msg("script.syntax", detail=str(err)), None, str(err)) from None
    return result


def _line_in(detail):
    """RestrictedPython reports 'Line N: …' in the text, not in lineno."""
    found = re.search(r"Line (\d+)", detail)
    return int(found.group(1)) if found else None


def check_source(source, mode):
    """The reason the code would be refused (Chinese where ours), or None if it compiles."""
    try:
        compile_source(source, mode)
    except ScriptError as err:
        return err.detail
    return None


class _Namespace:
    """A read-only bag of functions exposed to scripts (e.g. `math.floor`)."""

    def __init__(self, **members):
        self.__dict__.update(members)


MATH = _Namespace(**{n: getattr(math, n) for n in (
    "ceil", "floor", "sqrt", "log", "log10", "exp", "fabs", "isclose", "pi", "e", "inf", "isfinite")})

SAFE_BUILTIN_NAMES = (
    "abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float", "int", "isinstance",
    "len", "list", "map", "max", "min", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
    "True", "False", "None", "Exception", "ValueError", "KeyError", "TypeError", "IndexError",
    "ZeroDivisionError", "ArithmeticError", "LookupError",
)


def ensure_json(value, where, depth=0):
    """Refuse anything that is not plain JSON: no objects whose methods could run host code."""
    if depth > 64:
        raise ScriptError(msg("script.not_json", name=where))
    kind = type(value)
    if kind in JSON_SCALARS:
        if kind is float and not math.isfinite(value):
            raise ScriptError(msg("script.not_json", name=where))
        return
    if kind is list or kind is tuple:
        for item in value:
            ensure_json(item, where, depth + 1)
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise ScriptError(msg("script.not_json", name=where))
            ensure_json(item, where, depth + 1)
        return
    raise ScriptError(msg("script.not_json", name=where))
