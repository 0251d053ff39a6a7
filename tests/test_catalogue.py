"""STYLE 20–21: every Chinese text Python shows lives in the catalogue (app/messages), once; templates hold the rest."""

import ast
import re
from pathlib import Path

from app.messages import LABELS, MESSAGES, OPERATIONS, PARTS

APP = Path(__file__).resolve().parents[1] / "app"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Demo data is data (organisations, list items, a scripted case), not what the program says.
DATA = {"app/governance/demo.py", "app/governance/demo_lists.py", "app/governance/scenarios.py"}


def docstrings(tree):
    """The string constants that are docstrings (of the module, a class or a function): prose, not UI text."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def chinese_literals(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and CJK.search(node.value)]


def test_no_chinese_literal_outside_the_catalogue():
    scanned, found = 0, {}
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(APP.parent).as_posix()
        if name.startswith("app/messages/") or name in DATA:
            continue
        scanned += 1
        if literals := chinese_literals(path):
            found[name] = literals
    assert scanned > 40, "the app's modules were scanned"
    assert found == {}, f"move these texts into app/messages (msg / label): {found}"


def test_the_scan_sees_a_literal_and_ignores_docstrings_and_comments(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text('"""模块说明。"""\n\n\ndef f():\n    """函数说明。"""\n    return "已保存"  # 注释\n', encoding="utf-8")
    assert chinese_literals(module) == [(6, "已保存")]


def test_every_message_key_the_code_names_is_in_the_catalogue():
    keys = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "msg"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                keys.add(node.args[0].value)
    assert len(keys) > 100
    assert sorted(keys - MESSAGES.keys()) == []


def test_the_parts_write_no_key_twice():
    assert len(MESSAGES) == sum(len(part.MESSAGES) for part in PARTS)
    assert len(OPERATIONS) == sum(len(getattr(part, "OPERATIONS", {})) for part in PARTS)
    for table in LABELS:
        assert len(LABELS[table]) == sum(len(getattr(part, "LABELS", {}).get(table, {})) for part in PARTS), table


def test_the_host_operations_described_are_those_registered(app):
    from app.workflow.services import registry

    described = {op["name"]: op for op in registry.describe()}
    assert described.keys() == OPERATIONS.keys(), "a description without an operation, or the reverse"
    for name, op in described.items():
        assert op["label"] == OPERATIONS[name][0]
        assert {p["name"] for p in op["params"]} == set(OPERATIONS[name][1]), name
