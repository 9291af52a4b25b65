"""gen_methods: the distribution methods of np.random.Generator in compiled code
(Generator.gamma, beta, poisson, binomial ...), with NumPy's parameter checks and messages;
the draws are in gen_continuous and gen_discrete."""
from __future__ import annotations

import math

import numpy as np

from ...extending import overload_method, register_jitable
from . import gen_continuous as cont
from . import gen_discrete as disc
from .gen_common import (POISSON_LAM_MAX, check_int, check_real, float_dtype, negative,
                               not_positive, outside_0_1, outside_gt0_1, raise_if, runner)
from .gen_core import NumPyRandomGeneratorType
from .gen_ziggurat import standard_normal
from .. import math_ieee

Gen = NumPyRandomGeneratorType
F8 = np.float64
I8 = np.int64


@overload_method(Gen, "standard_gamma")
def gen_standard_gamma(gen, shape, size=None, dtype=np.float64, out=None):
    check_real("standard_gamma", shape=shape)
    dt = float_dtype("standard_gamma", dtype)
    draw = cont.standard_gamma_f if dt is np.float32 else cont.standard_gamma
    run = runner("standard_gamma", size)

    def impl(gen, shape, size=None, dtype=np.float64, out=None):
        raise_if(negative(shape), "shape < 0")
        return run(draw, gen, (float(shape),), size, dt)
    return impl


@overload_method(Gen, "gamma")
def gen_gamma(gen, shape, scale=1.0, size=None):
    check_real("gamma", shape=shape, scale=scale)
    run = runner("gamma", size)

    def impl(gen, shape, scale=1.0, size=None):
        raise_if(negative(shape), "shape < 0")
        raise_if(negative(scale), "scale < 0")
        return run(cont.gamma, gen, (float(shape), float(scale)), size, F8)
    return impl


@overload_method(Gen, "beta")
def gen_beta(gen, a, b, size=None):
    check_real("beta", a=a, b=b)
    run = runner("beta", size)

    def impl(gen, a, b, size=None):
        raise_if(not_positive(a), "a <= 0")
        raise_if(not_positive(b), "b <= 0")
        return run(cont.beta, gen, (float(a), float(b)), size, F8)
    return impl


@overload_method(Gen, "chisquare")
def gen_chisquare(gen, df, size=None):
    check_real("chisquare", df=df)
    run = runner("chisquare", size)

    def impl(gen, df, size=None):
        raise_if(not_positive(df), "df <= 0")
        return run(cont.chisquare, gen, (float(df),), size, F8)
    return impl


@overload_method(Gen, "standard_t")
def gen_standard_t(gen, df, size=None):
    check_real("standard_t", df=df)
    run = runner("standard_t", size)

    def impl(gen, df, size=None):
        raise_if(not_positive(df), "df <= 0")
        return run(cont.standard_t, gen, (float(df),), size, F8)
    return impl


def _shape_a(fname, draw, check, message):
    """A method `fname(gen, a, size=None)` drawing `draw(g, a)` after NumPy's check of a."""
    def typer(gen, a, size=None):
        check_real(fname, a=a)
        run = runner(fname, size)

        def impl(gen, a, size=None):
            raise_if(check(a), message)
            return run(draw, gen, (float(a),), size, F8)
        return impl
    overload_method(Gen, fname)(typer)


_shape_a("pareto", cont.pareto, not_positive, "a <= 0")
_shape_a("weibull", cont.weibull, negative, "a < 0")
_shape_a("power", cont.power, not_positive, "a <= 0")


@overload_method(Gen, "rayleigh")
def gen_rayleigh(gen, scale=1.0, size=None):
    check_real("rayleigh", scale=scale)
    run = runner("rayleigh", size)

    def impl(gen, scale=1.0, size=None):
        raise_if(negative(scale), "scale < 0")
        return run(cont.rayleigh, gen, (float(scale),), size, F8)
    return impl


@overload_method(Gen, "geometric")
def gen_geometric(gen, p, size=None):
    check_real("geometric", p=p)
    run = runner("geometric", size)

    def impl(gen, p, size=None):
        raise_if(outside_gt0_1(p), "p <= 0, p > 1 or p contains NaNs")
        return run(disc.geometric, gen, (float(p),), size, I8)
    return impl


def _loc_scale(fname, draw):
    """A `fname(gen, loc=0.0, scale=1.0, size=None)` method."""
    def typer(gen, loc=0.0, scale=1.0, size=None):
        check_real(fname, loc=loc, scale=scale)
        run = runner(fname, size)

        def impl(gen, loc=0.0, scale=1.0, size=None):
            raise_if(negative(scale), "scale < 0")
            return run(draw, gen, (float(loc), float(scale)), size, F8)
        return impl
    overload_method(Gen, fname)(typer)


_loc_scale("laplace", cont.laplace)
_loc_scale("gumbel", cont.gumbel)
_loc_scale("logistic", cont.logistic)


@overload_method(Gen, "lognormal")
def gen_lognormal(gen, mean=0.0, sigma=1.0, size=None):
    check_real("lognormal", mean=mean, sigma=sigma)
    run = runner("lognormal", size)

    def impl(gen, mean=0.0, sigma=1.0, size=None):
        raise_if(negative(sigma), "sigma < 0")
        return run(cont.lognormal, gen, (float(mean), float(sigma)), size, F8)
    return impl


@overload_method(Gen, "standard_cauchy")
def gen_standard_cauchy(gen, size=None):
    run = runner("standard_cauchy", size)
    return lambda gen, size=None: run(cont.standard_cauchy, gen, (), size, F8)


@overload_method(Gen, "f")
def gen_f(gen, dfnum, dfden, size=None):
    check_real("f", dfnum=dfnum, dfden=dfden)
    run = runner("f", size)

    def impl(gen, dfnum, dfden, size=None):
        raise_if(not_positive(dfnum), "dfnum <= 0")
        raise_if(not_positive(dfden), "dfden <= 0")
        return run(cont.f, gen, (float(dfnum), float(dfden)), size, F8)
    return impl


@register_jitable
def _noncentral_chisquare(g, df, nonc):
    if nonc != nonc:
        return np.nan
    if nonc == 0:
        return cont.chisquare(g, df)
    if 1 < df:
        chi2 = cont.chisquare(g, df - 1)
        n = standard_normal(g) + math_ieee.sqrt(nonc)
        return chi2 + n * n
    return cont.chisquare(g, df + 2 * disc.poisson(g, nonc / 2.0))


@register_jitable
def _noncentral_f(g, dfnum, dfden, nonc):
    t = _noncentral_chisquare(g, dfnum, nonc) * dfden
    return t / (cont.chisquare(g, dfden) * dfnum)


@overload_method(Gen, "noncentral_chisquare")
def gen_noncentral_chisquare(gen, df, nonc, size=None):
    check_real("noncentral_chisquare", df=df, nonc=nonc)
    run = runner("noncentral_chisquare", size)

    def impl(gen, df, nonc, size=None):
        raise_if(not_positive(df), "df <= 0")
        raise_if(negative(nonc), "nonc < 0")
        return run(_noncentral_chisquare, gen, (float(df), float(nonc)), size, F8)
    return impl


@overload_method(Gen, "noncentral_f")
def gen_noncentral_f(gen, dfnum, dfden, nonc, size=None):
    check_real("noncentral_f", dfnum=dfnum, dfden=dfden, nonc=nonc)
    run = runner("noncentral_f", size)

    def impl(gen, dfnum, dfden, nonc, size=None):
        raise_if(not_positive(dfnum), "dfnum <= 0")
        raise_if(not_positive(dfden), "dfden <= 0")
        raise_if(negative(nonc), "nonc < 0")
        return run(_noncentral_f, gen, (float(dfnum), float(dfden), float(nonc)), size, F8)
    return impl


@overload_method(Gen, "wald")
def gen_wald(gen, mean, scale, size=None):
    check_real("wald", mean=mean, scale=scale)
    run = runner("wald", size)

    def impl(gen, mean, scale, size=None):
        raise_if(not_positive(mean), "mean <= 0")
        raise_if(not_positive(scale), "scale <= 0")
        return run(cont.wald, gen, (float(mean), float(scale)), size, F8)
    return impl


@overload_method(Gen, "triangular")
def gen_triangular(gen, left, mode, right, size=None):
    check_real("triangular", left=left, mode=mode, right=right)
    run = runner("triangular", size)

    def impl(gen, left, mode, right, size=None):
        raise_if(left > mode, "left > mode")
        raise_if(mode > right, "mode > right")
        raise_if(left == right, "left == right")
        return run(cont.triangular, gen, (float(left), float(mode), float(right)), size, F8)
    return impl


@overload_method(Gen, "vonmises")
def gen_vonmises(gen, mu, kappa, size=None):
    check_real("vonmises", mu=mu, kappa=kappa)
    run = runner("vonmises", size)

    def impl(gen, mu, kappa, size=None):
        raise_if(negative(kappa), "kappa < 0")
        return run(cont.vonmises, gen, (float(mu), float(kappa)), size, F8)
    return impl


# -- discrete --------------------------------------------------------------------------------

@overload_method(Gen, "poisson")
def gen_poisson(gen, lam=1.0, size=None):
    check_real("poisson", lam=lam)
    run = runner("poisson", size)

    def impl(gen, lam=1.0, size=None):
        raise_if(not float(lam) >= 0.0, "lam < 0 or lam is NaN")
        raise_if(lam > POISSON_LAM_MAX, "lam value too large")
        return run(disc.poisson, gen, (float(lam),), size, I8)
    return impl


@overload_method(Gen, "binomial")
def gen_binomial(gen, n, p, size=None):
    check_int("binomial", n=n)
    check_real("binomial", p=p)
    run = runner("binomial", size)

    def impl(gen, n, p, size=None):
        raise_if(n < 0, "n < 0")
        raise_if(outside_0_1(p), "p < 0, p > 1 or p is NaN")
        return run(disc.binomial, gen, (np.int64(n), float(p)), size, I8)
    return impl


@overload_method(Gen, "negative_binomial")
def gen_negative_binomial(gen, n, p, size=None):
    check_real("negative_binomial", n=n, p=p)
    run = runner("negative_binomial", size)

    def impl(gen, n, p, size=None):
        raise_if(n != n, "n must not be NaN")
        raise_if(not_positive(n), "n <= 0")
        raise_if(outside_gt0_1(p), "p <= 0, p > 1 or p contains NaNs")
        return run(disc.negative_binomial, gen, (float(n), float(p)), size, I8)
    return impl


@overload_method(Gen, "zipf")
def gen_zipf(gen, a, size=None):
    check_real("zipf", a=a)
    run = runner("zipf", size)

    def impl(gen, a, size=None):
        raise_if(not float(a) > 1.0, "a <= 1 or a is NaN")
        return run(disc.zipf, gen, (float(a),), size, I8)
    return impl


@overload_method(Gen, "logseries")
def gen_logseries(gen, p, size=None):
    check_real("logseries", p=p)
    run = runner("logseries", size)

    def impl(gen, p, size=None):
        raise_if(not (p >= 0.0 and p < 1.0), "p < 0, p >= 1 or p is NaN")
        return run(disc.logseries, gen, (float(p),), size, I8)
    return impl
