"""Numba's `print_item` hook: an extension prints values of its own type inside print(),
between the others, registered with numba.core.typing.templates' `infer`."""
from jitbridge import njit, types
from jitbridge.core.typing.templates import ConcreteTemplate, infer, infer_global, signature
from jitbridge.extending import (NativeValue, lower_builtin, models, register_model,
                                 typeof_impl, unbox)


class Gadget:
    pass


class GadgetType(types.Opaque):
    def __init__(self):
        super().__init__(name="gadget")


gadget_type = GadgetType()
typeof_impl.register(Gadget)(lambda value, c: gadget_type)
register_model(GadgetType)(models.OpaqueModel)
unbox(GadgetType)(lambda typ, obj, c: NativeValue(c.context.get_dummy_value()))


@infer
class PrintGadget(ConcreteTemplate):
    key = "print_item"
    cases = [signature(types.none, gadget_type)]


@lower_builtin("print_item", GadgetType)
def print_gadget(context, builder, sig, args):
    pyapi = context.get_python_api(builder)
    text = pyapi.unserialize(pyapi.serialize_object("<gadget>"))
    pyapi.print_object(text)
    pyapi.decref(text)
    return context.get_dummy_value()


def twice(x):
    raise NotImplementedError


@infer_global(twice)
class TwiceTemplate(ConcreteTemplate):
    cases = [signature(types.int64, types.int64)]


@lower_builtin(twice, types.int64)
def twice_impl(context, builder, sig, args):
    return builder.mul(args[0], context.get_constant(types.int64, 2))


@njit
def show(g, n):
    print(g)
    print("n =", g, twice(n), 2.5)


def test_print_item_prints_an_extension_type_among_the_others(capsys):
    show(Gadget(), 21)
    assert capsys.readouterr().out == "<gadget>\nn = <gadget> 42 2.5\n"
