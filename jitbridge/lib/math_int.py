"""The integer functions of `math`: factorial, comb, perm, isqrt, gcd and lcm, exact over int64.

CPython returns a big int where the result does not fit 64 bits; compiled code raises
OverflowError there instead of wrapping. Floats are refused at compile time, as CPython
refuses them when run ("'float' object cannot be interpreted as an integer")."""
from __future__ import annotations

import math

from .. import types
from ..errors import TypingError
from ..extending import intrinsic, overload, register_jitable

I64_MIN = -2 ** 63
_OVERFLOW = "the exact result does not fit in a 64-bit integer (CPython would return a big int)"
_FACTORIALS = tuple(math.factorial(n) for n in range(21))  # 21! exceeds int64


def _require_integers(name: str, *args) -> None:
    """Refuse every argument that is not an integer or bool, as CPython does at run time."""
    for arg in args:
        arg = types.unliteral(arg)
        if isinstance(arg, types.Omitted) or arg is types.none:
            continue
        if not isinstance(arg, (types.Integer, types.Boolean)):
            raise TypingError(f"{name}(): '{_python_name(arg)}' object cannot be interpreted "
                              "as an integer")


def _python_name(ty) -> str:
    if isinstance(ty, types.Float):
        return "float"
    if isinstance(ty, types.Complex):
        return "complex"
    return str(ty)


@intrinsic
def _mul_checked(typingctx, a, b):
    """(a * b, overflowed) for int64 operands."""
    if a != types.int64 or b != types.int64:
        return None

    def codegen(context, builder, sig, args):
        pair = builder.smul_with_overflow(args[0], args[1])
        product, overflowed = builder.extract_value(pair, 0), builder.extract_value(pair, 1)
        return context.make_tuple(builder, sig.return_type, [product, overflowed])
    return types.Tuple([types.int64, types.boolean])(a, b), codegen


@register_jitable
def _mul(a, b):
    product, overflowed = _mul_checked(a, b)
    if overflowed:
        raise OverflowError(_OVERFLOW)
    return product


def _to_int64(x):
    """The value as int64; a uint64 above int64's range raises instead of wrapping."""
    pass


@overload(_to_int64)
def _to_int64_impl(x):
    x = types.unliteral(x)
    if isinstance(x, types.Integer) and not x.signed and x.bitwidth >= 64:
        def impl(x):
            if x > 0x7FFFFFFFFFFFFFFF:
                raise OverflowError("integer argument does not fit in a 64-bit integer")
            return int(x)
        return impl
    return lambda x: int(x)


@register_jitable
def _gcd2(a, b):
    """gcd of two int64 values; the result 2**63 (only from -2**63 and 0 or itself) raises."""
    if a == I64_MIN or b == I64_MIN:
        if a == b or a == 0 or b == 0:
            raise OverflowError(_OVERFLOW)
        a, b = (a % abs(b), b) if a == I64_MIN else (a, b % abs(a))
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


@register_jitable
def _lcm2(a, b):
    if a == 0 or b == 0:
        return 0
    g = _gcd2(a, b)
    product = _mul(a // g, b)
    if product == I64_MIN:
        raise OverflowError(_OVERFLOW)
    return abs(product)


@overload(math.gcd)
def gcd(*args):
    _require_integers("gcd", *args)

    def impl(*args):
        result = 0
        for value in args:  # (a homogeneous tuple after the checks: ints and bools widen)
            value = _to_int64(value)  # (-2**63 kept as it is until a second value reduces it)
            result = value if result == 0 else _gcd2(result, value)
        return _gcd2(result, 0)
    return _over_int64_args(impl, args)


@overload(math.lcm) if hasattr(math, "lcm") else (lambda f: f)
def lcm(*args):
    _require_integers("lcm", *args)

    def impl(*args):
        for value in args:  # (a zero makes it 0 however large the others' lcm: CPython)
            if value == 0:
                return 0
        result = 1
        for value in args:  # (each step's lcm divides the next: only the final can overflow)
            result = _lcm2(result, _to_int64(value))
        return result
    return _over_int64_args(impl, args)


def _over_int64_args(impl, args):
    """`impl` when the arguments iterate as one type; mixed widths go through int64 first."""
    if len({types.unliteral(a) for a in args}) <= 1:
        return impl
    inner = register_jitable(impl)
    return lambda *args: inner(*_int64_tuple(args))


@intrinsic
def _int64_tuple(typingctx, values):
    """A tuple of integers of mixed types as a homogeneous tuple of int64 (values kept)."""
    if not isinstance(values, types.BaseTuple):
        return None
    target = types.UniTuple(types.int64, len(values))

    def codegen(context, builder, sig, args):
        items = [context.cast(builder, builder.extract_value(args[0], i), ty, types.int64)
                 for i, ty in enumerate(sig.args[0])]
        return context.make_tuple(builder, target, items)
    return target(values), codegen


@overload(math.factorial)
def factorial(n):
    _require_integers("factorial", n)
    table = _FACTORIALS

    def impl(n):
        value = _to_int64(n)
        if value < 0:
            raise ValueError("factorial() not defined for negative values")
        if value >= len(table):
            raise OverflowError(_OVERFLOW)
        return table[value]
    return impl


@register_jitable
def _falling_product(n, k):
    """n * (n - 1) * ... * (n - k + 1), checked."""
    result = 1
    for i in range(k):  # (counting down: n + 1 may not exist in int64)
        result = _mul(result, n - i)
    return result


@register_jitable
def _checked_nk(n, k):
    n, k = _to_int64(n), _to_int64(k)
    if n < 0:
        raise ValueError("n must be a non-negative integer")
    if k < 0:
        raise ValueError("k must be a non-negative integer")
    return n, k


@overload(math.comb)
def comb(n, k):
    _require_integers("comb", n, k)

    def impl(n, k):
        n, k = _checked_nk(n, k)
        if k > n:
            return 0
        k = min(k, n - k)
        result = 1
        # result is C(n - k + i, i) after step i: exact, growing, so an overflow is final
        for i in range(1, k + 1):
            g = _gcd2(result, i)
            result = _mul(result // g, (n - k + i) // (i // g))
        return result
    return impl


@overload(math.perm)
def perm(n, k=None):
    _require_integers("perm", n, k)
    if k is None or isinstance(k, (types.Omitted, types.NoneType)):
        return lambda n, k=None: math.factorial(n)

    def impl(n, k=None):
        n, k = _checked_nk(n, k)
        return 0 if k > n else _falling_product(n, k)
    return impl


@overload(math.isqrt)
def isqrt(n):
    _require_integers("isqrt", n)

    def impl(n):
        value = _to_int64(n)
        if value < 0:
            raise ValueError("isqrt() argument must be nonnegative")
        if value == 0:
            return 0
        root = int(math.sqrt(float(value)))  # within one of the answer; fixed by division
        while root > value // root:
            root -= 1
        while root + 1 <= value // (root + 1):
            root += 1
        return root
    return impl

