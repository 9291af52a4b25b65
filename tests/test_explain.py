"""`python -m jitbridge explain file.py:func` and `jitbridge.explain.explain`: every error a
function's compilation meets, not only the first, without cascades (issue 22)."""
import os
import pathlib
import subprocess
import sys

import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.explain import explain

REPO = pathlib.Path(__file__).resolve().parent.parent

PROGRAM = '''
import numpy as np
from numba import njit


def helper(x):
    return x


@njit
def three(a, n):
    total = 0.0
    y = helper(n)
    z = a.no_such_attr
    for i in range(n):
        total += a[i]
    s = "x" + 1
    w = y + 1
    return total + w + z


@njit
def dependent(n):
    acc = 0
    for i in range(n):
        acc = acc + helper(i)
    return acc * 2


@njit("float64(float64[:], int64)")
def good(a, n):
    return a[0] * n


@njit("int64(int64)")
def eager_bad(n):
    return n + "one"


@njit
def untyped(n):
    return n
'''


def explain_cli(folder, *args):
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run([sys.executable, "-m", "jitbridge", "explain", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explain")
    (folder / "prog.py").write_text(PROGRAM)
    return folder


def _line(text: str) -> int:
    """The line of PROGRAM (as written to prog.py) holding `text`."""
    lines = PROGRAM.splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_three_independent_errors_are_all_reported(program):
    done = explain_cli(program, "prog.py:three", "--args", "float64[:], int64")
    assert done.returncode == 1, done.stderr
    out = done.stdout
    path = str(program / "prog.py")
    assert f"{path}:{_line('y = helper(n)')}: Untyped global name 'helper'" in out
    assert (f"{path}:{_line('a.no_such_attr')}: Unknown attribute 'no_such_attr' of type "
            "array(float64, 1d, A)") in out
    str_line = _line('s = "x" + 1')
    assert f"{path}:{str_line}: operator '+' is not supported" in out
    assert "    z = a.no_such_attr\n        ^^^^^^^^^^^^^^\n" in out  # caret under the expression
    assert out.count(f"{path}:") == 3  # `w = y + 1` and the return read a failed value: skipped
    assert out.rstrip().endswith("3 errors in three(array(float64, 1d, A), int64)")


def test_a_dependent_error_reports_its_root_only(program):
    done = explain_cli(program, "prog.py:dependent", "--args", "int64")
    assert done.returncode == 1, done.stderr
    path = str(program / "prog.py")
    assert done.stdout.count(f"{path}:") == 1
    assert f"{path}:{_line('acc = acc + helper(i)')}: Untyped global name 'helper'" in done.stdout
    assert "1 error in dependent(int64)" in done.stdout


def test_a_function_that_compiles_exits_0(program):
    done = explain_cli(program, "prog.py:good")  # the decorator's signature
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "good(array(float64, 1d, A), int64) compiles"


def test_an_eager_signature_that_fails_is_explained_not_raised_at_import(program):
    done = explain_cli(program, "prog.py:eager_bad")
    assert done.returncode == 1, done.stderr
    line = _line('n + "one"')
    assert f"prog.py:{line}: operator '+' is not supported" in done.stdout


@pytest.mark.parametrize("target, args, message", [
    ("prog.py:missing", [], "prog.py has no function 'missing'"),
    ("nofile.py:f", [], "no such file: nofile.py"),
    ("prog.py", [], "bad target 'prog.py'"),
    ("prog.py:np", [], "prog.py:np is a module, not a function"),
    ("prog.py:untyped", [], "untyped has no signature in its decorator: give the argument types"),
    ("prog.py:untyped", ["--args", "int64["], "cannot read --args 'int64['"),
])
def test_a_bad_target_is_a_clear_message_and_status_2(program, target, args, message):
    done = explain_cli(program, target, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def helper(x):
    return x


def dependent_in_process(n):
    y = helper(n)
    z = y * 2
    w = n.nope
    return z + w


def test_explain_api_lists_roots_and_normal_compilation_stops_at_the_first():
    errors = explain(dependent_in_process, (types.int64,))
    assert [e.loc.line for e in errors] == [dependent_in_process.__code__.co_firstlineno + 1,
                                            dependent_in_process.__code__.co_firstlineno + 3]
    assert "Unknown attribute 'nope'" in errors[1].msg
    with pytest.raises(TypingError) as info:
        njit(dependent_in_process).compile((types.int64,))
    assert type(info.value) is TypingError  # one error, exactly as without explain
    assert "Untyped global name 'helper'" in str(info.value)
    assert "Unknown attribute" not in str(info.value)
    assert explain(njit(lambda_free_add), "(int64, int64)") == []


def lambda_free_add(a, b):
    return a + b
