"""Calls converting their arguments to an explicit signature (a mixin of the Dispatcher).

Under explicit signatures (or `disable_compile()`), a call whose argument types match no
specialisation runs the one they convert to best (`int` to a `float64` parameter, `None` to an
`optional(int64)` one, a C array to an `A` one). The choice is made once per argument types
(scoring every compiled signature costs more than the call), and when the same conversion comes
a second time and the native cast gives the values the Python conversion would
(`lowering/wrappers.converts_natively`), a converting wrapper is compiled and published in the
native dispatch table, so later calls with these types never leave native code.
"""
from __future__ import annotations

from .compiler import compile_lock, converting_entry, typing_context
from .lowering.wrappers import converts_natively
from .runtime.boxing import has_exact_check

#: conversions of the same argument types seen this many times get a native wrapper (a
#: one-off call is not worth the compile)
NATIVE_AFTER = 2


class ConversionDispatch:
    """The converting part of a dispatcher (see the module docstring)."""

    def _init_conversions(self) -> None:
        self._conversions: dict = {}  # argument types -> the compiled ones they convert to
        self._conversion_calls: dict = {}  # argument types -> calls converting them so far
        self._converters: dict = {}  # argument types -> (target, address, library) or None

    def _forget_conversions(self) -> None:
        """A new signature may be the better conversion: choose again (lock held)."""
        self._init_conversions()

    def _converted(self, argtypes):
        """The specialisation `argtypes` convert to best, or None."""
        key = self._conversions.get(argtypes) or self._best_conversion(argtypes)
        if key is not None:
            self._conversions[argtypes] = key
        return self._overloads.get(key)

    def _best_conversion(self, argtypes):
        """The argument types of the compiled specialisation `argtypes` convert to best."""
        # a snapshot: another thread may add a specialisation while we score these
        compiled = list(self._overloads)
        scored = [(typing_context.conversion_cost(argtypes, sig), sig) for sig in compiled]
        scored = [(cost, sig) for cost, sig in scored if cost is not None]
        return min(scored, key=lambda item: item[0])[1] if scored else None

    def _note_conversion(self, argtypes: tuple, result) -> None:
        """A call from Python converted arguments of `argtypes` to `result`'s types."""
        if not self._converter_wanted(argtypes, result):
            return
        calls = self._conversion_calls[argtypes] = self._conversion_calls.get(argtypes, 0) + 1
        if calls >= NATIVE_AFTER:
            with compile_lock:
                if self._converter_wanted(argtypes, result) and \
                        self._overloads.get(result.signature.args) is result:
                    self._converters[argtypes] = self._converter(argtypes, result)
                    self._publish(result)

    def _converter_wanted(self, argtypes: tuple, result) -> bool:
        """No converting wrapper exists for `argtypes`, or it calls code `result` replaced
        (a tier-0 specialisation promoted), and one may exist (refused: None)."""
        known = self._converters.get(argtypes, False)
        return known is not None and not (known and known[0] is result) and \
            self._fixed_parameters() is not None

    def _converter(self, argtypes: tuple, result):
        """(result, address, library) of the native converting wrapper, or None."""
        if not (converts_natively(argtypes, result.signature.args)
                and all(map(has_exact_check, argtypes))):
            return None
        built = converting_entry(result, argtypes, self._flags)
        return None if built is None else (result, *built)

    def _converter_entries(self) -> list:
        """(address, library) of the converting wrappers whose target is still current."""
        return [(address, library) for target, address, library in
                filter(None, self._converters.values())
                if self._overloads.get(target.signature.args) is target]
