"""Item-type widening of lists made in the function: `l = [1, 2]; l.append(2.5)`.

CPython's list holds 2.5 beside the ints; a compiled list has one item type, so the list display
that made `l` is retyped to the wider item type (list(float64) here), as a dict display `{}` is
refined by its later inserts. A list method, `l[i] = v` or `l += other` whose template needs a
wider list returns it as the signature's receiver (lib/lists_core.widened_list); inference then
finds every list display the receiver can hold (through copies `m = l` and `+=` results) and
widens them, and the variables on the way. Values compare equal to CPython's ([1.0, 2.0, 2.5]
== [1, 2, 2.5]). A list that does not come only from displays (an argument, a `list()` result,
an item of a container) keeps its type: the store is a TypingError rather than a truncation.
"""
from __future__ import annotations

import operator

from .. import types
from ..errors import TypingError
from ..ir import nodes as n


def is_widening(old, new) -> bool:
    """Whether a receiver type `new` asks for the list of type `old` to hold wider items."""
    return type(old) is types.List and type(new) is types.List and \
        old.dtype.name != "undefined" and new.dtype != old.dtype


def widen_list(inf, name: str, widened, loc) -> None:
    """Give the list variable `name` holds, and the displays it comes from, type `widened`."""
    aliases, displays = _sources(inf, name)
    if not displays:
        old = inf.typemap.get(name)
        raise TypingError(f"cannot store {widened.dtype} values in a {old}: its item type is "
                          "fixed where it is not made by a list display in this function, and "
                          f"the values would be truncated; make it a list of {widened.dtype} "
                          "from the start (e.g. [1.0], not [1])", loc)
    dtype = widened.dtype
    for display in displays:
        dtype = inf.ctx.unify_types(dtype, inf.list_widening.get(display, dtype)) or dtype
    widened = types.List(dtype)
    for display, target in displays.items():
        inf.list_widening[display] = dtype
        inf.exprtypes[display] = widened
    for var in aliases:
        if inf.typemap.get(var) != widened and isinstance(inf.typemap.get(var), types.List):
            inf.typemap[var] = widened
            inf.changed = inf.widened_after_read = True


def display_item_type(inf, display: n.BuildList, dtype):
    """The item type of a list display, widened by later stores into its list."""
    wider = inf.list_widening.get(display)
    if wider is None or dtype.name == "undefined":
        return wider or dtype
    return inf.ctx.unify_types(dtype, wider) or wider


def _sources(inf, name: str):
    """(every variable on the way, {display: its variable}) of the lists `name` may hold; no
    displays when one of its sources is not a display."""
    defs = _all_defs(inf)
    aliases, displays, todo = set(), {}, [name]
    while todo:
        var = todo.pop()
        if var in aliases:
            continue
        aliases.add(var)
        for value in defs.get(var, ()):
            if isinstance(value, n.BuildList):
                displays[value] = var
            elif isinstance(value, n.Var):
                todo.append(value.name)
            elif isinstance(value, n.BinOp) and value.op is operator.iadd:
                todo.append(value.lhs)  # (a list's `+=` gives back the same list)
            else:
                return aliases, {}
    return aliases, displays


def _all_defs(inf) -> dict:
    """variable -> every value assigned to it (a loop-carried name has several)."""
    if getattr(inf, "_list_defs", None) is None:
        defs: dict = {}
        for block in inf.fir.blocks.values():
            for stmt in block.body:
                if isinstance(stmt, n.Assign):
                    defs.setdefault(stmt.target, []).append(stmt.value)
        inf._list_defs = defs
    return inf._list_defs
