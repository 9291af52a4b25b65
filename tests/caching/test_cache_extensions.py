"""cache=True with what lives outside compiled code: extension types (the Interval example:
typeof, data model, box/unbox), pass-through objects (identity kept), small global arrays
(frozen by value) and a global array too large to freeze (referenced: uncachable, said so)."""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

USECASES = '''
import numpy as np
from jitbridge import njit
from interval_example import Interval

SMALL = np.arange(6.0)
BIG = np.arange((1 << 20) // 8 + 8, dtype=np.float64)

@njit(cache=True)
def width(iv):
    return iv.hi - iv.lo

@njit(cache=True)
def new_interval(lo):
    return Interval(lo, lo + 2.0)

@njit(cache=True)
def same(a, b):
    return a == b, a

@njit(cache=True)
def small_global(i):
    return SMALL[i] * 2

@njit(cache=True)
def big_global(i):
    return BIG[i]
'''

DRIVER = '''
import warnings
import extension_usecases as mod
from interval_example import Interval
from jitbridge.passthru import PassThruContainer
box = PassThruContainer(object())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    equal, back = mod.same(box, box)
    print(mod.width(Interval(1.0, 4.5)), mod.new_interval(1.0).hi, equal, back is box,
          mod.small_global(4), mod.big_global(7))
print(*[sum(f.stats.cache_hits.values())
        for f in (mod.width, mod.new_interval, mod.same, mod.small_global, mod.big_global)])
print(*[str(w.message)[:64] for w in caught], sep="|")
'''


def run(folder):
    proc = subprocess.run([sys.executable, "driver.py"], cwd=folder, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_extension_types_passthru_and_global_arrays(tmp_path):
    example = pathlib.Path(__file__).parent.parent / "extending" / "interval_example.py"
    shutil.copy(example, tmp_path / "interval_example.py")
    (tmp_path / "extension_usecases.py").write_text(USECASES)
    (tmp_path / "driver.py").write_text(DRIVER)
    for hits in ("0 0 0 0 0", "1 1 1 1 0"):
        values, counts, warned = run(tmp_path)
        assert values == "3.5 3.0 True True 8.0 7.0"
        assert counts == hits
        assert warned == 'Cannot cache compiled function "big_global" as it uses dynamic g'


OVERLOADS = '''
from jitbridge.extending import overload
import stubs

@overload(stubs.scaled)
def scaled_impl(x):
    def impl(x):
        return x * 2
    return impl
'''

CALLER = '''
from jitbridge import njit
import overloads, stubs

@njit(cache=True)
def caller(x):
    return stubs.scaled(x) + 1
'''


def test_editing_an_overload_in_another_module_recompiles_the_caller(tmp_path):
    (tmp_path / "stubs.py").write_text("def scaled(x):\n    raise NotImplementedError\n")
    (tmp_path / "overloads.py").write_text(OVERLOADS)
    (tmp_path / "caller_mod.py").write_text(CALLER)
    (tmp_path / "driver.py").write_text(
        "import caller_mod\nprint(caller_mod.caller(5), "
        "sum(caller_mod.caller.stats.cache_hits.values()))\n")
    assert run(tmp_path) == ["11 0"]
    assert run(tmp_path) == ["11 1"]
    (tmp_path / "overloads.py").write_text(OVERLOADS.replace("x * 2", "x * 3"))
    assert run(tmp_path) == ["16 0"]
    assert run(tmp_path) == ["16 1"]
