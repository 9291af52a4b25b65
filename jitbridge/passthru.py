"""Pass-through objects: carry arbitrary Python objects through compiled code.

`pass_thru_type` is a reference to a PyObject: {meminfo, obj}. An argument borrows the object
(the caller keeps it alive for the call: no allocation); a value that must outlive its source
(an objmode output, a member an extension `@unbox` converts with `c.unbox(pass_thru_type, obj)`)
owns it through a MemInfo whose destructor drops the reference holding the GIL, so the last
release may happen on any thread. Boxing always gives back the original object.

`PassThruContainer(obj)` wraps any object so that compiled code can take it, return it (the same
container comes back), keep it in tuples and lists, compare two with `==` (true when they wrap
the identical object) and hand it to objmode blocks. `PassThruType` is the base for user types
that keep a link to their Python object (see docs/passthru.md).
"""
from __future__ import annotations

import operator

from llvmlite import ir

from . import types
from .core import cgutils
from .extending import (AbstractTemplate, lower_builtin, models, register, register_global,
                        register_model, typeof_impl)
from .runtime import nrt
# builtin conversions (boxers consume `val`), not extension ones: see boxing.is_extension
from .runtime.boxing import NativeValue, box, check_exact, unbox


class PassThruType(types.Type):
    """Base of types whose values carry a reference to their Python object."""

    def __init__(self, name=None):
        super().__init__(name or type(self).__name__)


class _AnyObjectType(PassThruType):
    """pass_thru_type itself: any Python object at all (sets, dicts, ...)."""

    accepts_python_objects = True


pass_thru_type = _AnyObjectType("pass_thru")


class PassThruContainerType(PassThruType):
    """The type of PassThruContainer instances."""


pass_thru_container_type = PassThruContainerType("PassThruContainer")


class PassThruContainer:
    """Wraps any Python object for a trip through compiled code."""

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        if not isinstance(other, PassThruContainer):  # as numba_passthru: only containers compare
            raise NotImplementedError
        return self.obj is other.obj

    def __hash__(self):
        # the wrapped object's identity hash (unhashable objects too), as compiled `hash(c)`
        return object.__hash__(self.obj)

    def __repr__(self):
        return f"PassThruContainer({self.obj!r})"


@register_model(PassThruType)
class PassThruModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer),
                                        ("obj", types.pyobject)])


@register_model(PassThruContainerType)
class PassThruContainerModel(models.StructModel):
    """The container's reference, plus the wrapped object's address for `==`."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer),
                                        ("obj", types.pyobject), ("wrapped", types.voidptr)])


typeof_impl.register(PassThruContainer)(lambda value, c: pass_thru_container_type)


def _reference(c, typ, obj, owned: bool):
    """Fill meminfo/obj: owned (adopted through a MemInfo) or borrowed."""
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    proxy.obj = obj
    proxy.meminfo = nrt.adopt_pyobject(c.builder, obj, obj) if owned else \
        ir.Constant(cgutils.voidptr_t, None)
    return proxy


@unbox(PassThruType)
def unbox_pass_thru(typ, obj, c):
    """A reference to `obj`: borrowed for an argument, owned where it may outlive `obj`'s other
    references (objmode outputs; members an extension unboxer converts, see BoxContext)."""
    return NativeValue(_reference(c, typ, obj, owned=c.owned)._getvalue())


@unbox(PassThruContainerType)
def unbox_container(typ, obj, c):
    proxy = _reference(c, typ, obj, owned=c.owned)
    wrapped = c.pyapi.object_getattr_string(obj, "obj")
    with c.builder.if_then(cgutils.is_not_null(c.builder, wrapped)):
        c.pyapi.decref(wrapped)  # only its address is kept, for identity comparisons
    proxy.wrapped = wrapped
    return NativeValue(proxy._getvalue(), is_error=cgutils.is_null(c.builder, wrapped))


@box(PassThruType)
def box_pass_thru(typ, val, c):
    """The original object (a new reference); the native reference is released."""
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    obj = proxy.obj
    c.pyapi.incref(obj)
    c.context.decref(c.builder, typ, val)
    return obj


@check_exact(_AnyObjectType)
def check_any_object(typ, obj, c):
    """Every Python object is a pass_thru value (list items and objmode outputs skip the
    slow type check)."""
    return cgutils.true_bit


@check_exact(PassThruContainerType)
def check_container(typ, obj, c):
    cls = c.pyapi.get_type(obj)
    # a symbol bound to the class (another process binds it again): as cheap as its address
    expected = c.context.embed_object(c.builder, PassThruContainer, "the class")
    return c.builder.icmp_unsigned("==", cls, expected)


class ContainerEquality(AbstractTemplate):
    """`a == b` / `a != b` on containers: do they wrap the identical object? On two
    pass_thru values (as numba_passthru): are they the identical object?"""

    def generic(self, args, kws):
        if len(args) == 2 and (all(isinstance(a, PassThruContainerType) for a in args)
                               or all(a == pass_thru_type for a in args)):
            return types.signature(types.boolean, *args)
        return None


for _op in (operator.eq, operator.ne):
    register(type(f"PassThru_{_op.__name__}", (ContainerEquality,), {"key": _op}))


def _identity_comparisons(value_type, field: str):
    """`==` / `!=` of two values of `value_type`: the identity of the objects in `field`."""
    def same(context, builder, sig, args):
        objects = [getattr(cgutils.create_struct_proxy(t)(context, builder, value=v), field)
                   for t, v in zip(sig.args, args)]
        return builder.icmp_unsigned("==", *objects)

    def different(context, builder, sig, args):
        return builder.not_(same(context, builder, sig, args))
    lower_builtin(operator.eq, value_type, value_type)(same)
    lower_builtin(operator.ne, value_type, value_type)(different)


_identity_comparisons(PassThruContainerType, "wrapped")
_identity_comparisons(_AnyObjectType, "obj")


class ContainerHash(AbstractTemplate):
    """`hash(c)` of a container: the identity hash of the wrapped object."""

    key = hash

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], PassThruContainerType):
            return types.signature(types.intp, *args)
        return None


register(ContainerHash)
register_global(hash, types.Function(hash))


@lower_builtin(hash, PassThruContainerType)
def container_hash_impl(context, builder, sig, args):
    """CPython's pointer hash (`object.__hash__`): the address rotated right by 4 bits, with
    -1 (Python's error value) made -2, so compiled and Python hashes agree."""
    wrapped = cgutils.create_struct_proxy(sig.args[0])(context, builder, value=args[0]).wrapped
    intp = ir.IntType(types.intp.bitwidth)
    address = builder.ptrtoint(wrapped, intp)
    rotated = builder.or_(builder.lshr(address, ir.Constant(intp, 4)),
                          builder.shl(address, ir.Constant(intp, intp.width - 4)))
    is_error_value = builder.icmp_signed("==", rotated, ir.Constant(intp, -1))
    return builder.select(is_error_value, ir.Constant(intp, -2), rotated)


__all__ = ["PassThruType", "pass_thru_type", "PassThruContainer", "pass_thru_container_type"]
