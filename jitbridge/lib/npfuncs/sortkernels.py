"""Sorting kernels of 1-D arrays, for sorting.py: introsort (kind='quicksort') and a stable
bottom-up merge sort ('mergesort'/'stable'), in NumPy's order (NaNs last, complex numbers
lexicographically with NaN parts last).

Every algorithm sorts keys `k` and optionally a payload `p` moved alongside (the indices of
an argsort); `p` is None for a plain sort, and the leaves are chosen per payload type."""
from __future__ import annotations

from ... import types
from ...extending import overload, register_jitable

SMALL = 16  # runs this short are insertion-sorted
STACK = 3 * 64  # (lo, hi, depth) of pending partitions: the smaller side is sorted first


# -- element order and payload moves (specialised per type at compile time) -----------------

def _lt(a, b):
    """NumPy's sort order for keys that are not NaN floats (sorts move those last first)."""


@overload(_lt)
def _ol_lt(a, b):
    return _complex_lt if isinstance(a, types.Complex) else _plain_lt


def _lt_nan(a, b):
    """NumPy's sort order for any keys: NaNs after every number, NaTs after every date."""


@overload(_lt_nan)
def _ol_lt_nan(a, b):
    if isinstance(a, types.Complex):
        return _complex_lt
    if isinstance(a, (types.Float, types.NPDatetime, types.NPTimedelta)):  # NaT: unequal to itself
        return _float_lt
    return _plain_lt


def _plain_lt(a, b):
    return a < b


def _float_lt(a, b):
    return a < b or (b != b and a == a)


def _complex_lt(a, b):
    """Lexicographic on (real, imag), a NaN in either part ordering after numbers."""
    if a.real < b.real:
        return a.imag == a.imag or b.imag != b.imag
    if a.real > b.real:
        return b.imag != b.imag and a.imag == a.imag
    if a.real == b.real or (a.real != a.real and b.real != b.real):
        return a.imag < b.imag or (b.imag != b.imag and a.imag == a.imag)
    return b.real != b.real


def _by_payload(stub, keys_only, pairs):
    """Register `stub(k, p, ...)` to run `keys_only` when p is None, else `pairs`: the hot
    loops are written twice because a call passing an array costs two atomic reference
    count updates, and the leaves below touch k and p only by indexing."""
    @overload(stub)
    def choose(k, p, *args):
        return keys_only if isinstance(p, types.NoneType) else pairs
    return stub


def _nan_last_k(k, p, n):
    """Move NaN keys to the end (unordered among themselves); the count of the others."""
    m = 0
    for i in range(n):
        if k[i] == k[i]:
            k[i], k[m] = k[m], k[i]
            m += 1
    return m


def _nan_last_kp(k, p, n):
    m = 0
    for i in range(n):
        if k[i] == k[i]:
            k[i], k[m] = k[m], k[i]
            p[i], p[m] = p[m], p[i]
            m += 1
    return m


def _count(k, p, n):
    return n


def _nan_last(k, p, n):
    """The NaN-free prefix of k[:n] after moving NaNs (floats) and NaTs (datetimes, which
    also compare unequal to themselves) to the end."""


@overload(_nan_last)
def _ol_nan_last(k, p, n):
    if not isinstance(k.dtype, (types.Float, types.NPDatetime, types.NPTimedelta)):  # NaT too
        return _count
    return _nan_last_k if isinstance(p, types.NoneType) else _nan_last_kp


# -- introsort --------------------------------------------------------------------------------

def _insertion_k(k, p, lo, hi):
    for i in range(lo + 1, hi):
        key = k[i]
        j = i - 1
        while j >= lo and _lt(key, k[j]):
            k[j + 1] = k[j]
            j -= 1
        k[j + 1] = key


def _insertion_kp(k, p, lo, hi):
    for i in range(lo + 1, hi):
        key = k[i]
        pv = p[i]
        j = i - 1
        while j >= lo and _lt(key, k[j]):
            k[j + 1] = k[j]
            p[j + 1] = p[j]
            j -= 1
        k[j + 1] = key
        p[j + 1] = pv


def _insertion(k, p, lo, hi):
    """Insertion sort of k[lo:hi] (stable)."""


@register_jitable
def _median3(a, b, c, lo, mid, last):
    """The index of the median of a = k[lo], b = k[mid], c = k[last]."""
    if _lt(a, b):
        if _lt(b, c):
            return mid
        return last if _lt(a, c) else lo
    if _lt(a, c):
        return lo
    return last if _lt(b, c) else mid


def _partition_k(k, p, lo, hi):
    """Hoare partition of k[lo:hi] around a median of three moved to k[lo]: the pivot's
    final index, smaller-or-equal keys before it, greater-or-equal after."""
    mid = lo + ((hi - lo) >> 1)
    m = _median3(k[lo], k[mid], k[hi - 1], lo, mid, hi - 1)
    k[lo], k[m] = k[m], k[lo]
    pivot = k[lo]
    i = lo
    j = hi
    while True:
        i += 1
        while i < hi and _lt(k[i], pivot):
            i += 1
        j -= 1
        while _lt(pivot, k[j]):
            j -= 1
        if i >= j:
            break
        k[i], k[j] = k[j], k[i]
    k[lo], k[j] = k[j], k[lo]
    return j


def _partition_kp(k, p, lo, hi):
    mid = lo + ((hi - lo) >> 1)
    m = _median3(k[lo], k[mid], k[hi - 1], lo, mid, hi - 1)
    k[lo], k[m] = k[m], k[lo]
    p[lo], p[m] = p[m], p[lo]
    pivot = k[lo]
    i = lo
    j = hi
    while True:
        i += 1
        while i < hi and _lt(k[i], pivot):
            i += 1
        j -= 1
        while _lt(pivot, k[j]):
            j -= 1
        if i >= j:
            break
        k[i], k[j] = k[j], k[i]
        p[i], p[j] = p[j], p[i]
    k[lo], k[j] = k[j], k[lo]
    p[lo], p[j] = p[j], p[lo]
    return j


def _partition(k, p, lo, hi):
    """Partition k[lo:hi] (see _partition_k)."""


@register_jitable
def _swap(k, p, i, j):
    k[i], k[j] = k[j], k[i]
    _put(p, i, _get(p, j), _get(p, i), j)


def _get(p, i):
    """p[i], or 0 without a payload."""


@overload(_get)
def _ol_get(p, i):
    if isinstance(p, types.NoneType):
        return lambda p, i: 0
    return lambda p, i: p[i]


def _put(p, i, v, w, j):
    """p[i], p[j] = v, w; nothing without a payload."""


@overload(_put)
def _ol_put(p, i, v, w, j):
    if isinstance(p, types.NoneType):
        return lambda p, i, v, w, j: None

    def impl(p, i, v, w, j):
        p[i] = v
        p[j] = w
    return impl


@register_jitable
def _sift(k, p, lo, root, n):
    while True:
        child = 2 * root + 1
        if child >= n:
            return
        if child + 1 < n and _lt(k[lo + child], k[lo + child + 1]):
            child += 1
        if not _lt(k[lo + root], k[lo + child]):
            return
        _swap(k, p, lo + root, lo + child)
        root = child


@register_jitable
def _heapsort(k, p, lo, hi):
    """Heapsort of k[lo:hi]: the rare fallback of degenerate partitions, written once."""
    n = hi - lo
    for root in range(n // 2 - 1, -1, -1):
        _sift(k, p, lo, root, n)
    for end in range(n - 1, 0, -1):
        _swap(k, p, lo, lo + end)
        _sift(k, p, lo, 0, end)


@register_jitable
def _depth_limit(n):
    depth = 0
    while n > 1:
        n >>= 1
        depth += 2
    return depth


@register_jitable
def _introsort(k, p, lo, hi, stack):
    """Quicksort of k[lo:hi], heapsort where the partitions degenerate, insertion sort below
    SMALL items. The larger side waits on `stack`, so it never holds more than log2(n)."""
    depth = _depth_limit(hi - lo)
    top = 0
    while True:
        while hi - lo > SMALL:
            if depth == 0:
                _heapsort(k, p, lo, hi)
                lo = hi
                break
            depth -= 1
            m = _partition(k, p, lo, hi)
            if m - lo > hi - m:
                stack[top], stack[top + 1], stack[top + 2] = lo, m, depth
                lo = m + 1
            else:
                stack[top], stack[top + 1], stack[top + 2] = m + 1, hi, depth
                hi = m
            top += 3
        _insertion(k, p, lo, hi)
        if top == 0:
            return
        top -= 3
        lo, hi, depth = stack[top], stack[top + 1], stack[top + 2]


# -- merge sort (stable) ----------------------------------------------------------------------

def _merge_k(src, ps, dst, pd, lo, mid, hi):
    """Merge the sorted runs src[lo:mid] and src[mid:hi] into dst; ties from the left."""
    i = lo
    j = mid
    for o in range(lo, hi):
        if j >= hi or (i < mid and not _lt(src[j], src[i])):
            dst[o] = src[i]
            i += 1
        else:
            dst[o] = src[j]
            j += 1


def _merge_kp(src, ps, dst, pd, lo, mid, hi):
    i = lo
    j = mid
    for o in range(lo, hi):
        if j >= hi or (i < mid and not _lt(src[j], src[i])):
            dst[o] = src[i]
            pd[o] = ps[i]
            i += 1
        else:
            dst[o] = src[j]
            pd[o] = ps[j]
            j += 1


def _merge(src, ps, dst, pd, lo, mid, hi):
    """Merge two sorted runs (see _merge_k)."""


_by_payload(_insertion, _insertion_k, _insertion_kp)
_by_payload(_partition, _partition_k, _partition_kp)
_by_payload(_merge, _merge_k, _merge_kp)


@register_jitable
def _merge_pass(src, ps, dst, pd, width, n):
    for lo in range(0, n, 2 * width):
        _merge(src, ps, dst, pd, lo, min(lo + width, n), min(lo + 2 * width, n))


@register_jitable
def _mergesort(k, p, kb, pb, n):
    """Stable sort of k[:n] (and p) using buffers kb, pb: insertion-sorted runs of SMALL,
    merged bottom-up back and forth between the arrays and the buffers."""
    for lo in range(0, n, SMALL):
        _insertion(k, p, lo, min(lo + SMALL, n))
    width = SMALL
    in_buffer = False
    while width < n:
        if in_buffer:
            _merge_pass(kb, pb, k, p, width, n)
        else:
            _merge_pass(k, p, kb, pb, width, n)
        in_buffer = not in_buffer
        width *= 2
    if in_buffer:
        k[:n] = kb[:n]
        _copy_payload(p, pb, n)


def _copy_payload(p, pb, n):
    """p[:n] = pb[:n], nothing without a payload."""


@overload(_copy_payload)
def _ol_copy_payload(p, pb, n):
    if isinstance(p, types.NoneType):
        return lambda p, pb, n: None

    def impl(p, pb, n):
        p[:n] = pb[:n]
    return impl


def _restore_nan_order(p, m, n, stack):
    """Put the payload of the NaN keys k[m:n] back in ascending order: a stable argsort
    lists the indices of equal NaNs in their original order."""


@overload(_restore_nan_order)
def _ol_restore_nan_order(p, m, n, stack):
    if isinstance(p, types.NoneType):
        return lambda p, m, n, stack: None
    return lambda p, m, n, stack: _introsort(p, None, m, n, stack)


@register_jitable
def _sort_1d(k, p, stable, kb, pb, stack):
    """Sort the 1-D array k in place (with p, initially ascending, alongside)."""
    n = len(k)
    m = _nan_last(k, p, n)
    if stable:
        _mergesort(k, p, kb, pb, m)
        _restore_nan_order(p, m, n, stack)
    else:
        _introsort(k, p, 0, m, stack)
