"""cache=True on @cfunc: the C callback's code (its jitted callees inside) is loaded by a
later process; its error path (printing the exception, returning error_value) still works."""
from __future__ import annotations

import subprocess
import sys

USECASES = '''
from jitbridge import cfunc, njit

Z = 1

@njit
def inner(x, y):
    return x + y + Z

@cfunc("float64(float64, float64)", cache=True)
def outer(x, y):
    return inner(-y, x)

@cfunc("float64(int64, int64)", cache=True, error_value=-1.0)
def div(a, b):
    return a / b
'''

DRIVER = '''
import jitbridge
import cfunc_usecases as mod
assert mod.outer.ctypes(5.0, 2.0) == 4.0 and mod.outer.address
assert mod.div.ctypes(7, 2) == 3.5
result = mod.div.ctypes(7, 0)
print(result, type(jitbridge.cfunc_last_error()).__name__, mod.outer.cache_hits,
      mod.div.cache_hits)
'''


def run(folder):
    proc = subprocess.run([sys.executable, "driver.py"], cwd=folder, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split(), proc.stderr


def test_cfunc_loads_from_the_cache_in_a_new_process(tmp_path):
    (tmp_path / "cfunc_usecases.py").write_text(USECASES)
    (tmp_path / "driver.py").write_text(DRIVER)
    first, _ = run(tmp_path)
    assert first == ["-1.0", "ZeroDivisionError", "0", "0"]
    assert len(list((tmp_path / "__pycache__").glob("cfunc_usecases.*.jitbridge.*.nbc"))) == 2
    second, _ = run(tmp_path)
    assert second == ["-1.0", "ZeroDivisionError", "1", "1"]


def test_a_new_cfunc_of_the_same_name_prints_its_first_error_again(tmp_path):
    (tmp_path / "again.py").write_text(
        "from jitbridge import cfunc\n"
        "def make():\n"
        "    @cfunc('float64(int64, int64)')\n"
        "    def div(a, b):\n"
        "        return a / b\n"
        "    return div\n"
        "for _ in range(2):\n"
        "    f = make()\n"
        "    f.ctypes(1, 0)\n"
        "    f.ctypes(1, 0)\n")
    proc = subprocess.run([sys.executable, "again.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("ZeroDivisionError") == 2  # once per cfunc object
