"""Reading a stencil kernel's AST: its relative accesses, the neighbourhood they span, and the
kernel rewritten to absolute indexing (`a[-1, 0]` -> `a[i0 + -1, i1 + 0]`).

An index component's range is found by interval arithmetic over constants, names bound once
to constant expressions, and loop variables of `range(...)` with constant bounds, so a kernel
summing `a[i]` for `i in range(-4, 1)` spans (-4, 0) without a `neighborhood=` option."""
from __future__ import annotations

import ast
import copy
import operator

from ..errors import NumbaValueError

#: names the rewritten kernel adds (suffixed when the kernel already uses them)
INDEX_PREFIX = "__jb_i"
#: NumPy's limit on array dimensions
MAX_DIMS = 64


class StencilKernel:
    """The parsed kernel: parameters and the relative accesses of one set of array names."""

    def __init__(self, source, relative: frozenset):
        self.source = source  # frontend.source.SourceInfo
        self.tree = source.tree
        self.params = [a.arg for a in self.tree.args.args]
        self.relative = relative
        self.accesses = [node for node in ast.walk(self.tree) if _is_access(node, relative)]
        self.index_names = _fresh_names(self.tree)

    def error(self, msg: str, node=None) -> NumbaValueError:
        return NumbaValueError(msg, self.source.loc(node))

    # -- checks ---------------------------------------------------------------------------------
    def check(self, ndim: int) -> None:
        """Refuse stores into relatively indexed arrays, rebinding them, and accesses whose
        number of index components is not the primary array's dimensionality."""
        for node in ast.walk(self.tree):
            if _is_access(node, self.relative, (ast.Store, ast.Del)):
                raise self.error("Assignments to arrays passed to stencil kernels is not "
                                 "allowed.", node)
            if isinstance(node, ast.Name) and node.id in self.relative and \
                    not isinstance(node.ctx, ast.Load):
                raise self.error(f"the relatively indexed array {node.id!r} cannot be "
                                 "rebound in a stencil kernel", node)
        for node in self.accesses:
            if len(_components(node)) != ndim:
                raise self.error("Stencil index does not match array dimensionality "
                                 f"({len(_components(node))} index components for {ndim} "
                                 "dimensional input arrays).", node)

    # -- neighbourhood ----------------------------------------------------------------------------
    def spans(self, ndim: int) -> list | None:
        """Per dimension the (min, max) offset the accesses reach, including 0; None when
        some index is not a constant the kernel's text determines."""
        found = [[0, 0] for _ in range(ndim)]
        consts = _Constants(self.tree, set(self.params))
        for node in self.accesses:
            for dim, comp in enumerate(_components(node)):
                span = consts.span(comp)
                if span is None:
                    return None
                found[dim] = [min(found[dim][0], span[0]), max(found[dim][1], span[1])]
        return [tuple(pair) for pair in found]

    def inferred_neighborhood(self, ndim: int) -> list:
        if not self.accesses:
            raise self.error("Stencil kernel with no accesses to relatively indexed arrays.")
        spans = self.spans(ndim)
        if spans is None:
            node = self._first_unknown()
            raise self.error("stencil kernel index is not constant, 'neighborhood' option "
                             "required", node)
        return spans

    def _first_unknown(self):
        consts = _Constants(self.tree, set(self.params))
        for node in self.accesses:
            if any(consts.span(c) is None for c in _components(node)):
                return node
        return None

    # -- rewriting --------------------------------------------------------------------------------
    def absolute_tree(self, name: str, ndim: int) -> ast.FunctionDef:
        """A copy of the kernel named `name` taking the `ndim` index variables after its
        parameters, with every relative access made absolute."""
        tree = copy.deepcopy(self.tree)  # the frontend shares parsed trees: never mutate them
        tree.name = name
        tree.decorator_list = []
        tree.returns = None
        tree.args.args += [ast.arg(arg=n) for n in self.index_names[:ndim]]
        _Absolute(self.relative, self.index_names).visit(tree)
        return ast.fix_missing_locations(tree)


def _is_access(node, relative, ctx=ast.Load) -> bool:
    """`a[...]` in context `ctx` (reading by default), `a` a relatively indexed array."""
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
        and node.value.id in relative and isinstance(node.ctx, ctx)


def _components(node: ast.Subscript) -> list:
    index = node.slice
    return list(index.elts) if isinstance(index, ast.Tuple) else [index]


def _fresh_names(tree) -> list:
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
    suffix = ""
    while any(name.startswith(INDEX_PREFIX + suffix) for name in used):
        suffix += "_"
    return [f"{INDEX_PREFIX}{suffix}{d}" for d in range(MAX_DIMS)]


class _Absolute(ast.NodeTransformer):
    def __init__(self, relative, index_names):
        self.relative = relative
        self.index_names = index_names

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not _is_access(node, self.relative):
            return node
        comps = [self._shift(d, c) for d, c in enumerate(_components(node))]
        index = comps[0] if len(comps) == 1 and not isinstance(node.slice, ast.Tuple) else \
            ast.copy_location(ast.Tuple(comps, ast.Load()), node.slice)
        return ast.copy_location(ast.Subscript(node.value, index, node.ctx), node)

    def _shift(self, dim, comp):
        if isinstance(comp, ast.Slice):
            lower = self._plus(dim, comp.lower or ast.copy_location(ast.Constant(0), comp))
            upper = self._plus(dim, comp.upper) if comp.upper is not None else None
            return ast.copy_location(ast.Slice(lower, upper, comp.step), comp)
        return self._plus(dim, comp)

    def _plus(self, dim, expr):
        name = ast.copy_location(ast.Name(self.index_names[dim], ast.Load()), expr)
        return ast.copy_location(ast.BinOp(name, ast.Add(), expr), expr)


# -- constant ranges of index expressions ----------------------------------------------------------

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


class _Constants:
    """Interval values of index expressions: literals, names bound once to constant
    expressions, loop variables of `range` with constant arguments."""

    def __init__(self, tree, params: set):
        self.bindings: dict = {}
        for node in ast.walk(tree):
            for target, value in _bindings(node):
                self.bindings.setdefault(target, []).append(value)
        for name in params:
            self.bindings.setdefault(name, []).extend([None, None])  # never constant
        self._active: set = set()

    def span(self, node):
        """(lo, hi) of the values `node` takes, or None if unknown."""
        if isinstance(node, ast.Slice):
            return self._slice(node)
        if isinstance(node, ast.Constant):
            return (node.value, node.value) if type(node.value) is int else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.span(node.operand)
            if inner is None or isinstance(node.op, ast.UAdd):
                return inner
            return (-inner[1], -inner[0])
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self._binary(node)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        return None

    def _slice(self, node):
        if node.lower is None or node.upper is None or node.step is not None:
            return None
        lower, upper = self.span(node.lower), self.span(node.upper)
        if lower is None or upper is None:
            return None
        return (lower[0], upper[1] - 1)

    def _binary(self, node):
        left, right = self.span(node.left), self.span(node.right)
        if left is None or right is None:
            return None
        op = _BINARY[type(node.op)]
        if op is operator.sub:
            return (left[0] - right[1], left[1] - right[0])
        corners = [op(a, b) for a in left for b in right]
        return (min(corners), max(corners))

    def _name(self, name: str):
        values = self.bindings.get(name, [])
        if len(values) != 1 or values[0] is None or name in self._active:
            return None
        self._active.add(name)
        try:
            value = values[0]
            return self._range(value.value) if isinstance(value, _LoopOver) else self.span(value)
        finally:
            self._active.discard(name)

    def _range(self, call):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "range" and not call.keywords and 1 <= len(call.args) <= 3):
            return None
        spans = [self.span(arg) for arg in call.args]
        if any(s is None or s[0] != s[1] for s in spans):
            return None
        values = range(*(s[0] for s in spans))
        return (min(values), max(values)) if len(values) else None


class _LoopOver:
    """A loop variable's binding: the iterated expression."""

    def __init__(self, value):
        self.value = value


def _bindings(node):
    """(name, value node or None for an unknown value) for each name `node` binds."""
    if isinstance(node, ast.Assign):
        single = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        for target in node.targets:
            for name in _bound_names(target):
                yield name, node.value if single else None
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        for name in _bound_names(node.target):
            yield name, getattr(node, "value", None) if isinstance(node, ast.AnnAssign) else None
    elif isinstance(node, ast.For):
        simple = isinstance(node.target, ast.Name)
        for name in _bound_names(node.target):
            yield name, _LoopOver(node.iter) if simple else None
    elif isinstance(node, (ast.NamedExpr, ast.comprehension, ast.With, ast.withitem)):
        target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
        for name in _bound_names(target) if target is not None else ():
            yield name, None


def _bound_names(target):
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
