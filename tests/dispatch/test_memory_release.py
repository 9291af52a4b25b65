"""Code of dropped dispatchers is freed (issue 12, item 7): each library's machine code lives in
an engine of its own, freed with the library once its dispatcher, its entry points and every
library calling into it are gone; code whose addresses values may keep stays."""
import ctypes
import gc
import sys
import textwrap
import weakref

import pytest
from llvmlite import ir

from jitbridge import codegen, njit, typed, types


def small(x):
    s = 0
    for i in range(x):
        s += i * 3 + x
    return s


def large(x):  # (too large to be linked into its callers: they call its loaded code)
    s = 0
    t = 1.0
    for i in range(x):
        if i % 3 == 0:
            s += i * 2
        elif i % 5 == 1:
            s -= i // 3
        elif i % 7 == 2:
            s ^= i << 2
        else:
            s += 1
        t = t * 1.0001 + (i % 11) / (s % 13 + 1.5)
    for j in range(x // 2):
        s = (s * 31 + j) % 1000003
    return s + int(t)


def gen(n):
    for i in range(n):
        yield i * 2


def keyed():
    d = typed.Dict.empty(types.unicode_type, types.int64)
    d["literal key"] = 1
    return d


def _libraries(dispatcher) -> list:
    """Weak references to the libraries of every specialisation of `dispatcher`."""
    found = []
    for result in dispatcher.overloads.values():
        found += [weakref.ref(lib) for lib in (result.library, result.python.library) if lib]
    return found


def _compile_and_drop(func, *args):
    dispatcher = njit(func)
    value = dispatcher(*args)
    return value, _libraries(dispatcher)


def test_a_dropped_dispatchers_libraries_are_freed():
    value, refs = _compile_and_drop(small, 10)
    gc.collect()
    assert value == small(10)
    assert refs and all(ref() is None for ref in refs)


def test_repeated_create_compile_drop_keeps_no_library():
    refs = []
    for n in range(8):
        value, libraries = _compile_and_drop(small, n)
        assert value == small(n)
        refs += libraries
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []


def test_an_entry_point_keeps_its_code():
    dispatcher = njit(small)
    dispatcher(3)
    [result] = dispatcher.overloads.values()
    entry, refs = result.entry_point, _libraries(dispatcher)
    del dispatcher, result
    gc.collect()
    assert entry(7) == small(7)
    assert all(ref() is not None for ref in refs)
    del entry
    gc.collect()
    assert all(ref() is None for ref in refs)


_callee = None  # (set by the test: the caller's frozen globals then hold the only reference)


def caller(x):
    return _callee(x) + _callee(x + 1)


def test_a_caller_of_a_loaded_callee_keeps_giving_right_results():
    global _callee
    _callee = callee = njit(large)
    jitted = njit(caller)
    assert jitted(50) == large(50) + large(51)
    _callee = None
    [result] = jitted.overloads.values()
    callee_refs = _libraries(callee)
    assert any(lib is ref() for lib in result.library.calls_into for ref in callee_refs), \
        "the callee must be called where it is loaded, not linked in, for this test"
    entry = result.entry_point
    del jitted, callee, result
    gc.collect()
    assert entry(40) == large(40) + large(41)


def _library(name: str, body, *declared):
    """A loaded library exporting `int64 name(int64)` built by `body(builder, x, *declared)`."""
    jit = codegen.get_codegen()
    library = jit.create_library(name)
    module = ir.Module(name)
    fnty = ir.FunctionType(ir.IntType(64), [ir.IntType(64)])
    func = ir.Function(module, fnty, name)
    others = [ir.Function(module, fnty, other) for other in declared]
    builder = ir.IRBuilder(func.append_basic_block("entry"))
    builder.ret(body(builder, func.args[0], *others))
    library.add_ir_module(module)
    library.export(name)
    library.finalize()
    return library, library.get_pointer_to_function(name)


def test_a_library_called_by_a_live_library_is_kept():
    jit = codegen.get_codegen()
    one = ir.Constant(ir.IntType(64), 1)
    callee, _ = _library("jb_test_release_callee",
                         lambda b, x: b.add(b.mul(x, ir.Constant(x.type, 3)), one))
    caller, address = _library("jb_test_release_caller",
                               lambda b, x, f: b.add(b.call(f, [x]), one),
                               "jb_test_release_callee")
    assert jit.release_with_owner(callee) and jit.release_with_owner(caller)
    callee_ref, caller_ref = weakref.ref(callee), weakref.ref(caller)
    del callee
    gc.collect()
    assert callee_ref() is not None  # its code is called by the caller's
    assert ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64)(address)(5) == 17
    del caller
    gc.collect()
    assert callee_ref() is None and caller_ref() is None


def test_a_generator_outlives_its_dispatcher():
    dispatcher = njit(gen)
    iterator = dispatcher(4)
    del dispatcher
    gc.collect()
    assert list(iterator) == [0, 2, 4, 6]


def test_values_pointing_at_constants_keep_the_code():
    value, refs = _compile_and_drop(keyed)
    gc.collect()
    assert all(ref() is not None for ref in refs)  # (the key's characters are the code's)
    assert dict(value) == {"literal key": 1}


def test_escaping_function_addresses_are_detected():
    jit = codegen.get_codegen()
    calls = 'define internal void @"d"(i8* %".1")\n{\n  call void @"d"(i8* %".1")\n  ret void\n}\n'
    assert not codegen._takes_addresses(calls, jit)
    stored = calls + '@"p" = global i8* bitcast (void (i8*)* @"d" to i8*)\n'
    assert codegen._takes_addresses(stored, jit)
    launched = calls + 'call void @"jb_parallel_launch"(void (i8*)* @"d", i8* null)\n'
    assert not codegen._takes_addresses(launched, jit)  # (used while the region runs)


def test_cache_round_trip_in_one_process(tmp_path, monkeypatch):
    (tmp_path / "cached_release_mod.py").write_text(textwrap.dedent("""
        from jitbridge import njit

        @njit(cache=True)
        def f(x):
            s = 0
            for i in range(x):
                s += i * 3 + x
            return s
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    import cached_release_mod as mod
    assert mod.f(9) == small(9)
    again = njit(cache=True)(mod.f.py_func)
    assert again(9) == small(9)
    assert sum(again.stats.cache_hits.values()) == 1
    del mod, again
    sys.modules.pop("cached_release_mod")
    gc.collect()


def _caller_and_callee(callee_func):
    """(value of g(30), weak references to f's and g's libraries and dispatchers) for a jitted
    f and a jitted g calling it, both dropped on return."""
    f = njit(callee_func)

    def g_py(x):
        return f(x) * 2

    g = njit(g_py)
    value = g(30)
    return value, _libraries(f), _libraries(g), weakref.ref(f), weakref.ref(g)


@pytest.mark.parametrize("callee", [small, large], ids=["linked", "called"])
def test_a_callee_is_freed_with_its_last_caller(callee):
    value, callee_libs, caller_libs, f_ref, g_ref = _caller_and_callee(callee)
    gc.collect()
    assert value == callee(30) * 2
    assert callee_libs and caller_libs
    assert f_ref() is None and g_ref() is None  # (no cache keyed by types keeps them)
    assert [ref for ref in callee_libs + caller_libs if ref() is not None] == []


def test_a_callees_type_is_forgotten_with_it():
    """The data model cache forgets the type of a dropped jitted function."""
    from jitbridge.core.datamodel.manager import default_manager
    value, _, _, f_ref, _ = _caller_and_callee(small)
    gc.collect()
    assert not [ty for ty in default_manager._cache if isinstance(ty, types.Dispatcher)
                and ty.dispatcher is None]


def test_a_live_caller_keeps_a_callee_whose_dispatcher_is_unreachable():
    global _callee
    _callee = njit(large)
    jitted = njit(caller)
    assert jitted(20) == large(20) + large(21)
    callee_refs = _libraries(_callee)
    _callee = None
    gc.collect()
    assert all(ref() is not None for ref in callee_refs)  # (the caller's code calls it)
    assert jitted(40) == large(40) + large(41)
    del jitted
    gc.collect()
    assert all(ref() is None for ref in callee_refs)
