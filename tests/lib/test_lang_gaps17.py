"""Issue 18's language gaps (round 17), each against CPython: hash() of bytes, isinstance()
with type(None), integer powers with negative exponents and pow()'s keyword and modular forms,
print()'s sep=/end=/flush=, and a Generator's bit_generator."""
import contextlib
import io

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, typeof, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

NoneType = type(None)


# -- hash() of bytes ---------------------------------------------------------------------------

@njit
def _hash(value):
    return hash(value)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=80))
def test_hash_of_bytes_is_cpythons(data):
    assert _hash(data) == hash(data)


def test_hash_of_bytes_constants_slices_and_tuples():
    @njit
    def hashes(b):
        return hash(b"abc"), hash(b""), hash(b[1:4]), hash(b[::2]), hash((b, 1))
    b = b"hello world"
    assert hashes(b) == (hash(b"abc"), hash(b""), hash(b[1:4]), hash(b[::2]), hash((b, 1)))


# -- isinstance(x, type(None)) ---------------------------------------------------------------

def _none_checks(x):
    return (isinstance(x, type(None)), isinstance(x, (int, type(None))),
            isinstance(x, (float, NoneType)), isinstance(x, NoneType))


@pytest.mark.parametrize("value", [None, 3, 2.5, "s", (1, 2)])
def test_isinstance_with_nonetype_on_values(value):
    assert njit(_none_checks)(value) == _none_checks(value)


def _optional_checks(a):
    x = None if a > 0 else a
    return (isinstance(x, type(None)), isinstance(x, (int, type(None))),
            isinstance(x, (float, NoneType)), isinstance(x, int))


@pytest.mark.parametrize("a", [1, -1, 0])
def test_isinstance_with_nonetype_on_an_optional(a):
    assert njit(_optional_checks)(a) == _optional_checks(a)


def test_calling_type_none_is_a_typing_error():
    with pytest.raises(TypingError, match="NoneType"):
        njit(lambda: type(None)())()


# -- integer powers ------------------------------------------------------------------------------

@njit
def _power(a, b):
    return a ** b


@njit
def _pow(a, b):
    return pow(a, b)


def test_negative_literal_exponents_give_cpythons_float():
    def literal_powers(a):
        return 2 ** -1, (-3) ** -2, a ** -1, a ** -3, pow(a, -2)
    assert njit(literal_powers)(4) == literal_powers(4)


@pytest.mark.parametrize("f", [_power, _pow])
@pytest.mark.parametrize("a", [1, -1])
@pytest.mark.parametrize("b", [-1, -2, -7])
def test_unit_base_to_a_negative_runtime_exponent_equals_cpython(f, a, b):
    assert f(a, b) == a ** b


@pytest.mark.parametrize("f", [_power, _pow])
def test_zero_to_a_negative_runtime_exponent_raises_zero_division(f):
    with pytest.raises(ZeroDivisionError, match="cannot be raised to a negative power"):
        f(0, -1)


@pytest.mark.parametrize("f", [_power, _pow])
@pytest.mark.parametrize("a", [2, -2, 5, np.int32(3)])
def test_other_bases_to_a_negative_runtime_exponent_raise(f, a):
    """CPython's float result does not fit the int64 result type: an error, not garbage."""
    with pytest.raises(ValueError, match="integer to a negative power"):
        f(a, -1)


_KEYWORD_FORMS = [lambda a, b: pow(base=a, exp=b), lambda a, b: pow(exp=b, base=a),
                  lambda a, b: pow(a, exp=b)]
_MODULAR_KEYWORD_FORMS = [lambda a, b: pow(a, b, mod=5), lambda a, b: pow(base=a, exp=b, mod=7)]


@pytest.mark.parametrize("f", _KEYWORD_FORMS + _MODULAR_KEYWORD_FORMS)
@pytest.mark.parametrize("a, b", [(3, 4), (-2, 5)])
def test_pow_keyword_forms(f, a, b):
    assert njit(f)(a, b) == f(a, b)


@pytest.mark.parametrize("f", _KEYWORD_FORMS)
def test_pow_keyword_forms_of_a_float(f):
    assert njit(f)(2.5, 3) == f(2.5, 3)


@pytest.mark.parametrize("f", _MODULAR_KEYWORD_FORMS)
def test_pow_with_a_modulus_of_a_float_is_a_typing_error(f):
    with pytest.raises(TypeError):  # (CPython's TypeError; a TypingError when compiled)
        f(2.5, 3)
    with pytest.raises(TypingError, match="pow"):
        njit(f)(2.5, 3)


def test_pow_keyword_orders_in_one_function():
    """(Needs the typing context's resolution cache keyed on the keywords in call order.)"""
    @njit
    def both_orders(a, b):
        return pow(base=a, exp=b), pow(exp=b, base=a)
    assert both_orders(3, 4) == (81, 81)


def test_pow_with_an_unknown_keyword_is_a_typing_error():
    with pytest.raises(TypingError, match="pow"):
        njit(lambda a: pow(a, power=2))(3)


@njit
def _pow_mod(a, b, m):
    return pow(a, b, m)


@settings(max_examples=80, deadline=None)
@given(st.integers(-10**9, 10**9), st.integers(-50, 10**6),
       st.integers(-10**12, 10**12).filter(bool))
def test_pow_with_a_modulus_is_cpythons(base, exp, mod):
    try:
        expected = pow(base, exp, mod)
    except ValueError as error:
        with pytest.raises(ValueError, match=str(error)):
            _pow_mod(base, exp, mod)
        return
    assert _pow_mod(base, exp, mod) == expected


def test_pow_with_a_modulus_of_unsigned_and_zero():
    pow_mod = _pow_mod
    big = 2 ** 64 - 59
    assert pow_mod(np.uint64(big - 3), np.uint64(10 ** 15), np.uint64(big)) == \
        pow(big - 3, 10 ** 15, big)
    with pytest.raises(ValueError, match="not invertible"):
        pow_mod(2, -1, 4)
    with pytest.raises(ValueError, match="cannot be 0"):
        pow_mod(3, 2, 0)


# -- print(sep=, end=, flush=) ---------------------------------------------------------------------

def _printed(f, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        f(*args)
    return out.getvalue()


def _print_literal_keywords():
    print(1, 2, 3, sep="-", end="!\n")
    print(1, end="")
    print(1, 2, sep=None, end=None, flush=True)
    print(2.5, "x", end="E\n", sep="S")
    print()
    print(sep="x", end="y")


def _print_runtime_keywords(sep, end):
    print("a", 1.5, np.float32(1.1), True, sep=sep, end=end)


def _print_optional_sep(flag):
    sep = None if flag else "+"
    print(1, 2, sep=sep)


def test_print_with_literal_keywords_prints_as_cpython():
    assert _printed(njit(_print_literal_keywords)) == _printed(_print_literal_keywords)


@settings(max_examples=20, deadline=None)
@given(st.text(max_size=4), st.text(max_size=4))
def test_print_with_runtime_sep_and_end_prints_as_cpython(sep, end):
    compiled = njit(_print_runtime_keywords)
    assert _printed(compiled, sep, end) == _printed(_print_runtime_keywords, sep, end)


@pytest.mark.parametrize("flag", [True, False])
def test_print_with_an_optional_sep(flag):
    assert _printed(njit(_print_optional_sep), flag) == _printed(_print_optional_sep, flag)


@pytest.mark.parametrize("call, message", [
    (lambda: print(1, file=None), "file= argument is not supported"),
    (lambda: print(1, sep=3), "sep must be None or a string"),
    (lambda: print(1, end=2.5), "end must be None or a string"),
    (lambda: print(1, color=3), "unexpected keyword argument 'color'"),
])
def test_print_keywords_it_cannot_take_are_typing_errors(call, message):
    with pytest.raises(TypingError, match=message):
        njit(call)()


# -- Generator.bit_generator ----------------------------------------------------------------------

def test_bit_generator_types_as_numbas_npy_bitgen():
    rng = np.random.default_rng(1)
    assert typeof(rng.bit_generator) == types.npy_bitgen

    @njit
    def draw_after_reading_it(rng):
        bit_generator = rng.bit_generator
        return rng.random()
    assert draw_after_reading_it(rng) == np.random.default_rng(1).random()


def test_bit_generator_of_a_generator_made_inside():
    @njit
    def made_inside(seed):
        rng = np.random.default_rng(seed)
        bit_generator = rng.bit_generator
        return rng.integers(0, 1000)
    assert made_inside(5) == np.random.default_rng(5).integers(0, 1000)
    with no_leaks():  # (it holds a reference to the Generator while it lives)
        made_inside(6)


def test_bit_generator_does_not_cross_into_python():
    """As in Numba: no Python object for it, in a result or an exception argument."""
    rng = np.random.default_rng(1)
    with pytest.raises(TypeError, match="cannot convert native NumPyRandomBitGeneratorType"):
        njit(lambda rng: rng.bit_generator)(rng)

    def raise_it(rng):
        raise ValueError(rng.bit_generator)
    with pytest.raises(TypingError, match="Cannot convert native .* to a Python object"):
        njit((types.npy_rng,))(raise_it)
