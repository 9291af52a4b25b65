"""Issue 22, re-audit of Numba's public names: the warning categories programs filter, the
TypingError subclasses extension typing code raises, and `cgutils.printf` for debugging
extensions, each under its Numba path and working."""
import warnings

import pytest
from llvmlite import ir

from jitbridge import config, njit, types
from jitbridge.core import cgutils, errors
from jitbridge.extending import intrinsic, overload

WARNINGS = ["NumbaExperimentalFeatureWarning", "NumbaTypeSafetyWarning",
            "NumbaParallelSafetyWarning", "NumbaSystemWarning", "NumbaInvalidConfigWarning"]
TYPING_ERRORS = ["NumbaTypeError", "NumbaNotImplementedError", "NumbaAttributeError",
                 "NumbaIndexError", "NumbaKeyError", "NumbaAssertionError", "NumbaValueError"]


@pytest.mark.parametrize("name", WARNINGS)
def test_numba_warning_categories_filter_like_numbas(name):
    category = getattr(errors, name)
    assert issubclass(category, errors.NumbaWarning)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("ignore", category)
        warnings.warn("filtered", category)
    assert seen == []


def needs_int(x):
    raise NotImplementedError


@overload(needs_int)
def _needs_int(x):
    if not isinstance(x, types.Integer):
        raise getattr(errors, REFUSAL[0])(f"needs_int() takes an integer, not {x}")
    return lambda x: x + 1


REFUSAL = ["NumbaTypeError"]


@njit
def call_needs_int(x):
    return needs_int(x)


@pytest.mark.parametrize("name", TYPING_ERRORS)
def test_typing_errors_raised_by_extensions_reach_the_caller_located(name):
    REFUSAL[0] = name
    with pytest.raises(getattr(errors, name)) as info:
        njit(call_needs_int.py_func)(1.5)
    assert isinstance(info.value, errors.TypingError)
    assert "needs_int() takes an integer, not float64" in str(info.value)
    assert "return needs_int(x)" in str(info.value)  # located at the call
    assert call_needs_int(2) == 3


@intrinsic
def show(typingctx, x):
    def codegen(context, builder, sig, args):
        half = builder.sitofp(args[0], ir.DoubleType())
        cgutils.printf(builder, "x=%lld half=%.1f\n", args[0], builder.fmul(half, half.type(0.5)))
        return context.get_dummy_value()
    return types.none(x), codegen


@njit
def shown(x):
    show(x)
    return x


def test_cgutils_printf_prints_from_compiled_code(capfd):
    assert shown(7) == 7
    assert capfd.readouterr().out == "x=7 half=3.5\n"


def _at(a, i):
    return a[i]


@pytest.mark.skipif(config.BOUNDSCHECK is not None, reason="$JITBRIDGE_BOUNDSCHECK decides")
def test_debug_turns_bounds_checking_on_as_in_numba_and_says_what_it_lacks():
    import numpy as np
    from jitbridge.errors import JitBridgeWarning
    with pytest.warns(JitBridgeWarning, match="debug=True turns bounds checking on"):
        checked = njit(debug=True)(_at)
    with pytest.raises(IndexError):
        checked(np.arange(3), 5)
    with pytest.warns(JitBridgeWarning):
        unchecked = njit(debug=True, boundscheck=False)(_at)
    assert unchecked._flags.boundscheck is False
