"""Lowering a generator function: a constructor, a resumable `next` function, a destructor.

A generator's state is the data of one MemInfo: a header (the resume index: 0 not started,
k after the k-th yield, -1 finished; the exception thrown in), the arguments it was called
with (owned), and a slot for each variable a later call of `next` needs (live after a yield,
owning references, or an iterator's position). The body is lowered as any function's, except
for those slots:

- the constructor (the specialisation's own symbol, what callers and the Python wrapper call)
  allocates a zeroed state, stores the arguments (new references) and returns the MemInfo;
- `next(state)` switches on the resume index: to the first block, to the point after the
  k-th yield, or (finished) straight out with no item. A yield stores a new reference to its
  value in the return slot, records its index and returns without running the exit block;
  a return or an exception runs the exit block (which releases every variable, as in any
  function) and marks the state finished. Whether an item came is `resume index != -1`;
- the destructor (the last reference to an unfinished generator dropped) releases what the
  exit block would have, and the arguments.

Variables that may be read unassigned keep their flag in the state too, and so do the try
regions' slots (a yield may sit in a try body or an except clause: the exception an except
clause may re-raise outlives it). Only the status keeps a stack slot.

An exception thrown in (Python's `generator.throw()`, lib/generators.py) is a pointer the
resumed yield finds in the state and raises there; a value sent in (`generator.send()`) is a
pointer beside it, which a yield whose value is read converts to its type (None when NULL). A generator freed while suspended at a
yield whose closing runs code (an enclosing finally clause, or an except clause catching
GeneratorExit) is closed by its destructor first, as CPython does: GeneratorExit thrown in.
"""
from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from .. import types
from ..codegen import abi_size, get_codegen
from ..core import cgutils
from ..core.callconv import STATUS_OK, STATUS_USER_EXC, excinfo_t
from ..core.pythonapi import PythonAPI
from ..ir import nodes as n
from ..ir.markers import yield_value
from ..passes.liveness import liveness
from ..passes.typed_ir import DecRef
from ..runtime import nrt
from ..runtime.boxing import BoxContext
from ..runtime.helpers import declare_runtime
from ..typing.raising import caught_classes
from . import guards, trycatch
from .lower import SPECIAL_LOWERINGS, Lower, _holds_nothing
from .wrappers import build_python_wrapper

i8p, i64, i32 = cgutils.voidptr_t, cgutils.int64_t, ir.IntType(32)
FINISHED = -1
#: byte offset in the state of the exception object thrown in (`generator.throw()`, a close):
#: NULL, or a borrowed pointer the resumed yield raises (its thrower keeps it alive)
THROWN_OFFSET = 8
#: byte offset of the object sent in (`generator.send()`): NULL (None), or a borrowed pointer
SENT_OFFSET = 16
_YIELD = types.Function(yield_value)


@dataclass(frozen=True)
class GeneratorSymbols:
    """What a compiled generator's library defines for its users."""
    next: str  # next(state) for compiled code
    python_next: str  # next(generator) for Python (a CPython-convention wrapper)
    library: object
    #: resume index -> the type S of the values its yield takes from send() (Optional(S)'s)
    sent_types: dict


#: Generator type -> its GeneratorSymbols
NATIVE: dict = {}


def next_symbol(name: str) -> str:
    return f"{name}.next"


class GeneratorLower(Lower):
    """Lowers a generator function's body as its `next` function (then the constructor and
    destructor beside it)."""

    def __init__(self, context, tir, module, name):
        super().__init__(context, tir, module, name)
        self.gen_type = self.typed.return_type
        self.layout: dict = {}  # slot name -> (byte offset, LLVM type)
        self.size = SENT_OFFSET + 8  # the resume index, the exception thrown in, the value sent
        self.sent_types: dict = {}
        self.closing_yields: list = []  # yields a close runs code at (a finally clause ...)
        self.chunk_candidates = {}  # (strip-mining copies loop bodies: a yield must be one)
        self.yields = 0

    # -- the state ---------------------------------------------------------------------------
    def field(self, name: str, llty) -> None:
        align = llty.get_abi_alignment(get_codegen().target_machine.target_data)
        offset = -(-self.size // align) * align
        self.layout[name] = (offset, llty)
        self.size = offset + abi_size(llty)

    def slot_at(self, builder, state, name: str):
        offset, llty = self.layout[name]
        raw = builder.gep(state, [ir.Constant(i64, offset)], inbounds=True)
        return builder.bitcast(raw, llty.as_pointer(), name=name.replace("$", "t"))

    def resume_slot(self, builder, state):
        return builder.bitcast(state, i64.as_pointer())

    # -- the next function ---------------------------------------------------------------------
    def lower(self) -> ir.Function:
        """Emit next, the destructor, the constructor (returned) and Python's next."""
        ctx = self.context
        next_function = self._emit_next()
        constructor = self._emit_constructor(self._emit_destructor(next_function))
        advance = build_python_wrapper(ctx, self.module, self._emit_advance(next_function),
                                       (self.gen_type,), self.gen_type.yield_type)
        for func in (next_function, advance):  # (callers iterating it link this library)
            ctx.library.export(func.name)
        ctx.embed_process_local("generator", f"the compiled generator {self.fir.qualname}()")
        NATIVE[self.gen_type] = GeneratorSymbols(next_function.name, advance.name, ctx.library,
                                                 self.sent_types)
        return constructor

    def _emit_next(self) -> ir.Function:
        yield_ty = self.context.get_value_type(self.gen_type.yield_type)
        fnty = self.call_conv.get_function_type(yield_ty, [i8p])
        self.function = ir.Function(self.module, fnty, next_symbol(self.name))
        self.state = self.call_conv.get_arguments(self.function)[0]
        self.builder = _StateBuilder(self.function.append_basic_block("entry"), self)
        self._alloc_variables()
        status = super().new_slot(i32, "status", zero=False)
        exit_block = self.function.append_basic_block("exit")
        self.call_conv.set_exit(self.function, exit_block, status)
        self._emit_entry_guards()
        self.lower_blocks()
        self.builder.position_at_end(exit_block)
        self._emit_exit_ops()
        self.builder.store(ir.Constant(i64, FINISHED), self.resume_slot(self.builder, self.state))
        self.builder.ret(self.builder.load(status))
        _scratch_back_to_stack(self.function, self.builder.moved)
        return self.function

    def _alloc_variables(self):
        """Arguments, then a state slot (zeroed with the state) for each variable a yield may
        need kept: one live after a yield, one owning references (the exit block and the
        destructor release it), one that may be read unassigned. The others stay on the
        stack, where LLVM keeps them in registers."""
        for index, ty in enumerate(self.typed.argtypes):
            self.field(f"arg{index}", self.context.get_value_type(ty))
        kept = live_across_yields(self.tir) | set(self.maybe_unbound) | {
            op.node.var for op in self.tir.exit if isinstance(op.node, DecRef)}
        for name, ty in self.tir.typemap.items():
            if _holds_nothing(name, ty) and name not in self.maybe_unbound:
                continue
            llty = self.context.get_value_type(ty)
            if name in kept:
                self.field(name, llty)
                self.slots[name] = self.slot_at(self.builder, self.state, name)
            else:
                self.slots[name] = ir.IRBuilder.alloca(self.builder, llty,
                                                       name=name.replace("$", "t"))
        self.regions = trycatch.alloc_regions(self)
        self.region_keys = {label: [self.builder.keys[slot] for slot in
                                    (region.status, region.info, *region.error)]
                            for label, region in self.regions.items()}
        for region in self.regions.values():  # (read after a yield: never scratch space)
            self.builder.moved.difference_update((region.status, region.info, *region.error))

    def prepare_guards(self):
        super().prepare_guards()
        for name in self.assigned_flags:  # (a yield may sit between assignment and read)
            self.field(f"{name}.assigned", ir.IntType(1))
            self.assigned_flags[name] = self.slot_at(self.builder, self.state, f"{name}.assigned")

    def argument_values(self) -> list:
        return [self.builder.load(self.slot_at(self.builder, self.state, f"arg{i}"))
                for i in range(len(self.typed.argtypes))]

    def enter_body(self):
        """Resume where the last call left: the switch gains a case per yield."""
        finished = self.function.append_basic_block("finished")
        resume = self.builder.load(self.resume_slot(self.builder, self.state))
        self.switch = self.builder.switch(resume, self.blocks[self.fir.entry])
        self.switch.add_case(ir.Constant(i64, FINISHED), finished)
        self.builder.position_at_end(finished)
        self._return_no_item(self.builder)

    def _return_no_item(self, builder):
        ret_ty = self.function.args[0].type.pointee
        builder.store(ir.Constant(ret_ty, None), self.function.args[0])
        builder.ret(ir.Constant(i32, 0))

    def _lower_op(self, op):
        """Yields and returns are this lowering's own (the others are any function's)."""
        node = op.node
        if isinstance(node, n.Return):
            self.op = op
            self._lower_end()
        elif _is_yield(self.tir, node):
            self.op = op
            guards.emit_bound_checks(self, op)
            self._lower_yield(node.value.args[0])
            if _runs_code_when_closed(self.tir, self.current_label):
                self.closing_yields.append(self.yields)
            if len(node.value.args) == 2:  # (its value is read)
                self._lower_sent(node.target)
        else:
            super()._lower_op(op)

    def _lower_yield(self, var: str):
        """Hand a new reference to the value out and return; resume right after."""
        builder, yield_type = self.builder, self.gen_type.yield_type
        value = self.load_as(var, yield_type)
        self.context.incref(builder, yield_type, value)
        builder.store(value, self.function.args[0])
        self.yields += 1
        builder.store(ir.Constant(i64, self.yields), self.resume_slot(builder, self.state))
        builder.ret(ir.Constant(i32, 0))
        resumed = self.function.append_basic_block(f"resume{self.yields}")
        self.switch.add_case(ir.Constant(i64, self.yields), resumed)
        builder.position_at_end(resumed)
        self._raise_thrown(builder)

    def _raise_thrown(self, builder):
        """Resumed with an exception thrown in: raise it here, at the yield."""
        slot = _thrown_slot(builder, self.state)
        thrown = builder.load(slot)
        with builder.if_then(cgutils.is_not_null(builder, thrown), likely=False):
            builder.store(ir.Constant(i8p, None), slot)
            api = PythonAPI(self.context, builder)
            state = api.gil_ensure()
            api.err_set_object(api.get_type(thrown), thrown)
            api.gil_release(state)
            self.call_conv.return_python_error(builder)

    def _lower_sent(self, target: str):
        """The yield's value: the object sent in (None if none) converted to its type."""
        builder, ty = self.builder, self.exprtype()
        self.sent_types[self.yields] = ty.type
        slot = _state_pointer(builder, self.state, SENT_OFFSET)
        sent = builder.load(slot)
        builder.store(ir.Constant(i8p, None), slot)
        api = PythonAPI(self.context, builder)
        gil = api.gil_ensure()
        obj = builder.select(cgutils.is_null(builder, sent), api.borrow_none(), sent)
        native = BoxContext(self.context, builder, owned=True).unbox(ty, obj)
        api.gil_release(gil)
        with builder.if_then(native.is_error, likely=False):
            self.call_conv.return_python_error(builder)
        value = self.context.cast(builder, native.value, ty, self.typeof(target))
        guards.emit_assigned(self, target)
        if target in self.slots:
            builder.store(value, self.slots[target])
        elif target in self.forwarded:
            self.values[target] = value

    def _lower_end(self):
        """The end: no item (the exit block releases the variables and marks it finished)."""
        null = self.context.get_constant_null(self.gen_type.yield_type)
        self.call_conv.return_value(self.builder, null)

    def _emit_advance(self, next_function) -> ir.Function:
        """next(generator) for Python: the item, or StopIteration."""
        ctx, yield_type = self.context, self.gen_type.yield_type
        fnty = self.call_conv.get_function_type(ctx.get_value_type(yield_type), [i8p])
        func = ir.Function(self.module, fnty, f"{self.name}.advance")
        builder = ir.IRBuilder(func.append_basic_block("entry"))
        state = nrt.meminfo_data(builder, self.call_conv.get_arguments(func)[0])
        status, item = self.call_conv.call_function(builder, next_function, [state],
                                                    excinfo=func.args[1])
        self._reflect_arguments(builder, state)
        with builder.if_then(self.call_conv.is_error(builder, status), likely=False):
            builder.ret(status)
        finished = builder.icmp_signed("==", builder.load(self.resume_slot(builder, state)),
                                       ir.Constant(i64, FINISHED))
        with builder.if_then(finished, likely=False):
            self.call_conv.return_user_exc(builder, StopIteration)
        builder.store(item, func.args[0])
        builder.ret(ir.Constant(i32, 0))
        return func

    # -- Python list and set arguments ---------------------------------------------------------
    def _reflected_arguments(self, builder, state) -> list:
        """(type, value, its parent) of each reflected list or set argument: the Python object
        it came from (NULL if none), which the generator outlives the call with."""
        return [(ty, value, builder.extract_value(value, 1)) for ty, value in
                ((ty, builder.load(self.slot_at(builder, state, f"arg{i}")))
                 for i, ty in enumerate(self.typed.argtypes) if getattr(ty, "reflected", False))]

    def _hold_parents(self, builder, state, incref_or_decref) -> None:
        """A reference to each argument's parent, from the constructor to the destructor, so
        that it is still there to be written back into and to be yielded (never freed under
        the generator)."""
        parents = [parent for _, _, parent in self._reflected_arguments(builder, state)]
        if parents:
            api = PythonAPI(self.context, builder)
            gil = api.gil_ensure()
            for parent in parents:  # (Py_IncRef and Py_DecRef ignore NULL)
                incref_or_decref(api, parent)
            api.gil_release(gil)

    def _reflect_arguments(self, builder, state) -> None:
        """After each step run from Python, write what the step changed in a list or set
        argument back into its Python object (boxing one with a parent does, as the
        dispatcher's wrapper does after a call), as CPython's generator changing it would."""
        for ty, value, parent in self._reflected_arguments(builder, state):
            with builder.if_then(cgutils.is_not_null(builder, parent)):
                self.context.incref(builder, ty, value)  # (boxing consumes it)
                api = PythonAPI(self.context, builder)
                api.decref(BoxContext(self.context, builder).box(ty, value))

    # -- the destructor and the constructor ----------------------------------------------------
    def _emit_destructor(self, next_function) -> ir.Function:
        """void dtor(state, size, block): close an unfinished generator suspended where that
        runs code, release its variables (what its exit block releases) and its arguments,
        then free the block."""
        func = ir.Function(self.module, nrt.dtor_t, f"{self.name}.dtor")
        func.linkage = "internal"
        self.function, self.builder = func, ir.IRBuilder(func.append_basic_block("entry"))
        state = func.args[0]
        self.slots = {name: self.slot_at(self.builder, state, name) for name in self.slots
                      if name in self.layout}
        if self.closing_yields:
            self._emit_close(state, next_function)
        running = self.builder.icmp_signed("!=", self.builder.load(
            self.resume_slot(self.builder, state)), ir.Constant(i64, FINISHED))
        with self.builder.if_then(running):
            for op in self.tir.exit:
                if isinstance(op.node, DecRef):
                    self.lower_decref(op.node)
            self.regions = {label: _region_at(self.builder, self, state, keys)
                            for label, keys in self.region_keys.items()}
            trycatch.release_all(self)  # (an except clause's exception kept across a yield)
        self._hold_parents(self.builder, state, PythonAPI.decref)
        for index, ty in enumerate(self.typed.argtypes):
            arg = self.builder.load(self.slot_at(self.builder, state, f"arg{index}"))
            self.context.decref(self.builder, ty, arg)
        self.builder.call(nrt.declare_free(self.module), [func.args[2]])
        self.builder.ret_void()
        return func

    def _emit_close(self, state, next_function) -> None:
        """What CPython does to a generator it frees: throw GeneratorExit in at the yield
        (running its finally clauses); an exception other than GeneratorExit, or a yield
        instead, is reported as unraisable."""
        builder, resume_slot = self.builder, self.resume_slot(self.builder, state)
        resume = builder.load(resume_slot)
        closing = cgutils.false_bit
        for index in self.closing_yields:
            closing = builder.or_(closing, builder.icmp_signed("==", resume,
                                                               ir.Constant(i64, index)))
        with builder.if_then(closing, likely=False):
            api = PythonAPI(self.context, builder)
            gil = api.gil_ensure()
            exit_class = api.constant_object(GeneratorExit, "exception")  # (no error set yet)
            exit_exc = api.call_function_objargs(exit_class, [])
            builder.store(exit_exc, _thrown_slot(builder, state))
            excinfo = cgutils.alloca_once(builder, excinfo_t.as_pointer())
            status, item = self.call_conv.call_function(builder, next_function, [state],
                                                        excinfo=excinfo)
            builder.store(ir.Constant(i8p, None), _thrown_slot(builder, state))
            api.decref(exit_exc)
            self._report_close(api, status, item, builder.load(resume_slot), excinfo,
                               exit_class)
            api.gil_release(gil)

    def _report_close(self, api, status, item, resume, excinfo, exit_class) -> None:
        builder = self.builder
        with builder.if_else(builder.icmp_signed("==", status, ir.Constant(i32, STATUS_OK))) \
                as (done, failed):
            with done:
                with builder.if_then(builder.icmp_signed("!=", resume,
                                                         ir.Constant(i64, FINISHED))):
                    self.context.decref(builder, self.gen_type.yield_type, item)
                    api.err_set_string("PyExc_RuntimeError", "generator ignored GeneratorExit")
                    api.err_write_unraisable(api.get_null_object())
            with failed:
                user_exc = builder.icmp_signed("==", status, ir.Constant(i32, STATUS_USER_EXC))
                with builder.if_then(user_exc):
                    builder.call(declare_runtime(builder.module, "jb_raise_excinfo"),
                                 [builder.load(excinfo)])
                exception_matches = cgutils.declare_c_function(
                    builder.module, "PyErr_ExceptionMatches", i32, [i8p])
                matches = builder.call(exception_matches, [exit_class])
                with builder.if_else(builder.icmp_signed("!=", matches, matches.type(0))) \
                        as (expected, other):
                    with expected:
                        api.err_clear()
                    with other:
                        api.err_write_unraisable(api.get_null_object())

    def _emit_constructor(self, destructor) -> ir.Function:
        """The generator function itself: a zeroed state holding the arguments."""
        ctx = self.context
        fnty = self.call_conv.get_function_type(
            ctx.get_value_type(self.gen_type), [ctx.get_value_type(t) for t in self.typed.argtypes])
        func = ir.Function(self.module, fnty, self.name)
        builder = ir.IRBuilder(func.append_basic_block("entry"))
        meminfo = nrt.allocate(builder, ir.Constant(i64, self.size))
        state = nrt.meminfo_data(builder, meminfo)
        builder.call(_memset(self.module), [state, ir.Constant(ir.IntType(8), 0),
                                            ir.Constant(i64, self.size), cgutils.false_bit])
        for index, (ty, arg) in enumerate(zip(self.typed.argtypes,
                                              self.call_conv.get_arguments(func))):
            ctx.incref(builder, ty, arg)
            builder.store(arg, self.slot_at(builder, state, f"arg{index}"))
        self._hold_parents(builder, state, PythonAPI.incref)
        nrt.install_destructor(builder, meminfo, destructor)
        builder.store(meminfo, func.args[0])
        builder.ret(ir.Constant(i32, 0))
        return func


def _region_at(builder, lowering, state, keys) -> trycatch.Region:
    """A try region's slots in the state at `state` (keys: status, info, error...)."""
    status, info, *error = (lowering.slot_at(builder, state, key) for key in keys)
    return trycatch.Region(status, info, tuple(error))


def _runs_code_when_closed(tir, label: int) -> bool:
    """Whether closing the generator at a yield in block `label` runs code: an enclosing try
    region has a finally clause or an except clause catching GeneratorExit (CPython throws
    GeneratorExit in at the yield)."""
    catches = {}
    for block in tir.blocks.values():
        for op in block.body:
            value = getattr(op.node, "value", None)
            if isinstance(value, n.Catch):
                catches.setdefault(value.region, []).append(value)
    region = tir.blocks[label].handler
    while region is not None:
        for catch in catches.get(region, ()):
            classes = None if catch.classes is None else \
                caught_classes(tir.typemap[catch.classes])
            if classes is None or any(issubclass(GeneratorExit, c) for c in classes):
                return True
        region = tir.blocks[region].handler
    return False


def _thrown_slot(builder, state):
    return _state_pointer(builder, state, THROWN_OFFSET)


def _state_pointer(builder, state, offset: int):
    raw = builder.gep(state, [ir.Constant(i64, offset)], inbounds=True)
    return builder.bitcast(raw, i8p.as_pointer())


def live_across_yields(tir) -> set:
    """The variables live right after some yield (read again once the generator resumes)."""
    live, kept = liveness(tir), set()
    for label, block in tir.blocks.items():
        if label not in live.live_out:
            continue  # (unreachable)
        for op, after in zip(block.body, live.live_after(tir, label)):
            if _is_yield(tir, op.node):
                kept |= after
    return kept


def _is_yield(tir, node) -> bool:
    return isinstance(node, n.Assign) and isinstance(node.value, n.Call) \
        and tir.typemap[node.value.func] == _YIELD


def _scratch_back_to_stack(function, moved) -> None:
    """A slot moved into the state whose address is never kept (only loaded from and stored
    to, directly or through GEPs and bitcasts: a call's result slot, a helper struct) is
    scratch space of one op, which no yield interrupts: it goes back to the stack, where
    LLVM keeps it in registers."""
    uses: dict = {}
    for block in function.blocks:
        for instr in block.instructions:
            for position, operand in enumerate(instr.operands):
                uses.setdefault(id(operand), []).append((instr, position))
    builder = ir.IRBuilder(function.entry_basic_block)
    builder.position_at_start(function.entry_basic_block)
    for slot in moved:
        if _only_addressed(slot, uses):
            stack = builder.alloca(slot.type.pointee)
            for instr, _ in uses.get(id(slot), ()):
                instr.replace_usage(slot, stack)
                if isinstance(instr, ir.GEPInstr) and instr.pointer is slot:
                    instr.pointer = stack


def _only_addressed(pointer, uses: dict) -> bool:
    """Whether `pointer` (and every pointer derived from it) is only loaded from and stored to."""
    for instr, position in uses.get(id(pointer), ()):
        derived = isinstance(instr, ir.GEPInstr) or \
            isinstance(instr, ir.CastInstr) and instr.opname == "bitcast"
        if derived and position == 0:
            if not _only_addressed(instr, uses):
                return False
        elif not (isinstance(instr, ir.LoadInstr) and position == 0
                  or isinstance(instr, ir.StoreInstr) and position == 1):
            return False
    return True


class _StateBuilder(ir.IRBuilder):
    """The `next` function's builder: the slots code asks for (an iterator's position ...)
    may be read after a yield, so they live in the state. Zeroing such a slot in the entry
    block (which runs at each resume) is left out: alloca_once zeroes it again where it is
    made. Only the status and the try regions' slots, which no yield outlives, stay on the
    stack."""

    def __init__(self, block, lowering: GeneratorLower):
        super().__init__(block)
        self.lowering, self.moved, self.keys = lowering, set(), {}

    def alloca(self, typ, size=None, name=""):
        if size is not None or name == "status":
            return super().alloca(typ, size, name)
        key = f"alloca.{len(self.lowering.layout)}"
        self.lowering.field(key, typ)
        slot = self.lowering.slot_at(self, self.lowering.state, key)
        self.moved.add(slot)
        self.keys[slot] = key
        return slot

    def store(self, value, ptr, align=None):
        if ptr in self.moved and self.block is self.function.entry_basic_block \
                and isinstance(value, ir.Constant) and value.constant is None:
            return None
        return super().store(value, ptr, align)


def _memset(module: ir.Module) -> ir.Function:
    fnty = ir.FunctionType(ir.VoidType(), [i8p, ir.IntType(8), i64, ir.IntType(1)])
    return cgutils.get_or_insert_function(module, fnty, "llvm.memset.p0i8.i64")


SPECIAL_LOWERINGS["generator"] = GeneratorLower
