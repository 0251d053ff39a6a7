"""`pip install .` gives a working `tianchang`: the wheel carries its data files, the ranges admit the lock."""

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import app
from app.extensions import migrate

ROOT = Path(__file__).parent.parent
PACKAGE = Path(app.__file__).parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The names in a wheel built by pip from a copy of the checkout (the build leaves no build/ behind)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "app", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                   check=True, capture_output=True)
    (built,) = out.glob("tianchang-*.whl")
    with zipfile.ZipFile(built) as archive:
        return {name: archive.read(name) if "dist-info" in name else b"" for name in archive.namelist()}


def files_under(folder):
    return {path.relative_to(ROOT).as_posix() for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_the_wheel_carries_migrations_templates_and_static_files(wheel):
    expected = files_under("app/migrations") | files_under("app/web/templates") | files_under("app/web/static")
    assert any(name.startswith("app/migrations/versions/") for name in expected)
    assert expected - set(wheel) == set()


def test_the_wheel_carries_the_browser_bundles_when_npm_built_them(wheel):
    bundles = files_under("app/static/vendor") if (ROOT / "app/static/vendor").is_dir() else set()
    assert bundles - set(wheel) == set()


def test_the_wheel_declares_the_command_and_its_dependencies(wheel):
    (entry_points,) = (body for name, body in wheel.items() if name.endswith(".dist-info/entry_points.txt"))
    assert "tianchang = app.console:main" in entry_points.decode()
    (metadata,) = (body.decode() for name, body in wheel.items() if name.endswith(".dist-info/METADATA"))
    assert "Requires-Dist: spiffworkflow" in metadata and "Provides-Extra: test" in metadata


def test_migrations_are_found_inside_the_package_from_any_folder():
    directory = Path(migrate.directory)
    assert directory.is_absolute() and directory.parent == PACKAGE
    assert (directory / "env.py").is_file() and (directory / "alembic.ini").is_file()


def test_the_declared_ranges_admit_the_exact_pins_that_make_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pinned = Requirement(line)
            pins[canonicalize_name(pinned.name)] = next(iter(pinned.specifier)).version
    for declared in map(Requirement, project["dependencies"] + project["optional-dependencies"]["test"]):
        name = canonicalize_name(declared.name)
        assert name in pins, f"{declared} is not pinned in requirements.txt"
        assert declared.specifier.contains(pins[name]), f"requirements.txt pins {name}=={pins[name]} outside {declared}"
