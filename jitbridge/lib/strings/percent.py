"""printf-style formatting, `"%d items at %.2f" % (n, x)`: CPython's own `str % values` runs
on the boxed values with the GIL held (as str.format does, formatting.py), so every conversion,
flag, width and precision, and every error ("not enough arguments for format string"), is
CPython's by construction. Values CPython would see as other objects than a compiled one's
(containers, arrays) are refused when compiling, naming the type."""
from __future__ import annotations

import operator

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload
from ...runtime.boxing import BoxContext
from ..printing import boxed_for_text
from .model import is_string
from .pycall import BOXABLE, string_of_call


@intrinsic
def _percent_format(typingctx, template, values):
    """`template % values` run by CPython: a tuple's items become a Python tuple."""
    def codegen(context, builder, sig, args):
        c = BoxContext(context, builder)
        state = c.pyapi.gil_ensure()
        text = boxed_for_text(c, sig.args[0], args[0])
        operand = _boxed_operand(c, sig.args[1], args[1])
        return string_of_call(c, state, [text, operand], "__mod__")
    return types.unicode_type(template, values), codegen


def _boxed_operand(c, ty, value):
    """A new reference to the right operand: one value, or a tuple of the boxed items."""
    if not isinstance(ty, types.BaseTuple):
        return boxed_for_text(c, ty, value)
    items = [boxed_for_text(c, t, c.builder.extract_value(value, i)) for i, t in enumerate(ty)]
    packed = c.pyapi.tuple_pack(items)
    for item in items:
        c.pyapi.decref(item)
    return packed


@overload(operator.mod)
def percent_format(template, values):
    if not is_string(template):
        return None
    items = values.types if isinstance(values, types.BaseTuple) else (values,)
    wrong = next((t for t in items if not isinstance(t, BOXABLE)), None)
    if wrong is not None:
        raise TypingError(f"str % values: a value of type {wrong} is not supported (numbers, "
                          "bools, strings and None are, alone or in a tuple)")
    return lambda template, values: _percent_format(template, values)
