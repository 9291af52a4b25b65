"""The in-place functions of the `operator` module called as functions on immutable scalars
(`operator.iadd(x, y)` is `x + y`, as `x += y` is); mutable values keep their own in-place
implementations."""
from __future__ import annotations

import operator

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import overload
from ._registries import AbstractTemplate, lower_builtin, register
from .numbers import INPLACE

SCALARS = (types.Number, types.Boolean)


def _inplace_template(inplace, binary):
    class Template(AbstractTemplate):
        key = inplace

        def generic(self, args, kws):
            if kws or not all(isinstance(types.unliteral(a), SCALARS) for a in args):
                return None
            sig = self.context.resolve_function_type(types.Function(binary), args, kws)
            return sig and sig.replace(key=binary)
    Template.__name__ = f"Scalar_{inplace.__name__}"
    return Template


for _inplace, _binary in INPLACE.items():
    register(_inplace_template(_inplace, _binary))


class Truth(AbstractTemplate):
    """operator.truth(x) is bool(x)."""
    key = operator.truth

    def generic(self, args, kws):
        if kws or len(args) != 1:
            return None
        sig = self.context.resolve_function_type(types.Function(bool), args, kws)
        return sig and sig.replace(key=bool)


register(Truth)


# -- == and != between values of unrelated kinds ---------------------------------------------------
# Python compares them by identity, so `1 == None`, `"" == 1j` are False (and known while typing:
# the result is a literal, as Numba's); an optional value equals None exactly when it is None.

FAMILIES = {"number": (types.Number, types.Boolean), "none": (types.NoneType,),
            "string": (types.UnicodeType, types.StringLiteral)}


def _family(ty):
    for name, classes in FAMILIES.items():
        if isinstance(ty, classes):
            return name
    return None


def _constant_impl(value: bool):
    def impl(context, builder, sig, args):
        return context.get_constant(types.boolean, value)
    return impl


def _equality_template(op, is_op):
    class Template(AbstractTemplate):
        key = op

        def generic(self, args, kws):
            if kws or len(args) != 2:
                return None
            a, b = args
            if any(isinstance(t, types.Optional) for t in args) and \
                    any(isinstance(t, types.NoneType) for t in args):
                sig = self.context.resolve_function_type(types.Function(is_op), args, {})
                return sig and sig.replace(key=is_op)
            families = _family(a), _family(b)
            if None in families or (families[0] == families[1] != "none"):
                return None
            value = (families[0] == families[1]) == (op is operator.eq)
            return types.signature(types.literal(value), a, b).replace(
                impl=_constant_impl(value))
    Template.__name__ = f"Unrelated_{op.__name__}"
    return Template


register(_equality_template(operator.eq, operator.is_))
register(_equality_template(operator.ne, operator.is_not))


# -- `is` between singletons (Ellipsis) and between raw pointers (their addresses) -------------

class _PointerIdentity(AbstractTemplate):
    def generic(self, args, kws):
        if kws or len(args) != 2:
            return None
        if all(isinstance(a, types.EllipsisType) for a in args) or \
                all(isinstance(a, types.RawPointer) for a in args):
            return types.signature(types.boolean, *args)
        return None


for _op in (operator.is_, operator.is_not):
    register(type(f"PointerIdentity_{_op.__name__}", (_PointerIdentity,), {"key": _op}))


@lower_builtin(operator.is_, types.RawPointer, types.RawPointer)
def pointer_is(context, builder, sig, args):
    return builder.icmp_unsigned("==", *args)


@lower_builtin(operator.is_not, types.RawPointer, types.RawPointer)
def pointer_is_not(context, builder, sig, args):
    return builder.icmp_unsigned("!=", *args)


# -- `a @= b` on arrays: NumPy's in-place matmul ---------------------------------------------------

_IMATMUL_DIMS = ("inplace matrix multiplication requires the first operand to have at least one "
                 "and the second at least two dimensions.")


def _result_casts_back(a, b) -> bool:
    """Whether `a @ b`'s dtype casts to a's under casting='same_kind' (NumPy's rule for out=)."""
    try:
        da, db = np.dtype(str(a)), np.dtype(str(b))
    except TypeError:
        return False
    return np.can_cast(np.result_type(da, db), da, "same_kind")


@overload(operator.imatmul)
def array_imatmul(a, b):
    """`a @= b` writes `a @ b` into `a` (NumPy's matmul(a, b, out=a)): the result must have
    a's shape and cast to its dtype; NumPy's ValueError otherwise, not a rebinding of `a`."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    if a.ndim < 1 or b.ndim < 2:
        raise TypingError(_IMATMUL_DIMS)
    if not _result_casts_back(a.dtype, b.dtype):
        raise TypingError(f"Cannot cast ufunc 'matmul' output to dtype('{a.dtype}') with "
                          "casting rule 'same_kind'")

    def impl(a, b):
        result = a @ b
        if result.shape != a.shape:
            raise ValueError("matmul: the result's shape differs from the first operand's "
                             "(in-place matrix multiplication keeps its shape)")
        a[...] = result
        return a
    return impl
