"""`@njit` / `@jit`: the decorators that create Dispatchers."""
from __future__ import annotations

import inspect

from .dispatch import make_dispatcher
from .types import Signature


def _is_signature_spec(value) -> bool:
    if isinstance(value, (str, Signature)):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(v, (str, Signature)) for v in value)


def njit(signature_or_function=None, **options):
    """Compile a function to native code (nopython mode).

    Forms: `@njit`, `@njit(**options)`, `@njit("float64(float64)")`, `@njit([sig1, sig2])`.
    """
    options.pop("nopython", None)
    return _decorate(signature_or_function, options)


def jit(signature_or_function=None, **options):
    """Like `njit`; nopython mode is the default (and the only mode)."""
    return _decorate(signature_or_function, options)


def _decorate(spec, options):
    if inspect.isfunction(spec):
        return make_dispatcher(spec, (), **options)
    if spec is None:
        signatures = ()
    elif _is_signature_spec(spec):
        signatures = [spec] if isinstance(spec, (str, Signature)) else list(spec)
    else:
        raise TypeError(f"@njit expects a function, a signature or a list of signatures, "
                        f"not {type(spec).__name__}")

    def wrapper(func):
        if not inspect.isfunction(func):
            raise TypeError(f"@njit can only decorate Python functions, not {type(func).__name__}")
        return make_dispatcher(func, signatures, **options)

    return wrapper
