"""Counting variables: loop variables of `for v in range(...)` whose range starts at a
non-negative constant (or a value marked `nonnegative`) and steps up by a positive constant
(or the default one), assigned
nowhere else. Their values are non-negative and below the range's stop, so the sum of two of
them cannot overflow for any loop that finishes: the lowering adds them with `nsw`, and LLVM
then knows `a[i + j]` needs no negative-index wrap-around (issue 12: the conv1d kernel).
"""
from __future__ import annotations

import collections

from ..ir import nodes as n
from ..ir.markers import nonnegative


def counting_variables(assignments) -> frozenset:
    """The counting variables among `assignments` ((target, value) pairs of the function)."""
    defs, count = {}, collections.Counter()
    for target, value in assignments:
        defs[target] = value
        count[target] += 1
    if not any(isinstance(value, n.Global) and value.value is range for value in defs.values()):
        return frozenset()  # (no range loop: nothing to look for, in long straight-line code)
    single = {t: v for t, v in defs.items() if count[t] == 1}
    return frozenset(t for t in single if _counts(t, single, 0))


def _counts(name: str, defs: dict, depth: int) -> bool:
    value = defs.get(name)
    if depth > 8 or value is None:
        return False
    if isinstance(value, n.Var):  # `i = $11`
        return _counts(value.name, defs, depth + 1)
    if not (isinstance(value, n.GetItem) and _constant(defs, value.index) == 0):
        return False
    pair = defs.get(value.value)  # `$11 = getitem($7, 0)`, `$7 = iternext($6)`
    it = defs.get(pair.iterator) if isinstance(pair, n.IterNext) else None
    source = defs.get(it.value) if isinstance(it, n.GetIter) else None
    return isinstance(source, n.Call) and _upward_range(source, defs)


def _upward_range(call: n.Call, defs: dict) -> bool:
    """`range(stop)`, or `range(start, stop[, step])` with constants start >= 0, step > 0."""
    func = defs.get(call.func)
    if not (isinstance(func, n.Global) and func.value is range) or call.kws or call.star:
        return False
    if len(call.args) == 1:
        return True
    start = _constant(defs, call.args[0])
    step = _constant(defs, call.args[2]) if len(call.args) == 3 else 1
    return (_is_int(start) and start >= 0 or _known_nonnegative(defs, call.args[0])) and \
        _is_int(step) and step > 0


def _known_nonnegative(defs: dict, name: str) -> bool:
    """`nonnegative(x)`: a value its producer asserts is >= 0 (a parallel loop's share)."""
    call = defs.get(name)
    func = defs.get(call.func) if isinstance(call, n.Call) else None
    return isinstance(func, n.Global) and func.value is nonnegative


def _constant(defs: dict, name: str):
    value = defs.get(name)
    return value.value if isinstance(value, n.Const) else None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
