"""Native inner loops for NumPy: `void loop(char **args, npy_intp *dims, npy_intp *steps,
void *data)` around a compiled kernel (a `CompileResult` of the status calling convention).

An elementwise loop loads each input element, calls the scalar kernel and stores the result;
when every operand is contiguous it runs a second copy of the loop whose strides are constants,
so LLVM can vectorise it. A generalized loop hands the kernel array views of each operand's core
dimensions (no MemInfo: NumPy owns the memory for the duration of the call).

A kernel that fails (an exception under the compiled code's error model) takes the GIL, sets the
Python exception and stops the loop; NumPy reports it to the caller after the loop.
"""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..codegen import abi_size, get_codegen
from ..compiler import typing_context
from ..core import cgutils
from ..core.base import BaseContext
from ..core.callconv import STATUS_USER_EXC, excinfo_t
from ..core.pythonapi import PythonAPI
from ..runtime.helpers import declare_runtime

intp = cgutils.intp_t
charpp = cgutils.voidptr_t.as_pointer()
LOOP_TYPE = ir.FunctionType(ir.VoidType(), [charpp, intp.as_pointer(), intp.as_pointer(),
                                            cgutils.voidptr_t])


class _Loop:
    """The pieces every loop needs: module, context, kernel declaration, argument values."""

    def __init__(self, kernel, name: str):
        self.kernel = kernel
        self.library = get_codegen().create_library(name)
        self.library.add_linking_library(kernel.library)
        self.context = BaseContext(typing_context, self.library)
        self.module = ir.Module(name)
        self.function = ir.Function(self.module, LOOP_TYPE, name)
        self.args, self.dims, self.steps, _ = self.function.args
        self.builder = ir.IRBuilder(self.function.append_basic_block("entry"))
        self.exit = self.function.append_basic_block("exit")
        self.name = name

    def declare_kernel(self, kernel=None):
        kernel = kernel or self.kernel
        sig, ctx = kernel.signature, self.context
        fnty = ctx.call_conv.get_function_type(ctx.get_value_type(sig.return_type),
                                               [ctx.get_value_type(a) for a in sig.args])
        return cgutils.get_or_insert_function(self.module, fnty, kernel.native_name)

    def load_index(self, array, index: int):
        return self.builder.load(self.builder.gep(array, [ir.Constant(intp, index)]))

    def call_kernel(self, values, kernel=None):
        """The kernel's result; on failure the exception is set and the loop ends."""
        builder, ctx = self.builder, self.context
        excinfo = cgutils.alloca_once(builder, excinfo_t.as_pointer(), zfill=True)
        status, result = ctx.call_conv.call_function(builder, self.declare_kernel(kernel), values,
                                                     excinfo=excinfo)
        with cgutils.if_unlikely(builder, ctx.call_conv.is_error(builder, status)):
            self.raise_error(status, builder.load(excinfo))
            builder.branch(self.exit)
        return result

    def raise_error(self, status, excinfo) -> None:
        api = PythonAPI(self.context, self.builder)
        gil = api.gil_ensure()
        is_user = self.builder.icmp_signed("==", status, ir.Constant(status.type, STATUS_USER_EXC))
        with self.builder.if_then(is_user):
            self.builder.call(declare_runtime(self.module, "jb_raise_excinfo"), [excinfo])
        api.gil_release(gil)

    def finish(self) -> tuple:
        """Close the function, compile it: (library, address of the loop)."""
        if not self.builder.block.is_terminated:
            self.builder.branch(self.exit)
        ir.IRBuilder(self.exit).ret_void()
        self.library.add_ir_module(self.module)
        self.library.export(self.name)
        self.library.finalize()
        return self.library, self.library.get_pointer_to_function(self.name)

    def data_pointer(self, ty, address):
        return self.builder.bitcast(address, self.context.get_data_type(ty).as_pointer())

    def load_value(self, ty, address):
        model = self.context.data_model_manager.lookup(ty)
        return model.load_from_pointer(self.builder, self.data_pointer(ty, address))

    def store_value(self, ty, value, address) -> None:
        model = self.context.data_model_manager.lookup(ty)
        model.store_to_pointer(self.builder, value, self.data_pointer(ty, address))


# -- elementwise loops -----------------------------------------------------------------------------

def build_ufunc_loop(kernel, name: str) -> tuple:
    """The elementwise loop of a scalar kernel: (library, address)."""
    loop = _Loop(kernel, name)
    sig = kernel.signature
    operand_types = [*sig.args, sig.return_type]
    count = loop.load_index(loop.dims, 0)
    bases = [loop.load_index(loop.args, k) for k in range(len(operand_types))]
    steps = [loop.load_index(loop.steps, k) for k in range(len(operand_types))]
    contiguous = _all_contiguous(loop, operand_types, steps)
    with loop.builder.if_else(contiguous, likely=True) as (fast, general):
        with fast:
            sizes = [ir.Constant(intp, _itemsize(loop, t)) for t in operand_types]
            _elementwise(loop, operand_types, bases, sizes, count)
        with general:
            _elementwise(loop, operand_types, bases, steps, count)
    return loop.finish()


def _itemsize(loop, ty) -> int:
    return abi_size(loop.context.get_data_type(ty))


def _all_contiguous(loop, operand_types, steps):
    result = cgutils.true_bit
    for ty, step in zip(operand_types, steps):
        same = loop.builder.icmp_signed("==", step, ir.Constant(intp, _itemsize(loop, ty)))
        result = loop.builder.and_(result, same)
    return result


def _elementwise(loop, operand_types, bases, steps, count) -> None:
    builder = loop.builder
    *inputs, output = operand_types
    with cgutils.for_range(builder, count) as for_loop:
        index = for_loop.index
        addresses = [builder.gep(base, [builder.mul(index, step)])
                     for base, step in zip(bases, steps)]
        values = [loop.load_value(ty, a) for ty, a in zip(inputs, addresses)]
        result = loop.call_kernel(values)
        loop.store_value(output, result, addresses[-1])


# -- generalized loops -----------------------------------------------------------------------------

def build_gufunc_loop(kernel, name: str, dim_indices, contiguous=None) -> tuple:
    """The loop of a generalized ufunc: per outer index, each operand becomes the kernel's
    argument (a scalar, or an array view over its core dimensions). `dim_indices`: per operand
    the numbers of its core dimensions in NumPy's `dims[1:]`. `contiguous`: the kernel compiled
    for C-contiguous arrays, called when every view is (core strides are the same for every
    outer index, so the test is made once)."""
    loop = _Loop(kernel, name)
    operand_types = kernel.signature.args
    nargs = len(operand_types)
    count = loop.load_index(loop.dims, 0)
    bases = [loop.load_index(loop.args, k) for k in range(nargs)]
    steps = [loop.load_index(loop.steps, k) for k in range(nargs)]
    views = _view_parts(loop, operand_types, dim_indices, nargs)
    if contiguous is None:
        _gufunc_body(loop, kernel, operand_types, count, bases, steps, views)
        return loop.finish()
    loop.library.add_linking_library(contiguous.library)
    with loop.builder.if_else(_views_contiguous(loop, operand_types, views)) as (fast, general):
        with fast:
            _gufunc_body(loop, contiguous, operand_types, count, bases, steps, views)
        with general:
            _gufunc_body(loop, kernel, operand_types, count, bases, steps, views)
    return loop.finish()


def _gufunc_body(loop, kernel, operand_types, count, bases, steps, views) -> None:
    builder = loop.builder
    with cgutils.for_range(builder, count) as for_loop:
        addresses = [builder.gep(base, [builder.mul(for_loop.index, step)])
                     for base, step in zip(bases, steps)]
        values = [loop.load_value(ty, a) if part is None else _array_view(loop, ty, a, *part)
                  for ty, a, part in zip(operand_types, addresses, views)]
        loop.call_kernel(values, kernel)


def _views_contiguous(loop, operand_types, views):
    """Whether every array view is C-contiguous (innermost stride the item size, each other
    the next one's extent times its stride)."""
    builder, result = loop.builder, cgutils.true_bit
    for ty, part in zip(operand_types, views):
        if part is None:
            continue
        shape, strides = part
        expected = ir.Constant(intp, _itemsize(loop, ty.dtype))
        for extent, stride in reversed(list(zip(shape, strides))):
            same = builder.icmp_signed("==", stride, expected)
            result = builder.and_(result, builder.or_(same, _is_one(builder, extent)))
            expected = builder.mul(expected, extent)
    return result


def _is_one(builder, extent):
    """An extent of 1 (or 0) makes its stride irrelevant to contiguity."""
    return builder.icmp_signed("<=", extent, ir.Constant(intp, 1))


def _view_parts(loop, operand_types, dim_indices, nargs) -> list:
    """Per operand: None for a scalar, else (shape values, stride values) of its view; an
    array argument of a `()` operand is a view of its one element."""
    parts, offset = [], nargs
    for ty, dims in zip(operand_types, dim_indices):
        if not isinstance(ty, types.Array):
            parts.append(None)
        elif not dims:
            one = ir.Constant(intp, 1)
            itemsize = ir.Constant(intp, _itemsize(loop, ty.dtype))
            parts.append(([one] * ty.ndim, [itemsize] * ty.ndim))
        else:
            shape = [loop.load_index(loop.dims, 1 + d) for d in dims]
            strides = [loop.load_index(loop.steps, offset + j) for j in range(len(dims))]
            parts.append((shape, strides))
        offset += len(dims)
    return parts


def _array_view(loop, ty, address, shape, strides):
    """An array value viewing NumPy's memory (no MemInfo, no parent: borrowed)."""
    builder, ctx = loop.builder, loop.context
    view = ctx.make_helper(builder, ty)
    nitems = ir.Constant(intp, 1)
    for extent in shape:
        nitems = builder.mul(nitems, extent)
    view.meminfo = cgutils.get_null_value(view.meminfo.type)
    view.parent = cgutils.get_null_value(view.parent.type)
    view.nitems = nitems
    view.itemsize = ir.Constant(intp, _itemsize(loop, ty.dtype))
    view.data = builder.bitcast(address, view.data.type)
    view.shape = ctx.make_tuple(builder, types.UniTuple(types.intp, ty.ndim), shape)
    view.strides = ctx.make_tuple(builder, types.UniTuple(types.intp, ty.ndim), strides)
    return view._getvalue()
