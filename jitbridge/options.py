"""The options of @njit/@jit: every option is checked before anything compiles (an unknown
option or a value of the wrong kind is a TypeError, never ignored), and those not implemented
yet warn loudly."""
from __future__ import annotations

import warnings

from . import config
from .errors import JitBridgeWarning

_FASTMATH_FLAGS = {"fast", "nnan", "ninf", "nsz", "arcp", "contract", "afn", "reassoc"}


def _is_bool(value) -> bool:
    return isinstance(value, bool)


def _is_fastmath(value) -> bool:
    return _is_bool(value) or (isinstance(value, (set, frozenset, list, tuple))
                               and all(isinstance(f, str) and f in _FASTMATH_FLAGS for f in value))


def _is_one_of(value, *names) -> bool:
    return isinstance(value, str) and value in names


def _is_locals(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


#: option -> (accepts the value?, what it accepts, for the error message)
_OPTIONS = {
    **{name: (_is_bool, "True or False") for name in (
        "nopython", "cache", "nogil", "forceobj", "looplift", "no_cpython_wrapper",
        "no_cfunc_wrapper", "debug", "_nrt")},
    "boundscheck": (lambda v: v is None or _is_bool(v), "True, False or None"),
    "fastmath": (_is_fastmath, f"True, False or a set of {sorted(_FASTMATH_FLAGS)}"),
    "parallel": (lambda v: _is_bool(v) or isinstance(v, dict), "True, False or a dict"),
    "error_model": (lambda v: _is_one_of(v, "python", "numpy"), "'python' or 'numpy'"),
    "inline": (lambda v: _is_one_of(v, "never", "always"),
               "'never' or 'always' (Numba's cost-model functions inspect Numba's own IR, "
               "which jitbridge does not have)"),
    "locals": (_is_locals, "a dict from variable names to types"),
}


def check_options(options: dict) -> None:
    """TypeError for an unknown option or a value of the wrong kind (before any compiling)."""
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        raise TypeError(f"unknown jit option(s): {', '.join(sorted(unknown))}")
    for name, value in options.items():
        accepts, expected = _OPTIONS[name]
        if not accepts(value):
            shown = repr(value) if len(repr(value)) <= 60 else type(value).__name__
            raise TypeError(f"jit option {name}= expects {expected}, not {shown}")


def boundscheck_option(options) -> bool:
    """The option (left unset: on with `debug=True`, as in Numba), unless
    $JITBRIDGE_BOUNDSCHECK (0 or 1) overrides it for every function."""
    if config.BOUNDSCHECK is not None:
        return config.BOUNDSCHECK
    asked = options.get("boundscheck")
    return bool(options.get("debug")) if asked is None else asked


def warn_unimplemented(options) -> None:
    if options.get("forceobj") or options.get("nopython") is False:
        warnings.warn("jitbridge always compiles in nopython mode; use objmode blocks for "
                      "Python code", JitBridgeWarning, stacklevel=4)
    if options.get("debug"):
        warnings.warn("debug=True turns bounds checking on (as in Numba), but jitbridge "
                      "emits no debugger information for gdb: use JITBRIDGE_DISABLE_JIT=1 "
                      "to step through the function as Python", JitBridgeWarning, stacklevel=4)
