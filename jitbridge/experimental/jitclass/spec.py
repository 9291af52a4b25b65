"""Reading what a @jitclass declares: its members' types (a spec list or dict, then class
annotations) and its methods, properties and static methods."""
from __future__ import annotations

import inspect
import types as pytypes
import typing

from ... import types
from ...typing.typeof import as_numba_type

#: dunder methods a jitclass may define beyond __init__ (the operators and builtins they serve
#: are wired in typing.py); other dunders are refused, as Numba does
SUPPORTED_DUNDERS = frozenset(
    "__abs__ __bool__ __complex__ __contains__ __float__ __getitem__ __hash__ __index__ "
    "__int__ __len__ __setitem__ __str__ __call__ __neg__ __pos__ __invert__ "
    "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ "
    "__add__ __sub__ __mul__ __truediv__ __floordiv__ __mod__ __pow__ __matmul__ "
    "__lshift__ __rshift__ __and__ __or__ __xor__ "
    "__radd__ __rsub__ __rmul__ __rtruediv__ __rfloordiv__ __rmod__ __rpow__ __rmatmul__ "
    "__rlshift__ __rrshift__ __rand__ __ror__ __rxor__ "
    "__iadd__ __isub__ __imul__ __itruediv__ __ifloordiv__ __imod__ __ipow__ __imatmul__ "
    "__ilshift__ __irshift__ __iand__ __ior__ __ixor__".split())
#: attributes every Python class has, which are not members
_IGNORED = frozenset({"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__",
                      "__annotations__", "__firstlineno__", "__static_attributes__",
                      "__orig_bases__", "__parameters__", "__slots__",
                      "__annotate__", "__annotate_func__", "__annotations_cache__"})


def parse_spec(spec, cls) -> dict:
    """name -> type, from `spec` (list of pairs, dict, or None) then `cls`'s annotations for
    names the spec leaves out."""
    entries = list(spec.items()) if isinstance(spec, typing.Mapping) else list(spec or ())
    fields = {}
    for entry in entries:
        if not (isinstance(entry, tuple) and len(entry) == 2):
            raise TypeError(f"spec entries should be (name, type) pairs, got {entry!r}")
        name, ty = entry
        if not isinstance(name, str):
            raise TypeError(f"spec keys should be strings, got {name!r}")
        if not isinstance(ty, (types.Type, str)):
            raise TypeError(f"spec values should be Numba type instances, got {ty!r}")
        fields[mangled(name, cls)] = _as_type(ty, cls, name)
    for name, annotation in _annotations(cls).items():
        if mangled(name, cls) not in fields:
            fields[mangled(name, cls)] = _as_type(annotation, cls, name)
    for name, ty in fields.items():
        if name in _RESERVED:
            raise NameError(f"name shadowing: {name} is the jitclass proxy's own attribute")
        _check_storable(name, ty)
    return fields


#: attributes the Python proxy class uses itself
_RESERVED = frozenset({"_meminfo", "_definition", "_numba_type_", "class_type"})


def _check_storable(name: str, ty) -> None:
    """Refuse members that would borrow memory the instance could outlive."""
    if isinstance(ty, types.Record) or (isinstance(ty, types.BaseTuple) and any(
            isinstance(t, types.Record) for t in ty.types)):
        raise TypeError(f"member {name!r} of type {ty}: a record is a view into memory an "
                        "instance could outlive; hold a one-element structured array instead")
    if isinstance(ty, (types.List, types.Set)) and getattr(ty, "reflected", False):
        raise TypeError(f"member {name!r} of type {ty}: a reflected container writes back "
                        "to the Python object of one call; declare it unreflected "
                        "(types.ListType for a typed.List)")


def mangled(name: str, cls) -> str:
    """`__x` as the class body's code names it (`_Cls__x`: Python's private-name mangling)."""
    if name.startswith("__") and not name.endswith("__"):
        return f"_{cls.__name__.lstrip('_')}{name}"
    return name


def _annotations(cls) -> dict:
    """The annotations of the class and its bases (the class's own last, so they win)."""
    found = {}
    for klass in reversed(cls.__mro__[:-1]):
        found.update(inspect.get_annotations(klass))
    return found


def _as_type(value, cls, name: str):
    if isinstance(value, types.Type):
        return value
    if isinstance(value, str):
        return _from_string(value, cls, name)
    instance_type = getattr(getattr(value, "class_type", None), "instance_type", None)
    if isinstance(instance_type, types.Type):  # another jitclass
        return instance_type
    try:
        return _from_typing(value, cls, name) or _PYTHON_TYPES.get(value) or \
            as_numba_type(value)
    except TypeError:
        raise TypeError(f"annotations should be Numba type instances, got {value!r} "
                        f"for member {name!r} of {cls.__qualname__}") from None


#: Python classes as_numba_type leaves to the string library
_PYTHON_TYPES = {str: types.unicode_type}


def _from_typing(value, cls, name: str):
    """`typing.List[float]`, `Dict[str, int]`, `Optional[X]`, `Tuple[...]` (None otherwise)."""
    origin, args = typing.get_origin(value), typing.get_args(value)
    items = [_as_type(a, cls, name) for a in args if a is not Ellipsis]
    if origin is list and len(items) == 1:
        return types.ListType(items[0])
    if origin is dict and len(items) == 2:
        return types.DictType(*items)
    if origin is tuple and items:
        return types.UniTuple(items[0], len(items)) if len(set(items)) == 1 and \
            Ellipsis not in args else types.Tuple(items)
    if origin is typing.Union and len(args) == 2 and type(None) in args:
        return types.optional(next(t for a, t in zip(args, items) if a is not type(None)))
    return None


def _from_string(text: str, cls, name: str):
    """A type string ("float64[:]"), or a name the class's module defines (an annotation
    written under `from __future__ import annotations`)."""
    try:
        return types.parse_type(text)
    except TypeError:
        pass
    module = inspect.getmodule(cls)
    try:
        value = eval(text, dict(vars(module)) if module else {})  # noqa: S307 (annotation)
    except Exception as exc:  # noqa: BLE001
        raise TypeError(f"cannot read the type {text!r} of member {name!r} of "
                        f"{cls.__qualname__}: {exc}") from None
    return _as_type(value, cls, name)


def resolve(ty, name: str):
    """`ty` with deferred types replaced by what they were defined as (directly or inside
    an Optional, a typed List or Dict); deferred types elsewhere are refused."""
    if isinstance(ty, types.DeferredType):
        return ty.get()
    if isinstance(ty, types.Optional):
        return types.Optional(resolve(ty.type, name))
    if isinstance(ty, types.ListType):
        return types.ListType(resolve(ty.dtype, name))
    if isinstance(ty, types.DictType):
        return types.DictType(resolve(ty.key_type, name), resolve(ty.value_type, name))
    if "DeferredType#" in str(ty):
        raise TypeError(f"member {name!r} of type {ty}: a deferred type may stand as the "
                        "member's type, or inside optional(), ListType() or DictType()")
    return ty


class Members(typing.NamedTuple):
    """What a class body defines besides its data members."""
    methods: dict
    properties: dict       # name -> (getter function, setter function or None)
    static_methods: dict


def class_members(cls, fields: dict) -> Members:
    """Sort the attributes of `cls` and its bases into methods, properties and static
    methods (a class's own override its bases')."""
    attributes = {}
    for klass in reversed(cls.__mro__[:-1]):
        attributes.update((k, v) for k, v in vars(klass).items() if k not in _IGNORED)
    found = Members({}, {}, {})
    for name, value in attributes.items():
        if name in fields:
            raise NameError(f"name shadowing: {name}")
        _sort(found, name, value)
    return found


def _sort(found: Members, name: str, value) -> None:
    if name == "__hash__" and value is None:  # Python's mark of a class defining __eq__ only
        return
    if isinstance(value, staticmethod):
        found.static_methods[name] = value.__func__
    elif isinstance(value, property):
        if value.fdel is not None:
            raise TypeError(f"deleter is not supported: {name}")
        if value.fget is None:
            raise TypeError(f"property without a getter is not supported: {name}")
        found.properties[name] = (value.fget, value.fset)
    elif isinstance(value, pytypes.FunctionType):
        _check_dunder(name)
        found.methods[name] = value
    else:
        raise TypeError(f"class members are not yet supported: {name}")


def _check_dunder(name: str) -> None:
    dunder = name.startswith("__") and name.endswith("__")
    if dunder and name != "__init__" and name not in SUPPORTED_DUNDERS:
        raise TypeError(f"Method '{name}' is not supported.")
