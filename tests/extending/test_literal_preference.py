"""@overload / @overload_method / @intrinsic see plain argument types first and literal ones
only when that gives nothing (or the other way round with prefer_literal=True); each result
is specific to the types it was typed for, so a literal-specific implementation is never
reused for another value. @intrinsic keeps its function's metadata; a `void` codegen may
return None."""
import inspect

import pytest

from jitbridge import errors, njit, types
from jitbridge.extending import intrinsic, overload


def _by_literal(x):
    """An implementation per literal value 1, a TypingError for other literals, a generic one
    for plain integers."""
    if isinstance(x, types.IntegerLiteral):
        if x.literal_value == 1:
            return lambda x: 1000
        raise errors.TypingError("only the literal 1")
    return lambda x: x * 10


def prefers_literal(x):
    pass


def plain_first(x):
    pass


overload(prefers_literal, prefer_literal=True)(_by_literal)
overload(plain_first)(_by_literal)


@njit
def call_prefers_literal(x):
    return prefers_literal(1), prefers_literal(2), prefers_literal(x)


@njit
def call_plain_first(x):
    return plain_first(1), plain_first(2), plain_first(x)


def test_prefer_literal_tries_literal_types_first_and_falls_back():
    assert call_prefers_literal(3) == (1000, 20, 30)


def test_default_tries_plain_types_first():
    assert call_plain_first(3) == (10, 20, 30)


@intrinsic(prefer_literal=True)
def literal_or_plain(typingctx, x):
    """Returns 1 for a literal argument, 2 for a plain one."""
    answer = 1 if isinstance(x, types.IntegerLiteral) else 2

    def codegen(context, builder, sig, args):
        return context.get_constant(types.int64, answer)
    return types.int64(x), codegen


@intrinsic
def plain_or_literal(typingctx, x):
    answer = 1 if isinstance(x, types.IntegerLiteral) else 2

    def codegen(context, builder, sig, args):
        return context.get_constant(types.int64, answer)
    return types.int64(x), codegen


def test_intrinsic_literal_preference():
    assert njit(lambda x: (literal_or_plain(5), literal_or_plain(x)))(1) == (1, 2)
    assert njit(lambda x: (plain_or_literal(5), plain_or_literal(x)))(1) == (2, 2)


def test_intrinsic_keeps_its_function_metadata():
    assert literal_or_plain.__name__ == "literal_or_plain"
    assert literal_or_plain.__module__ == __name__
    assert literal_or_plain.__doc__.startswith("Returns 1")
    assert inspect.signature(literal_or_plain).parameters.keys() == {"typingctx", "x"}


@intrinsic
def does_nothing(typingctx, x):
    def codegen(context, builder, sig, args):
        return None  # nothing to compute: a void function
    return types.void(x), codegen


def test_void_intrinsic_codegen_may_return_none():
    assert types.void is types.none
    assert njit(lambda x: does_nothing(x))(3) is None
