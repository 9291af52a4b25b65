"""What compiled code embeds of this process is recorded on its CodeLibrary, and
`cache_blockers()` says why a library could not be loaded by another process."""
import ctypes

import pickle

import numpy as np
import pytest
from llvmlite import ir

from jitbridge import cfunc, codegen, njit, objmode, types
from jitbridge.extending import intrinsic
from jitbridge.codegen import ProcessLocal
from jitbridge.compiler import typing_context
from jitbridge.core import callconv
from jitbridge.core.base import BaseContext
from jitbridge.passthru import PassThruContainer


def library_of(dispatcher, *args):
    dispatcher(*args)
    (result,) = dispatcher.overloads.values()
    return result.library


def kinds(library) -> set:
    return {local.kind for local in library.process_locals()}


def blocker_kinds(library) -> list:
    return sorted(local.kind for local in library.process_locals() if not local.recreatable)


# -- code that another process can load ---------------------------------------------------------

@njit
def numeric(n):
    total = 0.0
    for i in range(n):
        total += i * 0.5
    return total


@njit
def calls_numeric(n):
    return numeric(n) + 1.0


@njit
def raises_value_error(x):
    if x < 0:
        raise ValueError("msg")
    return x


def test_numeric_function_has_no_blockers():
    library = library_of(numeric, 10)
    assert library.cache_blockers() == []
    # loops poll for Ctrl-C through runtime helpers: found by name in every process
    runtime = [l for l in library.process_locals() if l.kind == "runtime"]
    assert "the runtime helper 'jb_poll_interrupt'" in {l.description for l in runtime}
    assert all(l.recreatable for l in runtime)


def test_calling_a_jitted_function_has_no_blockers():
    assert library_of(calls_numeric, 10).cache_blockers() == []


def test_builtin_exception_with_constant_arguments_has_no_blockers():
    library = library_of(raises_value_error, 1)
    assert library.cache_blockers() == []
    assert "payload table entry" not in kinds(library)


def test_pickled_constant_object_is_recorded_as_recreatable():
    @njit
    def printing(x):
        print(x)
    library = library_of(printing, 1)
    pickled = [l for l in library.process_locals() if l.kind == "pickled object"]
    assert any("the print object <built-in function print>" in l.description for l in pickled)
    assert all(l.recipe == "unpickled from the code" for l in pickled)
    assert library.cache_blockers() == []


def test_pass_through_class_is_referred_to_by_an_importable_symbol():
    @njit
    def identity(c):
        return c
    library = library_of(identity, PassThruContainer([1]))
    assert library.cache_blockers() == []
    (record,) = [l for l in library.process_locals() if l.kind == "object"]
    assert record.recipe == "import jitbridge.passthru:PassThruContainer"
    assert '"jb.pyobj:jitbridge.passthru:PassThruContainer"' in library.get_llvm_str()
    assert f"{id(PassThruContainer)}" not in library.get_llvm_str()


def test_cfunc_argument_type_check_uses_the_importable_class():
    @njit
    def call_it(f, x):
        return f(x)
    library = library_of(call_it, double, 2.0)
    assert call_it(double, 2.0) == 4.0
    assert library.cache_blockers() == []


# -- code only this process can run ------------------------------------------------------------

def make_local_raiser():
    class LocalError(Exception):
        pass

    @njit
    def raiser(x):
        if x < 0:
            raise LocalError("bad")
        return x
    return raiser, LocalError


def test_local_exception_class_blocks_caching():
    raiser, local_error = make_local_raiser()
    library = library_of(raiser, 1)
    (blocker,) = library.cache_blockers()
    assert blocker.startswith("payload table entry: the exception payload ")
    assert "make_local_raiser.<locals>.LocalError('bad',)" in blocker
    assert blocker.endswith("which exists only in this process")
    assert "!jitbridge.process_locals" in library.get_llvm_str()
    with pytest.raises(local_error, match="bad"):
        raiser(-1)  # the payload table entry still works here


def test_blockers_of_linked_libraries_are_reported_by_callers():
    raiser, _ = make_local_raiser()

    @njit
    def caller(x):
        return raiser(x) + 1
    library = library_of(caller, 1)
    assert blocker_kinds(library) == ["payload table entry"]


@cfunc("float64(float64)")
def double(x):
    return 2.0 * x


@njit
def calls_global_cfunc(x):
    return double(x)


def test_cfunc_called_by_address_blocks_caching():
    library = library_of(calls_global_cfunc, 1.5)
    assert calls_global_cfunc(1.5) == 3.0
    (record,) = [l for l in library.process_locals() if l.kind == "function address"]
    assert record.address == double.address
    assert "the address of the cfunc 'double', compiled in this process" in record.description
    assert blocker_kinds(library) == ["function address"]


@njit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@njit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def test_mutual_recursion_through_a_pending_slot_blocks_caching_of_the_inner_one_only():
    """is_even compiles is_odd, which calls is_even through a slot of this process; is_even's
    own module defines the function, so its copy of is_odd calls it directly."""
    assert is_even(10) and not is_odd(10)
    (inner,) = is_odd.overloads.values()
    blockers = inner.library.cache_blockers()
    assert len(blockers) == 1 and blockers[0].startswith("pending slot: the slot of jb.")
    assert "(a call in mutual recursion)" in blockers[0]
    (outer,) = is_even.overloads.values()
    assert outer.library.cache_blockers() == []
    is_even.tier_up()  # (tiered: tier-0 code keeps the bound slot, an internal constant)
    (outer,) = is_even.overloads.values()
    assert outer.library.cache_blockers() == []
    assert ".slot" not in outer.library.get_llvm_str()


def test_objmode_block_function_is_recreated_by_value_elsewhere():
    """The block's function is generated (pickle cannot name it): it travels by value for
    another process, while this one keeps calling the very object (its closure included)."""
    seen = []

    @njit
    def with_objmode(x):
        with objmode(y="int64"):
            seen.append(x)
            y = x + 1
        return y
    library = library_of(with_objmode, 1)
    assert with_objmode(1) == 2 and with_objmode(5) == 6
    assert seen == [1, 1, 5]  # the closure's list itself, not a copy (library_of calls once)
    assert library.cache_blockers() == []
    assert any(local.kind == "pickled object" and "the objmode object" in local.description
               for local in library.process_locals())


def test_local_payload_resolves_by_value_in_another_process():
    from jitbridge.core import callconv
    def local(v):
        return v * 3
    data = callconv.serialize(local)
    assert pickle.loads(data) is local
    payload = pickle.loads(data, fix_imports=False)
    token = callconv._PROCESS_TOKEN
    try:
        callconv._PROCESS_TOKEN = "another process"
        copy = pickle.loads(data)
    finally:
        callconv._PROCESS_TOKEN = token
    assert payload is local and copy is not local and copy(4) == 12


BIG = np.arange((1 << 20) // 8 + 8, dtype=np.float64)  # over the freezing limit: referenced


@njit
def reads_big_global():
    return BIG[3]


def test_a_large_global_array_records_its_data_and_object_addresses():
    library = library_of(reads_big_global)
    found = {l.kind: l for l in library.process_locals() if l.kind.startswith("array")}
    assert found["array data"].address == BIG.ctypes.data
    assert found["array object"].address == id(BIG)
    assert not [l for l in library.process_locals() if l.kind == "raw address"]
    assert len(library.cache_blockers()) == 2


_HIDDEN = object()


@intrinsic
def _address_without_record(typingctx):
    def codegen(context, builder, sig, args):  # bypasses the lowering API on purpose
        address = ir.Constant(ir.IntType(64), id(_HIDDEN)).inttoptr(ir.IntType(8).as_pointer())
        return builder.ptrtoint(address, ir.IntType(64))
    return types.int64(), codegen


@njit
def embeds_an_unrecorded_address():
    return _address_without_record()


def test_unrecorded_raw_addresses_are_found_by_the_scan():
    assert embeds_an_unrecorded_address() == id(_HIDDEN)
    library = library_of(embeds_an_unrecorded_address)
    raw = [l for l in library.process_locals() if l.kind == "raw address"]
    assert [l.address for l in raw] == [id(_HIDDEN)]
    assert "embedded without a record" in raw[0].description
    assert library.cache_blockers() == [raw[0].reason()]


# -- the lowering API itself --------------------------------------------------------------------

def build_library(emit):
    """A library of one function `i8* f()` returning what `emit(context, builder)` gives."""
    library = codegen.get_codegen().create_library("test_process_locals")
    context = BaseContext(typing_context, library)
    module = ir.Module("test_process_locals")
    func = ir.Function(module, ir.FunctionType(ir.IntType(8).as_pointer(), []), "f")
    builder = ir.IRBuilder(func.append_basic_block("entry"))
    builder.ret(emit(context, builder))
    library.add_ir_module(module)
    library.export("f")
    library.finalize()
    return library


def test_embed_object_of_a_local_class_is_its_address_and_a_blocker():
    class Local:
        pass
    library = build_library(lambda ctx, b: ctx.embed_object(b, Local, "the class"))
    (record,) = [l for l in library.process_locals() if l.kind == "object address"]
    assert record.address == id(Local) and not record.recreatable
    assert "the class test_embed_object_of_a_local_class" in record.description
    assert Local in library.keepalive  # its address stays valid as long as the code
    assert len(library.cache_blockers()) == 1  # the scan does not count it twice


def test_embed_object_of_an_importable_object_resolves_to_it():
    library = build_library(lambda ctx, b: ctx.embed_object(b, PassThruContainer, "the class"))
    address = ctypes.CFUNCTYPE(ctypes.c_void_p)(library.get_pointer_to_function("f"))()
    assert address == id(PassThruContainer)
    assert library.cache_blockers() == []


def test_embed_process_local_and_embed_address_record_kind_and_reason():
    def emit(ctx, b):
        ctx.embed_process_local("handle", "a handle re-opened by path", "open('/x')")
        return ctx.embed_address(0x7F0000001000, "buffer", "a scratch buffer")
    library = build_library(emit)
    assert library.cache_blockers() == [
        "buffer: a scratch buffer, which exists only in this process"]
    assert ProcessLocal("handle", "a handle re-opened by path", "open('/x')") in \
        library.process_locals()


def test_symbols_bound_by_add_symbol_carry_their_record():
    local = ProcessLocal("table", "a table of this process")
    codegen.add_symbol("jb.test.process_locals.table", 0x7F0000002000, local)

    def emit(ctx, b):
        return ir.GlobalVariable(b.module, ir.IntType(8), "jb.test.process_locals.table")
    library = build_library(emit)
    assert library.cache_blockers() == ["table: a table of this process, which exists only "
                                        "in this process"]


def test_calling_convention_and_codegen_agree_on_the_metadata_name():
    assert callconv.PROCESS_LOCALS == codegen.PROCESS_LOCALS
    module = ir.Module("m")
    callconv.record_local_payload(module, "the exception payload X()", 3)
    assert codegen.recorded_in(module) == [
        ProcessLocal("payload table entry", "the exception payload X() (entry 3)")]
