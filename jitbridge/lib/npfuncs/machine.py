"""Machine limits of numeric types: np.finfo and np.iinfo in compiled code.

The limits are fixed per dtype, so they are read from NumPy at typing time and returned as
a named tuple of constants whose fields carry NumPy's attribute names (what a Numba user
reads from them: `np.finfo(np.float32).eps`, `np.iinfo(a.dtype).max`)."""
from __future__ import annotations

import collections

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload
from ..arrays.model import as_dtype

_FINFO_FIELDS = ("bits", "dtype", "eps", "epsneg", "iexp", "machep", "max", "maxexp", "min",
                 "minexp", "negep", "nexp", "nmant", "precision", "resolution",
                 "smallest_normal", "smallest_subnormal", "tiny")
_IINFO_FIELDS = ("bits", "dtype", "max", "min")

finfo = collections.namedtuple("finfo", _FINFO_FIELDS)
iinfo = collections.namedtuple("iinfo", _IINFO_FIELDS)


def _numpy_dtype(ty):
    """The NumPy dtype a type object, a dtype or a value of that type stands for, or None."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.NumberClass):
        ty = ty.instance_type
    elif isinstance(ty, (types.DType, types.Array)):
        ty = ty.dtype
    if isinstance(ty, (types.Number, types.Boolean)):
        return as_dtype(ty)
    return None


def _limits(record, info, dtype):
    """An implementation returning `record` filled with `info`'s attributes as constants."""
    values = tuple(dtype if name == "dtype" else getattr(info, name)
                   for name in record._fields)
    return lambda *args: record(*values)


@overload(np.finfo)
def np_finfo(dtype):
    found = _numpy_dtype(dtype)
    if found is None or found.kind not in "fc":
        raise TypingError(f"np.finfo(): {dtype} is not an inexact (float or complex) type")
    info = np.finfo(found)
    return _limits(finfo, info, info.dtype)


@overload(np.iinfo)
def np_iinfo(int_type):
    found = _numpy_dtype(int_type)
    if found is None or found.kind not in "iu":
        raise TypingError(f"np.iinfo(): {int_type} is not an integer type")
    return _limits(iinfo, np.iinfo(found), found)
