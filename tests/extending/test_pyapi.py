"""`c.pyapi` in user box/unbox functions: the C-API helpers extension authors rely on."""
import gc
import sys

import pytest

from jitbridge import njit, types
from jitbridge.core import cgutils
from jitbridge.extending import (NativeValue, box, models, register_model, type_callable,
                                 typeof_impl, unbox, lower_builtin)


class Tagged:
    def __init__(self, value, tag="t"):
        self.value = value
        self.tag = tag

    def describe(self, prefix):
        return f"{prefix}:{self.tag}:{self.value}"


class TaggedType(types.Type):
    def __init__(self):
        super().__init__(name="Tagged")


tagged_type = TaggedType()
typeof_impl.register(Tagged)(lambda val, c: tagged_type)


@register_model(TaggedType)
class TaggedModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("value", types.int64), ("flag", types.boolean)])


@type_callable(Tagged)
def type_tagged(context):
    return lambda value: tagged_type if isinstance(value, types.Integer) else None


@lower_builtin(Tagged, types.Integer)
def make_tagged(context, builder, sig, args):
    proxy = cgutils.create_struct_proxy(tagged_type)(context, builder)
    proxy.value = context.cast(builder, args[0], sig.args[0], types.int64)
    proxy.flag = cgutils.true_bit
    return proxy._getvalue()


@unbox(TaggedType)
def unbox_tagged(typ, obj, c):
    value_obj = c.pyapi.object_getattr_string(obj, "value")
    with cgutils.if_unlikely(c.builder, cgutils.is_null(c.builder, value_obj)):
        c.builder.ret(c.pyapi.get_null_object())
    native = c.unbox(types.int64, value_obj)
    c.pyapi.decref(value_obj)
    negative = c.builder.and_(c.builder.not_(native.is_error),
                              c.builder.icmp_signed("<", native.value, native.value.type(0)))
    is_error = c.builder.or_(native.is_error, negative)
    with cgutils.if_unlikely(c.builder, negative):
        c.pyapi.err_set_string("PyExc_ValueError", "Tagged value must be >= 0")
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    proxy.value = native.value
    proxy.flag = cgutils.false_bit
    return NativeValue(proxy._getvalue(), is_error=is_error)


@box(TaggedType)
def box_tagged(typ, val, c):
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    cls = c.pyapi.unserialize(c.pyapi.serialize_object(Tagged))
    value = c.pyapi.long_from_longlong(proxy.value)
    obj = c.pyapi.call_function_objargs(cls, (value,))
    tag = c.pyapi.string_from_string("boxed")
    c.pyapi.object_setattr_string(obj, "tag", tag)
    flag = c.pyapi.bool_from_bool(proxy.flag)
    c.pyapi.object_setattr_string(obj, "made_in_compiled_code", flag)
    half = c.pyapi.float_from_double(c.builder.sitofp(proxy.value, c.pyapi.double))
    pair = c.pyapi.tuple_pack([half, c.pyapi.borrow_none()])
    c.pyapi.object_setattr_string(obj, "extra", pair)
    none = c.pyapi.make_none()
    text = c.pyapi.call_method(obj, "describe", (tag,))
    c.pyapi.object_setattr_string(obj, "description", text)
    for owned in (cls, value, tag, flag, half, pair, none, text):
        c.pyapi.decref(owned)
    return obj


def test_box_uses_pyapi_helpers():
    result = njit(lambda n: Tagged(n + 1))(41)
    assert isinstance(result, Tagged)
    assert result.value == 42 and result.tag == "boxed"
    assert result.made_in_compiled_code is True
    assert result.extra == (42.0, None)
    assert result.description == "boxed:boxed:42"


def test_unbox_error_sets_python_exception():
    identity = njit(lambda t: t)
    with pytest.raises(ValueError, match=">= 0"):
        identity(Tagged(-1))
    with pytest.raises(TypeError):
        identity(Tagged("x"))
    roundtrip = identity(Tagged(5))
    assert roundtrip.value == 5 and roundtrip.made_in_compiled_code is False


def test_no_reference_leaks():
    identity = njit(lambda t: t)
    obj = Tagged(7)
    for _ in range(100):  # compile, and let caches settle
        identity(obj)
    gc.collect()  # garbage freed during the loop would otherwise move None's count
    before = (sys.getrefcount(obj), sys.getrefcount(Tagged), sys.getrefcount(None))
    for _ in range(1000):
        identity(obj)
    gc.collect()
    after = (sys.getrefcount(obj), sys.getrefcount(Tagged), sys.getrefcount(None))
    assert after[:2] == before[:2]
    # None is shared by the whole interpreter (other code moves its count a little); a leak
    # per call would move it by 1000 or more
    assert abs(after[2] - before[2]) < 100
