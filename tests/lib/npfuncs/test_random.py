"""np.random.* and random.* in compiled code: differential against NumPy's legacy RandomState
and CPython's Random started from the same MT19937 state, per-thread states, errors, leaks."""
import os
import random
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def np_seed(n):
    np.random.seed(n)


@njit
def py_seed(n):
    random.seed(n)


@njit
def np_random():
    return np.random.random()


@njit
def py_random():
    return random.random()


def legacy(seed):
    return np.random.RandomState(seed)


def cpython_after(seed):
    """A CPython Random in the state NumPy's init_genrand(seed) leaves (Numba's seeding)."""
    _, key, pos, _, _ = legacy(seed).get_state()
    r = random.Random()
    r.setstate((3, tuple(int(k) for k in key) + (int(pos),), None))
    return r


# -- state and seeding ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 125, 2**32 - 1])
def test_seeded_doubles_match_numpy_across_reshuffles(seed):
    np_seed(seed)
    expected = legacy(seed).random_sample(1300)
    assert [np_random() for _ in range(1300)] == expected.tolist()


@njit
def _seeded_mix(seed, low, high, loc, scale):
    np.random.seed(seed)
    return (np.random.randint(low, high, 5), np.random.normal(loc, scale, 3),
            np.random.poisson(scale * 10.0), np.random.random())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(-2**62, 2**62), st.integers(1, 2**62 - 1),
       st.floats(-1e6, 1e6), st.floats(0.0, 1e3))
def test_any_seed_and_parameters_match_numpy(seed, low, width, loc, scale):
    got = _seeded_mix(seed, low, low + width, loc, scale)
    r = legacy(seed)
    expected = (r.randint(low, low + width, 5), r.normal(loc, scale, 3),
                r.poisson(scale * 10.0), r.random_sample())
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


def test_python_and_numpy_states_are_independent():
    py_seed(1)
    np_seed(2)
    pairs = [(py_random(), np_random()) for _ in range(10)]
    r = cpython_after(1)
    assert [p[0] for p in pairs] == [r.random() for _ in range(10)]
    assert [p[1] for p in pairs] == legacy(2).random_sample(10).tolist()


def test_bad_seed_raises_value_error():
    with pytest.raises(ValueError, match="Seed must be between 0 and 2\\*\\*32 - 1"):
        np_seed(-1)
    with pytest.raises(ValueError):
        np_seed(2**32)


@njit(nogil=True)
def _fill_bits(seed, out):
    if seed != 0:
        np.random.seed(seed)
    for i in range(out.size):
        out[i] = np.random.randint(1 << 32)


def _in_threads(seed, count=6):
    outs = [np.zeros(5000, np.uint32) for _ in range(count)]
    threads = [threading.Thread(target=_fill_bits, args=(seed, o)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outs


def test_threads_seeded_alike_draw_the_same_stream():
    outs = _in_threads(42)
    expected = legacy(42).randint(1 << 32, size=5000)
    assert all(np.array_equal(o, expected) for o in outs)


def test_unseeded_threads_draw_different_streams():
    outs = _in_threads(0)
    assert len({tuple(o[:8]) for o in outs}) == len(outs)
    for o in outs:
        assert abs(o.mean() / 2**32 - 0.5) < 0.03


@njit
def _reseed_from_os_and_draw():
    np.random.seed()
    random.seed()
    return np.random.random(), random.random()


def test_seed_without_argument_draws_os_entropy():
    first, second = _reseed_from_os_and_draw(), _reseed_from_os_and_draw()
    assert first != second and all(0.0 <= v < 1.0 for v in first + second)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_does_not_repeat_the_parent_stream():
    np_random()  # the parent's state exists before the fork
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report its next draw, then leave without running pytest's exit
        os.write(write, repr(np_random()).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = float(os.read(read, 64).decode())
    os.close(read)
    assert child != np_random()


# -- np.random: differential -----------------------------------------------------------------------

KERNELS = {
    "random_sample": njit(lambda size: np.random.random_sample(size)),
    "standard_normal": njit(lambda size: np.random.standard_normal(size)),
    "standard_exponential": njit(lambda size: np.random.standard_exponential(size)),
    "standard_cauchy": njit(lambda size: np.random.standard_cauchy(size)),
    "normal": njit(lambda a, b, size: np.random.normal(a, b, size)),
    "uniform": njit(lambda a, b, size: np.random.uniform(a, b, size)),
    "exponential": njit(lambda a, size: np.random.exponential(a, size)),
    "gamma": njit(lambda a, b, size: np.random.gamma(a, b, size)),
    "standard_gamma": njit(lambda a, size: np.random.standard_gamma(a, size)),
    "beta": njit(lambda a, b, size: np.random.beta(a, b, size)),
    "chisquare": njit(lambda a, size: np.random.chisquare(a, size)),
    "f": njit(lambda a, b, size: np.random.f(a, b, size)),
    "noncentral_chisquare": njit(lambda a, b, size: np.random.noncentral_chisquare(a, b, size)),
    "standard_t": njit(lambda a, size: np.random.standard_t(a, size)),
    "lognormal": njit(lambda a, b, size: np.random.lognormal(a, b, size)),
    "pareto": njit(lambda a, size: np.random.pareto(a, size)),
    "weibull": njit(lambda a, size: np.random.weibull(a, size)),
    "power": njit(lambda a, size: np.random.power(a, size)),
    "rayleigh": njit(lambda a, size: np.random.rayleigh(a, size)),
    "wald": njit(lambda a, b, size: np.random.wald(a, b, size)),
    "laplace": njit(lambda a, b, size: np.random.laplace(a, b, size)),
    "gumbel": njit(lambda a, b, size: np.random.gumbel(a, b, size)),
    "logistic": njit(lambda a, b, size: np.random.logistic(a, b, size)),
    "triangular": njit(lambda a, b, c, size: np.random.triangular(a, b, c, size)),
    "vonmises": njit(lambda a, b, size: np.random.vonmises(a, b, size)),
    "poisson": njit(lambda a, size: np.random.poisson(a, size)),
    "binomial": njit(lambda a, b, size: np.random.binomial(a, b, size)),
    "negative_binomial": njit(lambda a, b, size: np.random.negative_binomial(a, b, size)),
    "geometric": njit(lambda a, size: np.random.geometric(a, size)),
    "logseries": njit(lambda a, size: np.random.logseries(a, size)),
    "zipf": njit(lambda a, size: np.random.zipf(a, size)),
    "hypergeometric": njit(lambda a, b, c, size: np.random.hypergeometric(a, b, c, size)),
    "randint": njit(lambda a, b, size: np.random.randint(a, b, size)),
}

CASES = [
    ("random_sample", ()), ("standard_normal", ()), ("standard_exponential", ()),
    ("standard_cauchy", ()), ("normal", (1.5, 2.0)), ("uniform", (1.5, -2.5)),
    ("exponential", (1.5,)), ("gamma", (0.5, 2.0)), ("gamma", (1.0, 1.5)), ("gamma", (3.5, 2.0)),
    ("standard_gamma", (0.3,)), ("beta", (0.5, 0.7)), ("beta", (2.0, 3.0)),
    ("chisquare", (1.5,)), ("f", (3.0, 4.0)), ("noncentral_chisquare", (0.5, 1.0)),
    ("noncentral_chisquare", (3.0, 2.0)), ("standard_t", (5.0,)), ("lognormal", (1.0, 0.5)),
    ("pareto", (2.0,)), ("weibull", (1.5,)), ("power", (0.8,)), ("rayleigh", (2.0,)),
    ("wald", (1.0, 2.0)), ("laplace", (1.0, 2.0)), ("gumbel", (1.0, 2.0)),
    ("logistic", (1.0, 2.0)), ("triangular", (1.0, 2.0, 4.0)), ("vonmises", (0.5, 2.5)),
    ("vonmises", (1.0, 1e-9)), ("poisson", (0.5,)), ("poisson", (50.0,)),
    ("poisson", (900.5,)), ("binomial", (18, 0.25)), ("binomial", (100, 0.6)),
    ("binomial", (1000, 0.3)), ("negative_binomial", (10, 0.1)),
    ("negative_binomial", (0.3, 0.1)), ("geometric", (0.5,)), ("geometric", (0.01,)),
    ("logseries", (0.1,)), ("logseries", (0.9999,)), ("zipf", (1.5,)), ("zipf", (2.5,)),
    ("hypergeometric", (1000, 5000, 10)), ("hypergeometric", (5000, 1000, 200)),
    ("randint", (-5, 5000)), ("randint", (-2, 2**40)),
]


@pytest.mark.parametrize("name,args", CASES, ids=[f"{n}{a}" for n, a in CASES])
def test_draws_match_numpy_legacy(name, args):
    kernel = KERNELS[name]
    np_seed(7)
    got = [kernel(*args, None) for _ in range(30)] + [kernel(*args, (2, 3))]
    r = legacy(7)
    draw = getattr(r, name)
    expected = [draw(*args) for _ in range(30)] + [draw(*args, size=(2, 3))]
    for g, e in zip(got, expected):
        assert type(g) is type(e)
        np.testing.assert_array_equal(g, e)
        assert np.asarray(g).dtype == np.asarray(e).dtype


@pytest.mark.parametrize("name,args", [("normal", (1.5, 2.0)), ("poisson", (3.0,)),
                                       ("random_sample", ())])
def test_int_and_empty_tuple_sizes(name, args):
    np_seed(3)
    got = [KERNELS[name](*args, 25), KERNELS[name](*args, ()), KERNELS[name](*args, 0)]
    r = legacy(3)
    expected = [getattr(r, name)(*args, size=size) for size in (25, (), 0)]
    for g, e in zip(got, expected):
        assert g.shape == e.shape and g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


@njit
def _rand_randn(seed):
    np.random.seed(seed)
    a = np.random.rand(2, 3)
    b = np.random.randn(4)
    return a, b, np.random.rand(), np.random.randn()


def test_rand_and_randn_take_dimensions():
    a, b, c, d = _rand_randn(3)
    r = legacy(3)
    np.testing.assert_array_equal(a, r.rand(2, 3))
    np.testing.assert_array_equal(b, r.randn(4))
    assert (c, d) == (r.rand(), r.randn())


@njit
def _keywords():
    np.random.seed(seed=4)
    return (np.random.normal(loc=1.0, scale=2.0, size=3), np.random.gamma(shape=2, scale=2.0),
            np.random.triangular(left=1.0, mode=2.0, right=3.0, size=2),
            np.random.randint(low=1, high=9, size=3), np.random.wald(mean=1.0, scale=2.0))


def test_numpy_keyword_names():
    got = _keywords()
    r = legacy(4)
    expected = (r.normal(1.0, 2.0, 3), r.gamma(2, 2.0), r.triangular(1.0, 2.0, 3.0, 2),
                r.randint(1, 9, 3), r.wald(1.0, 2.0))
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


# -- choice, shuffle, permutation, multinomial, dirichlet --------------------------------------

@njit
def _choice(a, size, replace):
    return np.random.choice(a, size, replace)


@njit
def _choice_p(a, size, replace, p):
    return np.random.choice(a, size, replace, p)


@njit
def _choice_one(a):
    return np.random.choice(a)


@pytest.mark.parametrize("replace", [True, False])
def test_choice_matches_numpy(replace):
    pop = np.arange(50) * 2 + 100
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.0])
    np_seed(11)
    got = [_choice(50, (2, 3), replace), _choice(pop, 7, replace),
           _choice_p(5, 4, replace, p), _choice_one(pop), _choice_one(9)]
    r = legacy(11)
    expected = [r.choice(50, (2, 3), replace), r.choice(pop, 7, replace),
                r.choice(5, 4, replace, p), r.choice(pop), r.choice(9)]
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


def test_choice_errors():
    with pytest.raises(ValueError, match="larger sample than population"):
        _choice(5, 6, False)
    with pytest.raises(ValueError, match="do not sum to 1"):
        _choice_p(2, 3, True, np.array([0.5, 0.6]))
    with pytest.raises(ValueError, match="same size"):
        _choice_p(3, 3, True, np.array([0.5, 0.5]))


@njit
def _np_shuffle(x):
    np.random.shuffle(x)


@njit
def _permutation(x):
    return np.random.permutation(x)


def test_shuffle_and_permutation_match_numpy():
    a, b = np.arange(20), np.arange(32).reshape(8, 4)
    np_seed(5)
    _np_shuffle(a)
    _np_shuffle(b)
    got = [a, b, _permutation(10), _permutation(np.arange(27).reshape(3, 3, 3))]
    r = legacy(5)
    ea, eb = np.arange(20), np.arange(32).reshape(8, 4)
    r.shuffle(ea)
    r.shuffle(eb)
    expected = [ea, eb, r.permutation(10), r.permutation(np.arange(27).reshape(3, 3, 3))]
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


@njit
def _multi_dirichlet(n, pvals, alpha):
    return (np.random.multinomial(n, pvals, (2, 3)), np.random.multinomial(n, pvals),
            np.random.dirichlet(alpha, 4), np.random.dirichlet(alpha))


def test_multinomial_and_dirichlet_match_numpy():
    pvals = np.array([1, 1, 1, 2, 3, 1.0]) / 9
    alpha = np.array([0.5, 2.0, 3.0])
    np_seed(9)
    got = _multi_dirichlet(1000, pvals, alpha)
    r = legacy(9)
    expected = (r.multinomial(1000, pvals, (2, 3)), r.multinomial(1000, pvals),
                r.dirichlet(alpha, 4), r.dirichlet(alpha))
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


# -- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,args,message", [
    ("normal", (0.0, -1.0), "scale < 0"), ("exponential", (-1.0,), "scale < 0"),
    ("gamma", (-1.0, 1.0), "shape < 0"), ("beta", (0.0, 1.0), "a <= 0"),
    ("binomial", (-1, 0.5), "n < 0"), ("binomial", (10, 1.5), "p < 0, p > 1"),
    ("poisson", (-0.1,), "lam < 0"), ("zipf", (1.0,), "a <= 1"),
    ("triangular", (2.0, 1.0, 3.0), "left > mode"), ("wald", (0.0, 1.0), "mean <= 0"),
    ("hypergeometric", (1, 1, 3), "ngood \\+ nbad < nsample"), ("randint", (5, 5), "low >= high"),
    ("geometric", (0.0,), "p <= 0"), ("logseries", (1.0,), "p >= 1"),
])
def test_invalid_parameters_raise_value_error(name, args, message):
    for size in (None, 3):
        with pytest.raises(ValueError, match=message):
            KERNELS[name](*args, size)
        with pytest.raises(ValueError):
            getattr(np.random, name)(*args, size=size)


@njit
def _bad_size(size):
    return np.random.noncentral_chisquare(1.0, 1.0, size)


@pytest.mark.parametrize("size", [1.5, (1.5, 1), True])
def test_bad_size_is_a_typing_error(size):
    with pytest.raises(TypingError, match="size should be int or tuple of ints or None"):
        _bad_size(size)


def test_sized_forms_do_not_leak():
    np_seed(1)
    with no_leaks():
        KERNELS["normal"](0.0, 1.0, (10, 10))
        KERNELS["binomial"](10, 0.5, 7)
        _choice(50, 10, False)
        _choice_p(5, 4, False, np.array([0.1, 0.2, 0.3, 0.4, 0.0]))
        _multi_dirichlet(10, np.array([0.5, 0.5]), np.array([1.0, 2.0]))
        _permutation(np.arange(6).reshape(3, 2))


# -- Python's random -------------------------------------------------------------------------------

PY_KERNELS = {
    "random": njit(lambda: random.random()),
    "getrandbits": njit(lambda k: random.getrandbits(k)),
    "randrange": njit(lambda a, b, c: random.randrange(a, b, c)),
    "randint": njit(lambda a, b: random.randint(a, b)),
    "uniform": njit(lambda a, b: random.uniform(a, b)),
    "triangular": njit(lambda a, b, c: random.triangular(a, b, c)),
    "gauss": njit(lambda a, b: random.gauss(a, b)),
    "normalvariate": njit(lambda a, b: random.normalvariate(a, b)),
    "lognormvariate": njit(lambda a, b: random.lognormvariate(a, b)),
    "gammavariate": njit(lambda a, b: random.gammavariate(a, b)),
    "betavariate": njit(lambda a, b: random.betavariate(a, b)),
    "vonmisesvariate": njit(lambda a, b: random.vonmisesvariate(a, b)),
    "expovariate": njit(lambda a: random.expovariate(a)),
    "paretovariate": njit(lambda a: random.paretovariate(a)),
    "weibullvariate": njit(lambda a, b: random.weibullvariate(a, b)),
}
PY_CASES = [
    ("random", ()), ("getrandbits", (7,)), ("getrandbits", (40,)), ("getrandbits", (64,)),
    ("randrange", (-2, 2**40, 6)), ("randrange", (100, 2, -3)), ("randint", (13, 5000)),
    ("uniform", (1.5, -2.5)), ("triangular", (1.5, 3.5, 2.2)), ("gauss", (1.0, 2.0)),
    ("normalvariate", (1.0, 2.0)), ("lognormvariate", (1.0, 0.5)),
    ("gammavariate", (0.5, 2.5)), ("gammavariate", (1.5, 3.5)), ("betavariate", (0.5, 2.5)),
    ("vonmisesvariate", (0.5, 2.5)), ("expovariate", (1.5,)), ("paretovariate", (3.5,)),
    ("weibullvariate", (0.5, 2.5)),
]


@pytest.mark.parametrize("name,args", PY_CASES, ids=[f"{n}{a}" for n, a in PY_CASES])
def test_python_random_matches_cpython_from_the_same_state(name, args):
    py_seed(5)
    got = [PY_KERNELS[name](*args) for _ in range(700)]
    r = cpython_after(5)
    assert got == [getattr(r, name)(*args) for _ in range(700)]


@njit
def _py_shuffle(x):
    random.shuffle(x)


def test_python_shuffle_and_errors():
    py_seed(3)
    x = np.arange(20)
    _py_shuffle(x)
    expected = list(range(20))
    cpython_after(3).shuffle(expected)
    assert x.tolist() == expected
    with pytest.raises(ValueError, match="empty range"):
        PY_KERNELS["randint"](5, 4)
    with pytest.raises(ValueError, match="gammavariate"):
        PY_KERNELS["gammavariate"](0.0, 1.0)
    with pytest.raises(OverflowError):
        PY_KERNELS["getrandbits"](65)


def test_python_seed_keeps_the_low_32_bits_like_numba():
    py_seed(2**32 + 5)
    high = [py_random() for _ in range(5)]
    py_seed(5)
    assert high == [py_random() for _ in range(5)]
