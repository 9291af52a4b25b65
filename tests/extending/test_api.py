"""overload, overload_method, overload_attribute, intrinsic, register_jitable, lower_cast,
lower_getattr and type_callable, each used the way Numba's documentation shows."""
import operator

import numpy as np
import pytest
from llvmlite import ir

from jitbridge import njit, types
from jitbridge.core import cgutils
from jitbridge.errors import TypingError
from jitbridge.extending import (intrinsic, lower_builtin, lower_cast, lower_getattr,
                                 make_attribute_wrapper, models, overload, overload_method,
                                 register_jitable, register_model, type_callable, typeof_impl)

from .interval_example import Interval, IntervalType, interval_width


# -- overload of a plain Python function ----------------------------------------------------------

def clipped(x, lo, hi):
    """Pure-Python reference; compiled code gets the overload below."""
    raise AssertionError("the Python version must not run in compiled code")


@overload(clipped)
def ol_clipped(x, lo, hi):
    if isinstance(x, types.Float):
        def impl(x, lo, hi):
            return min(max(x, lo), hi)
        return impl
    if isinstance(x, types.Array):
        def impl(x, lo, hi):
            out = np.empty_like(x)
            for i in range(x.shape[0]):
                out[i] = min(max(x[i], lo), hi)
            return out
        return impl
    return None


def test_overload_of_python_function_dispatches_on_types():
    f = njit(lambda x: clipped(x, 0.0, 1.0))
    assert f(2.5) == 1.0
    assert f(-1.0) == 0.0
    assert f(np.array([-1.0, 0.5, 3.0])).tolist() == [0.0, 0.5, 1.0]


def test_overload_resolution_error_lists_candidates():
    with pytest.raises(TypingError) as info:
        njit(lambda x: clipped(x, 0, 1))((1, 2))
    message = str(info.value)
    assert "candidates tried" in message and "ol_clipped" in message


# -- overload of an operator, implemented by the class's own Python method -------------------------

class Celsius:
    def __init__(self, degrees):
        self.degrees = degrees

    def __gt__(self, other):
        return self.degrees > other.degrees


class CelsiusType(types.Type):
    def __init__(self):
        super().__init__(name="Celsius")


celsius_type = CelsiusType()


@typeof_impl.register(Celsius)
def typeof_celsius(val, c):
    return celsius_type


@register_model(CelsiusType)
class CelsiusModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("degrees", types.float64)])


make_attribute_wrapper(CelsiusType, "degrees", "degrees")


# strict=False: the implementation's parameters are named (self, other), not (a, b)
@overload(operator.gt, strict=False)
def ol_celsius_gt(a, b):
    if isinstance(a, CelsiusType) and isinstance(b, CelsiusType):
        return Celsius.__gt__  # an existing Python function, compiled as the implementation
    return None


@overload_method(CelsiusType, "to_fahrenheit")
def ol_to_fahrenheit(self, offset):
    def impl(self, offset):
        return self.degrees * 9.0 / 5.0 + 32.0 + offset
    return impl


from jitbridge.extending import unbox, NativeValue  # noqa: E402


@unbox(CelsiusType)
def unbox_celsius(typ, obj, c):
    attr = c.pyapi.object_getattr_string(obj, "degrees")
    native = c.unbox(types.float64, attr)
    c.pyapi.decref(attr)
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    proxy.degrees = native.value
    return NativeValue(proxy._getvalue(), is_error=native.is_error)


def test_overload_operator_with_existing_method():
    hotter = njit(lambda a, b: a > b)
    assert hotter(Celsius(30.0), Celsius(20.0)) is True
    assert hotter(Celsius(10.0), Celsius(20.0)) is False
    assert hotter(3, 2) is True  # builtin comparisons are unaffected


def test_overload_method():
    f = njit(lambda c: c.to_fahrenheit(1.0))
    assert f(Celsius(100.0)) == 213.0


def test_overload_method_on_interval():
    @overload_method(IntervalType, "contains")
    def ol_contains(interval, x):
        if isinstance(x, types.Float):
            def impl(interval, x):
                return interval.lo <= x < interval.hi
            return impl
    f = njit(lambda i, x: i.contains(x))
    assert f(Interval(1.0, 2.0), 1.5) is True
    assert f(Interval(1.0, 2.0), 2.5) is False
    assert interval_width(Interval(1.0, 2.0)) == 1.0


# -- intrinsic -----------------------------------------------------------------------------------

@intrinsic
def popcount(typingctx, x):
    if not isinstance(x, types.Integer):
        return None
    sig = types.int64(x)

    def codegen(context, builder, signature, args):
        fnty = ir.FunctionType(args[0].type, [args[0].type])
        fn = builder.module.declare_intrinsic("llvm.ctpop", [args[0].type], fnty)
        return context.cast(builder, builder.call(fn, [args[0]]), signature.args[0], types.int64)
    return sig, codegen


def test_intrinsic_emits_llvm_directly():
    f = njit(lambda n: popcount(n))
    assert f(0b101101) == 4
    assert "llvm.ctpop" in f.inspect_llvm()[f.signatures[0]]
    with pytest.raises(TypingError, match="only be called from compiled code"):
        popcount(3)


# -- register_jitable ------------------------------------------------------------------------------

@register_jitable
def hypot2(a, b):
    return a * a + b * b


def test_register_jitable_works_in_python_and_compiled():
    assert hypot2(3, 4) == 25
    assert njit(lambda a, b: hypot2(a, b) + 1)(3, 4) == 26


# -- type_callable + lower_builtin on a plain function; lower_getattr; lower_cast ------------------

def double_it(x):
    return 2 * x


@type_callable(double_it)
def type_double_it(context):
    def typer(x):
        if isinstance(x, types.Integer):
            return types.int64
    return typer


@lower_builtin(double_it, types.Integer)
def lower_double_it(context, builder, sig, args):
    value = context.cast(builder, args[0], sig.args[0], types.int64)
    return builder.shl(value, ir.Constant(value.type, 1))


class Meters(types.Type):
    def __init__(self):
        super().__init__(name="meters")

    def can_convert_to(self, typingctx, other):
        from jitbridge.typing.unify import Conversion
        return Conversion.safe if isinstance(other, types.Float) else None


meters = Meters()
register_model(Meters)(lambda dmm, fe_type: models.PrimitiveModel(dmm, fe_type, ir.DoubleType()))


def to_meters(x):
    return x


@type_callable(to_meters)
def type_to_meters(context):
    return lambda x: meters if isinstance(x, types.Float) else None


@lower_builtin(to_meters, types.Float)
def lower_to_meters(context, builder, sig, args):
    return args[0]


@lower_getattr(Meters, "km")
def meters_km(context, builder, typ, value, attr):
    return builder.fdiv(value, ir.Constant(value.type, 1000.0))


@lower_cast(Meters, types.Float)
def meters_to_float(context, builder, fromty, toty, val):
    return val


def test_type_callable_and_lower_builtin_on_function():
    assert njit(lambda n: double_it(n))(21) == 42


def test_lower_getattr_and_lower_cast():
    from jitbridge.extending import register_attr, AttributeTemplate

    @register_attr
    class MetersAttributes(AttributeTemplate):
        key = Meters

        def resolve_km(self, ty):
            return types.float64

    assert njit(lambda x: to_meters(x).km)(1500.0) == 1.5
    as_float = njit("float64(float64)")(lambda x: to_meters(x))  # return value cast by lower_cast
    assert as_float(2.0) == 2.0
