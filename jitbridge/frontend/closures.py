"""Inner functions and lambdas inside compiled functions, by lambda lifting.

`def inner(k): ... x ...` (x a local of the enclosing function) becomes a separate function
`inner(x, k)` compiled on its own; the enclosing function binds `inner` to a closure value
holding the captured values. Calls pass them first.

A captured variable that may change after the closure is made (declared `nonlocal` by an inner
function, or bound again after the `def`) is captured by reference instead: the closure holds
the address of the enclosing function's variable (a cell), and the lifted function reads and
writes it through `cell_get`/`cell_set`, so both functions always see the current value. Such a
closure may only be called or passed to a call: stored or returned, it could outlive the
variables it refers to.
"""
from __future__ import annotations

import ast
import copy
import itertools
import weakref

from ..errors import UnsupportedError
from ..ir import nodes as n
from ..ir.markers import LiftedFunction, cell_get, cell_set, make_closure
from .cfg import IRBuilder
from .closure_groups import group_problem, recursive_group
from .scope import local_names, nonlocal_writes
from .source import SourceInfo

_counter = itertools.count()
CELL_GET, CELL_SET, MAKE = "_jb_cell_get", "_jb_cell_set", "_jb_make_closure"


def lift(b: IRBuilder, node, name: str, args: ast.arguments, body: list) -> str:
    """Emit the closure value for an inner function or lambda; returns its variable."""
    group = recursive_group(b.source.tree, node, name)
    if group:
        return _lift_member(b, node, name, body, group)
    own = local_names(ast.FunctionDef(name=name, args=args, body=body, decorator_list=[]))
    captured = tuple(_free_locals(b, body, own))
    if name in captured:  # (a recursive function the group analysis cannot see)
        raise b.unsupported(f"recursive inner function {name!r} is not supported; define it "
                            "at module level with @njit", node)
    by_ref = _by_reference(b, node, captured)
    cells = _checked_cells(b, node, name, captured, by_ref)
    function = _compile_lifted(b, node, name, args, body, captured, frozenset(cells))
    return _emit_closure(b, node, name, LiftedFunction(function, captured, by_ref))


def _lift_member(b: IRBuilder, node, name: str, body: list, group: tuple) -> str:
    """A member of a recursive group (closure_groups.py): it captures what the whole group
    uses, by reference where any member needs it so, and makes the closures of the members
    it calls from those captured values."""
    problem = group_problem(b.source.tree, group)
    if problem is not None:
        raise b.unsupported(*problem)
    names = {m.name for m in group}
    captured = tuple(dict.fromkeys(c for m in group for c in _free_locals(b, m.body, m.own)
                                   if c not in names))
    by_ref = frozenset().union(*(_by_reference(b, m.node, captured) for m in group))
    cells = _checked_cells(b, node, name, captured, by_ref)
    member = next(m for m in group if m.node is node)
    function = _compile_lifted(b, node, name, member.args, body, captured, frozenset(cells),
                               member, names)
    lifted = LiftedFunction(function, captured, by_ref)
    _group_state(b).bind(member.name, lifted)
    return _emit_closure(b, node, name, lifted)


def _checked_cells(b: IRBuilder, node, name: str, captured: tuple, by_ref) -> set:
    """The captured variables held by reference (this function's or an enclosing one's);
    a closure holding any may only be called or passed to a call."""
    cells = by_ref | {c for c in captured if c in b.scope.cells}
    if cells or any(c in b.scope.cell_closures for c in captured):
        _check_no_escape(b, node, name, sorted(cells) or sorted(b.scope.cell_closures))
    return cells


def _emit_closure(b: IRBuilder, node, name: str, lifted: LiftedFunction) -> str:
    loc = b.loc(node)
    maker = b.assign(n.Global("make_closure", make_closure, loc))
    target = b.assign(n.Global(f"<lifted {name}>", lifted, loc))
    return b.assign(n.Call(maker, (target, *lifted.captured), (), loc))


def _free_locals(b: IRBuilder, body, own) -> list:
    found = []
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and b.scope.is_local(sub.id) and sub.id not in own \
                    and sub.id not in found:
                found.append(sub.id)
    return found


# -- which variables need cells ---------------------------------------------------------------

def _by_reference(b: IRBuilder, closure_node, captured) -> frozenset:
    """The captured variables that may be rebound while the closure made at `closure_node` is
    alive: an inner function writes them, or they are bound after the `def` or in a loop
    around it. (Those already references in this function are captured by value.)"""
    tree = b.source.tree
    written = nonlocal_writes(tree)
    where, loops = _position(closure_node), _enclosing_loops(tree, closure_node)
    return frozenset(name for name in captured if name not in b.scope.cells and (
        name in written or any(_position(binding) > where or loops & binding_loops
                               for binding, binding_loops in _bindings(tree, name))))


def _position(node) -> tuple:
    return (node.lineno, node.col_offset)


def _bindings(tree, name: str):
    """(node, ids of enclosing loops) for each place `tree` binds `name` (not nested scopes)."""
    for node, loops in _walk_with_loops(tree):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store) \
                or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.name == name and node is not tree:
            yield node, loops


def _enclosing_loops(tree, target) -> frozenset:
    for node, loops in _walk_with_loops(tree):
        if node is target:
            return loops
    return frozenset()


def _walk_with_loops(tree):
    """Nodes of a function body (not inside nested scopes) with their enclosing loops' ids."""
    stack = [(stmt, frozenset()) for stmt in tree.body]
    while stack:
        node, loops = stack.pop()
        yield node, loops
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        inner = loops | {id(node)} if isinstance(node, (ast.For, ast.While)) else loops
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


# -- closures holding references may only be called or passed down ---------------------------

def _check_no_escape(b: IRBuilder, node, name: str, cells: list) -> None:
    """The closure's name may only be called or passed to a call (which cannot hand it back:
    typing rejects results that hold references); record it as holding references."""
    allowed = _called_or_passed(b.source.tree)
    if id(node) in allowed:
        return  # a lambda passed straight to a call
    bound = name if isinstance(node, ast.FunctionDef) else _lambda_target(b.source.tree, node)
    why = (f"inner function {bound or name!r} refers to {', '.join(map(repr, cells))} of "
           f"{b.source.func.__qualname__!r} by reference (nonlocal, or bound again after the "
           "def), so it can only be called or passed to a call: stored or returned, it could "
           "outlive them")
    if bound is None:
        raise b.unsupported(why + "; assign the lambda to a name first", node)
    for use in ast.walk(b.source.tree):
        if isinstance(use, ast.Name) and use.id == bound and isinstance(use.ctx, ast.Load) \
                and id(use) not in allowed:
            raise b.unsupported(why, use)
    b.scope.cell_closures.add(bound)


def _called_or_passed(tree) -> set:
    """Ids of the expressions used as a call's function or as one of its arguments."""
    calls = [c for c in ast.walk(tree) if isinstance(c, ast.Call)]
    return {id(use) for call in calls
            for use in (call.func, *call.args, *(k.value for k in call.keywords))}


def _lambda_target(tree, lam):
    """The name in `name = lambda ...`, or None when the lambda is used otherwise."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and node.value is lam and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    return None


# -- the lifted function ----------------------------------------------------------------------

def _compile_lifted(b: IRBuilder, node, name, args, body, captured, cells: frozenset,
                    member=None, group_names=frozenset()):
    """The lifted function object, created from its AST (it keeps that AST for the frontend).
    A group member's parameters for captured names it has locals of are renamed (it only
    passes them on), and its body starts by making the closures of the members it calls."""
    own = member.own if member is not None else frozenset()
    body = _CellRewriter(cells - own, b, name).rewrite(copy.deepcopy(body))
    params = [_param(c, own) for c in captured]  # passed first, by position only
    free = {**b.scope.closure, CELL_GET: cell_get, CELL_SET: cell_set}
    calls = member.names(group_names) if member is not None else []
    if calls:
        if cells:
            _check_member_calls(b, member, calls, sorted(cells))
        body = [_member_closure(m, params, node) for m in calls] + body
        free.update({MAKE: make_closure, **{_lifted_var(m): None for m in calls}})
    new_args = ast.arguments(posonlyargs=[ast.arg(p) for p in params] + list(args.posonlyargs),
                             args=list(args.args), kwonlyargs=list(args.kwonlyargs),
                             kw_defaults=list(args.kw_defaults), defaults=list(args.defaults),
                             vararg=args.vararg, kwarg=args.kwarg)
    qualname = f"{b.source.func.__qualname__}.<locals>.{name}"
    fdef = ast.FunctionDef(name=name, args=new_args, body=body, decorator_list=[],
                           returns=None, type_params=[])
    ast.copy_location(fdef, node)
    function = _instantiate(b, node, fdef, free)
    function.__qualname__ = f"{qualname}_{next(_counter)}"
    function.__jitbridge_source__ = SourceInfo(function, b.source.filename, fdef, b.source.indent,
                                               b.source.lines)
    function.__jitbridge_cells__ = frozenset(_param(c, own) for c in cells)
    if calls:
        _group_state(b).need(function, calls)
    return function


def _instantiate(b: IRBuilder, node, fdef, free: dict):
    """Execute `fdef` inside a maker function whose parameters are the enclosing function's
    closure values (and the cell markers), so they are the new function's closure too."""
    names = sorted(free)
    maker = ast.FunctionDef(name="make", args=ast.arguments(
        posonlyargs=[], args=[ast.arg(f) for f in names], kwonlyargs=[], kw_defaults=[],
        defaults=[]), body=[fdef, ast.Return(ast.Name(fdef.name, ast.Load()))],
        decorator_list=[], returns=None, type_params=[])
    module = ast.fix_missing_locations(ast.Module(body=[ast.copy_location(maker, node)],
                                                  type_ignores=[]))
    try:
        code = compile(module, b.source.filename, "exec")
    except SyntaxError as exc:  # e.g. `nonlocal` naming a variable jitbridge froze
        raise b.unsupported(f"inner function {fdef.name!r} cannot be compiled: {exc.msg}",
                            node) from None
    namespace: dict = {}
    exec(code, b.source.func.__globals__, namespace)
    return namespace["make"](*(free[f] for f in names))


# -- recursive groups: each member makes the closures of those it calls ------------------------

def _param(captured: str, own) -> str:
    """A captured variable's parameter in a lifted function: its name, unless the function
    has a local of that name (a group member passing the value on to the others)."""
    return f"_jb_passed_{captured}" if captured in own else captured


def _lifted_var(member: str) -> str:
    return f"_jb_lifted_{member}"


def _member_closure(member: str, params: list, node) -> ast.Assign:
    """`member = make_closure(<lifted member>, *captured parameters)`."""
    value = _call(MAKE, ast.Name(_lifted_var(member), ast.Load()),
                  *(ast.Name(p, ast.Load()) for p in params))
    assign = ast.Assign([ast.Name(member, ast.Store())], value)
    return ast.fix_missing_locations(ast.copy_location(assign, node))


def _check_member_calls(b: IRBuilder, member, calls: list, cells: list) -> None:
    """Closures of a group holding references may only be called or passed to a call."""
    body = ast.Module(body=list(member.body), type_ignores=[])
    allowed = _called_or_passed(body)
    for use in ast.walk(body):
        if isinstance(use, ast.Name) and use.id in calls and isinstance(use.ctx, ast.Load) \
                and id(use) not in allowed:
            raise b.unsupported(
                f"inner function {use.id!r} refers to {', '.join(map(repr, cells))} of "
                f"{b.source.func.__qualname__!r} by reference (nonlocal, or bound again after "
                "the def), so it can only be called or passed to a call", use)


class _GroupState:
    """The members of recursive groups lifted so far in one function, and the lifted
    functions waiting for a member not lifted yet (their free variable is set on its lift:
    their bodies are compiled later, when the enclosing function is typed)."""

    def __init__(self):
        self.lifted: dict = {}
        self.waiting: dict = {}

    def need(self, function, members) -> None:
        for member in members:
            if member in self.lifted:
                _set_free(function, _lifted_var(member), self.lifted[member])
            else:
                self.waiting.setdefault(member, []).append(function)

    def bind(self, member: str, lifted: LiftedFunction) -> None:
        self.lifted[member] = lifted
        for function in self.waiting.pop(member, ()):
            _set_free(function, _lifted_var(member), lifted)


_GROUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # scope -> _GroupState


def _group_state(b: IRBuilder) -> _GroupState:
    state = _GROUPS.get(b.scope)
    if state is None:
        state = _GROUPS[b.scope] = _GroupState()
    return state


def _set_free(function, name: str, value) -> None:
    function.__closure__[function.__code__.co_freevars.index(name)].cell_contents = value


# -- accesses to cells --------------------------------------------------------------------------

class _CellRewriter(ast.NodeTransformer):
    """Rewrites a lifted body so each cell variable `y` is read as `cell_get(y)` and assigned
    as `cell_set(y, value)` (through a temporary, so unpacking and `+=` keep their meaning)."""

    def __init__(self, cells: frozenset, b: IRBuilder, function_name: str):
        self.cells, self.b, self.function_name = cells, b, function_name

    def rewrite(self, body: list) -> list:
        return [new for stmt in body for new in _as_list(self.visit(stmt))] or [ast.Pass()]

    # -- reads and stray writes ---------------------------------------------------------------
    def visit_Name(self, node: ast.Name):
        if node.id not in self.cells:
            return node
        if not isinstance(node.ctx, ast.Load):
            raise self._unsupported(node, node.id)
        return ast.copy_location(_call(CELL_GET, ast.Name(node.id, ast.Load())), node)

    def visit_Nonlocal(self, node: ast.Nonlocal):
        frozen = [name for name in node.names if name not in self.cells]
        if frozen:
            raise self.b.unsupported(
                f"in inner function {self.function_name!r}: `nonlocal {frozen[0]}` names a "
                f"variable of a Python function enclosing {self.b.source.func.__qualname__!r}; "
                "compiled code sees such variables as frozen constants, so it cannot assign "
                "them", node)
        return ast.copy_location(ast.Pass(), node)

    # -- assignments --------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign):
        node.value = self.visit(node.value)
        stores: list = []
        node.targets = [self._redirect(t, stores) for t in node.targets]
        return [node, *stores]

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is None:
            return ast.copy_location(ast.Pass(), node)
        assign = ast.copy_location(ast.Assign([node.target], node.value), node)
        return self.visit_Assign(assign)

    def visit_AugAssign(self, node: ast.AugAssign):
        node.value = self.visit(node.value)
        if not (isinstance(node.target, ast.Name) and node.target.id in self.cells):
            node.target = self.visit(node.target)
            return node
        name, temp = node.target.id, _temp(node.target.id)
        current = _call(CELL_GET, ast.Name(name, ast.Load()))
        load = ast.Assign([ast.Name(temp, ast.Store())], current)
        node.target = ast.Name(temp, ast.Store())
        return [ast.copy_location(s, node) for s in (load, node, _store(name, temp))]

    def visit_For(self, node: ast.For):
        node.iter = self.visit(node.iter)
        stores: list = []
        node.target = self._redirect(node.target, stores)
        node.body = stores + [new for stmt in node.body for new in _as_list(self.visit(stmt))]
        node.orelse = [new for stmt in node.orelse for new in _as_list(self.visit(stmt))]
        return node

    def _redirect(self, target, stores: list):
        """`target` with cell names replaced by temporaries; appends their `cell_set`s."""
        if isinstance(target, ast.Name) and target.id in self.cells:
            stores.append(ast.copy_location(_store(target.id, _temp(target.id)), target))
            return ast.copy_location(ast.Name(_temp(target.id), ast.Store()), target)
        if isinstance(target, (ast.Tuple, ast.List)):
            target.elts = [self._redirect(e, stores) for e in target.elts]
            return target
        return self.visit(target)

    # -- nested scopes ------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef):
        if node.name in self.cells:
            raise self._unsupported(node, node.name)
        node.args = self.visit(node.args)  # defaults are evaluated here; the body is lifted later
        return node

    def visit_Lambda(self, node: ast.Lambda):
        node.args = self.visit(node.args)
        return node

    def visit_comprehension(self, node: ast.comprehension):
        for bound in ast.walk(node.target):
            if isinstance(bound, ast.Name) and bound.id in self.cells:
                raise self._unsupported(bound, bound.id)
        return self.generic_visit(node)

    def _unsupported(self, node, name: str) -> UnsupportedError:
        return self.b.unsupported(
            f"in inner function {self.function_name!r}: this binding of {name!r}, a variable of "
            f"{self.b.source.func.__qualname__!r} captured by reference, is not supported; "
            "assign it with `=` instead", node)


def _as_list(result) -> list:
    return result if isinstance(result, list) else [result]


def _temp(name: str) -> str:
    return f"_jb_cell_value_{name}"


def _call(func: str, *args) -> ast.Call:
    return ast.Call(ast.Name(func, ast.Load()), list(args), [])


def _store(name: str, temp: str) -> ast.Expr:
    return ast.Expr(_call(CELL_SET, ast.Name(name, ast.Load()), ast.Name(temp, ast.Load())))
