"""Elementwise operations: array operators and NumPy ufuncs, with `out=` and several outputs.

Result dtypes come from NumPy itself (`ufunc.resolve_dtypes`, NEP 50): literals are weak Python
scalars that adopt the array's dtype (one out of its range raises OverflowError when run, as in
NumPy); other scalars (arguments, array elements) are strong, like NumPy scalars. jitbridge has
no float16: a loop NumPy would run in float16 (`np.sqrt(int8_array)`) runs in float32, the next
loop NumPy offers, as in Numba. Each element is computed by the scalar kernel of the loop
(`ufunc_kernels`: the scalar operator from the lowering registry or an element function written
in Python), and the loop itself (`ufunc_loops`) broadcasts and handles outputs that overlap
inputs. Outputs given by the caller (`out=`, or positionally after the inputs) must take the
result under NumPy's same_kind casting rule.
"""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import register_jitable
from ..literals import int_range, numpy_operand
from ...types.datetime import is_datetime_like
from .. import datetimes_kernels
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from .helpers import load_item, make_array
from .model import as_dtype, from_dtype
from .ufunc_kernels import BINARY_OPERATORS, UNARY_OPERATORS, scalar_kernel
from .ufunc_loops import elementwise
from ...core.base import COMPILE_HOOK

INPLACE_OPERATORS = {
    operator.iadd: operator.add, operator.isub: operator.sub, operator.imul: operator.mul,
    operator.itruediv: operator.truediv, operator.ifloordiv: operator.floordiv,
    operator.imod: operator.mod, operator.ipow: operator.pow, operator.iand: operator.and_,
    operator.ior: operator.or_, operator.ixor: operator.xor, operator.ilshift: operator.lshift,
    operator.irshift: operator.rshift,
}
#: Numba's list of supported ufuncs (np.abs, np.divide, np.mod, np.conj are aliases), and
#: NumPy's heaviside
SUPPORTED = (
    "add subtract multiply divide logaddexp logaddexp2 true_divide floor_divide negative positive "
    "power float_power remainder mod fmod abs absolute fabs rint sign conj conjugate exp exp2 log "
    "log2 log10 expm1 log1p sqrt square cbrt reciprocal gcd lcm sin cos tan arcsin arccos arctan "
    "arctan2 hypot sinh cosh tanh arcsinh arccosh arctanh deg2rad rad2deg degrees radians "
    "bitwise_and bitwise_or bitwise_xor bitwise_not invert left_shift right_shift greater "
    "greater_equal less less_equal not_equal equal logical_and logical_or logical_xor "
    "logical_not maximum minimum fmax fmin isfinite isinf isnan signbit copysign nextafter modf "
    "ldexp frexp floor ceil trunc spacing divmod isnat heaviside").split()
ALL_UFUNCS = frozenset(getattr(np, name) for name in SUPPORTED)
COMPARISONS = (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal)


def _numpy_operand(ty):
    """How NumPy sees an operand when resolving dtypes: a dtype, or a type for a weak literal."""
    if isinstance(ty, types.Array):
        return as_dtype(ty.dtype)
    if is_datetime_like(ty):
        return as_dtype(ty)
    weak = numpy_operand(ty)
    return weak if isinstance(weak, np.dtype) else type(weak)


def _no_half(dtype: np.dtype) -> np.dtype:
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def resolve_loop(ufunc, operand_types):
    """(input element types, [output element types]) NumPy would use, or None."""
    for ty in operand_types:
        types.unliteral(ty)  # an int constant no machine type holds: TypingError
    numeric = (types.Array, types.Boolean, types.Number, types.NPDatetime, types.NPTimedelta)
    if not all(isinstance(t, numeric) for t in operand_types):
        return None
    if any(is_datetime_like(_element(t)) for t in operand_types):  # NumPy's refusals are errors
        return datetimes_kernels.resolve_loop(ufunc, [_numpy_operand(t) for t in operand_types])
    try:
        dtypes = ufunc.resolve_dtypes(tuple(_numpy_operand(t) for t in operand_types)
                                      + (None,) * ufunc.nout)
    except (TypeError, ValueError):  # includes NumPy's DTypePromotionError and UFuncTypeError
        return None
    try:
        loop = [from_dtype(_no_half(d)) for d in dtypes]
    except TypeError:
        return None
    loop_in = _exact_comparisons(ufunc, operand_types, loop[:ufunc.nin])
    return loop_in, loop[ufunc.nin:]


def _exact_comparisons(ufunc, operand_types, loop_in):
    """NumPy compares an int literal its loop type cannot hold exactly (`int8_array < 300`):
    such a literal keeps its own type, and the scalar comparison knows the answer."""
    if ufunc not in COMPARISONS or not all(isinstance(_element(t), types.Integer)
                                           for t in operand_types):
        return loop_in  # a boolean operand: NumPy converts the literal, OverflowError if too big
    return [t if isinstance(t, types.IntegerLiteral) and isinstance(f, types.Integer) and
            t.literal_value not in int_range(f) else f for t, f in zip(operand_types, loop_in)]


def _element(ty):
    return ty.dtype if isinstance(ty, types.Array) else types.unliteral(ty)


def _packed(results):
    return results[0] if len(results) == 1 else types.Tuple(tuple(results))


def ufunc_signature(ufunc, args):
    """Typing of `ufunc(*inputs)`: arrays if any operand is an array, else scalars."""
    loop = resolve_loop(ufunc, args)
    if loop is None:
        return None
    arrays = [a for a in args if isinstance(a, types.Array)]
    results = loop[1]
    if any(a.ndim for a in arrays):  # 0-d arrays alone give a scalar, as in NumPy
        # (without arrays, literals stay literal: checked when cast to the loop type)
        ndim = max(a.ndim for a in arrays)
        results = [types.Array(out, ndim, "C") for out in results]
    return types.signature(_packed(results), *args)


def _is_none(ty) -> bool:
    return isinstance(ty, types.NoneType) or (isinstance(ty, types.Omitted) and ty.value is None)


def given_outputs(ufunc, extra) -> list:
    """The output types of a call's arguments after the inputs (an `out` tuple unpacked)."""
    if len(extra) == 1 and isinstance(extra[0], types.BaseTuple):
        extra = tuple(extra[0])
    return [] if all(_is_none(t) for t in extra) else list(extra)


def call_signature(ufunc, args, kws):
    """Typing of `ufunc(*inputs, *outputs)` or `ufunc(*inputs, out=outputs)`."""
    name = ufunc.__name__
    if set(kws) & {"dtype", "where", "casting"}:
        from .ufunc_keywords import keyword_signature  # (which imports this module)
        return keyword_signature(ufunc, args, kws)
    if set(kws) - {"out"} or len(args) < ufunc.nin:
        return None
    if "out" in kws and len(args) > ufunc.nin:
        raise TypingError(f"{name}(): cannot specify 'out' as both a positional and keyword "
                          f"argument")
    inputs = args[:ufunc.nin]
    outputs = given_outputs(ufunc, args[ufunc.nin:] + tuple(kws.values()))
    if not outputs:
        sig = ufunc_signature(ufunc, inputs)
        return None if sig is None else types.signature(sig.return_type, *args, *kws.values())
    if len(outputs) != ufunc.nout:
        raise TypingError(f"{name}() takes {ufunc.nout} output array(s), got {len(outputs)}")
    loop = resolve_loop(ufunc, inputs)
    if loop is None:
        return None
    _check_outputs(ufunc, inputs, outputs, loop[1])
    return types.signature(_packed(outputs), *args, *kws.values())


def _check_outputs(ufunc, inputs, outputs, loop_out):
    ndim = max([a.ndim for a in inputs if isinstance(a, types.Array)], default=0)
    if len({getattr(out, "ndim", None) for out in outputs}) > 1:
        raise TypingError(f"{ufunc.__name__}(): the outputs must have one shape, not "
                          f"{', '.join(map(str, outputs))}")
    for out, result in zip(outputs, loop_out):
        if not isinstance(out, types.Array) or out.readonly:
            raise TypingError(f"{ufunc.__name__}(): the output must be a writable array, "
                              f"not {out}")
        if out.ndim < ndim:
            raise TypingError(f"{ufunc.__name__}(): non-broadcastable output operand: a "
                              f"{out.ndim}-d output for {ndim}-d inputs")
        if not np.can_cast(as_dtype(result), as_dtype(out.dtype), "same_kind"):
            raise TypingError(f"Cannot cast ufunc '{ufunc.__name__}' output from "
                              f"dtype('{as_dtype(result)}') to dtype('{as_dtype(out.dtype)}') "
                              f"with casting rule 'same_kind'")


class UfuncTemplate(AbstractTemplate):
    ufunc = None

    def generic(self, args, kws):
        return call_signature(self.ufunc, args, kws)


class OperatorTemplate(AbstractTemplate):
    """`a + b` etc. where at least one operand is an array."""

    def generic(self, args, kws):
        if not any(isinstance(a, types.Array) for a in args):
            return None
        return ufunc_signature(self.ufunc, args)


class InplaceTemplate(AbstractTemplate):
    """`a += b`: computed into `a`; NumPy's same-kind casting rule applies."""

    def generic(self, args, kws):
        target, value = args
        if not isinstance(target, types.Array):
            return None
        if target.readonly:
            raise TypingError(f"Cannot modify readonly array of type: {target} (in-place "
                              f"{self.binary.__name__})")
        sig = ufunc_signature(BINARY_OPERATORS[self.binary], args)
        if sig is None:
            return None
        out = sig.return_type.dtype
        if not np.can_cast(as_dtype(out), as_dtype(target.dtype), "same_kind"):
            raise TypingError(f"cannot cast the result of {target} {self.binary.__name__} "
                              f"{value} ({out}) back into the {target.dtype} array")
        return types.signature(target, *args)


for _op, _uf in {**BINARY_OPERATORS, **UNARY_OPERATORS}.items():
    register(type(f"ArrayOp_{_op.__name__}", (OperatorTemplate,), {"key": _op, "ufunc": _uf}))
for _iop, _op in INPLACE_OPERATORS.items():
    register(type(f"ArrayInplace_{_iop.__name__}", (InplaceTemplate,), {"key": _iop, "binary": _op}))
for _uf in ALL_UFUNCS:
    register(type(f"Ufunc_{_uf.__name__}", (UfuncTemplate,), {"key": _uf, "ufunc": _uf}))
    register_global(_uf, types.Function(_uf))
register(type("Ufunc_abs_builtin", (OperatorTemplate,), {"key": abs, "ufunc": np.absolute}))


# -- lowering -------------------------------------------------------------------------------------

def _ufunc_impl(ufunc):
    def impl(context, builder, sig, args):
        nin = ufunc.nin
        given = _given_values(context, builder, ufunc, sig.args[nin:], args[nin:])
        return compute_ufunc(context, builder, ufunc, resolve_loop(ufunc, sig.args[:nin]),
                             (sig.args[:nin], args[:nin]), given, sig.return_type)
    return impl


def compute_ufunc(context, builder, ufunc, loop, inputs, given, return_type, masked=None):
    """ufunc over `inputs` (types, values) in `loop` (input types, output types), into the
    `given` outputs [(type, value)] or new ones; `masked(kernel, operands)`, if any, makes the
    kernel and operands of a where= mask."""
    loop_in, loop_out = loop
    kernel = scalar_kernel(context, ufunc, loop_in, loop_out)
    results = list(return_type) if ufunc.nout > 1 else [return_type]
    scalar = not given and not isinstance(results[0], types.Array)
    operands = _cast_scalars(context, builder, zip(*inputs), loop_in, scalar_result=scalar)
    _check_exponents(context, builder, ufunc, loop_in, operands)
    if scalar:
        values = kernel(builder, [v for _, v in operands])
        values = [context.cast(builder, v, f, t) for v, f, t in zip(values, loop_out, results)]
    else:
        kernel = _casting(context, kernel, _element_types(operands), loop_in, loop_out,
                          [t.dtype for t in results])
        if masked is not None:
            kernel, operands = masked(kernel, operands)
        values = _array_results(context, builder, results, operands, kernel, given)
    return values[0] if ufunc.nout == 1 else context.make_tuple(builder, return_type, values)


def _array_results(context, builder, results, operands, kernel, given):
    """The elementwise loop into the given outputs (returned as new references) or new ones."""
    outs = elementwise(context, builder, results, operands, kernel,
                       [make_array(context, builder, t, v) for t, v in given] or None)
    for t, v in given:
        context.incref(builder, t, v)
    return [out._getvalue() for out in outs]


def _check_exponents(context, builder, ufunc, loop_in, operands):
    """NumPy's ValueError for a negative integer exponent, raised before any output exists
    (raising from inside the loop would leak the output array)."""
    exponent = loop_in[-1]
    if ufunc is not np.power or not (isinstance(exponent, types.Integer) and exponent.signed):
        return
    ty, value = operands[1]
    check = _negative_in_array if isinstance(ty, types.Array) else _negative_scalar
    context.compile_internal(builder, check, types.signature(types.none, ty), [value])


@register_jitable
def _negative_in_array(exponents):
    if (exponents < 0).any():
        raise ValueError("Integers to negative integer powers are not allowed.")


@register_jitable
def _negative_scalar(exponent):
    if exponent < 0:
        raise ValueError("Integers to negative integer powers are not allowed.")


def _given_values(context, builder, ufunc, extra_types, extra_values):
    """[(type, value)] of the outputs a call passes (an `out` tuple unpacked)."""
    if not given_outputs(ufunc, tuple(extra_types)):
        return []
    if len(extra_types) == 1 and isinstance(extra_types[0], types.BaseTuple):
        tuple_ty, value = extra_types[0], extra_values[0]
        return [(t, builder.extract_value(value, k)) for k, t in enumerate(tuple_ty)]
    return list(zip(extra_types, extra_values))


def _cast_scalars(context, builder, operands, loop_in, scalar_result=False):
    """Scalar operands converted to their loop type once, before any loop: an out-of-range
    literal raises even for an empty array, as in NumPy. For a scalar result, 0-d array
    operands give their element."""
    operands = [(t, v) if not (scalar_result and isinstance(t, types.Array))
                else (t.dtype, load_item(context, builder, t, make_array(context, builder, t, v).data))
                for t, v in operands]
    return [(t, v) if isinstance(t, types.Array) else (f, context.cast(builder, v, t, f))
            for (t, v), f in zip(operands, loop_in)]


def _element_types(operands):
    return [t.dtype if isinstance(t, types.Array) else t for t, _ in operands]


def _casting(context, kernel, actual, loop_in, loop_out, outs):
    def compute(builder, values):
        values = [context.cast(builder, v, a, f) for v, a, f in zip(values, actual, loop_in)]
        return [context.cast(builder, v, f, t)
                for v, f, t in zip(kernel(builder, values), loop_out, outs)]
    return compute


for _op, _uf in {**BINARY_OPERATORS, **UNARY_OPERATORS}.items():
    _patterns = [[types.Array, types.Any], [types.Any, types.Array]] if _uf.nin == 2 else [[types.Array]]
    _impl = _ufunc_impl(_uf)
    for _pattern in _patterns:
        lower_builtin(_op, *_pattern)(_impl)
for _uf in ALL_UFUNCS:
    _impl = _ufunc_impl(_uf)
    for _arity in sorted({_uf.nin, _uf.nin + 1, _uf.nin + _uf.nout}):
        lower_builtin(_uf, *([types.Any] * _arity))(_impl)
lower_builtin(abs, types.Array)(_ufunc_impl(np.absolute))


def _inplace_impl(binary):
    ufunc = BINARY_OPERATORS[binary]

    def impl(context, builder, sig, args):
        target_ty = sig.args[0]
        loop_in, loop_out = resolve_loop(ufunc, sig.args)
        operands = _cast_scalars(context, builder, zip(sig.args, args), loop_in)
        _check_exponents(context, builder, ufunc, loop_in, operands)
        kernel = _casting(context, scalar_kernel(context, ufunc, loop_in, loop_out),
                          _element_types(operands), loop_in, loop_out, [target_ty.dtype])
        target = make_array(context, builder, target_ty, args[0])
        elementwise(context, builder, [target_ty], operands, kernel, outs=[target])
        context.incref(builder, target_ty, args[0])
        return args[0]
    return impl


for _iop, _op in INPLACE_OPERATORS.items():
    lower_builtin(_iop, types.Array, types.Any)(_inplace_impl(_op))


# -- fused array expressions (lowering/fusion.py) -------------------------------------------------

def lower_array_expr(context, builder, tree, leaves, result_type):
    """One elementwise loop computing a fused expression: each operation's per-element kernel
    and casts as its own loop would apply them, scalar leaves converted to their operation's
    loop type first. Returns the new result array."""
    operands = list(leaves)
    kernel = _tree_kernel(context, builder, tree, operands)
    outs = elementwise(context, builder, [result_type], operands, kernel)
    return outs[0]._getvalue()


def _tree_kernel(context, builder, tree, operands):
    """kernel(builder, leaf element values) -> [the element of `tree`'s result]; converts
    `operands`' scalars in place (before the loop)."""
    operation, sig, children = tree
    ufunc = BINARY_OPERATORS.get(operation) or UNARY_OPERATORS.get(operation) or operation
    loop_in, loop_out = resolve_loop(ufunc, sig.args)
    parts, actual = [], []
    for child, loop_type in zip(children, loop_in):
        if isinstance(child, int):
            ty, value = operands[child]
            if not isinstance(ty, types.Array):
                operands[child] = (loop_type, context.cast(builder, value, ty, loop_type))
            actual.append(_element(operands[child][0]))
            parts.append(lambda b, values, index=child: values[index])
        else:
            actual.append(child[1].return_type.dtype)
            sub = _tree_kernel(context, builder, child, operands)
            parts.append(lambda b, values, sub=sub: sub(b, values)[0])
    compute = _casting(context, scalar_kernel(context, ufunc, loop_in, loop_out), actual,
                       loop_in, loop_out, [sig.return_type.dtype])
    return lambda b, values: compute(b, [part(b, values) for part in parts])


COMPILE_HOOK["array_expr"] = lower_array_expr
