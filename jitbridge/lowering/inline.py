"""Small callees lowered in place: the body of an @overload implementation (or any inline
callee) emitted straight into the function that calls it, instead of as an internal function
LLVM would inline later. A call of a trivial overload then costs what the same code written
inline costs: no function to build, print, parse and optimise, no call or status check.

The callee keeps its own slots, blocks and exit: returns inside it (its own, and exceptions
raised by the implementations it calls) go to its exit block, which releases what the callee
owns and then either continues after the call or hands a failure status to the caller's
exit. Callees that are large, may recurse, or are already being lowered up the stack (an
overload calling itself) stay separate functions.

A jitted function declared `@njit(inline='always')` is lowered the same way into every
jitted caller, whatever its size (`lower_dispatcher_in_place`), where both compile with the
same code-changing options: its body then follows the caller's own, and results are those of
the call.
"""
from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.base import COMPILE_HOOK
from ..passes import prepare
from . import guards
from .lower import Lower

#: callees with more ops than this stay functions of their own (each call site would copy them)
MAX_OPS = 48


def lower_in_place(context, builder: ir.IRBuilder, callee, args: list, active: set,
                   limit: int | None = MAX_OPS):
    """Emit `callee` (a compiler.InlineCallee) at `builder` with argument values `args` and
    return its result value, or None if it should stay a function of its own. `active`: the
    names of the callees being lowered in place up the stack; `limit`: the most ops a callee
    lowered in place may have (None: any number)."""
    if callee.name in active:
        return None
    tir = prepare(callee.typed, context.contains_nrt)
    too_large = limit is not None and sum(len(block.body) for block in tir.blocks.values()) > limit
    if too_large or guards.may_recurse(tir):
        return None
    active.add(callee.name)
    try:
        label = f"inl{len(active)}"  # short LLVM names: less text to print and parse
        return _InPlace(context, tir, builder, callee.name, label, args).emit()
    finally:
        active.discard(callee.name)


class _InPlace(Lower):
    """A Lower that writes into the caller's function at the caller's builder."""

    def __init__(self, context, tir, builder: ir.IRBuilder, name: str, label: str, args: list):
        super().__init__(context, tir, builder.module, name)
        self.builder, self.function, self.args = builder, builder.function, args
        self.label = label
        self.block_prefix = f"{label}."

    def emit(self):
        ret_ty = self.context.get_value_type(self.typed.return_type)
        call_site = self.builder.block
        with self.builder.goto_entry_block():  # every slot at once, in the caller's entry
            self.zeroed = []
            result = self.new_slot(ret_ty, f"{self.label}.result", zero=False)
            status = self.new_slot(ir.IntType(32), f"{self.label}.status", zero=False)
            self._alloc_variables()
        assert self.builder.block is call_site
        for slot in self.zeroed:  # at the call site: each time the call runs
            self.builder.store(cgutils.get_null_value(slot.type.pointee), slot)
        self.prepare_guards()  # (no stack guard: callees that may recurse are not inlined)
        exit_block = self.function.append_basic_block(f"{self.label}.exit")
        self.call_conv.set_exit(self.function, exit_block, status, result)
        try:
            self.lower_blocks()
        finally:
            may_fail = self.call_conv.pop_exit(self.function)
        self.builder.position_at_end(exit_block)
        self._emit_exit_ops()
        if may_fail:  # (most small callees cannot fail: no status to test)
            code = self.builder.load(status)
            with self.builder.if_then(self.call_conv.is_error(self.builder, code), likely=False):
                self.call_conv.return_status_propagate(self.builder, code)
        return self.builder.load(result)

    def new_slot(self, llty, name: str, zero: bool):
        """A slot in the caller's entry block (the builder is there), zeroed at the call site
        when asked (each time the call runs: it may be inside a loop, and the exit left the
        previous call's values released)."""
        slot = self.builder.alloca(llty, name=name)
        if zero:
            self.zeroed.append(slot)
        return slot

    def argument_values(self) -> list:
        return self.args


@dataclass(frozen=True)
class _Specialisation:
    """A compiled specialisation of a jitted function, as `lower_in_place` takes a callee."""
    typed: object
    name: str


def lower_dispatcher_in_place(context, builder: ir.IRBuilder, dispatcher, argtypes, args):
    """The result of calling an `inline='always'` jitted function's body emitted in place, or
    None where the call stays a call (another inline option, other code-changing options than
    the caller's, a generator, a callee being compiled up the stack or calling itself)."""
    options = getattr(dispatcher, "targetoptions", {})
    flags = getattr(dispatcher, "_flags", None)
    if options.get("inline") != "always" or flags != context.flags or flags.parallel:
        return None
    result = dispatcher.overloads.get(tuple(argtypes))
    if result is None or isinstance(result.signature.return_type, types.Generator):
        return None
    return lower_in_place(context, builder, _Specialisation(result.typed, result.native_name),
                          args, context.inlining, limit=None)


def lower_always_in_place(context, builder: ir.IRBuilder, callee, args):
    """An `@overload(..., inline='always')` implementation lowered in place whatever its size
    (None: it may recurse, or is being lowered up the stack)."""
    return lower_in_place(context, builder, callee, list(args), context.inlining, limit=None)


COMPILE_HOOK["lower_dispatcher_in_place"] = lower_dispatcher_in_place
COMPILE_HOOK["lower_always_in_place"] = lower_always_in_place
