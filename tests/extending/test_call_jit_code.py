"""`c.pyapi.call_jit_code` (Numba's API, issue 22): box and unbox functions call jitted Python
code; its result comes back, and an exception it raises reaches the Python caller."""
import pytest

from jitbridge import njit, types
from jitbridge.core import cgutils
from jitbridge.extending import (NativeValue, box, intrinsic, models, register_model,
                                 typeof_impl, unbox)
from jitbridge.types import signature


class Token:
    def __init__(self, value):
        self.value = value


class TokenType(types.Type):
    def __init__(self):
        super().__init__(name="Token")


token_type = TokenType()
register_model(TokenType)(models.OpaqueModel)
typeof_impl.register(Token)(lambda value, c: token_type)


@intrinsic
def plus_offset(typingctx, value):
    def codegen(context, builder, sig, args):
        return builder.add(args[0], args[0].type(1000))
    return signature(value, value), codegen


def checked(x):
    if x < 0:
        raise ValueError("negative token")
    return plus_offset(x)


@unbox(TokenType)
def unbox_token(typ, obj, c):
    value = c.pyapi.object_getattr_string(obj, "value")
    number = c.pyapi.long_as_longlong(value)
    c.pyapi.decref(value)
    is_error, result = c.pyapi.call_jit_code(checked, signature(types.voidptr, types.intp),
                                             [number])
    return NativeValue(result, is_error=is_error)


@box(TokenType)
def box_token(typ, val, c):
    number = c.builder.ptrtoint(val, cgutils.intp_t)
    is_error, doubled = c.pyapi.call_jit_code(lambda x: x * 2, signature(types.intp, types.intp),
                                              [number])
    result = cgutils.alloca_once(c.builder, c.pyapi.pyobj, zfill=True)
    with c.builder.if_then(c.builder.not_(is_error)):
        c.builder.store(c.pyapi.long_from_longlong(doubled), result)
    return c.builder.load(result)


@njit
def passthru(token):
    return token


def test_unbox_and_box_call_jitted_code():
    assert passthru(Token(5)) == (5 + 1000) * 2


def test_an_exception_in_the_jitted_code_reaches_the_caller():
    with pytest.raises(ValueError, match="negative token"):
        passthru(Token(-3))
