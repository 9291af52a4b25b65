"""Functions whose typed IR, with its reference-counting ops, is pinned by golden files."""
import numpy as np


def arrays(n):
    a = np.empty(n)
    b = a
    a = a + 1
    return b


def lists(n):
    xs = [np.zeros(2)]
    for i in range(n):
        xs.append(xs[i] + 1.0)
    return xs[n // 2]


def loop_reassign(n, k):
    a = np.zeros(n)
    for i in range(k):
        a = a + 1.0
    return a


def raises(a, n):
    b = a + 1.0
    if n > 3:
        raise ValueError("n too large")
    return b


def maybe_assigned(a, flag):
    if flag:
        b = a * 2.0
    b = a + 1.0
    return b


def closure_by_reference(n):
    a = np.zeros(n)

    def bump():
        nonlocal a
        a = a + 1.0
    bump()
    a = a * 2.0
    return a


def try_except(n):
    a = np.ones(n)
    try:
        b = a + 1
        if n > 3:
            raise ValueError
        a = b * 2
    except ValueError:
        a = np.zeros(n)
    return a.sum()
