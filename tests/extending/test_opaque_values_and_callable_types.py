"""Issue 22: two extension patterns of Numba's documentation and test suite.

- A global whose type is a `types.Opaque` (any `types.Dummy` without a constant lowering) is
  identified by its type alone: compiled code freezes it as a null pointer, and an implicit
  cast (`lower_cast`) or an `@overload` taking that type applies to it.
- `@overload(SomeCallableType)` on a `types.Callable` subclass implements calls of values of
  that type (a class typed by `infer_global`), with the call's arguments only.
"""
import numpy as np

from jitbridge import njit, types
from jitbridge.core.typeconv import Conversion
from jitbridge.extending import (lower_cast, lower_constant, models, overload, register_model,
                                 typeof_impl)
from jitbridge.core.typing.templates import infer_global


class Token:
    pass


class TokenType(types.Opaque):
    def can_convert_to(self, context, toty):
        if isinstance(toty, types.Number):
            return Conversion.safe


token_type = TokenType("test_token")
TOKEN = Token()
register_model(TokenType)(models.OpaqueModel)


@typeof_impl.register(Token)
def _typeof_token(value, c):
    return token_type


@lower_cast(TokenType, types.Number)
def _token_to_number(context, builder, fromty, toty, value):
    return context.get_constant(toty, 7)


@overload(np.exp)
def _exp_of_token(x):
    if isinstance(x, TokenType):
        return lambda x: 0xBEEF


@njit("float64()")
def token_as_float():
    return TOKEN


@njit
def exp_of_token():
    return np.exp(TOKEN)


def test_an_opaque_global_is_frozen_and_casts_implicitly():
    assert token_as_float() == 7.0
    assert exp_of_token() == 0xBEEF


class Maker:
    pass


class MakerType(types.Callable):
    def __init__(self, cls):
        self.cls = cls
        super().__init__(f"test_maker[{cls.__name__}]")


@register_model(MakerType)
class _MakerModel(models.OpaqueModel):
    pass


infer_global(Maker, MakerType(Maker))


@lower_constant(MakerType)
def _maker_constant(context, builder, ty, value):
    return context.get_dummy_value()


@overload(MakerType)
def _make_from_int(x):
    if isinstance(x, types.Integer):
        return lambda x: x * 2.5


@overload(MakerType)
def _make_from_str(x, suffix="!"):
    if isinstance(x, types.UnicodeType):
        return lambda x, suffix="!": x + suffix


@njit
def make(a, b):
    return Maker(a), Maker(b), Maker(b, suffix="?")


def test_overloads_of_a_callable_type_implement_calls_of_its_values():
    assert make(4, "x") == (10.0, "x!", "x?")
