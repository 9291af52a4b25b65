"""The lowering Context handed to implementations: data models, constants, casts, functions.

One Context is made per compiled function; it knows the CodeLibrary being built so that
`compile_internal` and calls into other jitted functions can link their code in.
"""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..errors import LoweringError
from ..lowering.registry import LoweringRegistry, registry as default_registry
from ..runtime import nrt
from . import cgutils
from .callconv import CallConv, serialize
from .datamodel import default_manager

#: Set by compiler.py: compile_internal(context, impl, sig) -> (native name, library).
COMPILE_HOOK: dict = {}


class BaseContext:
    """What lowering code asks about types and values while emitting LLVM IR."""

    def __init__(self, typing_context, library=None, registry: LoweringRegistry = default_registry):
        self.typing_context = typing_context
        self.library = library
        self.registry = registry
        self.data_model_manager = default_manager
        self.call_conv = CallConv()

    # -- representation ------------------------------------------------------------------------
    def get_value_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_value_type()

    def get_data_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_data_type()

    def get_argument_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_argument_type()

    def get_return_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_return_type()

    # -- reference counting ----------------------------------------------------------------------
    def contains_nrt(self, ty) -> bool:
        """Whether values of `ty` own runtime references."""
        return self.data_model_manager.lookup(ty).has_nrt_meminfo()

    def incref(self, builder, ty, value) -> None:
        """Take a new reference to every MemInfo inside `value`."""
        for mi in self.data_model_manager.lookup(ty).nrt_meminfos(builder, value):
            nrt.emit_incref(builder, mi)

    def decref(self, builder, ty, value) -> None:
        """Release the references `value` owns."""
        for mi in self.data_model_manager.lookup(ty).nrt_meminfos(builder, value):
            nrt.emit_decref(builder, mi)

    def make_helper(self, builder, ty, value=None, ref=None):
        """A struct proxy giving named access to a StructModel value of `ty`."""
        return cgutils.create_struct_proxy(ty)(self, builder, value=value, ref=ref)

    def make_tuple(self, builder, ty, values):
        """Pack element values into a tuple value of type `ty`."""
        out = ir.Constant(self.get_value_type(ty), ir.Undefined)
        for i, v in enumerate(values):
            out = builder.insert_value(out, v, i)
        return out

    def get_dummy_value(self):
        return ir.Constant(ir.LiteralStructType([]), [])

    # -- constants -----------------------------------------------------------------------------
    def get_constant_generic(self, builder, ty, value):
        """An LLVM value for the Python constant `value` of type `ty`."""
        impl = self.registry.find_constant(ty)
        if impl is None:
            return self.get_constant_null(ty)
        return impl(self, builder, ty, value)

    def get_constant(self, ty, value):
        """Constant for scalars (no builder needed)."""
        return self.get_constant_generic(None, ty, value)

    def get_constant_null(self, ty):
        return cgutils.get_null_value(self.get_value_type(ty))

    def insert_const_string(self, module: ir.Module, text: str):
        """An i8* to a NUL-terminated constant string in `module`."""
        return cgutils.const_cstring(module, text)

    def serialize_constant(self, module: ir.Module, obj):
        """A constant `{i8*, i64}*` holding pickled `obj`."""
        data = serialize(obj)
        blob = cgutils.global_constant(module, "jb.pickled", cgutils.make_bytearray(data))
        struct = ir.Constant(ir.LiteralStructType([cgutils.voidptr_t, cgutils.int64_t]),
                             [blob.bitcast(cgutils.voidptr_t), ir.Constant(cgutils.int64_t, len(data))])
        return cgutils.global_constant(module, "jb.pickled.info", struct)

    # -- conversions ---------------------------------------------------------------------------
    def cast(self, builder, val, fromty, toty):
        """Convert `val` of type `fromty` to `toty`."""
        if fromty == toty:
            return val
        impl = self.registry.find_cast(fromty, toty)
        if impl is None:
            if self.get_value_type(fromty) == self.get_value_type(toty) and \
                    types.unliteral(fromty) == types.unliteral(toty):
                return val
            raise LoweringError(f"no conversion from {fromty} to {toty}")
        return impl(self, builder, fromty, toty, val)

    def is_true(self, builder, ty, val):
        """`bool(val)` as an i1."""
        impl = self.get_function(bool, types.signature(types.boolean, ty))
        return impl(builder, [val])

    # -- implementations -----------------------------------------------------------------------
    def get_function(self, key, sig):
        """`impl(builder, args)` for calling `key` with `sig` (key may be a function type)."""
        key, argtypes = _lookup_key(key, sig)
        impl = self.registry.find_function(key, argtypes)
        if impl is None:
            raise LoweringError(f"no lowering for {getattr(key, '__name__', key)}{sig}")
        return lambda builder, args: impl(self, builder, sig, args)

    def get_getattr(self, ty, attr: str):
        return self.registry.find_getattr(ty, attr)

    def get_setattr(self, ty, attr: str):
        return self.registry.find_setattr(ty, attr)

    def compile_internal(self, builder, impl, sig, args):
        """Compile the Python function `impl` for `sig` and call it here."""
        name, library = COMPILE_HOOK["compile_internal"](self.typing_context, impl, sig)
        if self.library is not None:
            self.library.add_linking_library(library)
        return self.call_internal(builder, name, sig, args)

    def call_internal(self, builder, name: str, sig, args):
        """Call compiled function `name`; a non-zero status propagates out of this function."""
        fnty = self.call_conv.get_function_type(
            self.get_value_type(sig.return_type), [self.get_value_type(a) for a in sig.args])
        callee = cgutils.get_or_insert_function(builder.module, fnty, name)
        status, value = self.call_conv.call_function(builder, callee, args)
        with builder.if_then(self.call_conv.is_error(builder, status), likely=False):
            self.call_conv.return_status_propagate(builder, status)
        return value


def _lookup_key(key, sig):
    if isinstance(key, types.Function):
        return key.typing_key, sig.args
    if isinstance(key, types.BoundFunction):
        return key.template.key, (sig.recvr, *sig.args)
    return key, sig.args
