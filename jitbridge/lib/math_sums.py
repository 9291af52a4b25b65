"""math.fsum, math.prod, n-ary math.hypot and math.dist, with CPython's results: fsum is
correctly rounded (Shewchuk's exact partial sums, then one rounding, half-even across partials),
hypot and dist scale the coordinates by a power of two and sum the exact squares in double
length before a corrected square root, as CPython's vector_norm."""
from __future__ import annotations

import math
import sys

from .. import types
from ..extending import intrinsic, overload, register_jitable
from .math_int import _mul, _to_int64
from .keyword_only import refuse_extra_positional
from .math_more import _frexp, _ldexp

DBL_MIN = 2.0 ** -1022
_DIVIDE_BY_LARGEST = sys.version_info < (3, 12)  # how CPython treats all-subnormal vectors


def _real(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Float, types.Boolean))


def _item_type(ty):
    """The type iterating over `ty` gives (a tuple's items must share a kind: real), or None."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.BaseTuple):
        return types.float64 if all(_real(t) for t in ty) else None
    if isinstance(ty, types.Array):
        return ty.dtype if ty.ndim == 1 else None
    if isinstance(ty, types.RangeType):
        return types.int64
    dtype = getattr(ty, "dtype", None)  # lists, typed lists, sets
    return dtype if dtype is not None else getattr(ty, "yield_type", None)


def _real_items(ty) -> bool:
    item = _item_type(ty)
    return item is not None and _real(item)


@intrinsic
def _float_tuple(typingctx, values):
    """A tuple of real numbers as a homogeneous tuple of float64 (iterable by index)."""
    if not isinstance(values, types.BaseTuple) or not all(_real(t) for t in values):
        return None
    target = types.UniTuple(types.float64, len(values))

    def codegen(context, builder, sig, args):
        items = [context.cast(builder, builder.extract_value(args[0], i), ty, types.float64)
                 for i, ty in enumerate(sig.args[0])]
        return context.make_tuple(builder, target, items)
    return target(values), codegen


def _as_sequence(values):
    """Tuples as float64 tuples (a mixed tuple cannot be iterated); others unchanged."""
    pass


@overload(_as_sequence)
def _as_sequence_impl(values):
    if isinstance(values, types.BaseTuple):
        return lambda values: _float_tuple(values)
    return lambda values: values


# -- fsum ---------------------------------------------------------------------------------------

@register_jitable
def _add_partial(partials, count, x):
    """Add x to the non-overlapping partials[:count]; the new count (x itself kept last)."""
    kept = 0
    for j in range(count):
        y = partials[j]
        if abs(x) < abs(y):
            x, y = y, x
        high = x + y
        low = y - (high - x)
        if low != 0.0:
            partials[kept] = low
            kept += 1
        x = high
    return kept, x


@register_jitable
def _round_partials(partials, count):
    """The correctly rounded sum of the exact partials[:count] (increasing magnitude)."""
    if count == 0:
        return 0.0
    count -= 1
    high = partials[count]
    low = 0.0
    while count > 0:
        x = high
        count -= 1
        y = partials[count]
        high = x + y
        low = y - (high - x)
        if low != 0.0:
            break
    # the partials below may tip a half-way case: round half-even across them
    if count > 0 and ((low < 0.0 and partials[count - 1] < 0.0) or
                      (low > 0.0 and partials[count - 1] > 0.0)):
        y = low * 2.0
        x = high + y
        if y == x - high:
            high = x
    return high


@register_jitable
def _fsum(values):
    partials = [0.0] * 0
    count = 0
    special, infinities = 0.0, 0.0
    for item in values:
        value = float(item)
        count, x = _add_partial(partials, count, value)
        if x == 0.0:
            continue
        if not math.isfinite(x):
            if math.isfinite(value):
                raise OverflowError("intermediate overflow in fsum")
            if math.isinf(value):
                infinities += value
            special += value
            count = 0  # the finite partials no longer matter
        elif count < len(partials):
            partials[count] = x
            count += 1
        else:
            partials.append(x)
            count += 1
    if special != 0.0:
        if math.isnan(infinities):
            raise ValueError("-inf + inf in fsum")
        return special
    return _round_partials(partials, count)


@overload(math.fsum)
def fsum(iterable):
    if _real_items(iterable):
        return lambda iterable: _fsum(_as_sequence(iterable))
    return None


# -- prod ---------------------------------------------------------------------------------------

def _integral(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Boolean))


@overload(math.prod)
def prod(iterable, start=1):
    item = _item_type(iterable)
    start_type = types.int64 if isinstance(start, types.Omitted) else types.unliteral(start)
    if item is None or not all(isinstance(t, (types.Number, types.Boolean))
                               for t in (item, start_type)):
        return None
    if isinstance(iterable, types.BaseTuple) and len(iterable) == 0:
        return lambda iterable, start=1: start
    if _integral(item) and _integral(start_type):
        def exact(iterable, start=1):
            result = _to_int64(start)
            for value in iterable:
                result = _mul(result, _to_int64(value))
            return result
        return exact

    def impl(iterable, start=1):
        result = start
        for value in _as_sequence(iterable):
            result = result * value
        return result
    return impl


refuse_extra_positional(math.prod, "prod", 1)


# -- hypot and dist -----------------------------------------------------------------------------

@register_jitable
def _two_product(x, y):
    """x * y as an unevaluated sum high + low (exact: Dekker's split, no fma needed)."""
    split = 134217729.0  # 2**27 + 1
    high = x * y
    cx = split * x
    xh = cx - (cx - x)
    xl = x - xh
    cy = split * y
    yh = cy - (cy - y)
    yl = y - yh
    low = ((xh * yh - high) + xh * yl + xl * yh) + xl * yl
    return high, low


@register_jitable
def _coordinate(p, q, i, difference):
    return abs(float(p[i]) - float(q[i])) if difference else abs(float(p[i]))


@register_jitable
def _largest(p, q, n, difference):
    """(largest magnitude, whether a NaN was seen)."""
    largest, found_nan = 0.0, False
    for i in range(n):
        x = _coordinate(p, q, i, difference)
        found_nan |= math.isnan(x)
        if x > largest:
            largest = x
    return largest, found_nan


@register_jitable
def _norm(p, q, n, difference):
    """Euclidean norm of the coordinates |p[i]| (or |p[i] - q[i]|), as CPython's."""
    largest, found_nan = _largest(p, q, n, difference)
    if math.isinf(largest):
        return largest
    if found_nan:
        return math.nan
    if largest == 0.0 or n <= 1:
        return largest
    exponent = _frexp(largest)[1]
    boost = 1.0
    if exponent < -1023:  # 2**-exponent would overflow
        if _DIVIDE_BY_LARGEST:
            return _tiny_norm(p, q, n, difference, largest)
        boost = 1.0 / DBL_MIN  # make the subnormals normal first
        exponent = _frexp(largest * boost)[1]
    scale = _ldexp(1.0, -exponent)
    return _scaled_norm(p, q, n, difference, boost, scale) / scale / boost


@register_jitable
def _tiny_norm(p, q, n, difference, largest):
    """CPython 3.11's norm of tiny coordinates: relative to the largest, compensated sum."""
    total, frac = 1.0, 0.0
    for i in range(n):
        x = _coordinate(p, q, i, difference) / largest
        x = x * x
        before = total
        total += x
        frac += (before - total) + x
    return largest * math.sqrt(total - 1.0 + frac)


@register_jitable
def _scaled_norm(p, q, n, difference, boost, scale):
    """The norm of coordinates scaled into [0.5, 1): squares summed exactly in double length
    (a running sum from 1.0 keeps its error terms separate), then one Newton correction."""
    total, frac1, frac2 = 1.0, 0.0, 0.0
    for i in range(n):
        x = _coordinate(p, q, i, difference) * boost * scale  # exact: powers of two
        high, low = _two_product(x, x)
        summed = total + high
        frac2 += high - (summed - total)
        frac1 += low
        total = summed
    h = math.sqrt(total - 1.0 + (frac1 + frac2))
    high, low = _two_product(-h, h)
    summed = total + high
    frac2 += high - (summed - total)
    frac1 += low
    x = summed - 1.0 + (frac1 + frac2)
    return h + x / (2.0 * h)


@overload(math.hypot)
def hypot(*coordinates):
    if not all(_real(t) for t in coordinates):
        return None
    if not coordinates:
        return lambda *coordinates: 0.0

    def impl(*coordinates):
        values = _float_tuple(coordinates)
        return _norm(values, values, len(values), False)
    return impl


@overload(math.dist)
def dist(p, q):
    if not (_real_items(p) and _real_items(q)):
        return None

    def impl(p, q):
        a, b = _as_sequence(p), _as_sequence(q)
        n = len(a)
        if len(b) != n:
            raise ValueError("both points must have the same dimension")
        return _norm(a, b, n, True)
    return impl
