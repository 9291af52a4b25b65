"""gen_common: what every np.random.Generator method shares: checking argument types
(Numba's wording), NumPy's parameter constraints (with NumPy's messages), and running one draw
or filling an array of `size` draws."""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ...typing.typeof import typeof
from .state import apply, as_shape, check_shape

#: NumPy's largest accepted Poisson mean: int64's max less 10 standard deviations.
POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)


def _omitted_value(ty):
    return typeof(ty.value) if isinstance(ty, types.Omitted) else ty


def type_error(fname: str, name: str, ty, expected: str):
    return TypingError(f"Generator.{fname}(): Argument {name} is not one of the expected "
                       f"type(s): {expected}; got {ty}")


def check_real(fname: str, **params) -> None:
    """Each parameter is a real scalar (int, float or bool), else a TypingError."""
    for name, ty in params.items():
        ty = _omitted_value(ty)
        if not isinstance(ty, (types.Integer, types.Float, types.Boolean)):
            raise type_error(fname, name, ty, "[Float, Integer, int, float]")


def check_int(fname: str, **params) -> None:
    for name, ty in params.items():
        ty = _omitted_value(ty)
        if not isinstance(ty, (types.Integer, types.Boolean)):
            raise type_error(fname, name, ty, "[Integer, int]")


def size_is_none(fname: str, size) -> bool:
    """Whether `size` asks for a scalar; a TypingError when it is neither None, an int nor a
    tuple of ints."""
    size = _omitted_value(size)
    if isinstance(size, types.NoneType):
        return True
    if isinstance(size, types.Integer) and not isinstance(size, types.Boolean):
        return False
    if isinstance(size, types.BaseTuple) and all(
            isinstance(t, types.Integer) and not isinstance(t, types.Boolean) for t in size):
        return False
    raise type_error(fname, "size", size, "[None, Integer, UniTuple(Integer)]")


def float_dtype(fname: str, dtype):
    """np.float64 or np.float32 as the `dtype` argument asks; a TypingError otherwise."""
    ty = _omitted_value(dtype)
    if isinstance(ty, types.NumberClass) and ty.instance_type in (types.float64, types.float32):
        return np.float32 if ty.instance_type == types.float32 else np.float64
    if isinstance(ty, types.DType) and ty.dtype in (types.float64, types.float32):
        return np.float32 if ty.dtype == types.float32 else np.float64
    raise type_error(fname, "dtype", ty, "[np.float32, np.float64]")


# -- running draws ---------------------------------------------------------------------------

@register_jitable
def draw_scalar(draw, g, args, size, dtype):
    return apply(draw, g, args)


@register_jitable
def draw_array(draw, g, args, size, dtype):
    out = np.empty(check_shape(as_shape(size)), dtype)
    flat = out.reshape(out.size)
    for i in range(flat.size):
        flat[i] = apply(draw, g, args)
    return out


def runner(fname: str, size):
    """`run(draw, g, args, size, dtype)`: one `draw(g, *args)`, or an array of them."""
    return draw_scalar if size_is_none(fname, size) else draw_array


# -- NumPy's parameter constraints -----------------------------------------------------------

def raise_if(bad, message):
    """Raise ValueError(message) when `bad` (compiled code only)."""


@overload(raise_if)
def _raise_if(bad, message):
    text = message.literal_value if isinstance(message, types.StringLiteral) else None
    if text is None:
        return None

    def impl(bad, message):
        if bad:
            raise ValueError(text)
    return impl


@register_jitable
def negative(x):
    """NumPy's CONS_NON_NEGATIVE failure: a sign bit set on anything but NaN (so -0.0 too)."""
    x = float(x)
    return not math.isnan(x) and math.copysign(1.0, x) < 0.0


@register_jitable
def not_positive(x):
    """CONS_POSITIVE failure: x <= 0 (NaN passes and draws NaN)."""
    return float(x) <= 0.0


@register_jitable
def outside_0_1(p):
    """CONS_BOUNDED_0_1 failure."""
    return not (p >= 0.0 and p <= 1.0)


@register_jitable
def outside_gt0_1(p):
    """CONS_BOUNDED_GT_0_1 failure."""
    return not (p > 0.0 and p <= 1.0)


@register_jitable
def no_check(args):
    pass
