"""Dispatcher behaviour Numba's own tests pin down: entry points, explicit-signature matching,
forceobj's empty signature, unconvertible arguments and results, remembered compile failures
and the `locals=` option."""
import operator
import sys
import warnings

import numpy as np
import pytest

from jitbridge import cfunc, jit, njit, types
from jitbridge.errors import JitBridgeWarning, TypingError
from jitbridge.extending import overload


def add(a, b):
    return a + b


def negate(x):
    return operator.neg(x)


def divide(a, b):
    c = a / b
    return c


def accumulate(n):
    total = 0
    for i in range(n):
        total = total + i / 2
    return total


# -- 1. entry points report the Python function's module -----------------------------------

def test_entry_point_module_is_the_functions():
    f = njit(add)
    assert f(2, 3) == 5
    [result] = f.overloads.values()
    assert result.entry_point.__module__ == add.__module__ == __name__


# -- 2. arguments match explicit signatures by Numba's conversion rules --------------------

def test_complex_matches_no_integer_signature():
    f = jit("(intc, intc)")(add)
    with pytest.raises(TypeError) as info:
        f(1j, 1j)
    assert str(info.value) == ("No matching definition for argument type(s) "
                               "complex128, complex128")


def test_complex_matches_no_float_signature():
    f = njit("float64(float64)")(lambda_free_identity)
    with pytest.raises(TypeError, match="No matching definition.*complex128"):
        f(2 + 1j)


def lambda_free_identity(x):
    return x


def test_real_numbers_still_convert_to_explicit_signatures():
    f = jit("(intc, intc)")(add)
    assert f(1.5, 2.7) == int(1.5) + int(2.7)  # unsafe float -> int: truncates, as Numba
    assert f(True, 2) == 3
    g = njit("complex128(complex128, complex128)")(add)
    assert g(1.5, 2) == add(complex(1.5), complex(2))


# -- 3. forceobj=True (object mode): the empty signature is accepted, calls run the body ---------

def _forceobj(sig, func):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", JitBridgeWarning)
        return jit(sig, forceobj=True)(func)


@pytest.mark.parametrize("sig", ["()", ()])
def test_forceobj_empty_signature_compiles_per_call(sig):
    f = _forceobj(sig, add)
    for a, b in [(1, 2), (1.5, 2), (1j, 2.5), (True, False)]:
        got = f(a, b)
        assert got == add(a, b) and type(got) is type(add(a, b))
    assert len(f.overloads) == 1  # object mode: one kernel of Python objects, made lazily


def test_forceobj_wrong_arity_signature_still_rejected():
    with pytest.raises(TypeError, match="Signature mismatch: 1 argument types given, but "
                                        "function takes 2 arguments"):
        _forceobj("(intc,)", add)
    with pytest.raises(TypeError, match="Signature mismatch: 0 argument types given"):
        jit("()")(add)  # without forceobj the empty signature is a mismatch


def test_forceobj_empty_signature_of_a_function_without_arguments_is_eager():
    def seven():
        return 7
    f = _forceobj("()", seven)
    assert list(f.overloads) == [()] and f() == 7


def test_operator_module_functions_are_callable():
    f = njit(negate)
    for value in (3, -2.5, 1j, True):
        got = f(value)
        assert got == negate(value) and type(got) is type(negate(value))


# -- 4. arguments and results with no Python conversion ---------------------------------------

def test_unboxing_a_type_without_unboxer_raises_type_error():
    def ignore(x):
        pass
    argtypes = (types.Dummy("dummy_type"),)
    result = njit(argtypes)(ignore).overloads[argtypes]
    with pytest.raises(TypeError) as info:
        result.entry_point(None)
    assert str(info.value) == "can't unbox dummy_type type"
    assert result.entry_point.__module__ == __name__


def test_boxing_a_type_without_boxer_raises_type_error():
    @njit
    def module():
        return sys
    with pytest.raises(TypeError, match=r"^cannot convert native Module\(sys\) to Python "
                                        r"object$"):
        module()


# -- 5. a failed compilation is remembered, not retried -----------------------------------------

def _counting_overload():
    """A function whose typing fails (counting the attempts) and a dispatcher calling it."""
    seen = []

    def fails(x):
        raise AssertionError("only called from compiled code")

    @overload(fails)
    def fails_typing(x):
        seen.append(x)
        raise TypingError("no such thing")

    @njit
    def calls(x):
        return fails(x)
    return calls, seen


def test_failed_signature_is_not_recompiled():
    calls, seen = _counting_overload()
    for _ in range(3):
        with pytest.raises(TypingError, match="no such thing"):
            calls(1)
    assert len(seen) == 2  # the overload tried with plain, then literal types; then never again
    assert len(calls._compiler._failed_cache) == 1
    with pytest.raises(TypingError, match="no such thing"):
        calls(1.0)  # other types do compile (and fail) again
    assert len(seen) == 4 and len(calls._compiler._failed_cache) == 2


HELPER = None


def uses_helper(x):
    return HELPER(x)


def test_failure_is_remembered_even_when_a_global_changes():
    global HELPER
    f = njit(uses_helper)
    with pytest.raises(TypingError):
        f(1)  # HELPER is None: not callable
    HELPER = njit(lambda_free_identity)
    try:
        with pytest.raises(TypingError):
            f(1)  # as in Numba: the dispatcher re-raises what compiling these types gave
        assert f(2.5) == 2.5  # other argument types compile with the new value
    finally:
        HELPER = None


def test_failing_callee_in_a_call_chain_is_typed_once():
    seen = []

    def trigger(x):
        raise AssertionError("only called from compiled code")

    @overload(trigger)
    def trigger_typing(x):
        seen.append(x)
        raise TypingError("trigger failed")

    @njit
    def base(out, x):
        pass

    def chain(depth, inner=base):
        @njit
        def level(out, x):
            inner(out, x)
            out[0] += trigger(x)
        return level if depth == 1 else chain(depth - 1, level)

    with pytest.raises(TypingError, match="trigger failed"):
        chain(8)(np.ones(2), 1)
    # tried with the plain and then the literal types, as in Numba (here they are equal), once
    # for the whole chain: not once per level (nor doubling with each level, as before)
    assert len(seen) == 2


def test_successful_compiles_are_unaffected_by_failures():
    f = njit(lambda_free_identity)
    with pytest.raises(TypingError):
        f(object())  # typeof fails before compiling: nothing remembered
    assert f(4) == 4 and f(2.5) == 2.5


# -- 6. locals= declares variable types ----------------------------------------------------------

def test_njit_locals_converts_assigned_values():
    f = njit(locals={"c": types.int64})(divide)
    for a, b in [(8, 3), (-8, 3), (7, 7), (1, 4)]:
        got = f(a, b)
        assert got == int(divide(a, b)) and type(got) is int  # truncated toward zero


def test_jit_locals_with_explicit_signature_and_loop():
    f = jit("float64(int64)", locals={"total": types.int32})(accumulate)

    def reference(n):  # the same computation with `total` an int32
        total = 0
        for i in range(n):
            total = int(total + i / 2)
        return float(total)
    for n in (0, 1, 5, 10):
        assert f(n) == reference(n)


def test_cfunc_locals():
    f = cfunc("float64(int64, int64)", locals={"c": types.int64})(divide)
    assert f.ctypes(8, 3) == 2.0
    assert cfunc("float64(int64, int64)")(divide).ctypes(8, 3) == divide(8, 3)


def test_dispatcher_compile_uses_locals():
    f = njit(locals={"c": types.float32})(divide)
    result = f.compile("(int64, int64)")
    assert result.signature.return_type == types.float32
    assert f(1, 3) == np.float32(1 / 3)


def test_unknown_local_name_is_ignored():
    f = njit(locals={"nonexistent": types.int8, "c": types.float64})(divide)
    assert f(8, 3) == divide(8, 3)


def test_unconvertible_value_for_declared_local_is_located_typing_error():
    f = njit(locals={"c": types.int64})(divide)
    with pytest.raises(TypingError) as info:
        f(1j, 2)
    message = str(info.value)
    assert "variable 'c'" in message and "complex128" in message and "int64" in message
    assert info.value.loc is not None and info.value.loc.line > 0


def test_locals_value_must_be_a_type():
    f = njit(locals={"c": "int64"})(divide)
    with pytest.raises(TypingError, match="declared type of a variable must be a type"):
        f(1, 2)


def test_complex_narrows_to_an_explicit_complex64_signature():
    f = njit("complex64(complex64, complex64)")(add)
    got = f(1.5 + 2j, 0.25j)
    assert got == np.complex64(1.5 + 2j) + np.complex64(0.25j)


def test_remembered_failure_keeps_no_caller_frames_alive():
    calls, _ = _counting_overload()
    for _ in range(2):
        with pytest.raises(TypingError, match="no such thing") as info:
            calls(1)
        assert info.value.__traceback__ is not None  # the raised copy has the caller's frames
    [kept] = calls._compiler._failed_cache.values()
    assert kept is not info.value
    assert kept.__traceback__ is None and kept.__context__ is None
