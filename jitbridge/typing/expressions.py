"""Type inference's expression rules: the type of each kind of untyped-IR expression given
the types inferred so far (`infer.TypeInferer` calls them through `EXPR_RULES`), and the
messages for operators that have no implementation. Each rule takes the inferer (`inf`:
the variable types so far, the typing context, the calls typed) and the expression."""
from __future__ import annotations

import operator

from .. import types
from ..errors import TypingError
from ..ir import nodes as n
from ..ir.markers import yield_value
from ..types import unliteral
from . import raising
from .generators import infer_yield_expression
from .list_widening import display_item_type

#: Deepest nesting of tuple and list types (each level costs recursion in every stage).
MAX_NESTING = 400

INPLACE_TO_BINARY = {
    operator.iadd: operator.add, operator.isub: operator.sub, operator.imul: operator.mul,
    operator.itruediv: operator.truediv, operator.ifloordiv: operator.floordiv,
    operator.imod: operator.mod, operator.ipow: operator.pow, operator.ilshift: operator.lshift,
    operator.irshift: operator.rshift, operator.iand: operator.and_, operator.ior: operator.or_,
    operator.ixor: operator.xor, operator.imatmul: operator.matmul,
}
_OP_SYMBOLS = {
    operator.add: "+", operator.sub: "-", operator.mul: "*", operator.truediv: "/",
    operator.floordiv: "//", operator.mod: "%", operator.pow: "**", operator.lshift: "<<",
    operator.rshift: ">>", operator.and_: "&", operator.or_: "|", operator.xor: "^",
    operator.matmul: "@", operator.eq: "==", operator.ne: "!=", operator.lt: "<",
    operator.le: "<=", operator.gt: ">", operator.ge: ">=", operator.neg: "unary -",
    operator.pos: "unary +", operator.invert: "~", operator.not_: "not",
    operator.is_: "is", operator.is_not: "is not", operator.contains: "in",
}


def operator_message(op, args) -> str:
    symbol = _OP_SYMBOLS.get(op, getattr(op, "__name__", str(op)))
    symbol = _OP_SYMBOLS.get(INPLACE_TO_BINARY.get(op), symbol)
    if len(args) == 1:
        return f"operator {symbol!r} is not supported for operand type {args[0]}"
    operand_types = " and ".join(map(str, args))
    return f"operator {symbol!r} is not supported between {operand_types}"


# -- expression rules -------------------------------------------------------------------------

def infer_const(inf, e: n.Const):
    value = e.value
    if isinstance(value, (bool, int, float, complex, str)):  # numbers: NEP 50 weak scalars
        return types.literal(value)
    ty = inf.ctx.resolve_value_type(value)
    if ty is None:
        raise TypingError(f"constant {value!r} of type {type(value).__name__} is not supported",
                          e.loc)
    return ty


def infer_global(inf, e: n.Global):
    if isinstance(e.value, n.SelfReference) and inf.self_dispatcher is not None:
        return types.Dispatcher(inf.self_dispatcher)
    ty = inf.ctx.resolve_value_type(e.value)
    if ty is None and numpy_name(e.value) is not None:
        return types.Function(e.value)  # a call names it and its argument types (infer_call)
    if ty is None:
        raise TypingError(_untyped_global(e), e.loc)
    if isinstance(ty, (types.ListType, types.DictType)):  # mutable: no constant to freeze
        raise TypingError(_unfreezable(inf, e, ty), e.loc)
    return ty


def _unfreezable(inf, e: n.Global, ty) -> str:
    where = "in globals" if e.name in getattr(inf.fir.py_func, "__globals__", {}) else \
        "in a closure"
    return (f"The use of a {ty} type, assigned to variable {e.name!r} {where}, is not supported "
            "as globals are considered compile-time constants and there is no known way to "
            f"compile a {ty} type as a constant. Pass it as an argument instead.")


def numpy_name(value) -> str | None:
    """`np.linalg.norm` for a function of NumPy's (not a class), else None."""
    module = getattr(value, "__module__", None) or ""
    if not callable(value) or isinstance(value, type) or not (
            module == "numpy" or module.startswith("numpy.")):
        return None
    return "np" + module[len("numpy"):] + "." + getattr(value, "__name__", "?")


def _untyped_global(e: n.Global) -> str:
    kind = type(e.value).__name__
    hint = ""
    if callable(e.value) and hasattr(e.value, "__code__"):
        hint = "; decorate it with @njit to call it from compiled code"
    return f"Untyped global name {e.name!r}: cannot determine the type of {kind} {e.value!r}{hint}"


def infer_arg(inf, e: n.Arg):
    """An argument left to its default (`Omitted`, see binder.py) is that default's constant."""
    ty = inf.argtypes[e.index]
    if isinstance(ty, types.Omitted):
        return infer_const(inf, n.Const(ty.value, e.loc))
    return ty


def assigned_once(fir) -> frozenset:
    counts: dict = {}
    for block in fir.blocks.values():
        for stmt in block.body:
            if isinstance(stmt, n.Assign):
                counts[stmt.target] = counts.get(stmt.target, 0) + 1
    return frozenset(name for name, count in counts.items() if count == 1)


def infer_var(inf, e: n.Var):
    return inf.typeof_var(e.name)


def infer_binop(inf, e: n.BinOp):
    args = (inf.typeof_var(e.lhs), inf.typeof_var(e.rhs))
    return inf.resolve_operator(e, e.op, args)


def infer_unaryop(inf, e: n.UnaryOp):
    return inf.resolve_operator(e, e.op, (inf.typeof_var(e.operand),))


def infer_call(inf, e: n.Call):
    fnty = inf.typeof_var(e.func)
    args = spread_types(inf, e.args, e.star, e.loc)
    kws = {k: inf.typeof_var(v) for k, v in e.kws}
    if getattr(fnty, "typing_key", None) is yield_value and len(args) == 2:
        return infer_yield_expression(inf, e, args)

    def describe():
        shown = ", ".join([*map(str, args), *(f"{k}={v}" for k, v in kws.items())])
        candidates = inf.ctx.candidates(fnty)
        numpy_function = isinstance(fnty, types.Function) and numpy_name(fnty.typing_key)
        if numpy_function and not candidates:
            return f"{numpy_function}({shown}) is not supported in compiled code"
        tried = "".join(f"\n    {c}" for c in candidates[:12])
        suffix = f"\ncandidates tried:{tried}" if tried else ""
        if isinstance(fnty, types.BoundFunction):  # Numba's words for methods
            return f"Invalid use of {fnty}: no implementation for argument types ({shown})" \
                   f"{suffix}"
        return f"No implementation of function {_callee_name(fnty)} for argument types " \
               f"({shown}){suffix}"

    return inf.resolve_call(e, fnty, args, kws, describe)


def _callee_name(fnty) -> str:
    if isinstance(fnty, types.Function):
        key = fnty.typing_key  # (np.sum() is not sum())
        return f"{numpy_name(key) or getattr(key, '__name__', key)}()"
    return str(fnty)


def infer_getattr(inf, e: n.GetAttr):
    ty = inf.typeof_var(e.value)
    result = inf.ctx.resolve_getattr(ty, e.attr)
    if result is None:
        raise TypingError(f"Unknown attribute {e.attr!r} of type {ty}", e.loc)
    return result


def infer_getitem(inf, e: n.GetItem):
    args = (inf.typeof_var(e.value), inf.typeof_var(e.index))
    sig = inf.ctx.resolve_function_type(types.Function(operator.getitem), args, {})
    if sig is None:
        raise TypingError(f"cannot index {args[0]} with {args[1]}", e.loc)
    inf.calltypes[e] = sig
    return sig.return_type


def spread_types(inf, names, star, loc) -> tuple:
    """The types of `names`, each tuple at a `star` position spread into its element types."""
    out = []
    for i, name in enumerate(names):
        ty = inf.typeof_var(name)
        if i not in star:
            out.append(ty)
        elif isinstance(ty, types.BaseTuple):
            out.extend(ty.types)
        else:
            raise TypingError(f"No implementation of function tuple({ty}): only a tuple can "
                              f"be spread with '*' in compiled code, not {ty}",
                              loc)
    return tuple(out)


def infer_build_tuple(inf, e: n.BuildTuple):
    items = [unliteral(t) for t in spread_types(inf, e.items, e.star, e.loc)]
    if any(nesting_depth(t) >= MAX_NESTING - 1 for t in items):
        raise TypingError(f"tuple nested too deeply (more than {MAX_NESTING} levels)", e.loc)
    return types.tuple_of(items)


def nesting_depth(ty, limit: int = MAX_NESTING) -> int:
    """Levels of tuple/list nesting in `ty` (iterative; counting stops at `limit`)."""
    deepest, stack, seen = 0, [(ty, 0)], set()
    while stack:
        ty, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth >= limit or (id(ty), depth) in seen:
            continue
        seen.add((id(ty), depth))
        stack.extend((t, depth + 1) for t in _children(ty))
    return deepest


def _children(ty) -> tuple:
    if isinstance(ty, types.BaseTuple):
        return ty.types
    return (ty.dtype,) if isinstance(ty, types.List) else ()


def infer_build_list(inf, e: n.BuildList):
    """A list of the items' common type, remembering constants (`[1, 2]`); items of no
    common type make a LiteralList (`[1, 'a']`, read-only: lib/lists_literal.py)."""
    given = [inf.typeof_var(v) for v in e.items]
    dtype = inf.ctx.unify_types(*map(unliteral, given)) if given else types.undefined
    if dtype is None:
        return types.LiteralList(map(types.display_item_type, given))
    if e in inf.list_widening:  # later stores need wider items (typing/list_widening.py)
        return types.List(display_item_type(inf, e, dtype))
    return types.List(dtype, initial_value=types.display_initial_value(given))


def infer_getiter(inf, e: n.GetIter):
    ty = inf.typeof_var(e.value)
    sig = inf.ctx.resolve_function_type(types.Function(iter), (ty,), {})
    if sig is None:
        raise TypingError(f"cannot iterate over a value of type {ty}", e.loc)
    inf.calltypes[e] = sig
    return sig.return_type


def infer_iternext(inf, e: n.IterNext):
    ty = inf.typeof_var(e.iterator)
    source = getattr(ty, "tuple_type", None)
    if isinstance(source, types.BaseTuple) and len(source) == 0:  # `for x in ()`: no item,
        return types.Tuple([ty.yield_type, types.literal(False)])  # the body is never typed
    return types.Tuple([ty.yield_type, types.boolean])


EXPR_RULES = {
    n.Const: infer_const, n.Global: infer_global, n.Arg: infer_arg, n.Var: infer_var,
    n.BinOp: infer_binop, n.Compare: infer_binop, n.UnaryOp: infer_unaryop,
    n.Call: infer_call, n.GetAttr: infer_getattr, n.GetItem: infer_getitem,
    n.BuildTuple: infer_build_tuple, n.GetIter: infer_getiter, n.IterNext: infer_iternext,
    n.BuildList: infer_build_list, n.Catch: raising.infer_catch,
    n.Caught: raising.infer_caught,
}


