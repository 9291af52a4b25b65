"""numpy.polynomial.Polynomial objects in compiled code, built with the public extension API
as a user would: a type, a StructModel of its three series, typeof/unbox/box, and an
@overload of the class. Construction follows NumPy (pu.as_series on each series: a copy,
integers as float64, float32 and complex kept; the run-time ValueErrors of empty series and
of a domain or window that is not two items). The symbol is a compile-time string, part of the
type. Numba casts everything to float64 and types the default domain as int64: NumPy's dtypes
are kept here instead."""
from __future__ import annotations

import numpy as np
from numpy.polynomial import Polynomial

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...extending import (NativeValue, box, intrinsic, make_attribute_wrapper, models,
                          overload, overload_attribute, register_jitable, register_model,
                          typeof_impl, unbox)
from ...typing.typeof import typeof
from ..arrays.model import as_dtype, from_dtype

_MEMBERS = ("coef", "domain", "window")


class PolynomialType(types.Type):
    """A numpy.polynomial.Polynomial: its coef, domain and window arrays, and its symbol."""

    def __init__(self, coef, domain, window, symbol: str = "x"):
        self.coef, self.domain, self.window, self.symbol = coef, domain, window, symbol
        super().__init__(f"PolynomialType({coef}, {domain}, {window}, symbol={symbol!r})")

    @property
    def key(self):
        return self.coef, self.domain, self.window, self.symbol


@register_model(PolynomialType)
class PolynomialModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        members = [(name, getattr(fe_type, name)) for name in _MEMBERS]
        super().__init__(dmm, fe_type, members)


for _name in _MEMBERS:
    make_attribute_wrapper(PolynomialType, _name, _name)


@overload_attribute(PolynomialType, "symbol")
def polynomial_symbol(p):
    symbol = p.symbol
    return lambda p: symbol


# -- crossing the boundary -------------------------------------------------------------------

@typeof_impl.register(Polynomial)
def _typeof_polynomial(value, c):
    if type(value) is not Polynomial:  # a subclass would box as a Polynomial
        return None
    members = [typeof(getattr(value, name)) for name in _MEMBERS]
    if not all(_is_series(ty) for ty in members) or not isinstance(value.symbol, str):
        return None
    return PolynomialType(*members, value.symbol)


def _is_series(ty) -> bool:
    return isinstance(ty, types.Array) and ty.ndim == 1 and \
        isinstance(ty.dtype, (types.Number, types.Boolean))


@unbox(PolynomialType)
def _unbox_polynomial(typ, obj, c):
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    failed = cgutils.alloca_once_value(c.builder, cgutils.false_bit)
    for name in _MEMBERS:  # (typeof read them: getattr fails only if they changed since)
        attr = c.pyapi.object_getattr_string(obj, name)
        with c.builder.if_else(cgutils.is_null(c.builder, attr), likely=False) as (bad, good):
            with bad:
                c.builder.store(cgutils.true_bit, failed)
            with good:
                native = c.unbox(getattr(typ, name), attr)
                c.pyapi.decref(attr)
                setattr(proxy, name, native.value)
                with c.builder.if_then(native.is_error, likely=False):
                    c.builder.store(cgutils.true_bit, failed)
    return NativeValue(proxy._getvalue(), is_error=c.builder.load(failed))


@box(PolynomialType)
def _box_polynomial(typ, val, c):
    """Polynomial(coef, domain, window, symbol): NumPy's constructor copies the series."""
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    args = [c.box(getattr(typ, name), getattr(proxy, name)) for name in _MEMBERS]
    args.append(c.pyapi.string_from_string(typ.symbol))
    result = cgutils.alloca_once_value(c.builder, c.pyapi.get_null_object())
    ok = c.builder.and_(cgutils.is_not_null(c.builder, args[0]),
                        cgutils.is_not_null(c.builder, args[1]))
    ok = c.builder.and_(ok, cgutils.is_not_null(c.builder, args[2]))
    with c.builder.if_then(ok, likely=True):
        cls = c.context.embed_object(c.builder, Polynomial, "the class")
        c.builder.store(c.pyapi.call_function_objargs(cls, args), result)
    for arg in args:
        with c.builder.if_then(cgutils.is_not_null(c.builder, arg)):
            c.pyapi.decref(arg)
    return c.builder.load(result)


# -- construction ----------------------------------------------------------------------------

def _series_class(ty, what: str):
    """The scalar class pu.as_series gives series of type `ty` (np.common_type of one)."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        if ty.ndim > 1:
            raise TypingError("Coefficient array is not 1-d")
        element = ty.dtype
    elif isinstance(ty, types.List):
        element = ty.dtype
    elif isinstance(ty, types.BaseTuple) and len(ty):
        element = _tuple_element(ty)
    elif isinstance(ty, (types.Number, types.Boolean)):
        element = ty
    else:
        raise TypingError(f"Polynomial(): {what} must be an array, a list or tuple of numbers, "
                          f"or a number, not {ty}")
    if isinstance(element, (types.Array, types.List, types.BaseTuple)):
        raise TypingError("Coefficient array is not 1-d")
    if not isinstance(element, types.Number):  # (booleans too, as np.common_type)
        raise TypingError(f"Polynomial(): Coefficient arrays have no common type ({what} of "
                          f"{element})")
    if isinstance(element, types.Integer):
        return np.float64
    return as_dtype(element).type


def _tuple_element(ty):
    """The element type np.asarray gives a tuple of numbers (its items when not numbers)."""
    items = [types.unliteral(t) for t in ty.types]
    if not all(isinstance(t, types.Number) for t in items):
        return next(t for t in items if not isinstance(t, types.Number))
    return from_dtype(np.result_type(*[as_dtype(t) for t in items]))


def _is_default(ty) -> bool:
    return ty is None or isinstance(ty, (types.NoneType, types.Omitted))


def _symbol(ty) -> str:
    if isinstance(ty, types.Omitted):
        value = ty.value
    elif isinstance(ty, types.StringLiteral):
        value = ty.literal_value
    else:
        raise TypingError(f"Polynomial(): the symbol must be a constant string, not {ty}")
    if not value.isidentifier():
        raise TypingError("Polynomial(): Symbol string must be a valid Python identifier")
    return value


@register_jitable
def _series(c, cls):
    out = np.atleast_1d(np.asarray(c)).astype(cls)
    if out.size == 0:
        raise ValueError("Coefficient array is empty")
    return out


@register_jitable
def _given_bounds(c, cls, message):
    """A domain or window given: a series of two items."""
    out = _series(c, cls)
    if out.size != 2:
        raise ValueError(message)
    return out


@register_jitable
def _default_bounds(c, cls, message):
    """A domain or window left out (or None): NumPy's class default, [-1., 1.]."""
    return np.array([-1.0, 1.0])


def _bounds(ty, what: str) -> tuple:
    """(the function making a domain or window of type `ty`, its scalar class)."""
    if _is_default(ty):
        return _default_bounds, np.float64
    return _given_bounds, _series_class(ty, what)


@intrinsic
def _assemble(typingctx, coef, domain, window, symbol):
    result = PolynomialType(coef, domain, window, _symbol(symbol))

    def codegen(context, builder, sig, args):
        proxy = cgutils.create_struct_proxy(result)(context, builder)
        for name, ty, value in zip(_MEMBERS, sig.args, args):
            context.incref(builder, ty, value)
            setattr(proxy, name, value)
        return proxy._getvalue()
    return result(coef, domain, window, symbol), codegen


@overload(Polynomial)
def polynomial_new(coef, domain=None, window=None, symbol="x"):
    name = _symbol(symbol)
    coef_cls = _series_class(coef, "the coefficients")
    make_domain, domain_cls = _bounds(domain, "the domain")
    make_window, window_cls = _bounds(window, "the window")

    def impl(coef, domain=None, window=None, symbol="x"):
        c = _series(coef, coef_cls)
        d = make_domain(domain, domain_cls, "Domain has wrong number of elements.")
        w = make_window(window, window_cls, "Window has wrong number of elements.")
        return _assemble(c, d, w, name)
    return impl
