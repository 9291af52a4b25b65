"""NumPy reductions over arrays of datetime64/timedelta64, with NumPy's NaT rules: NaT wins
min/max/argmin/argmax (as NaN does for floats) and makes sum, mean, median and cumsum NaT.
Sums, means and medians exist for timedeltas only (NumPy cannot add two datetimes). Python's
min()/max() over an array compare as Python does, where NaT is never smaller nor larger.

Elements are compared by their int64 counts (`count_of`); results take the array's unit.
"""
from __future__ import annotations

import operator

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload, overload_method, register_jitable
from ._registries import AbstractTemplate, register
from .arrays.indexing import index_result
from ..types.datetime import is_datetime_like
from .datetimes_kernels import NAT, truncated_div
from .datetimes_ops import count_of, with_count


class DatetimeSetItem(AbstractTemplate):
    """`a[i] = value` into an array of datetimes: a datetime of the same kind (converted to
    the array's unit, as NumPy's same_kind assignment does) or an integer count."""
    key = operator.setitem

    def generic(self, args, kws):
        aryty, index, value = args
        if not _datetime_array(aryty) or not isinstance(
                types.unliteral(value), (types.NPDatetime, types.NPTimedelta, types.Integer)):
            return None
        if index_result(aryty, index) is None:
            return None
        if aryty.readonly:
            raise TypingError(f"Cannot modify readonly array of type: {aryty}")
        if is_datetime_like(value) and type(value) is not type(aryty.dtype):
            raise TypingError(f"cannot assign a {value} to an element of {aryty}")
        return types.signature(types.none, aryty, index, aryty.dtype)


register(DatetimeSetItem)


def _datetime_array(a) -> bool:
    return isinstance(a, types.Array) and is_datetime_like(a.dtype)


def _timedelta_array(a) -> bool:
    return isinstance(a, types.Array) and isinstance(a.dtype, types.NPTimedelta)


@register_jitable
def _extreme_index(a, is_min):
    """Flat index of the first NaT, else of the first smallest (largest) element."""
    best, best_index, index = 0, 0, 0
    for value in np.ravel(a):
        count = count_of(value)
        if count == NAT:
            return index
        if index == 0 or (count < best if is_min else count > best):
            best, best_index = count, index
        index += 1
    return best_index


@register_jitable
def _extreme(a, is_min):
    if a.size == 0:
        name = "minimum" if is_min else "maximum"
        raise ValueError("zero-size array to reduction operation " + name +
                         " which has no identity")
    return np.ravel(a)[_extreme_index(a, is_min)]


@register_jitable
def _arg_extreme(a, is_min):
    if a.size == 0:
        raise ValueError("attempt to get argmin of an empty sequence" if is_min else
                         "attempt to get argmax of an empty sequence")
    return _extreme_index(a, is_min)


@register_jitable
def _total(a):
    """The sum of the counts, NaT if any is NaT (int64 wrapping as NumPy's loop)."""
    total = 0
    for value in np.ravel(a):
        count = count_of(value)
        if count == NAT:
            return NAT
        total += count
    return total


@register_jitable
def _mean(a):
    total = _total(a)
    if total == NAT or a.size == 0:
        return with_count(NAT, a)
    return with_count(truncated_div(total, a.size), a)


@register_jitable
def _median(a):
    counts = np.empty(a.size, np.int64)
    index = 0
    for value in np.ravel(a):
        counts[index] = count_of(value)
        if counts[index] == NAT:
            return with_count(NAT, a)
        index += 1
    if a.size == 0:
        return with_count(NAT, a)
    counts = np.sort(counts)
    half = a.size // 2
    if a.size % 2:
        return with_count(counts[half], a)
    return with_count(truncated_div(counts[half - 1] + counts[half], 2), a)


@register_jitable
def _cumsum(a):
    out = np.ravel(a).copy()
    total = 0
    for index in range(out.size):
        count = count_of(out[index])
        total = NAT if total == NAT or count == NAT else total + count
        out[index] = with_count(total, a)
    return out


def _min(a):
    return _extreme(a, True)


def _max(a):
    return _extreme(a, False)


def _argmin(a):
    return _arg_extreme(a, True)


def _argmax(a):
    return _arg_extreme(a, False)


def _sum(a):
    return with_count(_total(a), a)


@register_jitable
def _all(a):
    for value in np.ravel(a):
        if count_of(value) == 0:
            return False
    return True


@register_jitable
def _any(a):
    for value in np.ravel(a):
        if count_of(value) != 0:
            return True
    return False


#: NumPy function -> (implementation, whether datetimes are accepted besides timedeltas)
#: (np.amin and np.amax are np.min and np.max to the compiler: lib/arrays/reductions.py)
FUNCTIONS = {np.min: (_min, True), np.max: (_max, True), np.argmin: (_argmin, True), np.argmax: (_argmax, True),
             np.sum: (_sum, False), np.mean: (_mean, False), np.median: (_median, False),
             np.cumsum: (_cumsum, False), np.all: (_all, True), np.any: (_any, True)}
METHODS = ("min", "max", "argmin", "argmax", "sum", "mean", "cumsum", "all", "any")


def _typer(impl, datetimes_too):
    def typer(a, *args, **kws):  # (other arguments, axis= ...: the numeric overloads' calls)
        if not (args or kws) and (_timedelta_array(a) or (datetimes_too and _datetime_array(a))):
            return impl
        return None
    return typer


# -- the same functions of one value (NumPy takes it as a 0-d array) ---------------------------

def _itself(a):
    return a


def _nonzero(a):
    return count_of(a) != 0


#: NumPy function -> (implementation for a scalar, whether datetimes are accepted)
SCALAR_FUNCTIONS = {np.min: (_itself, True), np.max: (_itself, True), np.mean: (_itself, False),
                    np.sum: (_itself, False), np.all: (_nonzero, True), np.any: (_nonzero, True)}


def _scalar_typer(impl, datetimes_too):
    def typer(a, *args, **kws):
        if args or kws:
            return None
        if isinstance(a, types.NPTimedelta) or (datetimes_too and is_datetime_like(a)):
            return impl
        return None
    return typer


for _func, (_impl, _datetimes_too) in SCALAR_FUNCTIONS.items():
    overload(_func)(_scalar_typer(_impl, _datetimes_too))
for _func, (_impl, _datetimes_too) in FUNCTIONS.items():
    overload(_func)(_typer(_impl, _datetimes_too))
for _name in METHODS:
    overload_method(types.Array, _name)(_typer(*FUNCTIONS[getattr(np, _name)]))


# -- Python's min() and max() over an array: Python's comparisons, NaT never replaces nor is
# replaced unless first ------------------------------------------------------------------------

@register_jitable
def _python_extreme(a, is_min):
    if a.shape[0] == 0:
        raise ValueError("min() arg is an empty sequence" if is_min else
                         "max() arg is an empty sequence")
    best = a[0]
    for index in range(1, a.shape[0]):
        if (a[index] < best) if is_min else (a[index] > best):
            best = a[index]
    return best


@overload(min)
def builtin_min_array(a):
    if _datetime_array(a) and a.ndim == 1:
        return lambda a: _python_extreme(a, True)


@overload(max)
def builtin_max_array(a):
    if _datetime_array(a) and a.ndim == 1:
        return lambda a: _python_extreme(a, False)
