"""llvmlite helpers for code generation (Numba-compatible names for extension authors)."""
from __future__ import annotations

from contextlib import contextmanager

from llvmlite import ir

bool_t = ir.IntType(1)
int8_t = ir.IntType(8)
int32_t = ir.IntType(32)
int64_t = ir.IntType(64)
intp_t = int64_t
voidptr_t = int8_t.as_pointer()
true_bit = ir.Constant(bool_t, 1)
false_bit = ir.Constant(bool_t, 0)
true_byte = ir.Constant(int8_t, 1)
false_byte = ir.Constant(int8_t, 0)


def get_null_value(ltype: ir.Type) -> ir.Constant:
    """The all-zero constant of `ltype`."""
    return ir.Constant(ltype, None)


def is_null(builder: ir.IRBuilder, val) -> ir.Value:
    """`val == 0` for pointers and integers."""
    return builder.icmp_unsigned("==", val, get_null_value(val.type))


def is_not_null(builder: ir.IRBuilder, val) -> ir.Value:
    """`val != 0` for pointers and integers."""
    return builder.icmp_unsigned("!=", val, get_null_value(val.type))


def alloca_once(builder: ir.IRBuilder, ty: ir.Type, size=None, name: str = "", zfill=False):
    """An alloca placed in the entry block (so mem2reg can promote it). `zfill`: zeroed there
    (a path that skips the current position still reads zero) and at the current position."""
    if size is not None and not isinstance(size, ir.Constant):
        return _alloca_after_size(builder, ty, size, name, zfill)
    current = builder.block
    # at the entry block's start: placing it before the terminator would search the growing
    # block for its position (quadratic in the size of the function)
    builder.position_at_start(builder.function.entry_basic_block)
    slot = builder.alloca(ty, size=size, name=name)
    if zfill:
        builder.store(get_null_value(ty), slot)
    builder.position_at_end(current)
    if zfill:
        builder.store(get_null_value(ty), slot)
    return slot


def _alloca_after_size(builder: ir.IRBuilder, ty: ir.Type, size, name: str, zfill: bool):
    """`alloca_once` of a run-time count, at the end of the entry block (after the count)."""
    with builder.goto_entry_block():
        slot = builder.alloca(ty, size=size, name=name)
        if zfill:
            builder.store(get_null_value(ty), slot)
    if zfill:
        builder.store(get_null_value(ty), slot)
    return slot


def alloca_once_value(builder: ir.IRBuilder, value, name: str = ""):
    """An entry-block alloca initialised with `value` at the current position."""
    slot = alloca_once(builder, value.type, name=name)
    builder.store(value, slot)
    return slot


@contextmanager
def if_likely(builder: ir.IRBuilder, pred):
    """`if pred:` with branch weights favouring the body."""
    with builder.if_then(pred, likely=True):
        yield


@contextmanager
def if_unlikely(builder: ir.IRBuilder, pred):
    """`if pred:` with branch weights against the body."""
    with builder.if_then(pred, likely=False):
        yield


@contextmanager
def early_exit_if(builder: ir.IRBuilder, stack, cond):
    """Inside an ExitStack: run the body when `cond`, and skip the rest of the stack's scope."""
    then, otherwise = stack.enter_context(builder.if_else(cond, likely=False))
    with then:
        yield
    stack.enter_context(otherwise)


def early_exit_if_null(builder: ir.IRBuilder, stack, obj):
    """`early_exit_if(builder, stack, is_null(builder, obj))`."""
    return early_exit_if(builder, stack, is_null(builder, obj))


@contextmanager
def for_range(builder: ir.IRBuilder, count, start=None, intp=None):
    """`for i in range(start, count):` yielding a Loop with `.index`."""
    intp = intp or count.type
    start = start if start is not None else ir.Constant(intp, 0)
    header = builder.append_basic_block("for.cond")
    body = builder.append_basic_block("for.body")
    end = builder.append_basic_block("for.end")
    entry = builder.block
    builder.branch(header)
    builder.position_at_end(header)
    index = builder.phi(intp, name="for.index")
    index.add_incoming(start, entry)
    builder.cbranch(builder.icmp_signed("<", index, count), body, end)
    builder.position_at_end(body)
    yield Loop(index, end)
    nxt = builder.add(index, ir.Constant(intp, 1))
    index.add_incoming(nxt, builder.block)
    builder.branch(header)
    builder.position_at_end(end)


class Loop:
    """The loop handle `for_range` yields."""

    def __init__(self, index, end_block):
        self.index = index
        self.end_block = end_block


def pack_array(builder: ir.IRBuilder, values, ty: ir.Type | None = None):
    """An LLVM array value holding `values`."""
    ty = ty or values[0].type
    out = ir.Constant(ir.ArrayType(ty, len(values)), ir.Undefined)
    for i, v in enumerate(values):
        out = builder.insert_value(out, v, i)
    return out


def pack_struct(builder: ir.IRBuilder, values):
    """A literal struct value holding `values`."""
    out = ir.Constant(ir.LiteralStructType([v.type for v in values]), ir.Undefined)
    for i, v in enumerate(values):
        out = builder.insert_value(out, v, i)
    return out


def unpack_tuple(builder: ir.IRBuilder, tup, count: int | None = None) -> list:
    """The elements of an aggregate value as a list."""
    count = len(tup.type.elements) if count is None else count
    return [builder.extract_value(tup, i) for i in range(count)]


def gep_inbounds(builder: ir.IRBuilder, ptr, *indices, name: str = ""):
    """`&ptr[i0][i1]...` with constant or value indices."""
    idx = [ir.Constant(int32_t, i) if isinstance(i, int) else i for i in indices]
    return builder.gep(ptr, idx, inbounds=True, name=name)


def global_constant(module: ir.Module, name: str, value: ir.Constant):
    """A private constant global initialised with `value`."""
    gv = ir.GlobalVariable(module, value.type, name=module.get_unique_name(name))
    gv.linkage = "private"
    gv.global_constant = True
    gv.unnamed_addr = True
    gv.initializer = value
    return gv


def make_bytearray(data: bytes) -> ir.Constant:
    """An `[n x i8]` constant of `data`."""
    return ir.Constant(ir.ArrayType(int8_t, len(data)), bytearray(data))


def call_intrinsic(builder: ir.IRBuilder, name: str, args):
    """Call an overloaded LLVM intrinsic whose arguments and result share one type."""
    ty = args[0].type
    fnty = ir.FunctionType(ty, [ty] * len(args))
    return builder.call(builder.module.declare_intrinsic(name, [ty], fnty), list(args))


def memcpy(builder: ir.IRBuilder, dst, src, nbytes) -> None:
    """llvm.memcpy(dst, src, nbytes) on byte pointers."""
    fn = builder.module.declare_intrinsic("llvm.memcpy", [voidptr_t, voidptr_t, int64_t])
    builder.call(fn, [builder.bitcast(dst, voidptr_t), builder.bitcast(src, voidptr_t), nbytes,
                      false_bit])


def declare_c_function(module: ir.Module, name: str, restype: ir.Type, argtypes) -> ir.Function:
    """Declare a C library function (malloc, free, libm...) in `module`."""
    return get_or_insert_function(module, ir.FunctionType(restype, list(argtypes)), name)


def const_cstring(module: ir.Module, text: str):
    """An i8* to a NUL-terminated constant string, one global per distinct text."""
    data = text.encode("utf-8") + b"\0"
    name = f"jb.str.{abs(hash(data)):x}"
    gv = module.globals.get(name)
    if gv is None:
        gv = global_constant(module, name, make_bytearray(data))
    return gv.bitcast(voidptr_t)


def printf(builder: ir.IRBuilder, format: str, *args) -> None:
    """C's printf from compiled code (Numba's debugging helper for extension authors): `format`
    a Python str, `args` LLVM values as C's varargs take them (doubles, i64s, i8* strings).
    The C streams are flushed at once, so the text comes out where it was printed."""
    module = builder.module
    c_printf = get_or_insert_function(
        module, ir.FunctionType(ir.IntType(32), [voidptr_t], var_arg=True), "printf")
    builder.call(c_printf, [const_cstring(module, format), *args])
    flush = declare_c_function(module, "fflush", ir.IntType(32), [voidptr_t])
    builder.call(flush, [ir.Constant(voidptr_t, None)])


def get_or_insert_function(module: ir.Module, fnty: ir.FunctionType, name: str) -> ir.Function:
    """The function `name` declared (or defined) in `module`."""
    existing = module.globals.get(name)
    return existing if existing is not None else ir.Function(module, fnty, name)


class _StructProxy:
    """Named access to the members of a StructModel value (see `create_struct_proxy`)."""

    _fe_type = None

    def __init__(self, context, builder, value=None, ref=None):
        model = context.data_model_manager.lookup(self._fe_type)
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_context", context)
        object.__setattr__(self, "_builder", builder)
        if ref is None:
            ref = alloca_once(builder, model.get_value_type(), zfill=value is None)
            if value is not None:
                builder.store(value, ref)
        object.__setattr__(self, "_ref", ref)

    def _field_ptr(self, name):
        pos = self._model.get_field_position(name)
        return gep_inbounds(self._builder, self._ref, 0, pos, name=f"{name}.ptr")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._builder.load(self._field_ptr(name))

    def __setattr__(self, name, value):
        self._builder.store(value, self._field_ptr(name))

    def __getitem__(self, pos):
        return self._builder.load(gep_inbounds(self._builder, self._ref, 0, pos))

    def __setitem__(self, pos, value):
        self._builder.store(value, gep_inbounds(self._builder, self._ref, 0, pos))

    def _getvalue(self):
        """The whole struct as an SSA value."""
        return self._builder.load(self._ref)

    def _getpointer(self):
        """A pointer to the struct's storage."""
        return self._ref

    def _get_ptr_by_name(self, name):
        """A pointer to member `name` (Numba's name)."""
        return self._field_ptr(name)

    def _setvalue(self, value):
        self._builder.store(value, self._ref)


def create_struct_proxy(fe_type, kind: str = "value"):
    """A class giving attribute access to the members of `fe_type`'s StructModel value."""
    return type(f"StructProxy_{fe_type}", (_StructProxy,), {"_fe_type": fe_type})
