"""The native dispatcher binds calls with keywords, omitted defaults, an empty **kwargs and
NumPy scalar arguments without running Python code (runtime/helpers.py jb_bind_arguments,
boxing's exact checks), with Python's results, and leaves every unusual call (errors
included) to the Python fallback, which reports it as Python does."""
import sys

import numpy as np
import pytest

from jitbridge import njit


def affine(a, b=2.0, c=3):
    return a * b + c


def posonly(a, /, b=1):
    return a - b


def counting(dispatcher):
    """Make the dispatcher count the calls that reach its Python fallback."""
    seen = []
    fallback = dispatcher._fallback

    def counted(*args, **kws):
        seen.append((args, kws))
        return fallback(*args, **kws)
    dispatcher._fallback = counted
    return seen


CALLS = [((1.5,), {}), ((1.5,), {"b": 4.0}), ((1.5,), {"c": 7}), ((1.5,), {"c": 7, "b": 0.5}),
         ((), {"a": 1.5, "c": 1}), ((1.5, 4.0), {"c": 2}), ((1.5, 4.0, 2), {}),
         ((np.float64(1.5),), {}), ((1.5, np.float64(4.0)), {"c": np.int64(2)})]


def test_keyword_and_default_calls_run_natively_with_python_results():
    f = njit(affine)
    for args, kws in CALLS:  # compile each shape once
        assert f(*args, **kws) == affine(*args, **kws)
    seen = counting(f)
    for args, kws in CALLS:
        assert f(*args, **kws) == affine(*args, **kws)
    assert seen == []


def test_an_empty_star_star_kwargs_is_a_positional_call():
    f = njit(affine)
    f(1.0, 2.0, 3)
    seen = counting(f)
    assert f(1.0, 2.0, 3, **{}) == affine(1.0, 2.0, 3)
    assert seen == []


@pytest.mark.parametrize("scalar", [np.float64(2.5), np.float32(2.5), np.int8(-3), np.int32(7),
                                    np.int64(7), np.longlong(7), np.uint16(9), np.uint64(2**63),
                                    np.bool_(True), np.complex128(1 + 2j), np.complex64(1j)])
def test_numpy_scalars_dispatch_natively_to_their_own_type(scalar):
    f = njit(lambda x: x)
    want = f(scalar)
    signatures = list(f.signatures)
    seen = counting(f)
    assert f(scalar) == want == scalar.item()
    assert seen == [] and f.signatures == signatures


def test_bad_calls_reach_the_fallback_and_fail_as_in_python():  # (inspect's words)
    f, g = njit(affine), njit(posonly)
    f(1.0), f(1.0, b=2.0), g(5), g(5, b=2)
    bad = [(f, (1.0,), {"d": 1}), (f, (1.0,), {"a": 2.0}), (f, (), {"b": 1.0}),
           (f, (1.0, 2.0, 3, 4), {}), (g, (), {"a": 1})]
    for dispatcher, args, kws in bad:
        with pytest.raises(TypeError, match=rf"^{dispatcher.__name__}\(\): "):
            dispatcher(*args, **kws)
        with pytest.raises(TypeError):
            dispatcher.py_func(*args, **kws)


def test_binding_keeps_reference_counts():
    f = njit(affine)
    x, b = 12345.5, 6789.25
    f(x, b=b), f(x)
    before = sys.getrefcount(x), sys.getrefcount(b)
    for _ in range(1000):
        f(x, b=b)
        f(x)
    assert (sys.getrefcount(x), sys.getrefcount(b)) == before


def test_explicit_signatures_take_the_default_values():
    f = njit("float64(float64, float64, int64)")(affine)
    seen = counting(f)
    assert f(1.5) == affine(1.5) and f(1.5, c=1) == affine(1.5, c=1)
    assert seen == []


def test_the_table_reorders_itself_without_losing_a_specialisation():
    f = njit(lambda a: a.itemsize * 10 + a.ndim)
    arrays = [np.zeros((1,) * nd, dt) for dt in ("i1", "i4", "f4", "f8", "c16") for nd in (1, 2, 3)]
    for a in arrays:
        f(a)
    seen = counting(f)
    order = list(range(len(arrays)))
    for k in range(200):  # hot ones first, then every one, so matches move both ways
        a = arrays[order[-1 - k % 3]] if k < 100 else arrays[k % len(arrays)]
        assert f(a) == a.itemsize * 10 + a.ndim
    assert seen == []


def test_compile_returns_a_callable_specialisation():
    f = njit(affine)
    compiled = f.compile("float64(float64, float64, int64)")
    assert compiled(1.5, 2.0, 3) == affine(1.5, 2.0, 3)
