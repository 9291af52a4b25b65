"""Issue 10 items 8 and 17 (part): NumPy 2 (NEP 50) promotion of literals; integer constants.

Literals in compiled code are NumPy's *weak* Python scalars: `int8_array + 300` raises
OverflowError when it runs (it used to wrap to [45 46]), `np.uint64(2**64-1) + 1` is uint64 0,
`float32_array * 2.5` stays float32. Typed values (arguments, array elements, NumPy scalars) are
*strong* and promote as NumPy's dtypes do, except scalar integer arithmetic, which is 64 bits
wide as in Numba (int8 + int8 -> int64, uint64 + int64 -> int64). A Python int *argument*
is typed int64 at the dispatcher, as in Numba, so it is strong: `int8_array + n` is an int64
array where NumPy, which sees a Python int, would keep int8 (and raise for n=300). The value is
never truncated either way. Integer constant expressions are evaluated exactly, as Python does;
one that fits neither int64 nor uint64 is a located TypingError, never a wrapped value.

Each property compiles a batch of generated functions (literals must be in the source) from one
temporary module and compares every outcome with the same source run by Python and NumPy.
"""
import importlib.util
import itertools
import os
import tempfile
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
DTYPES = INTS + ["bool", "float32", "float64", "complex64", "complex128"]
ARITHMETIC = ["+", "-", "*", "//", "%", "**"]
BITWISE = ["&", "|", "^"]
COMPARISONS = ["<", "<=", ">", ">=", "==", "!="]
_modules = itertools.count()


def _import(source, name):
    folder = tempfile.mkdtemp(prefix="jb_promotion_")
    path = os.path.join(folder, f"{name}.py")
    with open(path, "w") as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_batch(bodies, params="a"):
    """(compiled, plain): modules defining `f0, f1, ...` as `def fK(params): <body>`, the first
    compiled with njit and the second run by Python and NumPy."""
    functions = "".join(f"@decorate\ndef f{i}({params}):\n    {body}\n"
                        for i, body in enumerate(bodies))
    prelude = "import numpy as np\nfrom jitbridge import njit\n"
    k = next(_modules)
    compiled = _import(f"{prelude}decorate = njit\n{functions}", f"_promotion_jit_{k}")
    plain = _import(f"{prelude}decorate = lambda f: f\n{functions}", f"_promotion_py_{k}")
    return compiled, plain


def outcome(fn, *args):
    """The result, or the kind of error: NumPy's run-time TypeError (no loop, unsafe cast) is a
    compile-time TypingError in compiled code."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args)
    except OverflowError:
        return "OverflowError"
    except (TypeError, TypingError):
        return "TypeError"
    except ValueError:
        return "ValueError"


def assert_same(expected, actual, jitted, case):
    if isinstance(expected, str) or isinstance(actual, str):
        assert expected == actual, case
    elif isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray) and actual.dtype == expected.dtype, (case, actual)
        _assert_values(expected, actual, case)
    else:  # compiled code returns Python scalars, as Numba does: check the typed result
        assert jitted.nopython_signatures[-1].return_type.name == expected.dtype.name, case
        _assert_values(np.asarray(expected), np.asarray(actual, expected.dtype), case)


def _assert_values(expected, actual, case):
    if expected.dtype.kind in "fc":
        assert np.allclose(actual, expected, rtol=1e-6, equal_nan=True), (case, actual, expected)
    else:
        assert np.array_equal(actual, expected), (case, actual, expected)


# -- generated cases --------------------------------------------------------------------------

def _boundaries(dtype):
    info = np.iinfo(dtype)
    return [int(info.min) - 1, int(info.min), int(info.max), int(info.max) + 1]


INT_LITERALS = st.one_of(
    st.sampled_from([0, 1, -1, 2, 300, -300, 2**63, 2**64 - 1, -(2**63)]
                    + [b for t in INTS for b in _boundaries(t)]),
    st.integers(-(2**63), 2**64 - 1)).filter(lambda v: -(2**63) <= v < 2**64)
FLOAT_LITERALS = st.sampled_from([0.5, -2.5, 3.0, 1e300, -1e-300, 0.1, 1e10, -7.25])
COMPLEX_LITERALS = st.sampled_from([1j, 2 - 3j, -0.5 + 1j, 1e10j])
LITERALS = {"int": INT_LITERALS, "float": FLOAT_LITERALS, "complex": COMPLEX_LITERALS}


@st.composite
def cases(draw):
    """(container, dtype, operator, literal), within what NumPy and compiled code both define;
    containers: array, NumPy scalar, in-place on an array, literal on the left of an array."""
    dtype = draw(st.sampled_from(DTYPES))
    kind = draw(st.sampled_from(["int", "float", "complex"]))
    ops = _ops_for(dtype, kind)
    op = draw(st.sampled_from(ops))
    literal = draw(LITERALS[kind])
    literal = _admissible(dtype, op, literal)
    container = draw(st.sampled_from(["array", "scalar", "inplace", "reflected"]))
    if container == "inplace" and op in COMPARISONS:
        container = "array"
    if container == "reflected" and op in ("//", "%", "**"):
        container = "scalar"
    return container, dtype, op, literal


def _ops_for(dtype, kind):
    if dtype.startswith("complex") or kind == "complex":
        return ["+", "-", "*", "==", "!="]
    if kind == "int" and (dtype in INTS or dtype == "bool"):
        return ARITHMETIC + BITWISE + COMPARISONS
    return ARITHMETIC + COMPARISONS


def _admissible(dtype, op, literal):
    """Excluded: division by zero, a literal rounded to zero in the dtype included (NumPy
    gives 0 or nan with a warning, compiled code raises, as Python does) and negative integer powers of integers (NumPy raises for arrays and NumPy
    scalars; compiled code raises for arrays but gives a float for scalars, as Python does)."""
    if op in ("//", "%") and (literal == 0 or _rounds_to_zero(dtype, literal)):
        return 1
    if op == "**" and isinstance(literal, int) and literal < 0 and dtype not in (
            "float32", "float64"):
        return -literal
    return literal


def _rounds_to_zero(dtype, literal) -> bool:
    """A float literal NumPy's weak promotion makes a zero of a narrower float dtype (-1e-300
    as float32): then a division by zero too."""
    return isinstance(literal, float) and dtype.startswith("float") and \
        np.dtype(dtype).type(literal) == 0


def _body(container, op, literal):
    lit = f"({literal!r})"
    if container == "inplace":
        return f"a {op}= {lit}\n    return a"
    if container == "reflected":
        return f"return {lit} {op} a"
    return f"return a {op} {lit}"


def _numba_width(scalar, op, literal):
    """Scalar integer arithmetic is 64 bits wide, as in Numba: NumPy computes the same once
    the scalar is widened (signed when the literal does not fit the unsigned type)."""
    if op in COMPARISONS or not isinstance(literal, int) or scalar.dtype.kind not in "biu":
        return scalar
    if scalar.dtype.kind == "u" and literal >= 0:
        return np.uint64(scalar)
    return np.int64(scalar) if literal < 2**63 else np.uint64(scalar)


def _operand(container, dtype, values):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        array = np.array(values).astype(dtype)
    return array[0] if container == "scalar" else array


@settings(max_examples=20, deadline=None)
@given(st.lists(cases(), min_size=3, max_size=4),
       st.lists(st.integers(-100, 100), min_size=3, max_size=3))
def test_literals_promote_as_numpy_2(batch, values):
    compiled, plain = compile_batch([_body(c, op, lit) for c, _, op, lit in batch])
    for i, (container, dtype, op, literal) in enumerate(batch):
        operand = _operand(container, dtype, values)
        copy = operand.copy() if isinstance(operand, np.ndarray) else _numba_width(
            operand, op, literal)
        expected = outcome(getattr(plain, f"f{i}"), copy)
        jitted = getattr(compiled, f"f{i}")
        actual = outcome(jitted, operand.copy() if isinstance(operand, np.ndarray) else operand)
        assert_same(expected, actual, jitted, (container, dtype, op, literal, values))


# -- integer constants ------------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 130), st.sampled_from([-1, 0, 1]), st.booleans()),
                min_size=3, max_size=6))
def test_integer_constants_are_exact_or_a_located_error(batch):
    bodies = [f"return {'-' if negate else ''}(2**{e} + ({offset}))" for e, offset, negate in batch]
    compiled, _ = compile_batch(bodies, params="")
    for i, (e, offset, negate) in enumerate(batch):
        value = (-1 if negate else 1) * (2**e + offset)
        fn = getattr(compiled, f"f{i}")
        if -(2**63) <= value < 2**64:
            assert fn() == value
        else:
            with pytest.raises(TypingError, match=rf"(?s)'f{i}'.*line|does not fit") as info:
                fn()
            assert "does not fit in int64 or uint64" in str(info.value)
            assert f"f{i}" in str(info.value)


@pytest.mark.parametrize("body, message", [
    ("return a + 2**100", "1267650600228229401496703205376 does not fit"),
    ("return 10**10**10", "10 \\*\\* 10000000000 is too large"),
    ("return 1 << 100000", "1 << 100000 is too large"),
    ("x = 2**64\n    return x", "18446744073709551616 does not fit"),
])
def test_unrepresentable_constant_is_a_typing_error(body, message):
    compiled, _ = compile_batch([body])
    with pytest.raises(TypingError, match=message) as info:
        compiled.f0(1)
    assert "f0" in str(info.value) and ".py" in str(info.value)  # names function and file


def test_too_large_int_argument_is_rejected():
    compiled, _ = compile_batch(["return a + 1"])
    with pytest.raises(OverflowError, match="argument 'a' of f0.*1180591620717411303424 does "
                                            "not fit in int64 or uint64"):
        compiled.f0(2**70)
    assert compiled.f0(2**64 - 1) == 0  # a uint64 argument: uint64 arithmetic wraps


# -- Python ints stay Python ints (with int64 wrapping) --------------------------------------

def _wrap64(value):
    return (value + 2**63) % 2**64 - 2**63


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["+", "-", "*", "//", "%", "&", "|", "^"]),
                          st.integers(-(2**63), 2**63 - 1).filter(bool)),
                min_size=3, max_size=5),
       st.integers(-(2**63), 2**63 - 1))
def test_int_argument_with_literal_is_python_arithmetic(batch, x):
    compiled, plain = compile_batch([f"return a {op} ({lit})" for op, lit in batch])
    for i, (op, lit) in enumerate(batch):
        assert getattr(compiled, f"f{i}")(x) == _wrap64(getattr(plain, f"f{i}")(x)), (op, lit, x)


# -- the documented examples ------------------------------------------------------------------

def test_examples_from_the_issue():
    compiled, _ = compile_batch([
        "return np.uint64(2**64 - 1) + 1",           # weak 1 adopts uint64 and wraps
        "return np.uint64(3) + np.int64(1)",         # integers: signed, 64 bits (Numba)
        "return a * 2.5",                            # float32 array stays float32
        "return a < 300, a == -1, a > 2**63",        # comparisons are exact, never raise
    ])
    assert compiled.f0(0) == 0
    assert compiled.f0.nopython_signatures[-1].return_type.name == "uint64"
    assert compiled.f1(0) == 4 and compiled.f1.nopython_signatures[-1].return_type.name == "int64"
    halves = compiled.f2(np.ones(3, np.float32))
    assert halves.dtype == np.float32 and np.all(halves == 2.5)
    small = np.arange(3, dtype=np.uint8)
    for got, want in zip(compiled.f3(small), (small < 300, small == -1, small > 2**63)):
        assert got.dtype == want.dtype and np.array_equal(got, want)


def test_int_argument_is_strong_int64():
    """Documented divergence: the argument is typed int64 (as in Numba), so it is strong."""
    compiled, _ = compile_batch(["return a + b"], params="a, b")
    result = compiled.f0(np.array([1, 2], np.int8), 300)
    assert result.dtype == np.int64 and list(result) == [301, 302]


def test_out_of_range_literal_raises_only_when_run_and_leaks_nothing():
    compiled, _ = compile_batch([
        "if b:\n        return a + 300\n    return a + 1",
        "if b:\n        a += 300\n    return a",
        "return np.int8(300)",
    ], params="a, b")
    a = np.array([1, 2], np.int8)
    assert compiled.f0(a, False).dtype == np.int8
    with no_leaks(a):
        for fn in (compiled.f0, compiled.f1):
            with pytest.raises(OverflowError, match="Python integer 300 out of bounds for int8"):
                fn(a, True)
            with pytest.raises(OverflowError):
                fn(a[:0], True)  # raised before any loop, as NumPy does for an empty array
    assert list(a) == [1, 2]
    with pytest.raises(OverflowError, match="out of bounds for int8"):
        compiled.f2(a, True)  # np.int8(300) raises in NumPy 2 too


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(INTS), st.sampled_from(INTS), st.integers(0, 2**64 - 1),
       st.integers(0, 63))
def test_shifts_keep_the_left_operands_signedness_at_64_bits(left, right, value, count):
    """As in Numba: the result is the left operand's type widened to 64 bits."""
    wide = np.uint64 if np.dtype(left).kind == "u" else np.int64
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = np.array(value).astype(left)[()]
    y = np.array(count).astype(right)[()]
    compiled, _ = compile_batch(["return a << b, a >> b"], params="a, b")
    shifted = (int(wide(x)) << count) % 2**64, int(wide(x)) >> count
    expected = tuple(int(wide(v if wide is np.uint64 else (v + 2**63) % 2**64 - 2**63))
                     for v in shifted)
    assert compiled.f0(x, y) == expected
