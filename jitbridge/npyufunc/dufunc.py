"""@vectorize: NumPy ufuncs from scalar Python functions.

`vectorize` returns a `DUFunc` around a real `numpy.ufunc` (`.ufunc`, one native loop per
signature). With signatures it is frozen (calls go straight to that ufunc), as Numba's; without,
it compiles the loop for new input dtypes on their first call and then rebuilds its ufunc with
every loop so far. It behaves as a ufunc (`nin`, `types`, `reduce`, `accumulate`, `outer`,
`at`...).
"""
from __future__ import annotations

import functools
import threading

import numpy as np

from .. import types
from ..pickling import by_reference, reduce_by_value
from .builder import UFuncBuilder, check_vectorize_options, input_types
from .capi import identity_code

_UFUNC_ATTRIBUTES = ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature")


def _overrides(args, kwargs):
    """The operands other than arrays and scalars that take over ufunc calls (NEP 13)."""
    operands = [*args, *(kwargs.get("out") or ())] if isinstance(kwargs.get("out"), tuple) \
        else [*args, kwargs.get("out")]
    return [a for a in operands if a is not None and not isinstance(a, (np.ndarray, np.generic))
            and hasattr(type(a), "__array_ufunc__")]


class DUFunc:
    """A ufunc whose loops are compiled on demand, one per combination of input dtypes."""

    def __init__(self, py_func, identity=None, cache=False, targetoptions=None):
        options = dict(targetoptions or {})
        if cache:
            options["cache"] = True
        identity_code(identity)  # (ValueError now, not at the first call)
        self.py_func, self._identity = py_func, identity
        self._builder = UFuncBuilder(py_func, options)
        self._ufunc = None
        self._frozen = False
        self._lock = threading.RLock()
        self.py_func = py_func = getattr(py_func, "py_func", py_func)
        functools.update_wrapper(self, py_func, updated=())

    # -- building ----------------------------------------------------------------------------------
    def add(self, sig):
        """Compile the loop for `sig` now; its CompileResult."""
        with self._lock:
            if self._frozen:
                raise RuntimeError(f"compilation disabled for {self.__name__!r}")
            result = self._builder.add(sig)
            self._ufunc = self._builder.build_ufunc(self._identity)
            return result

    def build_ufunc(self):
        """The numpy.ufunc of the loops compiled so far."""
        with self._lock:
            if self._ufunc is None:
                self._ufunc = self._builder.build_ufunc(self._identity)
            return self._ufunc

    def disable_compile(self) -> None:
        """No new loops from now on: calls with other dtypes go to NumPy's casting rules."""
        self.build_ufunc()
        self._frozen = True

    @property
    def ufunc(self):
        """The numpy.ufunc of the loops compiled so far (None before the first)."""
        return self._ufunc

    @property
    def identity(self):
        return self._ufunc.identity if self._ufunc is not None else \
            (None if self._identity == "reorderable" else self._identity)

    @property
    def nin(self):
        return self._builder.nin

    @property
    def nout(self):
        return 1

    @property
    def nargs(self):
        return self.nin + 1

    @property
    def ntypes(self):
        return len(self._builder.loops)

    @property
    def types(self):
        return self._ufunc.types if self._ufunc is not None else []

    @property
    def signature(self):
        return None

    # -- calling -----------------------------------------------------------------------------------
    def _ensure_loop(self, operands) -> None:
        if self._frozen:
            return
        argtypes = input_types(operands, self.nin)
        if argtypes not in self._builder.loops:
            self.add(argtypes)

    def __call__(self, *args, **kwargs):
        overriding = _overrides(args, kwargs)
        if overriding:
            return self._delegate(overriding, "__call__", args, kwargs)
        if self._frozen:  # (the eager form: straight to NumPy)
            return self._ufunc(*args, **kwargs)
        if len(args) < self.nin:
            raise TypeError(f"{self.__name__}() takes from {self.nin} to {self.nargs} "
                            f"positional arguments but {len(args)} were given")
        self._ensure_loop(args)
        return self._ufunc(*args, **kwargs)

    def _delegate(self, overriding, method, args, kwargs):
        for operand in overriding:
            result = type(operand).__array_ufunc__(operand, self, method, *args, **kwargs)
            if result is not NotImplemented:
                return result
        raise TypeError(f"operand types {[type(a).__name__ for a in args]} all returned "
                        f"NotImplemented from __array_ufunc__ of {self.__name__!r}")

    def _binary_method(self, name, array, *rest, **kwargs):
        if self.nin != 2:
            raise ValueError(f"{name} only supported for binary functions")
        array = np.asarray(array)
        self._ensure_loop((array, array))
        return getattr(self.build_ufunc(), name)(array, *rest, **kwargs)

    def reduce(self, array, *args, **kwargs):
        return self._binary_method("reduce", array, *args, **kwargs)

    def accumulate(self, array, *args, **kwargs):
        return self._binary_method("accumulate", array, *args, **kwargs)

    def reduceat(self, array, *args, **kwargs):
        return self._binary_method("reduceat", array, *args, **kwargs)

    def outer(self, a, b, **kwargs):
        if self.nin != 2:
            raise ValueError("outer product only supported for binary functions")
        a, b = np.asarray(a), np.asarray(b)
        self._ensure_loop((a, b))
        return self.build_ufunc().outer(a, b, **kwargs)

    def at(self, a, indices, *rest):
        operands = (a, *(np.asarray(r) for r in rest))
        self._ensure_loop(operands)
        return self.build_ufunc().at(a, indices, *rest)

    def __repr__(self):
        return f"<jitbridge DUFunc {self.__name__!r}>"

    def __reduce__(self):
        if by_reference(self):
            return self.__qualname__
        return reduce_by_value(self, self.py_func, _ByValue,
                               (self._identity, self._builder.options,
                                [k.signature for k, _, _ in self._builder.loops.values()],
                                self._frozen), deferred=False)


class _ByValue:
    """How pickling.py rebuilds a DUFunc shipped by value (its loops compiled again)."""

    @staticmethod
    def make(py_func, identity, options, signatures, frozen):
        dufunc = DUFunc(py_func, identity=identity, targetoptions=options)
        for sig in signatures:
            dufunc.add(sig)
        dufunc._frozen = frozen
        return dufunc

    @staticmethod
    def same(candidate, code, identity, options, signatures, frozen) -> bool:
        return isinstance(candidate, DUFunc) and candidate.py_func.__code__ == code


def vectorize(ftylist_or_function=(), **kws):
    """Numba's @vectorize: `@vectorize`, `@vectorize(['f8(f8, f8)', ...], identity=0)`,
    `@vectorize(nopython=True)`. With signatures the result is a frozen DUFunc around the
    numpy.ufunc of those loops (`.ufunc`), as in Numba; without, a dynamic DUFunc."""
    if callable(ftylist_or_function) and not isinstance(ftylist_or_function, (list, tuple, str)) \
            and not _is_signature(ftylist_or_function):
        return vectorize(**kws)(ftylist_or_function)
    signatures = ftylist_or_function
    if isinstance(signatures, str) or _is_signature(signatures):
        signatures = [signatures]
    check_vectorize_options(kws)
    identity = kws.pop("identity", None)
    kws.pop("target", None)
    cache = kws.pop("cache", False)

    def wrap(func):
        dufunc = DUFunc(func, identity=identity, cache=cache, targetoptions=kws)
        if not signatures:
            return dufunc
        for sig in signatures:
            dufunc._builder.add(sig)
        dufunc.disable_compile()
        return dufunc
    return wrap


def _is_signature(value) -> bool:
    return isinstance(value, types.Signature)
