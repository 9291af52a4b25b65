"""Products of non-contiguous arrays (np.dot, `@`, np.matmul, np.vdot of 'A'-layout operands):
the operands are copied into C order before the product (vectors multiplied by np.dot, np.vdot
and `@` are read in place: that loop takes any strides), and the compilation warns with
Numba's NumbaPerformanceWarning ("... is faster on contiguous arrays"), located at the call.

The warning is emitted while the call site is lowered, where the compiler's current location is
the caller's line: typing results are shared by every caller of the same argument types, so a
warning issued while typing would name only the first caller."""
from __future__ import annotations

import operator
import warnings

import numpy as np

from ... import types
from ...errors import NumbaPerformanceWarning
from ...extending import overload
from .._registries import AbstractTemplate, register

#: the products, as Numba's messages name them
NAMES = {np.dot: "np.dot()", operator.matmul: "'@'", np.matmul: "np.matmul()",
         np.vdot: "np.vdot()"}


def _contiguous(a):
    """`a` itself, or a C-ordered copy of an 'A'-layout array."""


@overload(_contiguous)
def _contiguous_typer(a):
    if isinstance(a, types.Array) and a.layout == "A":
        return lambda a: np.ascontiguousarray(a)
    return lambda a: a


def _dot2(a, b):
    return np.dot(_contiguous(a), _contiguous(b))


def _dot3(a, b, out):
    return np.dot(_contiguous(a), _contiguous(b), out)


def _matmul_operator(a, b):
    return _contiguous(a) @ _contiguous(b)


def _matmul(a, b):
    return np.matmul(_contiguous(a), _contiguous(b))


def _vdot(a, b):
    return np.vdot(_contiguous(a), _contiguous(b))


#: (product, number of arguments) -> the product of the contiguous operands
COPYING = {(np.dot, 2): _dot2, (np.dot, 3): _dot3, (operator.matmul, 2): _matmul_operator,
           (np.matmul, 2): _matmul, (np.vdot, 2): _vdot}


#: the products whose vector . vector lowering takes any strides (no copy needed)
STRIDED_VECTORS = (np.dot, np.vdot, operator.matmul)


def _non_contiguous(ty) -> bool:
    return isinstance(ty, types.Array) and ty.layout == "A" and ty.ndim > 0


class NonContiguousProduct(AbstractTemplate):
    """Applies when an input operand is non-contiguous: typed as the product of the C copies,
    lowered as those copies' product after the warning."""

    priority = 1  # (before the products' own templates, which would take any layout)

    def generic(self, args, kws):
        product = type(self).key  # (np.dot would bind to the instance, as a method)
        args = tuple(args) + tuple(kws.values())
        if set(kws) - {"out"} or (product, len(args)) not in COPYING:
            return None
        inputs = args[:2]
        if not any(_non_contiguous(t) for t in inputs):
            return None
        copies = tuple(t.copy(layout="C") if _non_contiguous(t) else t for t in inputs)
        inner = self.context.resolve_function_type(types.Function(product),
                                                   copies + args[2:], {})
        if inner is None:
            return None
        message = f"{NAMES[product]} is faster on contiguous arrays, called on " \
                  f"({', '.join(map(str, inputs))})"
        if product in STRIDED_VECTORS and len(args) == 2 and all(t.ndim == 1 for t in args):
            impl = _warning_strided(product, message)
        else:
            impl = _warning_copying(COPYING[(product, len(args))], message)
        return types.signature(inner.return_type, *args).replace(impl=impl)


def _warning_copying(copying, message: str):
    def impl(context, builder, sig, args):
        _warn_at(context.call_conv.location, message)
        return context.compile_internal(builder, copying, sig, args)
    return impl


def _warning_strided(product, message: str):
    """Vectors are multiplied in place, whatever their strides (arrays/reductions.py)."""
    def impl(context, builder, sig, args):
        _warn_at(context.call_conv.location, message)
        plain = types.signature(sig.return_type, *sig.args)
        return context.get_function(types.Function(product), plain)(builder, args)
    return impl


def _warn_at(loc, message: str) -> None:
    """The warning, attributed to the line being compiled: the user's call, or the user's
    line calling the jitbridge function lowered in place that makes the product. A product
    inside a library function compiled on its own has no user line: no warning."""
    if loc is not None:
        warnings.warn_explicit(NumbaPerformanceWarning(message), NumbaPerformanceWarning,
                               loc.filename, loc.line)


for _product in NAMES:
    register(type(f"NonContiguous_{_product.__name__}", (NonContiguousProduct,),
                  {"key": _product}))
