"""Coordinate grids and diagonal indices: np.meshgrid, np.diag_indices, np.diag_indices_from."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .broadcasting import _array_like_ndim
from .generated import generate, jitable, literal_option


@register_jitable
def _axis_of(i, count, indexing):
    """The output axis array i spans: 'xy' swaps the first two (Cartesian indexing)."""
    if indexing != "xy" and indexing != "ij":
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    if indexing == "xy" and count > 1 and i < 2:
        return 1 - i
    return i


def _shape_text(count: int, sizes) -> str:
    """The tuple expression of the grid's shape: axis j takes sizes(j) (a text)."""
    return "(" + "".join(f"{sizes(j)}, " for j in range(count)) + ")"


def _meshgrid_body(count: int) -> str:
    lines = [f"v{i} = np.asarray(xi[{i}]).ravel()" for i in range(count)]
    lines += [f"a{i} = _axis_of({i}, {count}, indexing)" for i in range(count)]
    full = " + ".join(f"(v{i}.size if a{i} == j else 0)" for i in range(count))
    lines.append("full = " + _shape_text(count, lambda j: full.replace("j", str(j))))
    for i in range(count):
        own = _shape_text(count, lambda j: f"(v{i}.size if a{i} == {j} else 1)")
        lines.append(f"g{i} = _grid(v{i}.reshape({own}), full)")
    lines.append("return (" + "".join(f"g{i}, " for i in range(count)) + ")")
    return "\n".join(lines)


@register_jitable
def _sparse_copy(one, full):
    return one.copy()


@register_jitable
def _sparse_view(one, full):
    return one


@register_jitable
def _dense_view(one, full):
    return np.broadcast_to(one, full)


@register_jitable
def _dense_copy(one, full):
    out = np.empty(full, one.dtype)
    out[...] = one
    return out


#: one array of the grid, by (copy, sparse): `one` (an input reshaped) as meshgrid returns it
_GRIDS = {(True, True): _sparse_copy, (False, True): _sparse_view,
          (False, False): _dense_view, (True, False): _dense_copy}


@overload(np.meshgrid)
def np_meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    for i, ty in enumerate(xi):
        if _array_like_ndim(ty) is None:
            raise TypingError(f"np.meshgrid(): argument {i} must be array-like, not {ty}")
    copy = bool(literal_option(copy, "copy", "meshgrid", True))
    sparse = bool(literal_option(sparse, "sparse", "meshgrid", False))
    if not isinstance(indexing, str) and \
            not isinstance(types.unliteral(indexing), (types.UnicodeType, types.Omitted)):
        raise TypingError(f"np.meshgrid(): indexing= must be 'xy' or 'ij', not {indexing}")
    params = "*xi, copy=True, sparse=False, indexing='xy'"
    return generate(params, _meshgrid_body(len(xi)),
                    {"np": np, "_axis_of": _axis_of, "_grid": _GRIDS[(copy, sparse)]})


# -- diag_indices ---------------------------------------------------------------------------------

def _diag(count: int):
    """The index arrays of the main diagonal of an n x ... x n array of `count` dims."""
    body = "idx = np.arange(max(n, 0))\nreturn (" + "idx, " * count + ")"
    return jitable("n", body, {"np": np})


@overload(np.diag_indices)
def np_diag_indices(n, ndim=2):
    if not isinstance(types.unliteral(n), types.Integer):
        raise TypingError(f"np.diag_indices(): n must be an integer, not {n}")
    count = literal_option(ndim, "ndim", "diag_indices", 2)
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypingError(f"np.diag_indices(): ndim must be an integer, not {ndim}")
    diag = _diag(count)
    return lambda n, ndim=2: diag(n)


@overload(np.diag_indices_from)
def np_diag_indices_from(arr):
    if not isinstance(arr, types.Array):
        raise TypingError(f"np.diag_indices_from(): arr must be an array, not {arr}")
    if arr.ndim < 2:
        raise TypingError("np.diag_indices_from(): input array must be at least 2-d")
    diag = _diag(arr.ndim)

    def impl(arr):
        for d in arr.shape:
            if d != arr.shape[0]:
                raise ValueError("All dimensions of input must be of equal length")
        return diag(arr.shape[0])
    return impl
