"""Issue 10, items 10, 13 and 15 (parts): concurrent first compilation, entry points and cfuncs
that nothing from Python can make jump anywhere, and user-level errors at the user's code."""
import concurrent.futures
import ctypes
import os
import traceback
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import jitbridge
from jitbridge import cfunc, njit, types
from jitbridge.errors import TypingError
from tests.isolation import run_isolated

JITBRIDGE_DIR = os.path.dirname(jitbridge.__file__)


def _run_many(program: str, copies: int) -> list:
    """`copies` child interpreters at once (a first-compilation race happens once per process)."""
    with concurrent.futures.ThreadPoolExecutor(copies) as pool:
        return list(pool.map(lambda _: run_isolated(program), range(copies)))


# -- item 10: the first compilation in a process, from many threads at once -------------------------

FIRST_CALLS = """
import threading

def f0(a): return a + 1
def f1(a): return a * 2.0
def f2(a): return a.sum()
def f3(a):
    s = 0
    for i in range(a):
        s += i
    return s
def f4(a): return (a, a + 1)
def f5(a): return len([a, a])
def f6(a): return a - 1
def f7(a): return abs(a)
def f8(a): return a.shape[0] + a.ndim
def f9(a): return min(a, 3) + max(a, 1)
def f10(a): return a.real + a.imag
def f11(a): return a > 2
PY = [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11]
ARGS = [3, 2.0, np.arange(5.0), 10, 1, 2, 5, -4, np.ones((2, 3)), 7, 1 + 2j, 3]

def race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    def work(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as exc:
            results[i] = exc
    threads = [threading.Thread(target=work, args=item) for item in enumerate(calls)]
    for t in threads: t.start()
    for t in threads: t.join()
    return results

def check(results, expected):
    for got, want in zip(results, expected):
        assert not isinstance(got, BaseException), repr(got)
        assert np.array_equal(np.asarray(got), np.asarray(want)), (got, want)

# fresh functions, first compilation of the process (builtins, runtime, dispatcher class)
# then again with fresh dispatchers, compiling concurrently once the builtins are loaded
for _ in range(2):
    jitted = [njit(f) for f in PY]
    check(race([lambda f=f, a=a: f(a) for f, a in zip(jitted, ARGS)]),
          [f(a) for f, a in zip(PY, ARGS)])

# one fresh dispatcher, first calls with different argument types at once
VALUES = [1, 2.5, -3, 1 + 1j, np.arange(3) - 1, np.ones(2, np.float32), -7.5, np.eye(2)]
for _ in range(2):
    both = njit(f7)
    check(race([lambda v=v: both(v) for v in VALUES]), [f7(v) for v in VALUES])

# calls of compiled specialisations while other threads compile new ones of the same function
def g(a): return a + a
for _ in range(2):
    shared = njit(g)
    shared(1)
    calls = [lambda: [shared(i) for i in range(100)][-1]] * 4
    calls += [lambda v=v: shared(v) for v in (1.5, 2j, np.arange(2), np.ones((2, 2)))]
    expected = [198] * 4 + [g(v) for v in (1.5, 2j, np.arange(2), np.ones((2, 2)))]
    check(race(calls), expected)
print("ok")
"""


def test_concurrent_first_compilation_and_calls():
    """Each child makes its first calls from 12 threads at once; no spurious typing errors."""
    assert _run_many(FIRST_CALLS, copies=3) == ["ok\n"] * 3


# -- item 13: entry points validate their argument tuple ----------------------------------------------

ENTRY_POINTS = """
import gc
from hypothesis import given, settings, strategies as st

@njit
def add(a, b): return a + b
@njit
def total(a): return a.sum()
@njit
def nothing(): return 7
add(1, 2); total(np.ones(2)); nothing()
CASES = [(add, 2, (3, 4), 7), (total, 1, (np.arange(4.0),), 6.0), (nothing, 0, (), 7)]

values = st.one_of(st.integers(-2**63, 2**63 - 1), st.floats(), st.text(max_size=3),
                   st.none(), st.just(np.arange(3.0)), st.lists(st.integers(), max_size=3))

@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CASES), st.lists(values, max_size=5))
def check_tuples(case, items):
    dispatcher, arity, _, _ = case
    entry = next(iter(dispatcher.overloads.values())).entry_point
    try:
        entry(*items)
    except (TypeError, OverflowError) as exc:  # a wrong count, or items of the wrong types
        if len(items) != arity:
            text = str(exc)
            assert dispatcher.__name__ in text and f"takes exactly {arity} argument" in text, text
            assert f"({len(items)} given)" in text, text
    else:
        assert len(items) == arity

check_tuples()

# wrong item types are TypeErrors too; no error path keeps a reference
from jitbridge.testing import no_leaks
entry_add = next(iter(add.overloads.values())).entry_point
entry_total = next(iter(total.overloads.values())).entry_point
ints, text, arr = np.arange(3), "text", np.arange(3.0)
with no_leaks(ints, text, arr):
    for bad, entry in [(("x", 1), entry_add), ((ints,), entry_total), ((arr, arr), entry_total),
                       ((), entry_add), ([arr, arr], entry_total), ((text,), entry_add)]:
        for _ in range(50):
            try:
                entry(*bad)
            except TypeError:
                pass
            else:
                raise AssertionError(bad)
    del bad, entry
    assert entry_total(arr) == 3.0 and entry_add(2, 5) == 7

# the entry point keeps itself alive and nothing reachable from it changes its target
for dispatcher, _, args, expected in CASES:
    entry = next(iter(dispatcher.overloads.values())).entry_point
    assert isinstance(entry.__self__, tuple)
    assert all(isinstance(part, bytes) for part in entry.__self__)
del dispatcher, add, total, nothing, CASES
gc.collect()
assert entry() == 7
print("ok")
"""


def test_entry_points_check_their_argument_tuple():
    assert run_isolated(ENTRY_POINTS) == "ok\n"


NATIVE_TABLE = """
import gc

@njit
def twice(a): return a * 2
assert twice(3) == 6 and twice(1.5) == 3.0
# nothing reachable from the dispatcher's attributes keeps the native dispatch table alive
assert not any(isinstance(v, list) for v in vars(twice).values())
vars(twice).clear()
gc.collect()
for i in range(1000):
    assert twice(i) == 2 * i       # still the native fast path, reading a live table
try:
    twice("x")                     # the slow path needs the state that was cleared
except AttributeError:
    pass
print("ok")
"""


def test_native_dispatch_table_is_not_reachable_from_attributes():
    assert run_isolated(NATIVE_TABLE) == "ok\n"


@njit
def _double(a):
    return a * 2


def test_compiled_specialisations_are_read_only():
    _double(2)
    result = _double.overloads[(types.int64,)]
    for name, value in [("native_name", "jb.other"), ("checked_address", 0),
                        ("entry_point", print), ("library", None), ("signature", None)]:
        with pytest.raises(AttributeError):
            setattr(result, name, value)
    with pytest.raises(TypeError):
        _double.overloads[(types.int64,)] = result
    with pytest.raises(AttributeError):
        _double.overloads = {}
    with pytest.raises(AttributeError):
        result.signature.return_type = types.float64
    with pytest.raises(AttributeError):
        result.signature.args = (types.float64,)
    assert result.signature == types.int64(types.int64) and _double(21) == 42


# -- item 13: cfuncs ---------------------------------------------------------------------------------

@cfunc("float64(float64)")
def _half(x):
    return x / 2


@njit
def _apply_half(x):
    return _half(x)


@njit
def _apply(fn, x):
    return fn(x)


@pytest.mark.parametrize("name", ["address", "ctypes", "native_name", "signature", "py_func",
                                  "error_value", "_numba_type_", "_address", "_library",
                                  "_sig", "anything_new"])
def test_cfunc_attributes_are_read_only(name):
    before = _half.address
    with pytest.raises(AttributeError, match="read-only|can't set|has no setter|not writable"):
        setattr(_half, name, 0)
    with pytest.raises(AttributeError):
        delattr(_half, name)
    assert _half.address == before
    assert _apply_half(3.0) == 1.5 and _apply(_half, 5.0) == 2.5 and _half(1.0) == 0.5


def test_cfunc_ctypes_cannot_be_changed_for_others():
    mine = _half.ctypes
    mine.restype = ctypes.c_int64      # the caller's own ctypes function
    assert _half(4.0) == 2.0 and _half.ctypes(4.0) == 2.0
    assert ctypes.cast(_half.ctypes, ctypes.c_void_p).value == _half.address


def test_cfunc_cannot_be_subclassed():
    with pytest.raises(TypeError, match="cannot be subclassed"):
        type("Sub", (type(_half),), {})


CFUNC_ARGUMENTS = """
from jitbridge import cfunc

@cfunc("float64(float64)")
def half(x): return x / 2
@cfunc("int64(int64)")
def inc(x): return x + 1
@njit
def apply(fn, x): return fn(x)
assert apply(half, 3.0) == 1.5 and apply(inc, 3) == 4

class Impostor:
    address = 0
entry = apply.overloads[next(iter(apply.overloads))].entry_point
for fake in (Impostor(), inc, 5, None):
    try:
        entry(fake, 3.0)
    except TypeError as exc:
        assert "expected a cfunc of signature float64(float64)" in str(exc), str(exc)
    else:
        raise AssertionError(fake)
print("ok")
"""


def test_cfunc_arguments_come_only_from_cfuncs_of_the_compiled_signature():
    assert run_isolated(CFUNC_ARGUMENTS) == "ok\n"


# -- item 15: calls to jitted callees with the wrong number of arguments -----------------------------

def _callers_module(tmp_path):
    """A module with callees of 0-3 parameters and callers passing 0-4 arguments."""
    lines = ["from jitbridge import njit"]
    for n in range(4):
        params = ", ".join("abcd"[:n])
        lines += ["@njit", f"def callee{n}({params}):", f"    return {n}"]
    for n in range(4):
        for m in range(5):
            args = ", ".join(["x"] * m)
            lines += ["@njit", f"def caller{n}_{m}(x):", f"    return callee{n}({args}) + 1"]
    path = tmp_path / "arity_callers.py"
    path.write_text("\n".join(lines) + "\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return path, namespace, lines


@pytest.fixture(scope="module")
def arity_module(tmp_path_factory):
    return _callers_module(tmp_path_factory.mktemp("arity"))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 3), st.integers(0, 4))
def test_wrong_argument_count_is_located_at_the_call(arity_module, n, m):
    path, namespace, lines = arity_module
    caller = namespace[f"caller{n}_{m}"]
    if n == m:
        assert caller(1) == n + 1
        return
    with pytest.raises(TypingError) as info:
        caller(1)
    text = str(info.value)
    call_line = lines.index(f"def caller{n}_{m}(x):") + 2
    assert f"{path}:{call_line}:" in text, text
    assert f"callee{n}({', '.join(['x'] * m)})" in text, text   # the call expression is shown
    plural = "" if n == 1 else "s"
    if m > n:
        assert f"callee{n}({', '.join('abcd'[:n])}) takes {n} argument{plural} but {m}" in text
    else:  # fewer: CPython's words, naming what is missing
        missing = " and ".join(", ".join(repr(p) for p in "abcd"[m:n]).rsplit(", ", 1))
        assert f"callee{n}() missing {n - m} required argument" in text and missing in text
    assert f"def callee{n}" not in text


@njit
def _with_default(a, b=2):
    return a + b


@njit
def _calls_with_default(x):
    return _with_default(x)


def test_default_arguments_are_filled_in_for_compiled_callers():
    assert _calls_with_default(1) == 3


# -- item 15: eager-signature errors carry no jitbridge frames ---------------------------------------

def _assert_only_user_frames(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    assert frames and frames[0].filename == __file__
    assert not [f for f in frames if f.filename.startswith(JITBRIDGE_DIR)], frames


def test_eager_signature_typing_error_has_no_internal_frames():
    with pytest.raises(TypingError) as info:
        @njit("int64(int64)")
        def bad(x):
            return x + "text"
    assert "bad" in str(info.value) and "int64" in str(info.value)
    _assert_only_user_frames(info.value)


def test_eager_signature_arity_and_parse_errors_have_no_internal_frames():
    with pytest.raises(TypingError, match="takes 1 arguments but 2 were given") as info:
        @njit(["int64(int64, int64)"])
        def one(x):
            return x
    _assert_only_user_frames(info.value)
    with pytest.raises(TypeError, match="unknown type name 'nosuchtype'") as info:
        @njit("int64(nosuchtype)")
        def other(x):
            return x
    _assert_only_user_frames(info.value)


def test_lazy_compile_error_has_no_internal_frames():
    @njit
    def bad(x):
        return x + "text"
    with pytest.raises(TypingError) as info:
        bad(1)
    _assert_only_user_frames(info.value)


# -- item 15: njit called with bad arguments ----------------------------------------------------------

BOOL_OPTIONS = ["cache", "nogil", "forceobj", "looplift", "debug", "no_cpython_wrapper"]
not_bools = st.one_of(st.integers(), st.text(max_size=4), st.floats(allow_nan=False),
                      st.lists(st.integers(), min_size=1, max_size=2),
                      st.just(np.bool_(True)))


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(BOOL_OPTIONS + ["fastmath", "boundscheck", "parallel"]), not_bools)
def test_option_values_are_checked(name, value):
    with pytest.raises(TypeError, match=f"jit option {name}= expects"):
        njit(**{name: value})


@pytest.mark.parametrize("options", [dict(error_model="c"), dict(inline=3), dict(locals=[1]),
                                     dict(locals={1: types.int64}), dict(fastmath={"fastest"})])
def test_structured_option_values_are_checked(options):
    (name,) = options
    with pytest.raises(TypeError, match=f"jit option {name}= expects"):
        njit(**options)


def test_valid_options_are_accepted():
    def f(x):
        return x + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every option is implemented: nothing warns
        compiled = njit(fastmath={"nnan", "ninf"}, boundscheck=None, error_model="numpy",
                        inline="never", locals={"y": types.int64}, nogil=True,
                        parallel=True)(f)
    assert compiled(1) == 2


@pytest.mark.parametrize("bad", [5, "not a signature", print, np.add, [1, 2]])
def test_njit_rejects_non_functions(bad):
    with pytest.raises(TypeError, match="@njit|invalid type string"):
        njit(bad) if not isinstance(bad, str) else njit(bad)(lambda x: x)


@pytest.mark.parametrize("bad", [5, print, _double, None])
def test_decorator_rejects_non_functions(bad):
    with pytest.raises(TypeError, match="@njit can only decorate Python functions") as info:
        njit("int64(int64)")(bad)
    _assert_only_user_frames(info.value)
    with pytest.raises(TypeError, match="@njit can only decorate Python functions"):
        njit()()
