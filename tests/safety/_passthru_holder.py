"""User extension types written as a Numba user would (numba-passthru / Numba PR 3640 style),
for tests/safety/test_passthru_objmode.py and the isolated programs it runs.

`Holder` keeps a list of arbitrary objects; its native struct has a `List(pass_thru_type)`
member unboxed from a *temporary copy* of that list. `Linked` is a user `PassThruType` whose
`@box` hands back its object directly (no `c.box`)."""
from jitbridge import njit, types
from jitbridge.core import cgutils
from jitbridge.extending import (NativeValue, box, make_attribute_wrapper, models,
                                 register_model, typeof_impl, unbox)
from jitbridge.passthru import PassThruType, pass_thru_type


class Holder:
    def __init__(self, items):
        self.items = items


class HolderType(types.Type):
    def __init__(self):
        super().__init__(name="Holder")


holder_type = HolderType()


@typeof_impl.register(Holder)
def typeof_holder(val, c):
    return holder_type


@register_model(HolderType)
class HolderModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        members = [("parent", pass_thru_type), ("items", types.List(pass_thru_type))]
        super().__init__(dmm, fe_type, members)


make_attribute_wrapper(HolderType, "items", "items")


@unbox(HolderType)
def unbox_holder(typ, obj, c):
    holder = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    holder.parent = c.unbox(pass_thru_type, obj).value
    items = c.pyapi.object_getattr_string(obj, "items")
    copy = c.pyapi.call_method(items, "copy")  # a temporary: it dies before the call
    native = c.unbox(types.List(pass_thru_type), copy)
    holder.items = native.value
    c.pyapi.decref(copy)
    c.pyapi.decref(items)
    return NativeValue(holder._getvalue(), is_error=native.is_error)


@box(HolderType)
def box_holder(typ, val, c):
    """As numba_passthru's: a boxer steals the references inside `val` (Numba's rule), and so
    does `c.box`: take one for the parent it boxes, then release the whole struct."""
    holder = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    c.context.nrt.incref(c.builder, pass_thru_type, holder.parent)
    obj = c.box(pass_thru_type, holder.parent)
    c.context.nrt.decref(c.builder, typ, val)
    return obj


class Linked:
    def __init__(self, value):
        self.value = value


class LinkedType(PassThruType):
    def __init__(self):
        super().__init__(name="Linked")


linked_type = LinkedType()


@typeof_impl.register(Linked)
def typeof_linked(val, c):
    return linked_type


@register_model(LinkedType)
class LinkedModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("parent", pass_thru_type), ("value", types.int64)])


make_attribute_wrapper(LinkedType, "value", "value")


@unbox(LinkedType)
def unbox_linked(typ, obj, c):
    linked = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    linked.parent = c.unbox(pass_thru_type, obj).value
    value = c.pyapi.object_getattr_string(obj, "value")
    native = c.unbox(types.int64, value)
    c.pyapi.decref(value)
    linked.value = native.value
    return NativeValue(linked._getvalue(), is_error=native.is_error)


@box(LinkedType)
def box_linked(typ, val, c):
    """The object itself, taken from the pass-through member without `c.box`."""
    linked = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    parent = cgutils.create_struct_proxy(pass_thru_type)(c.context, c.builder,
                                                         value=linked.parent)
    c.pyapi.incref(parent.obj)
    c.context.nrt.decref(c.builder, typ, val)  # a boxer steals `val`'s references
    return parent.obj


@njit
def copy_items(h):
    out = []
    for item in h.items:
        out.append(item)
    return out


@njit
def items_of(h):
    return h.items


@njit
def same_holder(h):
    return h


@njit
def linked_pair(a, b):
    return (a, b) if a.value <= b.value else (b, a)
