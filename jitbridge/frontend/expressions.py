"""Expression transforms: each returns the name of the variable holding the result.

Transforms with sub-expressions are generators (`value = yield child`), driven on an explicit
stack by visitor.transform, so expression depth never becomes compiler recursion depth.
"""
from __future__ import annotations

import ast
import builtins
import operator
import types as pytypes
from copy import deepcopy

from ..errors import TypingError
from ..ir import nodes as n
from .cfg import IRBuilder
from .closures import lift
from .scope import MISSING
from .visitor import transform

BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
    ast.MatMult: operator.matmul,
}
INPLACE = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.LShift: operator.ilshift, ast.RShift: operator.irshift,
    ast.BitAnd: operator.iand, ast.BitOr: operator.ior, ast.BitXor: operator.ixor,
    ast.MatMult: operator.imatmul,
}
UNARYOPS = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert,
            ast.Not: operator.not_}
CMPOPS = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: operator.contains, ast.NotIn: operator.contains,
}


def transform_Constant(b: IRBuilder, node: ast.Constant) -> str:
    return b.const(node.value)


def transform_Name(b: IRBuilder, node: ast.Name) -> str:
    if b.scope.is_local(node.id):
        return node.id
    value = b.scope.lookup_frozen(node.id)
    if value is MISSING and node.id == b.source.tree.name:
        value = n.SelfReference(node.id)
    if value is MISSING:
        raise TypingError(f"name {node.id!r} is not defined", b.loc(node))
    return b.assign(n.Global(node.id, value, b.loc(node)))


def transform_Attribute(b: IRBuilder, node: ast.Attribute) -> str:
    frozen = _frozen_module_attr(b, node)
    if frozen is not None:
        return frozen
    value = yield node.value
    return b.assign(n.GetAttr(value, b.attribute(node), b.loc(node)))


def _frozen_module_attr(b: IRBuilder, node: ast.Attribute):
    """`math.pi`, `np.float64`: attributes of a frozen module become frozen globals."""
    chain, base = [node.attr], node.value
    while isinstance(base, ast.Attribute):
        chain.append(base.attr)
        base = base.value
    if not isinstance(base, ast.Name) or b.scope.is_local(base.id):
        return None
    value = b.scope.lookup_frozen(base.id)
    name = base.id
    for attr in reversed(chain):
        if not isinstance(value, pytypes.ModuleType) or not hasattr(value, attr):
            return None
        value, name = getattr(value, attr), f"{name}.{attr}"
    return b.assign(n.Global(name, value, b.loc(node)))


def transform_BinOp(b: IRBuilder, node: ast.BinOp) -> str:
    lhs = yield node.left
    rhs = yield node.right
    return b.assign(n.BinOp(BINOPS[type(node.op)], lhs, rhs, b.loc(node)))


def transform_UnaryOp(b: IRBuilder, node: ast.UnaryOp) -> str:
    if _is_negative_literal(node):  # `-1` is a constant (so `t[-1]` indexes statically)
        return b.const(-node.operand.value)
    operand = yield node.operand
    return b.assign(n.UnaryOp(UNARYOPS[type(node.op)], operand, b.loc(node)))


def _is_negative_literal(node: ast.UnaryOp) -> bool:
    value = getattr(node.operand, "value", None)
    return (isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)
            and type(value) in (int, float, complex))


def transform_Compare(b: IRBuilder, node: ast.Compare) -> str:
    """`a < b < c` evaluates `b` once and stops at the first false comparison."""
    result = b.temp()
    done = b.new_block()
    lhs = yield node.left
    for i, (op, right) in enumerate(zip(node.ops, node.comparators)):
        rhs = yield right
        b.assign(_compare(b, op, lhs, rhs, node), result)
        if i < len(node.ops) - 1:
            more = b.new_block()
            b.branch(_truth(b, result), more, done)
            b.set_block(more)
        lhs = rhs
    b.jump(done)
    b.set_block(done)
    return result


def _compare(b: IRBuilder, op, lhs: str, rhs: str, node) -> n.Expr:
    loc = b.loc(node)
    if isinstance(op, (ast.In, ast.NotIn)):
        contains = n.Compare(operator.contains, rhs, lhs, loc)
        return contains if isinstance(op, ast.In) else n.UnaryOp(operator.not_, b.assign(contains), loc)
    return n.Compare(CMPOPS[type(op)], lhs, rhs, loc)


def _truth(b: IRBuilder, var: str) -> str:
    """`bool(var)` as a fresh temporary (branch conditions are always booleans)."""
    func = b.assign(n.Global("bool", bool, b.loc()))
    return b.assign(n.Call(func, (var,), (), b.loc()))


def transform_BoolOp(b: IRBuilder, node: ast.BoolOp) -> str:
    """`x and y` / `x or y` with Python's short-circuit semantics, returning an operand."""
    result = b.temp()
    done = b.new_block()
    for i, value in enumerate(node.values):
        b.assign(n.Var((yield value), b.loc(value)), result)
        if i == len(node.values) - 1:
            break
        more = b.new_block()
        cond = _truth(b, result)
        if isinstance(node.op, ast.And):
            b.branch(cond, more, done)
        else:
            b.branch(cond, done, more)
        b.set_block(more)
    b.jump(done)
    b.set_block(done)
    return result


def transform_IfExp(b: IRBuilder, node: ast.IfExp) -> str:
    result = b.temp()
    then, orelse, done = b.new_block(), b.new_block(), b.new_block()
    b.branch(_truth(b, (yield node.test)), then, orelse)
    for label, value in ((then, node.body), (orelse, node.orelse)):
        b.set_block(label)
        b.assign(n.Var((yield value), b.loc(value)), result)
        b.jump(done)
    b.set_block(done)
    return result


def transform_NamedExpr(b: IRBuilder, node: ast.NamedExpr) -> str:
    value = yield node.value
    b.assign(n.Var(value, b.loc(node)), node.target.id)
    return node.target.id


def transform_Call(b: IRBuilder, node: ast.Call) -> str:
    if _calls_builtin(b, node, "locals"):
        raise TypingError("locals() is not supported in compiled code (its variables "
                                 "have no dictionary): read the variables by name",
                                 b.loc(node))
    if _is_getattr_of_written_name(b, node):  # x.name itself: a method binds as usual
        value = yield node.args[0]
        return b.assign(n.GetAttr(value, node.args[1].value, b.loc(node)))
    func = yield node.func
    if any(k.arg is None for k in node.keywords):
        raise b.unsupported("**kwargs in calls is not supported (spread a tuple with *args, "
                            "or pass the keywords by name)", node)
    args = yield from _each(_unstarred(node.args))
    values = yield from _each(k.value for k in node.keywords)
    kws = tuple(zip([k.arg for k in node.keywords], values))
    return b.assign(n.Call(func, args, kws, b.loc(node), star=_star_positions(node.args)))


def _calls_builtin(b: IRBuilder, node: ast.Call, name: str) -> bool:
    func = node.func
    return isinstance(func, ast.Name) and func.id == name and not b.scope.is_local(name) and \
        b.scope.lookup_frozen(name) is getattr(builtins, name)


def _is_getattr_of_written_name(b: IRBuilder, node: ast.Call) -> bool:
    """`getattr(x, "name")` with the builtin getattr and the name a string in the source."""
    args = node.args
    return _calls_builtin(b, node, "getattr") and len(args) == 2 and not node.keywords and \
        isinstance(args[1], ast.Constant) and isinstance(args[1].value, str) and \
        not isinstance(args[0], ast.Starred)


def _unstarred(nodes) -> list:
    return [e.value if isinstance(e, ast.Starred) else e for e in nodes]


def _star_positions(nodes) -> tuple:
    """Where `*value` spreads a tuple (typing expands it: tuple lengths are static)."""
    return tuple(i for i, e in enumerate(nodes) if isinstance(e, ast.Starred))


def transform_Tuple(b: IRBuilder, node: ast.Tuple) -> str:
    items = yield from _each(_unstarred(node.elts))
    return b.assign(n.BuildTuple(items, b.loc(node), star=_star_positions(node.elts)))


def transform_List(b: IRBuilder, node: ast.List) -> str:
    if any(isinstance(e, ast.Starred) for e in node.elts):
        raise b.unsupported("starred expressions in lists are not supported", node)
    items = yield from _each(node.elts)
    return b.assign(n.BuildList(items, b.loc(node)))


def transform_ListComp(b: IRBuilder, node: ast.ListComp) -> str:
    """`[elt for x in it if cond]` becomes a loop appending to a fresh list."""
    result = b.temp()
    b.scope.add_local(result)
    b.assign(n.BuildList((), b.loc(node)), result)
    node = _own_scope(b, node)
    append = ast.Expr(ast.Call(ast.Attribute(ast.Name(result, ast.Load()), "append", ast.Load()),
                               [node.elt], []))
    _comprehension_loop(b, node, append)
    return result


def _comprehension_loop(b: IRBuilder, node, body) -> None:
    """Emit the loops of comprehension `node` (renamed by `_own_scope`) around `body`."""
    for gen in reversed(node.generators):
        if gen.is_async:
            raise b.unsupported("async comprehensions are not supported", node)
        for cond in reversed(gen.ifs):
            body = ast.If(cond, [body], [])
        body = ast.For(gen.target, gen.iter, [body], [])
    ast.copy_location(body, node)
    for child in ast.walk(body):  # iterative (ast.fix_missing_locations recurses per level)
        if not hasattr(child, "lineno") or child.lineno is None:
            ast.copy_location(child, node)
    b.loops, outer = [], b.loops
    try:
        transform(b, body)
    finally:
        b.loops = outer


# -- dict displays (lib/dicts) -------------------------------------------------------------

def transform_Dict(b: IRBuilder, node: ast.Dict) -> str:
    """`{k: v, ...}` is `dict(DICT_DISPLAY, k1, v1, k2, v2, ...)` (lib/dicts types it from
    the keys' and values' types), `{}` is `dict()`; CPython's order of evaluation."""
    if any(key is None for key in node.keys):
        raise b.unsupported("dict unpacking ('**') in a dict display is not supported", node)
    loc = b.loc(node)
    func = b.assign(n.Global("dict", dict, loc))
    flat = yield from _each([e for pair in zip(node.keys, node.values) for e in pair])
    if not flat:
        return b.assign(n.Call(func, (), (), loc))
    tag = b.assign(n.Const(DICT_DISPLAY, loc))
    return b.assign(n.Call(func, (tag, *flat), (), loc))


#: first argument of the `dict(tag, k1, v1, k2, v2 ...)` call a non-empty display becomes:
#: its keys and values keep their constant types (`{'a': 1, 'b': 'x'}` is a
#: LiteralStrKeyDict, lib/dicts/literal.py); no Python code passes this string to dict()
DICT_DISPLAY = "\0jitbridge dict display"


def transform_DictComp(b: IRBuilder, node: ast.DictComp) -> str:
    """`{k: v for x in it if cond}` becomes a loop storing into a fresh `dict()`."""
    loc = b.loc(node)
    result = b.temp()
    b.scope.add_local(result)
    b.assign(n.Call(b.assign(n.Global("dict", dict, loc)), (), (), loc), result)
    pair = ast.copy_location(ast.Tuple([node.key, node.value], ast.Load()), node)
    renamed = _own_scope(b, ast.copy_location(ast.ListComp(pair, node.generators), node))
    key, value = renamed.elt.elts
    store = ast.Assign([ast.Subscript(ast.Name(result, ast.Load()), key, ast.Store())], value)
    _comprehension_loop(b, renamed, store)
    return result


# -- set displays (lib/sets) ---------------------------------------------------------------

def transform_Set(b: IRBuilder, node: ast.Set) -> str:
    """`{a, b, ...}` is `set((a, b, ...))` (typing unifies the items)."""
    if any(isinstance(e, ast.Starred) for e in node.elts):
        raise b.unsupported("starred expressions in sets are not supported", node)
    loc = b.loc(node)
    items = yield from _each(node.elts)
    func = b.assign(n.Global("set", set, loc))
    return b.assign(n.Call(func, (b.assign(n.BuildTuple(items, loc)),), (), loc))


def transform_SetComp(b: IRBuilder, node: ast.SetComp) -> str:
    """`{e for x in it if cond}` becomes a loop adding to a fresh `set()`."""
    loc = b.loc(node)
    result = b.temp()
    b.scope.add_local(result)
    b.assign(n.Call(b.assign(n.Global("set", set, loc)), (), (), loc), result)
    renamed = _own_scope(b, ast.copy_location(ast.ListComp(node.elt, node.generators), node))
    add = ast.Expr(ast.Call(ast.Attribute(ast.Name(result, ast.Load()), "add", ast.Load()),
                            [renamed.elt], []))
    _comprehension_loop(b, renamed, add)
    return result


def _own_scope(b: IRBuilder, node: ast.ListComp) -> ast.ListComp:
    """A copy whose loop variables have fresh names: a comprehension has its own scope, so
    `[x for x in a]` leaves a variable `x` of the function as it was."""
    targets = {t.id for gen in node.generators for t in ast.walk(gen.target)
               if isinstance(t, ast.Name)}
    renamed = {name: b.temp() for name in targets}
    for fresh in renamed.values():
        b.scope.add_local(fresh)
    copy = ast.ListComp(node.elt, [ast.comprehension(g.target, g.iter, g.ifs, g.is_async)
                                   for g in node.generators])
    first_iter = node.generators[0].iter  # evaluated in the enclosing scope
    copy = _Renamer(renamed).visit(deepcopy(copy))  # (never the function's own tree)
    copy.generators[0].iter = first_iter
    return ast.copy_location(copy, node)


own_scope = _own_scope  # (frontend/generators.py renames generator expressions alike)


class _Renamer(ast.NodeTransformer):
    def __init__(self, renamed: dict):
        self.renamed = renamed

    def visit_Name(self, name: ast.Name):
        if name.id in self.renamed:
            return ast.copy_location(ast.Name(self.renamed[name.id], name.ctx), name)
        return name


def transform_Lambda(b: IRBuilder, node: ast.Lambda) -> str:
    body = [ast.copy_location(ast.Return(node.body), node.body)]
    return lift(b, node, "<lambda>", node.args, body)


def transform_Subscript(b: IRBuilder, node: ast.Subscript) -> str:
    value = yield node.value
    index = yield node.slice
    return b.assign(n.GetItem(value, index, b.loc(node)))


def transform_Slice(b: IRBuilder, node: ast.Slice) -> str:
    parts = []
    for part in (node.lower, node.upper, node.step):
        parts.append(b.const(None) if part is None else (yield part))
    func = b.assign(n.Global("slice", slice, b.loc(node)))
    return b.assign(n.Call(func, tuple(parts), (), b.loc(node)))


def _each(nodes):
    """Transform `nodes` in order, inside a generator transform: `yield from _each(...)`."""
    results = []
    for node in nodes:
        results.append((yield node))
    return tuple(results)


def truth(b: IRBuilder, var: str) -> str:
    """Public form of `_truth` for statement transforms."""
    return _truth(b, var)


def transform_JoinedStr(b: IRBuilder, node: ast.JoinedStr) -> str:
    """f"a{x!r:>{w}}b" is `"a" + format(repr(x), ">" + format(w)) + "b"`, as CPython
    evaluates it: the value, its conversion, then the spec (itself an f-string)."""
    loc = b.loc(node)
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(b.const(value.value))
        else:
            parts.append((yield from _formatted_field(b, value, loc)))
    if len(parts) > 2:  # one join: a chain of + costs each piece's copy code again
        join = b.assign(n.GetAttr(b.const(""), "join", loc))
        return b.assign(n.Call(join, (b.assign(n.BuildTuple(tuple(parts), loc)),), (), loc))
    result = parts[0] if parts else b.const("")
    for part in parts[1:]:
        result = b.assign(n.BinOp(operator.add, result, part, loc))
    return result


_CONVERSIONS = {ord("s"): str, ord("r"): repr, ord("a"): ascii}


def _formatted_field(b: IRBuilder, node: ast.FormattedValue, loc):
    item = yield node.value
    if node.conversion != -1:
        item = _call_builtin(b, _CONVERSIONS[node.conversion], (item,), loc)
    if node.format_spec is None:
        return _call_builtin(b, format, (item,), loc)
    spec = yield node.format_spec
    return _call_builtin(b, format, (item, spec), loc)


def _call_builtin(b: IRBuilder, fn, args: tuple, loc) -> str:
    return b.assign(n.Call(b.assign(n.Global(fn.__name__, fn, loc)), args, (), loc))
