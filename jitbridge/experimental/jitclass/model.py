"""How a jitclass instance is represented: a value {meminfo} whose MemInfo owns a payload, a
struct of the members in spec order (each in its memory form). The payload starts zeroed, so a
member no `__init__` assigned holds nothing a destructor would release; the destructor releases
every member, then frees the payload."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...codegen import abi_size
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...errors import LoweringError
from ...runtime import cycles, nrt

i8, i64, i8p = ir.IntType(8), cgutils.int64_t, cgutils.voidptr_t


@register_model(types.ClassInstanceType)
class InstanceModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer)])


def not_cacheable(context, inst_ty) -> None:
    """Code using a jitclass is never cached: its layout and methods are not part of a
    calling function's fingerprint, and its type is numbered per process (as in Numba,
    which does not cache such code either). A StructRef sharing this representation is a
    value of its class and fields, so code using one stays cacheable."""
    if isinstance(inst_ty, types.ClassInstanceType):
        context.embed_process_local("jitclass", f"the jitclass {inst_ty.classname}")


def payload_type(context, inst_ty) -> ir.LiteralStructType:
    """The members' memory forms, in spec order (one pad byte for a class without members),
    after the cycle collector's header for a class whose instances can be part of a cycle."""
    members = [context.get_data_type(t) for t in inst_ty.struct.values()]
    if is_tracked(inst_ty):
        return ir.LiteralStructType([cycles.header_t, *members])
    return ir.LiteralStructType(members or [i8])


def _held_class(member_ty):
    """The class of instance a member of type `member_ty` holds directly or as the items of a
    typed list, if any."""
    if isinstance(member_ty, types.ListType):
        member_ty = member_ty.dtype
    if isinstance(member_ty, types.Optional):
        member_ty = member_ty.type
    return member_ty if isinstance(member_ty, types.ClassInstanceType) else None


def is_tracked(inst_ty) -> bool:
    """Whether instances may be part of a reference cycle: they hold other instances (a class
    whose members hold none is never in one, and costs the collector nothing)."""
    return isinstance(inst_ty, types.ClassInstanceType) and \
        any(_held_class(t) is not None for t in inst_ty.struct.values())


def _indexed_members(inst_ty):
    """(index in the payload, type) of each member: after the collector's header, if any."""
    return enumerate(inst_ty.struct.values(), start=int(is_tracked(inst_ty)))


def _member_index(inst_ty, name: str) -> int:
    return list(inst_ty.struct).index(name) + int(is_tracked(inst_ty))


def _payload(context, builder, inst_ty, value):
    meminfo = context.make_helper(builder, inst_ty, value=value).meminfo
    data = nrt.meminfo_data(builder, meminfo)
    return builder.bitcast(data, payload_type(context, inst_ty).as_pointer())


def member_pointer(context, builder, inst_ty, value, name: str):
    """(member type, pointer to the member `name` in the instance's payload)."""
    not_cacheable(context, inst_ty)
    index = _member_index(inst_ty, name)
    ptr = cgutils.gep_inbounds(builder, _payload(context, builder, inst_ty, value), 0, index)
    return inst_ty.struct[name], ptr


#: member types whose zeroed form (never assigned) is no usable value: reading one raises
_MUST_BE_ASSIGNED = (types.ClassInstanceType, types.StructRef, types.ListType, types.List,
                     types.DictType, types.Set)


def load_member(context, builder, inst_ty, value, name: str):
    """A new reference to the member's value."""
    member_ty, ptr = member_pointer(context, builder, inst_ty, value, name)
    loaded = context.data_model_manager.lookup(member_ty).load_from_pointer(builder, ptr)
    if isinstance(member_ty, _MUST_BE_ASSIGNED):
        meminfo = context.make_helper(builder, member_ty, value=loaded).meminfo
        with cgutils.if_unlikely(builder, cgutils.is_null(builder, meminfo)):
            context.call_conv.return_user_exc(builder, AttributeError, (
                f"member {name!r} of {inst_ty.classname} was read before it was assigned",))
    context.incref(builder, member_ty, loaded)
    return loaded


def store_member(context, builder, inst_ty, value, name: str, new, new_ty) -> None:
    """Replace the member's value by `new` (borrowed: the member takes its own reference,
    one that borrows nothing from the caller's objects, since an instance outlives the call);
    the old value is released after the new one is stored (it may be the same object)."""
    from ...lib.dicts.owning import owned  # lib is loaded whenever code is lowered
    member_ty, ptr = member_pointer(context, builder, inst_ty, value, name)
    model = context.data_model_manager.lookup(member_ty)
    converted = owned(context, builder, member_ty, context.cast(builder, new, new_ty, member_ty))
    if isinstance(member_ty, (types.List, types.Set)) and \
            not isinstance(member_ty, types.ListType):
        converted = _without_parent(context, builder, member_ty, converted)
    old = model.load_from_pointer(builder, ptr)
    model.store_to_pointer(builder, converted, ptr)
    context.decref(builder, member_ty, old)


def _without_parent(context, builder, container_ty, value):
    """A list or set value that forgot the Python object it was unboxed from: that object is
    the caller's, borrowed for one call, and the instance keeps its own copy of the items."""
    helper = context.make_helper(builder, container_ty, value=value)
    helper.parent = ir.Constant(helper.parent.type, None)
    return helper._getvalue()


def new_instance(context, builder, inst_ty):
    """A new instance (one reference) with every member zeroed."""
    not_cacheable(context, inst_ty)
    payload_t = payload_type(context, inst_ty)
    size = ir.Constant(i64, abi_size(payload_t))
    malloc = cgutils.declare_c_function(builder.module, "malloc", i8p, [i64])
    payload = builder.call(malloc, [size])
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, payload)):
        context.call_conv.return_user_exc(builder, MemoryError, ("jitclass instance",))
    builder.store(ir.Constant(payload_t, None), builder.bitcast(payload, payload_t.as_pointer()))
    meminfo = builder.call(nrt.declare(builder.module, "jb_nrt_meminfo_new"), [
        payload, size, _destructor(context, builder.module, inst_ty),
        ir.Constant(i64, class_tag(inst_ty)).inttoptr(i8p)])
    if is_tracked(inst_ty):
        cycles.init_header(builder, payload, meminfo, _traverse(context, builder.module, inst_ty))
        cycles.hook_into_gc()
    proxy = context.make_helper(builder, inst_ty)
    proxy.meminfo = meminfo
    return proxy._getvalue()


def class_tag(inst_ty) -> int:
    """What an instance's MemInfo holds as its destructor's info (which the destructor
    ignores): its class's number, never reused in a process, so code given a bare pointer can
    tell an instance of the class it expects (voidptr.py); 0 for a StructRef."""
    return inst_ty.definition.number if isinstance(inst_ty, types.ClassInstanceType) else 0


def _destructor(context, module, inst_ty):
    """void dtor(payload, size, info): release each member, then free the payload."""
    def release(b, raw):
        payload = b.bitcast(raw, payload_type(context, inst_ty).as_pointer())
        for index, member_ty in _indexed_members(inst_ty):
            if context.contains_nrt(member_ty):
                model = context.data_model_manager.lookup(member_ty)
                ptr = cgutils.gep_inbounds(b, payload, 0, index)
                context.decref(b, member_ty, model.load_from_pointer(b, ptr))
    name = f"jb.jitclass.dtor.{inst_ty}"
    if is_tracked(inst_ty):
        return _tracked_destructor(module, name, release)
    return nrt.container_destructor(module, name, release)


def _tracked_destructor(module, name, release):
    """The destructor of an instance that may be part of a cycle: off the collector's list
    first; deep chains of instances are released level by level (cycles.TRASH_DEPTH)."""
    func, b = nrt.internal_function(module, name, nrt.dtor_t)
    if b is None:
        return func
    payload, _, info = func.args
    fresh = b.icmp_signed("!=", b.ptrtoint(info, i64), ir.Constant(i64, cycles.DRAINED))
    with b.if_then(fresh):
        b.call(cycles.declare(module, "jb_gc_untrack"), [payload])
        with b.if_then(b.call(cycles.declare(module, "jb_gc_defer"),
                              [payload, b.bitcast(func, i8p)]), likely=False):
            b.ret_void()
    release(b, payload)
    b.call(nrt.declare_free(module), [payload])
    with b.if_then(fresh):
        b.call(cycles.declare(module, "jb_gc_done"), [])
    b.ret_void()
    return func


def _traverse(context, module, inst_ty):
    """The collector's visit of the members holding instances that can be part of a cycle
    (an Optional one only while it holds a value; a typed list's items when the instance holds
    the list's only reference)."""
    def emit(b, raw, visit_slot):
        payload = b.bitcast(raw, payload_type(context, inst_ty).as_pointer())
        for index, member_ty in _indexed_members(inst_ty):
            held = _held_class(member_ty)
            if held is not None and is_tracked(held):
                member = cgutils.gep_inbounds(b, payload, 0, index)
                _visit_member(context, b, member_ty, member, visit_slot)
    return cycles.define_traverse(module, f"jb.jitclass.traverse.{inst_ty}", emit)


def _visit_member(context, b, member_ty, member, visit_slot) -> None:
    """Visit the instance slots of one member (at `member`, its memory form)."""
    if isinstance(member_ty, types.ListType):
        _visit_list_items(context, b, member_ty, member, visit_slot)
    elif isinstance(member_ty, types.Optional):
        valid = b.load(cgutils.gep_inbounds(b, member, 0, 1))
        visit_slot(cgutils.gep_inbounds(b, member, 0, 0, 0),
                   b.icmp_unsigned("!=", valid, ir.Constant(valid.type, 0)))
    else:
        visit_slot(cgutils.gep_inbounds(b, member, 0, 0))


def _visit_list_items(context, b, list_ty, member, visit_slot) -> None:
    from ...lib.lists_model import ListHelper  # lib is loaded whenever code is lowered
    value = context.data_model_manager.lookup(list_ty).load_from_pointer(b, member)
    items = ListHelper(context, b, list_ty, value)
    meminfo = items.proxy.meminfo
    with b.if_then(cgutils.is_not_null(b, meminfo)):
        with b.if_then(cycles.only_reference(b, meminfo)):
            with cgutils.for_range(b, items.size) as loop:
                _visit_member(context, b, list_ty.dtype, items.item_pointer(loop.index),
                              visit_slot)


def call_dispatcher(context, builder, dispatcher, argtypes, return_type, args):
    """Call the specialisation of the jitted `dispatcher` for `argtypes` (typed already; a
    specialisation still compiling further up the stack is reached through its slot, as the
    lowering of ordinary calls does)."""
    argtypes = tuple(argtypes)
    context.embed_process_local("jitclass", f"the jitclass method {dispatcher.__qualname__}")
    name, library = dispatcher.native_callee(argtypes)
    sig = types.signature(return_type, *argtypes)
    if library is not None:
        context.library.add_linking_library(library)
    elif name != builder.function.name:
        return context.call_through_slot(builder, dispatcher.pending_slot(argtypes), sig, args,
                                         f"{dispatcher.__qualname__}{argtypes} failed to compile")
    return context.call_internal(builder, name, sig, args)


def dispatch_impl(dispatcher, sig, permutation=None):
    """A lowering calling `dispatcher` for `sig` (its full argument types), with the call's
    values reordered by `permutation` (a reflected operator's receiver comes second)."""
    def impl(context, builder, call_sig, args):
        args = list(args) if permutation is None else [args[i] for i in permutation]
        return call_dispatcher(context, builder, dispatcher, sig.args, sig.return_type, args)
    impl.origin = dispatcher.py_func
    return impl


def missing_member(inst_ty, attr: str) -> LoweringError:
    return LoweringError(f"{inst_ty.classname} has no member {attr!r}")
