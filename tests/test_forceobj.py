"""@jit(forceobj=True): object mode, the body run by the interpreter (jitbridge/forceobj.py).
Differential against CPython: same values, same objects, same exceptions."""
import functools
import pickle
import warnings

import numpy as np
import pytest

from jitbridge import jit, njit, types
from jitbridge.errors import ForbiddenConstruct, JitBridgeWarning, TypingError
from jitbridge.testing import no_leaks


def all_of(x, y):
    return all([x, y]), any([x, y])


def globals_of():
    return globals()


def filtered(x, f):
    return list(filter(f, x)), list(map(f, x))


def reduced(f, x):
    return functools.reduce(f, x)


def largest(x):
    return max(x)


def formatted(template, value):
    return template.format(value)


def appended(x):
    x.append(len(x))
    return x


def every_kind(a, b=3, *args, c=4, **kws):
    return a, b, args, c, kws


def counting(n):
    for i in range(n):
        yield i * i


def reads_locals(x):
    y = x
    return locals()["y"]


def _forceobj(sig=None, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # honoured: no "always nopython" warning any more
        return jit(sig, forceobj=True, **options) if sig is not None else \
            jit(forceobj=True, **options)


all_obj = _forceobj((types.int32, types.int32))(all_of)
globals_obj = _forceobj(())(globals_of)
filtered_obj = _forceobj((types.Dummy("list"), types.Dummy("function_ptr")))(filtered)
reduced_obj = _forceobj()(reduced)
largest_obj = _forceobj((types.int32,))(largest)
formatted_obj = _forceobj((types.string, types.float32))(formatted)
appended_obj = _forceobj()(appended)
every_kind_obj = _forceobj()(every_kind)
counting_obj = _forceobj()(counting)


@pytest.mark.parametrize("x, y", [(0, 1), (1, 2), (0, 0), (None, 3), ("", [1])])
def test_values_are_python_objects(x, y):
    assert all_obj(x, y) == all_of(x, y)


def test_specialisations_are_marked_object_mode():
    assert all_obj.overloads[all_obj.signatures[0]].objectmode


def test_globals_is_the_module_dictionary():
    assert globals_obj() is globals()
    assert globals_obj() is globals()


def test_functions_of_the_interpreter_as_arguments():
    x = [0, 1, 2, 3, 4]
    assert filtered_obj(x, lambda v: v % 2) == filtered(x, lambda v: v % 2)
    for x in (range(10), [v + v / 10 for v in range(10)], [complex(v, v) for v in range(10)]):
        got = reduced_obj(lambda a, b: a + b, x)
        assert got == reduced(lambda a, b: a + b, x) and type(got) is type(reduced(
            lambda a, b: a + b, x))


def test_errors_are_raised_when_the_line_runs():
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        largest_obj(1)
    assert largest_obj((1.5, float("nan"), 2.5)) == largest((1.5, float("nan"), 2.5))


def test_arguments_are_the_callers_objects():
    assert formatted_obj("{0}", -1.1) == "-1.1"  # the float given, not a float32 copy
    x = [7]
    assert appended_obj(x) is x and x == [7, 1]


def test_parameters_bind_as_in_python():
    assert every_kind_obj(1) == every_kind(1)
    assert every_kind_obj(1, 2, 5, 6, c=7, z=1) == every_kind(1, 2, 5, 6, c=7, z=1)
    with pytest.raises(TypeError, match="every_kind"):
        every_kind_obj()


def test_star_args_with_a_signature():
    def star(*args, **kws):
        return args, kws
    f = _forceobj("()")(star)
    assert f(1, [2], k=3) == ((1, [2]), {"k": 3}) and f() == ((), {})


def test_generator_functions_return_generators():
    assert list(counting_obj(4)) == list(counting(4))


def test_closure_variables_frozen_globals_read_live():
    y = 10

    def add_y(x):
        return x + y
    frozen = _forceobj("i4(i4)")(add_y)
    y = 12
    assert frozen(1) == 11 and add_y(1) == 13
    again = _forceobj("i4(i4)")(add_y)
    assert again(1) == 13
    frozen.recompile()
    assert frozen(1) == 13


def test_locals_is_refused_when_decorating():
    with pytest.raises(ForbiddenConstruct, match=r"locals\(\) is not supported") as info:
        _forceobj((types.int64,))(reads_locals)
    assert "reads_locals" in str(info.value) and 'return locals()["y"]' in str(info.value)


def test_compiled_code_cannot_call_it():
    @njit
    def caller(x):
        return largest_obj(x)
    with pytest.raises(TypingError, match=r"object mode \(forceobj=True\)"):
        caller((1, 2))


def test_njit_ignores_forceobj_as_numba_does():
    with pytest.warns(JitBridgeWarning, match="forceobj is set for njit and is ignored"):
        f = njit(forceobj=True)(largest)
    assert f((1, 3)) == 3 and not getattr(f.overloads[f.signatures[0]], "objectmode", False)


def test_signature_arity_still_checked():
    with pytest.raises(TypeError, match="Signature mismatch: 1 argument types given"):
        _forceobj((types.int64,))(all_of)


def test_no_references_leak():
    x = [1]
    appended_obj(x)
    x.pop()
    with no_leaks(x, np):
        for _ in range(100):
            appended_obj(x)
            x.pop()
            globals_obj()


def test_pickles_as_an_object_mode_dispatcher():
    def local_function(x):
        return globals() is not None and x
    for dispatcher in (largest_obj, _forceobj()(local_function)):
        again = pickle.loads(pickle.dumps(dispatcher))
        assert type(again) is type(dispatcher) and again.py_func.__name__ == \
            dispatcher.py_func.__name__
    assert pickle.loads(pickle.dumps(_forceobj()(local_function)))([3]) == [3]


def test_overloads_are_found_under_the_declared_signature():
    """As Numba's: `overloads[sig]` for the signature given (a slice set from a list)."""
    def assign(a, b, i, j, k):
        a[i:j:k] = b
        return a
    sig = (types.int32[::1], types.List(types.int16), types.int32, types.int32, types.int32)
    dispatcher = jit(sig, forceobj=True)(assign)
    result = dispatcher.overloads[sig].entry_point(np.zeros(6, np.int32), [1, 2, 3], 0, 6, 2)
    np.testing.assert_array_equal(result, [1, 0, 2, 0, 3, 0])
    dispatcher.recompile()
    assert dispatcher.overloads[sig] is dispatcher.overloads[next(iter(dispatcher._overloads))]
