"""The type of a compiled generator: one per specialisation of a generator function."""
from __future__ import annotations

import itertools

from .abstract import Type

_serials = itertools.count(1)


class Generator(Type):
    """A running generator of a compiled generator function (a MemInfo owning its state:
    resume index, arguments, every variable of the function). `serial` tells apart two
    compilations of one function (their state layouts may differ)."""

    def __init__(self, gen_func, yield_type, arg_types, state_types=None, has_finalizer=True,
                 serial=None):
        """(Numba's parameters; the state's types are the lowering's business here.)"""
        self.py_func = self.gen_func = gen_func
        py_func = gen_func
        self.arg_types = tuple(arg_types)
        self.yield_type = yield_type
        self.serial = next(_serials) if serial is None else serial
        label = getattr(py_func, "__qualname__", py_func)
        super().__init__(f"Generator({label}{self.arg_types} -> {yield_type})")

    @property
    def key(self):
        return (self.py_func, self.arg_types, self.yield_type, self.serial)
