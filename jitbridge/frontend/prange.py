"""`for i in prange(...)` in a function compiled with `parallel=True`: the loop is outlined.

The body becomes an inner function `kernel(lo, hi)` running iterations [lo, hi) (lambda-lifted
as any inner function, so it is compiled on its own and captures what it reads), and the loop
becomes a call of the `parallel_for` marker, which lib/parallel.py lowers to a parallel region
running the kernel on each thread's share of the iterations:

    s = 0                                 s = 0
    for i in prange(n):                   _jbp0_s = s
        s += a[i]             ==>         def _jbp0_kernel(_jb_lo, _jb_hi):
        b[i] = 2 * a[i]                       _jb_r0 = reduction_identity('+', _jbp0_s)
                                              for _jb_k in range(_jb_lo, _jb_hi):
                                                  i = start + _jb_k * step
                                                  _jb_r0 += a[i]; b[i] = 2 * a[i]
                                              return (_jb_r0,)
                                          def _jbp0_combine(_jb_a, _jb_b):
                                              return (_jb_a[0] + _jb_b[0],)
                                          _jbp0_parts = parallel_for(kernel, combine, count)
                                          s += _jbp0_parts[0]

A variable updated only by one reduction operator (`s += e`, `s -= e`, `s *= e`, `s /= e`,
`|= &= ^=`, `s = s + e`, `s = min(s, e)`, `s = max(s, e)`) is a reduction: each thread starts
from the operator's identity and the partial results are combined in thread order, then into
the variable. Every other variable the body assigns is private to an iteration; one it reads
before assigning (a loop-carried dependency) is refused, as are `break`, `return` and `yield`
in the body. The kernel is compiled without `parallel=True`: a `prange` inside it is a `range`
(nested parallelism runs serially, as in Numba).
"""
from __future__ import annotations

import ast
import builtins
import copy
import itertools
import warnings
from dataclasses import dataclass

from ..errors import NumbaPerformanceWarning
from ..ir.markers import (as_shape, nonnegative, parallel_for, pndindex, prange,
                          progress_close, progress_open, progress_rest, progress_tick,
                          range_count, reduction_identity, shape_count, unravel)
from .cfg import IRBuilder
from .unroll import transform_For as _other_for
from .visitor import transform_body

#: AST operator -> the reduction kind it updates with, and how partial results combine
_AUG_KIND = {ast.Add: "+", ast.Sub: "+", ast.Mult: "*", ast.Div: "*", ast.BitOr: "|",
             ast.BitAnd: "&", ast.BitXor: "^"}
_COMBINE_OP = {"+": ast.Add, "*": ast.Mult, "|": ast.BitOr, "&": ast.BitAnd, "^": ast.BitXor}
#: names the generated code refers to, bound in the function's closure while it is built
HELPERS = {"_jb_parallel_for": parallel_for, "_jb_range_count": range_count,
           "_jb_identity": reduction_identity, "_jb_range": builtins.range,
           "_jb_min": builtins.min, "_jb_max": builtins.max,
           "_jb_progress_open": progress_open, "_jb_progress_tick": progress_tick,
           "_jb_progress_rest": progress_rest, "_jb_progress_close": progress_close,
           "_jb_as_shape": as_shape, "_jb_shape_count": shape_count, "_jb_unravel": unravel,
           "_jb_nonnegative": nonnegative}
_counter = itertools.count()


@dataclass(frozen=True)
class ParallelLoop:
    """What `parallel_diagnostics()` reports of an outlined loop."""
    line: int
    variable: str
    #: variable -> reduction operator
    reductions: dict
    #: lines of the prange loops inside its body, which run serially in each iteration
    nested: tuple

    def describe(self) -> str:
        text = f"line {self.line}: prange loop over {self.variable!r} runs in parallel"
        if self.reductions:
            text += "; reductions: " + ", ".join(f"{v} ({op})" for v, op in self.reductions.items())
        for line in self.nested:
            text += f"\n  line {line}: nested prange loop runs serially inside each iteration"
        return text


@dataclass(frozen=True)
class SerialLoop:
    """What `parallel_diagnostics()` reports of a prange loop left serial."""
    line: int
    variable: str
    why: str

    def describe(self) -> str:
        return f"line {self.line}: prange loop over {self.variable!r} runs serially: {self.why}"


def is_parallel_loop(b: IRBuilder, node: ast.For) -> bool:
    return getattr(b, "parallel", False) and _prange_call(b, node.iter) is not None


def _prange_call(b: IRBuilder, call):
    """The `prange(...)` call of a loop's iterable (`prange(...)` or `progress(prange(...))`)."""
    if _calls(b, call, lambda f: f is prange or f is pndindex):
        return call
    if _calls(b, call, _is_progress) and len(call.args) == 1 and not call.keywords:
        return _prange_call(b, call.args[0])
    return None


def _calls(b: IRBuilder, node, test) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) \
        and test(b.scope.frozen(node.func))


def _is_progress(value) -> bool:
    """jitbridge.progress (not imported here: the bridges sit above the frontend)."""
    return getattr(value, "__module__", None) == "jitbridge.progressbar" and \
        getattr(value, "__name__", None) == "progress"


def outline(b: IRBuilder, node: ast.For) -> None:
    """Emit the outlined form of a prange loop (see the module docstring)."""
    call = _prange_call(b, node.iter)
    by_index = b.scope.frozen(call.func) is pndindex
    if not isinstance(node.target, ast.Name) and not by_index:
        raise b.unsupported("a prange loop needs a single loop variable", node.target)
    _check_body(b, node.body)
    reductions = find_reductions(b, node)
    lasts = _last_values(b, node, reductions)
    tag = f"_jbp{next(_counter)}"
    b.parallel_loops = getattr(b, "parallel_loops", []) + [ParallelLoop(
        node.lineno, ast.unparse(node.target), dict(reductions), _nested_pranges(b, node.body))]
    b.scope.closure.update(HELPERS)
    shown = node.iter is not _prange_call(b, node.iter)  # progress(prange(...))
    opening, launch = [], [_launch(tag, bool(reductions or lasts))]
    if shown:  # the bar is closed however the loop ends
        opening = [_assign(f"{tag}_bar", _call("_jb_progress_open", _name(f"{tag}_count"))),
                   _assign(f"{tag}_counter", _item(f"{tag}_bar", 1))]
        launch = [ast.Try(launch, [], [], [ast.Expr(_call("_jb_progress_close",
                                                          _item(f"{tag}_bar", 0)))])]
    bounds = _index_bounds(call, tag) if by_index else _range_bounds(b, call, tag)
    statements = bounds + _captures(tag, reductions, lasts) + opening + [
        _kernel(node, tag, reductions, lasts, (shown, by_index, call)),
        _combine(tag, reductions, lasts), *launch, *_fold(tag, reductions, lasts)]
    for stmt in statements:
        ast.fix_missing_locations(ast.copy_location(stmt, node))
        for name in _bound_names(stmt):
            b.scope.add_local(name)
    transform_body(b, statements)
    transform_body(b, node.orelse)


def _nested_pranges(b: IRBuilder, body: list) -> tuple:
    return tuple(sub.lineno for stmt in body for sub in ast.walk(stmt)
                 if isinstance(sub, ast.For) and isinstance(sub.iter, ast.Call)
                 and isinstance(sub.iter.func, (ast.Name, ast.Attribute))
                 and b.scope.frozen(sub.iter.func) is prange)


def _check_body(b: IRBuilder, body: list) -> None:
    """Refuse what cannot leave a parallel iteration: `return` and `yield` anywhere in the
    body, `break` of the prange loop itself (a nested loop's own break is its business)."""
    for sub in _walk_outside_functions(body, skip_loops=False):
        if isinstance(sub, ast.Return):
            raise b.unsupported("'return' is not allowed inside a prange loop", sub)
        if isinstance(sub, (ast.Yield, ast.YieldFrom)):
            raise b.unsupported("'yield' is not allowed inside a prange loop", sub)
    for sub in _walk_outside_functions(body):
        if isinstance(sub, ast.Break):
            raise b.unsupported("'break' is not allowed in a prange loop (its iterations run "
                                "in parallel, in no fixed order)", sub)


def _walk_outside_functions(body: list, skip_loops: bool = True):
    """Nodes of `body`, not descending into nested functions, nor into nested loops' bodies
    (whose break/continue are their own; their `else` clauses are walked) when `skip_loops`."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if skip_loops and isinstance(node, (ast.For, ast.While)):  # (its else is outside it)
            head = node.iter if isinstance(node, ast.For) else node.test
            stack.extend(reversed([head, *node.orelse]))
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


# -- reductions -----------------------------------------------------------------------------------

def find_reductions(b: IRBuilder, node: ast.For) -> dict:
    """{variable: reduction kind} of the loop. A variable the body assigns before reading it
    is private to the iteration; one it reads first must be a reduction (one operator), else
    a value would carry from one iteration to the next: refused."""
    updates: dict = {}
    for stmt in _walk_outside_functions(node.body, skip_loops=False):
        for name, kind in _updates(stmt):
            updates.setdefault(name, set()).add(kind)
    first_access = _first_accesses(node.body)
    reductions = {}
    for name, kinds in updates.items():
        if name in set(_target_names(node.target)) or not b.scope.is_local(name) or \
                isinstance(first_access[name].ctx, ast.Store):
            continue
        if kinds == {None}:
            raise b.unsupported(
                f"variable {name!r} is read in a prange loop before the iteration assigns it, "
                "so one iteration would depend on another; only reductions (+= -= *= /= |= "
                "&= ^= min max) may carry values", first_access[name])
        if None in kinds or len(kinds) > 1:
            raise b.unsupported(f"variable {name!r} is updated by different operators in a "
                                "prange loop; a reduction uses one of += -= *= /= |= &= ^= "
                                "min max", node)
        reductions[name] = kinds.pop()
    return reductions


def _last_values(b: IRBuilder, node: ast.For, reductions: dict) -> list:
    """The private variables the function reads outside the loop: after the loop they hold
    the value of the last iteration that assigned them, as in Python (and Numba). Each must
    have a value before the loop (the one it keeps if no iteration assigns it)."""
    inside = {id(sub) for sub in ast.walk(node)}
    outside = [sub for sub in ast.walk(b.source.tree) if isinstance(sub, ast.Name)
               and id(sub) not in inside]
    read = {sub.id for sub in outside if isinstance(sub.ctx, ast.Load)}
    bound = {sub.id for sub in outside if isinstance(sub.ctx, ast.Store)} | \
        {arg.arg for arg in ast.walk(b.source.tree.args) if isinstance(arg, ast.arg)}
    assigned = {name for stmt in _walk_outside_functions(node.body, skip_loops=False)
                for name, _ in _updates(stmt)}
    lasts = sorted(name for name in assigned - set(reductions) - set(_target_names(node.target))
                   if name in read and b.scope.is_local(name))
    for name in lasts:
        if name not in bound:
            raise b.unsupported(
                f"variable {name!r} is assigned in a prange loop and read after it: give it a "
                "value before the loop (it keeps the value of the last iteration that "
                "assigns it)", node)
    return lasts


def _first_accesses(body: list) -> dict:
    """name -> its first Name node in (roughly) evaluation order."""
    first: dict = {}
    for stmt in body:
        for sub in _in_evaluation_order(stmt):
            if isinstance(sub, ast.Name):
                first.setdefault(sub.id, sub)
    return first


def _updates(stmt):
    """(name, reduction kind or None) for each name `stmt` assigns."""
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        kind = _AUG_KIND.get(type(stmt.op))
        reads_itself = _reads(stmt.value, stmt.target.id)
        yield stmt.target.id, None if reads_itself else kind
    elif isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            for name in _target_names(target):
                yield name, _assign_kind(name, target, stmt.value)
    elif isinstance(stmt, (ast.For, ast.AnnAssign, ast.NamedExpr)):
        for name in _target_names(stmt.target):
            yield name, None
    elif isinstance(stmt, ast.With):
        for item in stmt.items:
            for name in _target_names(item.optional_vars) if item.optional_vars else ():
                yield name, None


def _assign_kind(name, target, value):
    """`s = s + e` / `s = e + s` / `s = min(s, e)`: the reduction kind, else None."""
    if not isinstance(target, ast.Name):
        return None
    if isinstance(value, ast.BinOp) and type(value.op) in _AUG_KIND:
        left, right = value.left, value.right
        if _is_name(left, name) and not _reads(right, name):
            return _AUG_KIND[type(value.op)]
        if _is_name(right, name) and not _reads(left, name) and \
                type(value.op) in (ast.Add, ast.Mult, ast.BitOr, ast.BitAnd, ast.BitXor):
            return _AUG_KIND[type(value.op)]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            value.func.id in ("min", "max") and len(value.args) == 2 and not value.keywords:
        first, second = value.args
        if _is_name(first, name) and not _reads(second, name) or \
                _is_name(second, name) and not _reads(first, name):
            return value.func.id
    return None


def _is_name(node, name) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _reads(node, name) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
               for n in ast.walk(node))


def _target_names(target):
    for node in ast.walk(target):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id


def _in_evaluation_order(stmt):
    """Name nodes of `stmt` roughly in the order Python evaluates them (values before the
    targets they are assigned to)."""
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        if stmt.value is not None:
            yield from _names(stmt.value)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(stmt, ast.AugAssign):
                if isinstance(target, ast.Name):
                    yield ast.copy_location(ast.Name(target.id, ast.Load()), target)
            yield from _names(target)
    elif isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
        return
    else:
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.stmt):
                yield from _in_evaluation_order(child)
            elif isinstance(child, (ast.excepthandler, ast.withitem, ast.match_case)):
                for part in ast.iter_child_nodes(child):
                    yield from _in_evaluation_order(part) if isinstance(part, ast.stmt) \
                        else _names(part)
            else:
                yield from _names(child)


def _names(node):
    return (n for n in ast.walk(node) if isinstance(n, ast.Name))


# -- the generated statements -----------------------------------------------------------------

def _name(name: str, store: bool = False) -> ast.Name:
    return ast.Name(name, ast.Store() if store else ast.Load())


def _assign(name: str, value) -> ast.Assign:
    return ast.Assign([_name(name, store=True)], value)


def _call(func: str, *args) -> ast.Call:
    return ast.Call(_name(func), list(args), [])


def _range_bounds(b: IRBuilder, call: ast.Call, tag: str) -> list:
    args = list(call.args)
    if call.keywords or not 1 <= len(args) <= 3:
        raise b.unsupported("prange() takes 1 to 3 positional arguments, as range()", call)
    start, stop, step = ([ast.Constant(0)] + args + [ast.Constant(1)])[:3] if len(args) == 1 \
        else (args + [ast.Constant(1)])[:3]
    return [_assign(f"{tag}_start", start), _assign(f"{tag}_stop", stop),
            _assign(f"{tag}_step", step),
            _assign(f"{tag}_count", _call("_jb_range_count", _name(f"{tag}_start"),
                                          _name(f"{tag}_stop"), _name(f"{tag}_step")))]


def _index_bounds(call: ast.Call, tag: str) -> list:
    """pndindex(*shape): the flat index k over the shape's index tuples."""
    return [_assign(f"{tag}_shape", ast.Call(_name("_jb_as_shape"), list(call.args), [])),
            _assign(f"{tag}_count", _call("_jb_shape_count", _name(f"{tag}_shape")))]


def _stored(target):
    """A copy of a loop target in store context (a name or a tuple of names)."""
    target = copy.deepcopy(target)
    for node in ast.walk(target):
        if hasattr(node, "ctx"):
            node.ctx = ast.Store()
    return target


def _captures(tag: str, reductions: dict, lasts: list) -> list:
    """Each reduction's and last-value variable's value before the loop, under a name bound
    only here (so the kernel captures it by value: the variable is assigned after the loop)."""
    return [_assign(f"{tag}_init{i}", _name(var)) for i, var in enumerate(reductions)] + \
        [_assign(f"{tag}_before{i}", _name(var)) for i, var in enumerate(lasts)]


class _Marker(ast.NodeTransformer):
    """After each statement that assigns one of `names`, `<flag> = True` (the flag of that
    name): whether an iteration of the thread's share assigned it."""

    def __init__(self, flags: dict):
        self.flags = flags

    def generic_visit(self, node):
        super().generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if isinstance(statements, list) and statements and \
                    isinstance(statements[0], ast.stmt):
                setattr(node, field, self.marked(statements))
        return node

    def marked(self, statements: list) -> list:
        out = []
        for stmt in statements:
            out.append(stmt)
            out.extend(ast.copy_location(_assign(self.flags[name], ast.Constant(True)), stmt)
                       for name, _ in _updates(stmt) if name in self.flags)
        return out


class _Renamer(ast.NodeTransformer):
    def __init__(self, names: dict):
        self.names = names

    def visit_Name(self, node):
        new = self.names.get(node.id)
        return ast.copy_location(ast.Name(new, node.ctx), node) if new else node


def _kernel(node: ast.For, tag: str, reductions: dict, lasts: list,
            kind: tuple) -> ast.FunctionDef:
    shown, by_index, call = kind
    partials = {var: f"_jb_r{i}" for i, var in enumerate(reductions)}
    flags = {var: f"_jb_set{i}" for i, var in enumerate(lasts)}
    marker = _Marker(flags)
    body = marker.marked([marker.visit(_Renamer(partials).visit(copy.deepcopy(stmt)))
                          for stmt in node.body])
    index = ast.BinOp(_name(f"{tag}_start"), ast.Add(),
                      ast.BinOp(_name("_jb_k"), ast.Mult(), _name(f"{tag}_step"))) \
        if not by_index else _call("_jb_unravel", _name("_jb_k"), _name(f"{tag}_shape"))
    counting = [ast.Expr(_call("_jb_progress_tick", _name(f"{tag}_counter"),
                               ast.BinOp(_name("_jb_k"), ast.Sub(), _name("_jb_lo"))))] \
        if shown else []
    offset = None if by_index else _counting_offset(call)
    if offset is not None:  # the loop variable itself counts up from the share's start
        bounds = [_call("_jb_nonnegative", _shift(_name("_jb_lo"), offset)),
                  _shift(_name("_jb_hi"), offset)]
        counting = [ast.Expr(_call("_jb_progress_tick", _name(f"{tag}_counter"), ast.BinOp(
            _name(node.target.id), ast.Sub(), copy.deepcopy(bounds[0].args[0]))))] \
            if shown else []
        loop = ast.For(_stored(node.target), _call("_jb_range", *bounds), [*counting, *body], [])
    else:
        loop = ast.For(_name("_jb_k", store=True),
                       _call("_jb_range", _name("_jb_lo"), _name("_jb_hi")),
                       [*counting, ast.copy_location(ast.Assign([_stored(node.target)], index),
                                                     node.target), *body], [])
    done = [ast.Expr(_call("_jb_progress_rest", _name(f"{tag}_counter"),
                           ast.BinOp(_name("_jb_hi"), ast.Sub(), _name("_jb_lo"))))] \
        if shown else []
    inits = [_assign(partial, _call("_jb_identity", ast.Constant(reductions[var]),
                                    _name(f"{tag}_init{i}")))
             for i, (var, partial) in enumerate(partials.items())]
    inits += [statement for i, var in enumerate(lasts) for statement in (
        _assign(var, _name(f"{tag}_before{i}")), _assign(flags[var], ast.Constant(False)))]
    items = [_name(p) for p in partials.values()] + \
        [ast.Tuple([_name(flags[var]), _name(var)], ast.Load()) for var in lasts]
    result = ast.Tuple(items, ast.Load()) if items else ast.Constant(None)
    args = ast.arguments(posonlyargs=[], args=[ast.arg("_jb_lo"), ast.arg("_jb_hi")],
                         kwonlyargs=[], kw_defaults=[], defaults=[])
    return ast.FunctionDef(f"{tag}_kernel", args, [*inits, ast.copy_location(loop, node),
                                                   *done, ast.Return(result)], [], None,
                           type_params=[])


def _counting_offset(call):
    """The constant start of a prange stepping by 1 from a constant >= 0 (`prange(n)`,
    `prange(2, n)`), whose iterations the loop variable can count directly; else None."""
    args = call.args
    if len(args) == 1:
        return 0
    start, step = args[0], (args[2] if len(args) == 3 else ast.Constant(1))
    if isinstance(start, ast.Constant) and type(start.value) is int and start.value >= 0 and \
            isinstance(step, ast.Constant) and step.value == 1 and type(step.value) is int:
        return start.value
    return None


def _shift(node, offset: int):
    return node if offset == 0 else ast.BinOp(node, ast.Add(), ast.Constant(offset))


def _combined(kind: str, left, right):
    if kind in ("min", "max"):
        return _call(f"_jb_{kind}", left, right)
    return ast.BinOp(left, _COMBINE_OP[kind](), right)


def _item(name: str, index: int):
    return ast.Subscript(_name(name), ast.Constant(index), ast.Load())


def _combine(tag: str, reductions: dict, lasts: list) -> ast.stmt:
    """Partial results of two consecutive shares combined: reductions by their operator,
    last values from the later share when it assigned them."""
    if not reductions and not lasts:
        return _assign(f"{tag}_combine", ast.Constant(None))
    items = [_combined(kind, _item("_jb_a", i), _item("_jb_b", i))
             for i, kind in enumerate(reductions.values())]
    for i in range(len(reductions), len(reductions) + len(lasts)):
        later, earlier = _item("_jb_b", i), _item("_jb_a", i)
        items.append(ast.IfExp(ast.Subscript(later, ast.Constant(0), ast.Load()), later,
                               earlier))
    args = ast.arguments(posonlyargs=[], args=[ast.arg("_jb_a"), ast.arg("_jb_b")],
                         kwonlyargs=[], kw_defaults=[], defaults=[])
    return ast.FunctionDef(f"{tag}_combine", args, [ast.Return(ast.Tuple(items, ast.Load()))],
                           [], None, type_params=[])


def _launch(tag: str, results: bool) -> ast.stmt:
    call = _call("_jb_parallel_for", _name(f"{tag}_kernel"), _name(f"{tag}_combine"),
                 _name(f"{tag}_count"))
    return _assign(f"{tag}_parts", call) if results else ast.Expr(call)


def _fold(tag: str, reductions: dict, lasts: list) -> list:
    """Each variable updated with its partial result, in place for arrays as `+=` does; each
    last value taken when an iteration assigned it."""
    statements = []
    for i, var in enumerate(lasts, start=len(reductions)):
        last = _item(f"{tag}_parts", i)
        statements.append(ast.If(ast.Subscript(last, ast.Constant(0), ast.Load()),
                                 [_assign(var, ast.Subscript(copy.deepcopy(last),
                                                             ast.Constant(1), ast.Load()))],
                                 []))
    for i, (var, kind) in enumerate(reductions.items()):
        part = _item(f"{tag}_parts", i)
        if kind in ("min", "max"):
            statements.append(_assign(var, _combined(kind, _name(var), part)))
        else:
            statements.append(ast.AugAssign(_name(var, store=True), _COMBINE_OP[kind](), part))
    return statements


def _bound_names(stmt) -> list:
    if isinstance(stmt, ast.FunctionDef):
        return [stmt.name]
    if isinstance(stmt, ast.Assign):
        return [n for t in stmt.targets for n in _target_names(t)]
    if isinstance(stmt, ast.Try):
        return [n for inner in stmt.body for n in _bound_names(inner)]
    return []


def transform_For(b: IRBuilder, node: ast.For) -> None:
    if is_parallel_loop(b, node) and b.handlers:
        _warn_serial_in_try(b, node)
        _other_for(b, node)
    elif is_parallel_loop(b, node):
        outline(b, node)
    else:
        _other_for(b, node)


def _warn_serial_in_try(b: IRBuilder, node: ast.For) -> None:
    """A prange loop inside a try block runs serially (as in Numba): the handler of an
    exception raised by iteration k must see the iterations before k done and none after,
    which threads running ahead would break."""
    loc = b.loc(node)
    b.parallel_loops = getattr(b, "parallel_loops", []) + [SerialLoop(
        node.lineno, ast.unparse(node.target), "it is inside a try block")]
    warnings.warn_explicit(
        "The keyword argument 'parallel=True' was specified but no transformation for "
        f"parallel execution was possible for the prange loop of {loc.func_name!r}"
        " inside a try block: it runs serially, so that an exception it raises is caught "
        "with the iterations before it done and none after.",
        NumbaPerformanceWarning, loc.filename, loc.line)
