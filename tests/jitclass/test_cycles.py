"""Reference cycles between jitclass instances are found and freed by the collector that runs
after Python's full collections (jitbridge/runtime/cycles.py); what is still reachable, from
Python or from compiled code running without the GIL, is never touched; long chains are
released without deep recursion."""
import gc
import sys
import threading

import numpy as np
import pytest

from jitbridge import cfunc, njit, optional, types
from jitbridge.typed import List as typed_list
from jitbridge.experimental import jitclass
from jitbridge.runtime import cycles
from jitbridge.runtime.nrt import stats
from jitbridge.testing import no_leaks
from jitbridge.types import deferred_type

link_type = deferred_type()


@jitclass([("value", types.int64), ("next", optional(link_type)),
           ("data", types.float64[:])])
class Link:
    def __init__(self, value, next):
        self.value = value
        self.next = next
        self.data = np.full(2, float(value))


link_type.define(Link.class_type.instance_type)
parent_type = deferred_type()


@jitclass([("key", types.int64), ("parent", optional(parent_type)),
           ("left", optional(parent_type)), ("right", optional(parent_type))])
class Branch:
    def __init__(self, key, parent):
        self.key = key
        self.parent = parent
        self.left = None
        self.right = None


parent_type.define(Branch.class_type.instance_type)


@jitclass([("x", types.float64)])
class Leaf:
    def __init__(self, x):
        self.x = x


@njit
def make_rings(n, size):
    """n rings of `size` links each, all dropped on return; the sum of their values."""
    total = 0
    for r in range(n):
        head = Link(r, None)
        tail = head
        for i in range(1, size):
            tail = Link(i, tail)
        head.next = tail
        total += head.value + tail.value
    return total


@njit
def make_ring(size):
    head = Link(0, None)
    tail = head
    for i in range(1, size):
        tail = Link(i, tail)
    head.next = tail
    return head


@njit
def grow(depth):
    """A complete tree whose children point back at their parents; its root."""
    root = Branch(0, None)
    level = [root]
    key = 1
    for d in range(depth):
        below = []
        for node in level:
            left, right = Branch(key, node), Branch(key + 1, node)
            node.left, node.right = left, right
            key += 2
            below.append(left)
            below.append(right)
        level = below
    return root


@njit
def chain(n):
    head = Link(0, None)
    for i in range(1, n):
        head = Link(i, head)
    return head.value


def _live_after_collection():
    gc.collect()
    return stats()["live"]


def test_rings_are_freed_by_a_full_collection():
    make_rings(1, 2)
    base = _live_after_collection()
    assert make_rings(50, 3) == sum(r + 2 for r in range(50))
    assert stats()["live"] - base == 50 * 3 * 2  # each link owns its array
    assert _live_after_collection() == base


def test_a_self_cycle_is_freed():
    @njit
    def own_tail(n):
        for i in range(n):
            a = Link(i, None)
            a.next = a

    own_tail(1)
    with no_leaks():
        own_tail(100)


def test_cycles_reachable_from_python_are_kept_intact():
    base = _live_after_collection()
    ring = make_ring(4)
    assert _live_after_collection() - base == 8
    walk, node = [], ring
    for _ in range(5):
        walk.append(node.value)
        node = node.next
    assert walk == [0, 3, 2, 1, 0]
    assert list(ring.next.data) == [3.0, 3.0]
    del ring, node
    assert _live_after_collection() == base


def test_a_tree_with_parent_links_is_freed_once_dropped():
    base = _live_after_collection()
    root = grow(6)
    assert root.left.parent.key == 0 and root.right.right.parent.key == 2
    assert _live_after_collection() - base == 2 ** 7 - 1
    del root
    assert _live_after_collection() == base


def test_only_classes_holding_instances_are_tracked():
    @njit
    def leaves(n):
        s = 0.0
        for i in range(n):
            s += Leaf(i).x
        return s

    leaves(1)
    ring = make_ring(3)
    tracked = cycles.tracked()
    kept = [Leaf(1.0) for _ in range(10)]
    assert leaves(100) == sum(range(100)) and cycles.tracked() == tracked
    del ring, kept
    gc.collect()


def test_no_collection_while_compiled_code_runs_without_the_gil():
    @njit(nogil=True)
    def wait_for(flag, rings):
        made = 0
        while flag[0] == 0:
            made += make_rings(rings, 2) * 0 + 1
        return made

    flag = np.zeros(1, np.int64)
    wait_for(np.ones(1, np.int64), 1)
    base = _live_after_collection()
    worker = threading.Thread(target=wait_for, args=(flag, 10))
    worker.start()
    try:
        while cycles.collect() != -1:
            pass
    finally:
        flag[0] = 1
        worker.join()
    assert cycles.collect() >= 0
    assert _live_after_collection() == base


def test_cfuncs_touching_instances_hold_the_collector_off():
    @cfunc(types.int64(types.int64))
    def ring_value(n):
        return make_ring(n).next.value

    @cfunc(types.float64(types.float64))
    def plain(x):
        return x * 2.0

    base = _live_after_collection()
    assert ring_value.ctypes(5) == 4
    assert cycles.GIL_FREE in ring_value.inspect_llvm()
    assert cycles.GIL_FREE not in plain.inspect_llvm()
    assert _live_after_collection() == base


def test_a_long_chain_is_released_without_deep_recursion():
    base = _live_after_collection()
    assert chain(300_000) == 299_999
    assert stats()["live"] == base


def test_a_long_ring_is_collected():
    base = _live_after_collection()
    ring = make_ring(50_000)
    assert ring.next.value == 49_999
    del ring
    assert _live_after_collection() == base


def test_python_references_to_members_survive_collection():
    ring = make_ring(3)
    data = ring.next.data
    refs = sys.getrefcount(data)
    del ring
    gc.collect()
    assert list(data) == [2.0, 2.0] and sys.getrefcount(data) == refs


family_type = deferred_type()


@jitclass([("name", types.int64), ("parent", optional(family_type)),
           ("children", types.ListType(family_type))])
class Family:
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent
        self.children = typed_list.empty_list(family_type)


family_type.define(Family.class_type.instance_type)


@njit
def family(size):
    root = Family(0, None)
    for i in range(1, size):
        child = Family(i, root)
        root.children.append(child)
    return root


def test_cycles_through_a_typed_list_member_are_freed():
    base = _live_after_collection()
    root = family(5)
    assert [c.parent.name for c in root.children] == [0, 0, 0, 0]
    assert _live_after_collection() > base
    del root
    assert _live_after_collection() == base


def test_a_typed_list_also_held_from_python_keeps_its_items():
    base = _live_after_collection()
    root = family(4)
    children = root.children
    del root
    gc.collect()
    assert [c.name for c in children] == [1, 2, 3]
    assert children[0].parent.children[2].name == 3
    del children
    assert _live_after_collection() == base
