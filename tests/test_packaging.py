"""Packaging as the ecosystem expects: ranges in pyproject.toml, exact pins once in constraints.txt, used by
every environment; extras by role; an SPDX licence matching LICENSE; every data file shipped; set-up steps
that do not rebuild environments from the network after a source change."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"constraints.txt: {line!r} is not an exact pin name==version"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"constraints.txt pins {name} twice"
        pins[name] = match.group(2)
    return pins


PINS = _pins()


def _requirements() -> list[Requirement]:
    found = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in PROJECT["optional-dependencies"].values():
        found += [Requirement(r) for r in extra if not r.startswith("coursekit[")]
    return found


@pytest.mark.parametrize("req", _requirements(), ids=str)
def test_each_dependency_is_a_range_with_its_pin_inside(req):
    assert "==" not in str(req.specifier), f"{req}: pyproject.toml states ranges; the pin belongs in constraints.txt"
    assert req.specifier, f"{req}: give a range (lower bound tested, upper bound the next major)"
    name = canonicalize_name(req.name)
    assert name in PINS, f"{req.name} has no pin in constraints.txt"
    assert req.specifier.contains(PINS[name], prereleases=True), f"{req.name}=={PINS[name]} is outside {req.specifier}"


def test_extras_are_split_by_role_and_dev_has_them_all():
    extras = PROJECT["optional-dependencies"]
    assert {"instructor", "test", "postgres", "dev"} <= set(extras)
    assert extras["dev"] == ["coursekit[instructor,test,postgres]"]


@pytest.mark.parametrize("path", ["binder/requirements.txt", "deploy/requirements-hub.txt"])
def test_image_requirements_take_their_versions_from_the_lock(path):
    lines = [
        x.strip()
        for x in (REPO / path).read_text(encoding="utf-8").splitlines()
        if x.strip() and not x.strip().startswith("#")
    ]
    assert lines[0] == "-c ../constraints.txt", f"{path} must read the pins from constraints.txt first"
    for line in lines[1:]:
        if line == ".":
            continue
        req = Requirement(line)
        assert not req.specifier, f"{path}: {line} pins a version; pins live in constraints.txt"
        assert canonicalize_name(req.name) in PINS, f"{path}: {req.name} has no pin in constraints.txt"


def test_no_other_file_pins_a_version():
    """README, book, Makefile, CI, deployment, library and tests name no version: constraints.txt does."""
    files = [
        REPO / "Makefile",
        REPO / ".ci" / "run",
        REPO / "README.md",
        REPO / "nbgrader_config.py",
        *(REPO / "book").glob("*.md"),
        *(REPO / "deploy").rglob("*"),
        *(REPO / "src").rglob("*.py"),
        *(p for p in (REPO / "tests").glob("*.py") if p.name != Path(__file__).name),
    ]
    pinned = re.compile(r"\b[A-Za-z][A-Za-z0-9_.\[\]-]*==\d+(\.\d+)+")
    found = {
        str(p.relative_to(REPO)): m.group(0)
        for p in files
        if p.is_file()
        for m in [pinned.search(p.read_text(encoding="utf-8", errors="replace"))]
        if m
    }
    assert not found


def test_the_environment_running_the_tests_has_the_locked_versions():
    for req in [Requirement(r) for r in PROJECT["dependencies"]]:
        assert metadata.version(req.name) == PINS[canonicalize_name(req.name)], req.name


def test_the_licence_is_an_spdx_id_matching_the_license_file():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert not any(c.startswith("License ::") for c in PROJECT.get("classifiers", [])), "SPDX replaces classifiers"


def test_every_data_file_of_the_package_is_shipped():
    """Files the library reads at run time (settings, schemas, data, static) are listed as package data."""
    package_data = PYPROJECT["tool"]["setuptools"]["package-data"]
    root = REPO / "src" / "coursekit"
    missing = []
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root)
        package = ".".join(["coursekit", *rel.parent.parts]) if (path.parent / "__init__.py").exists() else "coursekit"
        inside = rel.relative_to(Path(*rel.parent.parts)) if package != "coursekit" else rel
        if not any(fnmatch.fnmatch(str(inside), g) for g in package_data.get(package, [])):
            missing.append(str(rel))
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"


def test_the_library_holds_no_course_of_its_own():
    """The course's settings and tabletop exercises live at the course root, not inside the package."""
    package = REPO / "src" / "coursekit"
    content = [p for p in package.rglob("*") if p.name == "course.toml" or p.suffix in (".yaml", ".yml")]
    assert not content, f"course content inside the library: {content}"
    assert (REPO / "course.toml").is_file() and list((REPO / "tabletop").glob("*.yaml"))
    globs = [g for patterns in PYPROJECT["tool"]["setuptools"]["package-data"].values() for g in patterns]
    assert not any(fnmatch.fnmatch("course.toml", g) or g.endswith((".yaml", ".yml")) for g in globs)


def _make_rule(target: str) -> str:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:(.*)$", text, re.MULTILINE)
    assert match, target
    return match.group(1)


def test_a_source_change_does_not_rebuild_environments_from_the_network():
    # what installs from the registries depends on the pins only ...
    for target in ("$(STAMP)", "$(BINDER_VENV)/.installed", "$(BUILD_VENV)/.installed"):
        assert "src" not in _make_rule(target), f"{target} would reinstall from the network after a source change"
    # ... and the course's own code reaches the Binder and hub environments as a wheel built offline
    assert "src" in _make_rule("$(WHEEL_DIR)/.built")
    wheel_install = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--no-build-isolation --no-index" in wheel_install
    assert "--no-deps --no-index --force-reinstall" in wheel_install
    hub = (REPO / "deploy" / "setup-workshop-hub").read_text(encoding="utf-8")
    stamp = hub[hub.index("stamp=$(") : hub.index("sha256sum", hub.index("stamp=$("))]
    assert "find src" not in stamp and "constraints.txt" in stamp


def test_ci_installs_venv_support_when_making_a_venv_fails():
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in run and "python3-venv" in run
    assert "import venv, ensurepip" not in run, "importing venv succeeds on Debian even without python3-venv"


@pytest.mark.slow
def test_the_wheel_carries_no_course_content(tmp_path):
    """Built as `make` builds it (offline, no isolation): the library's files, no settings or exercises."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "source"  # a clean copy: building in the checkout leaves build/ behind, and reads it
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("coursekit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "coursekit/core/settings.py" in names and "coursekit/tabletop/tabletop-exercise.schema.json" in names
    assert not [n for n in names if n.endswith(("course.toml", ".yaml", ".yml"))], names
