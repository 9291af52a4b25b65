"""@guvectorize functions called from compiled code: `gufunc(x, y, out)` with every operand
passed, outputs included (as in Numba).

The call becomes a Python function generated for the operands' dimensions and compiled in
place: it broadcasts the loop dimensions of the operands (NumPy's rule; each output must have
the whole loop shape), checks that each named core dimension has one size ("Operand has a
mismatch in one of its core dimensions") and calls the kernel's dispatcher on views of each
operand's core dimensions.
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
from ..frontend.source import compile_source
from .gufunc import GUFunc


class GUFuncType(types.Callable, types.Opaque):
    """The type of a @guvectorize function in compiled code."""

    def __init__(self, gufunc):
        self.gufunc = gufunc
        super().__init__(f"GUFunc({gufunc.__qualname__})")

    @property
    def key(self):
        return self.gufunc


register_model(GUFuncType)(models.OpaqueModel)


@typeof_impl.register(GUFunc)
def _typeof_gufunc(value, c):
    return GUFuncType(value)


def _check_dimensions(gufunc, operands) -> None:
    builder = gufunc.gufunc_builder
    for k, (ty, dims) in enumerate(zip(operands, builder.operands)):
        ndim = ty.ndim if isinstance(ty, types.Array) else 0
        if ndim < len(dims):
            kind, index = ("Input", k) if k < builder.nin else ("Output", k - builder.nin)
            raise TypingError(f"{gufunc.__name__}: {kind} operand {index} does not have enough "
                              f"dimensions (has {ndim}, gufunc core with signature "
                              f"{builder.signature} requires {len(dims)})")
        if k >= builder.nin and not isinstance(ty, types.Array):
            raise TypingError(f"{gufunc.__name__}: output operand {k - builder.nin} must be an "
                              f"array, not {ty}")


class GUFuncCall(AbstractTemplate):
    key = GUFuncType

    def generic(self, args, kws):
        fnty, *operands = args
        gufunc = fnty.gufunc
        if kws:
            return None
        if len(operands) != gufunc.nargs:
            raise TypingError(f"{gufunc.__name__}: compiled code must pass all {gufunc.nargs} "
                              f"operands (outputs included), got {len(operands)}")
        if gufunc.gufunc_builder.object_mode:
            raise TypingError(f"{gufunc.__name__}: a @guvectorize(forceobj=True) function "
                              "runs its kernel in the interpreter; call it from Python, or "
                              "drop forceobj=True to call it from compiled code")
        _check_dimensions(gufunc, operands)
        return types.signature(types.none, fnty, *operands)


register(GUFuncCall)


@lower_builtin(GUFuncType, GUFuncType, VarArg(types.Any))
def gufunc_call_impl(context, builder, sig, args):
    caller = caller_for(sig.args[0].gufunc, sig.args[1:])
    context.compile_internal(builder, caller, types.signature(types.none, *sig.args[1:]),
                             list(args[1:]))
    return context.get_dummy_value()


@lower_constant(GUFuncType)
def _gufunc_constant(context, builder, ty, value):
    return ir.Constant(cgutils.voidptr_t, None)


# -- the generated caller --------------------------------------------------------------------------

def caller_for(gufunc, operand_types):
    """The Python function running `gufunc` over operands of these types (made once)."""
    cache = gufunc.__dict__.setdefault("_jit_callers", {})
    key = tuple(operand_types)
    if key not in cache:
        cache[key] = _generate(gufunc, operand_types)
    return cache[key]


class _Operand:
    def __init__(self, k, ty, dims, is_output, kernel_wants_array):
        self.name, self.dims, self.is_output = f"a{k}", dims, is_output
        self.ndim = ty.ndim if isinstance(ty, types.Array) else 0
        self.is_array = isinstance(ty, types.Array)
        self.loop_ndim = self.ndim - len(dims)
        self.wants_array = kernel_wants_array


def _generate(gufunc, operand_types):
    builder = gufunc.gufunc_builder
    operands = [_Operand(k, ty, dims, k >= builder.nin, _kernel_wants_array(builder, k, dims))
                for k, (ty, dims) in enumerate(zip(operand_types, builder.operands))]
    loop_ndim = max(op.loop_ndim for op in operands)
    lines = [f"def gufunc_call({', '.join(op.name for op in operands)}):"]
    lines += _core_lines(operands)  # (Numba reports core mismatches first)
    lines += [f"    s{d} = 1" for d in range(loop_ndim)]
    for op in operands:
        lines += _broadcast_lines(op, loop_ndim)
    lines += _output_lines(operands, loop_ndim)
    indent = "    "
    for d in range(loop_ndim):
        lines.append(f"{indent}for i{d} in range(s{d}):")
        indent += "    "
    casts = _scalar_casts(gufunc, operand_types)
    views = ", ".join(f"{cast}({_view(op, loop_ndim)})" for op, cast in zip(operands, casts))
    lines.append(f"{indent}kernel({views})")
    namespace = {"kernel": builder.dispatcher, "ValueError": ValueError, "np": np}
    return compile_source("\n".join(lines) + "\n", "gufunc_call", globals=namespace)


def _scalar_casts(gufunc, operand_types) -> list:
    """Per operand, the conversion of a scalar to the type a frozen gufunc's loop declares
    (as NumPy casts it), or nothing."""
    builder = gufunc.gufunc_builder
    if not gufunc._frozen:
        return [""] * len(operand_types)
    elements = tuple(t.dtype if isinstance(t, types.Array) else types.unliteral(t)
                     for t in operand_types)
    for kernel, _, _ in builder.loops.values():
        declared = [t.dtype if isinstance(t, types.Array) else t for t in kernel.signature.args]
        if typing_context.conversion_cost(elements, tuple(declared)) is not None:
            return ["" if isinstance(t, types.Array) else
                    ("np.bool_" if isinstance(t, types.Boolean) else f"np.{t.name}")
                    for t in kernel.signature.args]
    return [""] * len(operand_types)


def _kernel_wants_array(builder, k, dims) -> bool:
    """Whether the kernel takes operand k as an array (a `()` input is a scalar unless a
    signature typed it as an array)."""
    if dims or k >= builder.nin:
        return True
    return any(isinstance(kernel.signature.args[k], types.Array)
               for kernel, _, _ in builder.loops.values())


LOOP_SHAPES = "Loop and array shapes are incompatible"  # (Numba's words for gufuncs)


def _broadcast_lines(op, loop_ndim, message=LOOP_SHAPES) -> list:
    lines = []
    for d in range(op.loop_ndim):
        target = loop_ndim - op.loop_ndim + d
        extent = f"{op.name}.shape[{d}]"
        lines += [f"    if {extent} != 1:",
                  f"        if s{target} != 1 and s{target} != {extent}:",
                  f"            raise ValueError({message!r})",
                  f"        s{target} = {extent}"]
    return lines


def _output_lines(operands, loop_ndim) -> list:
    lines = []
    for op in operands:
        if not op.is_output:
            continue
        if op.loop_ndim != loop_ndim:
            return [f"    raise ValueError({LOOP_SHAPES!r})"]
        for d in range(loop_ndim):
            lines += [f"    if {op.name}.shape[{d}] != s{d}:",
                      f"        raise ValueError({LOOP_SHAPES!r})"]
    return lines


def _core_lines(operands) -> list:
    lines, seen = [], {}
    for op in operands:
        for j, name in enumerate(op.dims):
            extent = f"{op.name}.shape[{op.loop_ndim + j}]"
            if name not in seen:
                seen[name] = extent
                continue
            lines += [f"    if {extent} != {seen[name]}:",
                      "        raise ValueError('Operand has a mismatch in one of its core "
                      "dimensions')"]
    return lines


def _view(op, loop_ndim) -> str:
    """The kernel's argument for this operand at loop indices i0, i1..."""
    if not op.is_array:
        return op.name
    indices = [f"(i{loop_ndim - op.loop_ndim + d} if {op.name}.shape[{d}] != 1 else 0)"
               for d in range(op.loop_ndim)]
    if op.dims or not op.wants_array:
        if not indices:
            return op.name if op.dims else f"{op.name}[()]"
        return f"{op.name}[{', '.join(indices)}]"
    if not indices:  # a 0-d array as a one-element view
        return f"{op.name}.reshape(1)"
    last = indices.pop()
    return f"{op.name}[{', '.join([*indices, f'{last}:{last} + 1'])}]"
