"""Array and pointer types. Array(dtype, ndim, layout) with layout 'C', 'F' or 'A'."""
from __future__ import annotations

from .abstract import Dummy, Type
from .scalars import uint8


class ArrayCompatible(Type):
    """A type that stands for an array (Numba's name): subclasses give `as_array`, the Array
    type of their data, and `array_priority`."""

    array_priority = 0.0

    @property
    def as_array(self) -> "Array":
        raise NotImplementedError(f"{type(self).__name__} must define as_array")


class Buffer(ArrayCompatible):
    """Base of array-like types: `dtype` elements in `ndim` dimensions with memory `layout`
    ('C', 'F' or 'A'); extension types (a pandas-like Index) subclass it."""

    mutable = True

    def __init__(self, dtype: Type, ndim: int, layout: str, readonly: bool = False,
                 name: str | None = None):
        if layout not in ("C", "F", "A"):
            raise ValueError(f"invalid array layout {layout!r}")
        self.dtype, self.ndim, self.layout, self.readonly = dtype, ndim, layout, readonly
        kind = type(self).__name__.lower()
        super().__init__(name or f"{'readonly ' if readonly else ''}{kind}({dtype}, {ndim}d, "
                                 f"{layout})")

    @property
    def key(self):
        return (self.dtype, self.ndim, self.layout, self.readonly)

    @property
    def as_array(self) -> "Array":
        return Array(self.dtype, self.ndim, self.layout, self.readonly)


class Array(Buffer):
    """A NumPy array of `dtype` with `ndim` dimensions and memory `layout`."""

    def __init__(self, dtype: Type, ndim: int, layout: str, readonly: bool = False,
                 aligned: bool = True):
        # `aligned`: Numba's flag, accepted for its signatures; jitbridge reads every array's
        # elements alike, aligned or not
        if isinstance(dtype, Array):  # a sub-array dtype (NestedArray): its axes follow ours,
            dtype, ndim = dtype.dtype, ndim + dtype.ndim  # as in the arrays NumPy makes of it
        prefix = "readonly array" if readonly else "array"
        super().__init__(dtype, ndim, layout, readonly, f"{prefix}({dtype}, {ndim}d, {layout})")

    @property
    def as_array(self) -> "Array":
        return self

    def unify(self, typingctx, other):
        """Arrays differing only in layout unify to layout 'A'."""
        if isinstance(other, Array) and (other.dtype, other.ndim) == (self.dtype, self.ndim):
            return Array(self.dtype, self.ndim, self.layout if other.layout == self.layout
                         else "A", self.readonly or other.readonly)
        return None

    def can_convert_to(self, typingctx, other):
        if isinstance(other, Array) and (other.dtype, other.ndim) == (self.dtype, self.ndim) \
                and other.layout in (self.layout, "A") and (self.readonly <= other.readonly):
            return 1  # Conversion.promote: same data, weaker layout guarantee
        return None

    def copy(self, dtype=None, ndim=None, layout=None) -> "Array":
        """This type with some fields replaced."""
        return Array(dtype or self.dtype, self.ndim if ndim is None else ndim, layout or self.layout)


class ByteArray(Buffer):
    """A Python `bytearray`: writable bytes (uint8, 1-d, C), shared with the caller."""

    def __init__(self, dtype: Type = uint8, ndim: int = 1, layout: str = "C",
                 readonly: bool = False):  # (Buffer's parameters: a copy() makes one again)
        super().__init__(uint8, 1, "C", False)


class MemoryView(Buffer):
    """A Python `memoryview` of a buffer NumPy can read (Numba's MemoryView): its items are
    the buffer's, typed as the array NumPy would make of it."""


class CPointer(Type):
    """A typed C pointer `T*`."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        super().__init__(f"CPointer({dtype})")

    @property
    def key(self):
        return self.dtype


class RawPointer(Type):
    """An untyped pointer (`void*`)."""


voidptr = RawPointer("void*")


def array_from_spec(dtype: Type, spec) -> Array:
    """Array type from a subscript spec: `[:]` (A), `[::1]` (C), `[:, ::1]` (C), `[::1, :]` (F)."""
    dims = spec if isinstance(spec, tuple) else (spec,)
    if not all(isinstance(d, slice) and d.start is None and d.stop is None for d in dims):
        raise TypeError(f"array type spec must be slices like [:] or [::1], got {spec!r}")
    steps = [d.step for d in dims]
    if any(s not in (None, 1) for s in steps):
        raise TypeError(f"only ::1 may mark the contiguous dimension, got {spec!r}")
    layout = "A"
    if steps[-1] == 1 and all(s is None for s in steps[:-1]):
        layout = "C"
    elif steps[0] == 1 and len(steps) > 1 and all(s is None for s in steps[1:]):
        layout = "F"
    elif steps.count(1) > 0:
        raise TypeError(f"::1 must mark the first or last dimension, got {spec!r}")
    return Array(dtype, len(dims), layout)


class DType(Type):
    """The type of a dtype value (`a.dtype`, `np.float64` passed as `dtype=`)."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        super().__init__(f"dtype({dtype})")

    @property
    def key(self):
        return self.dtype


class AbstractNumberClass(Dummy):
    """An abstract NumPy scalar class (`np.floating`, `np.integer`, `np.number` ...): a value
    for `np.issubdtype` and dtype comparisons, known from the type alone."""

    def __init__(self, cls: type):
        self.cls = cls
        super().__init__(f"class({cls.__name__})")

    @property
    def key(self):
        return self.cls


class ArrayIterator(Type):
    """Iterator over the first axis of an array: scalars for 1-D, views for N-D."""

    def __init__(self, array_type: Array):
        self.array_type = self.source_type = array_type
        self.yield_type = array_type.dtype if array_type.ndim == 1 else Array(  # a view: as
            array_type.dtype, array_type.ndim - 1,  # writeable as the array it comes from
            "C" if array_type.layout == "C" else "A", array_type.readonly)
        super().__init__(f"iter({array_type})")

    @property
    def key(self):
        return self.array_type


class MemInfoPointer(Type):
    """A pointer to a reference-counted runtime MemInfo (owns a reference)."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        super().__init__(f"meminfo({dtype})")

    @property
    def key(self):
        return self.dtype

