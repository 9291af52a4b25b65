"""Wrappers around compiled functions for callers outside compiled code.

CPython wrappers, all `PyObject* w(PyObject* self, PyObject* args_tuple)` (METH_O-compatible):
- `<name>.py`: unbox each argument, call, box the result or raise the exception (it trusts its
  caller to pass a tuple of exactly the right size);
- `<name>.pyentry`: the entry point Python code can call with anything: TypeError unless it
  gets a tuple of exactly the right size, else `<name>.py`;
- `<name>.pycheck`: return the `jb_mismatch` sentinel unless the tuple holds exactly the argument
  types of this specialisation (exact class checks, no typeof), else call `<name>.py`;
- `<name>.pyconv<k>` / `<name>.pyconvcheck<k>`: the same two for calls whose arguments have other
  types that convert to this specialisation's (an int given to a float64 parameter under an
  explicit signature): unboxed as what they are, then cast natively.
"""
from __future__ import annotations

from llvmlite import ir

from ..core import cgutils, layout
from ..core.base import BaseContext
from ..core.callconv import STATUS_OK, STATUS_USER_EXC, excinfo_t
from ..core.pythonapi import PythonAPI
from ..runtime import cycles
from ..runtime.boxing import BoxContext, has_exact_check, is_exact_type
from ..runtime.helpers import declare_runtime, mismatch_sentinel, wrapper_fnty
from .. import types

pyobj = cgutils.voidptr_t
i64 = cgutils.int64_t


def _tuple_item(builder, args, index: int):
    """PyTuple_GET_ITEM(args, index) (borrowed)."""
    ptr = builder.gep(args, [ir.Constant(i64, layout.TUPLE_ITEMS + layout.POINTER * index)])
    return builder.load(builder.bitcast(ptr, pyobj.as_pointer()))


def _tuple_size(builder, args):
    return _load_field(builder, args, layout.VAR_SIZE, i64)


def _load_field(builder, obj, offset: int, ty):
    ptr = builder.gep(obj, [ir.Constant(i64, offset)])
    return builder.load(builder.bitcast(ptr, ty.as_pointer()))


def build_entry_wrapper(context: BaseContext, module: ir.Module, inner: ir.Function,
                        argtypes, qualname: str) -> ir.Function:
    """`<native>.pyentry`: validate the argument object (any Python object may arrive), then
    `inner`. Reading items of a shorter tuple, or of a non-tuple, would read arbitrary memory."""
    wrapper = ir.Function(module, wrapper_fnty, f"{_base_name(inner)}.pyentry")
    builder = ir.IRBuilder(wrapper.append_basic_block("entry"))
    shown = qualname.replace("%", "%%")  # the name goes into a printf-style format
    _check_is_tuple(PythonAPI(context, builder), wrapper.args[1], shown)
    _check_tuple_size(builder, wrapper.args[1], len(argtypes), shown)
    builder.ret(builder.call(inner, list(wrapper.args), tail=True))
    return wrapper


def _check_is_tuple(api: PythonAPI, obj, shown: str) -> None:
    builder = api.builder
    objtype = _load_field(builder, obj, layout.OB_TYPE, pyobj)
    # PyType_IsSubtype runs no Python code (unlike isinstance, which honours __class__)
    is_tuple = api._call("PyType_IsSubtype", objtype, api.get_type_object("PyTuple_Type"))
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, is_tuple)):
        _raise_type_error(builder, f"{shown}() expects its arguments as a tuple, not %.200s",
                          _load_field(builder, objtype, layout.TYPE_NAME, pyobj))


def _check_tuple_size(builder, args, n: int, shown: str) -> None:
    size = _tuple_size(builder, args)
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", size, ir.Constant(i64, n))):
        plural = "" if n == 1 else "s"
        _raise_type_error(builder, f"{shown}() takes exactly {n} argument{plural} (%zd given)",
                          size)


def _raise_type_error(builder, fmt: str, *values) -> None:
    """PyErr_Format(PyExc_TypeError, fmt, ...) and return NULL from the wrapper."""
    PythonAPI(None, builder).err_format("PyExc_TypeError", fmt, *values)
    builder.ret(ir.Constant(pyobj, None))


def _base_name(wrapper: ir.Function) -> str:
    """The native function's name from its `<name>.py` wrapper's."""
    return wrapper.name.removesuffix(".py")


def build_python_wrapper(context: BaseContext, module: ir.Module, native: ir.Function,
                         argtypes, restype, sources=None, suffix: str = ".py") -> ir.Function:
    """`<native>.py`: the CPython-convention entry point (argument types already verified);
    with `sources`, arguments of those types, converted to `argtypes` after unboxing."""
    wrapper = ir.Function(module, wrapper_fnty, f"{native.name}{suffix}")
    builder = ir.IRBuilder(wrapper.append_basic_block("entry"))
    c = BoxContext(context, builder)
    null = c.pyapi.get_null_object()
    values, cleanups = [], []
    for i, (source, ty) in enumerate(zip(sources or argtypes, argtypes)):
        native_value = c.unbox(source, _tuple_item(builder, wrapper.args[1], i))
        with cgutils.if_unlikely(builder, native_value.is_error):
            _run(cleanups + [native_value.cleanup])
            builder.ret(null)
        values.append(context.cast(builder, native_value.value, source, ty))
        cleanups.append(native_value.cleanup)
    excinfo = cgutils.alloca_once(builder, excinfo_t.as_pointer(), zfill=True)
    status, result = _call_native(context, c.pyapi, native, values, excinfo)
    ok = builder.icmp_signed("==", status, ir.Constant(status.type, STATUS_OK))
    with cgutils.if_likely(builder, ok):
        boxed = c.box(restype, result)
        _run(cleanups)
        builder.ret(boxed)
    _run(cleanups)
    with builder.if_then(builder.icmp_signed("==", status, ir.Constant(status.type, STATUS_USER_EXC))):
        builder.call(declare_runtime(module, "jb_raise_excinfo"), [builder.load(excinfo)])
    builder.ret(null)
    return wrapper


def _call_native(context: BaseContext, api: PythonAPI, native, values, excinfo):
    """(status, result) of the native call; with nogil=True the GIL is released around it
    (compiled code takes it back only where it touches Python objects)."""
    saved = None
    if context.flags.nogil:
        cycles.gil_free_region(api.builder, +1)
        saved = api.save_thread()
    status, result = context.call_conv.call_function(api.builder, native, values, excinfo=excinfo)
    if saved is not None:
        api.restore_thread(saved)
        cycles.gil_free_region(api.builder, -1)
    return status, result


def _run(cleanups) -> None:
    """Emit the argument cleanups (reflection, releasing unboxed copies) in reverse order."""
    for cleanup in reversed(cleanups):
        if cleanup is not None:
            cleanup()


def build_checked_wrapper(context: BaseContext, module: ir.Module, inner: ir.Function,
                          argtypes, name: str | None = None,
                          converting: bool = False) -> ir.Function | None:
    """`<native>.pycheck` (or `name`): exact type checks then `inner`; None if a type has no
    fast check. `converting`: `inner` converts the arguments (an int beyond int64 must then
    be left to the Python path, which types it otherwise)."""
    if not all(has_exact_check(t) for t in argtypes):
        return None
    wrapper = ir.Function(module, wrapper_fnty, name or f"{_base_name(inner)}.pycheck")
    builder = ir.IRBuilder(wrapper.append_basic_block("entry"))
    c = BoxContext(context, builder)
    mismatch = mismatch_sentinel(module)
    size_ok = builder.icmp_signed("==", _tuple_size(builder, wrapper.args[1]),
                                  ir.Constant(i64, len(argtypes)))
    with cgutils.if_unlikely(builder, builder.not_(size_ok)):
        builder.ret(mismatch)
    for i, ty in enumerate(argtypes):
        item = _tuple_item(builder, wrapper.args[1], i)
        with cgutils.if_unlikely(builder, builder.not_(c.check_exact(ty, item))):
            builder.ret(mismatch)
        if converting and ty == types.int64:
            with cgutils.if_unlikely(builder, builder.not_(_fits(c, item))):
                builder.ret(mismatch)
    builder.ret(builder.call(inner, list(wrapper.args), tail=True))
    return wrapper


def _fits(c, obj):
    """i1: an int64 argument (an exact int or a NumPy scalar) is in range (the check of an
    int64 specialisation leaves that to the unboxing, which raises OverflowError)."""
    b = c.builder
    fits = cgutils.alloca_once_value(b, cgutils.true_bit)
    with b.if_then(is_exact_type(c, obj, "PyLong_Type"), likely=True):
        b.store(c.pyapi.long_fits_longlong(obj), fits)
    return b.load(fits)


def converts_natively(sources, targets) -> bool:
    """Whether arguments of types `sources`, unboxed as such and cast natively to `targets`,
    get the values the dispatcher's Python conversion gives them (pybinding.convert: `float()`,
    `int()`, `complex()`, then the target's unboxing), so a converting wrapper may replace it."""
    return len(sources) == len(targets) and all(map(_same_conversion, sources, targets))


def _same_conversion(source, target) -> bool:
    if source == target:
        return True
    if isinstance(target, types.Optional):
        return isinstance(source, types.NoneType) or _same_conversion(source, target.type)
    if isinstance(source, types.Boolean):
        return isinstance(target, (types.Integer, types.Float, types.Complex))
    if isinstance(source, types.Integer):  # exact below 2**53, else one rounding either way
        return _wider_integer(source, target) or target in (types.float64, types.complex128)
    if isinstance(source, types.Float):  # widening only: no second rounding
        width = source.bitwidth
        return isinstance(target, types.Float) and target.bitwidth >= width or \
            isinstance(target, types.Complex) and target.bitwidth >= 2 * width
    if isinstance(source, types.Array) and isinstance(target, types.Array):
        return bool(source.can_convert_to(None, target))  # the same data, a weaker layout
    return False


def _wider_integer(source, target) -> bool:
    """Every value of `source` fits `target` (no range check is needed)."""
    if not isinstance(target, types.Integer):
        return False
    if source.signed == target.signed:
        return target.bitwidth >= source.bitwidth
    return not source.signed and target.bitwidth > source.bitwidth
