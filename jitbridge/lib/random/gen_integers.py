"""gen_integers: Generator.integers in compiled code, bit for bit NumPy's.

NumPy draws `off + v` with `v` uniform in [0, rng] (arithmetic modulo 2**width, so signed types
reuse the unsigned draw): Lemire's multiply-and-reject method on 32 or 64 random bits, and for
8- and 16-bit types (and bool) on 8/16/1-bit slices of one 32-bit draw kept in a buffer that
lives for one call (so an array of uint8 costs a quarter of the draws). Full ranges take the
raw bits. The bounds are checked as NumPy does, in exact integer arithmetic (a value is its
sign and its bits modulo 2**64, never a float).
"""
from __future__ import annotations

import numpy as np

from ... import types
from ...extending import overload_method, register_jitable
from ..npfuncs.common import is_none
from .state import as_shape, check_shape
from .gen_common import check_int, draw_scalar, runner, type_error
from .gen_core import NumPyRandomGeneratorType, mul_wide, next_u32, next_u64

U64 = np.uint64
MAX32 = U64(0xffffffff)
MAX64 = U64(0xffffffffffffffff)


# -- Lemire's bounded draws ------------------------------------------------------------------

@register_jitable
def lemire64(g, rng):
    excl = rng + U64(1)
    high, low = mul_wide(next_u64(g), excl)
    if low < excl:
        threshold = (MAX64 - rng) % excl
        while low < threshold:
            high, low = mul_wide(next_u64(g), excl)
    return high


@register_jitable
def lemire32(g, rng):
    excl = rng + U64(1)
    m = next_u32(g) * excl
    if (m & MAX32) < excl:
        threshold = (MAX32 - rng) % excl
        while (m & MAX32) < threshold:
            m = next_u32(g) * excl
    return m >> U64(32)


@register_jitable
def _slice(g, bits, bcnt, buf):
    """The next `bits`-bit slice of a buffered 32-bit draw: (slice, bcnt, buf)."""
    if bcnt == 0:
        buf = next_u32(g)
        bcnt = 32 // bits
    else:
        buf >>= U64(bits)
    return buf & ((U64(1) << U64(bits)) - U64(1)), bcnt - 1, buf


@register_jitable
def lemire_small(g, rng, bits, bcnt, buf):
    """Lemire's method on `bits`-bit buffered slices (8 or 16): (value, bcnt, buf)."""
    excl = rng + U64(1)
    mask = (U64(1) << U64(bits)) - U64(1)
    v, bcnt, buf = _slice(g, bits, bcnt, buf)
    m = v * excl
    if (m & mask) < excl:
        threshold = (mask - rng) % excl
        while (m & mask) < threshold:
            v, bcnt, buf = _slice(g, bits, bcnt, buf)
            m = v * excl
    return m >> U64(bits), bcnt, buf


@register_jitable
def bounded(g, rng, bits, bcnt, buf):
    """A uniform value in [0, rng] for a `bits`-wide type, as NumPy's fill loops draw it:
    (value, bcnt, buf)."""
    if rng == U64(0):
        return rng, bcnt, buf
    if bits == 1:
        v, bcnt, buf = _slice(g, 1, bcnt, buf)
        return v, bcnt, buf
    if bits <= 16:
        if rng == (U64(1) << U64(bits)) - U64(1):
            return _slice(g, bits, bcnt, buf)
        return lemire_small(g, rng, bits, bcnt, buf)
    if rng <= MAX32:
        if rng == MAX32:
            return next_u32(g), bcnt, buf
        return lemire32(g, rng), bcnt, buf
    if rng == MAX64:
        return next_u64(g), bcnt, buf
    return lemire64(g, rng), bcnt, buf


# -- bounds ----------------------------------------------------------------------------------

@register_jitable
def _is_neg(v):
    return v < 0


@register_jitable
def _greater(a, b_neg, b_bits):
    """a > b, for an integer `a` of any type and b given by its sign and its bits modulo 2**64
    (exact where mixed signed/unsigned comparisons would go through floats)."""
    if _is_neg(a) != b_neg:
        return b_neg
    return U64(a) > b_bits


def _bounds_checker(dtype_name, lowbnd, highbnd):
    """`check(low, high, closed) -> (off, rng)` with NumPy's checks and errors for this dtype:
    the top of the closed interval is `high`, or `high - 1` for a half-open one."""
    low_bound = np.int64(lowbnd)
    high_bound = U64(highbnd)
    low_msg = f"low is out of bounds for {dtype_name}"
    high_msg = f"high is out of bounds for {dtype_name}"

    @register_jitable
    def check(low, high, closed):
        if _is_neg(low) and np.int64(low) < low_bound:
            raise ValueError(low_msg)
        top_neg = _is_neg(high) or (not closed and high == 0)
        top = U64(high) if closed else U64(high) - U64(1)
        if not top_neg and top > high_bound:
            raise ValueError(high_msg)
        if _greater(low, top_neg, top):
            if closed:
                raise ValueError("low > high")
            raise ValueError("low >= high")
        return U64(low), top - U64(low)
    return check


_DTYPES = {types.int64: 64, types.int32: 32, types.int16: 16, types.int8: 8,
           types.uint64: 64, types.uint32: 32, types.uint16: 16, types.uint8: 8,
           types.boolean: 1}


def _int_dtype(dtype):
    ty = dtype.value if isinstance(dtype, types.Omitted) else dtype
    if ty is np.int64:
        return types.int64
    if isinstance(ty, types.NumberClass) and ty.instance_type in _DTYPES:
        return ty.instance_type
    if isinstance(ty, types.DType) and ty.dtype in _DTYPES:
        return ty.dtype
    raise type_error("integers", "dtype", ty, "[np.int8 ... np.uint64, np.bool_]")


@register_jitable
def _as_bool(value):
    return value != U64(0)


def _caster(dt):
    """`value` (uint64, modulo 2**width) as a `dt` scalar."""
    if dt == types.boolean:
        return _as_bool
    np_type = getattr(np, str(dt))
    return register_jitable(lambda value: np_type(value))


@register_jitable
def _one(g, off, rng, bits, cast):
    value, _, _ = bounded(g, rng, bits, 0, U64(0))
    return cast(off + value)


@register_jitable
def _fill(g, off, rng, bits, cast, out):
    flat = out.reshape(out.size)
    bcnt = 0
    buf = U64(0)
    for i in range(flat.size):
        value, bcnt, buf = bounded(g, rng, bits, bcnt, buf)
        flat[i] = cast(off + value)
    return out


def _limits(dt):
    if dt == types.boolean:
        return "bool", 0, 1
    info = np.iinfo(str(dt))
    return str(dt), int(info.min), int(info.max)


def _check_endpoint(endpoint):
    ty = endpoint.value if isinstance(endpoint, types.Omitted) else endpoint
    if not isinstance(ty, (bool, types.Boolean, types.Integer)):
        raise type_error("integers", "endpoint", ty, "[bool]")


@overload_method(NumPyRandomGeneratorType, "integers")
def gen_integers(gen, low, high=None, size=None, dtype=np.int64, endpoint=False):
    check_int("integers", low=low)
    if not is_none(high):
        check_int("integers", high=high)
    _check_endpoint(endpoint)
    dt = _int_dtype(dtype)
    check = _bounds_checker(*_limits(dt))
    bits, cast = _DTYPES[dt], _caster(dt)
    np_type = np.bool_ if dt == types.boolean else getattr(np, str(dt))
    interval = (lambda low, high: (0, low)) if is_none(high) else (lambda low, high: (low, high))
    interval = register_jitable(interval)
    if runner("integers", size) is draw_scalar:
        def impl(gen, low, high=None, size=None, dtype=np.int64, endpoint=False):
            lo, hi = interval(low, high)
            off, rng = check(lo, hi, bool(endpoint))
            return _one(gen, off, rng, bits, cast)
        return impl

    def fill_impl(gen, low, high=None, size=None, dtype=np.int64, endpoint=False):
        out = np.empty(check_shape(as_shape(size)), np_type)
        if out.size == 0:
            return out
        lo, hi = interval(low, high)
        off, rng = check(lo, hi, bool(endpoint))
        return _fill(gen, off, rng, bits, cast, out)
    return fill_impl
