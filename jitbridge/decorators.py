"""`@njit` / `@jit`: the decorators that create Dispatchers."""
from __future__ import annotations

import inspect

from .dispatch import check_options, make_dispatcher, native_call_class
from .errors import CompilerError
from .types import Signature
from .types.parse import TypeParseError


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
    check_options(options)
    if inspect.isfunction(spec):
        return make_dispatcher(spec, (), **options)
    if spec is None:
        signatures = ()
    elif _is_signature_spec(spec):
        signatures = [spec] if isinstance(spec, (str, Signature)) else list(spec)
    else:
        raise TypeError(f"@njit expects a function, a signature or a list of signatures, "
                        f"not {type(spec).__name__}")
    decorator = native_call_class("JitDecorator", _JitDecorator)()
    decorator._setup(signatures, options)
    return decorator


class _JitDecorator:
    """What `@njit(...)` returns; applying it creates the dispatcher (compiling any signatures).

    It is called through the native dispatcher type's `tp_call` (it never publishes compiled
    entries, so every call reaches `_fallback`), which drops the `_fallback` frame from the
    traceback of an error: an eager compile error then shows the user's decorated function
    and no jitbridge frames, like a lazy one.
    """

    def _setup(self, signatures, options) -> None:
        self._signatures = tuple(signatures)
        self._options = dict(options)

    def _fallback(self, *args, **kws):
        if kws or len(args) != 1 or not inspect.isfunction(args[0]):
            raise TypeError(f"@njit can only decorate Python functions, not {_describe(args, kws)}")
        try:
            return make_dispatcher(args[0], self._signatures, **self._options)
        except (CompilerError, TypeParseError) as exc:  # the user's error, not ours
            raise exc.with_traceback(None) from exc.__cause__

    def __repr__(self):
        return f"<jit decorator signatures={list(self._signatures)!r} options={self._options!r}>"


def _describe(args, kws) -> str:
    if kws or len(args) != 1:
        return f"{len(args)} positional and {len(kws)} keyword arguments"
    return type(args[0]).__name__
