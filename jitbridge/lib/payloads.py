"""What the hash-table containers (lib/dicts, lib/sets) share about their payloads: an
intrinsic reading one of its integer fields through the container's helper."""
from __future__ import annotations

from .. import types
from ..extending import intrinsic


def payload_field_getter(type_class, helper, index: int, name: str):
    """`name(container) -> intp`: field `index` of the payload of a `type_class` value, read
    by `helper(context, builder, type, value).load(index)`."""
    def definition(typingctx, container):
        if not isinstance(container, type_class):
            return None

        def codegen(context, builder, sig, args):
            return helper(context, builder, sig.args[0], args[0]).load(index)
        return types.intp(container), codegen
    definition.__name__ = name
    return intrinsic(definition)
