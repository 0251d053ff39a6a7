"""The script sandbox: every designer expression and script runs here, compiled by RestrictedPython.

Beyond RestrictedPython's guards (no imports, no dunder or frame attributes, no str.format),
the transformer below injects a tick into every loop body, comprehension step and function
call, so a runaway script is stopped by a step budget and a wall-clock limit, and wraps the
operators and methods that can allocate without bound (`*`, `**`, `<<`, `+`, `%`, padding,
replace, join) in size checks. Results must be JSON values: no object of a script's making
ever reaches the host.
"""

import ast
import builtins as python_builtins
import math
import re
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache

from RestrictedPython import RestrictingNodeTransformer, compile_restricted
from RestrictedPython.Eval import default_guarded_getitem
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)

from app.messages import msg

JSON_SCALARS = (str, int, float, bool, type(None))


class ScriptError(Exception):
    """A script failed or was refused; `message` is Chinese, `line` is 1-based when known."""

    def __init__(self, message, line=None, detail=None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.detail = detail or message


class ScriptLimitExceeded(BaseException):
    """Raised inside a script when it runs too long; BaseException so `except Exception` can't swallow it."""


@dataclass
class Limits:
    time_limit: float = 2.0
    size_limit: int = 1_000_000
    max_steps: int = 5_000_000


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


class Budget:
    """Counts steps and watches the clock for one evaluation."""

    __slots__ = ("deadline", "steps_left", "exceeded")

    def __init__(self, limits):
        self.deadline = time.monotonic() + limits.time_limit
        self.steps_left = limits.max_steps
        self.exceeded = False

    def tick(self, value=None):
        self.steps_left -= 1
        if self.exceeded or self.steps_left <= 0 or (self.steps_left % 1024 == 0 and time.monotonic() > self.deadline):
            self.exceeded = True
            raise ScriptLimitExceeded()
        return value


@dataclass
class SizeGuard:
    limit: int

    def check_len(self, n):
        if n > self.limit:
            raise MemoryError(msg("script.too_large", limit=self.limit))

    def binop(self, op, left, right):
        if op == "*":
            self._check_mult(left, right)
            return left * right
        if op == "**":
            self._check_pow(left, right)
            return left**right
        if op == "<<":
            if isinstance(right, int) and right > self.limit * 4:
                raise MemoryError(msg("script.too_large", limit=self.limit))
            return left << right
        if op == "%":
            if isinstance(left, (str, bytes)):
                self._check_percent_format(left)
            return left % right
        result_len = _seq_len(left) + _seq_len(right)
        self.check_len(result_len)
        return left + right

    def _check_mult(self, left, right):
        for seq, n in ((left, right), (right, left)):
            if _is_sized(seq) and isinstance(n, int):
                self.check_len(len(seq) * max(n, 0))
        if isinstance(left, int) and isinstance(right, int):
            self.check_len((left.bit_length() + right.bit_length()) // 3)

    def _check_pow(self, base, exponent):
        if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 \
                and exponent * max(base.bit_length(), 1) > self.limit * 3:
            raise MemoryError(msg("script.too_large", limit=self.limit))
        if isinstance(exponent, float) and isinstance(base, (int, float)) and abs(exponent) > 10_000:
            raise MemoryError(msg("script.too_large", limit=self.limit))

    def _check_percent_format(self, template):
        digits = ""
        for ch in str(template):
            if ch.isdigit():
                digits += ch
                if len(digits) > 5:
                    raise MemoryError(msg("script.too_large", limit=self.limit))
            else:
                digits = ""


def _is_sized(value):
    return isinstance(value, (str, bytes, list, tuple))


def _seq_len(value):
    return len(value) if _is_sized(value) else 0


PADDING_METHODS = {"center", "ljust", "rjust", "zfill"}


def make_getattr(guard):
    """safer_getattr, with the allocating str methods wrapped in size checks."""

    def guarded_getattr(obj, name, default=None):
        value = safer_getattr(obj, name, default)
        if not isinstance(obj, (str, bytes)):
            return value
        if name in PADDING_METHODS:
            def padded(width, *args):
                guard.check_len(width if isinstance(width, int) else 0)
                return value(width, *args)
            return padded
        if name == "expandtabs":
            return lambda tabsize=8: (guard.check_len(obj.count("\t") * tabsize + len(obj)), value(tabsize))[1]
        if name == "replace":
            def replaced(old, new, count=-1):
                hits = obj.count(old) if count < 0 else min(count, obj.count(old))
                guard.check_len(len(obj) + hits * (len(new) - len(old)) + (len(obj) + 1) * len(new) * (old == ""))
                return value(old, new, count)
            return replaced
        if name == "join":
            def joined(items):
                items = list(items)
                guard.check_len(sum(len(i) for i in items if _is_sized(i)) + len(obj) * len(items))
                return value(items)
            return joined
        return value

    return guarded_getattr


def _guarded_range(guard):
    def safe_range(*args):
        result = range(*args)
        guard.check_len(len(result))
        return result
    return safe_range


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


def _builtins(guard, budget):
    names = {n: getattr(python_builtins, n) for n in SAFE_BUILTIN_NAMES}
    names["range"] = _guarded_range(guard)
    names["sum"] = lambda items, start=0: _guarded_sum(items, start, guard, budget)
    return names


def _guarded_sum(items, start, guard, budget):
    total = start
    for item in items:
        budget.tick()
        total = guard.binop("+", total, item)
    return total


@dataclass
class Sandbox:
    """Runs compiled designer code over a data dict with helpers; one per workflow run."""

    limits: Limits = field(default_factory=Limits)
    helpers: dict = field(default_factory=dict)

    def globals_for(self, budget):
        guard = SizeGuard(self.limits.size_limit)

        def getiter(obj):
            for item in iter(obj):
                budget.tick()
                yield item

        env = {
            "__builtins__": _builtins(guard, budget),
            "__name__": "script",
            "__metaclass__": type,
            "_getattr_": make_getattr(guard),
            "_getitem_": default_guarded_getitem,
            "_getiter_": getiter,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_write_": full_write_guard,
            "_inplacevar_": lambda op, x, y: guard.binop(op[:-1], x, y) if op[:-1] in GUARDED_SYMBOLS else _inplace(op, x, y),
            "_tick_": budget.tick,
            "_binop_": guard.binop,
            "math": MATH,
        }
        env.update(self.helpers)
        return env

    def reserved_names(self):
        """Names a task's data must not use: they would shadow helpers."""
        return set(self.helpers) | {"math"}

    def evaluate(self, source, data, extra=None):
        """Evaluate an expression over the data; returns a JSON value."""
        code = compile_source(source, "eval")
        budget = Budget(self.limits)
        env = self.globals_for(budget)
        env.update(data)
        env.update(extra or {})
        result = self._run(lambda: eval(code, env), budget)
        ensure_json(result, "result")
        return result

    def execute(self, source, data, extra=None):
        """Run a script; its new top-level names go back into the data, which must stay JSON."""
        code = compile_source(source, "exec")
        budget = Budget(self.limits)
        env = self.globals_for(budget)
        protected = set(env) | set(extra or {})
        shadowed = protected & set(data)
        if shadowed:
            raise ScriptError(msg("script.shadows_helper", names="、".join(sorted(shadowed))))
        env.update(extra or {})
        env.update(data)
        self._run(lambda: exec(code, env), budget)
        for key in list(env):
            if key in protected or key.startswith("_") or callable(env[key]):
                continue
            ensure_json(env[key], key)
            data[key] = env[key]
        for key in list(data):
            if key not in env:
                del data[key]

    def _run(self, thunk, budget):
        try:
            return thunk()
        except ScriptLimitExceeded:
            raise ScriptError(msg("script.time_limit", seconds=self.limits.time_limit)) from None
        except RecursionError:
            raise ScriptError(msg("script.recursion")) from None
        except MemoryError as err:
            detail = err.args[0] if err.args else msg("script.too_large", limit=self.limits.size_limit)
            raise ScriptError(detail) from None
        except ScriptError:
            raise
        except Exception as err:  # noqa: BLE001 - every failure of designer code becomes a ScriptError
            detail = f"{type(err).__name__}: {err}"
            raise ScriptError(msg("script.failed", error=type(err).__name__, detail=err), _script_line(err), detail) from None


GUARDED_SYMBOLS = {"*", "**", "<<", "+", "%"}


def _script_line(err):
    """The line of designer code where `err` was raised (frames compiled as "<string>")."""
    lines = [frame.lineno for frame in traceback.extract_tb(err.__traceback__) if frame.filename == "<string>"]
    return lines[-1] if lines else None


def _inplace(op, x, y):
    ops = {"-=": lambda: x - y, "/=": lambda: x / y, "//=": lambda: x // y, "|=": lambda: x | y,
           "&=": lambda: x & y, "^=": lambda: x ^ y, ">>=": lambda: x >> y}
    if op not in ops:
        raise ScriptError(msg("script.forbidden_construct", what=op))
    return ops[op]()


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
