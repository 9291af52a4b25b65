"""Numeric promotion, unification and conversion ranks between types."""
from __future__ import annotations

import enum

from .. import types
from ..types import unliteral


class Conversion(enum.IntEnum):
    """How costly an implicit conversion is; lower is better."""

    exact = 0
    promote = 1
    safe = 2
    unsafe = 3


def _number_kind(ty) -> int:
    """0 boolean, 1 integer, 2 float, 3 complex."""
    for kind, cls in enumerate((types.Boolean, types.Integer, types.Float, types.Complex)):
        if isinstance(ty, cls):
            return kind
    return -1


def can_convert(src, dst) -> Conversion | None:
    """The cost of converting a `src` value to `dst`, or None if impossible."""
    if src == dst:
        return Conversion.exact
    if isinstance(dst, types.Optional):  # None, or a value converted to the inner type
        rank = Conversion.promote if isinstance(src, types.NoneType) else can_convert(
            src.type if isinstance(src, types.Optional) else src, dst.type)
        return None if rank is None else max(rank, Conversion.promote)
    if isinstance(src, types.Optional):  # the value, checked for None when converted
        rank = can_convert(src.type, dst)
        return None if rank is None else max(rank, Conversion.safe)
    base = unliteral(src)
    if base == dst:
        return Conversion.promote
    if isinstance(base, types.BaseTuple) and isinstance(dst, types.BaseTuple):
        return _tuple_conversion(base, dst)
    if isinstance(base, types.List) and isinstance(dst, types.List):
        same = base.dtype == dst.dtype or base.dtype.name == "undefined"
        return Conversion.promote if same else None
    sk, dk = _number_kind(base), _number_kind(dst)
    if sk < 0 or dk < 0:
        # a literal's own conversions first: "abc" fills a char field, a runtime str does not
        rank = src.can_convert_to(None, dst)
        rank = base.can_convert_to(None, dst) if rank is None and base is not src else rank
        return Conversion(rank) if rank is not None else None
    if sk < dk:
        return Conversion.safe
    if sk == 3 and dk < 3:  # as in Numba: a complex never converts to a real, even unsafely
        return None
    if sk == dk:
        return _same_kind_conversion(base, dst)
    return Conversion.unsafe


def _same_kind_conversion(src, dst) -> Conversion:
    if isinstance(src, types.Integer) and src.signed != dst.signed:
        return Conversion.unsafe
    return Conversion.promote if src.bitwidth <= dst.bitwidth else Conversion.unsafe


def _tuple_conversion(src, dst):
    """Item-wise; a namedtuple converts to a plain tuple (losing its class: `safe`, so the
    dispatcher compiles it its own specialisation), never to another class."""
    src_class, dst_class = _named_class(src), _named_class(dst)
    if len(src) != len(dst) or dst_class not in (None, src_class):
        return None
    ranks = [can_convert(s, d) for s, d in zip(src.types, dst.types)]
    if None in ranks:
        return None
    rank = max(ranks, default=Conversion.exact)
    return max(rank, Conversion.safe) if src_class is not dst_class else rank


def _named_class(ty):
    return ty.instance_class if isinstance(ty, types.BaseNamedTuple) else None


def integer_result(a: types.Integer, b: types.Integer) -> types.Type:
    """Integer arithmetic result: int64 unless both are unsigned; int64 with uint64 gives float64."""
    if a.signed and b.signed:
        return types.int64
    if not a.signed and not b.signed:
        return types.uint64
    unsigned = a if not a.signed else b
    return types.float64 if unsigned.bitwidth == 64 else types.int64


def number_result(a, b) -> types.Type | None:
    """The common type arithmetic on numbers `a` and `b` computes in (NumPy-like promotion)."""
    a, b = unliteral(a), unliteral(b)
    ka, kb = _number_kind(a), _number_kind(b)
    if ka < 0 or kb < 0:
        return None
    kind = max(ka, kb, 1)
    if kind == 1:
        a = types.int64 if isinstance(a, types.Boolean) else a
        b = types.int64 if isinstance(b, types.Boolean) else b
        return integer_result(a, b)
    if kind == 2:
        return types.float32 if a == b == types.float32 else types.float64
    complexes = [t for t in (a, b) if isinstance(t, types.Complex)]
    small = all(t in (types.complex64, types.float32) for t in (a, b))
    return types.complex64 if small and complexes else types.complex128


def unify_pair(context, a, b):
    """The common type of two values merged at a join point (or None)."""
    if a == b:
        return a
    a, b = unliteral(a), unliteral(b)
    if a == b:
        return a
    if isinstance(a, types.BaseTuple) and isinstance(b, types.BaseTuple) and len(a) == len(b):
        return _unify_tuples(context, a, b)
    if _number_kind(a) >= 0 and _number_kind(b) >= 0:
        return number_result(a, b) if types.Boolean not in (type(a), type(b)) else _with_bool(a, b)
    if _maybe_none(a) or _maybe_none(b):
        return _unify_optional(context, a, b)
    return a.unify(context, b) or b.unify(context, a)


def _maybe_none(ty) -> bool:
    return isinstance(ty, (types.NoneType, types.Optional))


def _unify_optional(context, a, b):
    """None on one path and a value on another: Optional(value type)."""
    a, b = (t.type if isinstance(t, types.Optional) else t for t in (a, b))
    if isinstance(a, types.NoneType) or isinstance(b, types.NoneType):
        return types.optional(b if isinstance(a, types.NoneType) else a)
    inner = unify_pair(context, a, b)
    return types.optional(inner) if inner is not None else None


def _with_bool(a, b):
    other = b if isinstance(a, types.Boolean) else a
    return types.int64 if isinstance(other, types.Integer) and other.signed else unliteral(other)


def _unify_tuples(context, a, b):
    """Item-wise; a namedtuple keeps its class, and only unifies with its own class."""
    cls = _named_class(a)
    if cls is not _named_class(b):
        return None
    items = [unify_pair(context, x, y) for x, y in zip(a.types, b.types)]
    if None in items:
        return None
    return types.tuple_of(items) if cls is None else types.named_tuple_of(items, cls)
