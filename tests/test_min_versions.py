"""The oldest NumPy and llvmlite that pyproject.toml accepts really work (issue 22): a fresh
virtual environment gets the lowest release series of each declared minimum (`numpy>=2.0` gives
`numpy==2.0.*`), jitbridge installed without dependencies, and runs a few core test files.

Marked `slow` (a venv and four wheels, then the files: about 35 s with the wheels cached, so it
stays in the default run; `-m "not slow"` leaves it out). Skipped when the wheels cannot be
downloaded."""
import os
import pathlib
import re
import subprocess
import sys
import venv

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

#: the files run on the minimum versions: the compiler core and the places that depend on the
#: versions (NumPy's promotion and ufunc values, ufunc names, LLVM's IR text for slots)
SUBSET = ["tests/test_dispatch.py", "tests/lib/test_arrays.py", "tests/safety/test_promotion.py",
          "tests/test_registry.py", "tests/test_process_locals.py"]

#: pip's words for "this wheel cannot be had here" (offline, or none for this Python)
UNAVAILABLE = ("No matching distribution found", "Could not find a version",
               "NewConnectionError", "Temporary failure in name resolution", "Network is unreachable")


def declared_minimums() -> dict:
    """{name: version} for each `name>=version` of [project] dependencies."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*", requirement)
        assert match, f"not a plain minimum, cannot be tested here: {requirement!r}"
        found[match[1]] = match[2]
    return found


def test_declared_minimums_are_parsed():
    assert set(declared_minimums()) == {"numpy", "llvmlite"}


def _pip(python: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "install", "-q", *args], text=True,
                          capture_output=True, timeout=600, env=_child_environment())


def _child_environment() -> dict:
    """This environment without what would let the child see this interpreter's packages."""
    drop = {"PYTHONPATH", "PYTHONHOME", "JITBRIDGE_CACHE_DIR", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _install_minimums(python: pathlib.Path) -> None:
    pins = [f"{name}=={version}.*" for name, version in declared_minimums().items()]
    proc = _pip(python, "--only-binary", ":all:", *pins, "pytest", "hypothesis")
    if proc.returncode != 0 and any(words in proc.stderr for words in UNAVAILABLE):
        pytest.skip(f"the wheels of {' '.join(pins)} cannot be downloaded here: "
                    f"{proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr
    proc = _pip(python, "--no-deps", "-e", str(ROOT))
    assert proc.returncode == 0, proc.stderr


def _version_of(python: pathlib.Path, name: str) -> str:
    return subprocess.run([str(python), "-c", f"import {name}; print({name}.__version__)"],
                          text=True, capture_output=True, check=True,
                          env=_child_environment()).stdout.strip()


# (not marked slow: CI must test the minimum declared versions, issue 22)
def test_core_suite_passes_on_the_minimum_versions(tmp_path):
    folder = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    _install_minimums(python)
    for name, version in declared_minimums().items():
        assert _version_of(python, name).startswith(version + "."), name
    # (addopts emptied: the minimal environment has no pytest-xdist)
    command = [str(python), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
               "-o", "addopts=", *SUBSET]
    proc = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=900,
                          env=_child_environment())
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", proc.stdout.splitlines()[-1]), proc.stdout[-2000:]
