"""`@intrinsic`: a function whose typing returns (signature, codegen) and whose body is LLVM
IR the codegen emits (Numba's `numba.extending.intrinsic`, and its `_Intrinsic` class).
Intrinsics pickle: by reference when a module names them, else their definition by value."""
from __future__ import annotations

import collections
import functools
import itertools
import weakref

from . import types
from .core.base import describe_call
from .errors import TypingError, describe_function, describe_types
from .pickling import by_reference, reduce_by_value
from .typing.registry import register, register_global
from .typing.templates import AbstractTemplate


def _unliteral_all(args):
    return tuple(types.unliteral(a) for a in args)


def _typing_attempts(args: tuple, prefer_literal: bool) -> list:
    """The argument types an extension is typed for, in Numba's order: plain types first,
    then the literal ones as given (the other way round with prefer_literal)."""
    plain = _unliteral_all(args)
    return [args, plain] if prefer_literal else [plain, args]


class Intrinsic:
    """A function whose typing returns (signature, codegen) and whose body is LLVM IR.
    Made by `@intrinsic`, which registers it; Numba's name `_Intrinsic(name, defn)` makes one
    unregistered (callable from compiled code once `_register()` ran)."""

    #: serial id -> intrinsic: unpickling in the process that pickled it gives the same object
    _memo: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
    #: the last intrinsics pickled, kept alive so that a copy unpickled soon after finds them
    _recent: collections.deque = collections.deque(maxlen=100)
    _serials = itertools.count()

    def __init__(self, name, defn, prefer_literal=False):
        self._defn = defn
        self._prefer_literal = prefer_literal
        self._serial = None  # given when first pickled
        functools.update_wrapper(self, defn)  # module, doc, annotations
        self.__name__ = name

    def _register(self) -> None:
        intrinsic_self, prefer_literal = self, self._prefer_literal

        class IntrinsicTemplate(AbstractTemplate):
            key = intrinsic_self

            def generic(self, args, kws):
                """The first attempt that types (as Numba: a TypingError of one attempt
                lets the other one try; raised when neither types)."""
                attempts = _typing_attempts(tuple(args), prefer_literal)
                failures = []
                for argtypes in dict.fromkeys(attempts):  # an intrinsic types each once
                    try:
                        sig = intrinsic_self._type_call(self.context, argtypes, kws)
                    except TypingError as exc:
                        failures.append(exc)
                        continue
                    if sig is not None:
                        return sig
                if failures:
                    raise failures[0]
                return None

        IntrinsicTemplate.__name__ = f"intrinsic({self.__name__})"
        IntrinsicTemplate.origin = self._defn
        register(IntrinsicTemplate)
        register_global(self, types.Function(self))

    def __reduce__(self):
        """By reference when a module names it, else its definition by value (pickling.py),
        with a serial id: unpickled in this process while the original lives, it is the
        original (its registration and compiled callers stay valid)."""
        if by_reference(self):
            return self.__qualname__
        if self._serial is None:
            self._serial = f"{id(self):x}-{next(self._serials)}"
        self._memo[self._serial] = self
        self._recent.append(self)
        return reduce_by_value(self, self._defn, _IntrinsicByValue,
                               (self._serial, self.__name__, self._prefer_literal),
                               deferred=False)

    def _lowering(self, codegen):
        """The lowering typing records for a call typed to use `codegen`."""
        def intrinsic_impl(context, builder, sig, args):
            return context.call_impl(codegen, builder, (sig, args),
                                     describe_call(f"intrinsic {self.__name__}", sig),
                                     sig.return_type)
        intrinsic_impl.origin = self._defn
        return intrinsic_impl

    def _type_call(self, context, argtypes, kws):
        result = self._defn(context, *argtypes, **kws)
        if result is None:
            return None
        sig, codegen = self._checked(result, argtypes)
        return sig.replace(impl=self._lowering(codegen))

    def _checked(self, result, argtypes):
        """The (signature, codegen) pair the definition returned, or a TypingError naming it."""
        if isinstance(result, tuple) and len(result) == 2 and \
                isinstance(result[0], types.Signature) and callable(result[1]):
            return result
        raise TypingError(f"the @intrinsic function {describe_function(self._defn)} "
                          f"returned {result!r} for argument types {describe_types(argtypes)}; "
                          "it must return (signature, codegen) or None")

    def __call__(self, *args, **kws):
        raise TypingError(f"intrinsic {self.__name__}() can only be called from compiled code")

    def __repr__(self):
        return f"<intrinsic {self.__name__}>"


class _IntrinsicByValue:
    """How pickling.py rebuilds an intrinsic shipped by value: the original while this
    process still has it, else a new registered one from the shipped definition."""

    @staticmethod
    def make(defn, serial, name, prefer_literal):
        found = Intrinsic._memo.get(serial)
        if found is None:
            found = Intrinsic(name, defn, prefer_literal)
            found._serial = serial
            found._register()
            Intrinsic._memo[serial] = found
        return found

    @staticmethod
    def same(candidate, code, serial, name, prefer_literal) -> bool:
        return isinstance(candidate, Intrinsic) and candidate._defn.__code__ == code


def intrinsic(*args, **kws):
    """Decorate `def f(typingctx, *argtypes) -> (signature, codegen)`."""
    def make(func):
        made = Intrinsic(func.__name__, func, **kws)
        made._register()
        return made
    return make(args[0]) if args and callable(args[0]) else make


_Intrinsic = Intrinsic  # Numba's name
