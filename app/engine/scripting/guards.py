"""What designer code may spend: a step budget, a wall clock, and the size of everything it allocates."""

import builtins as python_builtins
import time
from dataclasses import dataclass

from RestrictedPython.Guards import safer_getattr

from app.engine.scripting.policy import SAFE_BUILTIN_NAMES, ScriptError
from app.messages import msg

GUARDED_SYMBOLS = {"*", "**", "<<", "+", "%"}
PADDING_METHODS = {"center", "ljust", "rjust", "zfill"}
MAX_STEPS = 5_000_000  # a backstop under the wall clock, which is read only every 1024 ticks


class ScriptLimitExceeded(BaseException):
    """Raised inside a script when it runs too long; BaseException so `except Exception` can't swallow it."""


@dataclass
class Limits:
    """What one evaluation may spend; the host passes Config's SCRIPT_TIME_LIMIT and SCRIPT_SIZE_LIMIT."""

    time_limit: float
    size_limit: int


class Budget:
    """Counts steps and watches the clock for one evaluation."""

    __slots__ = ("deadline", "steps_left", "exceeded")

    def __init__(self, limits):
        self.deadline = time.monotonic() + limits.time_limit
        self.steps_left = MAX_STEPS
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


def make_getiter(budget):
    """Every iteration of designer code costs a step."""

    def getiter(obj):
        for item in iter(obj):
            budget.tick()
            yield item

    return getiter


def make_inplacevar(guard):
    """`x op= y`: the allocating operators through the size guard, the rest computed plainly."""
    return lambda op, x, y: guard.binop(op[:-1], x, y) if op[:-1] in GUARDED_SYMBOLS else _inplace(op, x, y)


def _inplace(op, x, y):
    ops = {"-=": lambda: x - y, "/=": lambda: x / y, "//=": lambda: x // y, "|=": lambda: x | y,
           "&=": lambda: x & y, "^=": lambda: x ^ y, ">>=": lambda: x >> y}
    if op not in ops:
        raise ScriptError(msg("script.forbidden_construct", what=op))
    return ops[op]()


def _guarded_range(guard):
    def safe_range(*args):
        result = range(*args)
        guard.check_len(len(result))
        return result
    return safe_range


def guarded_builtins(guard, budget):
    """The whitelisted builtins, with `range` and `sum` bounded."""
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
