"""`python -m jitbridge run` runs a small multi-module project written for Numba, unchanged
(issue 22): every `numba` import is jitbridge, Numba's environment variables are honoured."""
import os
import subprocess
import sys
import textwrap

KERNELS = '''
import numpy as np
from numba import njit, float64
from numba.core import types
from numba.extending import overload
from numba.core.errors import NumbaWarning

def clip01(x):
    raise NotImplementedError

@overload(clip01)
def clip01_impl(x):
    if isinstance(x, types.Float):
        return lambda x: min(max(x, 0.0), 1.0)

@njit(cache=True)
def clipped_sum(a):
    s = 0.0
    for v in a:
        s += clip01(v)
    return s

@njit(float64(float64, float64))
def hypot2(x, y):
    return x * x + y * y
'''

MAIN = '''
import sys
import numpy as np
import numba, numba_passthru
from pkg import kernels
from numba_passthru import PassThruContainer

@numba.njit
def identity(c):
    return c

box = PassThruContainer(object())
print(numba.__name__, numba_passthru.__name__, sys.argv[1:])
print(kernels.clipped_sum(np.array([-1.0, 0.25, 0.5, 3.0])), kernels.hypot2(3.0, 4.0),
      identity(box) is box, __name__)
'''


def run_project(folder, *args, env=None):
    environment = {**os.environ, **(env or {})}
    environment.pop("JITBRIDGE_CACHE_DIR", None)
    return subprocess.run([sys.executable, "-m", "jitbridge", "run", *args], cwd=folder,
                          capture_output=True, text=True, timeout=120, env=environment)


def write_project(folder):
    (folder / "pkg").mkdir()
    (folder / "pkg" / "__init__.py").write_text("")
    (folder / "pkg" / "kernels.py").write_text(KERNELS)
    (folder / "main.py").write_text(MAIN)


def test_a_numba_project_runs_unchanged(tmp_path):
    write_project(tmp_path)
    proc = run_project(tmp_path, "main.py", "--flag", "x")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["jitbridge jitbridge.passthru ['--flag', 'x']",
                                        "1.75 25.0 True __main__"]


def test_run_module_form_and_numba_cache_dir(tmp_path):
    write_project(tmp_path)
    cache = tmp_path / "numba-cache"
    proc = run_project(tmp_path, "-m", "main", env={"NUMBA_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == "1.75 25.0 True __main__"
    assert any(name.endswith(".nbc") for _, _, files in os.walk(cache) for name in files)


def test_install_refuses_when_the_real_numba_is_loaded(tmp_path):
    script = textwrap.dedent('''
        import sys, types
        sys.modules["numba"] = types.ModuleType("numba")  # what importing the real one leaves
        import jitbridge.compat
        try:
            jitbridge.compat.install()
        except RuntimeError as exc:
            print(exc)
    ''')
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert "'numba' is already imported" in proc.stdout, proc.stderr


def test_usage_without_a_script():
    proc = subprocess.run([sys.executable, "-m", "jitbridge", "run"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "usage: python -m jitbridge run script.py" in proc.stdout


DEBUGGED = '''
import numpy as np
from numba import njit, objmode, cfunc
import sys

@njit
def total(a):
    with objmode(y="float64"):
        y = float(len(a))
    return a.sum() + y + len(sys._getframe().f_code.co_name)  # a frame: plain Python

@njit("float64(float64)", cache=True)
def half(x):
    return x / 2

@cfunc("float64(float64)")
def twice(x):
    return 2 * x

print(type(total).__name__, type(half).__name__, total(np.ones(3)), half(3.0),
      twice.ctypes(4.0))
'''


def test_disable_jit_runs_functions_as_plain_python(tmp_path):
    (tmp_path / "debugged.py").write_text(DEBUGGED)
    for env in ({"NUMBA_DISABLE_JIT": "1"}, {"JITBRIDGE_DISABLE_JIT": "1"}):
        proc = run_project(tmp_path, "debugged.py", env=env)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["function", "function", "11.0", "1.5", "8.0"]
    assert not (tmp_path / "__pycache__").exists() or not [
        f for f in os.listdir(tmp_path / "__pycache__") if f.endswith(".nbc")]


def test_boundscheck_environment_overrides_the_option(tmp_path):
    (tmp_path / "checked.py").write_text(
        "import numpy as np\nfrom numba import njit\n"
        "@njit(boundscheck=False)\ndef at(a, i):\n    return a[i]\n"
        "try:\n    at(np.arange(3), 7)\nexcept IndexError as exc:\n    print('IndexError', exc)\n")
    proc = run_project(tmp_path, "checked.py", env={"NUMBA_BOUNDSCHECK": "1"})
    assert proc.returncode == 0 and proc.stdout.startswith("IndexError"), proc.stderr
