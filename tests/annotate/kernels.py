"""Functions whose lines each fall in one cost category of the annotated view (the tests
find lines by their text, so the categories are checked against the source)."""
import numpy as np

from jitbridge import njit, objmode


@njit(boundscheck=True)
def mixed(a, n):
    b = np.empty(n)
    s = 0.0
    for i in range(n):
        b[i] = a[i] * 2
        s += b[i]
    if s < 0:
        raise ValueError("negative sum")
    with objmode(t="float64"):
        t = float(np.sum(b))
    return s + t


@njit
def native_only(x, n):
    acc = 0.0
    for i in range(n):
        acc += x * i
    return acc


@njit
def helper(x):
    return x * 3 + 1


@njit
def calls_and_catches(values):
    total = 0
    for v in values:
        try:
            total += helper(v) // v
        except ZeroDivisionError:
            total -= 1
    return total


@njit
def count_values(values):
    counts = {}
    for v in values:
        try:
            counts[v] += 1
        except KeyError:
            counts[v] = 1
    print("distinct:", len(counts))
    return counts[values[0]]
