"""STYLE 13: every module of app/ stays under 400 lines, so a newcomer can read a room one file at a time."""

from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
MAX_LINES = 400


def test_every_module_of_the_app_is_at_most_400_lines():
    sizes = {path.relative_to(APP.parent).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in APP.rglob("*.py")}
    assert len(sizes) > 50, "the app's modules were found"
    too_long = {name: lines for name, lines in sorted(sizes.items()) if lines > MAX_LINES}
    assert too_long == {}, f"split these modules (STYLE 13, at most {MAX_LINES} lines): {too_long}"
