"""Issue 11: the CPython struct offsets generated code reads are computed from the running
interpreter and checked against real objects, so another layout is a clear ImportError."""
import pytest

from jitbridge.core import layout


def test_the_offsets_read_real_objects_correctly():
    assert layout.layout_problems(layout.OFFSETS) == []


@pytest.mark.parametrize("field", sorted(layout.OFFSETS))
def test_a_wrong_offset_is_a_clear_import_error(field):
    shifted = dict(layout.OFFSETS, **{field: layout.OFFSETS[field] + layout.POINTER})
    with pytest.raises(ImportError, match="does not support this CPython build's object layout"):
        layout.check_layout(shifted)
