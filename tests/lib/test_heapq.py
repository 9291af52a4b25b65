"""heapq on lists in compiled code: the heap layout after every operation equals CPython's."""
import heapq

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=40, deadline=None)
items = st.lists(st.integers(-100, 100), min_size=1, max_size=30)


def operations(heap, pushed):
    """The same program in Python and compiled: returns what each operation gave."""
    heapq.heapify(heap)
    out = []
    for x in pushed:
        heapq.heappush(heap, x)
    out.append(heapq.heappop(heap))
    out.append(heapq.heapreplace(heap, pushed[0]))
    out.append(heapq.heappushpop(heap, pushed[-1]))
    out.append(heapq.heappushpop(heap, -1000))
    return out


compiled_operations = njit(operations)


@given(items, items)
@FAST
def test_operations_match_cpython(values, pushed):
    ours, theirs = list(values), list(values)
    assert compiled_operations(ours, pushed) == operations(theirs, pushed)
    assert ours == theirs  # the same heap, item for item


@njit
def heapsort(values):
    heap = list(values)
    heapq.heapify(heap)
    return [heapq.heappop(heap) for _ in range(len(values))]


@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=40))
@FAST
def test_heapsort_sorts(values):
    assert heapsort(values) == sorted(values)


@njit
def largest_smallest(n, values):
    return heapq.nlargest(n, values), heapq.nsmallest(n, values)


@given(st.integers(-2, 12), items)
@FAST
def test_nlargest_nsmallest(n, values):
    assert largest_smallest(n, values) == (heapq.nlargest(n, values),
                                           heapq.nsmallest(n, values))


def test_heappop_of_empty_heap_raises():
    @njit
    def pop_twice(heap):
        heapq.heappop(heap)
        return heapq.heappop(heap)
    with pytest.raises(IndexError, match="index out of range"):
        pop_twice([1])


def test_heap_of_tuples_and_no_leaks():
    @njit
    def run(words):
        heap = [(len(w), w) for w in words]
        heapq.heapify(heap)
        heapq.heappush(heap, (0, "zero"))
        return heapq.heappop(heap)[1] + heapq.heappop(heap)[1]
    words = ["ccc", "a", "bb"]
    assert run(words) == "zeroa"
    with no_leaks(words):
        for _ in range(100):
            run(words)


@pytest.mark.parametrize("call, message", [
    (lambda: compiled_operations((1, 2), [1]), "heap argument must be a list"),
    (lambda: _push([1, 2], 2.5), "heap type must be the same as item type"),
    (lambda: _heapify([1j]), "'<' not supported between instances of 'complex'"),
    (lambda: largest_smallest(1.5, [1]), "First argument 'n' must be an integer"),
])
def test_typing_errors(call, message):
    with pytest.raises(TypingError, match=message):
        call()


@njit
def _push(heap, item):
    heapq.heappush(heap, item)


@njit
def _heapify(heap):
    heapq.heapify(heap)
