"""carray/farray in compiled code: array views of memory behind C pointers (for cfuncs)."""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from .construction import parse_dtype, parse_shape, shape_values
from .helpers import contiguous_strides, make_array
from .model import as_dtype, fill_array


#: jitbridge.carray and jitbridge.farray, by their registry keys (this module is provided
#: lazily, so it names them rather than importing the bridge that defines them)
CARRAY, FARRAY = "jitbridge.cfunc.carray", "jitbridge.cfunc.farray"


class PointerArrayTemplate(AbstractTemplate):
    layout = "C"

    def generic(self, args, kws):
        args, kws = list(args), dict(kws)
        if len(args) == 3:
            kws["dtype"] = args.pop()
        if len(args) != 2 or set(kws) - {"dtype"}:
            return None
        ptr, shape = args
        ndim = parse_shape(shape)
        if ndim is None:
            return None
        if isinstance(ptr, types.CPointer):
            dtype = ptr.dtype
            if "dtype" in kws and parse_dtype(kws["dtype"]) != dtype:
                raise TypingError(f"mismatching dtype '{parse_dtype(kws['dtype'])}' for "
                                  f"pointer type '{dtype}*' (carray/farray)")
        elif isinstance(ptr, types.RawPointer):
            if "dtype" not in kws:
                raise TypingError("carray/farray of a voidptr needs an explicit dtype=")
            dtype = parse_dtype(kws["dtype"])
        else:
            return None
        formal = [ptr, shape] + ([kws["dtype"]] if "dtype" in kws else [])
        return types.signature(types.Array(dtype, ndim, self.layout), *formal)


for _key, _layout in ((CARRAY, "C"), (FARRAY, "F")):
    register(type(f"Pointer_{_layout}array", (PointerArrayTemplate,), {
        "key": _key, "layout": _layout}))
    register_global(_key, types.Function(_key))


@lower_builtin(CARRAY, types.Any, types.Any)
@lower_builtin(CARRAY, types.Any, types.Any, types.Any)
@lower_builtin(FARRAY, types.Any, types.Any)
@lower_builtin(FARRAY, types.Any, types.Any, types.Any)
def pointer_array_impl(context, builder, sig, args):
    """A borrowed view: no MemInfo, no parent (the C caller owns the memory)."""
    aryty = sig.return_type
    shape = shape_values(context, builder, sig.args[1], args[1])
    strides = contiguous_strides(builder, shape, as_dtype(aryty.dtype).itemsize, aryty.layout)
    ary = make_array(context, builder, aryty)
    fill_array(context, builder, ary, args[0], shape, strides, aryty)
    return ary._getvalue()


