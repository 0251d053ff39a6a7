"""The sandbox, without Flask: escape attempts are refused and leave the host and other runs unharmed."""

import builtins

import pytest

from app.config import Config
from app.engine.scripting import Limits, Sandbox, ScriptError

ESCAPES = {
    "import": "import os",
    "from_import": "from os import path",
    "dunder_import": "r = __import__('os')",
    "open": "r = open('/etc/passwd').read()",
    "subclasses": "r = ().__class__.__base__.__subclasses__()",
    "getattr_dunder": "r = getattr((), '__class__')",
    "function_globals": "def f():\n    return 1\nr = f.__globals__",
    "function_code": "def f():\n    return 1\nr = f.__code__",
    "lambda_closure": "f = lambda: 1\nr = f.__closure__",
    "format_attribute_walk": "r = '{0.__class__.__init__.__globals__}'.format(1)",
    "format_map_walk": "r = '{x.__class__}'.format_map({'x': 1})",
    "fstring_width_bomb": "r = f'{1:>1000000000}'",
    "generator_frame": "g = (x for x in [1])\nr = g.gi_frame.f_back",
    "generator_code": "g = (x for x in [1])\nr = g.gi_code",
    "generator_function": "def g():\n    yield 1\nr = list(g())",
    "type_built_class": "r = type('X', (), {})",
    "class_statement": "class A:\n    pass",
    "fullwidth_open": "r = ｏｐｅｎ('/etc/passwd')",
    "fullwidth_dunder": "r = ().＿＿class＿＿",
    "builtins_name": "r = __builtins__",
    "eval": "r = eval('1 + 1')",
    "exec": "exec('r = 1')",
    "compile": "r = compile('1', 's', 'eval')",
    "globals": "r = globals()",
    "vars": "r = vars()",
    "dir": "r = dir()",
    "traceback_frame": "try:\n    1 / 0\nexcept Exception as e:\n    r = e.__traceback__",
    "global_statement": "global x\nx = 1",
    "with_statement": "with x:\n    pass",
    "helper_module_patching": "math.floor = None",
    "helper_setattr": "setattr(math, 'floor', None)",
    "infinite_loop": "while True:\n    pass",
    "loop_that_swallows_the_stop": "while True:\n    try:\n        pass\n    except:\n        pass",
    "comprehension_spin": "r = [x for x in range(1000000) for y in range(1000000)]",
    "string_memory_bomb": "r = 'x' * (10 ** 10)",
    "list_memory_bomb": "r = [0] * (10 ** 9)",
    "power_bomb": "r = 10 ** (10 ** 8)",
    "shift_bomb": "r = 1 << (10 ** 10)",
    "doubling_bomb": "s = 'x'\nfor i in range(64):\n    s = s + s",
    "inplace_doubling_bomb": "s = 'x'\nfor i in range(64):\n    s += s",
    "range_bomb": "r = list(range(10 ** 12))",
    "padding_bomb": "r = 'x'.ljust(10 ** 10)",
    "replace_bomb": "s = 'a' * 1000\nr = s.replace('a', s * 1000)",
    "join_bomb": "s = 'x' * 1000000\nr = ''.join([s] * 1000)",
    "sum_of_lists_bomb": "r = sum([[0] * 1000] * 100000, [])",
    "percent_width_bomb": "r = '%0999999999d' % 1",
    "recursion_bomb": "def f(n):\n    return f(n + 1)\nr = f(0)",
    "function_object_in_data": "r = [lambda: 1]",
    "object_with_str_in_data": "r = {'k': range(3)}",
}


def config_limits():
    """The limits a host passes down from Config (the only place their defaults live)."""
    return Limits(Config.SCRIPT_TIME_LIMIT, Config.SCRIPT_SIZE_LIMIT)


def config_sandbox():
    return Sandbox(limits=config_limits())


@pytest.fixture
def sandbox():
    return Sandbox(limits=Limits(time_limit=0.5, size_limit=1_000_000))


@pytest.mark.parametrize("source", ESCAPES.values(), ids=ESCAPES.keys())
def test_escape_is_refused_and_the_host_is_unharmed(sandbox, source):
    data = {"x": 1}
    with pytest.raises(ScriptError) as refused:
        sandbox.execute(source, data)
    assert refused.value.message  # a Chinese or Python reason, never a crash
    assert "r" not in data
    assert builtins.open is open and builtins.len is len
    ok = {"n": 4}
    sandbox.execute("r = math.floor(n / 3) + len([1, 2]) + abs(-1)", ok)
    assert ok["r"] == 4


def test_a_script_cannot_change_what_another_run_sees(sandbox):
    first = {}
    sandbox.execute("abs = 5\nlen = 'x'\nmath = None", first)
    assert first == {"abs": 5, "len": "x"}
    second = {"v": -3}
    assert config_sandbox().evaluate("abs(v) + len([1]) + math.floor(1.5)", second) == 5


def test_time_limit_stops_a_loop_quickly():
    import time

    sandbox = Sandbox(limits=Limits(time_limit=0.2, size_limit=Config.SCRIPT_SIZE_LIMIT))
    started = time.monotonic()
    with pytest.raises(ScriptError) as refused:
        sandbox.execute("while True:\n    pass", {})
    assert time.monotonic() - started < 2
    assert "时限" in refused.value.message


def test_ordinary_scripts_work(sandbox):
    data = {"items": [{"n": 1}, {"n": 2}], "name": "铜城镇"}
    sandbox.execute("total = sum(i['n'] for i in items)\nlabel = name + str(total)\n"
                    "pairs = {k: v for k, v in zip(['a', 'b'], [1, 2])}\nfirst, second = items", data)
    assert data["total"] == 3 and data["label"] == "铜城镇3" and data["pairs"] == {"a": 1, "b": 2}
    assert sandbox.evaluate("len(items) > 1 and name.startswith('铜')", data) is True


def test_data_that_shadows_a_helper_is_refused():
    sandbox = Sandbox(limits=config_limits(), helpers={"now": lambda: "t"})
    with pytest.raises(ScriptError) as refused:
        sandbox.execute("x = 1", {"now": 1})
    assert "重名" in refused.value.message


def test_error_lines_are_reported(sandbox):
    with pytest.raises(ScriptError) as refused:
        sandbox.execute("a = 1\nb = (", {})
    assert refused.value.line == 2
