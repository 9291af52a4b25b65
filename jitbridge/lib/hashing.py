"""`hash()` in compiled code, equal to CPython's `hash()` for bool, int (every width, signed or
not), float, complex, None, IntEnum members and tuples of those (recursively); NumPy scalars
are typed as these and hash as NumPy hashes them (as the equal Python number). Strings hash in
`lib/strings/core.py`. Sets use these hashes (`lib/sets/table.py`).

Numbers follow CPython's rule (`sys.hash_info`): the hash of a number is its exact value
modulo the prime P = 2**61 - 1, keeping its sign, so equal values of any type hash alike;
-1 (CPython's error value) becomes -2. Tuples use CPython's xxHash-based combination.

NaN: CPython >= 3.10 hashes a NaN by the address of its float object, which compiled code does
not have. As Numba does, each NaN hashed gets a fresh pseudo-random hash (a per-module counter
mixed by splitmix64), so NaNs stay distinct keys, as distinct NaN objects are in CPython.

Mutable containers (arrays, lists, sets) raise CPython's `TypeError: unhashable type` when
hashed, and functions the TypeError Numba raises; other containers may add themselves with
`register_unhashable`.
"""
from __future__ import annotations

import sys
import warnings

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import NumbaWarning
from ..core.pythonapi import capi_global
from ._registries import AbstractTemplate, lower_builtin, register, register_global

if sys.hash_info.algorithm == "fnv":  # numbers hash alike under every algorithm; str does not
    warnings.warn("FNV hashing is not implemented in Numba. See PEP 456 (jitbridge hashes "
                  "strings with siphash: their hashes differ from this interpreter's)",
                  NumbaWarning)

i64 = ir.IntType(64)
_MODULUS = sys.hash_info.modulus          # 2**61 - 1
_MODULUS_BITS = _MODULUS.bit_length()     # 61
_XX_PRIME_1 = 11400714785074694791
_XX_PRIME_2 = 14029467366897019727
_XX_PRIME_5 = 2870177450012600261
_HASHABLE = (types.Boolean, types.Integer, types.Float, types.Complex, types.NoneType,
             types.IntEnumMember)
_UNHASHABLE = [types.Array, types.List, types.Set]


def register_unhashable(type_class) -> None:
    """Make `hash()` of values of `type_class` raise `TypeError: unhashable type`."""
    _UNHASHABLE.append(type_class)


def resolve_hash(typing_context, value_type):
    """The signature of `hash(value)` for values of `value_type`, or None."""
    return typing_context.resolve_function_type(types.Function(hash), (value_type,), {})


def _const(value: int) -> ir.Constant:
    return ir.Constant(i64, value & (2**64 - 1))


class HashTemplate(AbstractTemplate):
    key = hash

    def generic(self, args, kws):
        if len(args) != 1 or kws:
            return None
        arg = types.unliteral(args[0])
        if isinstance(arg, _HASHABLE) or self._hashable_tuple(arg) or self._raises(arg):
            return types.signature(types.intp, arg)
        return None

    def _hashable_tuple(self, arg) -> bool:
        return isinstance(arg, types.BaseTuple) and all(
            resolve_hash(self.context, item) is not None for item in arg.types)

    @staticmethod
    def _raises(arg) -> bool:
        return isinstance(arg, (types.Function, *_UNHASHABLE))


register(HashTemplate)
register_global(hash, types.Function(hash))


# -- numbers -----------------------------------------------------------------------------------

def _avoid_minus_one(builder, value):
    """CPython never returns -1 as a hash (its C error value): -1 becomes -2."""
    is_minus_one = builder.icmp_signed("==", value, _const(-1))
    return builder.select(is_minus_one, _const(-2), value)


def _with_sign(builder, negative, magnitude):
    return builder.select(negative, builder.neg(magnitude), magnitude)


def int_hash(builder, value, signed: bool):
    """hash() of a native integer: |value| mod P with value's sign."""
    if value.type.width < 64:
        value = builder.sext(value, i64) if signed else builder.zext(value, i64)
    if not signed:
        return _avoid_minus_one(builder, builder.urem(value, _const(_MODULUS)))
    negative = builder.icmp_signed("<", value, _const(0))
    magnitude = _with_sign(builder, negative, value)  # INT64_MIN stays 2**63 as unsigned
    reduced = builder.urem(magnitude, _const(_MODULUS))
    return _avoid_minus_one(builder, _with_sign(builder, negative, reduced))


def _rotate_left_61(builder, value, count):
    """value * 2**count mod P for value < P: a rotation within 61 bits, as 2**61 == 1 mod P."""
    high = builder.and_(builder.shl(value, count), _const(_MODULUS))
    low = builder.lshr(value, builder.sub(_const(_MODULUS_BITS), count))
    return builder.or_(high, low)


def _finite_float_hash(builder, bits, biased_exponent):
    """hash() of a finite double m * 2**e (m < 2**53 < P): m * 2**(e mod 61) mod P."""
    fraction = builder.and_(bits, _const(2**52 - 1))
    normal = builder.icmp_unsigned("!=", biased_exponent, _const(0))
    mantissa = builder.select(normal, builder.or_(fraction, _const(2**52)), fraction)
    exponent = builder.select(normal, builder.sub(biased_exponent, _const(1075)), _const(-1074))
    shift = builder.srem(exponent, _const(_MODULUS_BITS))
    is_negative_shift = builder.icmp_signed("<", shift, _const(0))
    shift = builder.select(is_negative_shift, builder.add(shift, _const(_MODULUS_BITS)), shift)
    magnitude = _rotate_left_61(builder, mantissa, shift)
    negative = builder.icmp_signed("<", bits, _const(0))
    return _avoid_minus_one(builder, _with_sign(builder, negative, magnitude))


def float_hash(builder, value):
    """hash() of a native float (float32 values hash as the equal double)."""
    if value.type != ir.DoubleType():
        value = builder.fpext(value, ir.DoubleType())
    bits = builder.bitcast(value, i64)
    biased_exponent = builder.and_(builder.lshr(bits, _const(52)), _const(0x7FF))
    special = builder.icmp_unsigned("==", biased_exponent, _const(0x7FF))
    negative = builder.icmp_signed("<", bits, _const(0))
    infinite = _with_sign(builder, negative, _const(sys.hash_info.inf))
    result = builder.select(special, infinite,
                            _finite_float_hash(builder, bits, biased_exponent))
    is_nan = builder.fcmp_unordered("uno", value, value)
    before = builder.block
    with builder.if_then(is_nan, likely=False):
        nan_value, nan_block = _nan_hash(builder), builder.block
    merged = builder.phi(i64)
    merged.add_incoming(result, before)
    merged.add_incoming(nan_value, nan_block)
    return merged


def _nan_counter(module):
    name = "jitbridge.hash.nan_counter"
    counter = module.globals.get(name)
    if counter is None:
        counter = ir.GlobalVariable(module, i64, name=name)
        counter.linkage = "internal"
        counter.initializer = _const(0)
    return counter


def _nan_hash(builder):
    """A fresh, non-negative pseudo-random hash (splitmix64 of a counter)."""
    count = builder.atomic_rmw("add", _nan_counter(builder.module), _const(1), "monotonic")
    mixed = builder.mul(builder.add(count, _const(0x9E3779B97F4A7C15)), _const(0xBF58476D1CE4E5B9))
    mixed = builder.xor(mixed, builder.lshr(mixed, _const(27)))
    mixed = builder.mul(mixed, _const(0x94D049BB133111EB))
    return builder.lshr(builder.xor(mixed, builder.lshr(mixed, _const(31))), _const(4))


def complex_hash(builder, value):
    """CPython's complex hash: hash(real) + 1000003 * hash(imag), wrapping."""
    real, imag = (float_hash(builder, builder.extract_value(value, i)) for i in range(2))
    combined = builder.add(real, builder.mul(_const(sys.hash_info.imag), imag))
    return _avoid_minus_one(builder, combined)


@lower_builtin(hash, types.Boolean)
def bool_hash_impl(context, builder, sig, args):
    return builder.zext(args[0], i64)


@lower_builtin(hash, types.Integer)
def integer_hash_impl(context, builder, sig, args):
    return int_hash(builder, args[0], sig.args[0].signed)


@lower_builtin(hash, types.IntEnumMember)
def int_enum_hash_impl(context, builder, sig, args):
    """An IntEnum member hashes as its int value (int.__hash__ comes first in its MRO)."""
    return int_hash(builder, args[0], sig.args[0].dtype.signed)


@lower_builtin(hash, types.Float)
def float_hash_impl(context, builder, sig, args):
    return float_hash(builder, args[0])


@lower_builtin(hash, types.Complex)
def complex_hash_impl(context, builder, sig, args):
    return complex_hash(builder, args[0])


@lower_builtin(hash, types.NoneType)
def none_hash_impl(context, builder, sig, args):
    if sys.version_info >= (3, 12):  # a constant since 3.12
        return _const(hash(None))
    # CPython 3.11 hashes None by its address (rotated right by 4 bits), which differs between
    # processes: read it at run time so cached code stays right.
    address = builder.ptrtoint(capi_global(builder.module, "_Py_NoneStruct"), i64)
    return builder.or_(builder.lshr(address, _const(4)), builder.shl(address, _const(60)))


# -- tuples ------------------------------------------------------------------------------------

def _rotate_left(builder, value, count: int):
    return builder.or_(builder.shl(value, _const(count)), builder.lshr(value, _const(64 - count)))


def _item_hash(context, builder, item_type, value):
    item_sig = resolve_hash(context.typing_context, item_type)
    value = context.cast(builder, value, item_type, item_sig.args[0])
    return context.get_function(types.Function(hash), item_sig)(builder, [value])


@lower_builtin(hash, types.BaseTuple)
def tuple_hash_impl(context, builder, sig, args):
    """CPython's tuplehash (xxHash's round over the items' hashes)."""
    tuple_type = sig.args[0]
    acc = _const(_XX_PRIME_5)
    for i, item_type in enumerate(tuple_type.types):
        lane = _item_hash(context, builder, item_type, builder.extract_value(args[0], i))
        acc = builder.add(acc, builder.mul(lane, _const(_XX_PRIME_2)))
        acc = builder.mul(_rotate_left(builder, acc, 31), _const(_XX_PRIME_1))
    acc = builder.add(acc, _const(len(tuple_type) ^ (_XX_PRIME_5 ^ 3527539)))
    is_minus_one = builder.icmp_signed("==", acc, _const(-1))
    return builder.select(is_minus_one, _const(1546275796), acc)


# -- unhashable values -------------------------------------------------------------------------

@lower_builtin(hash, types.Type)
def unhashable_hash_impl(context, builder, sig, args):
    """Raise at run time, as CPython and Numba do."""
    arg = sig.args[0]
    message = (f"No __hash__ is defined for object of type {arg}"
               if isinstance(arg, types.Function) else f"unhashable type: '{arg}'")
    with builder.if_then(cgutils.true_bit):
        context.call_conv.return_user_exc(builder, TypeError, (message,))
    return _const(0)
