"""A corpus of small scalar functions with sample arguments, run in CPython and compiled.

Each entry: (function, list of argument tuples). Results must be equal (floats exactly, since
the same IEEE operations run; NaN compares as NaN).
"""
import math

from jitbridge import njit


def add(a, b):
    return a + b


def sub_mul(a, b):
    return a * b - b


def floordiv(a, b):
    return a // b


def modulo(a, b):
    return a % b


def truediv(a, b):
    return a / b


def power(a, b):
    return a ** b


def chained(a, b, c):
    return a < b < c


def chained_mixed(a, b, c):
    return a <= b > c != a


def boolean_ops(a, b):
    return (a > 0 and b > 0) or not (a == b)


def and_or_values(a, b):
    return (a and b) or 7


def unary(a):
    return -a + (+a) - (~a)


def bitwise(a, b):
    return (a & b) | (a ^ b) << 2 >> 1


def if_elif(x):
    if x < 0:
        return -1
    elif x == 0:
        return 0
    elif x < 10:
        return 1
    else:
        return 2


def while_loop(n):
    i = 0
    total = 0
    while i < n:
        total += i
        i += 1
    return total


def for_range_sum_sq(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def for_range_step(a, b, c):
    s = 0
    for i in range(a, b, c):
        s = s * 3 + i
    return s


def nested_loops(n):
    s = 0
    for i in range(n):
        for j in range(i):
            if (i + j) % 3 == 0:
                continue
            if j > 7:
                break
            s += i * j
    return s


def loop_else(n):
    for i in range(n):
        if i == 5:
            break
    else:
        return -1
    return i


def while_else(n):
    while n > 0:
        n -= 2
    else:
        n += 100
    return n


def widen_in_loop(n):
    s = 0
    for i in range(n):
        s += 0.5
    return s


def tuple_build_index(a, b):
    t = (a, b, a + b)
    return t[2] - t[0] + t[-1]


def tuple_unpack(a, b):
    x, y = b, a
    (p, q), r = (x, y), 3
    return x * 10 + y + p - q + r


def tuple_return(a, b):
    return a // b, a % b


def hetero_tuple(a, x):
    t = (a, x, True)
    return t[1] * 2, t[0] + 1, t[2]


def tuple_dynamic_index(i):
    t = (10, 20, 30, 40)
    return t[i]


def tuple_equality(a, b):
    return (a, b) == (b, a), (a, 1) != (a, 1)


def tuple_arg(t):
    return t[0] * t[1]


def math_funcs(x):
    return math.sqrt(x) + math.exp(-x) + math.log(x) + math.sin(x) * math.cos(x) + math.atan2(x, 2.0)


def math_more(x):
    return math.floor(x) + math.ceil(x) + math.trunc(-x) + math.hypot(x, 3.0) + math.fabs(-x)


def math_predicates(x):
    return math.isnan(x), math.isinf(x), math.isfinite(x)


def math_consts():
    return math.pi * 2 + math.e - math.tau


def builtins_minmax(a, b, c):
    return min(a, b, c), max(a, b), abs(a - b)


def builtins_convert(x):
    return int(x), float(int(x)), bool(x), round(x)


def builtin_divmod(a, b):
    return divmod(a, b)


def complex_arith(a, b):
    z = complex(a, b)
    w = z * z + z / complex(1.0, 2.0) - 3
    return w, abs(w), z == w, z.real, z.imag, z.conjugate()


def int_overflow_wraps(a):
    return a * a * a * a


def mixed_types(a, b):
    return a + b * 2.5 - True


def bool_arith(a, b):
    return a + b, a * 3, a & b, a | b, a ^ b


def ifexp(a):
    return a if a > 0 else -a * 2


def walrus(a):
    if (b := a * 2) > 10:
        return b
    return -b


def augmented_all(a, b):
    x = a
    x += b
    x -= 1
    x *= 3
    x //= 2
    x %= 1000
    x **= 2
    x |= 1
    x &= 0xFFFF
    x ^= 5
    x <<= 1
    x >>= 2
    return x


def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


def count_primes(n):
    c = 0
    for k in range(n):
        if is_prime_inline(k):
            c += 1
    return c


@njit
def is_prime_inline(n):
    return n > 1 and all_divisors_fail(n)


@njit
def all_divisors_fail(n):
    for d in range(2, n):
        if d * d > n:
            break
        if n % d == 0:
            return False
    return True


def float_floordiv_mod(a, b):
    return a // b, a % b


def none_return(a):
    if a > 0:
        return None
    return None


def is_none(a):
    x = None
    return x is None, x is not None


def len_range(a, b, c):
    return len(range(a, b, c)), len(range(b)), len((a, b))


def docstring_and_pass(a):
    """A docstring is ignored."""
    pass
    return a


def shadow_builtin_name(a):
    min_ = min(a, 3)
    return min_


CONSTANT = 7
TUPLE_CONSTANT = (1, 2, 3)


def uses_globals(a):
    return a * CONSTANT + TUPLE_CONSTANT[1]


def make_closure(k):
    def inner(a):
        return a + k
    return inner


closure_add5 = make_closure(5)


def sum_to_n_float(n):
    s = 0.0
    i = 0
    while i < n:
        s += 1.0 / (i + 1)
        i += 1
    return s


def pow_float(a, b):
    return a ** b, 2.0 ** a, a ** 2


def neg_index_tuple(a):
    t = (a, a + 1, a + 2)
    return t[-1] + t[-2] * 10 + t[-3] * 100


def multiple_returns_types(a):
    if a > 0:
        return 1
    return 2.5


def unsigned_shift(a):
    return a >> 3, a << 2


CORPUS = [
    (add, [(1, 2), (1.5, 2.25), (True, 3), (-5, 7.0), (2 + 1j, 3)]),
    (sub_mul, [(3, 4), (2.5, -1.5), (-(2 ** 40), 3)]),
    (floordiv, [(7, 2), (-7, 2), (7, -2), (-7, -2), (7.5, 2), (-7.5, 2.0), (-(2 ** 63), -1)]),
    (modulo, [(7, 3), (-7, 3), (7, -3), (-7, -3), (7.5, 2), (-7.5, 2.0), (5.0, -3.0), (0.0, -1.0)]),
    (truediv, [(7, 2), (1, 3), (7.0, -2.0), (-1, 4)]),
    (power, [(2, 10), (3, 0), (-3, 3), (2.0, 0.5), (2, -1), (1.5, 2)]),
    (chained, [(1, 2, 3), (1, 3, 2), (3, 2, 1), (1.0, 1.5, 2)]),
    (chained_mixed, [(1, 2, 0), (2, 2, 2), (1, 5, 3)]),
    (boolean_ops, [(1, 2), (0, 0), (-1, -1), (2, 2)]),
    (and_or_values, [(1, 2), (0, 5), (3, 0), (0, 0)]),
    (unary, [(5,), (-3,), (0,)]),
    (bitwise, [(12, 10), (-1, 255), (0, 7)]),
    (if_elif, [(-5,), (0,), (5,), (50,)]),
    (while_loop, [(0,), (10,), (1000,)]),
    (for_range_sum_sq, [(0,), (10,), (100000,)]),
    (for_range_step, [(0, 10, 2), (10, 0, -3), (5, 5, 1), (0, 20, 7)]),
    (nested_loops, [(5,), (20,)]),
    (loop_else, [(3,), (10,)]),
    (while_else, [(7,), (0,)]),
    (widen_in_loop, [(0,), (5,)]),
    (tuple_build_index, [(1, 2), (3.5, 1)]),
    (tuple_unpack, [(1, 2), (5, 9)]),
    (tuple_return, [(17, 5), (-17, 5)]),
    (hetero_tuple, [(1, 2.5), (-4, 0.25)]),
    (tuple_dynamic_index, [(0,), (3,), (-1,), (-4,)]),
    (tuple_equality, [(1, 1), (1, 2)]),
    (tuple_arg, [((3, 4),), ((2.5, 4.0),)]),
    (math_funcs, [(0.5,), (2.0,), (10,)]),
    (math_more, [(2.5,), (-2.5,), (3,)]),
    (math_predicates, [(1.0,), (float("nan"),), (float("inf"),), (-float("inf"),)]),
    (math_consts, [()]),
    (builtins_minmax, [(3, 1, 2), (1.5, 2, -1), (2, 2, 2)]),
    (builtins_convert, [(2.7,), (-2.7,), (2.5,), (3.5,), (0.0,)]),
    (builtin_divmod, [(17, 5), (-17, 5), (17.5, -5.0)]),
    (complex_arith, [(1.0, 2.0), (-0.5, 3.0)]),
    (int_overflow_wraps, [(2 ** 20,), (12345,)]),
    (mixed_types, [(1, 2), (True, 2.5), (3.5, 1)]),
    (bool_arith, [(True, False), (True, True)]),
    (ifexp, [(3,), (-3,), (2.5,)]),
    (walrus, [(3,), (10,)]),
    (augmented_all, [(7, 5), (100, -3)]),
    (collatz, [(27,), (1,), (97,)]),
    (gcd, [(48, 18), (17, 5), (0, 9)]),
    (is_prime, [(1,), (2,), (97,), (100,), (7919,)]),
    (count_primes, [(100,), (1000,)]),
    (float_floordiv_mod, [(7.0, 2.0), (-7.0, 2.0), (7.0, -2.0), (0.5, 0.2), (-0.0, 1.0)]),
    (none_return, [(1,), (-1,)]),
    (is_none, [(1,)]),
    (len_range, [(0, 10, 3), (10, 0, -1), (5, 1, 1)]),
    (docstring_and_pass, [(3,)]),
    (shadow_builtin_name, [(1,), (5,)]),
    (uses_globals, [(2,)]),
    (closure_add5, [(1,), (2.5,)]),
    (sum_to_n_float, [(10,), (1000,)]),
    (pow_float, [(1.5, 2.0), (3.0, -1.0)]),
    (neg_index_tuple, [(1,), (-3,)]),
    (multiple_returns_types, [(1,), (-1,)]),
]


#: Functions whose compiled result type is the unification of several Python result types
#: (static typing: an int result in one branch becomes float when another returns float).
UNIFYING = {widen_in_loop, multiple_returns_types, builtins_minmax}


def wrap_int64(value):
    """Python int -> the int64 two's-complement value compiled code computes."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value
