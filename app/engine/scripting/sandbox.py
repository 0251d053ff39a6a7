"""The facade: compile designer code under the policy and run it over task data within the guards."""

import traceback
from dataclasses import dataclass, field

from RestrictedPython.Eval import default_guarded_getitem
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, guarded_unpack_sequence

from app.engine.scripting.guards import (
    Budget,
    Limits,
    ScriptLimitExceeded,
    SizeGuard,
    guarded_builtins,
    make_getattr,
    make_getiter,
    make_inplacevar,
)
from app.engine.scripting.policy import MATH, ScriptError, compile_source, ensure_json
from app.messages import LABELS, label, msg

PYTHON_ERRORS = LABELS["python_error"]


@dataclass
class Sandbox:
    """Runs compiled designer code over a data dict with helpers; one per workflow run."""

    limits: Limits
    helpers: dict = field(default_factory=dict)

    def globals_for(self, budget):
        guard = SizeGuard(self.limits.size_limit)
        env = {
            "__builtins__": guarded_builtins(guard, budget),
            "__name__": "script",
            "__metaclass__": type,
            "_getattr_": make_getattr(guard),
            "_getitem_": default_guarded_getitem,
            "_getiter_": make_getiter(budget),
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_write_": full_write_guard,
            "_inplacevar_": make_inplacevar(guard),
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
        except Exception as err:  # every failure of designer code becomes a ScriptError
            detail = f"{type(err).__name__}: {err}"
            name = type(err).__name__
            raise ScriptError(msg("script.failed", what=label("python_error", name) if name in PYTHON_ERRORS else msg(
                "script.failed_other"), error=name, detail=err), _script_line(err), detail) from None


def _script_line(err):
    """The line of designer code where `err` was raised (frames compiled as "<string>")."""
    lines = [frame.lineno for frame in traceback.extract_tb(err.__traceback__) if frame.filename == "<string>"]
    return lines[-1] if lines else None
