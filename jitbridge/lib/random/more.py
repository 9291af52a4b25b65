"""more: the np.random distributions beyond the core (gamma, beta, binomial, poisson
...), each a scalar draw of `dists` with NumPy's parameter names, defaults, `size=`
forms and legacy parameter checks (ValueError with NumPy's messages).

Each function is registered from one table row: its parameters and their defaults, the draw,
the check, and whether it returns integers. The typing function gets NumPy's signature as its
`__signature__`, so keyword calls bind exactly as NumPy's do."""
from __future__ import annotations

import inspect
import math

import numpy as np

from ... import types
from ...extending import overload, register_jitable
from . import dists as dists
from .state import drawer, float_params, legacy_gauss, no_check
from .. import math_ieee

_REQUIRED = inspect.Parameter.empty


def _raise_if(bad, message):
    pass


@overload(_raise_if)
def _raise_if_impl(bad, message):
    def impl(bad, message):
        if bad:
            raise ValueError(message)
    return impl


# -- checks (NumPy's legacy messages) ------------------------------------------------------------

@register_jitable
def _last_nonneg(args):
    _raise_if(args[-1] < 0, "scale < 0")


@register_jitable
def _gamma_check(args):
    _raise_if(args[0] < 0, "shape < 0")
    _raise_if(args[-1] < 0, "scale < 0")


@register_jitable
def _beta_check(args):
    _raise_if(args[0] <= 0, "a <= 0")
    _raise_if(args[1] <= 0, "b <= 0")


@register_jitable
def _df_check(args):
    _raise_if(args[0] <= 0, "df <= 0")


@register_jitable
def _f_check(args):
    _raise_if(args[0] <= 0, "dfnum <= 0")
    _raise_if(args[1] <= 0, "dfden <= 0")


@register_jitable
def _noncentral_check(args):
    _raise_if(args[0] <= 0, "df <= 0")
    _raise_if(args[1] < 0, "nonc < 0")


@register_jitable
def _a_positive(args):
    _raise_if(args[0] <= 0, "a <= 0")


@register_jitable
def _a_nonneg(args):
    _raise_if(args[0] < 0, "a < 0")


@register_jitable
def _sigma_check(args):
    _raise_if(args[1] < 0, "sigma < 0")


@register_jitable
def _wald_check(args):
    _raise_if(args[0] <= 0, "mean <= 0")
    _raise_if(args[1] <= 0, "scale <= 0")


@register_jitable
def _triangular_check(args):
    left, mode, right = args
    _raise_if(left > mode, "left > mode")
    _raise_if(mode > right, "mode > right")
    _raise_if(left == right, "left == right")


@register_jitable
def _vonmises_check(args):
    _raise_if(args[1] < 0, "kappa < 0")


@register_jitable
def _binomial_check(args):
    n, p = args
    _raise_if(n < 0, "n < 0")
    _raise_if(not (p >= 0 and p <= 1), "p < 0, p > 1 or p is NaN")


@register_jitable
def _negative_binomial_check(args):
    n, p = args
    _raise_if(not n > 0, "n <= 0")
    _raise_if(not (p >= 0 and p <= 1), "p < 0, p > 1 or p is NaN")


@register_jitable
def _poisson_check(args):
    _raise_if(not args[0] >= 0, "lam < 0 or lam is NaN")
    _raise_if(args[0] > 9.223372006484771e18, "lam value too large")


@register_jitable
def _geometric_check(args):
    p = args[0]
    _raise_if(not p > 0, "p <= 0, p > 1 or p contains NaNs")
    _raise_if(p > 1, "p <= 0, p > 1 or p contains NaNs")


@register_jitable
def _logseries_check(args):
    p = args[0]
    _raise_if(not (p >= 0 and p < 1), "p < 0, p >= 1 or p is NaN")


@register_jitable
def _zipf_check(args):
    _raise_if(not args[0] > 1, "a <= 1 or a is NaN")


@register_jitable
def _hypergeometric_check(args):
    good, bad, sample = args
    _raise_if(good + bad < sample, "ngood + nbad < nsample")
    _raise_if(good < 0, "ngood < 0")
    _raise_if(bad < 0, "nbad < 0")
    _raise_if(sample < 1, "nsample < 1 or nsample is NaN")


# -- draws taking the parameters as NumPy orders them ---------------------------------------------

@register_jitable
def _gamma(st, shape, scale):
    return scale * dists.std_gamma(st, shape)


@register_jitable
def _f(st, dfnum, dfden):
    return (dists.chisquare(st, dfnum) * dfden) / (dists.chisquare(st, dfden) * dfnum)


@register_jitable
def _lognormal(st, mean, sigma):
    return math_ieee.exp(mean + sigma * legacy_gauss(st))


@register_jitable
def _pareto(st, a):
    return math_ieee.exp(dists.std_exponential(st) / a) - 1


@register_jitable
def _weibull(st, a):
    if a == 0.0:
        return 0.0
    return dists.std_exponential(st) ** (1.0 / a)


@register_jitable
def _power(st, a):
    return (1 - math_ieee.exp(-dists.std_exponential(st))) ** (1.0 / a)


@register_jitable
def _rayleigh(st, scale):
    return scale * math_ieee.sqrt(-2.0 * math_ieee.log1p(-dists.next_double(st)))


@register_jitable
def _standard_cauchy(st):
    return legacy_gauss(st) / legacy_gauss(st)


@register_jitable
def _negative_binomial(st, n, p):
    return dists.poisson(st, _gamma(st, n, (1 - p) / p))


@register_jitable
def _binomial(st, n, p):
    return dists.binomial(st, n, p)


# -- registration ---------------------------------------------------------------------------------

def _impl_for(count, run, draw, check, convert):
    if count == 0:
        return lambda size: run(draw, check, (), size)
    if count == 1:
        return lambda a, size: run(draw, check, convert((a,)), size)
    if count == 2:
        return lambda a, b, size: run(draw, check, convert((a, b)), size)
    return lambda a, b, c, size: run(draw, check, convert((a, b, c)), size)


@register_jitable
def _floats(args):
    return _to_floats(args)


def _to_floats(args):
    """The parameters as float64 (compiled code only)."""


@overload(_to_floats)
def _to_floats_impl(args):
    count = len(args)
    if count == 1:
        return lambda args: (float(args[0]),)
    if count == 2:
        return lambda args: (float(args[0]), float(args[1]))
    return lambda args: (float(args[0]), float(args[1]), float(args[2]))


@register_jitable
def _int_float(args):
    return (np.int64(args[0]), float(args[1]))


@register_jitable
def _ints(args):
    return (np.int64(args[0]), np.int64(args[1]), np.int64(args[2]))


def _int_params(*params) -> bool:
    return all(isinstance(p, (types.Omitted, types.Integer, types.Boolean)) for p in params)


def _register(func, params, draw, check, integral=False, convert=_floats, accepts=float_params):
    """Overload `func(*params, size=None)`; `params`: ((name, default), ...)."""
    fname = func.__name__

    def typer(*args):
        *values, size = args
        if not accepts(*values):
            return None
        return _impl_for(len(values), drawer(fname, size, integral), draw, check, convert)

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    typer.__signature__ = inspect.Signature(
        [inspect.Parameter(name, kind, default=default) for name, default in params]
        + [inspect.Parameter("size", kind, default=None)])
    typer.__name__ = typer.__qualname__ = f"np_random_{fname}"
    overload(func)(typer)


_R = np.random
_LOC_SCALE = (("loc", 0.0), ("scale", 1.0))
_TABLE = [
    (_R.gamma, (("shape", _REQUIRED), ("scale", 1.0)), _gamma, _gamma_check),
    (_R.standard_gamma, (("shape", _REQUIRED),), dists.std_gamma, _gamma_check),
    (_R.beta, (("a", _REQUIRED), ("b", _REQUIRED)), dists.beta, _beta_check),
    (_R.chisquare, (("df", _REQUIRED),), dists.chisquare, _df_check),
    (_R.f, (("dfnum", _REQUIRED), ("dfden", _REQUIRED)), _f, _f_check),
    (_R.noncentral_chisquare, (("df", _REQUIRED), ("nonc", _REQUIRED)),
     dists.noncentral_chisquare, _noncentral_check),
    (_R.standard_t, (("df", _REQUIRED),), dists.standard_t, _df_check),
    (_R.standard_cauchy, (), _standard_cauchy, no_check),
    (_R.lognormal, (("mean", 0.0), ("sigma", 1.0)), _lognormal, _sigma_check),
    (_R.pareto, (("a", _REQUIRED),), _pareto, _a_positive),
    (_R.weibull, (("a", _REQUIRED),), _weibull, _a_nonneg),
    (_R.power, (("a", _REQUIRED),), _power, _a_positive),
    (_R.rayleigh, (("scale", 1.0),), _rayleigh, _last_nonneg),
    (_R.wald, (("mean", _REQUIRED), ("scale", _REQUIRED)), dists.wald, _wald_check),
    (_R.laplace, _LOC_SCALE, dists.laplace, _last_nonneg),
    (_R.gumbel, _LOC_SCALE, dists.gumbel, _last_nonneg),
    (_R.logistic, _LOC_SCALE, dists.logistic, _last_nonneg),
    (_R.triangular, (("left", _REQUIRED), ("mode", _REQUIRED), ("right", _REQUIRED)),
     dists.triangular, _triangular_check),
    (_R.vonmises, (("mu", _REQUIRED), ("kappa", _REQUIRED)), dists.vonmises, _vonmises_check),
]
_INT_TABLE = [
    (_R.poisson, (("lam", 1.0),), dists.poisson, _poisson_check),
    (_R.negative_binomial, (("n", _REQUIRED), ("p", _REQUIRED)), _negative_binomial,
     _negative_binomial_check),
    (_R.geometric, (("p", _REQUIRED),), dists.geometric, _geometric_check),
    (_R.logseries, (("p", _REQUIRED),), dists.logseries, _logseries_check),
    (_R.zipf, (("a", _REQUIRED),), dists.zipf, _zipf_check),
]

for _row in _TABLE:
    _register(*_row)
for _row in _INT_TABLE:
    _register(*_row, integral=True)
_register(_R.binomial, (("n", _REQUIRED), ("p", _REQUIRED)), _binomial, _binomial_check,
          integral=True, convert=_int_float,
          accepts=lambda n, p: _int_params(n) and float_params(p))
_register(_R.hypergeometric, (("ngood", _REQUIRED), ("nbad", _REQUIRED),
                              ("nsample", _REQUIRED)), dists.hypergeometric,
          _hypergeometric_check, integral=True, convert=_ints, accepts=_int_params)
