"""Small @overload implementations are lowered in place, into the function calling them
(lowering/inline.py): results, reference counts, exceptions, unbound-variable checks and
nesting must behave exactly as with a call, also when the call runs many times in a loop."""
import pathlib

import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.compiler import type_inline_callee
from jitbridge.core.base import BaseContext
from jitbridge.compiler import typing_context
from jitbridge.extending import overload
from jitbridge.lowering import inline
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from tests.isolation import run_isolated

REPO = str(pathlib.Path(__file__).resolve().parents[2])


def _big(x):
    y = x + 1
    for i in range(x):
        y = y * 3 + i - 1
        y = y // 2 + i * i
        y = y - x + 7
        y = y % 1000 + i
        y = y + x * i - 2
        y = y * 2 - i + 5
        y = y + 3 * x - i
        y = y // 3 + 11
    return y


def shifted(a, k):
    pass


@overload(shifted)
def _ol_shifted(a, k):
    def impl(a, k):
        b = a + k       # an array the callee owns...
        b = b * 2       # ...reassigned: the first one is released in place
        return b.sum()
    return impl


def sometimes(a, n):
    pass


@overload(sometimes)
def _ol_sometimes(a, n):
    def impl(a, n):
        if n % 2:
            b = a + n   # owned on one path only: the exit releases whatever b holds
            return b.sum()
        return 0.0
    return impl


@njit
def loop_sometimes(a, n):
    total = 0.0
    for i in range(n):
        total += sometimes(a, i)
    return total


def test_a_variable_owned_on_one_path_is_released_once_per_call():
    # in a child interpreter: a release of the previous call's value would crash
    out = run_isolated(f"""
        import sys
        sys.path.insert(0, {REPO!r})
        from jitbridge.testing import no_leaks
        from tests.lowering.test_inline_callees import loop_sometimes
        a = np.arange(3.0)
        loop_sometimes(a, 2)
        with no_leaks(a):
            print(loop_sometimes(a, 40))
    """)
    assert float(out) == sum((np.arange(3.0) + i).sum() for i in range(40) if i % 2)


def picky(n):
    pass


@overload(picky)
def _ol_picky(n):
    def impl(n):
        if n > 0:
            y = n
        return y        # UnboundLocalError when n <= 0
    return impl


def failing(a, n):
    pass


@overload(failing)
def _ol_failing(a, n):
    def impl(a, n):
        tmp = a * 2
        if n == 3:
            raise ValueError("three")
        return tmp[0]
    return impl


def twice(x):
    pass


@overload(twice)
def _ol_twice(x):
    return lambda x: picky(x) + picky(x)  # overloads lowered in place inside one another


@njit
def _count(n):
    return 0 if n <= 0 else 1 + _count(n - 1)


def countdown(n):
    pass


@overload(countdown)
def _ol_countdown(n):
    return lambda n: _count(n)  # calls a recursive jitted function: stays a function


def endless(n):
    pass


@overload(endless)
def _ol_endless(n):
    return lambda n: endless(n - 1)


@njit
def loop_shifted(a, n):
    total = 0.0
    for i in range(n):
        total += shifted(a, i)
    return total


@njit
def loop_picky(values):
    total = 0
    for v in values:
        total += picky(v)
    return total


@njit
def loop_failing(a, n):
    total = 0.0
    keep = a + 0
    for i in range(n):
        total += failing(keep, i)
    return total


def test_an_owning_callee_in_a_loop_releases_every_call():
    a = np.arange(4.0)
    expected = sum(((a + i) * 2).sum() for i in range(50))
    loop_shifted(a, 1)
    with no_leaks(a):
        assert loop_shifted(a, 50) == expected


def test_unbound_checks_start_afresh_on_each_call():
    assert loop_picky(np.array([1, 2, 3])) == 6
    with pytest.raises(UnboundLocalError):
        loop_picky(np.array([1, 0, 3]))  # the first call's assignment must not count


def test_an_exception_in_a_callee_releases_both_frames():
    a = np.arange(3.0) + 1
    assert loop_failing(a, 3) == 6.0
    with no_leaks(a):
        with pytest.raises(ValueError, match="three"):
            loop_failing(a, 5)


@njit
def nested(x):
    return twice(x) + countdown(x)


def test_nested_in_place_callees_and_a_recursive_one():
    assert nested(4) == 12


@njit
def calls_endless(n):
    return endless(n)


def test_an_overload_calling_itself_is_a_typing_error_not_a_hang():
    with pytest.raises(TypingError, match="calls that overload recursively"):
        calls_endless(3)


def test_large_callees_and_callees_being_lowered_stay_functions():
    context = BaseContext(typing_context)
    big = type_inline_callee(_big, (types.int64,))
    ops = sum(len(block.body) for block in big.typed.fir.blocks.values())
    assert ops > inline.MAX_OPS and inline.lower_in_place(context, None, big, [], set()) is None
    small = type_inline_callee(_ol_picky(types.int64), (types.int64,))
    assert inline.lower_in_place(context, None, small, [], {small.name}) is None


def back(n):
    pass


@overload(back)
def _ol_back(n):
    return lambda n: ping(n - 1)  # calls the function being compiled: stays a function


@njit
def ping(n):
    if n <= 0:
        return 0
    return 1 + back(n)


def test_recursion_through_an_overload_keeps_its_stack_guard():
    assert ping(10) == 10
    with pytest.raises(RecursionError):
        ping(10 ** 7)


def big_step(x):
    pass


@overload(big_step)
def _ol_big_step(x):
    return _big


def test_a_large_callee_is_lowered_once_and_linked_into_each_caller():
    from jitbridge import compiler
    first, second = njit(lambda x: big_step(x) + 1), njit(lambda x: big_step(x) * 2)
    assert (first(5), second(5)) == (_big(5) + 1, _big(5) * 2)
    linked = [[lib for lib in d.overloads[(types.int64,)].library._linking
               if lib in compiler._callee_libraries.values()] for d in (first, second)]
    assert len(linked[0]) == 1 and linked[0] == linked[1]  # one library, built once
    callee_library = linked[0][0]
    assert callee_library.finalized and callee_library.exports == {callee_library.name[:-4]}


def test_a_finalized_library_drops_its_llvmlite_ir():
    import gc
    import weakref
    from llvmlite import ir
    from jitbridge.codegen import get_codegen
    library = get_codegen().create_library("jb.test.drop_ir")
    module = ir.Module("jb.test.drop_ir")
    fn = ir.Function(module, ir.FunctionType(ir.IntType(64), []), "jb.test.drop_ir.f")
    ir.IRBuilder(fn.append_basic_block()).ret(ir.Constant(ir.IntType(64), 7))
    library.add_ir_module(module)
    library.export(fn.name)
    library.finalize()
    alive = weakref.ref(module)
    del module, fn
    gc.collect()
    assert alive() is None  # the IR objects are garbage once the module is machine code
    assert "ret i64 7" in library.get_llvm_str()
