"""Errors name the function, file:line:col and the source text; no jitbridge frames shown."""
import sys
import traceback

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import CompilerError, TypingError, UnsupportedError


def _frames(exc):
    return [f.filename for f in traceback.extract_tb(exc.__traceback__)]


def add_str(x):
    return x + "a"


def test_typing_error_names_function_line_and_expression():
    with pytest.raises(TypingError) as info:
        njit(add_str)(1)
    msg = str(info.value)
    line = add_str.__code__.co_firstlineno + 1
    assert "function 'add_str'" in msg
    assert f"test_errors.py:{line}:12" in msg
    assert 'return x + "a"' in msg
    assert "^^^^^^^" in msg
    assert "'+'" in msg and "int64" in msg and "Literal[str]" in msg


def test_no_internal_frames_in_compile_error_traceback():
    with pytest.raises(CompilerError) as info:
        njit(add_str)(2)
    assert not any("/jitbridge/" in f for f in _frames(info.value)), _frames(info.value)


def uses_dict_unpacking(n):
    return {**{n: 1}}


def test_unsupported_syntax():
    with pytest.raises(UnsupportedError, match=r"dict unpacking \('\*\*'\)") as info:
        njit(uses_dict_unpacking)(3)
    assert "uses_dict_unpacking" in str(info.value)


def undefined_name(x):
    return x + not_defined_anywhere  # noqa: F821


def test_undefined_global():
    with pytest.raises(TypingError, match="name 'not_defined_anywhere' is not defined"):
        njit(undefined_name)(1)


def python_helper(x):
    return x


def calls_plain_python(x):
    return python_helper(x)


def test_calling_plain_python_function_suggests_njit():
    with pytest.raises(TypingError, match="decorate it with @njit"):
        njit(calls_plain_python)(1)


def incompatible_assign(x):
    y = 1
    if x:
        y = (1, 2)
    return y


def test_incompatible_variable_types():
    with pytest.raises(TypingError, match="variable 'y'.*incompatible types"):
        njit(incompatible_assign)(True)


def test_unsupported_argument_type_names_argument():
    with pytest.raises(TypingError, match="argument 0 \\('x'\\).*object"):
        njit(python_helper)(object())


def bad_unpack(t):
    a, b = t
    return a


def test_unpack_length_mismatch():
    with pytest.raises(TypingError, match=r"3 items\) into 2 targets"):
        njit(bad_unpack)((1, 2, 3))


def bad_call(x):
    return abs(x, x)


def test_no_matching_builtin_lists_candidates():
    with pytest.raises(TypingError, match=r"No implementation of function abs\(\) for argument "
                                          r"types \(int64, int64\)") as info:
        njit(bad_call)(1)
    assert "candidates tried" in str(info.value)


def test_a_numpy_function_is_named_with_its_module():
    import numpy as np
    with pytest.raises(TypingError, match=r"No implementation of function np\.linalg\.norm\(\) "
                                          r"for argument types \(unicode_type\)"):
        njit(lambda s: np.linalg.norm(s))("x")


def test_lambdas_compile():
    assert njit(lambda x: x + 1)(1) == 2
    pair = (lambda a: a * 2, lambda a: a * 3)
    if sys.version_info >= (3, 11):  # code positions tell same-line lambdas apart
        assert njit(pair[1])(2) == 6
    else:
        with pytest.raises(UnsupportedError, match="unambiguously"):
            njit(pair[1])(2)
    for expected, f in [(4, lambda a: a + 2),
                        (6, lambda a: a * 3)]:
        assert njit(f)(2) == expected


def raise_runtime_value(x):
    raise ValueError(x)


def raise_range(n):
    raise ValueError(range(n))


def test_exception_arguments_without_python_equivalent_are_rejected():
    with pytest.raises(TypingError, match="no Python equivalent"):
        njit(raise_range)(1)


def test_errors_are_picklable():
    import pickle

    with pytest.raises(TypingError) as info:
        njit(add_str)(1)
    clone = pickle.loads(pickle.dumps(info.value))
    assert str(clone) == str(info.value)


def test_unknown_option_rejected():
    with pytest.raises(TypeError, match="unknown jit option"):
        njit(fastmaths=True)(python_helper)


def test_signature_string_errors():
    with pytest.raises(TypeError, match="unknown type name 'floaty'"):
        njit("floaty(int64)")(python_helper)


def test_malformed_containers_raise_instead_of_crashing():
    import numpy as np

    first_and_last = njit(lambda xs: xs[0] + xs[-1])
    with pytest.raises(TypeError, match=r"heterogeneous list: array\(float64, 1d, C\) != int64"):
        first_and_last([np.ones(2), 3])
    with pytest.raises(TypeError, match=r"heterogeneous list: UniTuple\(int64 x 2\) != int64"):
        first_and_last([(1, 2), 5])
    with pytest.raises(TypeError):
        first_and_last([1, 2.5])
    with pytest.raises(TypingError, match=r"np.sum\(\) of an array of \[unichr x 1\] is not supported"):
        njit(lambda a: a.sum())(np.array(["a", "b"]))
    with pytest.raises(TypingError, match="non-native byte order"):
        njit(lambda a: a.sum())(np.arange(3.0).astype(">f8"))


def _numpy_pad(a):
    return np.pad(a, 1)


def test_an_unsupported_numpy_function_is_named_with_its_argument_types():
    with pytest.raises(TypingError, match=r"np\.pad\(array\(float64, 1d, C\), "
                                          r"Literal\[int\]\(1\)\) is not supported in "
                                          r"compiled code") as info:
        njit(_numpy_pad)(np.ones(3))
    assert "_ArrayFunctionDispatcher" not in str(info.value)
