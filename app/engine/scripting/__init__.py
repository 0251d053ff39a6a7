"""The script sandbox: every designer expression and script runs here, compiled by RestrictedPython.

Three rooms: `policy` says what designer code may be (the transformer's refusals, the builtins whitelist, JSON
values only), `guards` bound what it may spend (steps, wall clock, sizes of what it allocates), and `sandbox` is
the facade that compiles and runs it over task data. No object of a script's making ever reaches the host.
"""

from app.engine.scripting.guards import Limits, ScriptLimitExceeded
from app.engine.scripting.policy import ScriptError, check_source, compile_source, ensure_json
from app.engine.scripting.sandbox import Sandbox

__all__ = ["Limits", "Sandbox", "ScriptError", "ScriptLimitExceeded", "check_source", "compile_source", "ensure_json"]
