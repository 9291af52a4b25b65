"""isinstance(x, cls): decided at compile time from x's type, typed as a boolean literal, so a
branch on it keeps only its live side (typing/pruning.py) as Numba's dead-branch pruning does.

A class stands for the values of the types its instances have in compiled code: `int` for
int64/uint64 (and bool, a subclass of int in Python), `float` for float64, `np.int8` for int8,
`tuple` for every tuple, a jitclass for its instances. Python and NumPy scalars share types
(an int and an np.intp are both int64), so `isinstance(np.intp(1), int)` is True here, as in
Numba. A value that is None on some paths (Optional) is answered at run time when its two
cases differ (`isinstance(z, int)` is `z is not None` for an optional int), where Numba
refuses it; values of types with no well-defined class are refused rather than answered False.
"""
from __future__ import annotations

import numpy as np

from .. import types
from ..errors import TypingError
from ._registries import AbstractTemplate, lower_builtin, register, register_global

#: classes whose instances have no type in compiled code yet: isinstance() of them is False
_UNTYPED_CLASSES = (bytearray,)

#: Python class -> predicate on an (unliteral) value type
_BUILTIN_CLASSES = {
    bool: lambda t: isinstance(t, types.Boolean),
    int: lambda t: isinstance(t, types.Boolean) or t in (types.int64, types.uint64),
    float: lambda t: t == types.float64,
    complex: lambda t: t == types.complex128,
    str: lambda t: isinstance(t, types.UnicodeType),
    tuple: lambda t: isinstance(t, types.BaseTuple),
    list: lambda t: isinstance(t, types.List) and not isinstance(t, types.ListType),
    dict: lambda t: isinstance(t, (types.DictType, types.LiteralStrKeyDict)),
    set: lambda t: isinstance(t, types.Set),
    range: lambda t: isinstance(t, types.RangeType),
    np.ndarray: lambda t: isinstance(t, types.Array),
    bytes: lambda t: isinstance(t, types.Bytes),
    type(None): lambda t: isinstance(t, types.NoneType),
    **{cls: lambda t: False for cls in _UNTYPED_CLASSES},
}

#: value types isinstance() answers for (others are refused: a wrong False is worse)
_SUPPORTED_VALUES = (types.Number, types.Boolean, types.UnicodeType, types.BaseTuple,
                     types.List, types.DictType, types.LiteralStrKeyDict, types.Set,
                     types.RangeType, types.Array, types.NoneType, types.ClassInstanceType,
                     types.NPDatetime, types.NPTimedelta, types.UnicodeCharSeq,
                     types.EnumMember, types.Function, types.Dispatcher, types.Bytes)


def class_matches(value, cls) -> bool:
    """Whether a value of type `value` is an instance of the class typed `cls`."""
    if isinstance(cls, types.Function) and cls.typing_key in _BUILTIN_CLASSES:
        return _BUILTIN_CLASSES[cls.typing_key](value)
    if isinstance(cls, types.NumberClass) and \
            isinstance(cls.instance_type, (types.NPDatetime, types.NPTimedelta)):
        return type(value) is type(cls.instance_type)  # np.datetime64: of any unit
    if isinstance(cls, types.NumberClass):
        return value == cls.instance_type
    if isinstance(cls, types.ClassType):
        return isinstance(value, types.ClassInstanceType) and \
            value.definition is cls.definition
    if isinstance(cls, types.NamedTupleClass):
        return isinstance(value, types.BaseNamedTuple) and \
            value.instance_class is cls.instance_class
    if isinstance(cls, types.EnumClass):
        return isinstance(value, types.EnumMember) and value.instance_class is cls.instance_class
    if isinstance(cls, types.TypeRef):
        return _typed_container_matches(value, cls.instance_type)
    raise TypingError(f"isinstance(): Cannot infer Numba type of Python type {cls} "
                      f"(the second argument must be a class or a tuple of classes)")


def _typed_container_matches(value, instance_type) -> bool:
    """`typed.List`, `typed.Dict` (their classes type as references to their types)."""
    if isinstance(instance_type, (types.ListType, types.DictType)):
        return type(value) is type(instance_type)
    raise TypingError("isinstance(): Numba type classes (except numba.typed.* container "
                      f"types) are not supported: {instance_type}")


def instance_of(value, classes) -> bool:
    """isinstance() over a class or a tuple of them, tried in order (as Python does: a match
    answers before a later item is looked at)."""
    items = classes.types if isinstance(classes, types.BaseTuple) else (classes,)
    return any(class_matches(value, cls) for cls in items)


def _checked_value(value):
    value = types.unliteral(value)
    if not isinstance(value, _SUPPORTED_VALUES):
        raise TypingError(f'isinstance() does not support variables of type "{value}".')
    return value


class IsinstanceTemplate(AbstractTemplate):
    key = isinstance

    def generic(self, args, kws):
        if len(args) != 2 or kws:
            return None
        value = types.unliteral(args[0])
        if isinstance(value, types.Optional):
            present, absent = _optional_answers(value, args[1])
            answer = present if present == absent else None
        else:
            answer = instance_of(_checked_value(value), args[1])
        return types.signature(types.boolean if answer is None else types.literal(answer), *args)


def _optional_answers(value, classes):
    """isinstance() of an optional value: (when it holds a value, when it is None)."""
    return instance_of(_checked_value(value.type), classes), instance_of(types.none, classes)


register(IsinstanceTemplate)
for _value in (isinstance, bytes, type(None), *_UNTYPED_CLASSES, np.ndarray):
    register_global(_value, types.Function(_value))


@lower_builtin(isinstance, types.Any, types.Any)
def isinstance_impl(context, builder, sig, args):
    if not isinstance(sig.return_type, types.Literal):  # an optional value: known at run time
        present, _ = _optional_answers(types.unliteral(sig.args[0]), sig.args[1])
        valid = context.make_helper(builder, types.unliteral(sig.args[0]), args[0]).valid
        return valid if present else builder.not_(valid)
    return context.get_constant(types.boolean, sig.return_type.literal_value)


# -- type(x) ---------------------------------------------------------------------------------------

#: the Python class of the values of a type (other numbers: their NumPy scalar class)
_PYTHON_CLASSES = {types.boolean: bool, types.int64: int, types.float64: float,
                   types.complex128: complex, types.unicode_type: str, types.none: type(None)}


class TypeTemplate(AbstractTemplate):
    """type(x) of a number, bool, string or None: its class, callable as a conversion
    (`type(a)(b)`) and usable in isinstance() (`isinstance(x, type(None))`)."""
    key = type

    def generic(self, args, kws):
        if len(args) != 1 or kws:
            return None
        value = types.unliteral(args[0])
        cls = _PYTHON_CLASSES.get(value)
        if cls is not None:
            return types.signature(self.context.resolve_value_type(cls), args[0])
        if isinstance(value, types.Number):
            return types.signature(types.NumberClass(value), args[0])
        return None


register(TypeTemplate)
register_global(type, types.Function(type))


@lower_builtin(type, types.Any)
def type_impl(context, builder, sig, args):
    return context.get_constant_null(sig.return_type)
