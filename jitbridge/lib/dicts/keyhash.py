"""The hash a dict files a key under. Only its consistency with `==` of the key type matters
(keys are converted to the dict's key type first; iteration order is the entries' order), so
numbers hash their int64 bits (0.0 and -0.0 alike) and tuples combine their items' hashes;
other types use hash()."""
from __future__ import annotations

import numpy as np

from ... import types
from ...extending import intrinsic, overload, register_jitable
from ..strings.model import is_string, str_hash

MULTIPLIER = 1000003  # CPython's tuple-hash step, enough to spread combined hashes


def key_hash(key):
    """The hash of `key` in compiled code (Python: hash(key))."""
    return hash(key)


@intrinsic
def _float_bits(typingctx, x):
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, sig, args):
        value = context.cast(builder, args[0], sig.args[0], types.float64)
        return builder.bitcast(value, context.get_value_type(types.int64))
    return types.int64(x), codegen


@register_jitable
def _float_hash(x):
    return 0 if x == 0 else _float_bits(x)


@register_jitable
def _combine(acc, h):
    return (acc ^ h) * MULTIPLIER + 97531


@overload(key_hash)
def key_hash_impl(key):
    if is_string(key):
        return lambda key: str_hash(key)
    if isinstance(key, (types.Integer, types.Boolean)):
        return lambda key: np.int64(key)
    if isinstance(key, types.Float):
        return lambda key: _float_hash(key)
    if isinstance(key, types.Complex):
        return lambda key: _combine(_float_hash(key.real), _float_hash(key.imag))
    if isinstance(key, types.NoneType):
        return lambda key: 0
    if isinstance(key, types.BaseTuple):  # folded from the last item (static slices)
        if len(key) == 0:
            return lambda key: 0x345678
        return lambda key: _combine(key_hash(key[1:]), key_hash(key[0]))
    return lambda key: hash(key)  # any other hashable type (enum members ...)
