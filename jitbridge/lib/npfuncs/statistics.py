"""statistics: reductions along an axis (sum prod mean std var min max argmin argmax all any
cumsum cumprod, function and method forms), their nan* variants, median and
percentile/quantile.

An axis reduction sees its array as (outer, n, inner) in C order and reduces each `n`-long lane
with a 1-D kernel `lane(v, arg)`, so one kernel serves every ndim, layout and axis; without an
axis the kernel sees the flattened array. Result dtypes are asked of NumPy itself at typing
time, so they follow NumPy 2's rules by construction. Floating sums add in order (NumPy adds
contiguous runs pairwise), so they may differ from NumPy's in the last bits."""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_method, register_jitable
from ..arrays.model import as_dtype
from ..arrays.reductions import require_numbers
from .axes import is_axis_tuple, over_axes
from .common import as_c, is_none, normalize_axis

NUMERIC = (types.Number, types.Boolean)


# -- shared machinery ------------------------------------------------------------------------

@intrinsic
def _drop_axis(typingctx, shape, axis):
    """`shape` without its entry `axis` (a run-time index): a tuple one shorter."""
    count = shape.count
    result = types.UniTuple(types.intp, count - 1)

    def codegen(context, builder, sig, args):
        ax = context.cast(builder, args[1], sig.args[1], types.intp)
        out = ir.Constant(context.get_value_type(result), ir.Undefined)
        for i in range(count - 1):
            below = builder.icmp_signed(">", ax, ir.Constant(ax.type, i))
            item = builder.select(below, builder.extract_value(args[0], i),
                                  builder.extract_value(args[0], i + 1))
            out = builder.insert_value(out, item, i)
        return out
    return result(shape, axis), codegen


@intrinsic
def replace_item(typingctx, shape, index, value):
    """`shape` with its entry `index` (a run-time index) set to `value`."""
    count = shape.count
    result = types.UniTuple(types.intp, count)

    def codegen(context, builder, sig, args):
        at = context.cast(builder, args[1], sig.args[1], types.intp)
        new = context.cast(builder, args[2], sig.args[2], types.intp)
        out = ir.Constant(context.get_value_type(result), ir.Undefined)
        for i in range(count):
            here = builder.icmp_signed("==", at, ir.Constant(at.type, i))
            out = builder.insert_value(out, builder.select(here, new, builder.extract_value(
                args[0], i)), i)
        return out
    return result(shape, index, value), codegen


@register_jitable
def _lanes(a, axis):
    """The C-ordered (outer, n, inner) view of `a` whose middle axis is `axis`."""
    outer = 1
    inner = 1
    for i in range(a.ndim):
        if i < axis:
            outer *= a.shape[i]
        elif i > axis:
            inner *= a.shape[i]
    return as_c(a).reshape((outer, a.shape[axis], inner))


@register_jitable
def _flat(a):
    return as_c(a).reshape((a.size,))


def is_array(a, complex_ok=True):
    return isinstance(a, types.Array) and isinstance(a.dtype, NUMERIC) and \
        (complex_ok or not isinstance(a.dtype, types.Complex))


def numeric_array(name, a):
    """Whether `a` is an array these reductions take; an array of non-numbers (strings,
    records) is a typing error naming the function rather than a silent decline; datetime
    arrays are lib/datetimes_arrays.py's (NumPy's NaT rules)."""
    if isinstance(a, types.Array) and isinstance(a.dtype, (types.NPDatetime, types.NPTimedelta)):
        return False
    if isinstance(a, types.Array):
        require_numbers(name, a)
    return is_array(a)


def array_like(ty):
    """Scalars, lists and tuples, which NumPy's functions take as arrays (np.asarray)."""
    return isinstance(ty, (types.Number, types.Boolean, types.List, types.BaseTuple))


def _sample(aryty):
    return np.ones((1, 1), dtype=as_dtype(aryty.dtype))


def dtype_of(func, aryty, *args, **kws):
    """The dtype NumPy gives `func` along an axis of an array of `aryty`'s dtype."""
    with np.errstate(all="ignore"):
        return np.asarray(func(_sample(aryty), *args, axis=0, **kws)).dtype


def _reducer(lane, dtype, ndim, rows=None):
    """core(a, axis, arg): each lane along `axis` reduced by `lane(v, arg)`; a scalar for
    1-D arrays, else an (ndim-1)-D array. `rows` (sum, prod): the same reduction as
    (start, step(acc, row)) accumulating whole rows, for axes whose lanes are strided."""
    if ndim == 1:
        def core_1d(a, axis, arg):
            normalize_axis(axis, 1)
            return lane(a, arg)
        return register_jitable(core_1d)
    if rows is not None:
        return _row_reducer(lane, dtype, *rows)

    def core(a, axis, arg):
        ax = normalize_axis(axis, a.ndim)
        view = _lanes(a, ax)
        out = np.empty(view.shape[0] * view.shape[2], dtype)
        for i in range(view.shape[0]):
            for k in range(view.shape[2]):
                out[i * view.shape[2] + k] = lane(view[i, :, k], arg)
        return out.reshape(_drop_axis(a.shape, ax))
    return register_jitable(core)


def _row_reducer(lane, dtype, start, step):
    """Strided lanes (inner > 1) are summed row by row into the result: the same operations
    in the same order for each lane, over contiguous memory (a C array's axis 0 reads at
    memory speed instead of one cache line per element)."""
    def core(a, axis, arg):
        ax = normalize_axis(axis, a.ndim)
        view = _lanes(a, ax)
        outer, n, inner = view.shape
        out = np.empty(outer * inner, dtype)
        for i in range(outer):
            acc = out[i * inner:(i + 1) * inner]
            if inner == 1:
                acc[0] = lane(view[i, :, 0], arg)
                continue
            acc[:] = start
            for j in range(n):
                step(acc, view[i, j])
        return out.reshape(_drop_axis(a.shape, ax))
    return register_jitable(core)


def _whole(lane):
    return register_jitable(lambda a, axis, arg: lane(_flat(a), arg))


def reducer_for(lane, dtype, aryty, axis, rows=None):
    """core(a, axis, arg) reducing along `axis`, or over all elements when it is None."""
    if is_none(axis):
        return _whole(lane)
    if is_axis_tuple(axis):
        return over_axes(lambda ndim: _reducer(lane, dtype, ndim, rows), aryty, axis)
    if not isinstance(types.unliteral(axis), types.Integer):
        raise TypingError(f"axis must be an integer, got {axis}")
    return _reducer(lane, dtype, aryty.ndim, rows)


def caster(dtype):
    """A kernel converting a scalar to `dtype` (booleans by truth)."""
    scalar = dtype.type
    if dtype.kind == "b":
        return register_jitable(lambda x: x != 0)
    return register_jitable(lambda x: scalar(x))


# -- 1-D kernels -----------------------------------------------------------------------------

def _summing(kind, zero, skip_nan=False):
    """A kernel summing (kind 'sum') or multiplying (kind 'prod') from `zero` (nan* kernels
    leave NaNs out)."""
    start = zero if kind == "sum" else zero + 1
    conv = caster(np.asarray(zero).dtype)  # an explicit dtype= may be narrower than the items

    @register_jitable
    def add_lane(v, arg):
        acc = start
        for j in range(v.shape[0]):
            if not (skip_nan and v[j] != v[j]):
                acc += conv(v[j])
        return conv(acc)  # small integers promote while adding; wrap as NumPy does

    @register_jitable
    def mul_lane(v, arg):
        acc = start
        for j in range(v.shape[0]):
            if not (skip_nan and v[j] != v[j]):
                acc *= conv(v[j])
        return conv(acc)
    return add_lane if kind == "sum" else mul_lane


def _summing_rows(kind, zero, skip_nan=False):
    """(start, step): `step(acc, row)` adds (multiplies) `row` into `acc` element by element,
    as `_summing`'s lane kernel does one element at a time."""
    start = zero if kind == "sum" else zero + 1
    conv = caster(np.asarray(zero).dtype)

    @register_jitable
    def add_row(acc, row):
        for k in range(row.shape[0]):
            if not (skip_nan and row[k] != row[k]):
                acc[k] = acc[k] + conv(row[k])

    @register_jitable
    def mul_row(acc, row):
        for k in range(row.shape[0]):
            if not (skip_nan and row[k] != row[k]):
                acc[k] = acc[k] * conv(row[k])
    return start, add_row if kind == "sum" else mul_row


@register_jitable
def _divide(total, count):
    """total / count as NumPy divides arrays: x/0 gives inf or nan, never an exception."""
    if count == 0:
        if total == 0 or total != total:
            return total * np.nan
        return total * np.inf
    return total / count


@register_jitable
def _count(v, skip_nan):
    """How many elements enter a (nan*) mean."""
    if not skip_nan:
        return v.shape[0]
    n = 0
    for j in range(v.shape[0]):
        n += v[j] == v[j]
    return n


def _mean_lane(zero, cast, skip_nan=False):
    summing = _summing("sum", zero, skip_nan)

    @register_jitable
    def lane(v, arg):
        return cast(_divide(summing(v, arg), _count(v, skip_nan)))
    return lane


def _square(d):
    """|d|**2 (complex differences give the real square of their modulus)."""


@overload(_square)
def _ol_square(d):
    if isinstance(d, types.Complex):
        return lambda d: d.real * d.real + d.imag * d.imag
    return lambda d: d * d


def _var_lane(zero, real_zero, cast, root, skip_nan=False):
    """Variance (std with `root`) in NumPy's order: the mean first, then the sum of squared
    differences divided by max(n - ddof, 0)."""
    summing = _summing("sum", zero, skip_nan)

    @register_jitable
    def lane(v, ddof):
        n = _count(v, skip_nan)
        mean = _divide(summing(v, 0), n)
        acc = real_zero
        for j in range(v.shape[0]):
            if not (skip_nan and v[j] != v[j]):
                acc += _square(v[j] - mean)
        result = _divide(acc, max(n - ddof, 0))
        return cast(np.sqrt(result) if root else result)
    return lane


def _less(x, y):
    """x < y, complex numbers ordered lexicographically as NumPy orders them."""


@overload(_less)
def _ol_less(x, y):
    if isinstance(x, types.Complex):
        return lambda x, y: x.real < y.real or (x.real == y.real and x.imag < y.imag)
    return lambda x, y: x < y


@register_jitable
def _nan_replaced_index(v, is_max):
    """NumPy's nanargmax/nanargmin: the first extreme once NaNs are -inf/+inf (so a NaN before
    an equal infinity wins the tie)."""
    best_at, best = 0, _nan_replaced(v[0], is_max)
    for j in range(1, v.shape[0]):
        x = _nan_replaced(v[j], is_max)
        if _less(best, x) if is_max else _less(x, best):
            best, best_at = x, j
    return best_at


def _nan_replaced(x, is_max):
    """x, or the infinity NumPy's nanarg* functions put in place of a NaN."""


@overload(_nan_replaced)
def _ol_nan_replaced(x, is_max):
    if isinstance(x, types.Float):
        return lambda x, is_max: x if x == x else (-np.inf if is_max else np.inf)
    if isinstance(x, types.Complex):
        return lambda x, is_max: x if x == x else complex(-np.inf if is_max else np.inf, 0.0)
    return lambda x, is_max: x


def _extreme_lane(is_max, want_index, skip_nan=False):
    """min/max (the first NaN wins, as in NumPy) or the index of the first extreme; with
    `skip_nan` NaNs are left out: an all-NaN lane gives NaN (nanmin) or an error (nanargmin)."""
    what = ("argmax" if want_index else "maximum") if is_max else \
        ("argmin" if want_index else "minimum")
    message = f"attempt to get {what} of an empty sequence" if want_index else \
        f"zero-size array to reduction operation {what} which has no identity"

    @register_jitable
    def index_lane(v, arg):
        n = v.shape[0]
        if n == 0:
            raise ValueError(message)
        best_at = 0
        if skip_nan:
            while best_at < n - 1 and v[best_at] != v[best_at]:
                best_at += 1
            if want_index and v[best_at] != v[best_at]:
                raise ValueError("All-NaN slice encountered")
            if want_index:
                return _nan_replaced_index(v, is_max)
        best = v[best_at]
        for j in range(best_at + 1, n):
            x = v[j]
            if best != best and not skip_nan:
                break
            if (x != x and not skip_nan) or (_less(best, x) if is_max else _less(x, best)):
                best = x
                best_at = j
        return best_at

    if want_index:
        return index_lane
    return register_jitable(lambda v, arg: v[index_lane(v, arg)])


def _truth_lane(is_all):
    @register_jitable
    def lane(v, arg):
        for j in range(v.shape[0]):
            if (v[j] == 0) == is_all:
                return not is_all
        return is_all
    return lane


# -- sum prod mean min max argmin argmax all any and their nan* forms -------------------------

def _work_zero(aryty):
    """Zero in the dtype NumPy sums in to take a mean: float64 for integers and booleans."""
    if isinstance(aryty.dtype, (types.Float, types.Complex)):
        return as_dtype(aryty.dtype).type(0)
    return np.float64(0)


def _lane_for(name, aryty, dtype, work=None):
    """The 1-D kernel of reduction `name` (maybe 'nan'-prefixed) for `aryty`, giving `dtype`;
    means (and variances' means) add in `work` when an explicit dtype= names it."""
    zero = _work_zero(aryty) if work is None else work.type(0)
    skip = name.startswith("nan") and isinstance(aryty.dtype, (types.Float, types.Complex))
    base = name[3:] if name.startswith("nan") else name
    if base in ("sum", "prod"):
        return _summing(base, dtype.type(0), skip)
    if base == "mean":
        return _mean_lane(zero, caster(dtype), skip)
    if base in ("var", "std"):
        real_zero = np.float64(0) if dtype.kind != "f" else dtype.type(0)
        return _var_lane(zero, real_zero, caster(dtype), base == "std", skip)
    if base in ("min", "max", "argmin", "argmax"):
        return _extreme_lane(base.endswith("max"), base.startswith("arg"), skip)
    return _truth_lane(base == "all")


def _rows_for(name, aryty, dtype):
    """The row-accumulating form of nansum/nanprod (see _row_reducer), else None."""
    if name not in ("nansum", "nanprod"):
        return None
    skip = isinstance(aryty.dtype, (types.Float, types.Complex))
    return _summing_rows(name[3:], dtype.type(0), skip)


def _dtype_arg(dtype):
    """The NumPy dtype an explicit `dtype=` argument names, or None."""
    if isinstance(dtype, types.NumberClass):
        return as_dtype(dtype.instance_type)
    if isinstance(dtype, types.DType):
        return as_dtype(dtype.dtype)
    return None


def _native_handles(name, aryty):
    """Whether the native whole-array reduction does np.<name>(a) right (it divides an empty
    array's mean by zero and cannot compare complex numbers)."""
    if name in ("sum", "prod"):
        return True
    return name in ("min", "max", "argmin", "argmax") and \
        not isinstance(aryty.dtype, types.Complex)


def _reduction(name, method):
    """The overload of np.<name>(a, axis) (or the method a.<name>(axis))."""
    func = getattr(np, name)

    def typer(a, axis=None):
        if array_like(a) and is_none(axis):
            return lambda a, axis=None: func(np.asarray(a))
        if not numeric_array(name, a):
            return None
        if is_none(axis) and _native_handles(name, a):
            # the native template takes the array alone: an explicit None comes here
            native = method or not isinstance(axis, types.Omitted)
            return (lambda a, axis=None: func(a)) if native else None
        if "arg" in name and is_axis_tuple(axis):  # one index per lane: NumPy refuses too
            raise TypingError(f"np.{name}(): axis must be an integer or None, not {axis}")
        dtype = dtype_of(func, a)
        core = reducer_for(_lane_for(name, a, dtype), dtype, a, axis, _rows_for(name, a, dtype))
        return lambda a, axis=None: core(a, axis, 0)
    return typer


def _summation(name, method):
    """np.sum/np.prod(a, axis=None, dtype=None), also as methods."""
    func = getattr(np, name)

    def typer(a, axis=None, dtype=None):
        if array_like(a) and is_none(axis):
            if is_none(dtype):
                return lambda a, axis=None, dtype=None: func(np.asarray(a))
            return lambda a, axis=None, dtype=None: func(np.asarray(a), dtype=dtype)
        target = _dtype_arg(dtype)
        if not numeric_array(name, a) or not (is_none(dtype) or target is not None) or (
                target is not None and target.kind != "c" and isinstance(a.dtype, types.Complex)):
            return None
        if is_none(axis) and is_none(dtype):
            native = method or not all(isinstance(t, types.Omitted) for t in (axis, dtype))
            return (lambda a, axis=None, dtype=None: func(a)) if native else None
        out = dtype_of(func, a, dtype=_dtype_arg(dtype))
        core = reducer_for(_summing(name, out.type(0)), out, a, axis,
                           _summing_rows(name, out.type(0)))
        return lambda a, axis=None, dtype=None: core(a, axis, 0)
    return typer


def _variance(name):
    """np.var/np.std(a, axis=None, dtype=None, out=None, ddof=0) and their nan* forms."""
    func = getattr(np, name)

    def typer(a, axis=None, dtype=None, out=None, ddof=0):
        if array_like(a) and is_none(axis):
            return lambda a, axis=None, dtype=None, out=None, ddof=0: \
                func(np.asarray(a), ddof=ddof)
        target = _dtype_arg(dtype)
        if not numeric_array(name, a) or not is_none(out) or \
                not (is_none(dtype) or target is not None):
            return None
        result = _explicit_dtype(func, a, target)
        core = reducer_for(_lane_for(name, a, result, target), result, a, axis)
        return lambda a, axis=None, dtype=None, out=None, ddof=0: core(a, axis, ddof)
    return typer


def _explicit_dtype(func, aryty, target):
    """NumPy's result dtype for `target` (an explicit dtype=, or None); a TypingError where
    NumPy refuses to accumulate in it."""
    if target is not None and target.kind != "c" and isinstance(aryty.dtype, types.Complex):
        raise TypingError(f"np.{func.__name__}(): dtype={target} of a complex array would "
                          "discard its imaginary parts")
    try:
        return dtype_of(func, aryty, dtype=target)
    except TypeError as exc:
        raise TypingError(f"np.{func.__name__}(): dtype={target}: {exc}") from None


def _accumulating(name):
    """np.mean/nanmean/nansum/nanprod(a, axis=None, dtype=None) (and a.mean): NumPy adds (or
    multiplies) in an explicit dtype; without one the (a, axis) overload decides."""
    func = getattr(np, name)
    base = name[3:] if name.startswith("nan") else name

    def typer(a, axis=None, dtype=None):
        if isinstance(dtype, types.Omitted):  # the (a, axis) overload's call
            return None
        if is_none(dtype):  # (keepdims.py passes dtype=None on)
            return lambda a, axis=None, dtype=None: func(a, axis)
        target = _dtype_arg(dtype)
        if target is None or not numeric_array(name, a):
            return None
        result = _explicit_dtype(func, a, target)
        skip = name.startswith("nan") and isinstance(a.dtype, (types.Float, types.Complex))
        lane = _mean_lane(target.type(0), caster(result), skip) if base == "mean" else \
            _summing(base, result.type(0), skip)
        core = reducer_for(lane, result, a, axis)
        return lambda a, axis=None, dtype=None: core(a, axis, 0)
    return typer


for _name in ("mean", "nanmean", "nansum", "nanprod"):
    overload(getattr(np, _name))(_accumulating(_name))
overload_method(types.Array, "mean")(_accumulating("mean"))
for _name in ("mean", "min", "max", "argmin", "argmax", "all", "any"):
    overload(getattr(np, _name))(_reduction(_name, False))
    overload_method(types.Array, _name)(_reduction(_name, True))
for _name in ("nanmean", "nanmin", "nanmax", "nanargmin", "nanargmax"):
    overload(getattr(np, _name))(_reduction(_name, False))
for _name in ("sum", "prod"):
    overload(getattr(np, _name))(_summation(_name, False))
    overload_method(types.Array, _name)(_summation(_name, True))
for _name in ("nansum", "nanprod"):
    overload(getattr(np, _name))(_reduction(_name, False))
for _name in ("var", "std"):
    overload(getattr(np, _name))(_variance(_name))
    overload_method(types.Array, _name)(_variance(_name))
for _name in ("nanvar", "nanstd"):
    overload(getattr(np, _name))(_variance(_name))


# -- cumsum cumprod nancumsum nancumprod -----------------------------------------------------

def _scan(is_sum, start, skip_nan):
    """Running sums (products) along the middle axis of (outer, n, inner) arrays."""
    conv = caster(np.asarray(start).dtype)

    @register_jitable
    def scan(view, out):
        for i in range(view.shape[0]):
            for k in range(view.shape[2]):
                acc = start
                for j in range(view.shape[1]):
                    x = view[i, j, k]
                    if not (skip_nan and x != x):
                        acc = acc + conv(x) if is_sum else acc * conv(x)
                    out[i, j, k] = acc
    return scan


def _cumulative(name):
    """np.cumsum(a, axis=None, dtype=None, out=None) and relatives: the flattened array's
    running totals without an axis, else the array's shape."""
    func = getattr(np, name)

    def typer(a, axis=None, dtype=None, out=None):
        if array_like(types.unliteral(a)):  # NumPy's np.asarray(a) first
            return lambda a, axis=None, dtype=None, out=None: func(
                np.asarray(a), axis=axis, dtype=dtype, out=out)
        if not numeric_array(name, a) or not is_none(out) or \
                not (is_none(dtype) or _dtype_arg(dtype)):
            return None
        result = dtype_of(func, a, dtype=_dtype_arg(dtype))
        skip = name.startswith("nan") and isinstance(a.dtype, (types.Float, types.Complex))
        scan = _scan(name.endswith("sum"), result.type(0 if name.endswith("sum") else 1), skip)
        if is_none(axis):
            def flat(a, axis=None, dtype=None, out=None):
                view = _flat(a).reshape((1, a.size, 1))
                res = np.empty(view.shape, result)
                scan(view, res)
                return res.reshape((a.size,))
            return flat
        if not isinstance(types.unliteral(axis), types.Integer):
            raise TypingError(f"axis must be an integer, got {axis}")

        def along(a, axis=None, dtype=None, out=None):
            view = _lanes(a, normalize_axis(axis, a.ndim))
            res = np.empty(view.shape, result)
            scan(view, res)
            return res.reshape(a.shape)
        return along
    return typer


for _name in ("cumsum", "cumprod"):
    overload(getattr(np, _name))(_cumulative(_name))
    overload_method(types.Array, _name)(_cumulative(_name))
for _name in ("nancumsum", "nancumprod"):
    overload(getattr(np, _name))(_cumulative(_name))
