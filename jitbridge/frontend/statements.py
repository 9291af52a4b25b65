"""Statement transforms: control flow becomes blocks, assignments become Assign/SetItem/SetAttr."""
from __future__ import annotations

import ast
import operator

from ..ir import nodes as n
from ..ir.markers import unpack_sequence
from .cfg import FinallyClause, IRBuilder, LoopTargets
from .closures import lift
from .expressions import INPLACE, truth
from .visitor import transform, transform_body
from .withblocks import find_call_statement_handler, find_with_handler


def transform_Expr(b: IRBuilder, node: ast.Expr) -> None:
    if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return  # docstring or bare string: no effect
    call = node.value
    if isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)):
        handler = find_call_statement_handler(b.scope.frozen(call.func))
        if handler is not None:  # e.g. breakpoint(): lifted into the interpreter
            handler(b, node)
            return
    transform(b, node.value)


def transform_Pass(b: IRBuilder, node: ast.Pass) -> None:
    return None


def transform_Return(b: IRBuilder, node: ast.Return) -> None:
    value = transform(b, node.value) if node.value is not None else b.const(None)
    if b.finallies:  # the value as computed now: the finally clauses run before the return
        value = b.assign(n.Var(value, b.loc(node)))
        _run_finallies(b, 0)
    b.emit(n.Return(value, b.loc(node)))
    b.start_unreachable()


def transform_Assign(b: IRBuilder, node: ast.Assign) -> None:
    value = transform(b, node.value)
    for target in node.targets:
        store(b, target, value)


def transform_AnnAssign(b: IRBuilder, node: ast.AnnAssign) -> None:
    if node.value is not None:
        store(b, node.target, transform(b, node.value))


def store(b: IRBuilder, target: ast.AST, value: str) -> None:
    """Bind `value` to an assignment target (name, tuple unpacking, subscript, attribute)."""
    loc = b.loc(target)
    if isinstance(target, ast.Name):
        b.assign(n.Var(value, loc), target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        _unpack(b, target, value)
    elif isinstance(target, ast.Subscript):
        b.emit(n.SetItem(transform(b, target.value), transform(b, target.slice), value, loc))
    elif isinstance(target, ast.Attribute):
        b.emit(n.SetAttr(transform(b, target.value), b.attribute(target), value, loc))
    else:
        raise b.unsupported(f"cannot assign to {ast.unparse(target)!r}", target)


def _unpack(b: IRBuilder, target, value: str) -> None:
    if any(isinstance(e, ast.Starred) for e in target.elts):
        raise b.unsupported("starred assignment is not supported", target)
    loc = b.loc(target)
    checker = b.assign(n.Global("unpack_sequence", unpack_sequence, loc))
    value = b.assign(n.Call(checker, (value, b.const(len(target.elts))), (), loc))
    for i, element in enumerate(target.elts):
        item = b.assign(n.GetItem(value, b.const(i), b.loc(element)))
        store(b, element, item)


def transform_Delete(b: IRBuilder, node: ast.Delete) -> None:
    """`del obj[key]` calls operator.delitem (which containers and extensions implement);
    deleting a name or an attribute is not supported."""
    for target in node.targets:
        if not isinstance(target, ast.Subscript):
            raise b.unsupported(f"'del {ast.unparse(target)}' is not supported (only "
                                "'del obj[key]')", target)
        loc = b.loc(target)
        delitem = b.assign(n.Global("operator.delitem", operator.delitem, loc))
        b.assign(n.Call(delitem, (transform(b, target.value), transform(b, target.slice)), (),
                        loc))


def transform_AugAssign(b: IRBuilder, node: ast.AugAssign) -> None:
    op, loc, target = INPLACE[type(node.op)], b.loc(node), node.target
    if isinstance(target, ast.Name):
        rhs = transform(b, node.value)
        b.assign(n.BinOp(op, transform(b, target), rhs, loc), target.id)
    elif isinstance(target, ast.Subscript):
        obj, index = transform(b, target.value), transform(b, target.slice)
        old = b.assign(n.GetItem(obj, index, loc))
        new = b.assign(n.BinOp(op, old, transform(b, node.value), loc))
        b.emit(n.SetItem(obj, index, new, loc))
    elif isinstance(target, ast.Attribute):
        obj = transform(b, target.value)
        old = b.assign(n.GetAttr(obj, b.attribute(target), loc))
        new = b.assign(n.BinOp(op, old, transform(b, node.value), loc))
        b.emit(n.SetAttr(obj, b.attribute(target), new, loc))
    else:
        raise b.unsupported(f"cannot assign to {ast.unparse(target)!r}", target)


def transform_If(b: IRBuilder, node: ast.If) -> None:
    then, orelse, done = b.new_block(), b.new_block(), b.new_block()
    b.branch(truth(b, transform(b, node.test)), then, orelse)
    for label, body in ((then, node.body), (orelse, node.orelse)):
        b.set_block(label)
        transform_body(b, body)
        b.jump(done)
    b.set_block(done)


def transform_While(b: IRBuilder, node: ast.While) -> None:
    header, body, orelse, done = (b.new_block() for _ in range(4))
    b.jump(header)
    b.set_block(header)
    b.branch(truth(b, transform(b, node.test)), body, orelse)
    _loop_body(b, node, body, header, orelse, done)


def transform_For(b: IRBuilder, node: ast.For) -> None:
    """`for x in it` → getiter; header: pair = iternext; branch pair[1]; body: x = pair[0]."""
    iterator = b.assign(n.GetIter(transform(b, node.iter), b.loc(node.iter)))
    header, body, orelse, done = (b.new_block() for _ in range(4))
    b.jump(header)
    b.set_block(header)
    pair = b.assign(n.IterNext(iterator, b.loc(node.iter)))
    b.branch(b.assign(n.GetItem(pair, b.const(1), b.loc(node.iter))), body, orelse)
    b.set_block(body)
    store(b, node.target, b.assign(n.GetItem(pair, b.const(0), b.loc(node.target))))
    _loop_body(b, node, body=None, header=header, orelse=orelse, done=done)


def _loop_body(b: IRBuilder, node, body, header: int, orelse: int, done: int) -> None:
    """Emit a loop body (into `body`, or the current block) with break/continue targets."""
    if body is not None:
        b.set_block(body)
    b.loops.append(LoopTargets(header, done, len(b.finallies)))
    transform_body(b, node.body)
    b.loops.pop()
    b.jump(header)
    b.set_block(orelse)
    transform_body(b, node.orelse)
    b.jump(done)
    b.set_block(done)


def transform_Break(b: IRBuilder, node: ast.Break) -> None:
    _run_finallies(b, b.loops[-1].finally_depth)
    b.jump(b.loops[-1].break_label)
    b.start_unreachable()


def transform_Continue(b: IRBuilder, node: ast.Continue) -> None:
    _run_finallies(b, b.loops[-1].finally_depth)
    b.jump(b.loops[-1].continue_label)
    b.start_unreachable()


def transform_Raise(b: IRBuilder, node: ast.Raise) -> None:
    if node.exc is not None:
        exception = transform(b, node.exc)
        for region in b.handlers:  # (what `except ... as e` of these regions may find)
            b.raised.setdefault(region, []).append(exception)
        b.emit(n.Raise(exception, b.loc(node)))
    else:  # outside an except clause: the exception the interpreter is handling, as Python
        b.emit(n.Reraise(b.handling[-1] if b.handling else None, b.loc(node)))
    b.start_unreachable()


def transform_Try(b: IRBuilder, node: ast.Try) -> None:
    """try/except/else/finally. The blocks of the try body form a region whose exceptions go
    to a dispatch block: a chain of `catch` tests, one per except clause, ending in a
    `reraise`. A finally clause is a region of its own around the rest, caught by a catch-all
    that runs it and re-raises; the paths leaving the statement run a copy of it."""
    if not node.finalbody:
        _try_except(b, node)
        return
    dispatch = b.new_block()
    b.finallies.append(FinallyClause(node.finalbody, b.handlers))
    with b.region((*b.handlers, dispatch)):
        b.enter_new_block()
        if node.handlers:
            _try_except(b, node)
        else:
            transform_body(b, node.body)
    b.finallies.pop()
    b.enter_new_block()  # outside the region: an exception in the finally body leaves it
    transform_body(b, node.finalbody)
    done = b.new_block()
    b.jump(done)
    b.set_block(dispatch)
    b.assign(n.Catch(dispatch, None, b.loc(node)))
    _handler_body(b, dispatch, node.finalbody)
    b.emit(n.Reraise(dispatch, b.loc(node)))
    b.set_block(done)


def _try_except(b: IRBuilder, node: ast.Try) -> None:
    dispatch, orelse, done = b.new_block(), b.new_block(), b.new_block()
    with b.region((*b.handlers, dispatch)):
        b.enter_new_block()
        transform_body(b, node.body)
    b.jump(orelse)
    b.set_block(dispatch)
    for handler in node.handlers:
        _except_clause(b, dispatch, handler, done)
    b.emit(n.Reraise(dispatch, b.loc(node)))
    b.set_block(orelse)
    transform_body(b, node.orelse)
    b.jump(done)
    b.set_block(done)


def _except_clause(b: IRBuilder, dispatch: int, handler: ast.ExceptHandler, done: int) -> None:
    """`except classes: body` as `if catch(classes): body; jump done`, else the next test.
    `except classes as name` binds name to the exception object when the body reads it (it
    is kept for that, as for a bare `raise`)."""
    classes = transform(b, handler.type) if handler.type is not None else None
    bound = handler.name is not None and _reads_name(handler.body, handler.name)
    keep = bound or _reraises(handler.body)
    matched = b.assign(n.Catch(dispatch, classes, b.loc(handler), keep))
    body, nomatch = b.new_block(), b.new_block()
    b.branch(matched, body, nomatch)
    b.set_block(body)
    if bound:
        raised = tuple(b.raised.get(dispatch, ()))
        b.assign(n.Caught(dispatch, classes, raised, b.loc(handler)), handler.name)
    _handler_body(b, dispatch, handler.body)
    b.jump(done)
    b.set_block(nomatch)


def _handler_body(b: IRBuilder, region: int, body: list) -> None:
    """Statements handling region's exception: a bare `raise` in them re-raises it."""
    b.handling.append(region)
    try:
        transform_body(b, body)
    finally:
        b.handling.pop()


def _reads_name(body: list, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name
               for stmt in body for node in ast.walk(stmt))


def _reraises(body: list) -> bool:
    """Whether an except clause may re-raise its exception (a bare `raise` in its own code)."""
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Raise) and node.exc is None:
            return True
        if not isinstance(node, (ast.FunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _run_finallies(b: IRBuilder, depth: int) -> None:
    """Emit the finally clauses opened since `depth` (innermost first), each in the regions
    outside its statement, before a jump or return leaves them (from the last one's block)."""
    clauses = b.finallies
    for index in range(len(clauses) - 1, depth - 1, -1):
        b.finallies = clauses[:index]  # a return inside runs only the clauses outside it
        try:
            with b.region(clauses[index].handlers):
                b.enter_new_block()
                transform_body(b, clauses[index].body)
        finally:
            b.finallies = clauses


def transform_Assert(b: IRBuilder, node: ast.Assert) -> None:
    fail, done = b.new_block(), b.new_block()
    b.branch(truth(b, transform(b, node.test)), done, fail)
    b.set_block(fail)
    args = (transform(b, node.msg),) if node.msg is not None else ()
    exc_class = b.assign(n.Global("AssertionError", AssertionError, b.loc(node)))
    exc = b.assign(n.Call(exc_class, args, (), b.loc(node)))
    b.emit(n.Raise(exc, b.loc(node)))
    b.set_block(done)


def transform_With(b: IRBuilder, node: ast.With) -> None:
    ctx = node.items[0].context_expr if len(node.items) == 1 else None
    func = ctx.func if isinstance(ctx, ast.Call) else ctx
    handler = find_with_handler(b.scope.frozen(func)) if func is not None else None
    if handler is None:
        raise b.unsupported("'with' is only supported for objmode blocks in compiled code", node)
    handler(b, node)


def transform_FunctionDef(b: IRBuilder, node: ast.FunctionDef) -> None:
    """An inner function: lifted, then bound to its name as a closure value; decorators are
    calls applied to it as Python applies them (evaluated first, the nearest one first)."""
    decorators = [transform(b, d) for d in node.decorator_list]
    value = lift(b, node, node.name, node.args, node.body)
    for decorator in reversed(decorators):
        value = b.assign(n.Call(decorator, (value,), (), b.loc(node)))
    b.assign(n.Var(value, b.loc(node)), node.name)
