"""The builtins over iterables: map(), filter(), reversed() (native iterators, lazy as in
CPython), sum(), min() and max() of iterables, functools.reduce() and literal_unroll()."""
from __future__ import annotations

import contextlib
import functools
import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..errors import TypingError
from ..extending import intrinsic, overload
from ..ir.markers import literal_unroll
from ..typing.unify import number_result
from ..lowering.registry import VarArg
from ._registries import AbstractTemplate, lower_builtin, register, register_global
from .iterators import ZipType, call_iter, call_iternext, resolve_iter

i64 = cgutils.int64_t


def _apply(f, items):
    return f(*items)


def _keep(f, item):
    return bool(f(item))


def _truth(item):
    return bool(item)


def _length(source):
    return len(source)


def _item(source, index):
    return source[index]


# -- types -----------------------------------------------------------------------------------------

class MapType(types.Type):
    """`map(f, x, ...)`: f applied to the items drawn together from each iterable."""

    def __init__(self, func_type, zip_type, yield_type):
        self.func_type, self.zip_type, self.yield_type = func_type, zip_type, yield_type
        self.borrows_frame = getattr(func_type, "borrows_frame", False)
        super().__init__(f"map({func_type}, {', '.join(map(str, zip_type.iterator_types))})")

    @property
    def key(self):
        return self.func_type, self.zip_type


class FilterType(types.Type):
    """`filter(f, x)`: the items of x for which f(item) (or the item itself, f None) is true."""

    def __init__(self, func_type, iterator_type):
        self.func_type, self.iterator_type = func_type, iterator_type
        self.yield_type = iterator_type.yield_type
        self.borrows_frame = getattr(func_type, "borrows_frame", False)
        super().__init__(f"filter({func_type}, {iterator_type})")

    @property
    def key(self):
        return self.func_type, self.iterator_type


class ReversedType(types.Type):
    """`reversed(seq)`: seq's items by descending index (as CPython: it stops early when the
    sequence shrinks under it)."""

    def __init__(self, source_type, yield_type):
        self.source_type, self.yield_type = source_type, yield_type
        super().__init__(f"reversed({source_type})")

    @property
    def key(self):
        return self.source_type


@register_model(MapType)
class MapModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("func", fe_type.func_type),
                                        ("zipped", fe_type.zip_type)])


@register_model(FilterType)
class FilterModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("func", fe_type.func_type),
                                        ("iterator", fe_type.iterator_type)])


@register_model(ReversedType)
class ReversedModel(models.StructModel):
    """The position lives behind a pointer so every copy of the iterator advances it."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("index", types.CPointer(types.intp)),
                                        ("source", fe_type.source_type)])


for _builtin in (map, filter, reversed):
    register_global(_builtin, types.Function(_builtin))


# -- typing ----------------------------------------------------------------------------------------

def _resolve(context, fnty, args):
    return context.resolve_function_type(fnty, tuple(args), {})


class Map(AbstractTemplate):
    key = map

    def generic(self, args, kws):
        if kws or len(args) < 2:
            return None
        iterators = [resolve_iter(self.context, a) for a in args[1:]]
        if any(it is None for it in iterators):
            return None
        zipped = ZipType(iterators)
        sig = _resolve(self.context, args[0], zipped.yield_type.types)
        if sig is None:
            return None
        return types.signature(MapType(args[0], zipped, sig.return_type), *args)


class Filter(AbstractTemplate):
    key = filter

    def generic(self, args, kws):
        if kws or len(args) != 2:
            return None
        func, source = args
        itty = resolve_iter(self.context, source)
        if itty is None:
            return None
        value = itty.yield_type
        if not isinstance(func, types.NoneType):
            sig = _resolve(self.context, func, (value,))
            value = None if sig is None else sig.return_type
        if value is None or _resolve(self.context, types.Function(bool), (value,)) is None:
            return None
        return types.signature(FilterType(func, itty), *args)


class Reversed(AbstractTemplate):
    key = reversed

    def generic(self, args, kws):
        if kws or len(args) != 1:
            return None
        (source,) = args
        if isinstance(source, types.RangeType):
            return types.signature(types.RangeIteratorType(source.dtype), source)
        if isinstance(source, types.Array) and source.ndim != 1 or \
                isinstance(source, types.DictType):  # (a dict's keys: overload below)
            return None
        if _resolve(self.context, types.Function(len), (source,)) is None:
            return None
        item = _resolve(self.context, types.Function(operator.getitem), (source, types.intp))
        if item is None:
            return None
        return types.signature(ReversedType(source, item.return_type), source)


@overload(reversed)
def reversed_dict(source):
    """A dict's keys, last inserted first (a snapshot: CPython raises if the dict changes)."""
    if isinstance(source, types.DictType):
        return lambda source: iter(list(source)[::-1])
    return None


class IterOfIterator(AbstractTemplate):
    """iter() of these iterators is the iterator itself."""
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], (MapType, FilterType, ReversedType)):
            return types.signature(args[0], args[0])
        return None


for _template in (Map, Filter, Reversed, IterOfIterator):
    register(_template)


# -- lowering --------------------------------------------------------------------------------------

def _iterator_itself(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]


for _cls in (MapType, FilterType, ReversedType):
    lower_builtin(iter, _cls)(_iterator_itself)


@lower_builtin(map, types.Any, VarArg(types.Any))
def map_impl(context, builder, sig, args):
    mapty = sig.return_type
    zipty = mapty.zip_type
    it = context.make_helper(builder, mapty)
    it.func = args[0]
    context.incref(builder, sig.args[0], args[0])
    it.zipped = context.make_tuple(builder, zipty, [
        call_iter(context, builder, itty, ty, arg)
        for itty, ty, arg in zip(zipty.iterator_types, sig.args[1:], args[1:])])
    return it._getvalue()


@lower_builtin("iternext", MapType)
def map_iternext_impl(context, builder, sig, args):
    mapty = sig.args[0]
    it = context.make_helper(builder, mapty, value=args[0])
    items, valid = call_iternext(context, builder, mapty.zip_type, it.zipped)
    out = cgutils.alloca_once(builder, context.get_value_type(mapty.yield_type), zfill=True)
    with builder.if_then(valid, likely=True):
        call = types.signature(mapty.yield_type, mapty.func_type, mapty.zip_type.yield_type)
        with _released_on_failure(context, builder, mapty.zip_type.yield_type, items):
            result = context.compile_internal(builder, _apply, call, [it.func, items])
        builder.store(result, out)
        context.decref(builder, mapty.zip_type.yield_type, items)
    return context.make_tuple(builder, sig.return_type, [builder.load(out), valid])


@contextlib.contextmanager
def _released_on_failure(context, builder, ty, value):
    """Code emitted inside owns a reference to `value` (a drawn item) that a failing call
    would otherwise leak: its failures release it, then pass the status on."""
    call_conv, function = context.call_conv, builder.function
    failure = function.append_basic_block("release_on_failure")
    status = cgutils.alloca_once(builder, ir.IntType(32))
    call_conv.set_exit(function, failure, status)
    try:
        yield
    finally:
        failed = call_conv.pop_exit(function)
    with builder.goto_block(failure):
        if failed:
            context.decref(builder, ty, value)
            call_conv.return_status_propagate(builder, builder.load(status))
        else:
            builder.unreachable()


@lower_builtin(filter, types.Any, types.Any)
def filter_impl(context, builder, sig, args):
    filterty = sig.return_type
    it = context.make_helper(builder, filterty)
    it.func = args[0]
    context.incref(builder, sig.args[0], args[0])
    it.iterator = call_iter(context, builder, filterty.iterator_type, sig.args[1], args[1])
    return it._getvalue()


def _kept(context, builder, filterty, func, item):
    """Whether `filter` yields `item` (an i1)."""
    if isinstance(filterty.func_type, types.NoneType):
        call = types.signature(types.boolean, filterty.yield_type)
        return context.compile_internal(builder, _truth, call, [item])
    call = types.signature(types.boolean, filterty.func_type, filterty.yield_type)
    return context.compile_internal(builder, _keep, call, [func, item])


@lower_builtin("iternext", FilterType)
def filter_iternext_impl(context, builder, sig, args):
    """Draw until an item passes (it is yielded) or the source runs out; rejected items are
    released."""
    filterty = sig.args[0]
    it = context.make_helper(builder, filterty, value=args[0])
    out = cgutils.alloca_once(builder, context.get_value_type(filterty.yield_type), zfill=True)
    found = cgutils.alloca_once(builder, cgutils.bool_t)
    loop, test, reject, done = (builder.append_basic_block(f"filter.{n}")
                                for n in ("next", "test", "reject", "done"))
    builder.branch(loop)
    builder.position_at_end(loop)
    item, valid = call_iternext(context, builder, filterty.iterator_type, it.iterator)
    builder.store(valid, found)
    builder.cbranch(valid, test, done)
    builder.position_at_end(test)
    builder.store(item, out)
    with _released_on_failure(context, builder, filterty.yield_type, item):
        kept = _kept(context, builder, filterty, it.func, item)
    builder.cbranch(kept, done, reject)
    builder.position_at_end(reject)
    context.decref(builder, filterty.yield_type, item)
    builder.branch(loop)
    builder.position_at_end(done)
    return context.make_tuple(builder, sig.return_type, [builder.load(out), builder.load(found)])


def _call_length(context, builder, source_ty, source):
    return context.compile_internal(builder, _length, types.intp(source_ty), [source])


@lower_builtin(reversed, types.RangeType)
def reversed_range_impl(context, builder, sig, args):
    """range(start + (n - 1) * step, start - step, -step): the items of the range backwards."""
    start, stop, step = cgutils.unpack_tuple(builder, args[0], 3)
    count = _call_length(context, builder, sig.args[0], args[0])
    last = builder.add(start, builder.mul(builder.sub(count, ir.Constant(i64, 1)), step))
    current = cgutils.alloca_once_value(builder, last, name="range.current")
    return cgutils.pack_struct(builder, [current, last, builder.sub(start, step),
                                         builder.neg(step)])


@lower_builtin(reversed, types.Any)
def reversed_impl(context, builder, sig, args):
    it = context.make_helper(builder, sig.return_type)
    count = _call_length(context, builder, sig.args[0], args[0])
    it.index = cgutils.alloca_once_value(builder, builder.sub(count, ir.Constant(i64, 1)))
    it.source = args[0]
    context.incref(builder, sig.args[0], args[0])
    return it._getvalue()


@lower_builtin("iternext", ReversedType)
def reversed_iternext_impl(context, builder, sig, args):
    revty = sig.args[0]
    it = context.make_helper(builder, revty, value=args[0])
    index = builder.load(it.index)
    count = _call_length(context, builder, revty.source_type, it.source)
    valid = builder.and_(builder.icmp_signed(">=", index, ir.Constant(i64, 0)),
                         builder.icmp_signed("<", index, count))
    out = cgutils.alloca_once(builder, context.get_value_type(revty.yield_type), zfill=True)
    with builder.if_then(valid, likely=True):
        call = types.signature(revty.yield_type, revty.source_type, types.intp)
        builder.store(context.compile_internal(builder, _item, call, [it.source, index]), out)
        builder.store(builder.sub(index, ir.Constant(i64, 1)), it.index)
    with builder.if_then(builder.not_(valid)):
        builder.store(ir.Constant(i64, -1), it.index)  # exhausted for good, as CPython
    return context.make_tuple(builder, sig.return_type, [builder.load(out), valid])


# -- sum -------------------------------------------------------------------------------------------

@overload(sum)
def sum_impl(iterable, start=0):
    if isinstance(start, (types.UnicodeType, types.StringLiteral)):
        raise TypingError("sum() can't sum strings [use ''.join(seq) instead]")
    if isinstance(start, types.Bytes):
        raise TypingError("sum() can't sum bytes [use b''.join(seq) instead]")
    if isinstance(start, types.ByteArray):
        raise TypingError("sum() can't sum bytearray [use b''.join(seq) instead]")
    if _not_iterable(iterable) or isinstance(iterable, (types.UnicodeType, types.StringLiteral)):
        return None
    if _mixed_numbers(iterable):
        return lambda iterable, start=0: sum(as_unituple(iterable), start)

    def impl(iterable, start=0):
        total = start
        for item in iterable:
            total = total + item
        return total
    return impl


# -- min, max and sum over iterables ---------------------------------------------------------------

def _mixed_numbers(ty) -> bool:
    """A tuple of numbers of different types (iterated once made one type: `as_unituple`)."""
    return isinstance(ty, types.Tuple) and not isinstance(ty, types.UniTuple) and len(ty) > 0 \
        and all(isinstance(t, (types.Number, types.Boolean)) for t in ty.types)


@intrinsic
def as_unituple(typingctx, tup):
    """The numbers of a heterogeneous tuple converted to their common type."""
    if not _mixed_numbers(tup):
        return None
    common = functools.reduce(number_result, map(types.unliteral, tup.types))
    if common is None:
        return None
    result = types.UniTuple(common, len(tup))

    def codegen(context, builder, sig, args):
        return context.make_tuple(builder, result, [
            context.cast(builder, builder.extract_value(args[0], i), t, common)
            for i, t in enumerate(sig.args[0].types)])
    return result(tup), codegen


def _not_iterable(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Number, types.Boolean, types.NoneType))


def _extreme_of(func, name: str, better):
    """min/max of one iterable: the first extreme item (a later one replaces it only when
    strictly better, as CPython, so NaNs stay where Python keeps them)."""
    @overload(func)
    def typer(iterable, *others):
        if others:  # min(a, b, ...): numbers in the builtin template, others compared here
            return _extreme_of_values(func, iterable, others)
        if isinstance(iterable, types.BaseTuple) and len(iterable) == 0:
            raise TypingError(f"{name}() argument is an empty tuple")
        if _not_iterable(iterable) or _number_tuple(iterable):
            return None  # numbers: the builtin template; tuples of numbers: unrolled there
        if _mixed_numbers(iterable):
            return lambda iterable: func(as_unituple(iterable))

        def impl(iterable):
            started = False
            result = None
            for item in iterable:
                if not started or better(item, result):
                    result = item
                    started = True
            if not started:
                raise ValueError(f"{name}() arg is an empty sequence")
            return result
        return impl


def _number_tuple(ty) -> bool:
    return isinstance(ty, types.UniTuple) and isinstance(ty.dtype, (types.Number, types.Boolean))


def _extreme_of_values(func, first, others):
    """min(a, b, ...) of values of one non-number type (strings, tuples): as over a tuple."""
    kinds = {types.unliteral(a) for a in (first, *others)}
    if len(kinds) != 1 or _not_iterable(first):
        return None

    def impl(first, *others):
        return func((first,) + others)
    return impl


_extreme_of(min, "min", operator.lt)
_extreme_of(max, "max", operator.gt)


# -- functools.reduce ------------------------------------------------------------------------------

@overload(functools.reduce)
def reduce_impl(function, iterable, initial=None):
    if _not_iterable(iterable):
        return None
    if initial is None or isinstance(initial, (types.Omitted, types.NoneType)):
        def impl(function, iterable, initial=None):
            started = False
            result = None
            for item in iterable:
                result = function(result, item) if started else item
                started = True
            if not started:
                raise TypeError("reduce() of empty iterable with no initial value")
            return result
        return impl

    def impl_initial(function, iterable, initial=None):
        result = initial
        for item in iterable:
            result = function(result, item)
        return result
    return impl_initial


# -- literal_unroll outside a for statement (frontend/unroll.py unrolls the loops) -----------------

register_global(literal_unroll, types.Function(literal_unroll))


class LiteralUnroll(AbstractTemplate):
    """literal_unroll(x) is x itself (its loops are unrolled by the frontend)."""
    key = literal_unroll

    def generic(self, args, kws):
        return types.signature(args[0], args[0]) if len(args) == 1 and not kws else None


register(LiteralUnroll)


@lower_builtin(literal_unroll, types.Any)
def literal_unroll_impl(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]
