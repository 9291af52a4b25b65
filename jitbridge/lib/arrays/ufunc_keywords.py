"""ufunc keyword arguments beyond out=: `dtype=` (the loop whose outputs have that dtype, as
NumPy's `signature=(None, ..., dtype)`; inputs cast to it under the same_kind rule) and
`where=` (a boolean mask, broadcast: only the selected elements of the outputs are written).
Without out=, NumPy leaves the unselected elements of a new output uninitialised, so where=
is taken only together with out=. `casting=` is not supported."""
from __future__ import annotations

import numpy as np

from ... import types
from ...core import cgutils
from ...errors import TypingError
from .construction import parse_dtype
from .model import as_dtype, from_dtype
from .ufuncs import (_check_outputs, _no_half, _numpy_operand, _packed, compute_ufunc,
                     given_outputs, resolve_loop)

KEYWORDS = ("out", "dtype", "where", "casting")


def keyword_signature(ufunc, args, kws):
    """Typing of `ufunc(*inputs[, *outputs], out=, dtype=, where=)`; its own lowering."""
    name = f"np.{ufunc.__name__}()"
    unknown = set(kws) - set(KEYWORDS)
    if unknown:
        raise TypingError(f"{name}: unsupported keyword argument(s) {', '.join(sorted(unknown))}")
    if "casting" in kws:
        raise TypingError(f"{name}: the casting= argument is not supported (the same_kind rule "
                          "applies)")
    if len(args) < ufunc.nin:
        return None
    inputs = args[:ufunc.nin]
    outputs = given_outputs(ufunc, args[ufunc.nin:] + ((kws["out"],) if "out" in kws else ()))
    if outputs and len(outputs) != ufunc.nout:
        raise TypingError(f"{name} takes {ufunc.nout} output array(s), got {len(outputs)}")
    loop = _keyword_loop(ufunc, inputs, kws.get("dtype"))
    if loop is None:
        return None
    where = _where_mask(name, kws.get("where"), outputs, inputs)
    if outputs:
        _check_outputs(ufunc, inputs, outputs, loop[1])
        result = _packed(outputs)
    else:
        result = _new_results(inputs, loop[1])
    values = (*args, *kws.values())
    return types.signature(result, *values).replace(
        impl=_keyword_impl(ufunc, loop, len(args), list(kws), where))


def _keyword_loop(ufunc, inputs, dtype):
    """(input types, output types) of the loop NumPy picks for dtype= (or the default loop)."""
    if dtype is None or isinstance(dtype, (types.NoneType, types.Omitted)):
        return resolve_loop(ufunc, inputs)
    element = parse_dtype(dtype)
    if element is None:
        raise TypingError(f"np.{ufunc.__name__}(): unsupported dtype {dtype}")
    if not all(isinstance(t, (types.Array, types.Number, types.Boolean)) for t in inputs):
        return None
    operands = tuple(_numpy_operand(t) for t in inputs)
    wanted = as_dtype(element)
    try:
        dtypes = ufunc.resolve_dtypes(operands + (None,) * ufunc.nout,
                                      signature=(None,) * ufunc.nin + (wanted,) * ufunc.nout)
    except (TypeError, ValueError):
        raise TypingError(f"np.{ufunc.__name__}(): no loop for dtype={wanted} with inputs "
                          f"{', '.join(map(str, inputs))}") from None
    for k, (given, loop_type) in enumerate(zip(operands, dtypes)):
        source = given if isinstance(given, np.dtype) else np.dtype(given)
        if not np.can_cast(source, loop_type, "same_kind"):
            raise TypingError(f"Cannot cast ufunc '{ufunc.__name__}' input {k} from {source!r} "
                              f"to {loop_type!r} with casting rule 'same_kind'")
    loop = [from_dtype(_no_half(d)) for d in dtypes]
    return loop[:ufunc.nin], loop[ufunc.nin:]


def _where_mask(name, where, outputs, inputs):
    """The where= argument's type, or None when it selects everything (omitted, True)."""
    if where is None or isinstance(where, types.Omitted) or \
            (isinstance(where, types.BooleanLiteral) and where.literal_value):
        return None
    element = where.dtype if isinstance(where, types.Array) else types.unliteral(where)
    if not isinstance(element, types.Boolean):
        raise TypingError(f"{name}: where= must be a boolean array or a boolean, not {where}")
    if not outputs:
        raise TypingError(f"{name}: where= is only supported together with out= (the elements "
                          "it leaves out of a new array would be uninitialised)")
    if isinstance(where, types.Array) and where.ndim > outputs[0].ndim:
        raise TypingError(f"{name}: non-broadcastable where= mask {where} for the output "
                          f"{outputs[0]}")
    return where


def _new_results(inputs, loop_out):
    arrays = [a for a in inputs if isinstance(a, types.Array)]
    if not any(a.ndim for a in arrays):
        return _packed(list(loop_out))
    ndim = max(a.ndim for a in arrays)
    return _packed([types.Array(out, ndim, "C") for out in loop_out])


def _keyword_impl(ufunc, loop, npositional, names, where):
    nin = ufunc.nin

    def impl(context, builder, sig, args):
        by_name = dict(zip(names, zip(sig.args[npositional:], args[npositional:])))
        extra = list(zip(sig.args[nin:npositional], args[nin:npositional]))
        if "out" in by_name:
            extra.append(by_name["out"])
        given = _unpacked(builder, ufunc, extra)
        masked = None if where is None else _masking(context, builder, by_name["where"], given)
        return compute_ufunc(context, builder, ufunc, loop, (sig.args[:nin], args[:nin]),
                             given, sig.return_type, masked)
    return impl


def _unpacked(builder, ufunc, extra):
    """[(type, value)] of the given outputs (an out= tuple unpacked)."""
    if not given_outputs(ufunc, tuple(t for t, _ in extra)):
        return []
    if len(extra) == 1 and isinstance(extra[0][0], types.BaseTuple):
        tuple_ty, value = extra[0]
        return [(t, builder.extract_value(value, k)) for k, t in enumerate(tuple_ty)]
    return extra


def _masking(context, builder, where, given):
    """masked(kernel, operands): the mask and the outputs' current elements become operands;
    an element the mask leaves out keeps its current value."""
    where_ty, where_value = where
    if not isinstance(where_ty, types.Array):
        where_value = context.cast(builder, where_value, where_ty, types.boolean)
        where_ty = types.boolean

    def masked(kernel, operands):
        count = len(operands)

        def compute(b, values):
            flag, current = values[count], values[count + 1:]
            slots = [cgutils.alloca_once(b, v.type) for v in current]
            for slot, value in zip(slots, current):
                b.store(value, slot)
            with b.if_then(flag):
                for slot, value in zip(slots, kernel(b, values[:count])):
                    b.store(value, slot)
            return [b.load(slot) for slot in slots]
        return compute, [*operands, (where_ty, where_value), *given]
    return masked
