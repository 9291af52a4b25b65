"""@vectorize functions called from compiled code on scalars: a direct call of the compiled
scalar kernel (no NumPy, no Python).

A DUFunc compiles its kernel for the call's scalar types; an eager ufunc (a numpy.ufunc that
@vectorize built) uses the first of its loops the arguments convert to. Array arguments are
refused with a located TypingError: compiled code does not run these ufuncs' loops yet.
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from .. import types
from ..compiler import typing_context
from ..core import cgutils
from ..errors import TypingError
from ..extending import (AbstractTemplate, VarArg, lower_builtin, lower_constant, models,
                         register, register_model, typeof_impl)
from .builder import BUILT, loop_element
from .dufunc import DUFunc
from .gujit import _Operand, _broadcast_lines, _view
from ..frontend.source import compile_source


class VectorizedFunction(types.Callable, types.Opaque):
    """The type of a @vectorize function (a DUFunc or the numpy.ufunc it built)."""

    def __init__(self, function, builder):
        self.function, self.builder = function, builder
        super().__init__(f"VectorizedFunction({builder.py_func.__qualname__})")

    @property
    def key(self):
        return self.function


register_model(VectorizedFunction)(models.OpaqueModel)


@typeof_impl.register(DUFunc)
def _typeof_dufunc(value, c):
    return VectorizedFunction(value, value._builder)


@typeof_impl.register(np.ufunc)
def _typeof_built_ufunc(value, c):
    builder = BUILT.get(id(value))
    return VectorizedFunction(value, builder) if builder is not None else None


def _is_scalar(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Number, types.Boolean))


def _element(ty):
    return types.unliteral(ty.dtype if isinstance(ty, types.Array) else ty)


def kernel_for(fnty, argtypes):
    """The compiled kernel for these operand types (elements of arrays), or None: a dynamic
    ufunc compiles it; a frozen one takes the exact loop, else the first the elements convert
    to (NumPy's choice)."""
    builder = fnty.builder
    elements = tuple(_element(t) for t in argtypes)
    if isinstance(fnty.function, DUFunc) and not fnty.function._frozen:
        return builder.dispatcher.compile(elements)
    kernels = [kernel for kernel, _, _ in builder.loops.values()]
    exact = [k for k in kernels if k.signature.args == elements]
    return next(iter(exact), None) or next(
        (k for k in kernels
         if typing_context.conversion_cost(elements, k.signature.args) is not None), None)


class VectorizedCall(AbstractTemplate):
    key = VectorizedFunction

    def generic(self, args, kws):
        fnty, *actual = args
        if kws or len(actual) != fnty.builder.nin:
            return None
        if not all(_is_scalar(_element(a)) for a in actual):
            raise TypingError(f"@vectorize function {fnty.builder.py_func.__name__!r} is called "
                              f"with {tuple(actual)} in compiled code: only numbers and arrays "
                              "of numbers are supported there")
        kernel = kernel_for(fnty, actual)
        if kernel is None:
            return None
        ndim = max((a.ndim for a in actual if isinstance(a, types.Array)), default=0)
        if ndim:
            return types.signature(types.Array(loop_element(kernel.signature.return_type),
                                               ndim, "C"), fnty, *actual)
        if any(isinstance(a, types.Array) for a in actual):
            raise TypingError(f"@vectorize function {fnty.builder.py_func.__name__!r}: 0-d "
                              "array operands are not supported in compiled code")
        return types.signature(loop_element(kernel.signature.return_type), fnty,
                               *kernel.signature.args)


register(VectorizedCall)


@lower_builtin(VectorizedFunction, VectorizedFunction, VarArg(types.Any))
def vectorized_call_impl(context, builder, sig, args):
    if isinstance(sig.return_type, types.Array):
        caller = array_caller(sig.args[0], sig.args[1:])
        return context.compile_internal(builder, caller,
                                        types.signature(sig.return_type, *sig.args[1:]),
                                        list(args[1:]))
    kernel = kernel_for(sig.args[0], sig.args[1:])
    context.library.add_linking_library(kernel.library)
    fnty = context.call_conv.get_function_type(
        context.get_value_type(kernel.signature.return_type),
        [context.get_value_type(a) for a in kernel.signature.args])
    callee = cgutils.get_or_insert_function(builder.module, fnty, kernel.native_name)
    status, result = context.call_conv.call_function(builder, callee, list(args[1:]))
    with cgutils.if_unlikely(builder, context.call_conv.is_error(builder, status)):
        context.call_conv.return_status_propagate(builder, status)
    return result


@lower_constant(VectorizedFunction)
def _vectorized_constant(context, builder, ty, value):
    return ir.Constant(cgutils.voidptr_t, None)


# -- on arrays: a generated loop over the broadcast shape ------------------------------------------

def array_caller(fnty, operand_types):
    """The Python function computing the ufunc elementwise into a new C array (made once per
    operand types)."""
    cache = fnty.builder.__dict__.setdefault("_array_callers", {})
    key = (fnty.function if isinstance(fnty.function, DUFunc) else None, tuple(operand_types))
    if key not in cache:
        cache[key] = _generate(fnty, operand_types)
    return cache[key]


def _generate(fnty, operand_types):
    kernel = kernel_for(fnty, operand_types)
    operands = [_Operand(k, ty, (), False, False) for k, ty in enumerate(operand_types)]
    ndim = max(op.loop_ndim for op in operands)
    lines = [f"def ufunc_call({', '.join(op.name for op in operands)}):"]
    lines += [f"    s{d} = 1" for d in range(ndim)]
    for op in operands:
        lines += _broadcast_lines(op, ndim, "operands could not be broadcast together")
    shape = "".join(f"s{d}, " for d in range(ndim))
    result = loop_element(kernel.signature.return_type)
    lines.append(f"    out = np.empty(({shape}), {_dtype_name(result)})")
    indent = "    "
    for d in range(ndim):
        lines.append(f"{indent}for i{d} in range(s{d}):")
        indent += "    "
    values = ", ".join(f"{_dtype_name(t)}({_view(op, ndim)})"
                       for op, t in zip(operands, kernel.signature.args))
    call = f"kernel({values})"
    if result != kernel.signature.return_type:  # an IntEnum member: stored as its value
        call = f"{_dtype_name(result)}({call})"
    lines.append(f"{indent}out[{', '.join(f'i{d}' for d in range(ndim))}] = {call}")
    lines.append("    return out")
    namespace = {"kernel": fnty.builder.kernel_callable(kernel), "np": np,
                 "ValueError": ValueError}
    return compile_source("\n".join(lines) + "\n", "ufunc_call", globals=namespace)


def _dtype_name(ty) -> str:
    return "np.bool_" if isinstance(ty, types.Boolean) else f"np.{ty.name}"
