"""Types of NumPy structured dtypes: Record (named fields at byte offsets), and the field kinds
only records hold: NestedArray (a fixed-shape sub-array, `('f8', (3,))`), CharSeq (`S5`) and
UnicodeCharSeq (`U5`). Numba's names and query methods (`typeof`, `offset`, `dtype`,
`make_c_struct`), so extension code written for Numba reads them unchanged."""
from __future__ import annotations

import math

from .abstract import Type
from .arrays import Array
from .datetime import is_datetime_like


class NestedArray(Array):
    """A sub-array field: `shape` elements of `dtype` stored inside a record, C order. Reading
    the field gives a C-contiguous array view of the record's memory."""

    def __init__(self, dtype: Type, shape):
        self.shape = tuple(int(n) for n in shape)
        if isinstance(dtype, NestedArray):  # a sub-array of sub-arrays is one, as in NumPy
            dtype, self.shape = dtype.dtype, self.shape + dtype.shape
        super().__init__(dtype, len(self.shape), "C")
        self.name = f"nestedarray({dtype}, {self.shape})"

    @property
    def key(self):
        return (self.dtype, self.shape)

    @property
    def nitems(self) -> int:
        return math.prod(self.shape)

    @property
    def as_array(self) -> Array:
        return Array(self.dtype, self.ndim, "C")


class CharSeq(Type):
    """A fixed-size byte-string field (`S<count>`): NUL-padded bytes, read as `bytes`."""

    item_bits = 8

    def __init__(self, count: int):
        self.count = int(count)
        super().__init__(f"[char x {self.count}]")

    @property
    def key(self):
        return self.count

    def can_convert_to(self, typingctx, other):
        """To a char sequence of the same kind and any length: truncated or NUL-padded, as
        NumPy assigns strings to such fields."""
        return 3 if type(other) is type(self) else None


class UnicodeCharSeq(CharSeq):
    """A fixed-size text field (`U<count>`): NUL-padded UCS4 code points, read as `str`."""

    item_bits = 32

    def __init__(self, count: int):
        super().__init__(count)
        self.name = f"[unichr x {self.count}]"


class Record(Type):
    """A NumPy structured dtype: named fields at byte offsets. Values are views of a record's
    bytes (inside an array, a record scalar or C memory)."""

    mutable = True

    def __init__(self, fields, size: int, aligned: bool = False, titles=()):
        if size <= 0:  # no memory to point at: a view of it would read its neighbour's bytes
            raise TypeError(f"a record of item size {size} is not supported")
        self.members = tuple(map(_member, fields))  # (name, type, offset), in dtype order
        self.titles = tuple(titles)  # (title, name): a field's second name, as NumPy's
        self.size = size
        self.aligned = aligned
        #: name or title -> (type, offset), as NumPy's dtype.fields (and Numba's) lists them
        self.fields = {name: (ty, offset) for name, ty, offset in self.members}
        self.fields.update({title: self.fields[name] for title, name in self.titles})
        desc = ", ".join(f"{name}: {ty}@{offset}" for name, ty, offset in self.members)
        named = "".join(f", {title!r} = {name}" for title, name in self.titles)
        super().__init__(f"Record({desc}{named}; {size} bytes)")

    @property
    def key(self):
        return (self.members, self.size, self.aligned, self.titles)

    def field(self, name: str):
        """(type, offset) of a field given by name or title, or None."""
        return self.fields.get(name)

    def typeof(self, name: str) -> Type:
        """The type of field `name` (Numba's spelling)."""
        return self._known(name)[0]

    def offset(self, name: str) -> int:
        """The byte offset of field `name`."""
        return self._known(name)[1]

    def can_convert_to(self, typingctx, other):
        """A record converts to one whose every field it has, same name, type and offset:
        read through the smaller type's offsets, its bytes mean the same (Numba's subtyping)."""
        if isinstance(other, Record) and other.size <= self.size and \
                set(other.members) <= set(self.members) and other.titles == self.titles:
            return 2
        return None

    def is_title(self, name: str) -> bool:
        """Whether `name` is a field's title rather than its name."""
        return any(title == name for title, _ in self.titles)

    def __len__(self) -> int:
        return len(self.members)

    @property
    def dtype(self):
        """The NumPy dtype this record type describes."""
        return dtype_of(self)

    @classmethod
    def make_c_struct(cls, name_types) -> "Record":
        """The record laid out as a C compiler lays out a struct of these (name, type) fields."""
        layout = _numpy().dtype([(name, dtype_of(ty)) for name, ty in name_types], align=True)
        fields = [(name, ty, layout.fields[name][1]) for name, ty in name_types]
        return cls(fields, layout.itemsize, True)

    def _known(self, name: str):
        found = self.field(name)
        if found is None:
            raise KeyError(f"Field {name!r} was not found in record with fields "
                           f"{tuple(f[0] for f in self.members)}")
        return found


def _member(field) -> tuple:
    """(name, type, offset) from that triple or from Numba's (name, {'type':, 'offset':})."""
    if len(field) == 2 and isinstance(field[1], dict):
        return (field[0], field[1]["type"], field[1]["offset"])
    return tuple(field)


def _numpy():
    """NumPy, imported when a record type first meets a dtype (`import jitbridge` does not
    load NumPy: types are also used where no array is)."""
    import numpy
    return numpy


def dtype_of(ty: Type):
    """The NumPy dtype of an element type: a scalar, a record or a record's field kinds."""
    np = _numpy()
    if isinstance(ty, Record):
        titles = {name: title for title, name in ty.titles}
        return np.dtype({"names": [f[0] for f in ty.members],
                         "formats": [dtype_of(f[1]) for f in ty.members],
                         "offsets": [f[2] for f in ty.members], "itemsize": ty.size,
                         "titles": [titles.get(f[0]) for f in ty.members]}, align=ty.aligned)
    if isinstance(ty, NestedArray):
        return np.dtype((dtype_of(ty.dtype), ty.shape))
    if isinstance(ty, CharSeq):
        return np.dtype(f"{'U' if isinstance(ty, UnicodeCharSeq) else 'S'}{ty.count}")
    if is_datetime_like(ty):  # '' is NumPy's generic unit
        return np.dtype(f"{ty.kind_name}[{ty.unit}]" if ty.unit else ty.kind_name)
    return np.dtype("bool" if ty.name == "bool" else ty.name)
