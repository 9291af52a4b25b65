"""Eager compilation from every signature form Numba accepts: full signatures (string or
Signature object), argument types only (tuple, string, `()`), lists mixing them; the return type
of an argument-only signature is inferred; explicit signatures lock the dispatcher."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import cfunc, jit, njit, types
from jitbridge.errors import JitBridgeWarning, TypingError
from jitbridge.testing import no_leaks


def twice_plus_one(x):
    return x * 2 + 1


def total_plus(a, i):
    return a.sum() + i


def answer():
    return 1.5


def fill_first(a):
    a[0] = 5.0


#: a lazily compiled reference: what Numba-style inference gives for each argument type
lazy_twice_plus_one = njit(twice_plus_one)

SCALARS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float32", "float64", "complex64", "complex128"]


def _forms(name):
    """Every way of saying "one argument of type `name`, return type inferred"."""
    ty = getattr(types, name)
    return {"tuple": (ty,), "string": f"({name},)", "list": [(ty,)], "list of strings": [f"({name},)"],
            "tuple of strings": (name,)}


# -- argument types only: the return type is inferred -------------------------------------------

@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(SCALARS), form=st.sampled_from(list(_forms("int64"))),
       value=st.integers(0, 100))
def test_argument_only_signature_infers_what_lazy_compilation_infers(name, form, value):
    f = njit(_forms(name)[form])(twice_plus_one)
    argument = np.dtype(name).type(value)
    expected = lazy_twice_plus_one(argument)
    [sig] = f.nopython_signatures
    assert sig.args == (getattr(types, name),)
    assert sig == lazy_twice_plus_one.overloads[(getattr(types, name),)].signature
    result = f(argument)
    assert result == expected and type(result) is type(expected)


def test_signatures_compile_at_decoration_time():
    f = njit((types.float64[:], types.int64))(total_plus)
    assert f.signatures == [(types.float64[:], types.int64)]
    assert f.nopython_signatures == [types.float64(types.float64[:], types.int64)]
    a = np.arange(4.0)
    with no_leaks(a):
        assert f(a, 2) == 8.0
        assert f(a[::2], 1) == 3.0  # any layout converts to the 'A' signature


def array_total(a):
    return a.sum()


_SLICES = {(1, "A"): ":", (1, "C"): "::1", (2, "A"): ":, :", (2, "C"): ":, ::1"}


@settings(max_examples=25, deadline=None)
@given(dtype=st.sampled_from(["int32", "int64", "float32", "float64"]), ndim=st.sampled_from([1, 2]),
       layout=st.sampled_from(["A", "C"]), as_string=st.booleans())
def test_array_argument_types_from_strings_and_objects(dtype, ndim, layout, as_string):
    text = f"{dtype}[{_SLICES[ndim, layout]}]"
    argtype = types.parse_type(text)
    f = njit(f"({text},)" if as_string else (argtype,))(array_total)
    assert f.signatures == [(argtype,)] and argtype.layout == layout and argtype.ndim == ndim
    a = np.arange(12, dtype=dtype).reshape((12,) if ndim == 1 else (3, 4))
    views = [a, a[::2]] if layout == "A" else [a]  # 'A' also takes strided views
    with no_leaks(a):
        assert [f(view) for view in views] == [view.sum() for view in views]


def test_empty_tuple_and_empty_string_signatures_take_no_arguments():
    for spec in [(), "()", [()]]:
        f = njit(spec)(answer)
        assert f.nopython_signatures == [types.float64()]
        assert f() == 1.5


def test_string_with_array_and_tuple_types():
    f = njit("(float64[:, ::1], UniTuple(int64, 2))")(lambda_free_index)
    [sig] = f.nopython_signatures
    assert sig.args == (types.float64[:, ::1], types.UniTuple(types.int64, 2))
    assert sig.return_type == types.float64
    assert f(np.arange(6.0).reshape(2, 3), (1, 2)) == 5.0


def lambda_free_index(a, ij):
    return a[ij]


# -- full signatures and mixtures -------------------------------------------------------------

def test_full_signature_forms_keep_their_return_type():
    for spec in ["float64(int64)", types.float64(types.int64), [types.float64(types.int64)]]:
        f = njit(spec)(twice_plus_one)
        assert f.nopython_signatures == [types.float64(types.int64)]
        assert f(3) == 7.0 and type(f(3)) is float


def test_void_signature_returns_none():
    f = njit(types.void(types.float64[::1]))(fill_first)
    a = np.zeros(3)
    assert f(a) is None and a[0] == 5.0
    assert f.nopython_signatures[0].args == (types.float64[::1],)


def test_list_mixing_every_form():
    f = jit([(types.int32,), "float64(float64)", types.int64(types.int64), "(complex128,)"],
            nopython=True)(twice_plus_one)
    assert f.signatures == [(types.int32,), (types.float64,), (types.int64,),
                            (types.complex128,)]
    returns = [sig.return_type for sig in f.nopython_signatures]
    assert returns[1:] == [types.float64, types.int64, types.complex128]
    assert f(2 + 1j) == 5 + 2j
    assert f(np.int32(4)) == 9


def test_options_with_a_signature():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", JitBridgeWarning)  # cache=True is not implemented
        f = njit((types.int64,), cache=True, fastmath=True)(twice_plus_one)
    assert f(4) == 9 and f.nopython_signatures == [types.int64(types.int64)]


def test_dispatcher_compile_accepts_argument_only_signatures():
    f = njit(twice_plus_one)
    f.compile((types.int16,))
    f.compile("(float32,)")
    lazy_twice_plus_one(np.int16(1)), lazy_twice_plus_one(np.float32(1))
    assert f.nopython_signatures == [lazy_twice_plus_one.overloads[(t,)].signature
                                     for t in (types.int16, types.float32)]
    assert f(7) == 15  # compile() does not lock: a new type still compiles
    assert len(f.signatures) == 3


# -- locking ---------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", [(types.int64,), "(int64,)", "int64(int64)"])
def test_explicit_signatures_lock_the_dispatcher(spec):
    f = njit(spec)(twice_plus_one)
    assert f(2.9) == 5  # converts (as Numba does) rather than compiling float64
    with pytest.raises(TypeError) as raised:
        f(np.zeros(2))
    assert str(raised.value) == ("No matching definition for argument type(s) "
                                 "array(float64, 1d, C)")  # Numba's message
    assert raised.value.__notes__ == [  # what a traceback adds
        "twice_plus_one() has no compiled signature matching them, and its explicit "
        "signatures disable compiling others; compiled: int64(int64)"]
    assert f.signatures == [(types.int64,)]


def test_locked_dispatcher_error_is_a_typing_error_in_compiled_callers():
    callee = njit((types.int64,))(twice_plus_one)

    @njit
    def caller(a):
        return callee(a)

    with pytest.raises(TypingError, match=r"(?s)caller' at .*No matching definition .*"
                                          r"twice_plus_one\(\) has no compiled signature"):
        caller(np.zeros(2))


# -- malformed signatures ----------------------------------------------------------------------

@pytest.mark.parametrize("spec, message", [
    ("(int64)", r"'\(int64\)': it evaluates to int64, not a signature"),
    ("int64", "it evaluates to int64"),
    ((types.int64, 3), r"argument 1 is 3 \(type int\), not a type"),
    ("(int64, 3)", "argument 1 is 3"),
    ("int65(int64)", "unknown type name 'int65'"),
    ("(int64,", "invalid type string"),
    ("int64[3](int64)", r"bad type expression 'int64\[3\]'"),
    ("int64.__class__", "unsupported attribute '__class__'"),
    ("_namespace()", "unknown type name '_namespace'"),
    (("int64(int64)",), "argument 0 is the signature int64\\(int64\\), not a type"),
    ([(types.int64,), 5], r"invalid signature 1 of the list: 5 \(type int\)"),
    (types.int64, r"the type int64 alone is not a signature.*\(int64,\)"),
    (3, "The decorated object is not a function \\(got type <class 'int'>\\)"),
])
def test_malformed_signatures_are_clear_type_errors(spec, message):
    with pytest.raises(TypeError, match=message):
        njit(spec)(twice_plus_one)


def test_malformed_signature_in_compile_is_a_type_error():
    with pytest.raises(TypeError, match=r"invalid signature 3\.5 \(type float\)"):
        njit(twice_plus_one).compile(3.5)


def test_decorating_a_dispatcher_says_to_use_py_func():
    f = njit(twice_plus_one)
    for decorate in (njit, njit("(int64,)")):
        with pytest.raises(TypeError, match="already jitted function 'twice_plus_one'.*py_func"):
            decorate(f)
    with pytest.raises(TypeError, match="@njit can only decorate Python functions, not int"):
        njit("(int64,)")(5)


# -- cfunc: the C type must be known before compiling, so the return type is required -----------

@pytest.mark.parametrize("spec", [(types.float64,), "(float64,)", [types.float64(types.float64)]])
def test_cfunc_rejects_signatures_without_a_return_type(spec):
    with pytest.raises(TypeError, match="(explicit return type|invalid signature)"):
        cfunc(spec)


def test_cfunc_accepts_full_signatures():
    for spec in ["float64(float64)", types.float64(types.float64)]:
        c = cfunc(spec)(twice_plus_one)
        assert c.ctypes(2.0) == 5.0


def test_compile_on_a_locked_dispatcher_is_disabled():
    f = njit(["(float32,)", "(int32,)"])(twice_plus_one)
    assert f.compile("(int32,)") is f.overloads[(types.int32,)]  # already there: no-op
    with pytest.raises(RuntimeError) as raised:
        f.compile("(complex64,)")
    assert str(raised.value) == "compilation disabled"  # Numba's message; the note says why
    assert "explicit signatures" in raised.value.__notes__[0]
    assert len(f.signatures) == 2


@pytest.mark.parametrize("spec, given", [("()", 0), ("(int64,)", 1), ("(int64, int64, int64)", 3),
                                         ("float64(int64)", 1)])
def test_signature_arity_must_match_the_function(spec, given):
    with pytest.raises(TypeError) as raised:
        njit(spec)(total_plus)
    assert str(raised.value) == (f"Signature mismatch: {given} argument types given, but "
                                 "function takes 2 arguments")  # Numba's message
    assert raised.value.__notes__ == [f"total_plus(a, i) takes 2 arguments but {given} were given"]
    assert isinstance(raised.value, TypingError)
