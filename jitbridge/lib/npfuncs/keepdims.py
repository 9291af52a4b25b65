"""keepdims: the `keepdims=` keyword (and NumPy's other result-neutral keywords: `out=None`,
`overwrite_input`, `method='linear'`) of every reduction, in function and method form.

One mechanism serves them all: the call reduces through the base overload (which takes the
keywords that change values: axis, dtype, ddof, q ...), then puts back the reduced axes as
size-1 axes (`np.expand_dims` for an int axis, a reshape for axis=None). keepdims changes the
result's ndim, so it must be a compile-time constant. Each wrapper's signature is NumPy's own,
up to `keepdims`, read from NumPy at import."""
from __future__ import annotations

import inspect

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from .axes import is_axis_tuple, keepdims_shape
from .common import is_none, normalize_axis

#: the parameters (NumPy's, up to keepdims) -> (those forwarded to the base overload, the
#: implementation's factory); the rest must leave the result as their defaults do
SHAPES = {}


def _shape(params, forwarded):
    def register(factory):
        SHAPES[params] = (forwarded, factory)
        return factory
    return register


@_shape(("a", "axis", "dtype", "out", "keepdims"), ("axis", "dtype"))
def _with_dtype(base, finish):
    def impl(a, axis=None, dtype=None, out=None, keepdims=False):
        return finish(base(a, axis=axis, dtype=dtype), a, axis)
    return impl


@_shape(("a", "axis", "dtype", "out", "ddof", "keepdims"), ("axis", "dtype", "ddof"))
def _with_ddof(base, finish):
    def impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return finish(base(a, axis=axis, dtype=dtype, ddof=ddof), a, axis)
    return impl


@_shape(("a", "axis", "out", "keepdims"), ("axis",))
def _with_out(base, finish):
    def impl(a, axis=None, out=None, keepdims=False):
        return finish(base(a, axis=axis), a, axis)
    return impl


@_shape(("a", "axis", "keepdims"), ("axis",))
def _axis_only(base, finish):
    def impl(a, axis=None, keepdims=False):
        return finish(base(a, axis=axis), a, axis)
    return impl


@_shape(("a", "axis", "weights", "returned", "keepdims"), ("axis", "weights"))
def _weighted(base, finish):
    def impl(a, axis=None, weights=None, returned=False, keepdims=False):
        return finish(base(a, axis=axis, weights=weights), a, axis)
    return impl


@_shape(("a", "axis", "out", "overwrite_input", "keepdims"), ("axis",))
def _median(base, finish):
    def impl(a, axis=None, out=None, overwrite_input=False, keepdims=False):
        return finish(base(a, axis=axis), a, axis)
    return impl


@_shape(("a", "q", "axis", "out", "overwrite_input", "method", "keepdims"), ("q", "axis"))
def _quantile(base, finish):
    def impl(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False):
        return finish(base(a, q, axis=axis), a, axis)
    return impl


FUNCTIONS = ("sum", "prod", "mean", "std", "var", "min", "max", "argmin", "argmax", "all",
             "any", "nanmean", "nansum", "nanprod", "nanmin", "nanmax", "nanargmin",
             "nanargmax", "nanstd", "nanvar", "ptp", "count_nonzero", "average", "median",
             "nanmedian", "percentile", "quantile", "nanpercentile", "nanquantile")
#: ndarray methods with the function's signature (less `a`)
METHODS = ("sum", "prod", "mean", "std", "var", "min", "max", "argmin", "argmax", "all", "any")
DEFAULTS = {"ddof": 0, "overwrite_input": False, "returned": False, "method": "linear",
            "keepdims": False}


def _neutral(name, ty) -> bool:
    """Whether a parameter that is not forwarded leaves the result as its default does."""
    if isinstance(ty, types.Omitted):
        return True
    if name == "overwrite_input":  # we never overwrite: any bool is fine
        return isinstance(types.unliteral(ty), types.Boolean)
    if name == "method":
        return isinstance(ty, types.StringLiteral) and ty.literal_value == "linear"
    if name == "returned":
        return isinstance(ty, types.BooleanLiteral) and not ty.literal_value
    return is_none(ty)


def keepdims_value(fname, keepdims) -> bool:
    """keepdims as a Python bool; a TypingError unless it is a constant."""
    if isinstance(keepdims, types.Omitted):
        return bool(keepdims.value)
    if isinstance(keepdims, (types.BooleanLiteral, types.IntegerLiteral)):
        return bool(keepdims.literal_value)
    raise TypingError(f"np.{fname}(): keepdims must be a constant (True or False), not "
                      f"{keepdims}: it decides the number of dimensions of the result")


def _lead(bound) -> int:
    """The leading result axes that are not reduced ones (the quantiles' q axes)."""
    q, depth = bound.get("q"), 0
    while isinstance(q, (types.List, types.BaseTuple)):  # nested sequences of quantiles
        depth, q = depth + 1, q.dtype if isinstance(q, types.List) else q.types[0]
    return depth + (q.ndim if isinstance(q, types.Array) else 0)


def expander(keep, aryty, axis, lead):
    """finish(result, a, axis): the reduction's result with the reduced axes put back."""
    if not keep:
        return register_jitable(lambda r, a, axis: r)
    if is_none(axis):
        ones = (1,) * aryty.ndim
        return register_jitable(lambda r, a, axis: np.asarray(r).reshape(np.shape(r) + ones))
    if is_axis_tuple(axis):
        shape = keepdims_shape(aryty.ndim, len(types.unliteral(axis)))
        return register_jitable(lambda r, a, axis: np.asarray(r).reshape(
            np.shape(r)[:lead] + shape(a, axis)))
    if not isinstance(types.unliteral(axis), types.Integer):
        raise TypingError(f"keepdims=True takes an integer, tuple or None axis, not {axis}")
    return register_jitable(lambda r, a, axis: np.expand_dims(
        np.asarray(r), lead + normalize_axis(axis, a.ndim)))


def _parameters(fname):
    """NumPy's parameters of np.<fname> up to keepdims (a Signature)."""
    params = list(inspect.signature(getattr(np, fname)).parameters.values())
    names = [p.name for p in params]
    kept = params[:names.index("keepdims") + 1]
    return inspect.Signature([p if i == 0 else p.replace(default=DEFAULTS.get(p.name))
                              for i, p in enumerate(kept)])


def _make(fname):
    """The overload function of np.<fname> (or of the method): NumPy's signature, taking its
    arguments as the overload machinery passes them."""
    pysig = _parameters(fname)
    names = tuple(pysig.parameters)
    forwarded, factory = SHAPES[names]
    extra = [n for n in names[1:] if n not in forwarded]
    base = getattr(np, fname)

    def typer(*args, **kws):  # (keepdims is keyword-only in some of NumPy's signatures)
        bound = {**dict(zip(names, args)), **kws}
        # keepdims omitted and every other keyword the base's: the base overload's call
        # (this is also what keeps impl's own call of `base` from coming back here)
        if all(isinstance(bound[n], types.Omitted) for n in extra):
            return None
        if not isinstance(bound["a"], types.Array) or \
                not all(_neutral(n, bound[n]) for n in extra if n != "keepdims"):
            return None
        keep = keepdims_value(fname, bound["keepdims"])
        return factory(base, expander(keep, bound["a"], bound["axis"], _lead(bound)))
    typer.__signature__ = pysig
    typer.__qualname__ = typer.__name__ = f"np_{fname}_keepdims"
    return typer


def _register():
    for fname in FUNCTIONS:
        overload(getattr(np, fname), prefer_literal=True)(_make(fname))
    for fname in METHODS:
        overload_method(types.Array, fname, prefer_literal=True)(_make(fname))


_register()
