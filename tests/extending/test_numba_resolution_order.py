"""Numba's resolution rules that extension code relies on: builtin templates are tried before
extensions for the same function; an extension type that declares `can_convert_to` a number
takes part in numeric operators through its `lower_cast`; `context.get_dummy_value()` is a
valid value of every type without data and of opaque types."""
import operator

from jitbridge import njit, types
from jitbridge.core.typeconv import Conversion
from jitbridge.extending import (NativeValue, lower_cast, models, overload, register_model,
                                 typeof_impl, unbox)


class Coin:
    """Converts implicitly to the number 42 in compiled code."""


class Token:
    """Converts to nothing."""


class CoinType(types.Opaque):
    def can_convert_to(self, context, toty):
        return Conversion.safe if isinstance(toty, types.Number) else None


class TokenType(types.Opaque):
    pass


coin_type, token_type = CoinType("coin"), TokenType("token")
typeof_impl.register(Coin)(lambda value, context: coin_type)
typeof_impl.register(Token)(lambda value, context: token_type)
for _cls in (CoinType, TokenType):
    register_model(_cls)(models.OpaqueModel)
    unbox(_cls)(lambda typ, obj, c: NativeValue(c.context.get_dummy_value()))


@lower_cast(CoinType, types.Number)
def _coin_to_number(context, builder, fromty, toty, value):
    return context.get_constant(toty, 42)


@overload(operator.add)
def _add_opaque(a, b):
    if isinstance(a, (CoinType, TokenType)) and isinstance(b, (CoinType, TokenType)):
        return lambda a, b: 7


@njit
def add(a, b):
    return a + b


def test_builtin_numeric_add_comes_first_through_the_implicit_conversion():
    assert add(Coin(), Coin()) == 84  # int64 + int64 of the converted coins, as in Numba
    assert add(Coin(), 1) == 43


def test_types_without_conversion_reach_the_extension_overload():
    assert add(Token(), Token()) == 7
    assert add(Coin(), Token()) == 7  # a token takes no part in numeric addition
    assert add(2, 3) == 5
