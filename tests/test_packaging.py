"""Packaging as Python users expect (issue 22): a license, a `py.typed` marker, and type hints
that let mypy and IDEs see through `@njit` (a decorated function keeps its signature)."""
import os
import pathlib
import subprocess
import sys

import pytest

import jitbridge

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_license_and_type_marker_ship():
    assert (ROOT / "LICENSE").read_text().startswith("BSD 2-Clause License")
    assert (pathlib.Path(jitbridge.__file__).parent / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = {file = "LICENSE"}' in pyproject and '"py.typed"' in pyproject


USE = '''
from jitbridge import jit, njit

@njit
def f(x: int) -> int:
    return x + 1

@njit("int64(int64)", cache=True)
def g(x: int) -> int:
    return x

@jit(nopython=True)
def h(x: float) -> float:
    return x

reveal_type(f)
reveal_type(g)
reveal_type(h)
f("a")
'''


def test_mypy_sees_through_the_decorators(tmp_path):
    pytest.importorskip("mypy")
    (tmp_path / "use.py").write_text(USE)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                           "--no-incremental", "use.py"], cwd=tmp_path, text=True,
                          capture_output=True, timeout=120,
                          env={**os.environ, "MYPYPATH": str(ROOT)})
    lines = proc.stdout.splitlines()
    assert 'use.py:16: note: Revealed type is "def (x: builtins.int) -> builtins.int"' in lines \
        or 'use.py:16: note: Revealed type is "def (x: int) -> int"' in lines, proc.stdout
    assert any(line.startswith("use.py:18:") and "float" in line for line in lines)
    assert any(line.startswith("use.py:19: error: Argument 1") for line in lines)
