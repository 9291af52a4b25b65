"""gen_basic: Generator.random, standard_normal, normal, uniform, standard_exponential
and exponential in compiled code, drawing what NumPy's Generator draws (same algorithms, same
bit generator stream)."""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload_method, register_jitable
from .gen_common import (check_real, float_dtype, negative, raise_if, runner)
from .gen_core import NumPyRandomGeneratorType, next_double
from .gen_ziggurat import (next_float, standard_exponential, standard_exponential_f,
                                 standard_exponential_inv, standard_exponential_inv_f,
                                 standard_normal, standard_normal_f)

Gen = NumPyRandomGeneratorType


def _no_out(fname, out):
    if not (out is None or isinstance(out, (types.NoneType, types.Omitted))):
        raise TypingError(f"Generator.{fname}(): the out= argument is not supported in "
                          f"compiled code")


def _float_method(fname, double_draw, single_draw):
    """A `(size=None, dtype=np.float64, out=None)` method drawing `draw(gen)`."""
    def typer(gen, size=None, dtype=np.float64, out=None):
        _no_out(fname, out)
        dt = float_dtype(fname, dtype)
        draw = single_draw if dt is np.float32 else double_draw
        run = runner(fname, size)

        def impl(gen, size=None, dtype=np.float64, out=None):
            return run(draw, gen, (), size, dt)
        return impl
    overload_method(Gen, fname)(typer)


_float_method("random", next_double, next_float)
_float_method("standard_normal", standard_normal, standard_normal_f)


@overload_method(Gen, "standard_exponential")
def gen_standard_exponential(gen, size=None, dtype=np.float64, method="zig", out=None):
    _no_out("standard_exponential", out)
    dt = float_dtype("standard_exponential", dtype)
    if not isinstance(method, (types.UnicodeType, types.StringLiteral, types.Omitted)):
        raise TypingError(f"Generator.standard_exponential(): Argument method is not one of "
                          f"the expected type(s): [str]; got {method}")
    zig, inv = ((standard_exponential_f, standard_exponential_inv_f) if dt is np.float32
                else (standard_exponential, standard_exponential_inv))
    run = runner("standard_exponential", size)

    def impl(gen, size=None, dtype=np.float64, method="zig", out=None):
        if method == "zig":
            return run(zig, gen, (), size, dt)
        if method == "inv":
            return run(inv, gen, (), size, dt)
        raise ValueError("'method' argument must be either 'zig' or 'inv'")
    return impl


@register_jitable
def _normal(g, loc, scale):
    return loc + scale * standard_normal(g)


@register_jitable
def _uniform(g, low, span):
    return low + span * next_double(g)


@register_jitable
def _exponential(g, scale):
    return scale * standard_exponential(g)


@overload_method(Gen, "normal")
def gen_normal(gen, loc=0.0, scale=1.0, size=None):
    check_real("normal", loc=loc, scale=scale)
    run = runner("normal", size)

    def impl(gen, loc=0.0, scale=1.0, size=None):
        raise_if(negative(scale), "scale < 0")
        return run(_normal, gen, (float(loc), float(scale)), size, np.float64)
    return impl


@overload_method(Gen, "uniform")
def gen_uniform(gen, low=0.0, high=1.0, size=None):
    check_real("uniform", low=low, high=high)
    run = runner("uniform", size)

    def impl(gen, low=0.0, high=1.0, size=None):
        span = float(high) - float(low)
        if not math.isfinite(span):
            raise OverflowError("high - low range exceeds valid bounds")
        raise_if(negative(span), "high - low < 0")
        return run(_uniform, gen, (float(low), span), size, np.float64)
    return impl


@overload_method(Gen, "exponential")
def gen_exponential(gen, scale=1.0, size=None):
    check_real("exponential", scale=scale)
    run = runner("exponential", size)

    def impl(gen, scale=1.0, size=None):
        raise_if(negative(scale), "scale < 0")
        return run(_exponential, gen, (float(scale),), size, np.float64)
    return impl
