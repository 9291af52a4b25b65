"""Numba's `@overload(strict=True)` rule (the implementation takes the overload function's
parameters), overload functions taking **kwargs (strict=False), implementations and methods
with *args, and intrinsics: pickling by value, a literal attempt's TypingError falling back."""
import pickle

import pytest
from llvmlite import ir

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.extending import _Intrinsic, intrinsic, overload, overload_method

SENTINEL = "Typing and implementation arguments differ in"


def _caller_of(impl, strict=True):
    def target(a, b, kw=None):
        raise NotImplementedError

    @overload(target, strict=strict)
    def ol_target(a, b, kw=None):
        return impl

    return njit(lambda x, y: target(x, y, kw=1))


def _with_default_12(a, b, kw=12):
    return a + b


def _renamed(z, b, kw=None):
    return z + b


def _fewer_keywords(a, b):
    return a + b


def _star_after_first(a, *rest, kw=None):
    return a + len(rest)


@pytest.mark.parametrize("impl, words, shown", [
    (_with_default_12, "keyword argument default values", ['<Parameter "kw=12">',
                                                            '<Parameter "kw=None">']),
    (_renamed, "argument names", ['<Parameter "a">', '<Parameter "z">']),
    (_fewer_keywords, "keyword argument names", ['<Parameter "kw=None">']),
])
def test_strict_overload_refuses_a_differing_implementation(impl, words, shown):
    with pytest.raises(TypingError) as info:
        _caller_of(impl)(1, 2)
    message = str(info.value)
    assert f"{SENTINEL} {words}." in message and all(s in message for s in shown)
    assert "Typing signature:         (a, b, kw=None)" in message


def test_strict_false_accepts_it_and_star_args_may_take_the_rest():
    assert _caller_of(_renamed, strict=False)(1, 2) == 3
    assert _caller_of(_star_after_first)(5, 2) == 6  # *rest takes b


def test_var_keyword_typing_function_needs_strict_false():
    def target(a, kw=None):
        raise NotImplementedError

    def ol_target(a, **kws):
        return lambda a, kw=10: a * kw

    with pytest.raises(TypingError, match=r"use of VAR_KEYWORD \(e.g. \*\*kwargs\) is "
                                          r"unsupported.*'\*\*kws'"):
        overload(target)(ol_target)
    overload(target, strict=False)(ol_target)
    call = njit(lambda x: (target(x, kw=3), target(x)))
    assert call(2) == (6, 20)


class Box:
    pass


class BoxType(types.Opaque):
    pass


box_type = BoxType("box")


@overload_method(BoxType, "gather")
def ol_gather(obj, first, *rest):
    def gather(obj, first, *rest):
        return first, rest
    return gather


def test_method_with_star_args_packs_the_rest():
    from jitbridge.extending import register_model, models, typeof_impl, unbox, NativeValue
    typeof_impl.register(Box)(lambda value, c: box_type)
    register_model(BoxType)(models.OpaqueModel)
    unbox(BoxType)(lambda typ, obj, c: NativeValue(c.context.get_dummy_value()))
    spread = njit(lambda obj, *args: obj.gather(*args))
    assert spread(Box(), 1) == (1, ())
    assert spread(Box(), 1, 2.5, (3, 4)) == (1, (2.5, (3, 4)))
    assert njit(lambda obj: obj.gather(7, 8))(Box()) == (7, (8,))


def _identity_definition(context, x):
    return x(x), lambda context, builder, sig, args: args[0]


def test_intrinsic_pickles_by_value_and_is_itself_in_the_same_process():
    made = intrinsic(_local_identity())
    first = pickle.loads(pickle.dumps(made))
    assert first is made  # the original while it lives: its registration stays valid
    assert njit(lambda x: made(x))(4) == 4
    unregistered = _Intrinsic("copy", _local_identity())
    payload = pickle.dumps(unregistered)
    del unregistered
    _Intrinsic._recent.clear()
    rebuilt = pickle.loads(payload)  # another process's view: made again, and registered
    assert rebuilt is pickle.loads(payload) and rebuilt.__name__ == "copy"
    assert njit(lambda x: rebuilt(x))(2.5) == 2.5


def _local_identity():
    def identity(context, x):
        return x(x), lambda context, builder, sig, args: args[0]
    return identity


def test_a_literal_attempt_that_raises_falls_back_to_the_plain_types():
    @intrinsic(prefer_literal=True)
    def only_one(context, x):
        if isinstance(x, types.IntegerLiteral) and x.literal_value != 1:
            raise TypingError("only the literal 1")

        def codegen(context, builder, sig, args):
            if isinstance(sig.args[0], types.IntegerLiteral):
                return ir.Constant(ir.IntType(64), 100)
            return args[0]
        return types.int64(x), codegen

    assert njit(lambda n: (only_one(1), only_one(2), only_one(n)))(5) == (100, 2, 5)


def test_nrt_false_refuses_returning_new_memory_but_not_an_argument():
    import numpy as np
    from jitbridge.extending import register_jitable

    @register_jitable(_nrt=False)
    def fresh(n):
        return np.arange(n)

    @register_jitable(_nrt=False)
    def same(a):
        b = a
        return b

    with pytest.raises(TypingError, match="Only accept returning of array passed into the "
                                          "function as argument"):
        njit(lambda n: fresh(n))(3)
    a = np.arange(3.0)
    assert njit(lambda a: same(a))(a) is a


def test_jit_options_an_implementation_cannot_have_warn():
    from jitbridge.errors import JitBridgeWarning

    def target(x):
        raise NotImplementedError

    with pytest.warns(JitBridgeWarning, match=r"jit_options \['fastmath'\] .* not applied"):
        overload(target, jit_options={"fastmath": True, "cache": True})(lambda x: None)
