"""Functions whose text the source check must accept (tests/frontend/test_source_capture.py):
the check compiles the text again and compares it with the running code object."""
from __future__ import annotations

import functools
import math

from jitbridge import njit


class Shapes:
    """Methods: an indented def, a multi-line docstring, a mangled private name."""

    @staticmethod
    @njit
    def area(w: float, h: float) -> float:
        """Area of a rectangle,
        documented on two lines (dedenting would change this constant)."""
        __half = 0.5
        return w * h * __half * 2


def make_adder(k):
    """A closure: `k` is a cell of the enclosing def, not a global."""
    @njit
    def add(x):
        return x + k
    return add


def _twice(fn):
    @functools.wraps(fn)
    def twice(x):
        return fn(x) * 2
    return twice


@njit
@_twice
@njit
def stacked(x):
    """functools.wraps: the wrapper's body is compiled ((1 + 10) * 2), not this one."""
    return x + 10


def annotated(x: int) -> int:
    """`from __future__ import annotations`: the inner annotations stay strings."""
    def inner(y: int) -> int:
        return y + 1
    return inner(x) * 3


@njit
def uses_module(x):
    """`math.sqrt(...)` compiles otherwise when `math` is imported by the module."""
    return math.sqrt(x) + math.floor(x)


scaled = njit(lambda x: x * 3 + 1)
