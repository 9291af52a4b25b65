"""Array-like extension types (Numba's ArrayCompatible protocol): a type that is not an Array
but stands for one (`types.Buffer` subclasses, `types.ArrayCompatible`) and whose lowering
registers `'__array__'` (a pointer to the value -> a pointer to the array inside it) works
where arrays do for `len()`, indexing and ufuncs. Array results come back as the extension's
own type: through its `'__array_wrap__'` (typed with `type_callable('__array_wrap__')`,
lowered with `lower_builtin('__array_wrap__', T, Array)`) for ufuncs, and, for a Buffer
subclass's slices, as `T.copy(ndim=, layout=)` built around the view (as in Numba)."""
from __future__ import annotations

import operator

from ... import types
from ...core import cgutils
from ...lowering.registry import registry as lowering_registry
from .._registries import AbstractTemplate, register
from .ufuncs import ALL_UFUNCS

ARRAY, WRAP = "__array__", "__array_wrap__"


def array_like(ty) -> bool:
    """Whether `ty` stands for an array through the `__array__` protocol."""
    return isinstance(ty, types.ArrayCompatible) and not isinstance(ty, types.Array) and \
        lowering_registry.find_function(ARRAY, (ty,)) is not None


def unwrap(context, builder, ty, value):
    """The array inside `value` (borrowed: `value` keeps owning it)."""
    outer = cgutils.alloca_once_value(builder, value)
    return builder.load(_inner_pointer(context, builder, ty, outer))


def _inner_pointer(context, builder, ty, outer):
    """`__array__` is called with a pointer to the value and returns one to its array."""
    sig = types.signature(types.CPointer(ty.as_array), ty)
    return context.get_function(ARRAY, sig)(builder, [outer])


def wrap_buffer(context, builder, ty, array):
    """A value of the Buffer subclass `ty` holding `array` (whose reference it takes over)."""
    outer = cgutils.alloca_once(builder, context.get_value_type(ty), zfill=True)
    builder.store(array, _inner_pointer(context, builder, ty, outer))
    return builder.load(outer)


def _arrays_of(args):
    return tuple(a.as_array if array_like(a) else a for a in args)


# -- len(x), x[i] ---------------------------------------------------------------------------------

class CompatibleLen(AbstractTemplate):
    key = len

    def generic(self, args, kws):
        if len(args) == 1 and not kws and array_like(args[0]):
            return types.signature(types.intp, args[0]).replace(impl=_len_impl)
        return None


def _len_impl(context, builder, sig, args):
    array = unwrap(context, builder, sig.args[0], args[0])
    return builder.extract_value(context.make_helper(builder, sig.args[0].as_array, array).shape, 0)


class CompatibleGetItem(AbstractTemplate):
    """x[index] as the array's; an array result of a Buffer subclass is that subclass again."""

    key = operator.getitem

    def generic(self, args, kws):
        target, index = args
        if not array_like(target) or not isinstance(target, types.Buffer):
            return None
        inner = self.context.resolve_function_type(types.Function(operator.getitem),
                                                   (target.as_array, index), {})
        if inner is None:
            return None
        result = inner.return_type
        if isinstance(result, types.Array):
            result = target.copy(dtype=result.dtype, ndim=result.ndim, layout=result.layout)
        return types.signature(result, target, index).replace(impl=_getitem_impl(inner))


def _getitem_impl(inner_sig):
    def impl(context, builder, sig, args):
        array = unwrap(context, builder, sig.args[0], args[0])
        item = context.get_function(types.Function(operator.getitem), inner_sig)(
            builder, [array, args[1]])
        if not isinstance(inner_sig.return_type, types.Array):
            return item
        return wrap_buffer(context, builder, sig.return_type, item)
    return impl


# -- ufuncs -----------------------------------------------------------------------------------------

class CompatibleUfunc(AbstractTemplate):
    """ufunc(x, ...) computed on the arrays inside; an array result is wrapped by the
    operand of highest `array_priority`, through its `__array_wrap__`."""

    ufunc = None

    def generic(self, args, kws):
        if kws or not any(array_like(a) for a in args):
            return None
        inner = self.context.resolve_function_type(types.Function(self.ufunc), _arrays_of(args),
                                                   {})
        if inner is None:
            return None
        if not isinstance(inner.return_type, types.Array):
            return types.signature(inner.return_type, *args).replace(impl=_ufunc_impl(self.ufunc, inner))
        wrapper = max((a for a in args if array_like(a)), key=lambda a: a.array_priority)
        wrap = self.context.resolve_function_type(types.Function(WRAP),
                                                  (wrapper, inner.return_type), {})
        if wrap is None:
            return None
        return types.signature(wrap.return_type, *args).replace(
            impl=_ufunc_impl(self.ufunc, inner, wrap, args.index(wrapper)))


def _ufunc_impl(ufunc, inner_sig, wrap_sig=None, wrapper_index=None):
    def impl(context, builder, sig, args):
        arrays = [unwrap(context, builder, t, v) if array_like(t) else v
                  for t, v in zip(sig.args, args)]
        result = context.get_function(types.Function(ufunc), inner_sig)(builder, arrays)
        if wrap_sig is None:
            return result
        wrapped = context.get_function(WRAP, wrap_sig)(builder, [args[wrapper_index], result])
        context.decref(builder, inner_sig.return_type, result)  # the wrapper took its own
        return wrapped
    return impl


register(CompatibleLen)
register(CompatibleGetItem)
for _uf in ALL_UFUNCS:
    register(type(f"CompatibleUfunc_{_uf.__name__}", (CompatibleUfunc,),
                  {"key": _uf, "ufunc": _uf}))
