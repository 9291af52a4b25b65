"""`target='parallel'` loops: the serial native loop of a ufunc or gufunc run on the threads,
each on a contiguous share of the outer dimension (NumPy's `dims[0]`).

A share that fails (its kernel raised: the serial loop set the Python error in the thread that
ran it) reports the error as its status; the region restores the first one in the caller's
thread, where NumPy finds it after the loop.
"""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..codegen import get_codegen
from ..compiler import typing_context
from ..core import cgutils
from ..core.base import BaseContext
from ..core.callconv import excinfo_t, status_t
from ..core.pythonapi import PythonAPI
from ..lowering.parallel import run_range
from .loops import LOOP_TYPE, intp

#: outer items from which a parallel loop uses the threads (fewer run serially)
MIN_ITEMS = 1 << 12


def build_parallel_loop(serial_library, serial_name: str, nargs: int, ndims: int) -> tuple:
    """(library, address) of a loop with the serial loop's signature running it on the
    threads; `ndims`: how many entries NumPy's `dims` has (1 + the core dimensions)."""
    name = f"{serial_name}.parallel"
    library = get_codegen().create_library(name)
    library.add_linking_library(serial_library)
    context = BaseContext(typing_context, library)
    module = ir.Module(name)
    serial = ir.Function(module, LOOP_TYPE, serial_name)
    run = _define_run(context, module, serial, name, (nargs, ndims))
    loop = ir.Function(module, LOOP_TYPE, name)
    builder = ir.IRBuilder(loop.append_basic_block("entry"))
    count = builder.load(loop.args[1])
    with builder.if_else(builder.icmp_signed("<", count, ir.Constant(intp, MIN_ITEMS))) as (
            few, many):
        with few:
            builder.call(serial, list(loop.args))
        with many:  # (an error is set in this thread already: NumPy reports it)
            retptr = cgutils.alloca_once(builder, context.get_value_type(types.none))
            excinfo = cgutils.alloca_once(builder, excinfo_t.as_pointer(), zfill=True)
            builder.call(run, [retptr, excinfo, *loop.args])
    builder.ret_void()
    library.add_ir_module(module)
    library.export(name)
    library.finalize()
    return library, library.get_pointer_to_function(name)


def _define_run(context, module, serial, name, counts):
    """The status-code function holding the region (its failure status returns from it)."""
    fnty = context.call_conv.get_function_type(context.get_value_type(types.none),
                                               list(LOOP_TYPE.args))
    run = ir.Function(module, fnty, f"{name}.run")
    run.linkage = "internal"
    builder = ir.IRBuilder(run.append_basic_block("entry"))
    args = context.call_conv.get_arguments(run)
    run_range(context, builder, builder.load(args[1]), args,
              lambda b, env, lo, hi: _share(context, b, serial, env, (lo, hi), counts),
              what="parallel ufunc loop")
    builder.ret(ir.Constant(status_t, 0))
    return run


def _share(context, builder, serial, env, bounds, counts) -> None:
    """The serial loop over outer items [lo, hi): operands advanced by lo steps."""
    (args, dims, steps, data), (lo, hi), (nargs, ndims) = env, bounds, counts
    own_args = cgutils.alloca_once(builder, cgutils.voidptr_t, size=ir.Constant(intp, nargs))
    for k in range(nargs):
        index = ir.Constant(intp, k)
        base = builder.load(builder.gep(args, [index]))
        offset = builder.mul(lo, builder.load(builder.gep(steps, [index])))
        builder.store(builder.gep(base, [offset]), builder.gep(own_args, [index]))
    own_dims = cgutils.alloca_once(builder, intp, size=ir.Constant(intp, ndims))
    for k in range(1, ndims):
        index = ir.Constant(intp, k)
        builder.store(builder.load(builder.gep(dims, [index])), builder.gep(own_dims, [index]))
    builder.store(builder.sub(hi, lo), own_dims)
    builder.call(serial, [own_args, own_dims, steps, data])
    api = PythonAPI(context, builder)
    gil = api.gil_ensure()
    failed = cgutils.is_not_null(builder, api.err_occurred())
    api.gil_release(gil)
    with builder.if_then(failed, likely=False):
        context.call_conv.return_python_error(builder)

