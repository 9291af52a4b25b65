"""Whole-array reductions: sum, prod, min, max, mean, argmin, argmax (function and method
forms), and np.dot / `@` of 1-D arrays."""
from __future__ import annotations

import ctypes
import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...errors import TypingError
from ...codegen import add_symbol
from ...core import cgutils
from ...core.pythonapi import PythonAPI
from .._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                           register, register_attr, register_global)
from .helpers import (const, element_pointer, is_contiguous_same, load_item, loop_nest, make_array,
                      shape_of, strides_of)
from ...utils import capsule_address
from ...lowering.parallel import PARALLEL_MIN_ITEMS, run_range
from .model import as_dtype, from_dtype

REDUCTIONS = {"sum": np.sum, "prod": np.prod, "min": np.min, "max": np.max, "mean": np.mean,
              "argmin": np.argmin, "argmax": np.argmax}


def require_numbers(name, aryty):
    """TypingError naming np.<name>() unless the array's elements are numbers (or bools)."""
    if not isinstance(aryty.dtype, (types.Number, types.Boolean)):
        raise TypingError(f"np.{name}() of an array of {aryty.dtype} is not supported: its "
                          "elements are not numbers")


def reduction_result(name, aryty):
    """The result type NumPy gives for reducing an array of this dtype."""
    require_numbers(name, aryty)
    if name in ("argmin", "argmax"):
        return types.intp
    sample = np.ones(1, dtype=as_dtype(aryty.dtype))
    return from_dtype(getattr(np, name)(sample).dtype)


def _compares_complex(name, aryty) -> bool:
    """Complex extremes order lexicographically: npfuncs/statistics.py's overloads do them."""
    return name in ("min", "max", "argmin", "argmax") and isinstance(aryty.dtype, types.Complex)


class ReductionTemplate(AbstractTemplate):
    name = None

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Array) and \
                not _compares_complex(self.name, args[0]):
            return types.signature(reduction_result(self.name, args[0]), args[0])
        return None


@register_attr
class ArrayReductionMethods(AttributeTemplate):
    key = types.Array


def _method(name):
    @bound_function(f"array.{name}")
    def resolve(self, ty, args, kws):
        if args or kws or _compares_complex(name, ty):
            return None
        return types.signature(reduction_result(name, ty))
    return resolve


for _name, _func in REDUCTIONS.items():
    setattr(ArrayReductionMethods, f"resolve_{_name}", _method(_name))
    register(type(f"Np_{_name}", (ReductionTemplate,), {"key": _func, "name": _name}))
    register_global(_func, types.Function(_func))
register_global(np.amin, types.Function(np.min))
register_global(np.amax, types.Function(np.max))


def for_each_element(context, builder, aryty, ary, body):
    """Call body(value, flat_index) for every element in C order."""
    ndim = aryty.ndim
    with builder.if_else(is_contiguous_same(builder, [(aryty, ary)]), likely=True) as (
            flat, strided):
        with flat:
            with cgutils.for_range(builder, ary.nitems) as loop:
                body(load_item(context, builder, aryty, builder.gep(ary.data, [loop.index])), loop.index)
        with strided:
            counter = cgutils.alloca_once_value(builder, const(0))
            strides = strides_of(builder, ary, ndim)
            with loop_nest(builder, shape_of(builder, ary, ndim)) as idx:
                index = builder.load(counter)
                body(load_item(context, builder, aryty, element_pointer(builder, ary, idx, strides)), index)
                builder.store(builder.add(index, const(1)), counter)


def _accumulate(op):
    def impl(context, builder, sig, args):
        aryty = sig.recvr or sig.args[0]
        out_ty = sig.return_type
        ary = make_array(context, builder, aryty, args[0])
        identity = context.get_constant(out_ty, 0 if op is operator.add else 1)
        acc = cgutils.alloca_once_value(builder, identity)
        op_sig = context.typing_context.resolve_key(op, (out_ty, out_ty), {})
        combine = context.get_function(types.Function(op), op_sig)

        def fold(b, total, value):
            return context.cast(b, combine(b, [total, value]), op_sig.return_type, out_ty)

        def body(value, index):
            value = context.cast(builder, value, aryty.dtype, out_ty)
            builder.store(fold(builder, builder.load(acc), value), acc)
        if context.flags.parallel:  # parallel=True: large contiguous arrays on the threads
            with builder.if_else(_large_and_flat(builder, aryty, ary)) as (threads, here):
                with threads:
                    builder.store(_partials_on_threads(context, builder, (aryty, ary), out_ty,
                                                       identity, fold), acc)
                with here:
                    for_each_element(context, builder, aryty, ary, body)
        else:
            for_each_element(context, builder, aryty, ary, body)
        return builder.load(acc)
    return impl


def _large_and_flat(builder, aryty, ary):
    return builder.and_(is_contiguous_same(builder, [(aryty, ary)]),
                        builder.icmp_signed(">=", ary.nitems, const(PARALLEL_MIN_ITEMS)))


def _partials_on_threads(context, builder, array, out_ty, identity, fold):
    """fold over the items of a contiguous array: one partial result per thread's share,
    then the partial results folded in thread order."""
    aryty, ary = array

    def share(b, env, lo, hi):
        total = cgutils.alloca_once_value(b, identity)
        with cgutils.for_range(b, hi, start=lo) as loop:
            value = load_item(context, b, aryty, b.gep(env[0], [loop.index]))
            b.store(fold(b, b.load(total), context.cast(b, value, aryty.dtype, out_ty)), total)
        return b.load(total)
    return run_range(context, builder, ary.nitems, [ary.data], share, out_ty, fold,
                     what="whole-array reduction")


def _require_items(context, builder, ary, name):
    message = f"attempt to get {name} of an empty sequence" if name.startswith("arg") else \
        f"zero-size array to reduction operation {name} which has no identity"  # NumPy's
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, ary.nitems)):
        context.call_conv.return_user_exc(builder, ValueError, (message,))


def _extreme(is_min, want_index):
    """min/max (NaN propagates) or argmin/argmax (first extreme; first NaN wins)."""
    def impl(context, builder, sig, args):
        aryty = sig.recvr or sig.args[0]
        ary = make_array(context, builder, aryty, args[0])
        _require_items(context, builder, ary, ("argmin" if want_index else "minimum") if is_min
                       else ("argmax" if want_index else "maximum"))
        first = load_item(context, builder, aryty, ary.data)
        if not want_index and context.flags.parallel:  # large contiguous arrays on the threads
            result = cgutils.alloca_once(builder, first.type)
            with builder.if_else(_large_and_flat(builder, aryty, ary)) as (threads, here):
                with threads:
                    builder.store(_extreme_on_threads(context, builder, aryty, ary, is_min),
                                  result)
                with here:
                    builder.store(_extreme_value(context, builder, aryty, ary, first, is_min),
                                  result)
            return builder.load(result)
        if not want_index:
            return _extreme_value(context, builder, aryty, ary, first, is_min)
        if context.flags.parallel:
            result = cgutils.alloca_once(builder, cgutils.intp_t)
            with builder.if_else(_large_and_flat(builder, aryty, ary)) as (threads, here):
                with threads:
                    builder.store(_extreme_index_on_threads(context, builder, aryty, ary,
                                                            is_min), result)
                with here:
                    builder.store(_extreme_index(context, builder, aryty, ary, first, is_min,
                                                 const(0))[1], result)
            return builder.load(result)
        return _extreme_index(context, builder, aryty, ary, first, is_min, const(0))[1]
    return impl


def _extreme_index(context, builder, aryty, ary, first, is_min, first_index, each=None):
    """(value, index) of the first extreme item (the first NaN wins over everything)."""
    best = cgutils.alloca_once_value(builder, first)
    best_index = cgutils.alloca_once_value(builder, first_index)

    def body(value, index):
        current = builder.load(best)
        better = _better(builder, value, current, is_min, aryty.dtype)
        if isinstance(aryty.dtype, types.Float):  # the first NaN wins
            value_nan = builder.fcmp_unordered("uno", value, value)
            current_nan = builder.fcmp_unordered("uno", current, current)
            better = builder.or_(better, builder.and_(value_nan, builder.not_(current_nan)))
        with builder.if_then(better):
            builder.store(value, best)
            builder.store(index, best_index)
    if each is None:
        for_each_element(context, builder, aryty, ary, body)
    else:  # (a share of the items: `each` walks it)
        each(body)
    return builder.load(best), builder.load(best_index)


def _extreme_index_on_threads(context, builder, aryty, ary, is_min):
    """argmin/argmax of each thread's share as (value, index), combined in thread order with
    the serial loop's rules: the first NaN wins, of equal values the earlier."""
    pair_ty = types.Tuple((aryty.dtype, types.intp))
    share = _share_of_items(context, aryty, lambda b, first, lo, each: context.make_tuple(
        b, pair_ty, _extreme_index(context, b, aryty, None, first, is_min, lo, each)))

    def combine(b, earlier, later):
        first, second = b.extract_value(earlier, 0), b.extract_value(later, 0)
        take_later = _better(b, second, first, is_min, aryty.dtype)
        if isinstance(aryty.dtype, types.Float):
            first_nan = b.fcmp_unordered("uno", first, first)
            second_nan = b.fcmp_unordered("uno", second, second)
            take_later = b.and_(b.not_(first_nan), b.or_(take_later, second_nan))
        return b.select(take_later, later, earlier)
    pair = run_range(context, builder, ary.nitems, [ary.data], share, pair_ty, combine,
                     what="whole-array reduction")
    return builder.extract_value(pair, 1)


def _extreme_value(context, builder, aryty, ary, first, is_min, each=None):
    """min/max as `best = best < v ? best : v` (one minsd/maxsd per element: the loop runs at
    that instruction's latency; of equal values the last wins, as in NumPy: min(0., -0.) is
    -0.) and, apart from that chain, the last NaN seen, which wins over everything."""
    best = cgutils.alloca_once_value(builder, first)
    is_float = isinstance(aryty.dtype, types.Float)
    nan = cgutils.alloca_once_value(builder, ir.Constant(first.type, 0.0)) if is_float else None

    def body(value, index):
        current = builder.load(best)
        keep = _better(builder, current, value, is_min, aryty.dtype)
        builder.store(builder.select(keep, current, value), best)
        if is_float:
            value_nan = builder.fcmp_unordered("uno", value, value)
            builder.store(builder.select(value_nan, value, builder.load(nan)), nan)
    if each is None:
        for_each_element(context, builder, aryty, ary, body)
    else:  # (a share of the items: `each` walks it)
        each(body)
    if not is_float:
        return builder.load(best)
    found = builder.load(nan)
    return builder.select(builder.fcmp_unordered("uno", found, found), found, builder.load(best))


def _extreme_on_threads(context, builder, aryty, ary, is_min):
    """min/max of each thread's share (none is empty: 16384 items or more), combined in
    thread order with the serial loop's rules: a NaN wins (the last one), of equal values
    the later."""
    is_float = isinstance(aryty.dtype, types.Float)
    share = _share_of_items(context, aryty, lambda b, first, lo, each: _extreme_value(
        context, b, aryty, None, first, is_min, each))

    def combine(b, earlier, later):
        keep = _better(b, earlier, later, is_min, aryty.dtype)
        best = b.select(keep, earlier, later)
        if not is_float:
            return best
        best = b.select(b.fcmp_unordered("uno", earlier, earlier), earlier, best)
        return b.select(b.fcmp_unordered("uno", later, later), later, best)
    return run_range(context, builder, ary.nitems, [ary.data], share, aryty.dtype, combine,
                     what="whole-array reduction")


def _share_of_items(context, aryty, reduce):
    """A thread's share function for run_range over a flat array's items (env[0] is the
    data pointer): `reduce(builder, first item, lo, each)`, where `each(body)` calls
    `body(item, index)` for every item of [lo, hi)."""
    def share(b, env, lo, hi):
        def each(body):
            with cgutils.for_range(b, hi, start=lo) as loop:
                body(load_item(context, b, aryty, b.gep(env[0], [loop.index])), loop.index)
        return reduce(b, load_item(context, b, aryty, b.gep(env[0], [lo])), lo, each)
    return share


def _better(builder, value, current, is_min, dtype):
    symbol = "<" if is_min else ">"
    if isinstance(dtype, types.Float):
        return builder.fcmp_ordered(symbol, value, current)
    if isinstance(dtype, types.Integer) and dtype.signed:
        return builder.icmp_signed(symbol, value, current)
    return builder.icmp_unsigned(symbol, value, current)


def _mean(context, builder, sig, args):
    """NumPy's order: sum in the array's float/complex dtype (float64 for integers and
    booleans), divide by the count in double precision, then cast to the result dtype. The
    division is IEEE's (an empty array's mean is NaN, as NumPy's), not Python's."""
    aryty = sig.recvr or sig.args[0]
    total_ty = aryty.dtype if isinstance(aryty.dtype, (types.Float, types.Complex)) else types.float64
    total = _accumulate(operator.add)(context, builder, types.signature(total_ty, aryty), args)
    wide_ty = types.complex128 if isinstance(total_ty, types.Complex) else types.float64
    count = context.cast(builder, make_array(context, builder, aryty, args[0]).nitems,
                         types.intp, types.float64)
    wide = context.cast(builder, total, total_ty, wide_ty)
    if isinstance(wide_ty, types.Complex):  # a (real, imag) struct
        quotient = wide
        for i in (0, 1):
            part = builder.fdiv(builder.extract_value(wide, i), count)
            quotient = builder.insert_value(quotient, part, i)
    else:
        quotient = builder.fdiv(wide, count)
    return context.cast(builder, quotient, wide_ty, sig.return_type)


IMPLS = {"sum": _accumulate(operator.add), "prod": _accumulate(operator.mul),
         "min": _extreme(True, False), "max": _extreme(False, False), "mean": _mean,
         "argmin": _extreme(True, True), "argmax": _extreme(False, True)}
for _name, _impl in IMPLS.items():
    lower_builtin(REDUCTIONS[_name], types.Array)(_impl)
    lower_builtin(f"array.{_name}", types.Array)(_impl)


# -- dot, vdot and `@` of 1-D arrays --------------------------------------------------------------
# Real and complex floats are summed with `reassoc` (NumPy's BLAS reorders the sum too), so LLVM
# vectorises the contiguous loop with several accumulators and no fast-math elsewhere; `contract`
# lets it fuse the products into FMAs, as BLAS does. Integers and booleans use the generic
# arithmetic, which LLVM vectorises as it is. Long float32/float64 products (positive steps) call
# SciPy's BLAS when it is installed, as Numba does: its threads win where one core is bound by
# memory bandwidth; the generated loop is as fast or faster below that.
FLAGS = ("reassoc", "contract")
#: the messages for operands of different lengths (n, m): Numba's wording, with the lengths
MISMATCH = {
    "dot": ("np.dot(): incompatible array sizes: shapes (%zd,) and (%zd,) not aligned", (0, 1)),
    "matmul": ("'@': incompatible array sizes: shapes (%zd,) and (%zd,) not aligned", (0, 1)),
    "vdot": ("np.vdot(): incompatible array sizes: %zd and %zd items", (0, 1)),
}
#: how Numba's messages name each product
DOT_NAMES = {np.dot: "np.dot()", np.vdot: "np.vdot()", operator.matmul: "'@'"}
#: from this length on (OpenBLAS's threading threshold) a BLAS routine does the product
BLAS_MIN_LENGTH = 16384
I32_MAX = 2 ** 31 - 1
#: dtype -> (SciPy cython_blas routine, slot holding its address; NULL until loaded)
BLAS_SLOTS = {"float64": ("ddot", ctypes.c_void_p(None)), "float32": ("sdot", ctypes.c_void_p(None))}
for _dtype, (_routine, _slot) in BLAS_SLOTS.items():
    # importing this module binds the slot again in a process loading cached code
    add_symbol(f"jb.blas.{_routine}.slot", ctypes.addressof(_slot))
_blas_state = {"tried": False}


def _load_blas() -> None:
    """Fill the BLAS slots from SciPy, once per process, at the first compiled float dot (never
    at import: SciPy's linear algebra takes 0.15 s to import); absent SciPy they stay NULL."""
    if _blas_state["tried"]:
        return
    _blas_state["tried"] = True
    try:
        from scipy.linalg import cython_blas
    except ImportError:
        return
    for routine, slot in BLAS_SLOTS.values():
        slot.value = capsule_address(cython_blas.__pyx_capi__[routine])


class DotTemplate(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) != 2 or kws or not all(isinstance(a, types.Array) and a.ndim == 1 for a in args):
            return None
        dtypes = [as_dtype(a.dtype) for a in args]  # NumPy's promotion, mixed precisions too
        return types.signature(from_dtype(np.result_type(*dtypes)), *args)


for _func, _product_name in DOT_NAMES.items():
    register(type(f"Np_{_func.__name__}", (DotTemplate,),
                  {"key": _func, "product_name": _product_name}))
register_global(np.dot, types.Function(np.dot))
register_global(np.vdot, types.Function(np.vdot))


def _check_lengths(context, builder, name, n, m):
    """NumPy's ValueError, with both lengths in the message (set holding the GIL)."""
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", n, m)):
        fmt, order = MISMATCH[name]
        PythonAPI(context, builder).raise_formatted("PyExc_ValueError", fmt,
                                                    *((n, m)[i] for i in order))


def _unit_strides(builder, arrays, aryties):
    """Whether every operand's elements are adjacent (known for C/F layouts, else tested)."""
    unit = cgutils.true_bit
    for ary, aryty in zip(arrays, aryties):
        if aryty.layout not in ("C", "F"):
            stride = builder.extract_value(ary.strides, 0)
            itemsize = const(as_dtype(aryty.dtype).itemsize)
            unit = builder.and_(unit, builder.icmp_signed("==", stride, itemsize))
    return unit


def _float_parts(builder, value, is_complex):
    return [builder.extract_value(value, i) for i in range(2)] if is_complex else [value]


def _float_terms(builder, x, y, conjugate):
    """The products added to each accumulator: [x*y], or the real and imaginary parts."""
    if len(x) == 1:
        return [builder.fmul(x[0], y[0], flags=FLAGS)]
    (xr, xi), (yr, yi) = x, y
    if conjugate:  # conj(x) * y: negating is exact, so the same two sums serve
        xi = builder.fneg(xi)
    return [builder.fsub(builder.fmul(xr, yr, flags=FLAGS), builder.fmul(xi, yi, flags=FLAGS),
                         flags=FLAGS),
            builder.fadd(builder.fmul(xr, yi, flags=FLAGS), builder.fmul(xi, yr, flags=FLAGS),
                         flags=FLAGS)]


class _FloatSum:
    """Accumulators of a real or complex float dot product."""

    def __init__(self, context, builder, out_ty, conjugate):
        self.context, self.builder, self.out_ty = context, builder, out_ty
        self.is_complex = isinstance(out_ty, types.Complex)
        self.conjugate = conjugate
        part_ty = out_ty.underlying_float if self.is_complex else out_ty
        zero = context.get_constant(part_ty, 0.0)
        self.slots = [cgutils.alloca_once_value(builder, zero) for _ in range(1 + self.is_complex)]

    def add(self, x, y):
        builder = self.builder
        terms = _float_terms(builder, _float_parts(builder, x, self.is_complex),
                             _float_parts(builder, y, self.is_complex), self.conjugate)
        for slot, term in zip(self.slots, terms):
            builder.store(builder.fadd(builder.load(slot), term, flags=FLAGS), slot)

    def add_total(self, total):
        """Add a real sum computed elsewhere (BLAS)."""
        slot = self.slots[0]
        self.builder.store(self.builder.fadd(self.builder.load(slot), total), slot)

    def result(self):
        parts = [self.builder.load(slot) for slot in self.slots]
        if not self.is_complex:
            return parts[0]
        value = ir.Constant(self.context.get_value_type(self.out_ty), ir.Undefined)
        for i, part in enumerate(parts):
            value = self.builder.insert_value(value, part, i)
        return value


class _GenericSum:
    """Integer and boolean dot products, through the operators' own implementations."""

    def __init__(self, context, builder, out_ty, conjugate):
        self.context, self.builder, self.out_ty = context, builder, out_ty
        self.op_sig = context.typing_context.resolve_key(operator.mul, (out_ty, out_ty), {})
        self.mul = context.get_function(types.Function(operator.mul), self.op_sig)
        self.plus = context.get_function(types.Function(operator.add), self.op_sig)
        self.slot = cgutils.alloca_once_value(builder, context.get_constant(out_ty, 0))

    def add(self, x, y):
        builder, op_ty = self.builder, self.op_sig.args[0]
        x, y = (self.context.cast(builder, v, self.out_ty, op_ty) for v in (x, y))
        total = self.plus(builder, [self.context.cast(builder, builder.load(self.slot), self.out_ty,
                                                      op_ty), self.mul(builder, [x, y])])
        builder.store(self.context.cast(builder, total, self.op_sig.return_type, self.out_ty),
                      self.slot)

    def result(self):
        return self.builder.load(self.slot)


def _sum_products(context, builder, sig, arrays, acc, strides):
    """acc.add(a[i], b[i]) for each i; `strides`: byte strides, or None for adjacent items."""
    n = builder.extract_value(arrays[0].shape, 0)
    with cgutils.for_range(builder, n) as loop:
        items = []
        for k, (ary, aryty) in enumerate(zip(arrays, sig.args)):
            ptr = (builder.gep(ary.data, [loop.index]) if strides is None else
                   element_pointer(builder, ary, [loop.index], [strides[k]]))
            items.append(context.cast(builder, load_item(context, builder, aryty, ptr),
                                      aryty.dtype, sig.return_type))
        acc.add(*items)


def _blas_routine(sig):
    """The BLAS routine for these operands, or None (mixed dtypes, not float32/64)."""
    dtypes = {str(t) for t in (*(a.dtype for a in sig.args), sig.return_type)}
    if len(dtypes) != 1 or dtypes.pop() not in BLAS_SLOTS:
        return None
    _load_blas()
    return BLAS_SLOTS[str(sig.return_type)][0]


def _sum_maybe_blas(context, builder, sig, arrays, acc, strides):
    """Long float32/float64 products go to BLAS (when loaded), the rest to the generated loop;
    `strides`: byte strides, or None for adjacent items."""
    routine = _blas_routine(sig)
    if routine is None:
        _sum_products(context, builder, sig, arrays, acc, strides)
        return
    slot = builder.load(_blas_slot(builder, routine))
    n = builder.extract_value(arrays[0].shape, 0)
    steps, fits = _blas_steps(builder, sig, strides)
    use_blas = builder.and_(builder.icmp_signed(">=", n, const(BLAS_MIN_LENGTH)), builder.and_(
        builder.icmp_signed("<=", n, const(I32_MAX)), cgutils.is_not_null(builder, slot)))
    with builder.if_else(builder.and_(use_blas, fits), likely=False) as (blas, generated):
        with blas:
            acc.add_total(_call_blas(context, builder, sig, slot, arrays, [n, *steps]))
        with generated:
            _sum_products(context, builder, sig, arrays, acc, strides)


def _blas_steps(builder, sig, strides):
    """Element steps for BLAS, and whether they are positive whole 32-bit steps (BLAS reads
    negative steps from the other end)."""
    if strides is None:
        return [const(1), const(1)], cgutils.true_bit
    itemsize = const(as_dtype(sig.return_type).itemsize)
    steps = [builder.sdiv(stride, itemsize) for stride in strides]
    fits = cgutils.true_bit
    for stride, step in zip(strides, steps):
        whole = builder.icmp_signed("==", builder.srem(stride, itemsize), const(0))
        in_range = builder.and_(builder.icmp_signed(">", step, const(0)),
                                builder.icmp_signed("<=", step, const(I32_MAX)))
        fits = builder.and_(fits, builder.and_(whole, in_range))
    return steps, fits


def _blas_slot(builder, routine):
    name = f"jb.blas.{routine}.slot"
    module = builder.module
    slot = module.globals.get(name)
    if slot is None:
        slot = ir.GlobalVariable(module, cgutils.voidptr_t, name)
        slot.linkage = "external"
    return slot


def _call_blas(context, builder, sig, slot, arrays, counts):
    """routine(&n, x, &incx, y, &incy): SciPy's Fortran-style signature, 32-bit integers."""
    i32 = ir.IntType(32)
    n, incx, incy = (cgutils.alloca_once_value(builder, builder.trunc(c, i32)) for c in counts)
    data = [a.data for a in arrays]
    fnty = ir.FunctionType(context.get_value_type(sig.return_type),
                           [n.type, data[0].type, incx.type, data[1].type, incy.type])
    return builder.call(builder.bitcast(slot, fnty.as_pointer()), [n, data[0], incx, data[1], incy])


def _dot(name):
    def impl(context, builder, sig, args):
        arrays = [make_array(context, builder, t, v) for t, v in zip(sig.args, args)]
        _check_lengths(context, builder, name, *(builder.extract_value(a.shape, 0) for a in arrays))
        kind = _FloatSum if isinstance(sig.return_type, (types.Float, types.Complex)) else _GenericSum
        acc = kind(context, builder, sig.return_type, name == "vdot")
        with builder.if_else(_unit_strides(builder, arrays, sig.args), likely=True) as (flat, strided):
            with flat:
                _sum_maybe_blas(context, builder, sig, arrays, acc, None)
            with strided:
                strides = [builder.extract_value(a.strides, 0) for a in arrays]
                _sum_maybe_blas(context, builder, sig, arrays, acc, strides)
        return acc.result()
    return impl


for _name, _func in (("dot", np.dot), ("vdot", np.vdot), ("matmul", operator.matmul)):
    lower_builtin(_func, types.Array, types.Array)(_dot(_name))
