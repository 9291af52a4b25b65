"""try/except in lowered code: the `catch` and `reraise` of the frontend's try regions.

A failure inside a region's blocks branches to the region's dispatch block with its status
(callconv.set_handler), instead of returning. The dispatch block first takes the exception
over (`capture`): the status; the payload pointer of a user exception (status 1), whose class
identities an except clause compares without Python; or the pending Python error (status -1),
fetched so that the handler runs with no error set. Fetched objects are released when a
clause that cannot re-raise them catches them; others stay in the region's slots until
re-raised, replaced by the region's next exception, or released at the exit.
"""
from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from ..core import cgutils
from ..core.callconv import (STATUS_PYERR, STATUS_USER_EXC, class_identity, excinfo_mro,
                             excinfo_t)
from ..core.pythonapi import PythonAPI, pyobj
from ..ir import nodes as n
from ..runtime import nrt
from ..runtime.helpers import declare_runtime
from ..typing.raising import caught_classes

_i32 = ir.IntType(32)


@dataclass(frozen=True)
class Region:
    """The slots of one try region: the status and payload of its exception, and the Python
    error (type, value, traceback) fetched for it."""
    status: ir.AllocaInstr
    info: ir.AllocaInstr
    error: tuple


def alloc_regions(lower) -> dict:
    """{dispatch label: Region} (the builder is in the entry block)."""
    labels = sorted({b.handler for b in lower.tir.blocks.values() if b.handler is not None})
    return {label: Region(lower.new_slot(_i32, f"try{label}.status", zero=False),
                          lower.new_slot(excinfo_t.as_pointer(), f"try{label}.info", zero=False),
                          tuple(lower.new_slot(pyobj, f"try{label}.err{i}", zero=True)
                                for i in range(3)))
            for label in labels}


def handler_of(lower, label: int):
    """Where failures in block `label` go: (dispatch block, status slot), or None (the exit)."""
    dispatch = lower.tir.blocks[label].handler
    if dispatch is None:
        return None
    return lower.blocks[dispatch], lower.regions[dispatch].status


def capture(lower, label: int) -> None:
    """At dispatch block `label`: take the exception over from the failed code."""
    builder, region = lower.builder, lower.regions[label]
    builder.store(builder.load(lower.function.args[1]), region.info)
    with builder.if_then(_is_python_error(builder, region), likely=False):
        with _gil(lower) as api:
            _release(api, region)  # the region's previous exception, if it kept one
            api.err_fetch(*region.error)


def lower_catch(lower, e: n.Catch):
    """Whether the region's exception is an instance of one of the clause's classes."""
    classes = caught_classes(lower.typeof(e.classes)) if e.classes is not None else None
    builder, region = lower.builder, lower.regions[e.region]
    if classes is None or BaseException in classes:
        matched = cgutils.true_bit
    else:
        matched = _matches(lower, region, classes)
    if not e.keep:  # the clause cannot re-raise it: the Python error goes now
        with builder.if_then(builder.and_(matched, _is_python_error(builder, region)),
                             likely=False):
            with _gil(lower) as api:
                _release(api, region)
    return matched


def lower_caught(lower, e: n.Caught):
    """`except ... as name`: the region's exception as a normalized Python object, owned by a
    MemInfo. A user exception's payload is raised and fetched first: the region then keeps it
    as a Python error, so a bare `raise` re-raises the very object the clause read."""
    builder, region = lower.builder, lower.regions[e.region]
    module = builder.module
    with _gil(lower) as api:
        user_exc = builder.icmp_signed("==", builder.load(region.status),
                                       ir.Constant(_i32, STATUS_USER_EXC))
        with builder.if_then(user_exc):
            builder.call(declare_runtime(module, "jb_raise_excinfo"), [builder.load(region.info)])
            _release(api, region)
            api.err_fetch(*region.error)
            builder.store(ir.Constant(_i32, STATUS_PYERR), region.status)
        normalize = cgutils.declare_c_function(module, "PyErr_NormalizeException",
                                               ir.VoidType(), [pyobj.as_pointer()] * 3)
        builder.call(normalize, region.error)
        value, traceback = builder.load(region.error[1]), builder.load(region.error[2])
        with builder.if_then(cgutils.is_not_null(builder, traceback)):
            set_traceback = cgutils.declare_c_function(module, "PyException_SetTraceback",
                                                       _i32, [pyobj, pyobj])
            builder.call(set_traceback, [value, traceback])
        meminfo = nrt.adopt_pyobject(builder, value, value)
    return meminfo


def _matches(lower, region: Region, classes: tuple):
    builder = lower.builder
    matched = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with builder.if_else(_is_python_error(builder, region)) as (python_error, user):
        with python_error:
            builder.store(_error_matches(lower, region, classes), matched)
        with user:
            user_exc = builder.icmp_signed("==", builder.load(region.status),
                                           ir.Constant(_i32, STATUS_USER_EXC))
            with builder.if_then(user_exc):
                _payload_matches(builder, region, classes, matched)
    return builder.load(matched)


def lower_reraise(lower, s: n.Reraise) -> None:
    """Raise the region's exception again from here: its payload pointer, or its Python error
    given back to the interpreter."""
    if s.region is None:
        _reraise_handled(lower)
        return
    builder, region = lower.builder, lower.regions[s.region]
    builder.store(builder.load(region.info), lower.function.args[1])
    with builder.if_then(_is_python_error(builder, region), likely=False):
        with _gil(lower) as api:
            api.err_restore(*(builder.load(slot) for slot in region.error))
            for slot in region.error:  # the interpreter owns them again
                builder.store(ir.Constant(pyobj, None), slot)
    lower.call_conv.return_status_propagate(builder, builder.load(region.status))


def _reraise_handled(lower) -> None:
    """Raise the exception the interpreter is handling (sys.exc_info()), as a bare `raise` in
    a function called from an except clause does; RuntimeError if there is none."""
    builder = lower.builder
    fnty = ir.FunctionType(ir.VoidType(), [pyobj.as_pointer()] * 3)
    get_info = cgutils.get_or_insert_function(builder.module, fnty, "PyErr_GetExcInfo")
    error = [cgutils.alloca_once(builder, pyobj, zfill=True) for _ in range(3)]
    with _gil(lower) as api:
        builder.call(get_info, error)
        exc_type = builder.load(error[0])  # None when nothing is handled (NULL before 3.11)
        nothing = builder.or_(cgutils.is_null(builder, exc_type),
                              builder.icmp_unsigned("==", exc_type, api.borrow_none()))
        with builder.if_else(nothing) as (none, some):
            with none:
                for slot in error:
                    api.decref(builder.load(slot))
                api.err_set_string("PyExc_RuntimeError", "No active exception to reraise")
            with some:
                api.err_restore(*(builder.load(slot) for slot in error))  # (steals them)
    lower.call_conv.return_python_error(builder)


def release_all(lower) -> None:
    """At the exit: release the Python errors regions still keep."""
    builder = lower.builder
    for region in lower.regions.values():
        with builder.if_then(cgutils.is_not_null(builder, builder.load(region.error[0])),
                             likely=False):
            with _gil(lower) as api:
                _release(api, region)


def _is_python_error(builder, region: Region):
    return builder.icmp_signed("==", builder.load(region.status), ir.Constant(_i32, STATUS_PYERR))


def _error_matches(lower, region: Region, classes: tuple):
    """PyErr_GivenExceptionMatches(fetched type, cls) for any of `classes`."""
    builder = lower.builder
    fnty = ir.FunctionType(ir.IntType(32), [pyobj, pyobj])
    matches = cgutils.get_or_insert_function(builder.module, fnty, "PyErr_GivenExceptionMatches")
    with _gil(lower) as api:
        found = cgutils.false_bit
        for cls in classes:
            hit = builder.call(matches, [builder.load(region.error[0]),
                                         api.constant_object(cls, "exception")])
            found = builder.or_(found, builder.icmp_signed("!=", hit, ir.Constant(_i32, 0)))
    return found


def _payload_matches(builder, region: Region, classes: tuple, matched) -> None:
    """Store true to `matched` if an identity of the payload's MRO is one of `classes`'."""
    count, first = excinfo_mro(builder, builder.load(region.info))
    with cgutils.for_range(builder, count) as loop:
        identity = builder.load(builder.gep(first, [loop.index]))
        for cls in classes:
            known = ir.Constant(identity.type, class_identity(cls))
            with builder.if_then(builder.icmp_unsigned("==", identity, known)):
                builder.store(cgutils.true_bit, matched)


def _release(api: PythonAPI, region: Region) -> None:
    for slot in region.error:
        api.decref(api.builder.load(slot))  # (Py_DecRef ignores NULL)
        api.builder.store(ir.Constant(pyobj, None), slot)


class _gil:
    """`with _gil(lower) as api:` C-API calls holding the GIL (compiled code may not)."""

    def __init__(self, lower):
        self.api = PythonAPI(lower.context, lower.builder)

    def __enter__(self) -> PythonAPI:
        self.state = self.api.gil_ensure()
        return self.api

    def __exit__(self, *exc) -> None:
        self.api.gil_release(self.state)
