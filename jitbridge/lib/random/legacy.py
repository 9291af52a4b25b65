"""numpy: the core of np.random in compiled code (seed, uniform floats, normals,
exponentials, integers, choice, shuffle, permutation), drawing from the calling thread's NumPy
state (`state`) with NumPy's legacy RandomState algorithms, so a seeded compiled
function draws exactly what `np.random.RandomState(seed)` draws.

`rand`/`randn` take their dimensions as separate arguments like NumPy's; jitbridge's overloads
have no `*args`, so up to six dimensions are accepted."""
from __future__ import annotations

import math

import numpy as np
from llvmlite import ir

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload, register_jitable
from ..npfuncs.common import is_none
from .. import math_ieee
from .state import (SCRATCH, _offset, _thread_block, bounded_u64, drawer, fill_float,
                           float_params, interval, legacy_gauss, mask_of, next_double, no_check,
                           np_state, reseed, seed_from_entropy)

def _is_int(ty) -> bool:
    return isinstance(ty, types.Integer) and not isinstance(ty, types.Boolean)


# -- seed ------------------------------------------------------------------------------------

@overload(np.random.seed)
def np_seed(seed=None):
    if is_none(seed):
        def reseed_from_os(seed=None):
            block = _thread_block()
            seed_from_entropy(block, _offset(block, SCRATCH))
        return reseed_from_os
    if _is_int(seed):
        def impl(seed=None):
            reseed(np_state(), np.int64(seed))
        return impl


# -- uniform floats --------------------------------------------------------------------------

@register_jitable
def _uniform01(st):
    return next_double(st)


def _random_sample(fname):
    def typer(size=None):
        run = drawer(fname, size)

        def impl(size=None):
            return run(_uniform01, no_check, (), size)
        return impl
    return typer


for _func in (np.random.random, np.random.random_sample, np.random.ranf, np.random.sample):
    overload(_func)(_random_sample(_func.__name__))


@intrinsic
def _dims_shape(typingctx, dims):
    """The integers of a tuple of optional dimensions, as a shape."""
    picked = [i for i, ty in enumerate(dims.types) if _is_int(ty)]
    result = types.UniTuple(types.intp, len(picked))

    def codegen(context, builder, sig, args):
        out = ir.Constant(context.get_value_type(result), ir.Undefined)
        for at, i in enumerate(picked):
            item = builder.extract_value(args[0], i)
            out = builder.insert_value(out, context.cast(builder, item, dims.types[i],
                                                         types.intp), at)
        return out
    return result(dims), codegen


def _dims_kind(fname, dims) -> bool:
    """Whether no dimension was given (a scalar); TypingError unless they are leading ints."""
    given = [not is_none(d) for d in dims]
    if any(given[i + 1] and not given[i] for i in range(len(given) - 1)) or \
            not all(_is_int(d) for d, g in zip(dims, given) if g):
        raise TypingError(f"np.random.{fname}(): dimensions must be integers, got "
                          f"{', '.join(str(d) for d in dims)}")
    return not any(given)


@overload(np.random.rand)
def np_rand(d0=None, d1=None, d2=None, d3=None, d4=None, d5=None):
    if _dims_kind("rand", (d0, d1, d2, d3, d4, d5)):
        return lambda d0=None, d1=None, d2=None, d3=None, d4=None, d5=None: \
            next_double(np_state())

    def impl(d0=None, d1=None, d2=None, d3=None, d4=None, d5=None):
        return fill_float(_uniform01, np_state(), (), _dims_shape((d0, d1, d2, d3, d4, d5)))
    return impl


@overload(np.random.randn)
def np_randn(d0=None, d1=None, d2=None, d3=None, d4=None, d5=None):
    if _dims_kind("randn", (d0, d1, d2, d3, d4, d5)):
        return lambda d0=None, d1=None, d2=None, d3=None, d4=None, d5=None: \
            legacy_gauss(np_state())

    def impl(d0=None, d1=None, d2=None, d3=None, d4=None, d5=None):
        return fill_float(legacy_gauss, np_state(), (), _dims_shape((d0, d1, d2, d3, d4, d5)))
    return impl


@register_jitable
def _uniform(st, low, span):
    return low + span * next_double(st)


@register_jitable
def _check_span(args):
    if not math.isfinite(args[1]):
        raise OverflowError("Range exceeds valid bounds")


@overload(np.random.uniform)
def np_uniform(low=0.0, high=1.0, size=None):
    if float_params(low, high):
        run = drawer("uniform", size)

        def impl(low=0.0, high=1.0, size=None):
            return run(_uniform, _check_span, (float(low), float(high) - float(low)), size)
        return impl


# -- normal and exponential ------------------------------------------------------------------

@overload(np.random.standard_normal)
def np_standard_normal(size=None):
    run = drawer("standard_normal", size)
    return lambda size=None: run(legacy_gauss, no_check, (), size)


@register_jitable
def check_scale(args):
    if args[-1] < 0:
        raise ValueError("scale < 0")


@register_jitable
def _normal(st, loc, scale):
    return loc + scale * legacy_gauss(st)


@overload(np.random.normal)
def np_normal(loc=0.0, scale=1.0, size=None):
    if float_params(loc, scale):
        run = drawer("normal", size)

        def impl(loc=0.0, scale=1.0, size=None):
            return run(_normal, check_scale, (float(loc), float(scale)), size)
        return impl


@register_jitable
def standard_exponential(st):
    return -math_ieee.log(1.0 - next_double(st))


@register_jitable
def _exponential(st, scale):
    return scale * standard_exponential(st)


@overload(np.random.exponential)
def np_exponential(scale=1.0, size=None):
    if float_params(scale):
        run = drawer("exponential", size)

        def impl(scale=1.0, size=None):
            return run(_exponential, check_scale, (float(scale),), size)
        return impl


@overload(np.random.standard_exponential)
def np_standard_exponential(size=None):
    run = drawer("standard_exponential", size)
    return lambda size=None: run(_exponential, no_check, (1.0,), size)


# -- integers --------------------------------------------------------------------------------

@register_jitable
def _randint_draw(st, low, rng, mask):
    return np.int64(np.uint64(low) + bounded_u64(st, rng, mask))


@register_jitable
def _randint_args(low, high):
    """(low, high - 1 - low as uint64, its mask) after NumPy's checks."""
    if low >= high:
        raise ValueError("low >= high")
    rng = np.uint64(high) - np.uint64(low) - np.uint64(1)
    return (np.int64(low), rng, mask_of(rng))


def _int64_dtype(dtype) -> bool:
    if is_none(dtype) or (isinstance(dtype, types.Omitted) and dtype.value in (int, np.int64)):
        return True
    target = getattr(dtype, "dtype", None) or getattr(dtype, "instance_type", None)
    return target == types.int64


@overload(np.random.randint)
def np_randint(low, high=None, size=None, dtype=int):
    if not _int64_dtype(dtype):
        raise TypingError(f"np.random.randint(): only the default dtype int64 is supported, "
                          f"got {dtype}")
    if not _is_int(low) or not (is_none(high) or _is_int(high)):
        return None
    run = drawer("randint", size, integral=True)
    if is_none(high):
        def from_zero(low, high=None, size=None, dtype=int):
            if low <= 0:
                raise ValueError("high <= 0")
            return run(_randint_draw, no_check, _randint_args(0, np.int64(low)), size)
        return from_zero

    def impl(low, high=None, size=None, dtype=int):
        return run(_randint_draw, no_check, _randint_args(np.int64(low), np.int64(high)),
                   size)
    return impl


# -- shuffle, permutation, choice ------------------------------------------------------------

@register_jitable
def shuffle_1d(st, x):
    for i in range(x.shape[0] - 1, 0, -1):
        j = interval(st, i)
        x[i], x[j] = x[j], x[i]


@register_jitable
def shuffle_rows(st, x):
    if x.shape[0] < 2:
        return
    buf = np.empty_like(x[0])
    for i in range(x.shape[0] - 1, 0, -1):
        j = interval(st, i)
        if i != j:
            buf[...] = x[j]
            x[j] = x[i]
            x[i] = buf


@overload(np.random.shuffle)
def np_shuffle(x):
    if isinstance(x, types.Array) and x.ndim >= 1:
        if x.readonly:
            raise TypingError("np.random.shuffle(): the array is read-only")
        if x.ndim == 1:
            return lambda x: shuffle_1d(np_state(), x)
        return lambda x: shuffle_rows(np_state(), x)


@overload(np.random.permutation)
def np_permutation(x):
    if _is_int(x):
        def from_int(x):
            out = np.arange(x)
            shuffle_1d(np_state(), out)
            return out
        return from_int
    if isinstance(x, types.Array):
        if x.ndim == 0:
            def scalar(x):
                raise IndexError("x must be an integer or at least 1-dimensional")
            return scalar
        shuffle = shuffle_1d if x.ndim == 1 else shuffle_rows

        def impl(x):
            out = x.copy()
            shuffle(np_state(), out)
            return out
        return impl
