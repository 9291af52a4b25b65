"""np.random.Generator's distribution methods in compiled code, bit for bit against NumPy's
Generator with the same seed (scalars, arrays, the bit generator's final state), with NumPy's
parameter errors."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError

# name -> (jitted (g, size) -> draws, the same in Python, parameter sets)
DISTRIBUTIONS = {
    "standard_gamma": (njit(lambda g, a, size: g.standard_gamma(a, size)),
                       lambda g, a, size: g.standard_gamma(a, size),
                       [(0.5,), (1.0,), (5.0,), (0.0,)]),
    "gamma": (njit(lambda g, a, b, size: g.gamma(a, b, size)),
              lambda g, a, b, size: g.gamma(a, b, size), [(0.3, 2.0), (7.5, 0.5)]),
    "beta": (njit(lambda g, a, b, size: g.beta(a, b, size)),
             lambda g, a, b, size: g.beta(a, b, size),
             [(0.5, 0.7), (2.0, 3.0), (0.5, 3.0), (1e-300, 1e-300), (1e-110, 3e-110)]),
    "chisquare": (njit(lambda g, a, size: g.chisquare(a, size)),
                  lambda g, a, size: g.chisquare(a, size), [(3.0,), (0.5,)]),
    "f": (njit(lambda g, a, b, size: g.f(a, b, size)),
          lambda g, a, b, size: g.f(a, b, size), [(3.0, 5.0)]),
    "noncentral_chisquare": (njit(lambda g, a, b, size: g.noncentral_chisquare(a, b, size)),
                             lambda g, a, b, size: g.noncentral_chisquare(a, b, size),
                             [(3.0, 2.0), (0.5, 2.0), (3.0, 0.0), (3.0, np.nan)]),
    "noncentral_f": (njit(lambda g, a, b, c, size: g.noncentral_f(a, b, c, size)),
                     lambda g, a, b, c, size: g.noncentral_f(a, b, c, size),
                     [(3.0, 5.0, 1.5)]),
    "standard_cauchy": (njit(lambda g, size: g.standard_cauchy(size)),
                        lambda g, size: g.standard_cauchy(size), [()]),
    "standard_t": (njit(lambda g, a, size: g.standard_t(a, size)),
                   lambda g, a, size: g.standard_t(a, size), [(3.0,), (0.3,), (np.nan,)]),
    "pareto": (njit(lambda g, a, size: g.pareto(a, size)),
               lambda g, a, size: g.pareto(a, size), [(2.0,)]),
    "weibull": (njit(lambda g, a, size: g.weibull(a, size)),
                lambda g, a, size: g.weibull(a, size), [(2.0,), (0.0,)]),
    "power": (njit(lambda g, a, size: g.power(a, size)),
              lambda g, a, size: g.power(a, size), [(2.0,)]),
    "laplace": (njit(lambda g, a, b, size: g.laplace(a, b, size)),
                lambda g, a, b, size: g.laplace(a, b, size), [(1.0, 2.0)]),
    "gumbel": (njit(lambda g, a, b, size: g.gumbel(a, b, size)),
               lambda g, a, b, size: g.gumbel(a, b, size), [(1.0, 2.0)]),
    "logistic": (njit(lambda g, a, b, size: g.logistic(a, b, size)),
                 lambda g, a, b, size: g.logistic(a, b, size), [(1.0, 2.0)]),
    "lognormal": (njit(lambda g, a, b, size: g.lognormal(a, b, size)),
                  lambda g, a, b, size: g.lognormal(a, b, size), [(1.0, 0.5)]),
    "rayleigh": (njit(lambda g, a, size: g.rayleigh(a, size)),
                 lambda g, a, size: g.rayleigh(a, size), [(2.0,)]),
    "wald": (njit(lambda g, a, b, size: g.wald(a, b, size)),
             lambda g, a, b, size: g.wald(a, b, size), [(1.0, 2.0), (3.0, 0.1), (1e8, 2.25)]),
    "triangular": (njit(lambda g, a, b, c, size: g.triangular(a, b, c, size)),
                   lambda g, a, b, c, size: g.triangular(a, b, c, size),
                   [(0.0, 1.0, 3.0), (0.0, 0.0, 1.0)]),
    "vonmises": (njit(lambda g, a, b, size: g.vonmises(a, b, size)),
                 lambda g, a, b, size: g.vonmises(a, b, size),
                 [(0.5, 2.0), (0.0, 1e-9), (3.0, 1e7), (0.0, 1e-6), (-3.0, 0.5)]),
    "poisson": (njit(lambda g, a, size: g.poisson(a, size)),
                lambda g, a, size: g.poisson(a, size), [(3.0,), (50.0,), (0.0,), (1e12,)]),
    "binomial": (njit(lambda g, a, b, size: g.binomial(a, b, size)),
                 lambda g, a, b, size: g.binomial(a, b, size),
                 [(10, 0.3), (1000, 0.4), (1000, 0.9), (5, 0.8), (0, 0.5), (7, 0.0),
                  (10**9, 0.5)]),
    "negative_binomial": (njit(lambda g, a, b, size: g.negative_binomial(a, b, size)),
                          lambda g, a, b, size: g.negative_binomial(a, b, size),
                          [(5.0, 0.3), (0.5, 0.9)]),
    "geometric": (njit(lambda g, a, size: g.geometric(a, size)),
                  lambda g, a, size: g.geometric(a, size), [(0.5,), (0.01,), (1e-20,)]),
    "logseries": (njit(lambda g, a, size: g.logseries(a, size)),
                  lambda g, a, size: g.logseries(a, size), [(0.3,), (0.99,), (0.0,)]),
    "zipf": (njit(lambda g, a, size: g.zipf(a, size)),
             lambda g, a, size: g.zipf(a, size), [(1.5,), (3.0,), (2000.0,)]),
}

CASES = [(name, params) for name, (_, _, sets) in DISTRIBUTIONS.items() for params in sets]


@pytest.mark.parametrize("name, params", CASES)
def test_draws_match_numpy(name, params):
    compiled, python, _ = DISTRIBUTIONS[name]
    a, b = np.random.default_rng(7), np.random.default_rng(7)
    for size in (None, 3000):
        got, expected = compiled(a, *params, size), python(b, *params, size)
        np.testing.assert_array_equal(got, expected)
        assert np.asarray(got).dtype == np.asarray(expected).dtype
        assert a.bit_generator.state == b.bit_generator.state


@pytest.mark.parametrize("bitgen", [np.random.MT19937, np.random.Philox])
def test_other_bit_generators(bitgen):
    for name in ("gamma", "binomial", "poisson", "beta"):
        compiled, python, sets = DISTRIBUTIONS[name]
        a, b = np.random.Generator(bitgen(3)), np.random.Generator(bitgen(3))
        np.testing.assert_array_equal(compiled(a, *sets[1], 500), python(b, *sets[1], 500))


@njit
def standard_gamma32(g, shape, n):
    return g.standard_gamma(shape, n, dtype=np.float32)


@pytest.mark.parametrize("shape", [0.4, 1.0, 3.5])
def test_float32_standard_gamma(shape):
    a, b = np.random.default_rng(2), np.random.default_rng(2)
    got = standard_gamma32(a, shape, 5000)
    expected = b.standard_gamma(shape, 5000, dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


BAD_PARAMETERS = [
    ("standard_gamma", (-1.0,)), ("gamma", (-1.0, 1.0)), ("gamma", (1.0, -1.0)),
    ("beta", (0.0, 1.0)), ("beta", (1.0, -2.0)), ("negative_binomial", (np.nan, 0.5)),
    ("chisquare", (0.0,)),
    ("f", (0.0, 1.0)), ("f", (1.0, 0.0)), ("noncentral_chisquare", (0.0, 1.0)),
    ("noncentral_chisquare", (1.0, -1.0)), ("noncentral_f", (1.0, 1.0, -1.0)),
    ("standard_t", (0.0,)), ("pareto", (0.0,)), ("weibull", (-1.0,)), ("power", (0.0,)),
    ("laplace", (0.0, -1.0)), ("gumbel", (0.0, -1.0)), ("logistic", (0.0, -1.0)),
    ("lognormal", (0.0, -1.0)), ("rayleigh", (-1.0,)), ("wald", (0.0, 1.0)),
    ("wald", (1.0, 0.0)), ("triangular", (1.0, 0.0, 2.0)), ("triangular", (0.0, 3.0, 2.0)),
    ("triangular", (1.0, 1.0, 1.0)), ("vonmises", (0.0, -1.0)), ("poisson", (-1.0,)),
    ("poisson", (np.nan,)), ("poisson", (1e19,)), ("binomial", (-1, 0.5)),
    ("binomial", (1, 1.5)), ("binomial", (1, np.nan)), ("negative_binomial", (0.0, 0.5)),
    ("negative_binomial", (1.0, 0.0)), ("geometric", (0.0,)), ("geometric", (1.5,)),
    ("logseries", (1.0,)), ("logseries", (-0.1,)), ("zipf", (1.0,)), ("zipf", (np.nan,)),
]


@pytest.mark.parametrize("name, params", BAD_PARAMETERS)
def test_parameter_errors_match_numpy(name, params):
    compiled, python, _ = DISTRIBUTIONS[name]
    g = np.random.default_rng(1)
    with pytest.raises(ValueError) as expected:
        python(g, *params, None)
    with pytest.raises(ValueError) as got:
        compiled(g, *params, None)
    assert str(got.value) == str(expected.value)


def test_keyword_arguments_and_defaults():
    @njit
    def keywords(g):
        return (g.standard_gamma(shape=5.0, size=3), g.gamma(shape=2.0), g.poisson(),
                g.poisson(lam=4.0, size=2), g.laplace(), g.rayleigh(), g.lognormal(sigma=0.5),
                g.binomial(n=10, p=0.5), g.chisquare(df=2.0), g.standard_t(df=4.0))

    a, b = np.random.default_rng(3), np.random.default_rng(3)
    expected = (b.standard_gamma(shape=5.0, size=3), b.gamma(shape=2.0), b.poisson(),
                b.poisson(lam=4.0, size=2), b.laplace(), b.rayleigh(), b.lognormal(sigma=0.5),
                b.binomial(n=10, p=0.5), b.chisquare(df=2.0), b.standard_t(df=4.0))
    for got, want in zip(keywords(a), expected):
        np.testing.assert_array_equal(got, want)


def test_parameter_types_are_checked():
    @njit
    def bad_shape(g):
        return g.standard_gamma("x")

    @njit
    def bad_n(g):
        return g.binomial(1.5, 0.5)

    g = np.random.default_rng(1)
    with pytest.raises(TypingError, match="Argument shape is not one of the expected"):
        bad_shape(g)
    with pytest.raises(TypingError, match="Argument n is not one of the expected"):
        bad_n(g)
