"""The `heapq` module on lists: binary min-heaps ordered by `<` only, arranged item for item as
CPython's (an item sinks to a leaf along the smaller children, then rises back: the layout after
every operation equals CPython's, so the heaps can be shared with Python code)."""
from __future__ import annotations

import heapq

from .. import types
from ..errors import TypingError
from ..extending import overload, register_jitable


def _is_list(heap) -> bool:
    """Check the heap is a list of orderable items (TypingError otherwise, as Numba)."""
    if not isinstance(heap, (types.List, types.ListType)):
        raise TypingError("heap argument must be a list")
    if isinstance(heap.dtype, types.Complex):
        raise TypingError("'<' not supported between instances of 'complex' and 'complex'")
    return True


def _is_list_for(heap, item) -> bool:
    """The heap is a list and `item` joins it without changing its value."""
    _is_list(heap)
    item, dtype = types.unliteral(item), heap.dtype
    lossless = item == dtype or (
        isinstance(item, types.Integer) and isinstance(dtype, (types.Integer, types.Float)))
    if not lossless:
        raise TypingError("heap type must be the same as item type")
    return True


@register_jitable
def _rise(heap, top, pos):
    """Move heap[pos] up towards `top` while it is smaller than its parent."""
    item = heap[pos]
    while pos > top:
        parent = (pos - 1) >> 1
        if not item < heap[parent]:
            break
        heap[pos] = heap[parent]
        pos = parent
    heap[pos] = item


@register_jitable
def _sink(heap, pos):
    """Restore the heap below `pos`: move the smaller child up until a leaf is free, put the
    item there, then let it rise (fewer comparisons than stopping early, and CPython's order)."""
    end = len(heap)
    top = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _rise(heap, top, pos)


@overload(heapq.heapify)
def heapify(x):
    if not _is_list(x):
        return None

    def impl(x):
        for i in range(len(x) // 2 - 1, -1, -1):
            _sink(x, i)
    return impl


@overload(heapq.heappush)
def heappush(heap, item):
    if not _is_list_for(heap, item):
        return None

    def impl(heap, item):
        heap.append(item)
        _rise(heap, 0, len(heap) - 1)
    return impl


@overload(heapq.heappop)
def heappop(heap):
    if not _is_list(heap):
        return None

    def impl(heap):
        if len(heap) == 0:
            raise IndexError("index out of range")
        last = heap.pop()
        if len(heap) == 0:
            return last
        smallest = heap[0]
        heap[0] = last
        _sink(heap, 0)
        return smallest
    return impl


@overload(heapq.heapreplace)
def heapreplace(heap, item):
    if not _is_list_for(heap, item):
        return None

    def impl(heap, item):
        if len(heap) == 0:
            raise IndexError("index out of range")
        smallest = heap[0]
        heap[0] = item
        _sink(heap, 0)
        return smallest
    return impl


@overload(heapq.heappushpop)
def heappushpop(heap, item):
    if not _is_list_for(heap, item):
        return None

    def impl(heap, item):
        if len(heap) > 0 and heap[0] < item:
            smallest = heap[0]
            heap[0] = item
            _sink(heap, 0)
            return smallest
        return item
    return impl


def _selection(reverse: bool):
    """nlargest/nsmallest: the first n of the stably sorted items (CPython's result)."""
    def typer(n, iterable, key=None):
        if not isinstance(types.unliteral(n), (types.Integer, types.Boolean)):
            raise TypingError("First argument 'n' must be an integer")
        if isinstance(types.unliteral(iterable), (types.Number, types.Boolean, types.NoneType)):
            raise TypingError("Second argument 'iterable' must be iterable")

        def impl(n, iterable, key=None):
            ordered = sorted(iterable, key=key, reverse=reverse)
            return ordered[:max(n, 0)]
        return impl
    return typer


overload(heapq.nlargest)(_selection(True))
overload(heapq.nsmallest)(_selection(False))
