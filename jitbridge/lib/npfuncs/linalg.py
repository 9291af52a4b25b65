"""Linear algebra's shared pieces: SciPy's BLAS/LAPACK routines (loaded by lapack_symbols.py
the first time one is compiled), the argument checks np.linalg applies (Numba's: float and
complex matrices of one dtype, finite values) and the loops that copy inputs to the
F-contiguous buffers LAPACK reads and overwrites. The functions themselves live in
linalg_products.py (dot family), linalg_lapack.py (decompositions) and linalg_derived.py."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype

#: the dtypes BLAS and LAPACK compute in, with their routines' prefix letters
PREFIX = {np.dtype(np.float32): "s", np.dtype(np.float64): "d",
          np.dtype(np.complex64): "c", np.dtype(np.complex128): "z"}


def _lapack():
    try:
        from . import lapack_symbols
    except ImportError as exc:
        raise TypingError("linear algebra in compiled code calls SciPy's BLAS/LAPACK "
                          f"(scipy.linalg.cython_lapack), which cannot be imported: {exc}") from None
    return lapack_symbols


def routine(dtype, base: str, chars: str = "", info: bool = True):
    """The intrinsic calling `base` (gemm, gesv...) for `dtype`'s prefix."""
    return _lapack().routine(PREFIX[np.dtype(dtype)] + base, chars, info)


def work_dtype(*arrays, name="linalg"):
    """The one float or complex dtype of these arrays. Like Numba, np.linalg compiles for
    float32/float64/complex64/complex128 arrays of a single dtype only (NumPy would convert:
    here a conversion would be a silent copy in a different precision)."""
    found = set()
    for ty in arrays:
        dt = as_dtype(ty.dtype) if isinstance(ty.dtype, types.Number) else None
        if dt not in PREFIX:
            raise TypingError(f"np.linalg.{name}() only supported on float and complex arrays")
        found.add(dt)
    if len(found) > 1:
        raise TypingError(f"np.linalg.{name}() only supports inputs that have homogeneous "
                          "dtypes.")
    return found.pop()


def real_dtype(dtype):
    return np.dtype(dtype).type(0).real.dtype


def require_matrix(ty, name, ndims=(2,), prefix="np.linalg"):
    """None to decline a non-array, a TypingError for an unsupported number of dimensions
    (stacks of matrices are not supported), True otherwise."""
    if not isinstance(ty, types.Array):
        return None
    if ty.ndim not in ndims:
        kinds = "2-D" if ndims == (2,) else "1 and 2-D"
        raise TypingError(f"{prefix}.{name}() only supported on {kinds} arrays")
    return True


def option(ty, default):
    """The compile-time value of an optional argument: left out or None gives `default`, a
    string literal its value; other types are returned as they are."""
    if ty is None or isinstance(ty, (types.Omitted, types.NoneType)):
        return getattr(ty, "value", default)
    return ty.literal_value if isinstance(ty, types.StringLiteral) else ty


# -- shared loops ---------------------------------------------------------------------------------

@register_jitable
def fcopy(a, dt):
    """An F-contiguous copy of matrix `a` in dtype `dt` (LAPACK overwrites its inputs)."""
    m, n = a.shape
    out = np.empty((n, m), dt).T
    for j in range(n):
        for i in range(m):
            out[i, j] = a[i, j]
    return out


@register_jitable
def fcopy_rhs(b, dt):
    """Right-hand side(s) as an F-contiguous matrix of dtype `dt`."""
    if b.ndim == 1:
        return fcopy(column(b), dt)
    return fcopy(b, dt)


@register_jitable
def column(b):
    out = np.empty((b.shape[0], 1), b.dtype)
    for i in range(b.shape[0]):
        out[i, 0] = b[i]
    return out


@register_jitable
def check_square(a):
    if a.shape[0] != a.shape[1]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square.")


@register_jitable
def check_finite(a):
    """LAPACK may loop forever or crash on NaN/inf: refuse them first (a matrix)."""
    for j in range(a.shape[1]):
        for i in range(a.shape[0]):
            if not np.isfinite(a[i, j]):
                raise np.linalg.LinAlgError("Array must not contain infs or NaNs.")


@register_jitable
def check_not_empty(a):
    if a.size == 0:
        raise np.linalg.LinAlgError("Arrays cannot be empty")


@register_jitable
def lower_only(a):
    """Zero the strict upper triangle (LAPACK leaves the input there)."""
    for j in range(a.shape[1]):
        for i in range(min(j, a.shape[0])):
            a[i, j] = 0


@register_jitable
def upper_only(a):
    for j in range(a.shape[1]):
        for i in range(j + 1, a.shape[0]):
            a[i, j] = 0


@register_jitable
def work_size(work):
    """The workspace length a LAPACK query (lwork=-1) wrote to work[0]."""
    return max(1, int(work[0].real))


def _ld(n):
    return max(1, n)


ld = register_jitable(_ld)


