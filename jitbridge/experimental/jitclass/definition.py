"""One decorated class: its members' types, its methods compiled as jitted functions (with
`self` typed as the instance type), and the compiled constructor. The types of the class and
its instances (types.ClassType, types.ClassInstanceType) hold this definition."""
from __future__ import annotations

import inspect
import itertools

from ... import types
from ...decorators import njit
from ...errors import TypingError
from ...extending import intrinsic
from ...frontend.source import compile_source
from . import spec as specs
from .model import new_instance

_NUMBERS = itertools.count(1)


class ClassDefinition:
    """What typing, lowering and the Python proxy know of one jitclass."""

    def __init__(self, cls, fields: dict, members: specs.Members):
        self.name = cls.__name__
        self.number = next(_NUMBERS)
        self.py_class = cls
        self.fields = fields            # as declared (deferred types kept)
        self._struct = None
        init = members.methods.pop("__init__", None)
        self.methods = {name: njit(func) for name, func in members.methods.items()}
        self.properties = {name: (njit(get), njit(put) if put else None)
                           for name, (get, put) in members.properties.items()}
        self.static_methods = {name: njit(func) for name, func in members.static_methods.items()}
        self.init_function = init
        self.allocator = _allocator(self)
        self.blank = None               # new() from Python, for unpickling (boxing.py)
        self.constructor = njit(_constructor_source(self, init))
        self.proxy = None               # the Python class, set by the decorator

    @property
    def instance_type(self) -> types.ClassInstanceType:
        return types.ClassInstanceType(self)

    @property
    def class_type(self) -> types.ClassType:
        return types.ClassType(self)

    @property
    def struct(self) -> dict:
        """name -> member type, deferred types resolved (on first use: a self-referencing
        class defines its deferred type after the decorator ran)."""
        if self._struct is None:
            self._struct = {name: specs.resolve(ty, name) for name, ty in self.fields.items()}
        return self._struct

    def __repr__(self):
        return f"<jitclass definition {self.name}#{self.number}>"


def _allocator(definition):
    """An intrinsic `new()` making a zeroed instance of the class."""
    def new(typingctx):
        inst_ty = definition.instance_type

        def codegen(context, builder, sig, args):
            return new_instance(context, builder, inst_ty)
        return inst_ty(), codegen
    new.__name__ = f"new_{definition.name}"
    return intrinsic(new)


@intrinsic
def _init_result(typingctx, value):
    """Accepts what `__init__` returned only if it is None, as Python does."""
    if value != types.none:
        raise TypingError(f"__init__() should return None, not {value}")

    def codegen(context, builder, sig, args):
        return context.get_dummy_value()
    return types.none(value), codegen


def _constructor_source(definition, init):
    """`ctor(<__init__'s parameters without self>)`: a new instance passed to the compiled
    `__init__`, returned. Defaults are the init function's own objects (globals `_d<i>`)."""
    namespace = {"_new": definition.allocator, "_none": _init_result}
    if init is None:
        text = "def ctor():\n    return _new()\n"
        return compile_source(text, "ctor", globals=namespace)
    params = list(inspect.signature(init).parameters.values())[1:]
    namespace["_init"] = njit(init)
    header, passing = _parameters(params, namespace), [_passing_text(p) for p in params]
    text = (f"def ctor({', '.join(header)}):\n    self = _new()\n"
            f"    _none(_init(self, {', '.join(passing)}))\n    return self\n")
    return compile_source(text, "ctor", globals=namespace)


def _parameters(params, namespace: dict) -> list:
    """The parameter list's texts: a bare `*` before the first keyword-only parameter that
    no `*args` precedes."""
    texts, starred = [], False
    for index, param in enumerate(params):
        if param.kind is param.VAR_KEYWORD:
            raise TypeError("jitclass __init__ cannot take **kwargs")
        if param.kind is param.KEYWORD_ONLY and not starred:
            texts.append("*")
        starred = starred or param.kind in (param.VAR_POSITIONAL, param.KEYWORD_ONLY)
        texts.append(_parameter_text(param, index, namespace))
    return texts


def _parameter_text(param, index: int, namespace: dict) -> str:
    if param.kind is param.VAR_POSITIONAL:
        return f"*{param.name}"
    if param.default is param.empty:
        return param.name
    namespace[f"_d{index}"] = param.default
    return f"{param.name}=_d{index}"


def _passing_text(param) -> str:
    if param.kind is param.VAR_POSITIONAL:
        return f"*{param.name}"
    if param.kind is param.KEYWORD_ONLY:
        return f"{param.name}={param.name}"
    return param.name
