"""Miscellaneous types: Python objects, modules, ranges and iterators, omitted arguments."""
from __future__ import annotations

from .abstract import Dummy, Opaque, Type
from .scalars import int64


class PyObject(Opaque):
    """A raw `PyObject*` handled by the runtime."""


class Module(Dummy):
    """A Python module used as a namespace (its attributes are frozen as constants)."""

    def __init__(self, pymod):
        self.pymod = pymod
        super().__init__(f"Module({pymod.__name__})")

    @property
    def key(self):
        return self.pymod


class Omitted(Opaque):
    """An argument left out so its default is used."""

    def __init__(self, value):
        self.value = value
        super().__init__(f"omitted(default={value!r})")

    @property
    def key(self):
        return (type(self.value), id(self.value))


class RangeType(Type):
    """The value of `range(start, stop, step)` over integers of `dtype`."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        super().__init__(f"range_state_{dtype}")

    @property
    def key(self):
        return self.dtype


class RangeIteratorType(Type):
    """An iterator over a range."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        self.yield_type = dtype
        super().__init__(f"range_iter_{dtype}")

    @property
    def key(self):
        return self.dtype


class Phantom(Dummy):
    """A placeholder for values that never materialise (unreachable code)."""


pyobject = PyObject("pyobject")
range_state64 = RangeType(int64)
range_iter64 = RangeIteratorType(int64)
