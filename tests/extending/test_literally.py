"""Literal dispatch: literally(), SentryLiteralArgs, and the retyping of callers
(typing/literally.py, literal_dispatch.py), differential against CPython."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import jitbridge
from jitbridge import errors, literally, njit, types
from jitbridge.extending import SentryLiteralArgs, overload, overload_method
from jitbridge.testing import no_leaks


@njit
def ident(x):
    return literally(x)


@njit
def twice(x):
    return literally(x) * 2


@njit
def caller(y, x):
    return twice(y) + x


@njit
def add_literal(x, y):
    return x + literally(y)


@njit
def by_keyword(a, b, c):
    return add_literal(a, y=c)


@njit
def constant_inside(a):
    v = 1000
    return a + literally(v)


@njit
def star(a, *args):
    return literally(args)


@njit
def star_caller(a, b):
    return star(a, b)


@njit
def not_literal(a):
    return literally(a + 1)


@njit
def default_literal(a, b=5):
    return a + literally(b)


def test_arguments_compile_per_value():
    assert ident(123) == 123 and ident(321) == 321 and ident("abc") == "abc"
    values = [sig[0].literal_value for sig in ident.signatures]
    assert values[:3] == [123, 321, "abc"]
    assert ident(123) == 123 and len(ident.signatures) == 3  # the request is remembered


@settings(max_examples=8, deadline=None)
@given(st.integers(-5, 5), st.text(max_size=3))
def test_values_match_python(n, s):
    assert ident(n) == n
    assert ident(s) == s


def test_request_reaches_the_callers_arguments():
    assert caller(3, 7) == 13
    assert caller.signatures[-1] == (types.literal(3), types.int64)
    assert types.literal(3) in [sig[0] for sig in twice.signatures]


def test_keywords_and_constants():
    assert by_keyword(a=1, b=2, c=3) == 4
    assert by_keyword.signatures[0][2] == types.literal(3)
    assert constant_inside(5) == 1005
    assert constant_inside.signatures == [(types.int64,)]
    assert default_literal(1) == 6


def test_errors():
    with pytest.raises(errors.TypingError, match="Invalid use of non-Literal type"):
        not_literal(1)
    with pytest.raises(errors.LiteralTypingError, match="numpy.ndarray"):
        ident(np.arange(3))
    with pytest.raises(errors.LiteralTypingError):
        star(1, 2, 3)
    with pytest.raises(errors.TypingError, match="Cannot request literal type"):
        star_caller(1, 2)


def test_a_run_time_value_asked_for_as_a_constant_is_named_in_the_error():
    @njit
    def from_run_time(n):
        return twice(n + 1)
    with pytest.raises(errors.TypingError, match=r"Cannot request literal type\. The callee "
                       r"needs argument 1 of this call \(a int64\) as a compile-time constant"):
        from_run_time(3)


def test_captured_variable_is_asked_for():
    @njit
    def outer(a, b):
        def inner(d):
            return literally(d) + literally(a)
        return inner(b)
    assert outer(1, 2) == 3
    [argtypes] = outer.signatures
    assert [t.literal_value for t in argtypes] == [1, 2]

    @njit
    def outer2(a, b):
        def inner(d):
            return literally(d) + a
        return inner(b)
    assert outer2(1, 2) == 3


def _sum(x, y):
    return x + y


@overload(_sum)
def _ov_sum(x, y):
    SentryLiteralArgs(["x"]).for_function(_ov_sum).bind(x, y)
    return lambda x, y: x + y


@njit
def sentry_user(a, b):
    return _sum(a, b)


def test_sentry_literal_args():
    assert sentry_user(123, 321) == 444
    (sig,) = sentry_user.signatures
    assert sig[0] == types.literal(123) and not isinstance(sig[1], types.Literal)


def test_no_leaks_with_literal_strings():
    s = "h\u00e9llo \U0001f600"
    ident(s)
    with no_leaks(s):
        for _ in range(1000):
            assert ident(s) == s


def test_public_paths():
    from jitbridge.misc.special import literally as same
    assert same is jitbridge.literally is literally
    assert literally(4) == 4  # plain Python


@njit
def _literal_add(x, y):
    return x + literally(y)


@overload_method(types.Integer, "jb_test_literal_add")
def _ov_literal_add(self, other, scale):
    return lambda self, other, scale: _literal_add(self, other) * scale


@njit
def method_user(x, y, z):
    return x.jb_test_literal_add(y, z)


def test_overload_method_asks_for_the_calls_own_values():
    assert method_user(1, 2, 3) == 9
    (sig,) = method_user.signatures
    assert sig[1] == types.literal(2) and not isinstance(sig[0], types.Literal)


def test_explicit_signatures_cannot_give_literal_types():
    def first(x):
        return literally(x)
    with pytest.raises(errors.TypingError, match="compiled for the signature"):
        njit("int64(int64)")(first)
    with pytest.raises(errors.TypingError, match="compiled for the signature"):
        jitbridge.cfunc("int64(int64)")(first)
