"""The typed-IR stage between typing and lowering: the typed IR (`typed_ir`), its analyses
(`cfg`: reachability, loops, assignment dataflow; `liveness`) and passes (`refcount`)."""
from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from .cfg import maybe_unbound_uses
from .refcount import insert_refcounts
from .typed_ir import TypedIR, build, op_pairs


def prepare(typed, owns) -> TypedIR:
    """The typed IR of `typed` as the lowering takes it: explicit reference counting, and the
    reads that may find their variable unassigned (`unbound_uses`, keyed by op)."""
    tir = build(typed)
    unbound = maybe_unbound_uses(tir, op_pairs)
    return replace(insert_refcounts(tir, owns), unbound_uses=MappingProxyType(unbound))
