"""`@njit` / `@jit`: the decorators that create Dispatchers."""
from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable, TypeVar, Union, overload

from . import config
from .dispatch import Dispatcher, make_dispatcher, native_call_class
from .options import check_options
from .errors import CompilerError, JitBridgeWarning
from .types import Signature, Type
from .types.parse import TypeParseError


def _is_one_signature(value) -> bool:
    """A single signature: a string, a Signature or a tuple of argument types (a list is a list
    of signatures, as in Numba)."""
    return isinstance(value, (str, Signature, tuple))


def _signature_list(spec) -> list:
    """The signatures `spec` names, each of a signature's kind (they are parsed when the
    decorator is applied, where an error can be shown without jitbridge frames)."""
    signatures = list(spec) if isinstance(spec, list) else [spec]
    for index, sig in enumerate(signatures):
        if not _is_one_signature(sig):
            where = f"signature {index} of the list" if isinstance(spec, list) else "signature"
            raise TypeError(f"@njit: invalid {where}: {sig!r} (type {type(sig).__name__}); "
                            "expected 'rettype(argtypes)', a Signature such as "
                            "int64(int64) or a tuple of argument types such as (int64,)")
    return signatures


_F = TypeVar("_F", bound=Callable[..., Any])
_Signatures = Union[str, Signature, tuple, list, None]


@overload
def njit(signature_or_function: _F) -> _F: ...
@overload
def njit(signature_or_function: _Signatures = None, **options: Any) -> Callable[[_F], _F]: ...


def njit(signature_or_function=None, **options):
    """Compile a function to native code (nopython mode).

    Forms: `@njit`, `@njit(**options)`, `@njit(sig, **options)`, `@njit([sig1, sig2])`, where a
    signature is "float64(float64)", float64(float64), a tuple of argument types (float64,) or
    "(float64,)" (the return type is then inferred). With signatures, it compiles them now and
    the function accepts only arguments that convert to one of them.
    """
    options.pop("nopython", None)
    check_options({k: v for k, v in options.items() if k == "forceobj"})  # (checked, then...)
    if options.pop("forceobj", False):  # (...ignored: Numba's rule and words)
        warnings.warn("forceobj is set for njit and is ignored", JitBridgeWarning, stacklevel=2)
    return _decorate(signature_or_function, options)


@overload
def jit(signature_or_function: _F) -> _F: ...
@overload
def jit(signature_or_function: _Signatures = None, **options: Any) -> Callable[[_F], _F]: ...


def jit(signature_or_function=None, **options):
    """Like `njit`; nopython mode is the default (and the only mode)."""
    return _decorate(signature_or_function, options)


def _decorate(spec, options):
    check_options(options)
    if config.DISABLE_JIT:  # debugging, coverage: the functions run as plain Python
        return spec if inspect.isfunction(spec) else _plain
    if inspect.isfunction(spec):
        return _make(spec, (), options)
    if spec is None:
        signatures = ()
    elif isinstance(spec, list) or _is_one_signature(spec):
        signatures = _signature_list(spec)
    else:
        raise TypeError(_not_a_function(spec))
    decorator = native_call_class("JitDecorator", _JitDecorator)()
    decorator._setup(signatures, options)
    return decorator


def _make(func, signatures, options):
    """The dispatcher: object mode only where forceobj=True asks for it."""
    if options.get("forceobj"):
        from .forceobj import make_object_mode_dispatcher  # (a layer above: objmode's bridge)
        return make_object_mode_dispatcher(func, signatures, **options)
    return make_dispatcher(func, signatures, **options)


def _plain(func):
    """What `@njit(...)` returns when the JIT is disabled: the function itself."""
    return func


def _not_a_function(value) -> str:
    if isinstance(value, Dispatcher):
        name = value.__name__
        return (f"A jit decorator was called on an already jitted function {name!r}; to "
                f"jit the original Python function again, use {name}.py_func")
    if isinstance(value, Type):
        return (f"@njit: the type {value} alone is not a signature; give the argument types as "
                f"a tuple, ({value},), or a full signature such as {value}({value})")
    return (f"The decorated object is not a function (got type {type(value)}): @njit expects "
            "a function, a signature or a list of signatures")


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
            return _make(args[0], self._signatures, self._options)
        except (CompilerError, TypeParseError) as exc:  # the user's error, not ours
            raise exc.with_traceback(None) from exc.__cause__

    def __repr__(self):
        return f"<jit decorator signatures={list(self._signatures)!r} options={self._options!r}>"


def _describe(args, kws) -> str:
    if kws or len(args) != 1:
        return f"{len(args)} positional and {len(kws)} keyword arguments"
    if isinstance(args[0], Dispatcher):
        return f"a jitted function: {_not_a_function(args[0])}"
    return type(args[0]).__name__
