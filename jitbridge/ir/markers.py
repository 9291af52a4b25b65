"""Markers: functions the frontend emits calls to, standing for operations that later stages
(typing, lowering, lib/) implement. They live in the IR layer, the one vocabulary shared by the
frontend and everything after it. Called from Python, they raise a TypeError saying so
(`unpack_sequence` does its check).
"""
from __future__ import annotations


class LiftedFunction:
    """A lifted inner function: `function(*captured, *params)` plus the captured names;
    `by_ref` are those captured by reference (the closure holds their variables' addresses)."""

    def __init__(self, function, captured: tuple, by_ref: frozenset = frozenset()):
        self.function = function
        self.captured = captured
        self.by_ref = by_ref
        #: the jitted dispatcher compiling `function` (made by typing on first call)
        self.dispatcher = None

    def __repr__(self):
        return f"<lifted {self.function.__qualname__}>"


def make_closure(lifted, *captured):
    """Marker called by compiled code to build a closure value (typed by lib/closures.py)."""
    raise TypeError("make_closure is only meaningful in compiled code")


def cell_get(cell):
    """Marker: the current value of a variable captured by reference (lib/closures.py)."""
    raise TypeError("cell_get is only meaningful in compiled code")


def cell_set(cell, value):
    """Marker: assign a variable captured by reference (lib/closures.py)."""
    raise TypeError("cell_set is only meaningful in compiled code")


def unpack_sequence(value, count):
    """Marker for `a, b = value`: typing checks that `value` has exactly `count` items."""
    if len(value) != count:
        raise ValueError(f"expected {count} values to unpack, got {len(value)}")
    return value


def yield_value(value):
    """Marker for `yield value` in a generator function (lowering/generators.py suspends the
    generator there; typing unifies the values of every yield into its item type)."""
    raise TypeError("yield_value is only meaningful in compiled code")


def literal_unroll(container):
    """Iterate over a tuple of mixed item types in compiled code: a `for` loop over it compiles
    its body once per item (frontend/unroll.py); elsewhere, and in Python, the container."""
    return container


def literally(obj):
    """`obj` itself; in compiled code, a demand that `obj` have a literal type: a function
    taking it as an argument is compiled for its value (once per value), and a constant is
    typed as its literal (typing/literally.py, lib/literally.py). In Python, `obj`."""
    return obj


# -- parallel loops (frontend/prange.py outlines them; lib/parallel.py runs them) --------------

class prange:
    """`prange(stop)`, `prange(start, stop[, step])`: a `range` whose iterations may run in
    parallel in a function compiled with `parallel=True` (elsewhere, and in Python, it is
    `range`)."""

    def __new__(cls, *args):
        return range(*args)


def parallel_for(kernel, combine, count):
    """Marker: run `kernel(lo, hi)` over [0, count) split between threads; the partial results
    (tuples of the loop's reductions) are folded with `combine` in thread order."""
    raise TypeError("parallel_for is only meaningful in compiled code")


def range_count(start, stop, step):
    """Marker: the number of items of `range(start, stop, step)`."""
    raise TypeError("range_count is only meaningful in compiled code")


def reduction_identity(operator, like):
    """Marker: a fresh identity value of a reduction (`operator` one of + * min max | & ^)
    of the type of `like` (a new zero array for an array)."""
    raise TypeError("reduction_identity is only meaningful in compiled code")


def progress_open(count):
    """Marker: a progress bar for a parallel loop of `count` items: (its handle, the address
    of the counter the threads add to) (jitbridge/progressbar.py)."""
    raise TypeError("progress_open is only meaningful in compiled code")


def progress_tick(counter, index):
    """Marker: item `index` of a thread's share starts (counted in batches)."""
    raise TypeError("progress_tick is only meaningful in compiled code")


def progress_rest(counter, size):
    """Marker: a thread's share of `size` items is done (the last batch is counted)."""
    raise TypeError("progress_rest is only meaningful in compiled code")


def progress_close(handle):
    """Marker: the parallel loop is over: show the final count and close the bar."""
    raise TypeError("progress_close is only meaningful in compiled code")


class pndindex:
    """`pndindex(*shape)`: NumPy's `ndindex` whose iterations may run in parallel in a function
    compiled with `parallel=True` (elsewhere, and in Python, it is `numpy.ndindex`)."""

    def __new__(cls, *shape):
        import numpy  # (on use: importing jitbridge does not load NumPy)
        return numpy.ndindex(*shape)


def as_shape(*dims):
    """Marker: `pndindex`'s arguments as a tuple of int64 extents."""
    raise TypeError("as_shape is only meaningful in compiled code")


def shape_count(shape):
    """Marker: the number of index tuples of `shape`."""
    raise TypeError("shape_count is only meaningful in compiled code")


def unravel(index, shape):
    """Marker: the `index`-th index tuple of `shape` in C order."""
    raise TypeError("unravel is only meaningful in compiled code")


def nonnegative(value):
    """Marker: `value`, which the code that produced it knows is not negative (the start of a
    thread's share of a parallel loop): a range from it counts upward from zero or more."""
    raise TypeError("nonnegative is only meaningful in compiled code")
