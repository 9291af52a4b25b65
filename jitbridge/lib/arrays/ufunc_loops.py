"""The elementwise loop of ufuncs: broadcasting, outputs given or allocated, overlap.

An input that shares memory with an output (other than being the very same view, which an
elementwise loop reads before it writes) is copied first, as NumPy does, so that
`np.add(a[::-1], 1, out=a)` reads the original values.
"""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from .helpers import (allocate_array, broadcast_shapes, broadcast_strides, const, element_pointer,
                      is_contiguous_same, load_item, loop_nest, make_array, shape_of, store_item,
                      strides_of)
from .model import as_dtype
from ...lowering.parallel import PARALLEL_MIN_ITEMS, run_range


def elementwise(context, builder, out_types, operands, kernel, outs=None, fresh=False):
    """Evaluate kernel (values -> [outputs]) over broadcast operands [(type, value)], into the
    given output arrays `outs` (proxies; `fresh`: new ones no input can overlap) or new ones;
    returns the output proxies."""
    ndim = out_types[0].ndim
    arrays = [(t, make_array(context, builder, t, v)) for t, v in operands
              if isinstance(t, types.Array)]
    shapes = [shape_of(builder, a, t.ndim) for t, a in arrays]
    extents = broadcast_shapes(context, builder, shapes, ndim)
    copies = []
    if outs is None:
        outs = [allocate_array(context, builder, t, extents) for t in out_types]
    elif not fresh:
        first = shape_of(builder, outs[0], ndim)
        for out in outs:
            _check_target_shape(context, builder, shape_of(builder, out, ndim), extents)
            _check_target_shape(context, builder, shape_of(builder, out, ndim), first, exact=True)
        arrays, copies = _without_overlap(context, builder, arrays, list(zip(out_types, outs)))
    shape = shape_of(builder, outs[0], ndim)
    scalars = {i: v for i, (t, v) in enumerate(operands) if not isinstance(t, types.Array)}
    targets = list(zip(out_types, outs))
    flat_ok = _all_flat(builder, arrays, targets, shape)
    with builder.if_else(flat_ok, likely=True) as (flat, strided):
        with flat:
            _flat_loop(context, builder, operands, arrays, scalars, targets, kernel)
        with strided:
            _strided_loop(context, builder, operands, arrays, scalars, targets, kernel, shape)
    for release in copies:
        release()
    return outs


def _all_flat(builder, arrays, targets, shape):
    """i1: every array is C-contiguous with the iteration's shape: one flat loop will do."""
    same = is_contiguous_same(builder, arrays + targets)
    for t, a in arrays + targets:
        if t.ndim != len(shape):
            return cgutils.false_bit
        for got, want in zip(shape_of(builder, a, t.ndim), shape):
            same = builder.and_(same, builder.icmp_signed("==", got, want))
    return same


def _check_target_shape(context, builder, target, extents, exact=False):
    """An output takes the broadcast shape of the inputs, which may broadcast up to it
    (`exact`: the shape of the first output, which every other output must have)."""
    for got, want in zip(target, extents):
        bad = builder.icmp_signed("!=", got, want)
        if not exact:
            bad = builder.and_(bad, builder.icmp_signed("!=", want, const(1)))
        with cgutils.if_unlikely(builder, bad):
            context.call_conv.return_user_exc(builder, ValueError, (
                "non-broadcastable output operand",))


def _gather(context, builder, operands, scalars, pointer_of):
    values, k = [], 0
    for i, (t, _) in enumerate(operands):
        if i in scalars:
            values.append(scalars[i])
        else:
            values.append(load_item(context, builder, t, pointer_of(k)))
            k += 1
    return values


def _store_all(context, builder, targets, results, pointer_of):
    for k, ((t, _), value) in enumerate(zip(targets, results)):
        store_item(context, builder, t, pointer_of(k), value)


def _flat_loop(context, builder, operands, arrays, scalars, targets, kernel):
    count = targets[0][1].nitems
    inputs, outputs = [a.data for _, a in arrays], [out.data for _, out in targets]
    if not context.flags.parallel:
        _flat_range(context, builder, operands, scalars, targets, kernel,
                    (inputs, outputs, None, count))
        return
    # parallel=True: large loops run on the threads (each a contiguous share of the items)
    large = builder.icmp_signed(">=", count, const(PARALLEL_MIN_ITEMS))
    with builder.if_else(large) as (threads, here):
        with threads:
            env = [*inputs, *outputs, *(scalars[i] for i in sorted(scalars))]
            run_range(context, builder, count, env, lambda b, env, lo, hi: _flat_range(
                context, b, operands, dict(zip(sorted(scalars), env[len(inputs + outputs):])),
                targets, kernel, (env[:len(inputs)], env[len(inputs):len(inputs + outputs)],
                                  lo, hi)), what="elementwise array operation")
        with here:
            _flat_range(context, builder, operands, scalars, targets, kernel,
                        (inputs, outputs, None, count))


def _flat_range(context, builder, operands, scalars, targets, kernel, bounds):
    """The flat loop over items [lo, hi) of the data pointers `inputs` and `outputs`."""
    inputs, outputs, lo, hi = bounds
    with cgutils.for_range(builder, hi, start=lo) as loop:
        values = _gather(context, builder, operands, scalars,
                         lambda k: builder.gep(inputs[k], [loop.index]))
        _store_all(context, builder, targets, kernel(builder, values),
                   lambda k: builder.gep(outputs[k], [loop.index]))


def _strided_loop(context, builder, operands, arrays, scalars, targets, kernel, shape):
    ndim = len(shape)
    strides = [broadcast_strides(builder, shape_of(builder, a, t.ndim),
                                 strides_of(builder, a, t.ndim), ndim) for t, a in arrays]
    out_strides = [strides_of(builder, out, ndim) for _, out in targets]
    with loop_nest(builder, shape) as idx:
        values = _gather(context, builder, operands, scalars,
                         lambda k: element_pointer(builder, arrays[k][1], idx, strides[k]))
        _store_all(context, builder, targets, kernel(builder, values),
                   lambda k: element_pointer(builder, targets[k][1], idx, out_strides[k]))


# -- memory overlap -------------------------------------------------------------------------------

def _without_overlap(context, builder, arrays, targets):
    """Inputs with any input sharing memory with an output replaced by a private copy;
    (arrays, [release the copies])."""
    result, releases = [], []
    for t, a in arrays:
        hazard = cgutils.false_bit
        for out_t, out in targets:
            hazard = builder.or_(hazard, _overlaps(builder, t, a, out_t, out))
        copy, release = _copy_if(context, builder, t, a, hazard)
        result.append((t, copy))
        releases.append(release)
    return result, releases


def _copy_if(context, builder, ty, ary, condition):
    """(`ary`, or a copy of it when `condition` holds; fn releasing that copy)."""
    slot = cgutils.alloca_once(builder, ary._getvalue().type)
    builder.store(ary._getvalue(), slot)
    with builder.if_then(condition, likely=False):
        copy = allocate_array(context, builder, ty, shape_of(builder, ary, ty.ndim))
        elementwise(context, builder, [ty], [(ty, ary._getvalue())],
                    lambda b, values: values, outs=[copy], fresh=True)
        builder.store(copy._getvalue(), slot)
    chosen = make_array(context, builder, ty, builder.load(slot))

    def release():
        with builder.if_then(condition, likely=False):
            context.decref(builder, ty, builder.load(slot))
    return chosen, release


def _overlaps(builder, ty, ary, out_ty, out):
    """i1: the arrays' memory ranges meet and they are not the same view."""
    lo_a, hi_a, empty_a = _byte_range(builder, ty, ary)
    lo_b, hi_b, empty_b = _byte_range(builder, out_ty, out)
    meet = builder.and_(builder.icmp_unsigned("<", lo_a, hi_b),
                        builder.icmp_unsigned("<", lo_b, hi_a))
    meet = builder.and_(meet, builder.not_(builder.or_(empty_a, empty_b)))
    return builder.and_(meet, builder.not_(_same_view(builder, ty, ary, out_ty, out)))


def _byte_range(builder, ty, ary):
    start = builder.ptrtoint(ary.data, ir.IntType(64))
    lo, hi, empty = start, builder.add(start, const(as_dtype(ty.dtype).itemsize)), cgutils.false_bit
    for extent, stride in zip(shape_of(builder, ary, ty.ndim), strides_of(builder, ary, ty.ndim)):
        span = builder.mul(builder.sub(extent, const(1)), stride)
        negative = builder.icmp_signed("<", span, const(0))
        lo = builder.add(lo, builder.select(negative, span, const(0)))
        hi = builder.add(hi, builder.select(negative, const(0), span))
        empty = builder.or_(empty, builder.icmp_signed("==", extent, const(0)))
    return lo, hi, empty


def _same_view(builder, ty, ary, out_ty, out):
    if ty.ndim != out_ty.ndim or as_dtype(ty.dtype).itemsize != as_dtype(out_ty.dtype).itemsize:
        return cgutils.false_bit
    same = builder.icmp_unsigned("==", builder.ptrtoint(ary.data, ir.IntType(64)),
                                 builder.ptrtoint(out.data, ir.IntType(64)))
    for a, b in zip(shape_of(builder, ary, ty.ndim) + strides_of(builder, ary, ty.ndim),
                    shape_of(builder, out, ty.ndim) + strides_of(builder, out, ty.ndim)):
        same = builder.and_(same, builder.icmp_signed("==", a, b))
    return same
