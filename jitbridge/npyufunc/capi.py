"""NumPy's ufunc C API through ctypes: real `numpy.ufunc` objects around native loops.

The table of the ufunc API is the `_UFUNC_API` capsule of NumPy's `_multiarray_umath`
(`numpy._core` in NumPy 2, `numpy.core` in 1.x). Slot indices are NumPy's ABI and the same in
both: 1 is `PyUFunc_FromFuncAndData`, 31 `PyUFunc_FromFuncAndDataAndSignature`
(`__ufunc_api.h`).

NumPy does not copy the arrays of loops, data pointers, type codes, name and doc it is given, so
they must outlive the ufunc: they go into a keep-alive object stored in the ufunc's own `obj`
slot, which NumPy releases when the ufunc dies (the start of `PyUFuncObject` is public and
stable; its offsets are checked against a live ufunc before the first write).
"""
from __future__ import annotations

import ctypes

import numpy as np

try:
    from numpy._core import _multiarray_umath as _umath
except ImportError:  # NumPy 1.x
    from numpy.core import _multiarray_umath as _umath

FROM_FUNC_AND_DATA, FROM_FUNC_AND_DATA_AND_SIGNATURE = 1, 31
#: identity codes of NumPy's C API
PyUFunc_Zero, PyUFunc_One, PyUFunc_None, PyUFunc_ReorderableNone = 0, 1, -1, -2
IDENTITIES = {0: PyUFunc_Zero, 1: PyUFunc_One, None: PyUFunc_None,
              "reorderable": PyUFunc_ReorderableNone}

#: offsets in PyUFuncObject (64-bit): nin, name, obj, core_signature, op_flags
_NIN_OFF, _NAME_OFF, _OBJ_OFF, _CORE_SIGNATURE_OFF, _OP_FLAGS_OFF = 16, 56, 88, 136, 176
#: NumPy's iterator flags making an input operand writable in place (writable_args)
NPY_ITER_READWRITE, NPY_ITER_UPDATEIFCOPY = 0x00010000, 0x00800000

_ARGS = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
         ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]


def _api_table():
    capsule = ctypes.py_object(_umath._UFUNC_API)
    # (a prototype of our own: setting argtypes on ctypes.pythonapi's would change it for all)
    get_pointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_char_p)(
        ("PyCapsule_GetPointer", ctypes.pythonapi))
    return ctypes.cast(get_pointer(capsule, None), ctypes.POINTER(ctypes.c_void_p))


def _api_function(slot: int, with_signature: bool):
    extra = [ctypes.c_char_p] if with_signature else []
    proto = ctypes.PYFUNCTYPE(ctypes.py_object, *_ARGS, *extra)
    return proto(_api_table()[slot])


def identity_code(identity) -> int:
    """NumPy's code for `identity=` (0, 1, None or 'reorderable'), ValueError otherwise."""
    known = any(identity is k or (identity == k and type(identity) is type(k))
                for k in IDENTITIES)
    if isinstance(identity, bool) or not known:
        raise ValueError(f"Invalid identity value {identity!r}: expected 0, 1, None or "
                         "'reorderable'")
    return IDENTITIES[identity]


class _KeepAlive:
    """Everything a built ufunc points into: held by the ufunc itself (its `obj` slot)."""

    def __init__(self, *objects):
        self.objects = objects


def _check_layout(ufunc) -> None:
    """The PyUFuncObject offsets used here, checked on the ufunc before writing into it."""
    base = id(ufunc)
    nin = ctypes.c_int.from_address(base + _NIN_OFF).value
    name = ctypes.c_char_p.from_address(base + _NAME_OFF).value
    obj = ctypes.c_void_p.from_address(base + _OBJ_OFF).value
    if nin != ufunc.nin or name != ufunc.__name__.encode() or obj is not None:
        raise RuntimeError("this NumPy's ufunc object layout is not the one jitbridge knows")


def _hold(ufunc, keepalive) -> None:
    _check_layout(ufunc)
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(keepalive))
    ctypes.c_void_p.from_address(id(ufunc) + _OBJ_OFF).value = id(keepalive)


def _set_writable(ufunc, signature: str, writable) -> None:
    """Mark inputs `writable` read-write: NumPy then writes a buffered copy back."""
    core = ctypes.c_char_p.from_address(id(ufunc) + _CORE_SIGNATURE_OFF).value
    if core is None or core.decode() != signature:
        raise RuntimeError("this NumPy's gufunc object layout is not the one jitbridge knows")
    flags = ctypes.cast(ctypes.c_void_p.from_address(id(ufunc) + _OP_FLAGS_OFF).value,
                        ctypes.POINTER(ctypes.c_uint32))
    for index in writable:
        flags[index] |= NPY_ITER_READWRITE | NPY_ITER_UPDATEIFCOPY


def make_ufunc(loops, type_codes, nin: int, nout: int, name: str, doc: str | None,
               identity: int, signature: str | None = None, owners=(), writable=()):
    """A numpy.ufunc. `loops`: addresses of native loop functions; `type_codes`: one tuple of
    NumPy type numbers (inputs then outputs) per loop; `owners`: kept alive with the ufunc
    (the code libraries of the loops)."""
    count = len(loops)
    functions = (ctypes.c_void_p * count)(*loops)
    data = (ctypes.c_void_p * count)()
    codes = (ctypes.c_char * (count * (nin + nout)))(
        *[bytes([code]) for row in type_codes for code in row])
    texts = [name.encode(), (doc or "").encode()]
    extra = [] if signature is None else [signature.encode()]
    make = _api_function(FROM_FUNC_AND_DATA_AND_SIGNATURE if signature is not None
                         else FROM_FUNC_AND_DATA, signature is not None)
    ufunc = make(ctypes.addressof(functions), ctypes.addressof(data), ctypes.addressof(codes),
                 count, nin, nout, identity, *texts, 0, *extra)
    _hold(ufunc, _KeepAlive(functions, data, codes, texts, extra, tuple(owners)))
    if writable:
        _set_writable(ufunc, signature, writable)
    return ufunc


def type_number(dtype) -> int:
    return np.dtype(dtype).num
