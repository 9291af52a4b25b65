"""Data models: how a jitbridge type is represented in LLVM as a value and in memory."""
from __future__ import annotations

from llvmlite import ir

from ... import types


class DataModel:
    """Base model: `get_value_type()` (SSA value) and `get_data_type()` (memory form)."""

    def __init__(self, dmm, fe_type):
        self._dmm = dmm
        self.fe_type = fe_type

    def get_value_type(self) -> ir.Type:
        raise NotImplementedError

    def get_data_type(self) -> ir.Type:
        return self.get_value_type()

    def get_argument_type(self) -> ir.Type:
        return self.get_value_type()

    def get_return_type(self) -> ir.Type:
        return self.get_value_type()

    def as_data(self, builder, value):
        """value form -> memory form."""
        return value

    def from_data(self, builder, value):
        """memory form -> value form."""
        return value

    def load_from_pointer(self, builder, ptr):
        """The value stored (in memory form) at `ptr`."""
        return self.from_data(builder, builder.load(ptr))

    def store_to_pointer(self, builder, value, ptr) -> None:
        """Store `value` (in memory form) at `ptr`."""
        builder.store(self.as_data(builder, value), ptr)

    def has_nrt_meminfo(self) -> bool:
        """Whether values of this model own runtime references (see `nrt_meminfos`)."""
        return False

    def nrt_meminfos(self, builder, value) -> list:
        """The MemInfo pointers inside `value` whose references it owns."""
        return []


class PrimitiveModel(DataModel):
    """A model whose value and data are one LLVM type."""

    def __init__(self, dmm, fe_type, be_type: ir.Type):
        super().__init__(dmm, fe_type)
        self.be_type = be_type

    def get_value_type(self):
        return self.be_type


class BooleanModel(DataModel):
    """i1 as a value, i8 in memory."""

    def get_value_type(self):
        return ir.IntType(1)

    def get_data_type(self):
        return ir.IntType(8)

    def as_data(self, builder, value):
        return builder.zext(value, self.get_data_type())

    def from_data(self, builder, value):
        return builder.trunc(value, self.get_value_type())


class OpaqueModel(PrimitiveModel):
    """An i8* handle (no structure known to the compiler)."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, ir.IntType(8).as_pointer())


class MemInfoModel(OpaqueModel):
    """A MemInfo pointer: the value itself is an owned reference."""

    def has_nrt_meminfo(self):
        return True

    def nrt_meminfos(self, builder, value):
        return [value]


class DummyModel(DataModel):
    """Types with no runtime data (None, functions, modules...): a null i8*, as in Numba, so
    extension code returning `context.get_dummy_value()` for them is well typed."""

    def get_value_type(self):
        return ir.IntType(8).as_pointer()


class PointerModel(PrimitiveModel):
    """A typed pointer to the data form of `fe_type.dtype`."""

    def __init__(self, dmm, fe_type):
        inner = dmm.lookup(fe_type.dtype).get_data_type() if fe_type.dtype else ir.IntType(8)
        super().__init__(dmm, fe_type, inner.as_pointer())


class StructModel(DataModel):
    """A struct of named `members`: list of (name, jitbridge type)."""

    def __init__(self, dmm, fe_type, members):
        super().__init__(dmm, fe_type)
        self._members = tuple(members)
        self._fields = tuple(name for name, _ in self._members)
        self._models = tuple(dmm.lookup(t) for _, t in self._members)

    def get_value_type(self):
        return ir.LiteralStructType([m.get_value_type() for m in self._models])

    def get_data_type(self):
        return ir.LiteralStructType([m.get_data_type() for m in self._models])

    def as_data(self, builder, value):
        return self._convert(builder, value, self.get_data_type(), "as_data")

    def from_data(self, builder, value):
        return self._convert(builder, value, self.get_value_type(), "from_data")

    def _convert(self, builder, value, target, method):
        out = ir.Constant(target, ir.Undefined)
        for i, model in enumerate(self._models):
            item = getattr(model, method)(builder, builder.extract_value(value, i))
            out = builder.insert_value(out, item, i)
        return out

    def has_nrt_meminfo(self):
        return any(m.has_nrt_meminfo() for m in self._models)

    def nrt_meminfos(self, builder, value):
        found = []
        for i, model in enumerate(self._models):
            if model.has_nrt_meminfo():
                found.extend(model.nrt_meminfos(builder, builder.extract_value(value, i)))
        return found

    @property
    def field_count(self) -> int:
        return len(self._fields)

    def get_field_position(self, name: str) -> int:
        try:
            return self._fields.index(name)
        except ValueError:
            raise KeyError(f"{self.fe_type} has no field {name!r}") from None

    def get_member_fe_type(self, name: str):
        return self._members[self.get_field_position(name)][1]

    def get_model(self, pos: int) -> DataModel:
        return self._models[pos]

    @property
    def members(self):
        return self._members


class UniTupleModel(StructModel):
    """A homogeneous tuple: an LLVM array of `count` elements."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"f{i}", fe_type.dtype) for i in range(fe_type.count)])

    def get_value_type(self):
        return ir.ArrayType(self._dmm.lookup(self.fe_type.dtype).get_value_type(), self.fe_type.count)

    def get_data_type(self):
        return ir.ArrayType(self._dmm.lookup(self.fe_type.dtype).get_data_type(), self.fe_type.count)


class TupleModel(StructModel):
    """A heterogeneous tuple: a literal struct of the element types."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"f{i}", t) for i, t in enumerate(fe_type.types)])


class ComplexModel(StructModel):
    """{real, imag} of the underlying float type."""

    def __init__(self, dmm, fe_type):
        f = fe_type.underlying_float
        super().__init__(dmm, fe_type, [("real", f), ("imag", f)])


class RangeModel(StructModel):
    """range(start, stop, step)."""

    def __init__(self, dmm, fe_type):
        t = fe_type.dtype
        super().__init__(dmm, fe_type, [("start", t), ("stop", t), ("step", t)])


class SliceModel(StructModel):
    """slice(start, stop, step); missing bounds are sentinels (lib/slices.py)."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(n, types.intp) for n in ("start", "stop", "step")])


class RangeIteratorModel(StructModel):
    """Iteration state: a pointer to the current value plus the range's start, stop and step."""

    def __init__(self, dmm, fe_type):
        t = fe_type.dtype
        super().__init__(dmm, fe_type, [("iter", types.CPointer(t)), ("start", t), ("stop", t),
                                        ("step", t)])


def integer_model(dmm, fe_type):
    return PrimitiveModel(dmm, fe_type, ir.IntType(fe_type.bitwidth))


def float_model(dmm, fe_type):
    return PrimitiveModel(dmm, fe_type, ir.FloatType() if fe_type.bitwidth == 32 else ir.DoubleType())
