"""An exception raised by compiled code shows, as the innermost entry of its traceback, the
line of the user's source that raised it (as Python would), whatever raised it: a `raise`
statement with constant or run-time arguments, a bounds check, a library operation (its
user-level call line), a jitted callee (its own line)."""
import traceback

import numpy as np
import pytest

from jitbridge import njit


class Custom(Exception):
    pass


@njit
def raises(kind, x):
    if kind == 0:
        raise Custom
    if kind == 1:
        raise ValueError("constant", 1)
    if kind == 2:
        raise ValueError("run-time", x)
    return x


@njit
def calls_raises(kind, x):
    return raises(kind, x) + 1


@njit(boundscheck=True)
def reads(a, i):
    return a[i]


@njit
def looks_up(d, key):
    return d[key]


def _innermost(call, *args):
    """(file, line, function name, source text) of the innermost traceback entry."""
    with pytest.raises(Exception) as info:
        call(*args)
    frame = traceback.extract_tb(info.value.__traceback__)[-1]
    return frame.filename, frame.lineno, frame.name, frame.line


def _line_of(text: str) -> int:
    lines = open(__file__).read().splitlines()
    return lines.index(text) + 1


@pytest.mark.parametrize("kind, text", [
    (0, "        raise Custom"),
    (1, '        raise ValueError("constant", 1)'),
    (2, '        raise ValueError("run-time", x)'),
])
def test_the_raising_line_of_a_callee_is_the_innermost_entry(kind, text):
    assert _innermost(calls_raises, kind, 5) == (
        __file__, _line_of(text), "raises", text.strip())


def test_a_bounds_check_points_at_the_indexing_line():
    assert _innermost(reads, np.zeros(2), 7) == (
        __file__, _line_of("    return a[i]"), "reads", "return a[i]")


def test_an_error_inside_the_library_points_at_the_users_line():
    from jitbridge.typed import Dict
    d = Dict()
    d[1] = 2.0
    looks_up(d, 1)
    filename, line, name, text = _innermost(looks_up, d, 3)
    assert (filename, name, text) == (__file__, "looks_up", "return d[key]")


def test_the_exception_is_unchanged():
    with pytest.raises(ValueError) as info:
        calls_raises(2, 9)
    assert info.value.args == ("run-time", 9)
    assert calls_raises(3, 4) == 5
    # the whole traceback still starts at the Python caller
    entries = traceback.extract_tb(info.value.__traceback__)
    assert [e.name for e in entries][-2:] == ["test_the_exception_is_unchanged", "raises"]


def test_without_cpythons_traceback_hook_the_exception_is_raised_alone():
    """The entry comes from CPython's (private) _PyTraceback_Add, looked up at start-up; a
    CPython without it gets the same exception, without the entry."""
    import ctypes
    from jitbridge.codegen import get_codegen
    from jitbridge.runtime.helpers import TRACEBACK_ADD
    slot = ctypes.c_void_p.from_address(get_codegen().get_global_address(TRACEBACK_ADD))
    saved, slot.value = slot.value, None
    try:
        with pytest.raises(ValueError) as info:
            raises(2, 1)
    finally:
        slot.value = saved
    assert info.value.args == ("run-time", 1)
    assert traceback.extract_tb(info.value.__traceback__)[-1].name != "raises"
