"""Recursive inner functions: the inner functions of one function that call themselves or
each other (a strongly connected group of the graph "the body of f names g").

Lambda lifting alone cannot express them: a lifted `f` capturing `g` and a lifted `g`
capturing `f` would have closure types nested without end. Instead every member of a group
captures the same variables (the union of what the members use, in a fixed order), and each
lifted body starts by making the closures of the members it names from its own captured
parameters (closures.py). A group member therefore never captures another one.

CPython looks such names up when the call runs; compiled code fixes them when the function is
compiled, so a group is refused where the two could differ: a member bound twice, assigned by
an inner function, or named before every member is defined.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from .scope import local_names, nonlocal_writes


@dataclass(frozen=True)
class Member:
    """An inner function of a group: `def name(...)` or `name = lambda ...`."""
    name: str
    node: ast.AST  # the FunctionDef, or the Lambda
    args: ast.arguments
    body: tuple

    @property
    def own(self) -> frozenset:
        """The member's own local names (its parameters included)."""
        return local_names(ast.FunctionDef(name=self.name, args=self.args, body=list(self.body),
                                           decorator_list=[]))

    def names(self, candidates) -> list:
        """The `candidates` the body refers to (not shadowed by its own locals), in order."""
        own, found = self.own, []
        for stmt in self.body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Name) and sub.id in candidates and sub.id not in own \
                        and sub.id not in found:
                    found.append(sub.id)
        return found


def member_name(tree, node, name: str):
    """The name an inner function or lambda being lifted is bound to (None: none)."""
    if isinstance(node, ast.Lambda):
        for sub in ast.walk(tree):
            if isinstance(sub, ast.Assign) and sub.value is node and len(sub.targets) == 1 \
                    and isinstance(sub.targets[0], ast.Name):
                return sub.targets[0].id
        return None
    return name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def recursive_group(tree, node, name: str) -> tuple:
    """The members of the recursive group of the function `node` lifts (in source order),
    or () when it calls neither itself nor a function that calls it back."""
    bound = member_name(tree, node, name)
    members = _inner_functions(tree)
    if bound not in members:
        return ()
    graph = {m: members[m][0].names(members) for m in members}
    reached = _reachable(graph, bound)
    if bound not in reached:
        return ()
    group = [m for m in reached if bound in _reachable(graph, m)]
    return tuple(sorted((members[m][0] for m in group), key=lambda m: _position(m.node)))


def group_problem(tree, group: tuple):
    """(message, node) when the group cannot be compiled faithfully, else None."""
    names = {m.name for m in group}
    written = nonlocal_writes(tree)
    params = {a.arg for a in ast.walk(tree.args) if isinstance(a, ast.arg)}
    for member in group:
        if getattr(member.node, "decorator_list", None):
            return (f"recursive inner function {member.name!r} is decorated: its recursive "
                    "calls would run it undecorated; call a separate undecorated function",
                    member.node)
        if member.name in written or member.name in params or _binding_count(tree, member.name) > 1:
            return (f"recursive inner function {member.name!r} is bound more than once (or "
                    "assigned by an inner function); compiled code fixes the function a "
                    "recursive call runs, so give each inner function its own name",
                    member.node)
    last = max(_position(m.node) for m in group)
    inside = {id(sub) for m in group for stmt in m.body for sub in ast.walk(stmt)}
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Name) and sub.id in names and isinstance(sub.ctx, ast.Load) \
                and id(sub) not in inside and _position(sub) < last:
            return (f"recursive inner function {sub.id!r} is used before every function of "
                    f"its group ({', '.join(sorted(names))}) is defined; move the use after "
                    "their definitions", sub)
    return None


def _inner_functions(tree) -> dict:
    """{name: [Member...]} of the functions and named lambdas `tree` defines (not nested)."""
    found: dict = {}
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.setdefault(node.name, []).append(
                Member(node.name, node, node.args, tuple(node.body)))
            continue
        if isinstance(node, (ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda) \
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            lam = node.value
            body = (ast.copy_location(ast.Return(lam.body), lam.body),)
            found.setdefault(node.targets[0].id, []).append(
                Member(node.targets[0].id, lam, lam.args, body))
        stack.extend(ast.iter_child_nodes(node))
    return found


def _binding_count(tree, name: str) -> int:
    """How many places of `tree` (not nested scopes) bind `name`."""
    count, stack = 0, list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            count += 1
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            count += node.name == name
            continue
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return count


def _reachable(graph: dict, start: str) -> list:
    """The names reachable from `start` by one edge or more, in discovery order."""
    seen: list = []
    stack = list(graph.get(start, ()))
    while stack:
        name = stack.pop(0)
        if name not in seen:
            seen.append(name)
            stack.extend(graph.get(name, ()))
    return seen


def _position(node) -> tuple:
    return (node.lineno, node.col_offset)
