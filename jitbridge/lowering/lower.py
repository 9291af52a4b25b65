"""Lowering: a TypedFunction -> an LLVM function in the status-code calling convention.

Each IR variable lives in an entry-block alloca (LLVM's mem2reg turns them into SSA values),
except the variables assigned once and read only further down their block (temporaries and
most webs of named variables: passes/temporaries.py): the value computed for one is used
directly.
Statements and expressions dispatch through dicts to `lower_<op>` methods; operations on
values go through the lowering registry, so builtins and extensions are lowered alike.

The function is lowered from its typed IR (`passes`), where reference counting is explicit:
the IncRef/DecRef ops the refcount pass placed (passes/refcount.py states the rules) are all
the lowering emits, plus the ops of the exit block every return and raise (the function's own
or an implementation's) branches to.

Run-time guards (guards.py, from the facts in flow.py): UnboundLocalError on reads that may find
their variable unassigned, RecursionError on stack exhaustion, KeyboardInterrupt in loops.
Failures inside a try region go to its dispatch block instead of the exit (trycatch.py).
"""
from __future__ import annotations

import collections
import functools
import operator
import os
from dataclasses import dataclass

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.base import COMPILE_HOOK, BaseContext
from ..errors import CompilerError, LoweringError, UnsupportedError
from ..ir import nodes as n
from ..passes import prepare
from ..passes.temporaries import forwardable
from ..passes.typed_ir import DecRef, IncRef, TypedIR
from ..typing.infer import TypedFunction
from . import chunks, guards, trycatch
from .counting import counting_variables
from .fusion import fuse_array_expressions
from .flow import interrupt_plan
from .lineinfo import LineTable


class Lower:
    """Emits one compiled function into `module`."""

    def __init__(self, context: BaseContext, tir: TypedIR, module: ir.Module, name: str):
        self.context, self.tir, self.module, self.name = context, tir, module, name
        self.typed, self.fir = tir.typed, tir.typed.fir  # (its name, location, block structure)
        self.call_conv = context.call_conv
        self.slots: dict = {}
        #: variables kept as the value computed for them (passes/temporaries.py), no slot
        self.values: dict = {}
        self.forwarded: frozenset = frozenset()
        self.blocks: dict = {}
        assignments = [(op.node.target, op.node.value) for _, op in tir.ops()
                       if isinstance(op.node, n.Assign)]
        self.defs = dict(assignments)
        counts = collections.Counter(target for target, _ in assignments)
        self.reassigned = frozenset(name for name, count in counts.items() if count > 1)
        self.counting = counting_variables(assignments)
        self.unbound_uses = tir.unbound_uses
        #: the variables some read may find unassigned (each gets a flag and a zeroed slot)
        self.maybe_unbound = dict.fromkeys(v for names in tir.unbound_uses.values() for v in names)
        self.polled_headers, self.chunk_candidates = interrupt_plan(self.fir)

    # -- driver --------------------------------------------------------------------------------
    def lower(self) -> ir.Function:
        """Emit the function and return it."""
        ctx = self.context
        fnty = self.call_conv.get_function_type(
            ctx.get_value_type(self.typed.return_type),
            [ctx.get_value_type(t) for t in self.typed.argtypes])
        self.function = ir.Function(self.module, fnty, self.name)
        self.builder = ir.IRBuilder(self.function.append_basic_block("entry"))
        self._start_line_table()
        self._alloc_variables()
        status = self.new_slot(ir.IntType(32), "status", zero=False)
        exit_block = self.function.append_basic_block("exit")
        self.call_conv.set_exit(self.function, exit_block, status)
        self._emit_entry_guards()
        self.lower_blocks()
        self.builder.position_at_end(exit_block)
        self._locate(None)  # (the releases every exit passes through: the def line's cost)
        self._emit_exit_ops()
        self.builder.ret(self.builder.load(status))
        return self.function

    def _start_line_table(self):
        """Source lines on the instructions, when the context asks for them (annotate)."""
        if self.context.line_info:
            self.lines = LineTable(self.function, self.fir.loc.filename, self.fir.loc.line)
            self.builder.debug_metadata = self.lines.default

    def _locate(self, loc, keep: bool = False):
        """Put the next instructions on `loc`'s line (None: the def line; `keep`: a position
        without a line of this function's own keeps the current one)."""
        if self.lines is not None:
            location = self.lines.at(loc)
            if location is not None or not keep:
                self.builder.debug_metadata = location or self.lines.default

    #: whether exceptions raised by this function's code get a traceback entry at the raising
    #: line: user code does; jitbridge's own library code raises from the user's line that
    #: called it when lowered in place, else without an entry
    @functools.cached_property  # (read for every op)
    def shows_raise_sites(self) -> bool:
        return not self.fir.loc.filename.startswith(_PACKAGE_DIR)

    #: the function's LineTable when the context asks for line information (never for code
    #: lowered in place into a caller: it keeps the caller's line)
    lines = None

    def lower_blocks(self):
        """Emit the blocks (entered from the current position) and the strip-mined loops."""
        caller_location = self.call_conv.location  # (a callee lowered in place sets its own)
        for label in self.fir.blocks:
            self.blocks[label] = self.function.append_basic_block(f"{self.block_prefix}B{label}")
        self.chunked = chunks.plan_chunked_loops(self, self.chunk_candidates)
        self.enter_body()
        for label, block in self.tir.blocks.items():
            self.current_label = label
            self.builder.position_at_end(self.blocks[label])
            self._locate(_first_loc(block))
            self.call_conv.set_handler(self.function, trycatch.handler_of(self, label))
            if label in self.regions:
                trycatch.capture(self, label)
            if label in self.polled_headers:
                guards.emit_interrupt_poll(self)
            if label in self.chunked and self.chunked[label].facts_each_iteration:
                chunks.emit_facts(self, self.chunked[label])
            for op in block.body:
                self._lower_op(op)
        for header, chunked in self.chunked.items():  # (its polls raise in the loop's region)
            self.call_conv.set_handler(self.function, trycatch.handler_of(self, header))
            self._locate(_first_loc(self.tir.blocks[header]))
            chunks.emit_chunk_blocks(self, chunked)
        self.call_conv.set_handler(self.function, None)
        self.call_conv.location = caller_location

    def enter_body(self):
        """Leave the entry block for the function's first block (a generator resumes)."""
        self.builder.branch(self.blocks[self.fir.entry])

    #: prefix of the LLVM block names (a callee lowered in place names its blocks after it)
    block_prefix = ""

    def _emit_exit_ops(self):
        """The exit block's ops: the releases every return and raise passes through."""
        for op in self.tir.exit:
            self._lower_op(op)
        trycatch.release_all(self)

    def _alloc_variables(self):
        """One slot per variable. Only those the exit block releases, or that a guard may find
        unassigned, start zeroed: every other read follows an assignment, and fewer stores
        are less IR to build and optimise."""
        self.forwarded = forwardable(self.tir).difference(self.maybe_unbound)
        for name, ty in self.tir.typemap.items():
            if _holds_nothing(name, ty) and name not in self.maybe_unbound:
                continue  # read as a constant (`load`); no slot to build and optimise
            if name in self.forwarded:
                continue
            zero = name in self.maybe_unbound or self.context.contains_nrt(ty)
            self.slots[name] = self.new_slot(self.context.get_value_type(ty),
                                             name.replace("$", "t"), zero)
        self.regions = trycatch.alloc_regions(self)

    def new_slot(self, llty, name: str, zero: bool):
        """An entry-block slot (the builder is at the entry block), zeroed if asked."""
        slot = self.builder.alloca(llty, name=name)
        if zero:
            self.builder.store(cgutils.get_null_value(llty), slot)
        return slot

    def _emit_entry_guards(self):
        self.prepare_guards()
        if guards.may_recurse(self.tir):
            guards.emit_stack_guard(self)

    def prepare_guards(self):
        """The flags of variables a read may find unassigned; the interrupt flag, if polled."""
        self.assigned_flags = guards.alloc_assigned_flags(self, self.maybe_unbound)
        guards.prepare_interrupts(self.polled_headers or self.chunk_candidates)

    def _lower_op(self, op):
        self.op = op  # the side tables of the expression being lowered are keyed by its id
        if self.lines is not None:
            self._locate(op.loc, keep=True)
        if self.shows_raise_sites:
            self.call_conv.location = op.loc
        try:
            guards.emit_bound_checks(self, op)
            _STMTS[type(op.node)](self, op.node)
        except CompilerError as exc:
            raise exc.with_loc(op.loc) from exc.__cause__
        except Exception as exc:  # a broken extension or a compiler bug: keep the location
            raise LoweringError(f"{type(exc).__name__}: {exc}", op.loc) from exc

    # -- variables -----------------------------------------------------------------------------
    def typeof(self, name: str):
        return self.tir.typemap[name]

    def exprtype(self):
        """The type of the expression being lowered."""
        return self.tir.exprtypes[self.op.sid]

    def calltype(self) -> types.Signature:
        """The signature of the operation being lowered."""
        return self.tir.calltypes[self.op.sid]

    def load(self, name: str):
        slot = self.slots.get(name)
        if slot is not None:
            return self.builder.load(slot)
        if name in self.forwarded:
            return self.values[name]
        return self.context.get_constant_null(self.typeof(name))  # (_holds_nothing)

    def load_as(self, name: str, ty):
        """Load variable `name` converted to type `ty`."""
        value, fromty = self.load(name), self.typeof(name)
        if isinstance(self.defs.get(name), n.Const) and _same_constant(value, fromty, ty):
            return value  # (`x + 1`: every literal operand of a function)
        return self.context.cast(self.builder, value, fromty, ty)

    # -- statements ----------------------------------------------------------------------------
    def lower_assign(self, s: n.Assign):
        value = _EXPRS[type(s.value)](self, s.value)
        value = self.context.cast(self.builder, value, self.exprtype(), self.typeof(s.target))
        guards.emit_assigned(self, s.target)
        slot = self.slots.get(s.target)
        if slot is not None:
            self.builder.store(value, slot)
        elif s.target in self.forwarded:
            self.values[s.target] = value

    def lower_incref(self, s: IncRef):
        self.context.incref(self.builder, self.typeof(s.var), self.load(s.var))

    def lower_decref(self, s: DecRef):
        ty = self.typeof(s.var)
        self.context.decref(self.builder, ty, self.load(s.var))
        if s.clear:
            self.builder.store(ir.Constant(self.context.get_value_type(ty), None),
                               self.slots[s.var])

    def lower_setitem(self, s: n.SetItem):
        sig = self.calltype()
        args = [self.load_as(v, t) for v, t in zip((s.target, s.index, s.value), sig.args)]
        self.context.get_function(_function_type(operator.setitem), sig)(self.builder, args)

    def lower_setattr(self, s: n.SetAttr):
        sig = self.calltype()
        impl = self.context.get_setattr(sig.args[0], s.attr)
        if impl is None:
            raise LoweringError(f"no lowering for setting {s.attr!r} on {sig.args[0]}")
        value = self.load_as(s.value, sig.args[1])
        impl(self.context, self.builder, sig, (self.load(s.target), value), s.attr)

    def lower_jump(self, s: n.Jump):
        self.builder.branch(self.target_block(s.target))

    def lower_branch(self, s: n.Branch):
        cond = self.load_as(s.cond, types.boolean)
        self.builder.cbranch(cond, self.target_block(s.truebr), self.target_block(s.falsebr))

    def target_block(self, label: int):
        """Where a jump to `label` goes: a strip-mined loop is entered through its chunk block
        and continued through its latch."""
        chunked = self.chunked.get(label)
        if chunked is None:
            return self.blocks[label]
        return chunked.latch if self.current_label in chunked.loop.body else chunked.entry

    def lower_return(self, s: n.Return):
        value = self.load_as(s.value, self.typed.return_type)
        self.call_conv.return_value(self.builder, value)

    def lower_reraise(self, s: n.Reraise):
        trycatch.lower_reraise(self, s)

    def lower_catch(self, e: n.Catch):
        return trycatch.lower_catch(self, e)

    def lower_raise(self, s: n.Raise):
        ty = self.typeof(s.exception)
        if self.context.registry.find_function("raise", (ty,)) is not None:  # runtime values
            sig = types.signature(types.none, ty)
            self.context.get_function("raise", sig)(self.builder, [self.load(s.exception)])
            return
        args = ty.exc_args if isinstance(ty, types.ExceptionInstance) else ()
        self.call_conv.return_user_exc(self.builder, ty.exc_class, args, s.loc)

    # -- expressions ---------------------------------------------------------------------------
    def lower_const(self, e):
        return self.context.get_constant_generic(self.builder, self.exprtype(), e.value)

    def lower_arg(self, e: n.Arg):
        omitted = self.typed.argtypes[e.index]
        if isinstance(omitted, types.Omitted):  # left to its default: the default's constant
            return self.context.get_constant_generic(self.builder, self.exprtype(), omitted.value)
        return self.argument_values()[e.index]

    def argument_values(self) -> list:
        return self.call_conv.get_arguments(self.function)

    def lower_var(self, e: n.Var):
        return self.load(e.name)

    def lower_operator(self, e):
        sig = self.calltype()
        operands = n.operands(e)
        args = [self.load_as(v, t) for v, t in zip(operands, sig.args)]
        if e.op is operator.add and sig.args == (types.int64, types.int64) and \
                all(v in self.counting for v in operands):  # (see lowering/counting.py)
            for value in args:  # true by construction: tells LLVM the sum is not negative
                self.builder.assume(self.builder.icmp_signed(">=", value, value.type(0)))
            return self.builder.add(*args, flags=["nsw"])
        return self.context.get_function(_function_type(e.op), sig)(self.builder, args)

    def lower_array_expr(self, e: n.ArrayExpr):
        """A fused array expression (lowering/fusion.py), lowered by the array library."""
        leaves = [(self.typeof(v), self.load(v)) for v in e.args]
        return COMPILE_HOOK["array_expr"](self.context, self.builder, e.tree, leaves,
                                          self.exprtype())

    def lower_call(self, e: n.Call):
        sig = self.calltype()
        fnty = self.typeof(e.func)
        names = self._spread(e.args, e.star) + [v for _, v in e.kws]
        if sig.order is not None:  # folded into parameter order; None: the default is used
            names = [_pick(names, i) for i in sig.order]
        args = [self._argument(v, t) for v, t in zip(names, sig.args)]
        if isinstance(fnty, types.BoundFunction):
            args.insert(0, self.load_as(self._receiver(e.func, e.loc), sig.recvr))
        if isinstance(fnty, types.Dispatcher):
            return self._call_dispatcher(fnty, sig, args)
        if not isinstance(fnty, (types.Function, types.BoundFunction)):
            # a callable value (exception class, function pointer...): implementations are
            # keyed by the value's type class and receive the value first
            full = types.signature(sig.return_type, fnty, *sig.args).replace(impl=sig.impl)
            return self.context.get_function(type(fnty), full)(
                self.builder, [self.load(e.func), *args])
        return self.context.get_function(fnty, sig)(self.builder, args)

    def _receiver(self, name: str, loc) -> str:
        """The object a bound method was read from (`m = x.f; m()`: through the copies). The
        method value holds no reference to it, so through a copy only a receiver without
        reference-counted parts is read again (a list may be released after its last use)."""
        node, chain = self.defs[name], [name]
        while isinstance(node, n.Var):
            chain.append(node.name)
            node = self.defs[node.name]
        receiver = node.value
        if len(chain) > 1 and (self.reassigned.intersection((*chain, receiver)) or
                               self.context.contains_nrt(self.typeof(receiver))):
            shown = "x" if receiver.startswith("$") else receiver.split(".")[0]
            raise UnsupportedError(f"the method {node.attr!r} of "
                                   f"{types.unliteral(self.typeof(receiver))} is called through "
                                   f"a variable it was stored in: call it as {shown}."
                                   f"{node.attr}(...)", loc)
        return receiver

    def _argument(self, name, ty):
        """A call's value for one parameter: a default (None), the tuple of values a `*args`
        parameter packs (a tuple of names), or a variable."""
        if name is None:
            return self.context.get_constant_null(ty)
        if isinstance(name, tuple):
            return self.context.make_tuple(self.builder, ty, [
                self._argument(v, t) for v, t in zip(name, ty.types)])
        if isinstance(name, Element):
            value = self.builder.extract_value(self.load(name.tuple), name.index)
            return self.context.cast(self.builder, value, self.typeof(name.tuple).types[name.index], ty)
        return self.load_as(name, ty)

    def _spread(self, names, star) -> list:
        """Variable names, each tuple at a `star` position replaced by its elements."""
        out = []
        for i, name in enumerate(names):
            out.extend([Element(name, k) for k in range(len(self.typeof(name)))]
                       if i in star else [name])
        return out

    def _call_dispatcher(self, fnty, sig, args):
        dispatcher = fnty.dispatcher
        name, library = dispatcher.native_callee(sig.args)
        if library is not None:  # compiled: an inline='always' body is lowered here instead
            value = COMPILE_HOOK["lower_dispatcher_in_place"](self.context, self.builder,
                                                              dispatcher, sig.args, args)
            if value is not None:
                return value
            self.context.library.add_callee(library, name)
        elif name != self.name:  # still compiling further up the stack: mutual recursion
            return self.context.call_through_slot(
                self.builder, dispatcher.pending_slot(sig.args), sig.as_function(), args,
                f"{dispatcher.__qualname__}{sig.args} failed to compile")
        return self.context.call_internal(self.builder, name, sig.as_function(), args)

    def lower_getattr(self, e: n.GetAttr):
        ty = self.typeof(e.value)
        result_ty = self.exprtype()
        if isinstance(result_ty, types.BoundFunction):  # the call reads the receiver itself
            return self.context.get_constant_null(result_ty)
        impl = self.context.get_getattr(ty, e.attr)
        value = self.load(e.value)
        if impl is None and isinstance(ty, types.Optional):  # the value's attribute, checked
            value, ty = self.context.cast(self.builder, value, ty, ty.type), ty.type
            impl = self.context.get_getattr(ty, e.attr)
        if impl is None:
            raise LoweringError(f"no lowering for attribute {e.attr!r} of {ty}")
        return impl(self.context, self.builder, ty, value, e.attr)

    def lower_build_tuple(self, e: n.BuildTuple):
        ty = self.exprtype()
        values = [self._argument(v, t) for v, t in zip(self._spread(e.items, e.star), ty.types)]
        return self.context.make_tuple(self.builder, ty, values)  # borrowed: the pass increfs

    def lower_build_list(self, e: n.BuildList):
        ty = self.exprtype()
        item_types = ty.types if isinstance(ty, types.LiteralList) else [ty.dtype] * len(e.items)
        values = [self.load_as(v, t) for v, t in zip(e.items, item_types)]
        sig = types.signature(ty, *item_types)
        return self.context.get_function("build_list", sig)(self.builder, values)

    def lower_getiter(self, e: n.GetIter):
        sig = self.calltype()
        return self.context.get_function(_function_type(iter), sig)(
            self.builder, [self.load(e.value)])

    def lower_iternext(self, e: n.IterNext):
        ty = self.typeof(e.iterator)
        sig = types.signature(self.exprtype(), ty)
        key = "iternext_unchecked" if self.current_label in self.chunked else "iternext"
        return self.context.get_function(key, sig)(self.builder, [self.load(e.iterator)])


def _holds_nothing(name: str, ty) -> bool:
    """A compiler temporary of a type whose calls are resolved by the type alone (its native
    value is a constant no code reads): `$1 = global(np.sum)` before `$2 = call $1(a)`.
    (Temporaries only: a closure may take a named variable's address.)"""
    return name.startswith("$") and isinstance(ty, _STATELESS)


#: types whose values carry nothing: calls of them are resolved by their type
_STATELESS = (types.Function, types.BoundFunction, types.Dispatcher)


def lower_getitem(self: Lower, e: n.GetItem):
    sig = self.calltype()
    args = [self.load_as(v, t) for v, t in zip((e.value, e.index), sig.args)]
    return self.context.get_function(_function_type(operator.getitem), sig)(self.builder, args)


_STMTS = {
    n.Assign: Lower.lower_assign, n.SetItem: Lower.lower_setitem, n.SetAttr: Lower.lower_setattr,
    n.Jump: Lower.lower_jump, n.Branch: Lower.lower_branch, n.Return: Lower.lower_return,
    n.Raise: Lower.lower_raise, IncRef: Lower.lower_incref, DecRef: Lower.lower_decref,
    n.Reraise: Lower.lower_reraise,
}
_EXPRS = {
    n.Const: Lower.lower_const, n.Global: Lower.lower_const, n.Arg: Lower.lower_arg,
    n.Var: Lower.lower_var, n.BinOp: Lower.lower_operator, n.Compare: Lower.lower_operator,
    n.UnaryOp: Lower.lower_operator, n.Call: Lower.lower_call, n.GetAttr: Lower.lower_getattr,
    n.GetItem: lower_getitem, n.BuildTuple: Lower.lower_build_tuple,
    n.GetIter: Lower.lower_getiter, n.IterNext: Lower.lower_iternext,
    n.ArrayExpr: Lower.lower_array_expr,
    n.BuildList: Lower.lower_build_list, n.Catch: Lower.lower_catch,
    n.Caught: trycatch.lower_caught,
}


#: how functions other than plain ones are lowered ("generator": lowering/generators.py)
SPECIAL_LOWERINGS: dict = {}


def lower_function(context: BaseContext, typed: TypedFunction, module: ir.Module, name: str):
    """Emit `typed` as function `name` into `module`, from its typed IR (built here: it is
    private to this lowering)."""
    lowering = SPECIAL_LOWERINGS["generator"] if typed.fir.generator else Lower
    typed = fuse_array_expressions(typed)  # an array expression: one loop, no temporaries
    return lowering(context, prepare(typed, context.contains_nrt), module, name).lower()


@functools.lru_cache(maxsize=None)
def _function_type(func) -> types.Function:
    """`types.Function(func)` of an operator or builtin, made once (making one per operation
    costs a lookup in the interning table each time)."""
    return types.Function(func)


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _same_constant(value, fromty, toty) -> bool:
    """Whether a literal's constant (lowered from its `Const`) is already the value of the type
    it is converted to: an int, float or bool literal's constant has its unliteral type's
    representation."""
    return isinstance(value, ir.Constant) and isinstance(fromty, _NUMERIC_LITERALS) and \
        types.unliteral(fromty) == toty


_NUMERIC_LITERALS = (types.IntegerLiteral, types.FloatLiteral, types.BooleanLiteral)


def _first_loc(block):
    """Where a typed block's code starts in the source (None: an empty block)."""
    return block.body[0].loc if block.body else None


def _pick(names: list, index):
    """The call's variable(s) for a folded parameter (see typing/binder.py)."""
    if isinstance(index, tuple):
        return tuple(names[i] for i in index)
    return None if index is None else names[index]


@dataclass(frozen=True)
class Element:
    """Element `index` of the tuple variable `tuple` (a value spread with `*`)."""

    tuple: str
    index: int
