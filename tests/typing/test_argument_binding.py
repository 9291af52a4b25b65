"""Issue 11 (one argument binder): calls from compiled code fold positional, keyword and
default arguments against the callee's Python signature once, in typing. Jitted callees and
@overload implementations with keyword and default parameters behave as in Python."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge import types as _types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from jitbridge.extending import (NativeValue, models, overload, overload_method, register_model,
                                 typeof_impl, unbox)


def weights(a, b=2, c=7, d=0.5):
    return a + b * 10 + c * 100 + d


jit_weights = njit(weights)

#: every way of passing b, c, d (left out, by position where possible, by keyword)
CALLS = {
    "a": lambda f, a, b, c, d: f(a),
    "a,b": lambda f, a, b, c, d: f(a, b),
    "a,b,c,d": lambda f, a, b, c, d: f(a, b, c, d),
    "a,c=": lambda f, a, b, c, d: f(a, c=c),
    "a=,b=": lambda f, a, b, c, d: f(b=b, a=a),
    "a,d=,b=": lambda f, a, b, c, d: f(a, d=d, b=b),
    "a,b,d=": lambda f, a, b, c, d: f(a, b, d=d),
}


def _make_callers():
    """One compiled caller per way of calling (each a real function in this file)."""
    def call_a(a, b, c, d):
        return jit_weights(a)

    def call_ab(a, b, c, d):
        return jit_weights(a, b)

    def call_abcd(a, b, c, d):
        return jit_weights(a, b, c, d)

    def call_a_ckw(a, b, c, d):
        return jit_weights(a, c=c)

    def call_akw_bkw(a, b, c, d):
        return jit_weights(b=b, a=a)

    def call_a_dkw_bkw(a, b, c, d):
        return jit_weights(a, d=d, b=b)

    def call_ab_dkw(a, b, c, d):
        return jit_weights(a, b, d=d)

    return dict(zip(CALLS, map(njit, (call_a, call_ab, call_abcd, call_a_ckw, call_akw_bkw,
                                      call_a_dkw_bkw, call_ab_dkw))))


CALLERS = _make_callers()
SMALL = st.integers(-1000, 1000)


@given(st.sampled_from(sorted(CALLS)), SMALL, SMALL, SMALL, st.floats(-100, 100))
@settings(max_examples=80, deadline=None)
def test_keywords_and_defaults_match_python(how, a, b, c, d):
    assert CALLERS[how](a, b, c, d) == CALLS[how](weights, a, b, c, d)


def _unexpected_keyword(x):
    return jit_weights(x, e=1)


def _twice(x):
    return jit_weights(x, a=1)


def _missing(x):
    return jit_weights(b=x)


def _too_many(x):
    return jit_weights(x, 1, 2, 3, 4)


@pytest.mark.parametrize("caller, message", [
    (_unexpected_keyword, "weights() got an unexpected keyword argument 'e'"),
    (_twice, "weights() got multiple values for argument 'a'"),
    (_missing, "weights() missing 1 required argument: 'a'"),
    (_too_many, "weights(a, b, c, d) takes 4 arguments but 5 were given"),
])
def test_calls_python_would_reject_are_located_typing_errors(caller, message):
    with pytest.raises(TypingError) as info:
        njit(caller)(1)
    text = str(info.value)
    assert message in text and "weights" in text and f"def {caller.__name__}" not in text
    assert caller.__code__.co_filename in text  # located at the call, in the caller


def _star(*values):
    return len(values)


jit_star = njit(_star)


def _star_with_keyword(x):
    return jit_star(x, y=1)


def test_an_unknown_keyword_to_a_star_args_callee_is_refused_as_python_would():
    with pytest.raises(TypingError, match=r"_star\(\) got an unexpected keyword argument 'y'"):
        njit(_star_with_keyword)(1)


def _gather(first, *rest):
    return first, rest, len(rest)


def _scaled(a, *, scale=2, shift):
    return a * scale + shift


def _positional_only(a, b=3, /):
    return a - b


jit_gather, jit_scaled, jit_positional_only = map(njit, (_gather, _scaled, _positional_only))


def _calls_with_star_and_keyword_only(x):
    return (jit_gather(x), jit_gather(x, 1), jit_gather(x, 1, 2.5, (3, 4)),
            jit_scaled(x, shift=1), jit_scaled(x, scale=3, shift=0),
            jit_positional_only(x), jit_positional_only(x, 1))


@given(st.integers(-1000, 1000))
@settings(max_examples=20, deadline=None)
def test_star_args_keyword_only_and_positional_only_parameters_match_python(x):
    assert njit(_calls_with_star_and_keyword_only)(x) == _calls_with_star_and_keyword_only(x)
    assert jit_gather(x, 2.5, (1, 2)) == _gather(x, 2.5, (1, 2))
    assert jit_scaled(x, shift=5) == _scaled(x, shift=5)
    assert jit_positional_only(x, 4) == _positional_only(x, 4)


@pytest.mark.parametrize("call", [
    lambda: jit_scaled(1, 2), lambda: jit_scaled(1), lambda: jit_positional_only(a=1),
    lambda: jit_gather(), lambda: jit_gather(1, first=2),
])
def test_calls_from_python_bind_as_python_does(call):
    with pytest.raises(TypeError):
        call()


def test_a_tuple_passed_to_star_args_stays_one_argument():
    # (1, 2) must arrive as rest == ((1, 2),), never be taken for the packed tuple itself
    assert jit_gather(0, (1, 2)) == (0, ((1, 2),), 1)
    assert jit_gather(0, 1, 2) == (0, (1, 2), 2)


def scaled_total(a, scale=1.0, offset=0):
    """A function with an @overload taking keyword and default arguments."""
    return a.sum() * scale + offset


@overload(scaled_total)
def _scaled_total_typing(a, scale=1.0, offset=0):
    def impl(a, scale=1.0, offset=0):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i]
        return s * scale + offset
    return impl


@njit
def _overload_calls(a):
    return (scaled_total(a), scaled_total(a, 2.0), scaled_total(a, offset=5),
            scaled_total(offset=1, a=a, scale=3.0))


def test_overload_with_keyword_and_default_arguments():
    a = np.arange(4.0)
    assert _overload_calls(a) == (scaled_total(a), scaled_total(a, 2.0), scaled_total(a, offset=5),
                                  scaled_total(offset=1, a=a, scale=3.0))


class Meter:
    """A user type with an @overload_method taking keyword and default arguments."""


class MeterType(_types.Type):
    def __init__(self):
        super().__init__(name="Meter")


meter_type = MeterType()


@typeof_impl.register(Meter)
def _typeof_meter(value, context):
    return meter_type


register_model(MeterType)(models.OpaqueModel)


@unbox(MeterType)
def _unbox_meter(typ, obj, c):
    return NativeValue(c.context.get_constant_null(typ))


@overload_method(MeterType, "reading")
def _meter_reading(self, value, scale=10, offset=0.5):
    def impl(self, value, scale=10, offset=0.5):
        return value * scale + offset
    return impl


@njit
def _method_calls(m, x):
    return (m.reading(x), m.reading(x, 3), m.reading(x, offset=2.0),
            m.reading(offset=1.0, value=x, scale=2))


def test_overload_method_with_keyword_and_default_arguments():
    assert _method_calls(Meter(), 4) == (40.5, 12.5, 42.0, 9.0)


def _add3(a, b, c):
    return a + b * 10 + c * 100


jit_add3 = njit(_add3)


def _spreads(t, u):
    return jit_add3(*t), jit_add3(1, *u), (*t, 9), (0, *t, *u), (*u,), jit_gather(*t, *u)


@given(st.tuples(st.integers(-99, 99), st.integers(-99, 99), st.integers(-99, 99)),
       st.tuples(st.floats(-1e3, 1e3), st.integers(-99, 99)))
@settings(max_examples=20, deadline=None)
def test_star_spreads_tuples_into_calls_and_tuple_displays_as_python(t, u):
    assert njit(_spreads)(t, u) == _spreads(t, u)


def _spread_arrays(t, a):
    both = (*t, a)
    return both[0].sum() + both[-1].sum(), (a, *t), jit_gather(*t)


def test_spreading_tuples_of_arrays_keeps_reference_counts_exact():
    jitted, a, t = njit(_spread_arrays), np.ones(3), (np.ones(2), np.zeros(4))
    total, rebuilt, gathered = jitted(t, a)
    assert total == 5.0 and rebuilt[0] is a and rebuilt[1] is t[0] and gathered[1] == t[1:]
    with no_leaks(a, *t):
        for _ in range(3):
            jitted(t, a)


def _spread_a_number(x):
    return jit_add3(*x)


def test_spreading_a_non_tuple_is_a_located_typing_error():
    with pytest.raises(TypingError, match=r"only a tuple can be spread with '\*' in compiled "
                                          r"code, not int64") as info:
        njit(_spread_a_number)(3)
    assert "jit_add3(*x)" in str(info.value)


def _closure_defaults(x):
    scale = 3

    def inner(a, b=1.5, *, c=2):
        return (a + b) * c * scale
    return inner(x), inner(x, 2), inner(x, c=1), inner(a=x, b=0.5, c=4)


def _returned_closure():
    def bar(x, y=1.1):
        return x + y
    return bar


jit_returned_closure = njit(_returned_closure)


def _call_returned_closure():
    return jit_returned_closure()(4), jit_returned_closure()(4, y=2.0)


def test_inner_functions_fold_keywords_and_defaults_as_python():
    assert njit(_closure_defaults)(2) == _closure_defaults(2)
    assert njit(_call_returned_closure)() == (4 + 1.1, 6.0)


def _affine(a, b=2.0, *rest, c=1):
    return a * b + c + len(rest)


def test_calls_from_python_bind_the_same_through_cached_binding_plans():
    jitted = njit(_affine)
    calls = [((1.5,), {}), ((1.5, 3.0), {}), ((1.5,), {"b": 4.0}), ((1.5,), {"c": 7}),
             ((1.5, 3.0, 9, 9), {}), ((), {"a": 2.5, "c": 3}), ((np.float64(1.5),), {}),
             ((np.float32(1.5), np.float64(2.0)), {"c": np.int64(5)})]
    for _ in range(2):  # the second round binds through the plans made by the first
        for args, kws in calls:
            assert jitted(*args, **kws) == _affine(*args, **kws)
    with pytest.raises(TypeError, match="missing a required argument: 'a'"):
        jitted(b=1.0)


def test_numpy_scalars_reuse_the_specialisation_of_their_type():
    jitted = njit(_affine)
    jitted(np.float64(1.0), np.float64(2.0))
    count = len(jitted.signatures)
    assert jitted(np.float64(3.0), np.float64(4.0)) == _affine(3.0, 4.0)
    assert len(jitted.signatures) == count
    assert jitted(np.float32(1.0), np.float64(2.0)) == 3.0  # a float32 gets its own
    assert len(jitted.signatures) == count + 1


def _comprehension_scope(x, a):
    doubled = [x * 2 for x in range(3)]
    pairs = [i * 10 + j for i in range(3) for j in range(i, 3) if j != i]
    shifted = [x + v for v in a]
    return x, doubled, pairs, shifted


def test_a_comprehension_has_its_own_scope():
    a = np.arange(2.0)
    assert njit(_comprehension_scope)(10, a) == _comprehension_scope(10, a)


def _search(a, v, side="right"):
    return np.searchsorted(a, v, side=side)


def test_defaults_left_out_by_python_callers_stay_compile_time_constants():
    # as from compiled code: the omitted default is typed Omitted('right'), so an overload
    # that needs a literal (searchsorted's side=) still sees one
    jitted, a = njit(_search), np.array([1.0, 2.0, 2.0, 3.0])
    assert jitted(a, 2.0) == _search(a, 2.0) == 3
    assert any("omitted(default='right')" in str(sig) for sig in jitted.signatures)
    locked = njit("float64(float64, float64)")(_scaled_sum)  # explicit signatures: values
    assert locked(1.5) == _scaled_sum(1.5)


def _scaled_sum(a, b=2.0):
    return a * b
