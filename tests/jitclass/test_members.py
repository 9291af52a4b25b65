"""@jitclass members of every kind: arrays, lists, dicts, tuples, other jitclasses, Optional
members and self-referencing types through deferred_type (linked lists, trees); reference
counts of members across assignments; no leaks."""
import numpy as np

from jitbridge import njit, optional, typed, types
from jitbridge.experimental import jitclass
from jitbridge.testing import no_leaks
from jitbridge.types import deferred_type

node_type = deferred_type()


@jitclass([("value", types.int64), ("next", optional(node_type))])
class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next

    def length(self):
        n = 1
        cur = self.next
        while cur is not None:
            n += 1
            cur = cur.next
        return n


node_type.define(Node.class_type.instance_type)

tree_type = deferred_type()


@jitclass([("key", types.float64), ("left", optional(tree_type)),
           ("right", optional(tree_type))])
class Tree:
    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None

    def insert(self, key):
        if key < self.key:
            if self.left is None:
                self.left = Tree(key)
            else:
                self.left.insert(key)
        else:
            if self.right is None:
                self.right = Tree(key)
            else:
                self.right.insert(key)

    def total(self):
        s = self.key
        if self.left is not None:
            s += self.left.total()
        if self.right is not None:
            s += self.right.total()
        return s


tree_type.define(Tree.class_type.instance_type)


@jitclass([("data", types.float64[:]), ("items", types.ListType(types.int64)),
           ("table", types.DictType(types.unicode_type, types.int64)),
           ("pair", types.UniTuple(types.int64, 2)), ("origin", Node.class_type.instance_type)])
class Holder:
    def __init__(self, n):
        self.data = np.arange(n, dtype=np.float64)
        self.items = typed.List.empty_list(types.int64)
        self.table = typed.Dict.empty(types.unicode_type, types.int64)
        self.pair = (n, -n)
        self.origin = Node(n, None)

    def fill(self):
        for i in range(self.data.shape[0]):
            self.items.append(i * 2)
            self.table[str(i)] = i
        return len(self.items) + len(self.table)


def test_linked_list_built_in_compiled_code():
    @njit
    def build(n):
        head = Node(0, None)
        for i in range(1, n):
            head = Node(i, head)
        return head

    head = build(5)
    assert head.length() == 5 and head.value == 4 and head.next.value == 3
    values = []
    cur = head
    while cur is not None:
        values.append(cur.value)
        cur = cur.next
    assert values == [4, 3, 2, 1, 0]


def test_linked_list_built_in_python():
    a = Node(1, None)
    b = Node(2, a)
    assert b.next is a and b.length() == 2 and a.next is None


def test_tree_recursion():
    keys = [5.0, 3.0, 8.0, 1.0, 4.0, 9.0]

    @njit
    def build(keys):
        root = Tree(keys[0])
        for k in keys[1:]:
            root.insert(k)
        return root.total()

    assert build(np.array(keys)) == sum(keys)
    root = Tree(2.0)
    root.insert(1.0)
    root.insert(3.0)
    assert root.left.key == 1.0 and root.right.key == 3.0 and root.total() == 6.0


def test_container_members():
    h = Holder(3)
    assert h.fill() == 6
    assert h.data.tolist() == [0.0, 1.0, 2.0] and list(h.items) == [0, 2, 4]
    assert dict(h.table) == {"0": 0, "1": 1, "2": 2} and h.pair == (3, -3)
    assert h.origin.value == 3
    h.data = np.ones(2)
    assert h.data.tolist() == [1.0, 1.0]


def test_array_member_is_shared_not_copied():
    h = Holder(2)
    view = h.data
    view[0] = 42.0
    assert h.data[0] == 42.0


def test_no_leaks_with_nested_members():
    @njit
    def churn(n):
        total = 0
        for i in range(n):
            h = Holder(3)
            total += h.fill()
            head = Node(i, Node(i + 1, None))
            head.next = Node(7, head.next)
            total += head.length()
        return total

    churn(1)
    with no_leaks():
        assert churn(20_000) == 20_000 * 9
    with no_leaks():
        for _ in range(200):
            h = Holder(2)
            h.fill()
            h.origin = Node(1, Node(2, None))
            del h


def test_no_leaks_tree():
    @njit
    def churn(n):
        s = 0.0
        for i in range(n):
            t = Tree(50.0)
            for k in range(10):
                t.insert(float((k * 37) % 100))
            s += t.total()
        return s

    churn(1)
    with no_leaks():
        churn(10_000)


@jitclass([("name", types.unicode_type), ("data", types.float64[:]), ("other", Node.class_type.instance_type),
           ("items", types.ListType(types.int64))])
class Keeper:
    def __init__(self, name, data):
        self.name = name
        self.data = data


def test_members_from_arguments_outlive_the_arguments():
    k = Keeper("x" * 3 + "yz", np.arange(4.0) * 2)  # both temporaries die after the call
    import gc
    gc.collect()
    junk = [np.full(4, -1.0) for _ in range(50)]  # noqa: F841 (reuse freed memory)
    assert k.name == "xxxyz" and k.data.tolist() == [0.0, 2.0, 4.0, 6.0]


def test_reading_a_member_never_assigned_raises():
    k = Keeper("a", np.zeros(1))
    import pytest
    with pytest.raises(AttributeError, match="'other' of Keeper was read before"):
        k.other
    with pytest.raises(AttributeError, match="'items' of Keeper"):
        k.items


def test_cycles_live_until_a_full_collection():
    """Instances are reference counted: a cycle outlives the call that made it, and the next
    full collection (tests/jitclass/test_cycles.py) frees it; breaking it frees both at once."""
    import gc
    from jitbridge.runtime.nrt import stats

    @njit
    def cycle(n, broken):
        for i in range(n):
            a = Node(i, None)
            b = Node(i, a)
            a.next = b
            if broken:
                a.next = None

    cycle(1, True)
    cycle(1, False)
    with no_leaks():
        cycle(1000, True)
    gc.collect()
    before = stats()["live"]
    cycle(10, False)
    assert stats()["live"] - before == 20
    gc.collect()
    assert stats()["live"] == before


def test_setting_members_through_an_optional_member():
    @njit
    def relabel(head, value):
        head.next.value = value
        return head.next.value

    head = Node(1, Node(2, None))
    assert relabel(head, 9) == 9 and head.next.value == 9
    import pytest
    with pytest.raises(TypeError):
        relabel(Node(1, None), 3)


branch_type = deferred_type()


@jitclass([("v", types.int64), ("children", types.ListType(branch_type))])
class Branch:
    def __init__(self, v):
        self.v = v
        self.children = typed.List.empty_list(branch_type)

    def add(self, child):
        self.children.append(child)

    def total(self):
        s = self.v
        for c in self.children:
            s += c.total()
        return s


branch_type.define(Branch.class_type.instance_type)


def test_deferred_type_inside_a_typed_list():
    @njit
    def build(n):
        root = Branch(1)
        for _ in range(n):
            child = Branch(10)
            child.add(Branch(100))
            root.add(child)
        return root

    root = build(3)
    assert root.total() == 331 and root.children[1].children[0].v == 100
    with no_leaks():
        for _ in range(100):
            build(5).total()


def test_deferred_type_elsewhere_is_refused():
    import pytest
    later = deferred_type()

    @jitclass([("pair", types.UniTuple(later, 2))])
    class Pair:
        def __init__(self):
            pass

    later.define(Pair.class_type.instance_type)
    with pytest.raises(Exception, match="deferred type may stand"):
        Pair()


@jitclass([("xs", types.List(types.int64))])
class ListKeeper:
    def __init__(self, xs):
        self.xs = xs

    def total(self):
        return sum(self.xs)


def test_python_list_member_outlives_the_argument():
    import gc
    keeper = ListKeeper(list(range(5)))  # the list dies after the call
    gc.collect()
    junk = [[9] * 5 for _ in range(1000)]  # noqa: F841 (reuse freed memory)
    assert keeper.xs == [0, 1, 2, 3, 4] and keeper.total() == 10


def test_reflected_list_members_are_refused():
    import pytest
    with pytest.raises(TypeError, match="reflected container"):
        jitclass([("xs", types.List(types.int64, reflected=True))])(type("RL", (), {}))


def test_python_set_member_outlives_the_argument():
    import gc

    @jitclass([("s", types.Set(types.int64))])
    class SetKeeper:
        def __init__(self, s):
            self.s = s

    keeper = SetKeeper(set(range(5)))
    gc.collect()
    junk = [{9} for _ in range(1000)]  # noqa: F841 (reuse freed memory)
    assert keeper.s == {0, 1, 2, 3, 4}
