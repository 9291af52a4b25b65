"""How a call from Python maps onto a dispatcher's parameters when the native dispatcher
leaves it to Python (a shape of call it does not bind, or a first call that compiles): a
plan per call shape, found once with inspect's binding, and the conversion of each value to
what the chosen specialisation's wrapper takes."""
from __future__ import annotations

from . import types
from .runtime.boxing import Defaulted


def plan_binding(pysig, count: int, kws) -> tuple:
    """A getter per parameter for calls with `count` positional values and keywords `kws`
    (TypeError, from inspect, when such a call cannot bind)."""
    bound = pysig.bind(*map(_Positional, range(count)), **{k: _Keyword(k) for k in kws})
    bound.apply_defaults()
    return tuple(map(_getter, bound.arguments.values()))


class _Positional(int):
    """Stands for the call's positional value at this index while a binding is planned."""


class _Keyword(str):
    """Stands for the call's keyword value of this name while a binding is planned."""


def _getter(placeholder):
    """The function reading one parameter's value from a call's (args, kws)."""
    if isinstance(placeholder, _Positional):
        return lambda args, kws, i=int(placeholder): args[i]
    if isinstance(placeholder, _Keyword):
        return lambda args, kws, k=str(placeholder): kws[k]
    if isinstance(placeholder, tuple) and all(isinstance(p, _Positional) for p in placeholder):
        indices = tuple(map(int, placeholder))  # *args: the extra positional values
        return lambda args, kws: tuple(args[i] for i in indices)
    marker = Defaulted(placeholder)
    return lambda args, kws: marker


def convert(value, ty):
    """Coerce a Python argument to what the specialisation's wrapper expects."""
    if isinstance(ty, types.Boolean):
        return bool(value)
    if isinstance(ty, types.Integer):
        return int(value)
    if isinstance(ty, types.Float):
        return float(value)
    if isinstance(ty, types.Complex):
        return complex(value)
    if isinstance(ty, types.BaseTuple) and isinstance(value, tuple):
        items = tuple(convert(v, t) for v, t in zip(value, ty.types))
        return ty.instance_class(*items) if isinstance(ty, types.BaseNamedTuple) else items
    return value
