"""Flat indices and multi-indices: np.unravel_index, np.ravel_multi_index, with NumPy's errors
(ValueError for an index out of range, a literal `order`/`mode` checked at compile time)."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .generated import jitable

_INTP_MAX = np.iinfo(np.intp).max


def _ints(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Boolean))


def _dims_count(dims, func: str) -> int | None:
    """How many dimensions `dims` gives (None: a single int)."""
    if _ints(dims):
        return None
    if isinstance(dims, types.UniTuple) and _ints(dims.dtype) or \
            isinstance(dims, types.BaseTuple) and len(dims) == 0:
        return len(dims)
    raise TypingError(f"np.{func}(): dims must be an integer or a tuple of integers, not {dims}")


def _literal_choice(ty, name: str, func: str, choices: tuple, message: str) -> str:
    if isinstance(ty, types.Omitted):
        return ty.value
    if not isinstance(ty, types.StringLiteral):
        raise TypingError(f"np.{func}(): {name}= must be a literal string, not {ty}")
    if ty.literal_value not in choices:
        raise TypingError(f"np.{func}(): {message} (got {ty.literal_value!r})")
    return ty.literal_value


def _order(order, func: str) -> str:
    return _literal_choice(order, "order", func, ("C", "F"), "only 'C' or 'F' order is permitted")


@register_jitable
def _size(dims):
    """The number of items of an array of shape `dims` (ValueError past intp)."""
    size = 1
    for d in dims:
        if d != 0 and size > _INTP_MAX // abs(d):
            raise ValueError("dimensions are too large; arrays and shapes with a total size "
                             "greater than 'intp' are not supported.")
        size *= d
    return size


# -- unravel_index -----------------------------------------------------------------------------

@register_jitable
def _check_index(index, size):
    if index < 0 or index >= size:  # (NumPy names both numbers: text built at run time
        # would cost each caller seconds of compilation)
        raise ValueError("index is out of bounds for array with the size of the shape")


def _unravel_scalar(count: int, order: str):
    walk = range(count - 1, -1, -1) if order == "C" else range(count)
    lines = ["size = _size(dims)", "rest = np.intp(indices)", "_check_index(rest, size)"]
    for d in walk:
        lines += [f"i{d} = rest % dims[{d}]", f"rest //= dims[{d}]"]
    lines.append("return (" + "".join(f"i{d}, " for d in range(count)) + ")")
    return "\n".join(lines)


def _unravel_array(count: int, order: str):
    walk = range(count - 1, -1, -1) if order == "C" else range(count)
    lines = ["size = _size(dims)", "flat = np.asarray(indices).ravel()"]
    lines += [f"o{d} = np.empty(flat.shape[0], np.intp)" for d in range(count)]
    lines += ["for k in range(flat.shape[0]):", "    rest = np.intp(flat[k])",
              "    _check_index(rest, size)"]
    for d in walk:
        lines += [f"    o{d}[k] = rest % dims[{d}]", f"    rest //= dims[{d}]"]
    shape = "np.shape(indices)"
    lines.append("return (" + "".join(f"o{d}.reshape({shape}), " for d in range(count)) + ")")
    return "\n".join(lines)


def _index_kind(indices):
    """'scalar', 'array' or a TypingError (NumPy's TypeError for other indices)."""
    ty = types.unliteral(indices)
    if _ints(ty):
        return "scalar"
    if isinstance(ty, (types.Array, types.List)) and _ints(ty.dtype):
        return "array"
    raise TypingError(f"np.unravel_index(): only int indices permitted, not {indices}")


@overload(np.unravel_index)
def np_unravel_index(indices, shape, order="C"):
    count = _dims_count(shape, "unravel_index")
    order = _order(order, "unravel_index")
    kind = _index_kind(indices)
    body = (_unravel_scalar if kind == "scalar" else _unravel_array)(
        1 if count is None else count, order)
    jitted = jitable("indices, dims", body, {"np": np, "_size": _size,
                                             "_check_index": _check_index})
    if count is None:
        return lambda indices, shape, order="C": jitted(indices, (shape,))
    return lambda indices, shape, order="C": jitted(indices, shape)


# -- ravel_multi_index -------------------------------------------------------------------------

MODES = {"raise": 0, "wrap": 1, "clip": 2}


@register_jitable
def _fit(i, d, mode):
    """Coordinate i of a dimension of length d, as `mode` (a MODES code) treats it."""
    if mode == 1:
        if d == 0:
            raise ValueError("invalid entry in coordinates array")
        return i % d
    if mode == 2:
        return min(max(i, 0), d - 1) if d > 0 else 0
    if i < 0 or i >= d:
        raise ValueError("invalid entry in coordinates array")
    return i


def _ravel_body(count: int, order: str, arrays: bool) -> str:
    dims = range(count) if order == "C" else range(count - 1, -1, -1)
    if not arrays:
        lines = ["flat = 0"] + [f"flat = flat * dims[{d}] + _fit(np.intp(index[{d}]), "
                                f"dims[{d}], MODE)" for d in dims]
        return "\n".join(["_size(dims)", *lines, "return np.intp(flat)"])
    lines = ["_size(dims)", "parts = np.broadcast_arrays(" +
             "".join(f"np.asarray(index[{d}]).astype(np.intp), " for d in range(count)) + ")",
             "out = np.empty(parts[0].shape, np.intp)", "flat_out = out.reshape(-1)"]
    lines += [f"p{d} = np.ascontiguousarray(parts[{d}]).reshape(-1)" for d in range(count)]
    lines += ["for k in range(flat_out.shape[0]):", "    flat = 0"]
    lines += [f"    flat = flat * dims[{d}] + _fit(p{d}[k], dims[{d}], MODE)" for d in dims]
    lines += ["    flat_out[k] = flat", "return out"]
    return "\n".join(lines)


def _multi_index_kind(multi_index, count: int) -> bool:
    """Whether the coordinates are arrays (False: integers); TypingError for others."""
    if not isinstance(multi_index, types.BaseTuple) or \
            not all(_ints(t) or isinstance(t, (types.Array, types.List)) and _ints(t.dtype)
                    for t in multi_index.types):
        raise TypingError(f"np.ravel_multi_index(): multi_index must be a tuple of integers "
                          f"or integer arrays, not {multi_index}")
    if len(multi_index) != count:
        raise TypingError(f"np.ravel_multi_index(): parameter multi_index must be a sequence "
                          f"of length {count}")
    return not all(_ints(t) for t in multi_index.types)


@overload(np.ravel_multi_index)
def np_ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    count = _dims_count(dims, "ravel_multi_index")
    count = 1 if count is None else count
    arrays = _multi_index_kind(multi_index, count)
    mode = _literal_choice(mode, "mode", "ravel_multi_index", tuple(MODES),
                           "clipmode must be one of 'clip', 'raise', or 'wrap'")
    order = _order(order, "ravel_multi_index")
    body = _ravel_body(count, order, arrays)
    jitted = jitable("index, dims", body, {"np": np, "_size": _size, "_fit": _fit,
                                           "MODE": MODES[mode]})
    if _ints(dims):
        return lambda multi_index, dims, mode="raise", order="C": jitted(multi_index, (dims,))
    return lambda multi_index, dims, mode="raise", order="C": jitted(multi_index, dims)
