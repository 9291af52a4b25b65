"""Functions of sequences along their last axis: np.unwrap, np.ediff1d. They follow NumPy's
arithmetic step by step (floor modulo, then a running sum of the corrections) so that results
match it exactly."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...core import cgutils
from ...extending import intrinsic, overload, register_jitable
from ..arrays.model import as_dtype
from .common import is_none
from .numeric import given

_REAL = (types.Integer, types.Float, types.Boolean)


def _sample(ty, default):
    """A Python value standing for a scalar argument in NumPy's promotion (weak scalars)."""
    if isinstance(ty, types.Omitted):
        return ty.value if ty.value is not None else default
    ty = types.unliteral(ty)
    return 1 if isinstance(ty, (types.Integer, types.Boolean)) else 1.0


def _unwrap_kernel(cls, integral):
    """unwrap of one lane `p` into `out` (both 1-D) for NumPy's result class `cls`."""
    @register_jitable
    def lane(p, out, period, discont):
        if integral:
            high = cls(period // 2)
            ambiguous = period % 2 == 0
        else:
            high = cls(period / 2)
            ambiguous = True
        low = -high
        total = cls(0)
        out[0] = p[0]
        for i in range(1, p.shape[0]):
            step = cls(p[i]) - cls(p[i - 1])
            wrapped = (step - low) % period + low
            if ambiguous and wrapped == low and step > 0:
                wrapped = high
            if not abs(step) < discont:
                total += wrapped - step
            out[i] = p[i] + total
    return lane


@overload(np.unwrap)
def np_unwrap(p, discont=None, axis=-1, period=6.283185307179586):
    if not isinstance(types.unliteral(p), (types.Array, types.List, types.BaseTuple)):
        raise TypingError('np.unwrap(): The argument "p" must be array-like')
    if not (is_none(discont) or isinstance(types.unliteral(discont), _REAL)):
        raise TypingError('np.unwrap(): The argument "discont" must be a scalar')
    if not isinstance(types.unliteral(period), _REAL) and not isinstance(period, types.Omitted):
        raise TypingError('np.unwrap(): The argument "period" must be a scalar')
    if not (isinstance(axis, types.Omitted) or isinstance(types.unliteral(axis), types.Integer)):
        raise TypingError('np.unwrap(): The argument "axis" must be an integer')
    element = p.dtype if isinstance(p, types.Array) else types.float64
    cls = np.result_type(as_dtype(element), _sample(period, 6.283185307179586)).type
    lane = _unwrap_kernel(cls, np.issubdtype(cls, np.integer))

    def impl(p, discont=None, axis=-1, period=6.283185307179586):
        if axis != -1 and axis != np.asarray(p).ndim - 1:
            raise ValueError('Value for argument "axis" is not supported')
        a = np.asarray(p)
        n = a.shape[-1] if a.ndim else 1
        lanes = np.ascontiguousarray(a).reshape((-1, n))
        out = np.empty(lanes.shape, cls)
        limit = given(discont, period / 2)
        if n:
            for r in range(lanes.shape[0]):
                lane(lanes[r], out[r], period, limit)
        return out.reshape(a.shape)
    return impl


# -- np.ediff1d ---------------------------------------------------------------------------------

@register_jitable
def _copy_into(out, start, values):
    for i in range(values.size):
        out[start + i] = values[i]


def _check_ends(name, ty, cls):
    """NumPy takes to_end/to_begin only where they cast to ary's dtype (same kind)."""
    if is_none(ty):
        return
    ty = types.unliteral(ty)
    element = ty.dtype if isinstance(ty, (types.Array, types.List, types.UniTuple)) else ty
    if not isinstance(element, (types.Number, types.Boolean)) or \
            not np.can_cast(as_dtype(element), cls, casting="same_kind"):
        raise TypingError(f"np.ediff1d(): dtype of {name} must be compatible with input ary "
                          f"under the `same_kind` rule.")


@overload(np.ediff1d)
def np_ediff1d(ary, to_end=None, to_begin=None):
    if isinstance(ary, types.Array) and isinstance(ary.dtype, types.Boolean):
        raise TypingError("np.ediff1d(): Boolean dtype is unsupported (as per NumPy)")
    if not isinstance(types.unliteral(ary), (types.Array, types.List, types.BaseTuple)):
        return None
    element = ary.dtype if isinstance(ary, types.Array) else types.float64
    cls = as_dtype(element).type
    for name, ty in (("to_end", to_end), ("to_begin", to_begin)):
        _check_ends(name, ty, cls)

    def impl(ary, to_end=None, to_begin=None):
        values = np.ravel(np.asarray(ary))
        begin = np.ravel(np.asarray(given(to_begin, np.empty(0, cls)))).astype(cls)
        end = np.ravel(np.asarray(given(to_end, np.empty(0, cls)))).astype(cls)
        n = max(values.size - 1, 0)
        out = np.empty(begin.size + n + end.size, cls)
        _copy_into(out, 0, begin)
        for i in range(n):
            out[begin.size + i] = values[i + 1] - values[i]
        _copy_into(out, begin.size + n, end)
        return out
    return impl


# -- np.trim_zeros ------------------------------------------------------------------------------

@register_jitable
def _trim_sides(trim):
    """(front, back) from NumPy's accepted spellings: 'f', 'b', 'fb', 'bf', any case."""
    front = back = False
    for i in range(len(trim)):
        ch = trim[i]
        if (ch == "f" or ch == "F") and not front:
            front = True
        elif (ch == "b" or ch == "B") and not back:
            back = True
        else:
            raise ValueError("unexpected character(s) in `trim`")
    if not (front or back):
        raise ValueError("unexpected character(s) in `trim`")
    return front, back


def _is_zero(x):
    """x == 0; for strings (NumPy's fixed-width ones), whether it is empty."""


@overload(_is_zero)
def _ol_is_zero(x):
    if isinstance(x, types.CharSeq):  # bytes and text
        return lambda x: _empty_chars(x)
    return lambda x: x == 0


@intrinsic
def _empty_chars(typingctx, chars):
    """Whether a fixed-width string is empty: NUL-padded, so its first unit is NUL."""
    if not isinstance(chars, types.CharSeq):
        return None

    def codegen(context, builder, sig, args):
        if sig.args[0].count == 0:
            return cgutils.true_bit
        first = builder.extract_value(args[0], 0)
        return builder.icmp_unsigned("==", first, first.type(0))
    return types.boolean(chars), codegen


@overload(np.trim_zeros)
def np_trim_zeros(filt, trim="fb"):
    if not isinstance(filt, types.Array):
        raise TypingError("np.trim_zeros(): The first argument must be an array")
    if filt.ndim != 1:
        raise TypingError("np.trim_zeros(): array must be 1D")
    if not (isinstance(types.unliteral(trim), types.UnicodeType) or
            isinstance(trim, types.Omitted) and isinstance(trim.value, str)):
        raise TypingError("np.trim_zeros(): The second argument must be a string")

    def impl(filt, trim="fb"):
        front, back = _trim_sides(trim)
        start, stop = 0, filt.shape[0]
        while start < stop and _is_zero(filt[start]):
            start += 1
        if start == stop:  # all zeros: empty whichever side is trimmed
            return filt[0:0]
        if back:
            while _is_zero(filt[stop - 1]):
                stop -= 1
        return filt[start if front else 0:stop]
    return impl
