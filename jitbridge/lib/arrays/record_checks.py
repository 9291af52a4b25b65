"""The native dispatcher's test of record arguments (`arr[i]` of a structured array): an
exact `numpy.void` whose dtype is the very dtype object this process first typed as the record
type (asked of Python once per process, so cached code stays valid elsewhere). Without it every
call re-typed the argument in the Python fallback (~0.45 ms a call); a record of an equal but
distinct dtype object still takes the fallback, which types it correctly."""
from __future__ import annotations

import ctypes
import functools

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...runtime.boxing import check_exact
from .model import seen_descr

#: offset of `descr` in NumPy's PyVoidScalarObject (PyObject_VAR_HEAD, then `char *obval`)
DESCR_OFFSET = 32


def _layout_ok() -> bool:
    """Whether this NumPy's void scalars hold their dtype where DESCR_OFFSET says."""
    sample = np.zeros(1, dtype=[("a", "i1")])[0]
    return ctypes.c_void_p.from_address(id(sample) + DESCR_OFFSET).value == id(sample.dtype)


_LAYOUT_OK = _layout_ok()


@check_exact(types.Record)
def check_record(typ, obj, c):
    if not _LAYOUT_OK:
        return cgutils.false_bit
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    void = b.bitcast(c.context.embed_object(b, np.void, "numpy.void"), obj.type)
    with b.if_then(b.icmp_unsigned("==", c.pyapi.get_type(obj), void)):
        slot = b.bitcast(b.gep(obj, [ir.Constant(cgutils.int64_t, DESCR_OFFSET)]),
                         obj.type.as_pointer())
        expected = c.pyapi.process_constant(functools.partial(seen_descr, typ), "dtype")
        b.store(b.icmp_unsigned("==", b.load(slot), expected), result)
    return b.load(result)
