"""The jitbridge type lattice, with Numba's public names (`jitbridge.types.float64`, ...)."""
from __future__ import annotations

from .abstract import (Callable, Dummy, Hashable, Literal, Number, Opaque, Type,  # noqa: F401
                       unliteral)
from .arrays import (AbstractNumberClass, Array, ArrayCompatible, ArrayIterator, Buffer,  # noqa: F401
                     ByteArray, CPointer, DType, MemInfoPointer, MemoryView, RawPointer,
                     voidptr)
from .records import CharSeq, NestedArray, Record, UnicodeCharSeq  # noqa: F401
from .containers import (BaseNamedTuple, BaseTuple, List, ListIterator, ListType,  # noqa: F401
                         LiteralList, display_initial_value, display_item_type,
                         NamedTuple, NamedTupleClass, NamedUniTuple, SliceType, Tuple,
                         UniTuple, named_tuple_of, tuple_of)
from .functions import (BoundFunction, Dispatcher, ExceptionClass, ExceptionInstance,  # noqa: F401
                        ExceptionValue, CaughtException, CaughtExceptionClass,
                        ExternalFunctionPointer, Function, FunctionSet, FunctionType, NumberClass,
                        Signature, signature)
from .misc import (EnumClass, EnumMember, IntEnumClass, IntEnumMember, Module,  # noqa: F401
                   NumPyRandomBitGeneratorType, NumPyRandomGeneratorType, npy_bitgen, npy_rng,
                   Omitted, Optional, Phantom, PyObject, RangeIteratorType, RangeType, optional,
                   pyobject,
                   range_iter64, range_state64)
from .scalars import *  # noqa: F401,F403
from .strings import UnicodeIteratorType, UnicodeType, unicode_type  # noqa: F401
from .bytes import Bytes, BytesIteratorType, bytes_type  # noqa: F401
string = unicode_type  # (Numba's other name for it)
from .containers import SliceLiteral  # noqa: F401
from .sets import FrozenSet, Set, SetIter  # noqa: F401
from .datetime import NPDatetime, NPTimedelta  # noqa: F401
from .dicts import (DictItemsIterableType, DictIteratorType, DictKeysIterableType,  # noqa: F401
                    DictType, DictValuesIterableType, DictViewType, LiteralStrKeyDict, TypeRef)
from .generators import Generator  # noqa: F401
from .classes import ClassInstanceType, ClassType, DeferredType, deferred_type  # noqa: F401
from .structref import StructRef, StructRefPayload  # noqa: F401
from .scalars import (Boolean, BooleanLiteral, Complex, Float, Integer, IntegerLiteral,  # noqa: F401
                      NoneType, StringLiteral, literal, maybe_literal)
from . import abstract as _abstract
from . import parse as _parse
from .arrays import array_from_spec as _array_from_spec
from .records import _numpy

_abstract._HOOKS.update(array=_array_from_spec, signature=signature,
                        cast_value=lambda ty, value: _numpy().dtype(ty.name).type(value))

Any = Type("any")
undefined = Phantom("undefined")
slice2_type, slice3_type = SliceType(2), SliceType(3)
meminfo_pointer = MemInfoPointer(Type("void"))
b1 = boolean  # noqa: F405
i1, i2, i4, i8 = int8, int16, int32, int64  # noqa: F405
u1, u2, u4, u8 = uint8, uint16, uint32, uint64  # noqa: F405
f4, f8 = float32, float64  # noqa: F405
c8, c16 = complex64, complex128  # noqa: F405
# C names, as Numba spells them
char, uchar, uint, int_ = int8, uint8, uint64, int64  # noqa: F405
size_t, ssize_t = uintp, intp  # noqa: F405
optional_names = ()


def _namespace() -> dict:
    return {k: v for k, v in globals().items() if not k.startswith("_")}


def parse_signature(text: str) -> Signature:
    """Parse "rettype(argtypes...)" into a Signature."""
    value = _parse.parse_type(text, _namespace())
    if not isinstance(value, Signature):
        raise _parse.TypeParseError(f"{text!r} is a type, not a signature like 'float64(int64)'")
    return value


def parse_type(text: str) -> Type:
    """Parse a type string such as "intp[:]" or "UniTuple(float64, 2)"."""
    value = _parse.parse_type(text, _namespace())
    if not isinstance(value, Type):
        raise _parse.TypeParseError(f"{text!r} does not name a type")
    return value
