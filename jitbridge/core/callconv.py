"""The status-code calling convention of compiled functions.

Every compiled function is `i32 f(T* retptr, {i8*, i64}** excinfo, args...)`. It returns a status:
0 ok (result stored to retptr); 1 a user exception whose pickled `(class, args)` payload the
function stored to *excinfo; -1 a Python exception already set (by C-API calls). Callers
propagate any non-zero status unchanged, passing their own excinfo pointer down, unless the
failing code is inside a try region: its failures go to the region's dispatch block.

A user-exception payload is followed by the identities of the classes of its class's MRO
(`class_identity`), so an except clause tests the class without Python (`excinfo_mro`).
"""
from __future__ import annotations

import hashlib
import pickle
import secrets
from dataclasses import dataclass

from llvmlite import ir

from .. import funcpickle
from . import cgutils

STATUS_OK = 0
STATUS_USER_EXC = 1
STATUS_PYERR = -1

status_t = ir.IntType(32)
excinfo_t = ir.LiteralStructType([cgutils.voidptr_t, cgutils.int64_t])
excinfo_pp = excinfo_t.as_pointer().as_pointer()

#: Exception payloads that pickle cannot carry by reference (local classes): kept per process.
_LOCAL_PAYLOADS: list = []
#: codegen.PROCESS_LOCALS: the metadata a CodeLibrary reads its records from (this layer may
#: not import codegen, and the calling convention has no library at hand)
PROCESS_LOCALS = "jitbridge.process_locals"


class _LocalPayload:
    """Pickles as a lookup into the payload table of the process that made it; `by_value`
    (a pickle carrying functions by value, see funcpickle) re-creates the object in any other
    process, e.g. one loading the code from a cache."""

    def __init__(self, index: int, by_value: bytes | None = None):
        self.index, self.by_value = index, by_value

    def __reduce__(self):
        return (_local_payload, (_PROCESS_TOKEN, self.index, self.by_value))


#: tells this process (and its forks, which share its table) from others
_PROCESS_TOKEN = secrets.token_hex(8)


def _local_payload(token: str, index: int, by_value: bytes | None):
    if token == _PROCESS_TOKEN:
        return _LOCAL_PAYLOADS[index]  # the object itself: identity and state as compiled
    if by_value is None:
        raise RuntimeError("compiled code refers to an object of the process that compiled it")
    return pickle.loads(by_value)


def serialize(obj, on_local=None) -> bytes:
    """Pickled `obj`. Objects pickle cannot carry (local classes, lifted functions) go through
    the per-process table, with a by-value copy where funcpickle can make one (an objmode
    block's function: a process loading the code from a cache re-creates it); without one,
    `on_local(index)` is called: code embedding that pickle works only in this process."""
    try:
        return pickle.dumps(obj)
    except (pickle.PicklingError, AttributeError, TypeError):
        pass
    _LOCAL_PAYLOADS.append(obj)
    index = len(_LOCAL_PAYLOADS) - 1
    try:
        by_value = funcpickle.dumps(obj)
    except (pickle.PicklingError, AttributeError, TypeError, ValueError):
        by_value = None
        if on_local is not None:
            on_local(index)
    return pickle.dumps(_LocalPayload(index, by_value))


def class_identity(cls) -> int:
    """A 63-bit identity of a class, the same in every process for an importable class (a
    local class exists only in this process: its address tells two of one name apart)."""
    name = f"{cls.__module__}.{cls.__qualname__}"
    if "<locals>" in name:
        name += f"@{id(cls)}"
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little") >> 1


def _payload_type(count: int) -> ir.LiteralStructType:
    """excinfo_t, then the number of class identities and the identities."""
    return ir.LiteralStructType([*excinfo_t.elements, cgutils.int64_t,
                                 ir.ArrayType(cgutils.int64_t, count)])


def excinfo_mro(builder: ir.IRBuilder, info):
    """(count, i64* first) of the class identities following the payload `info` points to."""
    payload = builder.bitcast(info, _payload_type(0).as_pointer())
    zero = ir.Constant(ir.IntType(32), 0)
    count = builder.load(builder.gep(payload, [zero, ir.Constant(ir.IntType(32), 2)]))
    first = builder.gep(payload, [zero, ir.Constant(ir.IntType(32), 3), zero])
    return count, first


def serialize_exception(exc_class, args: tuple, on_local=None, where=None) -> bytes:
    """Pickled `(exc_class, args, where)` for the user-exception status; `where`: the
    (function, file, line) that raised, for the traceback entry (None: no entry)."""
    return serialize((exc_class, tuple(args), where), on_local)


def raise_site(loc) -> tuple | None:
    """(function name, file, line) of a source position, for a traceback entry."""
    if loc is None or loc.line <= 0:
        return None
    return (loc.func_name.rpartition(".")[2], loc.filename, loc.line)  # (co_name, as Python)


def describe_exception(exc_class, args) -> str:
    """`the exception payload pkg.Error('text',)` for records and error messages."""
    name = getattr(exc_class, "__qualname__", repr(exc_class))
    text = f"{getattr(exc_class, '__module__', '?')}.{name}{tuple(args)!r}"
    return "the exception payload " + (text if len(text) <= 100 else text[:97] + "...")


def record_local_payload(module: ir.Module, description: str, index: int) -> None:
    """Record in `module` that its code embeds entry `index` of this process's payload table."""
    record = ["payload table entry", f"{description} (entry {index})", ""]
    module.add_named_metadata(PROCESS_LOCALS, record)


@dataclass
class _Exit:
    """Where returns from code being emitted go: the exit block, the slot for the status, the
    slot for a returned value (None: the function's return pointer), and whether a failure
    status was returned through it."""
    block: ir.Block
    status_slot: object
    result_slot: object = None
    failed: bool = False
    handler: tuple | None = None  # (dispatch block, its status slot) of the try region


class CallConv:
    """Emits returns, exception raising and calls in the status-code convention.

    A function the lowering gives a cleanup block (`set_exit`) returns through it, so every
    return, normal or exceptional, releases what the function owns."""

    def __init__(self):
        self._exits: dict = {}  # ir.Function -> its _Exits, innermost last
        #: the user statement being lowered (errors.Loc): where an exception raised by the
        #: code emitted for it appears in Python's traceback (None: no entry)
        self.location = None

    def set_exit(self, function: ir.Function, block: ir.Block, status_slot,
                 result_slot=None) -> None:
        """Make returns from code emitted into `function` go through `block` (status stored to
        `status_slot`, a returned value to `result_slot`, or the return pointer when None)
        until `pop_exit`: a callee lowered in place has its own exit inside its caller's."""
        self._exits.setdefault(function, []).append(_Exit(block, status_slot, result_slot))

    def pop_exit(self, function: ir.Function) -> bool:
        """Restore the enclosing exit; whether any failure status went through this one."""
        return self._exits[function].pop().failed

    def set_handler(self, function: ir.Function, handler: tuple | None) -> None:
        """Send failures of the code emitted next into `function` (at the current exit's
        level: not those of a callee lowered in place, which has its own exit) to
        `handler` = (dispatch block, status slot) of a try region; None: to the exit."""
        self._exits[function][-1].handler = handler

    def exit_of(self, function: ir.Function):
        """(exit block, status slot) that returns from `function` now go through, or None."""
        exit_point = self._current_exit(function)
        return None if exit_point is None else (exit_point.block, exit_point.status_slot)

    def _current_exit(self, function: ir.Function):
        exits = self._exits.get(function)
        return exits[-1] if exits else None

    def get_function_type(self, restype: ir.Type, argtypes) -> ir.FunctionType:
        return ir.FunctionType(status_t, [restype.as_pointer(), excinfo_pp, *argtypes])

    def get_arguments(self, func: ir.Function) -> list:
        """The user-visible arguments of a compiled function."""
        return list(func.args[2:])

    def _return(self, builder: ir.IRBuilder, status) -> None:
        """Return `status`, through the function's cleanup block when it has one."""
        exit_point = self._current_exit(builder.function)
        if exit_point is None:
            builder.ret(status)
            return
        failing = not (isinstance(status, ir.Constant) and status.constant == STATUS_OK)
        if failing and exit_point.handler is not None:
            dispatch, status_slot = exit_point.handler
            builder.store(status, status_slot)
            builder.branch(dispatch)
            return
        exit_point.failed = exit_point.failed or failing
        builder.store(status, exit_point.status_slot)
        builder.branch(exit_point.block)

    def return_value(self, builder: ir.IRBuilder, value) -> None:
        """*retptr = value; return 0."""
        exit_point = self._current_exit(builder.function)
        result_slot = None if exit_point is None else exit_point.result_slot
        builder.store(value, builder.function.args[0] if result_slot is None else result_slot)
        self._return(builder, ir.Constant(status_t, STATUS_OK))

    def return_user_exc(self, builder: ir.IRBuilder, exc_class, exc_args=(), loc=None) -> None:
        """*excinfo = &payload(exc_class, exc_args); return 1."""
        module = builder.module
        data = serialize_exception(exc_class, exc_args, lambda index: record_local_payload(
            module, describe_exception(exc_class, exc_args), index),
            raise_site(loc or self.location))
        blob = cgutils.global_constant(module, "jb.excdata", cgutils.make_bytearray(data))
        mro = [ir.Constant(cgutils.int64_t, class_identity(c)) for c in exc_class.__mro__]
        payload_t = _payload_type(len(mro))
        info = ir.Constant(payload_t, [blob.bitcast(cgutils.voidptr_t),
                                       ir.Constant(cgutils.int64_t, len(data)),
                                       ir.Constant(cgutils.int64_t, len(mro)),
                                       ir.Constant(payload_t.elements[3], mro)])
        info_gv = cgutils.global_constant(module, "jb.excinfo", info)
        builder.store(info_gv.bitcast(excinfo_t.as_pointer()), builder.function.args[1])
        self._return(builder, ir.Constant(status_t, STATUS_USER_EXC))

    def return_python_error(self, builder: ir.IRBuilder) -> None:
        """A Python exception is set: return -1."""
        self._return(builder, ir.Constant(status_t, STATUS_PYERR))

    def return_status_propagate(self, builder: ir.IRBuilder, status) -> None:
        self._return(builder, status)

    def call_function(self, builder: ir.IRBuilder, callee: ir.Function, args,
                      excinfo=None):
        """Call a compiled function: returns (status, result value)."""
        fnty = callee.function_type if isinstance(callee, ir.Function) else callee.type.pointee
        retty = fnty.args[0].pointee
        retptr = cgutils.alloca_once(builder, retty, name="ret")
        excinfo = excinfo if excinfo is not None else builder.function.args[1]
        status = builder.call(callee, [retptr, excinfo, *args])
        return status, builder.load(retptr)

    def is_error(self, builder: ir.IRBuilder, status):
        return builder.icmp_signed("!=", status, ir.Constant(status_t, STATUS_OK))
