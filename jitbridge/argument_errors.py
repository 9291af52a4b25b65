"""The errors of arguments the dispatcher cannot type, in words that name the argument (its
position and parameter name), its value's type and, for an array, the dtype at fault."""
from __future__ import annotations

from .errors import NoMatchingSignature, TypingError
from .typing.typeof import typeof


def unsupported_argument(function: str, index: int, name, value) -> TypingError:
    """`argument 0 ('x') of f(): values of type ... are not supported in compiled code`."""
    return TypingError(f"argument {index} ({name!r}) of {function}(): values of type "
                       f"{describe_value(value)} are not supported in compiled code"
                       f"{_unsupported_dtype(value)}")


def no_matching_signature(function: str, argtypes, compiled) -> NoMatchingSignature:
    """No compiled specialisation takes `argtypes`, and explicit signatures disable compiling
    one: Numba's message, with a note (shown in tracebacks) naming what was compiled."""
    error = NoMatchingSignature("No matching definition for argument type(s) "
                                + ", ".join(map(str, argtypes)))
    known = "; ".join(str(result.signature) for result in compiled) or "none"
    error.add_note(f"{function}() has no compiled signature matching them, and its explicit "
                   f"signatures disable compiling others; compiled: {known}")
    return error


def describe_value(value) -> str:
    """A value's type for error messages (arrays: dtype, ndim, byte order)."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and hasattr(value, "ndim"):
        order = "" if dtype.isnative else ", non-native byte order"
        return f"{type(value).__name__} (dtype {dtype}, {value.ndim}-d{order})"
    return type(value).__name__


def _unsupported_dtype(value) -> str:
    """For an array whose dtype has no type here (whatever its shape): which dtype."""
    empty = value.reshape(-1)[:0] if type(value).__name__ == "ndarray" else None
    return "" if empty is None or typeof(empty) else f": Unsupported array dtype: {value.dtype}"
