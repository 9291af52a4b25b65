"""What Numba's jitclass tests reach below the proxy: `_box` (the MemInfo and member addresses
of an instance), `numba.core.runtime.nrt.MemInfo` (reference counts seen from Python), and
dunder methods taking slices (`obj[1:5:1] = v`, slice parts with Python's None)."""
import ctypes
import gc

import numpy as np
import pytest

from jitbridge import deferred_type, float32, float64, int16, int32, njit, optional
from jitbridge.experimental import jitclass
from jitbridge.experimental.jitclass import _box
from jitbridge.runtime.nrt import MemInfo
from jitbridge.testing import no_leaks


@jitclass([("a", int32), ("b", int16), ("c", float64)])
class Struct:
    def __init__(self, a, b, c):
        self.a, self.b, self.c = a, b, c


class CStruct(ctypes.Structure):
    _fields_ = [("a", ctypes.c_int32), ("b", ctypes.c_int16), ("c", ctypes.c_double)]


def test_members_are_a_c_struct_at_the_data_pointer():
    st = Struct(0xabcd, 0xef, 3.1415)
    view = ctypes.cast(ctypes.c_void_p(_box.box_get_dataptr(st)), ctypes.POINTER(CStruct))[0]
    assert (view.a, view.b, view.c) == (0xabcd, 0xef, 3.1415)
    view.c = 2.5  # the very memory the instance reads
    assert st.c == 2.5
    with pytest.raises(TypeError, match="jitclass instance"):
        _box.box_get_meminfoptr(object())


node_type = deferred_type()


@jitclass([("data", float32), ("next", optional(node_type))])
class Node:
    def __init__(self, data, next):
        self.data, self.next = data, next

    def append(self, other):
        cur = self
        while cur.next is not None:
            cur = cur.next
        cur.next = other


node_type.define(Node.class_type.instance_type)


def _meminfo(obj):
    handle = MemInfo(_box.box_get_meminfoptr(obj))
    handle.acquire()  # the handle's own reference, released when it dies
    return handle


def test_meminfo_counts_the_references_of_linked_instances():
    first = Node(123, None)
    second = Node(321, first)
    first_mi, second_mi = _meminfo(first), _meminfo(second)
    assert (first_mi.refcount, second_mi.refcount) == (3, 2)  # proxy, handle (+ second.next)
    assert second.next.data == 123 and first_mi.refcount == 3
    second.append(Node(567, None))
    assert first.next.data == 567 and first_mi.data != 0 and first_mi.size > 0
    del second, second_mi
    gc.collect()
    assert first_mi.refcount == 2
    first_mi.acquire()
    first_mi.release()
    assert first_mi.refcount == 2


def test_meminfo_refuses_what_is_no_address():
    with pytest.raises(ValueError):
        MemInfo(0)


@jitclass([("data", int32[:])])
class Sliced:
    def __init__(self):
        self.data = np.zeros(10, dtype=np.int32)

    def __setitem__(self, slc, value):
        self.data[slc.start] = value
        self.data[slc.stop] = value + slc.step

    def __getitem__(self, slc):
        return self.data[slc.start]


@njit
def get5(t):
    return t[5:6:1]


@njit
def set26(t, value):
    t[2:6:1] = value


def test_dunders_take_slices_from_python_and_compiled_code():
    t = Sliced()
    t[1:5:1] = 1
    assert (t[1:1:1], t[5:5:5], get5(t)) == (1, 2, 2)
    set26(t, 2)
    assert (t[2:2:1], t[6:6:1]) == (2, 3)
    with pytest.raises(TypeError, match="got None"):
        t[:3:1] = 4  # slc.start is None, as in Python: not an index


def test_no_leaks():
    t = Sliced()
    set26(t, 1)
    with no_leaks(t):
        for _ in range(10):
            set26(t, 1)
            get5(t)
            Node(1.0, Node(2.0, None))
