"""The `cmath` module. The elementary functions call the C library's C99 complex functions
(their special values are Annex G's, as CPython's tables); on top of them CPython's errors:
ValueError where an argument without NaN gives NaN (exp(inf*j)) or a finite argument meets a
pole (log(0), atanh(1)), OverflowError where a finite argument overflows (exp(1000))."""
from __future__ import annotations

import cmath
import math
import platform
import sys

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..extending import intrinsic, overload, register_jitable
from .keyword_only import refuse_extra_positional

C128 = types.complex128
#: where the C ABI passes and returns a `double complex` as two doubles (elsewhere, e.g. on
#: Windows, it goes through memory: calling the C library that way would crash)
TWO_DOUBLE_ABI = sys.platform != "win32" and platform.machine().lower() in (
    "x86_64", "amd64", "aarch64", "arm64")

#: cmath function -> C99 function; the first group raises ValueError at poles, the second
#: OverflowError on overflow, the rest have neither
POLES = {cmath.atanh: "catanh", cmath.atan: "catan"}
OVERFLOWS = {cmath.exp: "cexp", cmath.sinh: "csinh", cmath.cosh: "ccosh", cmath.sin: "csin",
             cmath.cos: "ccos"}
TOTAL = {cmath.sqrt: "csqrt", cmath.tan: "ctan", cmath.asin: "casin", cmath.acos: "cacos",
         cmath.tanh: "ctanh", cmath.asinh: "casinh", cmath.acosh: "cacosh"}


def _libm_complex(name: str):
    """An intrinsic calling the C99 `double complex name(double complex)` (x86-64 and AArch64
    pass and return it as two doubles, as clang declares it)."""
    @intrinsic
    def call(typingctx, z):
        if not isinstance(z, types.Complex):
            return None
        if not TWO_DOUBLE_ABI:
            raise TypingError(f"cmath functions need the C library's {name}, which compiled "
                              f"code cannot call on {sys.platform}/{platform.machine()} yet")

        def codegen(context, builder, sig, args):
            value = context.cast(builder, args[0], sig.args[0], C128)
            double = ir.DoubleType()
            fnty = ir.FunctionType(ir.LiteralStructType([double, double]), [double, double])
            fn = cgutils.get_or_insert_function(builder.module, fnty, name)
            parts = [builder.extract_value(value, i) for i in range(2)]
            result = builder.call(fn, parts)
            return cgutils.pack_struct(builder, [builder.extract_value(result, i)
                                                 for i in range(2)])
        return C128(z), codegen
    call.__name__ = name
    return call


@register_jitable
def _finite(z):
    return math.isfinite(z.real) and math.isfinite(z.imag)


@register_jitable
def _has_nan(z):
    return math.isnan(z.real) or math.isnan(z.imag)


@register_jitable
def _check_nan(z, w):
    if _has_nan(w) and not _has_nan(z):
        raise ValueError("math domain error")
    return w


@register_jitable
def _check_pole(z, w):
    if _finite(z) and not _finite(w):
        raise ValueError("math domain error")
    return _check_nan(z, w)


@register_jitable
def _check_overflow(z, w):
    if _finite(z) and not _finite(w):
        raise OverflowError("math range error")
    return _check_nan(z, w)


# -- special values: CPython's, where both parts are zeros, infinities or NaNs ---------------------
# There Annex G leaves some signs of zero to the implementation, and CPython's tables pick
# them; such a result depends only on the classes of the parts, so CPython itself gives it.

INF, NAN = math.inf, math.nan
CLASSES = (-INF, -0.0, 0.0, INF, NAN)
OK, DOMAIN, RANGE = 0, 1, 2


def special_table(func):
    """(results, errors) of `func` over CLASSES x CLASSES, row-major (real part first)."""
    results, errors = [], []
    for a in CLASSES:
        for b in CLASSES:
            try:
                results.append(complex(func(a, b)))
                errors.append(OK)
            except (ValueError, OverflowError) as exc:
                results.append(complex(NAN, NAN))
                errors.append(DOMAIN if isinstance(exc, ValueError) else RANGE)
    return tuple(results), tuple(errors)


@register_jitable
def _class_of(v):
    """The index of v's class in CLASSES, or -1 for finite non-zero values."""
    if math.isnan(v):
        return 4
    if math.isinf(v):
        return 3 if v > 0 else 0
    if v == 0.0:
        return 1 if math.copysign(1.0, v) < 0 else 2
    return -1


@register_jitable
def special_index(a, b):
    """The table entry of (a, b) where both are special and one is not a zero, else -1."""
    i, j = _class_of(a), _class_of(b)
    if i < 0 or j < 0 or (1 <= i <= 2 and 1 <= j <= 2):
        return -1
    return i * 5 + j


@register_jitable
def table_value(results, errors, index):
    if errors[index] == DOMAIN:
        raise ValueError("math domain error")
    if errors[index] == RANGE:
        raise OverflowError("math range error")
    return results[index]


def _is_number(x) -> bool:
    return isinstance(types.unliteral(x), (types.Number, types.Boolean))


def _define(func, name, check):
    native = _libm_complex(name)
    results, errors = special_table(lambda a, b: func(complex(a, b)))

    @overload(func)
    def typer(z):
        if not _is_number(z):
            return None

        def impl(z):
            w = complex(z)
            index = special_index(w.real, w.imag)
            if index >= 0:
                return table_value(results, errors, index)
            return check(w, native(w))
        return impl


for _func, _name in POLES.items():
    _define(_func, _name, _check_pole)
for _func, _name in OVERFLOWS.items():
    _define(_func, _name, _check_overflow)
for _func, _name in TOTAL.items():
    _define(_func, _name, _check_nan)

_clog = _libm_complex("clog")
LN10 = math.log(10.0)
LOG_RESULTS, LOG_ERRORS = special_table(lambda a, b: cmath.log(complex(a, b)))


@register_jitable
def _log(z):
    index = special_index(z.real, z.imag)
    if index >= 0:
        return table_value(LOG_RESULTS, LOG_ERRORS, index)
    return _check_pole(z, _clog(z))


@register_jitable
def _log_quiet(z):
    """log(z) without raising (CPython's log(z, base) reports only the base's errors)."""
    index = special_index(z.real, z.imag)
    if index >= 0 and LOG_ERRORS[index] == OK:
        return LOG_RESULTS[index]
    return _clog(z)


@register_jitable
def _log_base(z, base):
    divisor = _log(base)
    if divisor == 0:
        raise ValueError("math domain error")
    return _log_quiet(z) / divisor


@overload(cmath.log)
def log(z, base=None):
    if not _is_number(z):
        return None
    if base is None or isinstance(base, (types.Omitted, types.NoneType)):
        return lambda z, base=None: _log(complex(z))
    if not _is_number(base):
        return None
    return lambda z, base=None: _log_base(complex(z), complex(base))


@overload(cmath.log10)
def log10(z):
    if _is_number(z):
        def impl(z):
            w = _log(complex(z))
            return complex(w.real / LN10, w.imag / LN10)
        return impl
    return None


# -- coordinates and predicates --------------------------------------------------------------------

@register_jitable
def _phase(z):
    phi = math.atan2(z.imag, z.real)
    if phi == 0.0 and z.imag != 0.0 and _finite(z):
        raise OverflowError("math range error")  # CPython reports atan2's underflow
    return phi


@overload(cmath.phase)
def phase(z):
    if _is_number(z):
        return lambda z: _phase(complex(z))
    return None


@overload(cmath.polar)
def polar(z):
    if _is_number(z):
        def impl(z):
            w = complex(z)
            r = abs(w)
            if _finite(w) and math.isinf(r):
                raise OverflowError("absolute value too large")
            return r, math.atan2(w.imag, w.real)
        return impl
    return None


@register_jitable
def _rect(r, phi):
    """CPython's rect: r * (cos(phi) + i sin(phi)) with Annex G's infinities and zeros."""
    if math.isfinite(r) and math.isfinite(phi):
        if phi == 0.0:  # keeps the sign of a zero angle in the imaginary part
            return complex(r, r * phi)
        return complex(r * math.cos(phi), r * math.sin(phi))
    if math.isinf(r) and math.isfinite(phi):
        if phi == 0.0:
            return complex(r, r * phi)
        return complex(math.copysign(math.inf, r * math.cos(phi)),
                       math.copysign(math.inf, r * math.sin(phi)))
    return _rect_special(r, phi)


@register_jitable
def _rect_special(r, phi):
    """rect where phi is infinite or nan, or r nan."""
    if math.isnan(r):
        if phi == 0.0:
            return complex(r, phi)
        return complex(r, r)
    if r == 0.0:
        return complex(0.0, 0.0)
    if math.isinf(phi) and math.isfinite(r):
        raise ValueError("math domain error")
    if math.isinf(r):
        return complex(r, math.nan)
    return complex(math.nan, math.nan)


RECT_RESULTS, RECT_ERRORS = special_table(cmath.rect)


@register_jitable
def _rect_checked(r, phi):
    index = special_index(r, phi)
    if index >= 0:
        return table_value(RECT_RESULTS, RECT_ERRORS, index)
    return _rect(r, phi)


@overload(cmath.rect)
def rect(r, phi):
    if _is_number(r) and _is_number(phi) and not any(
            isinstance(types.unliteral(t), types.Complex) for t in (r, phi)):
        return lambda r, phi: _rect_checked(float(r), float(phi))
    return None


def _predicate(func, test):
    @overload(func)
    def typer(z):
        if _is_number(z):
            return lambda z: test(complex(z).real) or test(complex(z).imag)
        return None


_predicate(cmath.isnan, math.isnan)
_predicate(cmath.isinf, math.isinf)


@overload(cmath.isfinite)
def isfinite(z):
    if _is_number(z):
        return lambda z: _finite(complex(z))
    return None


@overload(cmath.isclose)
def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
    tolerances = [t for t in (rel_tol, abs_tol) if not isinstance(t, types.Omitted)]
    if not (_is_number(a) and _is_number(b)) or any(
            not isinstance(types.unliteral(t), (types.Integer, types.Float, types.Boolean))
            for t in tolerances):
        return None
    return lambda a, b, rel_tol=1e-09, abs_tol=0.0: _isclose(
        complex(a), complex(b), float(rel_tol), float(abs_tol))


@register_jitable
def _isclose(a, b, rel_tol, abs_tol):
    if rel_tol < 0.0 or abs_tol < 0.0:
        raise ValueError("tolerances must be non-negative")
    if a == b:
        return True
    if not (_finite(a) and _finite(b)):  # (NaNs reach here only unequal: close to nothing)
        return False
    diff = abs(b - a)
    return diff <= rel_tol * abs(b) or diff <= rel_tol * abs(a) or diff <= abs_tol


refuse_extra_positional(cmath.isclose, "isclose", 2)
