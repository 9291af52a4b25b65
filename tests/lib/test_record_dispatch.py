"""Record arguments (`arr[i]` of a structured array) are matched by the native dispatcher
(numpy.void with the dtype object first typed), not re-typed by the Python fallback on every
call; records of another dtype object still work, writes still reach the array."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from jitbridge import njit

SPEC = [("a", "f8"), ("b", "i4")]


@njit
def bump(r):
    r.b += 1
    return r.a * 2


def test_records_of_one_array_take_the_native_path(monkeypatch):
    data = np.zeros(3, dtype=SPEC)
    data["a"] = [1.5, 2.5, 3.5]
    assert bump(data[0]) == 3.0

    def no_fallback(*args, **kws):
        raise AssertionError("the Python fallback ran")
    monkeypatch.setattr(bump, "_fallback", no_fallback)
    assert [bump(data[i]) for i in range(3)] == [3.0, 5.0, 7.0]
    assert data["b"].tolist() == [2, 1, 1]


def test_records_of_an_equal_dtype_object_and_of_other_layouts():
    first, second = np.zeros(1, dtype=SPEC), np.ones(1, dtype=SPEC)  # equal, distinct dtypes
    assert first.dtype is not second.dtype
    assert bump(first[0]) == 0.0 and bump(second[0]) == 2.0
    assert second["b"].tolist() == [2]
    other = np.zeros(1, dtype=[("a", "f4"), ("b", "i8")])
    other["a"] = 0.25
    assert bump(other[0]) == 0.5 and other["b"].tolist() == [1]


@njit
def first(a):
    return a[0]


@pytest.mark.parametrize("make", [
    lambda: np.zeros(2, dtype=SPEC), lambda: np.array(["2020-01-01", "NaT"], "datetime64[D]"),
    lambda: np.array([b"ab", b"c"], "S5"), lambda: np.array(["ab", "c"], "U5")])
def test_arrays_of_records_char_sequences_and_datetimes_take_the_native_path(make, monkeypatch):
    data = make()
    expected, last = str(data[0]), str(data[-1])  # (NaT != NaT)
    assert str(first(data)) == expected and str(first(data[::-1])) == last  # ('A': its own)

    def no_fallback(*args, **kws):
        raise AssertionError("the Python fallback ran")
    monkeypatch.setattr(first, "_fallback", no_fallback)
    assert str(first(data)) == expected and str(first(data[::-1])) == last
    assert str(first(make())) == expected  # another, equal dtype object


def test_functions_taking_records_stay_cacheable(tmp_path):
    """The checks ask this process for its dtype objects at run time: no address is baked into
    the code, so cache=True stores it and another process loads it."""
    (tmp_path / "records_cached.py").write_text(textwrap.dedent('''
        import warnings
        warnings.simplefilter("error")
        import numpy as np
        from jitbridge import njit

        @njit(cache=True)
        def total(a, r):
            return a[0]["a"] + r["a"]

        data = np.ones(2, dtype=[("a", "f8")])
        print(total(data, data[1]), sum(total.stats.cache_hits.values()))
    '''))
    env = {**os.environ, "JITBRIDGE_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "records_cached.py"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-800:] for r in runs]
    assert [r.stdout.split() for r in runs] == [["2.0", "0"], ["2.0", "1"]]
