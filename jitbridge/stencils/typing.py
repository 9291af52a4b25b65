"""A StencilFunc in compiled code: its type, calls (typed by compiling the specialisation for
the call's argument types) and unboxing when one is passed as an argument."""
from __future__ import annotations

from .. import types
from ..compiler import type_inline_callee
from ..core import cgutils
from ..errors import TypingError
from ..extending import AbstractTemplate, NativeValue, register, register_unbox
from . import driver


class StencilFuncType(types.Callable, types.Dummy):
    """The type of one StencilFunc (compared by identity: each kernel is its own code)."""

    def __init__(self, stencil):
        self.stencil = stencil
        super().__init__(f"StencilFunc({stencil.__qualname__})")

    @property
    def key(self):
        return self.stencil


class StencilCall(AbstractTemplate):
    """`kernel(a, b, ..., out=o)`: the arguments' specialisation, called in place."""

    key = StencilFuncType

    def generic(self, args, kws):
        stencil_type, *inputs = args
        extra = sorted(set(kws) - {"out"})
        if extra:
            raise TypingError(f"stencil {stencil_type.stencil.__name__}() got unexpected "
                              f"keyword arguments {extra} (only out= is accepted)")
        out_type = kws.get("out")
        if isinstance(out_type, (types.NoneType, types.Omitted)):
            out_type = None
        inputs = tuple(types.unliteral(t) for t in inputs)
        run = stencil_type.stencil.specialise(inputs, out_type)
        function = driver.call_function(len(inputs), out_type is not None, run)
        argtypes = (stencil_type, *inputs, *((out_type,) if out_type is not None else ()))
        callee = type_inline_callee(function, argtypes)
        return callee.signature.replace(impl=_lower_call(callee))


def _lower_call(callee):
    def lower_call(context, builder, sig, args):
        return context.call_inline_callee(builder, callee, args[:len(callee.signature.args)])
    lower_call.emits_checked_code = True  # each instruction comes from a checked lowering
    return lower_call


register(StencilCall)


@register_unbox(StencilFuncType)
def unbox_stencil(typ, obj, c):
    """A stencil passed as an argument: nothing at run time (calls are bound when compiling),
    after checking it is the very StencilFunc the type names."""
    expected = c.context.embed_object(c.builder, typ.stencil, "the stencil function")
    wrong = c.builder.icmp_unsigned("!=", obj, c.builder.bitcast(expected, obj.type))
    with cgutils.if_unlikely(c.builder, wrong):
        c.pyapi.err_set_string("PyExc_TypeError",
                               f"expected the stencil function {typ.stencil.__qualname__}")
    return NativeValue(c.context.get_dummy_value(), is_error=wrong)
