"""Type inference: untyped FunctionIR + argument types -> TypedFunction (typemap, calltypes).

A fixpoint over all statements: each pass types what it can from the current variable types,
widening a variable's type by unification when it is assigned again, until nothing changes.
Errors are reported only by a final pass, so a loop-carried variable that widens later does
not produce a premature error. Every error carries the failing statement's Loc.
"""
from __future__ import annotations

import contextlib
import operator
import threading
from dataclasses import dataclass, field

from .. import types
from ..errors import CompilerError, ForceLiteralArg, TypingError
from ..ir import nodes as n
from ..ir import webs
from ..ir.function import FunctionIR, source_name
from ..ir.markers import literally
from ..types import unliteral
from ..utils import recursion_headroom
from . import pruning, raising
from .context import TypingContext
from .expressions import (EXPR_RULES, INPLACE_TO_BINARY, MAX_NESTING, assigned_once,
                          nesting_depth, operator_message)
from .list_widening import is_widening, widen_list
from .literally import resolve_with_literals

#: Deepest chain of jitted callees compiled while typing their callers (f0 calls f1 calls ...).
MAX_CALL_CHAIN = 400
_chain = threading.local()
#: `collecting_errors()`: the call-chain depth whose inference collects every error
_collect = threading.local()



@dataclass
class TypedFunction:
    """The result of inference: variable types, call signatures, return type."""

    fir: FunctionIR
    argtypes: tuple
    return_type: types.Type
    typemap: dict
    calltypes: dict = field(default_factory=dict)
    exprtypes: dict = field(default_factory=dict)


class CompiledFromError(TypingError):
    """A failure owed to where a function was compiled from (a call chain too deep, a callee
    still being compiled), not to its argument types: a dispatcher does not remember it (the
    same types may compile when called from elsewhere)."""

    remember = False


class TypingErrors(TypingError):
    """Every located error one function's typing found (raised only in collect mode, see
    `collecting_errors`): `errors` lists them in statement order."""

    def __init__(self, errors, loc=None):
        self.errors = list(errors)
        shown = "\n\n".join(map(str, self.errors))
        super().__init__(f"{len(self.errors)} typing errors:\n{shown}", loc)

    def __reduce__(self):
        return (type(self), (self.errors, self.loc))


@contextlib.contextmanager
def collecting_errors():
    """Within it, the next function typed at this call depth does not stop at its first error:
    it reports every statement that fails to type, skipping statements that only read what a
    failed one assigned (no cascades), as one `TypingErrors`. Functions it calls compile as
    usual. Used by `python -m jitbridge explain`; normal compilation never collects."""
    previous = getattr(_collect, "depth", None)
    _collect.depth = getattr(_chain, "depth", 0)
    try:
        yield
    finally:
        _collect.depth = previous


class _Pending(Exception):
    """An operand's type is not known yet; retry on a later pass."""

    #: an extension's template typing a call of a function still being typed (a jitclass
    #: method recursing) lets it through to the fixpoint instead of reporting it as its bug
    passes_through_extensions = True


class RecursionPending(_Pending):
    """A recursive call to a specialisation with no return type yet (no return path typed so
    far): retried on a later pass of that specialisation's typing, once a return statement has
    been typed. `target` is its (dispatcher, argument types)."""

    def __init__(self, message: str, target):
        super().__init__(message)
        self.target = target


#: (dispatcher, argument types) -> the inference in progress for them; and the stack of
#: inferences in progress, innermost last (compile lock held)
_in_progress: dict = {}
_active: list = []


def inferred_return_type(dispatcher, argtypes):
    """The return type inferred so far for the specialisation being typed, or None. When the
    caller is another function (mutual recursion), the assumption is recorded: the
    specialisation's final return type must equal it."""
    inferer = _in_progress.get((dispatcher, tuple(argtypes)))
    if inferer is not None and inferer.fir.generator:  # (its type is made after its typing)
        raise TypingError(f"recursive generator {inferer.fir.qualname}() is not supported "
                          f"in compiled code")
    if inferer is None or inferer.return_type is None:
        return None
    if _active and _active[-1] is not inferer:
        inferer.assumed_by_callers.append(inferer.return_type)
    inferer.recursive = True
    return inferer.return_type


class TypeInferer:
    """Runs inference for one function and one tuple of argument types."""

    def __init__(self, ctx: TypingContext, fir: FunctionIR, argtypes: tuple, return_type=None,
                 self_dispatcher=None, declared=None):
        self.ctx, self.fir = ctx, fir
        self.self_dispatcher = self_dispatcher
        self.argtypes = tuple(argtypes)
        self.declared_return = return_type
        self.typemap: dict = {}
        self.calltypes: dict = {}
        self.exprtypes: dict = {}
        self.return_type = None
        self.changed = False
        self.unsettled = 0  # statements of the current pass that failed or wait for a type
        self.failures: dict = {}
        self.typed: dict = {}
        self.assumed_by_callers: list = []  # return types mutually recursive callees assumed
        self.recursive = False  # a recursive call used the return type inferred so far
        self.list_widening: dict = {}  # list display -> item type later stores widened it to
        self.defs = {s.target: s.value for b in fir.blocks.values() for s in b.body
                     if isinstance(s, n.Assign)}
        self.assigned_once = assigned_once(fir)
        #: variable -> the type `locals=` declares for it (names the function lacks ignored,
        #: as in Numba); its values are converted to that type when assigned
        self.declared = {var: _declared_type(fir, name, ty)
                         for name, ty in (declared or {}).items()
                         for var in self.defs if source_name(var) == name}
        self.typemap.update(self.declared)
        self.declared_locals = declared
        self.collect = False  # collect every error instead of raising the first
        self.read: set = set()  # variables read in the current pass
        self.widened_after_read = False  # one of them changed type afterwards in that pass

    def retyped(self, fir: FunctionIR) -> "TypeInferer":
        """A fresh inferer for `fir`, another form of this one's function."""
        again = TypeInferer(self.ctx, fir, self.argtypes, self.declared_return,
                            self.self_dispatcher, self.declared_locals)
        again.collect = self.collect
        return again

    # -- driver ------------------------------------------------------------------------------
    def run(self) -> TypedFunction:
        self._check_arity()
        for _ in range(100):
            self.changed, self.unsettled = False, 0
            self.read, self.widened_after_read = set(), False
            self._pass(strict=False)
            if not self.changed or self._settled_in_one_pass():
                break
        if (self.unsettled or self.failures) and self.collect:
            self._raise_collected()
        if self.unsettled or self.failures:  # raise what did not type, located
            self._pass(strict=True)
        return TypedFunction(pruning.pruned(self.fir, self.typemap), self.argtypes,
                             self._final_return(), self.typemap, self.calltypes, self.exprtypes)

    def _settled_in_one_pass(self) -> bool:
        """Whether the pass just made typed every statement from final operand types: nothing
        failed or waits, no recursive call read the return type, and every jump goes forward
        in label order (no loop: each use was typed after all the assignments it reads), and
        no variable was widened after a statement read it (`t = s; s += 0.5`)."""
        return not (self.unsettled or self.failures or self.recursive
                    or self.widened_after_read) and all(
            target > label for label, block in self.fir.blocks.items()
            for target in block.successors())

    def _check_arity(self):
        if len(self.argtypes) != len(self.fir.arg_names):
            given = ", ".join(map(str, self.argtypes))
            raise TypingError(f"Cannot bind ({given}) to {self.fir.qualname}"
                              f"({', '.join(self.fir.arg_names)}): it takes "
                              f"{len(self.fir.arg_names)} arguments but {len(self.argtypes)} "
                              "were given", self.fir.loc)

    def _pass(self, strict: bool) -> None:
        for block in pruning.live_blocks(self.fir, self.typemap):  # (never a decided-dead side)
            for stmt in block.body:
                self._type_stmt(stmt, strict)

    def _type_stmt(self, stmt, strict: bool) -> None:
        """Type one statement; errors surface only in the strict pass.

        Outcomes are remembered with the inputs they saw, and a statement whose inputs did not
        change is not typed again: the fixpoint's later passes cost little, and a failure is
        not retried (that would recompile a failing callee on every pass, at every level of a
        call chain: exponential in the chain's length).
        """
        state = self._inputs(stmt)
        if self.typed.get(stmt) == state:
            return
        failed = self.failures.get(stmt)
        if failed is not None and failed[0] == state:
            self.unsettled += 1
            if strict:
                raise failed[1].with_loc(stmt.loc) from failed[1].__cause__
            return
        try:
            _STMT_RULES[type(stmt)](self, stmt)
            self.typed[stmt] = state
        except RecursionPending as exc:
            self.unsettled += 1
            if strict and exc.target == (self.self_dispatcher, self.argtypes):
                raise TypingError(str(exc), stmt.loc) from None
            if strict:  # an enclosing function's: it retries once it has a return type
                raise
        except _Pending:
            self.unsettled += 1
            if strict:
                raise TypingError("cannot determine the type of this expression "
                                  "(is a variable used before assignment?)", stmt.loc)
        except CompilerError as exc:
            self.failures[stmt] = (state, exc)
            if strict:
                raise exc.with_loc(stmt.loc) from exc.__cause__

    def _raise_collected(self) -> None:
        """Collect mode's strict pass: type every statement, recording each error. A variable
        assigned by a failed statement is tainted with that error (its root); a statement
        reading a variable tainted by another root is skipped and taints its own target. The
        passes repeat until the taints settle (a loop reads variables assigned further on)."""
        taints: dict = {}
        while True:
            before = dict(taints)
            errors = [e for block in pruning.live_blocks(self.fir, self.typemap)
                      for stmt in block.body
                      if (e := self._collect_stmt(stmt, taints)) is not None]
            if taints == before:
                break
        if errors:
            raise TypingErrors(errors, self.fir.loc)

    def _collect_stmt(self, stmt, taints: dict):
        """The error typing `stmt` raises (None if it types or is skipped), updating taints."""
        roots = set().union(*(taints.get(v, ()) for v in n.operands(stmt)))
        error = None
        if not roots - {stmt}:
            try:
                self._type_stmt(stmt, strict=True)
                return None
            except CompilerError as exc:
                error, roots = exc, {stmt}
        if isinstance(stmt, n.Assign):
            taints[stmt.target] = taints.get(stmt.target, frozenset()) | roots
        return error

    def _inputs(self, stmt) -> tuple:
        """What typing a statement depends on: its operands' types, and the return type for a
        return, or for any statement once a recursive call has read the return type inferred
        so far (until then no statement's typing saw it: none needs typing again when it
        changes, which would resolve every call of the function twice)."""
        depends = self.recursive or isinstance(stmt, n.Return)
        raised = stmt.value.raised if isinstance(getattr(stmt, "value", None), n.Caught) else ()
        return (self.return_type if depends else None,
                *(self.typemap.get(v) for v in (*n.operands(stmt), *raised)))

    def _final_return(self):
        ret = self.return_type
        if self.declared_return is not None:
            if ret is not None and self.ctx.can_convert(ret, self.declared_return) is None:
                raise TypingError(f"No conversion from {ret} to {self.declared_return}: the "
                                  "return type cannot be converted to the declared one",
                                  self.fir.loc)
            return self.declared_return
        return types.none if ret is None else ret

    # -- helpers ----------------------------------------------------------------------------
    def typeof_var(self, name: str):
        self.read.add(name)
        try:
            return self.typemap[name]
        except KeyError:
            raise _Pending(name) from None

    def bind(self, name: str, ty, loc, keep_literal: bool = False) -> None:
        """Record `ty` for variable `name`, unifying with what it had."""
        if not (name.startswith("$") or keep_literal) and isinstance(ty, types.Literal):
            ty = unliteral(ty)  # a list display's constants stay (`__unliteral__`)
        declared = self.declared.get(name)
        if declared is not None:
            if self.ctx.can_convert(ty, declared) is None:
                raise TypingError(f"cannot assign a value of type {ty} to variable "
                                  f"{source_name(name)!r}, "
                                  f"declared {declared} by locals=", loc)
            return
        old = self.typemap.get(name)
        if old == ty:
            return
        # a variable assigned once has the type its one assignment gives now (a later pass
        # typed it from wider operands); others unify what each assignment gives
        new = ty if old is None or name in self.assigned_once else \
            self.ctx.unify_types(old, ty)
        if new is None:
            raise TypingError(f"Cannot unify {old} and {ty}: variable {source_name(name)!r} is "
                              f"assigned values of incompatible types {old} and {ty}"
                              + self._isinstance_note(name), loc)
        if new != old:
            self.typemap[name] = new
            self.changed = True
            self.widened_after_read = self.widened_after_read or name in self.read

    def _isinstance_note(self, name: str) -> str:
        """Why a branch-dependent type cannot be tested, where `isinstance` reads `name`."""
        tests = [v for v in self.defs.values() if isinstance(v, n.Call) and v.args[:1] == (name,)
                 and getattr(self.defs.get(v.func), "value", None) is isinstance]
        return (f'; isinstance() cannot determine the type of variable "{source_name(name)}" '
                "due to a branch." if tests else "")

    def resolve_call(self, node, fnty, args: tuple, kws: dict, describe) -> types.Type:
        try:
            sig = self.ctx.resolve_function_type(fnty, args, kws)
        except ForceLiteralArg as request:  # the callee asks for literal argument types
            sig = resolve_with_literals(self, node, fnty, args, kws, request)
        if sig is None:
            raise TypingError(describe(), node.loc)
        self.calltypes[node] = sig
        if isinstance(fnty, types.BoundFunction) and sig.recvr != fnty.this:
            self._refine_receiver(node, sig.recvr)
        return sig.return_type

    def _refine_receiver(self, call, refined) -> None:
        """A method refined its receiver's type (`[].append(1)` makes a list of int64)."""
        getattr_expr = self.defs.get(call.func)
        if not isinstance(getattr_expr, n.GetAttr):
            return
        if is_widening(self.typemap.get(getattr_expr.value), refined):  # `[1].append(2.5)`
            widen_list(self, getattr_expr.value, refined, call.loc)
        else:
            self.bind(getattr_expr.value, refined, call.loc)

    def resolve_operator(self, node, op, args: tuple):
        fnty = types.Function(op)
        sig = self.ctx.resolve_function_type(fnty, args, {})
        if sig is None and op in INPLACE_TO_BINARY:  # `x += y` as `x = x + y`
            binary = INPLACE_TO_BINARY[op]
            sig = self.ctx.resolve_function_type(types.Function(binary), args, {})
            sig = sig and sig.replace(key=binary)
        if sig is None:
            raise TypingError(operator_message(op, args), node.loc)
        self.calltypes[node] = sig
        if isinstance(node, n.BinOp) and is_widening(args[0], sig.recvr):  # `[1] += [2.5]`
            widen_list(self, node.lhs, sig.recvr, node.loc)
        return sig.return_type


def _declared_type(fir: FunctionIR, name: str, ty):
    if not isinstance(ty, types.Type):
        raise TypingError(f"locals={{{name!r}: {ty!r}}}: the declared type of a variable must "
                          f"be a type such as int64, not {type(ty).__name__}", fir.loc)
    return ty


# -- statement rules --------------------------------------------------------------------------

def infer_assign(inf: TypeInferer, s: n.Assign):
    ty = EXPR_RULES[type(s.value)](inf, s.value)
    inf.exprtypes[s.value] = ty
    inf.bind(s.target, ty, s.loc, keep_literal=_asks_literal(inf, s))


def _asks_literal(inf: TypeInferer, s: n.Assign) -> bool:
    """`x = literally(x)`: the variable (one web: ir/webs.py) keeps the literal type asked for."""
    value = s.value
    if isinstance(value, n.Var):  # (`$2 = literally(x); x = $2`)
        value = inf.defs.get(value.name)
    return (isinstance(value, n.Call) and s.target in inf.assigned_once
            and getattr(inf.defs.get(value.func), "value", None) is literally)


def infer_setitem(inf: TypeInferer, s: n.SetItem):
    args = tuple(inf.typeof_var(v) for v in (s.target, s.index, s.value))
    sig = inf.ctx.resolve_function_type(types.Function(operator.setitem), args, {})
    if sig is None:
        raise TypingError(f"cannot set an item of {args[0]} at {args[1]} to {args[2]}", s.loc)
    inf.calltypes[s] = sig
    if sig.recvr is not None and is_widening(args[0], sig.recvr):  # `l = [1]; l[0] = 2.5`
        widen_list(inf, s.target, sig.recvr, s.loc)
    elif sig.recvr is not None and sig.recvr != args[0]:  # `d = {}; d[k] = v` types d
        inf.bind(s.target, sig.recvr, s.loc)


def infer_setattr(inf: TypeInferer, s: n.SetAttr):
    target, value = inf.typeof_var(s.target), inf.typeof_var(s.value)
    attr_ty = inf.ctx.resolve_setattr(target, s.attr, value)
    if attr_ty is None:
        raise TypingError(f"cannot set attribute {s.attr!r} of {target} to {value}", s.loc)
    inf.calltypes[s] = types.signature(types.none, target, attr_ty)


def infer_branch(inf: TypeInferer, s: n.Branch):
    inf.typeof_var(s.cond)


def infer_return(inf: TypeInferer, s: n.Return):
    ty = unliteral(inf.typeof_var(s.value))
    old = inf.return_type
    new = ty if old is None else inf.ctx.unify_types(old, ty)
    if new is None or (inf.recursive and old is not None and _nests(new, old)):
        lead = "Return type of recursive function does not converge: " if inf.recursive else ""
        raise TypingError(f"{lead}function returns values of incompatible types {old} and {ty}",
                          s.loc)
    if new != old:
        inf.return_type = new
        inf.changed = True


def _nests(ty, inner) -> bool:
    """Whether `inner` appears strictly inside `ty` (a recursive return type that wraps the
    previous one at each level, `(n, f(n - 1))` or None, never settles)."""
    if isinstance(ty, types.Optional) and ty.type == inner:
        return False  # (a recursive function returning T or None: Optional(T) is a fixpoint)
    parts = list(getattr(ty, "types", ())) + [getattr(ty, "type", None), getattr(ty, "dtype", None)]
    return any(p == inner or _nests(p, inner) for p in parts if isinstance(p, types.Type))


def _no_rule(inf, s):
    return None


_STMT_RULES = {
    n.Assign: infer_assign, n.SetItem: infer_setitem, n.SetAttr: infer_setattr,
    n.Branch: infer_branch, n.Return: infer_return, n.Raise: raising.infer_raise,
    n.Jump: _no_rule,
    n.Reraise: _no_rule,
}


def infer_types(ctx: TypingContext, fir: FunctionIR, argtypes, return_type=None,
                self_dispatcher=None, declared_locals=None, probe=False) -> TypedFunction:
    """Type `fir` for `argtypes` (and an optional declared return type and `locals=` types);
    `probe`: what typing found even where some statement does not type (a build that only
    asks the types of some variables, compiler._unrolled_ir), instead of its error.

    Typing a call to a jitted function compiles the callee first, so a chain of calls nests
    compilations: the chain is limited to MAX_CALL_CHAIN, with recursion headroom lent for it.
    """
    depth = getattr(_chain, "depth", 0)
    if depth >= MAX_CALL_CHAIN:
        raise CompiledFromError(f"call chain too deep: compiling {fir.qualname}() would nest "
                                f"more than {MAX_CALL_CHAIN} compilations of jitted callees",
                                fir.loc)
    _check_argument_nesting(fir, argtypes)
    _chain.depth = depth + 1
    inferer = TypeInferer(ctx, fir, argtypes, return_type, self_dispatcher, declared_locals)
    inferer.collect = getattr(_collect, "depth", None) == depth
    if inferer.collect:  # once: what lowering types later at this depth raises as usual
        _collect.depth = None
    key = (self_dispatcher, inferer.argtypes)
    if self_dispatcher is not None:
        _in_progress[key] = inferer
    _active.append(inferer)
    try:
        with recursion_headroom():
            inferer, typed = _run(inferer, key, probe)
    finally:
        _chain.depth = depth
        _active.pop()
        _in_progress.pop(key, None)
    if not probe and any(t != typed.return_type for t in inferer.assumed_by_callers):
        raise TypingError(f"Return type of recursive function does not converge: "
                          f"{fir.qualname}() returns {typed.return_type}, but a function it "
                          f"calls was typed assuming {inferer.assumed_by_callers[0]}", fir.loc)
    return typed


def _run(inferer: TypeInferer, key, probe: bool) -> tuple:
    """(inferer, typed function), typed once more where a failure came from a name bound to
    values of several types on paths that a decided branch cut: split into its webs again
    after pruning (`a = (a, a)` under `isinstance(a, int)`), each can have its type."""
    try:
        return inferer, inferer.run()
    except TypingError:
        if probe:
            return inferer, TypedFunction(inferer.fir, inferer.argtypes, None, inferer.typemap,
                                          inferer.calltypes, inferer.exprtypes)
        split = pruning.pruned(inferer.fir, inferer.typemap)
        if split is inferer.fir or not webs.split_webs(split):
            raise
    again = inferer.retyped(split)
    _active[-1] = again
    if key in _in_progress:
        _in_progress[key] = again
    return again, again.run()


def _check_argument_nesting(fir: FunctionIR, argtypes) -> None:
    for name, ty in zip(fir.arg_names, argtypes):
        if nesting_depth(ty) >= MAX_NESTING:
            raise TypingError(f"argument {name!r} of {fir.qualname}() is nested too deeply "
                              f"(more than {MAX_NESTING} levels of tuples/lists)", fir.loc)
