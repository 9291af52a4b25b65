"""objmode: `with objmode(y='intp[:]'):` blocks run in the Python interpreter from compiled code.

The frontend lifts the block's AST into an ordinary Python function whose parameters are the
local variables the block reads and whose result is `(flag, returned value, *outputs)`. Compiled
code calls it holding the GIL: inputs are boxed (arrays share memory), outputs are checked against
their annotations and unboxed into values that own what they reference. `return`, `break` and
`continue` inside the block set the flag; the code after the call acts on it. `breakpoint()` and
`pdb.set_trace()` in compiled code are lifted the same way, with every local variable visible.
"""
from __future__ import annotations

import ast
import builtins
import functools
import itertools
import operator
import pdb

from llvmlite import ir

from . import types
from .core import cgutils
from .errors import Loc, TypingError, UnsupportedError
from .extending import AbstractTemplate, VarArg, lower_builtin, register
from .frontend.cfg import IRBuilder
from .frontend.statements import store
from .frontend.withblocks import register_call_statement_handler, register_with_handler
from .ir import nodes as n
from .objmode_annotations import check_outgoing, check_output, parse_annotations
from .runtime.boxing import BoxContext, NativeValue, box, can_cross_boundary, check_exact, unbox

FLAG_NORMAL, FLAG_RETURN, FLAG_BREAK, FLAG_CONTINUE = range(4)
_names = itertools.count()


class _ObjModeContext:
    """`objmode(**outputs)`: a no-op context manager when used outside compiled code."""

    def __call__(self, *args, **annotations):
        if args:
            raise TypeError("objmode() takes output annotations as keyword arguments only")
        return self

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return "objmode"


objmode = _ObjModeContext()


class ObjModeBlock:
    """A lifted block: its Python function, input names, output annotations, control flow."""

    def __init__(self, function, inputs, outputs, return_type, flags, loc, lenient=False):
        self.function = function
        self.inputs = tuple(inputs)
        self.outputs = dict(outputs)
        self.return_type = return_type
        self.flags = flags
        self.loc = loc
        self.lenient = lenient  # breakpoint(): skip inputs that have no Python equivalent
        self._numba_type_ = ObjModeBlockType(self)

    def __repr__(self):
        return f"<objmode block at {self.loc}>"


class ObjModeBlockType(types.Callable, types.Dummy):
    def __init__(self, block: ObjModeBlock):
        self.block = block
        super().__init__(f"objmode_block({block.loc})")

    @property
    def key(self):
        return self.block  # (compared by identity: each block is its own code)

    @property
    def interpreted_lines(self) -> set:
        """The source lines the interpreter runs (the annotated view shades them)."""
        return {line for _, _, line in self.block.function.__code__.co_lines() if line}


# -- frontend: lifting the with-body ---------------------------------------------------------------

def handle_objmode(b: IRBuilder, node: ast.With) -> None:
    """The `with objmode(...)` handler registered with the frontend."""
    item = node.items[0]
    if item.optional_vars is not None:
        raise b.unsupported("'with objmode(...) as name' is not supported", node)
    outputs = parse_annotations(b, item.context_expr)
    check_outgoing(b, node, outputs)
    _lift(b, node, node.body, outputs, lenient=False)


def handle_breakpoint(b: IRBuilder, node: ast.Expr) -> None:
    """`breakpoint()` / `pdb.set_trace()`: an objmode block with every bound local as input."""
    line = node.lineno
    names = [a.arg for a in b.source.tree.args.args]
    for sub in ast.walk(b.source.tree):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and sub.lineno < line \
                and sub.id not in names and not sub.id.startswith("$"):
            names.append(sub.id)
    _lift(b, node, [node], {}, lenient=True, inputs=names)


def _lift(b: IRBuilder, node, body: list, outputs: dict, lenient: bool, inputs=None) -> None:
    loc = b.loc(node)
    flow = _ControlFlow(b, outputs, in_loop=bool(b.loops))
    new_body = [flow.visit(stmt) for stmt in body]
    if not b.loops and flow.flags & {FLAG_BREAK, FLAG_CONTINUE}:
        raise UnsupportedError("'break'/'continue' in an objmode block outside any loop", loc)
    if inputs is None:
        inputs = _inputs(b, body, outputs)
    function = _make_function(b, inputs, new_body, list(outputs), loc)
    block = ObjModeBlock(function, inputs, outputs, flow.return_type, flow.flags, loc, lenient)
    _emit_call(b, block, node)


def _inputs(b: IRBuilder, body, outputs) -> list:
    """Function locals the block reads that are bound outside it (block-only names excluded)."""
    read = []
    for stmt in body:
        for sub in ast.walk(stmt):
            target = sub.target if isinstance(sub, ast.AugAssign) else None  # `y += 1` reads y
            for name in (sub, target):
                if isinstance(name, ast.Name) and (name is target or isinstance(name.ctx, ast.Load)) \
                        and name.id not in read:
                    read.append(name.id)
    bound = _bound_outside(b, body)
    return [name for name in read if b.scope.is_local(name) and name in bound]


def _bound_outside(b: IRBuilder, body) -> set:
    """Arguments and names assigned in the function outside `body` (one walk)."""
    inside = {id(x) for stmt in body for x in ast.walk(stmt)}
    bound = {a.arg for a in b.source.tree.args.args}
    for sub in ast.walk(b.source.tree):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and id(sub) not in inside:
            bound.add(sub.id)
    return bound


class _ControlFlow(ast.NodeTransformer):
    """Rewrites return/break/continue of the block into `return (flag, value, *outputs)`."""

    def __init__(self, b: IRBuilder, outputs: dict, in_loop: bool):
        self.b, self.outputs, self.in_loop = b, outputs, in_loop
        self.flags: set = set()
        self.return_type = types.none
        self._loop_depth = 0

    def _exit(self, node, flag, value=None):
        self.flags.add(flag)
        result = ast.Tuple([ast.Constant(flag), value or ast.Constant(None),
                            *(ast.Name(o, ast.Load()) for o in self.outputs)], ast.Load())
        return ast.copy_location(ast.Return(result), node)

    def visit_Return(self, node):
        if node.value is not None and not (isinstance(node.value, ast.Name)
                                           and node.value.id in self.outputs):
            raise UnsupportedError("'return' inside an objmode block must return one of the "
                                   f"annotated outputs ({', '.join(self.outputs) or 'none'})",
                                   self.b.loc(node))
        if node.value is not None:
            self.return_type = self.outputs[node.value.id]
        return self._exit(node, FLAG_RETURN, node.value)

    def visit_Break(self, node):
        return node if self._loop_depth else self._exit(node, FLAG_BREAK)

    def visit_Continue(self, node):
        return node if self._loop_depth else self._exit(node, FLAG_CONTINUE)

    def _loop(self, node):
        self._loop_depth += 1
        node.body = [self.visit(s) for s in node.body]
        self._loop_depth -= 1
        node.orelse = [self.visit(s) for s in node.orelse]
        return node

    visit_For = visit_While = visit_AsyncFor = _loop

    def visit_FunctionDef(self, node):
        return node  # returns inside nested functions belong to them

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef

    def visit_Yield(self, node):
        raise UnsupportedError("'yield' inside an objmode block is not supported", self.b.loc(node))

    visit_YieldFrom = visit_Yield

    def visit_Nonlocal(self, node):
        raise UnsupportedError("'nonlocal' inside an objmode block is not supported",
                               self.b.loc(node))


def _make_function(b: IRBuilder, inputs, body, outputs, loc: Loc):
    """Compile the lifted body as `def block(*inputs)`, closing over frozen closure values."""
    name = f"objmode_block_{next(_names)}"
    tail = ast.Return(ast.Tuple([ast.Constant(FLAG_NORMAL), ast.Constant(None),
                                 *(ast.Name(o, ast.Load()) for o in outputs)], ast.Load()))
    args = ast.arguments(posonlyargs=[], args=[ast.arg(i) for i in inputs], kwonlyargs=[],
                         kw_defaults=[], defaults=[])
    func = ast.FunctionDef(name=name, args=args, body=[*body, tail], decorator_list=[],
                           returns=None, type_params=[])
    free = sorted(b.scope.closure)
    maker = ast.FunctionDef(
        name="make", args=ast.arguments(posonlyargs=[], args=[ast.arg(f) for f in free],
                                        kwonlyargs=[], kw_defaults=[], defaults=[]),
        body=[func, ast.Return(ast.Name(name, ast.Load()))], decorator_list=[], returns=None,
        type_params=[])
    module = ast.Module(body=[maker], type_ignores=[])
    for sub in ast.walk(module):  # new nodes get the block's position
        if not hasattr(sub, "lineno"):
            sub.lineno, sub.col_offset = loc.line, 0
        sub.end_lineno = getattr(sub, "end_lineno", None) or sub.lineno
        sub.end_col_offset = getattr(sub, "end_col_offset", None) or 0
    namespace: dict = {}
    exec(compile(module, loc.filename, "exec"), b.source.func.__globals__, namespace)
    return namespace["make"](*(b.scope.closure[f] for f in free))


def _emit_call(b: IRBuilder, block: ObjModeBlock, node) -> None:
    loc = b.loc(node)
    func = b.assign(n.Global(f"<objmode block {loc}>", block, loc))
    result = b.assign(n.Call(func, tuple(block.inputs), (), loc))
    for index, name in enumerate(block.outputs):
        store(b, ast.Name(name, ast.Store(), lineno=node.lineno, col_offset=node.col_offset),
              b.assign(n.GetItem(result, b.const(index + 2), loc)))
    flag = b.assign(n.GetItem(result, b.const(0), loc))
    for kind in sorted(block.flags):
        _emit_exit(b, kind, flag, result, loc)


def _emit_exit(b: IRBuilder, kind: int, flag: str, result: str, loc) -> None:
    taken, rest = b.new_block(), b.new_block()
    eq = b.assign(n.Compare(operator.eq, flag, b.const(kind), loc))
    b.branch(eq, taken, rest)
    b.set_block(taken)
    if kind == FLAG_RETURN:
        b.emit(n.Return(b.assign(n.GetItem(result, b.const(1), loc)), loc))
    elif kind == FLAG_BREAK:
        b.jump(b.loops[-1].break_label)
    else:
        b.jump(b.loops[-1].continue_label)
    b.set_block(rest)


register_with_handler(objmode, handle_objmode)
register_call_statement_handler(builtins.breakpoint, handle_breakpoint)
register_call_statement_handler(pdb.set_trace, handle_breakpoint)


# -- typing ------------------------------------------------------------------------------------------

class ObjModeCall(AbstractTemplate):
    """Calling a lifted block: inputs must have Python equivalents; the result is
    (flag, returned value, *outputs) with the annotated types."""

    key = ObjModeBlockType

    def generic(self, args, kws):
        block_ty, *inputs = args
        block = block_ty.block
        for name, ty in zip(block.inputs, inputs):
            if not block.lenient and not can_cross_boundary([], ty):
                raise TypingError(f"variable {name!r} of type {ty} cannot be passed into an "
                                  "objmode block (it has no Python equivalent)", block.loc)
            if isinstance(ty, types.List) and ty.dtype.name == "undefined":
                raise TypingError(f"list {name!r} passed into an objmode block has no known "
                                  "item type: give it one in compiled code first", block.loc)
        for name, ty in block.outputs.items():
            if not can_cross_boundary([ty], types.none):
                raise TypingError(f"objmode output {name!r}: values of type {ty} cannot come "
                                  "back from Python", block.loc)
        result = types.Tuple([types.int64, block.return_type, *block.outputs.values()])
        return types.signature(result, block_ty, *(types.unliteral(t) for t in inputs))


register(ObjModeCall)


# -- lowering -----------------------------------------------------------------------------------------

@lower_builtin(ObjModeBlockType, ObjModeBlockType, VarArg(types.Any))
def objmode_call_impl(context, builder, sig, args):
    """GIL held: box inputs, call the block, check and unbox its outputs."""
    block = sig.args[0].block
    c = BoxContext(context, builder, owned=True)
    api = c.pyapi
    state = api.gil_ensure()
    func = api.constant_object(block.function, "objmode")
    inputs = list(zip(block.inputs, sig.args[1:], args[1:]))
    boxed = _box_inputs(c, inputs)
    result = api.call_function_objargs(func, boxed)
    _fail_if(context, builder, api, state, cgutils.is_null(builder, result), [], boxed)
    for (name, ty, value), obj in zip(inputs, boxed):
        if isinstance(ty, types.List) and can_cross_boundary([], ty):
            _reflect_list(c, block, name, ty, value, obj, state, [*boxed, result])
    for obj in boxed:
        api.decref(obj)  # Py_DecRef ignores NULL
    values = _unpack_result(context, builder, c, block, sig.return_type, result, state)
    api.decref(result)
    api.gil_release(state)
    return context.make_tuple(builder, sig.return_type, values)


def _box_inputs(c, inputs):
    """Boxed inputs; one native list held by several variables is one Python list, so a
    mutation through one name is seen through the others (and reflected once)."""
    boxed = []
    for index, (_, ty, value) in enumerate(inputs):
        earlier = [(t, v, obj) for (_, t, v), obj in zip(inputs[:index], boxed)
                   if isinstance(ty, types.List) and t == ty]
        boxed.append(_box_input(c, ty, value, earlier))
    return boxed


def _box_input(c, ty, value, earlier=()):
    if not can_cross_boundary([], ty):  # lenient (breakpoint) blocks only
        return c.pyapi.make_none()
    if earlier:
        return _box_list_once(c, ty, value, earlier)
    c.context.incref(c.builder, ty, value)  # boxing steals a reference
    return c.box(ty, value)


def _box_list_once(c, ty, value, earlier):
    """The Python list an earlier input with the same MemInfo was boxed to, else a new one."""
    b = c.builder
    meminfo = c.context.make_helper(b, ty, value).meminfo
    alias = ir.Constant(c.pyapi.pyobj, None)
    for other_ty, other, obj in earlier:
        same = b.icmp_unsigned("==", c.context.make_helper(b, other_ty, other).meminfo, meminfo)
        alias = b.select(same, obj, alias)
    slot = cgutils.alloca_once_value(b, alias)
    with b.if_else(cgutils.is_null(b, alias)) as (fresh, shared):
        with fresh:
            c.context.incref(b, ty, value)
            b.store(c.box(ty, value), slot)
        with shared:
            c.pyapi.incref(alias)
    return b.load(slot)


def _reflect_list(c, block, name, ty, value, obj, state, pyobjects):
    """The block got a Python list for a native one (a copy, or the list's Python parent) and
    may have changed it: read it back, each item checked, into the native list, so the code
    after the block (and every alias of the list) sees the change, as in Python."""
    b, api = c.builder, c.pyapi
    native = c.unbox(ty, obj)  # on failure the partial list is already released
    with cgutils.if_unlikely(b, native.is_error):
        _name_the_output(api, b, functools.partial(changed_list_error, block, name, ty), obj)
    _fail_if(c.context, b, api, state, native.is_error, [], pyobjects)
    _replace_items(c.context, b, ty, value, native.value)


def _replace_items(context, builder, ty, target, source):
    """Make `target` hold the items of `source` (then released), through the list's own
    operations (pop, append), so the list stays valid whatever its implementation."""
    pop = _list_operation(context, ty, "pop", ())
    append = _list_operation(context, ty, "append", (ty.dtype,))
    getitem = _list_operation(context, ty, operator.getitem, (types.intp,))
    with cgutils.for_range(builder, _list_size(context, builder, ty, target)):
        context.decref(builder, ty.dtype, pop(builder, [target]))  # pop hands over the item
    with cgutils.for_range(builder, _list_size(context, builder, ty, source)) as loop:
        item = getitem(builder, [source, loop.index])
        append(builder, [target, item])
        context.decref(builder, ty.dtype, item)
    context.decref(builder, ty, source)


def _list_size(context, builder, ty, value):
    return _list_operation(context, ty, len, ())(builder, [value])


def _list_operation(context, ty, what, args):
    """impl(builder, [list, *args]) of a method name or a function applied to a list."""
    typing = context.typing_context
    if isinstance(what, str):
        method = typing.resolve_getattr(ty, what)
        return context.get_function(method, typing.resolve_function_type(method, args, {}))
    sig = typing.resolve_function_type(types.Function(what), (ty, *args), {})
    return context.get_function(types.Function(what), sig)


def changed_list_error(block: ObjModeBlock, name: str, ty, error, value):
    """Re-raise an unboxing failure of a list the block changed, naming the variable."""
    kind = OverflowError if isinstance(error, OverflowError) else TypeError
    raise kind(f"objmode block at {block.loc}: list {name!r} ({ty}) was changed to hold a "
               f"value it cannot hold: {error}") from None


def _fail_if(context, builder, api, state, cond, owned, pyobjects=()):
    """On `cond`: release what was unboxed so far and `pyobjects`, drop the GIL, and
    propagate the Python error that is set."""
    with cgutils.if_unlikely(builder, cond):
        for ty, value in owned:
            context.decref(builder, ty, value)
        for obj in pyobjects:
            api.decref(obj)
        api.gil_release(state)
        context.call_conv.return_python_error(builder)


def _unpack_result(context, builder, c, block, result_ty, result, state):
    api = c.pyapi
    flag = api.long_as_longlong(api.tuple_getitem(result, 0))
    values, owned = [flag], []
    ret_ty = result_ty.types[1]
    if isinstance(ret_ty, types.NoneType):
        values.append(context.get_dummy_value())
    else:
        slot = cgutils.alloca_once(builder, context.get_value_type(ret_ty), zfill=True)
        is_return = builder.icmp_signed("==", flag, ir.Constant(flag.type, FLAG_RETURN))
        with builder.if_then(is_return):
            name = next(k for k, v in block.outputs.items() if v == ret_ty)
            builder.store(_unbox_output(context, builder, c, block, name, ret_ty,
                                        api.tuple_getitem(result, 1), state, owned, result), slot)
        values.append(builder.load(slot))  # zero-filled unless returned: releasing it is a no-op
        owned.append((ret_ty, values[-1]))
    for index, (name, ty) in enumerate(block.outputs.items()):
        item = api.tuple_getitem(result, index + 2)
        value = _unbox_output(context, builder, c, block, name, ty, item, state, owned, result)
        owned.append((ty, value))
        values.append(value)
    return values


def _unbox_output(context, builder, c, block, name, ty, item, state, owned, result):
    """Check, then unbox one output. Every failure releases what was converted so far, this
    output's partial value included."""
    api = c.pyapi
    checked, converted = _checked_output(context, builder, c, block, name, ty, item, state,
                                         owned, result)
    native = c.unbox(ty, checked)
    with cgutils.if_unlikely(builder, native.is_error):
        if native.cleanup is not None:
            native.cleanup()
        _name_the_output(api, builder, functools.partial(output_error, block, name), item)
    with builder.if_then(converted):
        api.decref(checked)
    _fail_if(context, builder, api, state, native.is_error, owned, [result])
    return native.value


def _checked_output(context, builder, c, block, name, ty, item, state, owned, result):
    """(the object to unbox, i1: it is a new reference from the conversion): the exact-type fast
    check, else `check_output` in Python (a conversion, or a TypeError that is propagated)."""
    api = c.pyapi
    slot = cgutils.alloca_once_value(builder, item)
    converted = cgutils.alloca_once_value(builder, cgutils.false_bit)
    exact = c.check_exact(ty, item) or cgutils.false_bit
    with builder.if_then(builder.not_(exact), likely=False):
        checker = api.constant_object(functools.partial(check_output, block, name), "check")
        checked = api.call_function_objargs(checker, [item])
        rejected = cgutils.is_null(builder, checked)
        with cgutils.if_unlikely(builder, rejected):
            _drop_traceback(api, builder)
        _fail_if(context, builder, api, state, rejected, owned, [result])
        builder.store(checked, slot)
        builder.store(cgutils.true_bit, converted)
    return builder.load(slot), builder.load(converted)


def output_error(block: ObjModeBlock, name: str, error, value):
    """Re-raise an unboxing failure naming the objmode output, its annotation and the value's
    type (an out-of-range int stays an OverflowError)."""
    annotation = block.outputs[name]
    detail = " ".join([str(error), *getattr(error, "__notes__", ())])  # notes: which list item
    if isinstance(error, OverflowError):
        raise OverflowError(f"objmode output {name!r} does not match its annotation "
                            f"{annotation}: {detail}") from None
    raise TypeError(f"objmode output {name!r} does not match its annotation {annotation}: "
                    f"got a value of Python type {type(value).__name__}: {detail}") from None


def _name_the_output(api, builder, reraise, value):
    """Replace the pending error by the one `reraise(error, value)` raises."""
    slots = api.err_fetch_normalized()
    error = builder.load(slots[1])
    with builder.if_then(cgutils.is_not_null(builder, error)):
        returned = api.call_function_objargs(api.constant_object(reraise, "reraise"),
                                             [error, value])
        with builder.if_then(cgutils.is_not_null(builder, returned)):
            api.decref(returned)
    for slot in slots:
        with builder.if_then(cgutils.is_not_null(builder, builder.load(slot))):
            api.decref(builder.load(slot))
    _drop_traceback(api, builder)


def _drop_traceback(api, builder):
    """The pending error is about the user's annotation: drop the jitbridge frames that
    raised it, so the user's traceback ends at the call of their function."""
    slots = api.err_fetch_normalized()
    value = builder.load(slots[1])
    with builder.if_then(cgutils.is_not_null(builder, value)):
        api._call("PyException_SetTraceback", value, api.borrow_none())
    traceback = builder.load(slots[2])
    with builder.if_then(cgutils.is_not_null(builder, traceback)):
        api.decref(traceback)
    api.err_restore(builder.load(slots[0]), value, api.get_null_object())


# -- function values crossing into a block ----------------------------------------------------------

@box(types.Dispatcher)
def box_dispatcher(typ, val, c):
    """A jitted function held in a variable: the dispatcher object itself."""
    obj = c.pyapi.constant_object(typ.dispatcher, "dispatcher")
    c.pyapi.incref(obj)
    return obj


@unbox(types.Dispatcher)
def unbox_dispatcher(typ, obj, c):
    """A jitted function passed as an argument: nothing at run time (calls are bound when
    compiling), after checking it is the very dispatcher the type names."""
    expected = c.context.embed_object(c.builder, typ.dispatcher, "the jitted function")
    wrong = c.builder.icmp_unsigned("!=", obj, c.builder.bitcast(expected, obj.type))
    with cgutils.if_unlikely(c.builder, wrong):
        c.pyapi.err_set_string("PyExc_TypeError",
                               f"expected the jitted function {typ.dispatcher.__qualname__}")
    return NativeValue(c.context.get_dummy_value(), is_error=wrong)


@check_exact(types.Dispatcher)
def check_dispatcher(typ, obj, c):
    """The very dispatcher the type names: a solver called from Python with a jitted objective
    takes the native dispatcher's path, not the Python fallback (Numba #2952)."""
    expected = c.context.embed_object(c.builder, typ.dispatcher, "the jitted function")
    return c.builder.icmp_unsigned("==", obj, c.builder.bitcast(expected, obj.type))


@box(types.Function)
def box_function(typ, val, c):
    """A global function held in a variable (np.sin, math.sqrt, a registered function)."""
    obj = c.pyapi.constant_object(typ.typing_key, "function")
    c.pyapi.incref(obj)
    return obj
