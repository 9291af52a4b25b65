"""Functions that read a global `G`; the tests rebind their globals to generated values."""
import numpy as np  # noqa: F401  (the readers' globals are replaced, this keeps linters calm)


def read():
    return G  # noqa: F821


def first():
    return G[0]  # noqa: F821


def total():
    return G.sum()  # noqa: F821


def write():
    G[0] = 1  # noqa: F821
    return 0


def nested():
    def inner():
        return G  # noqa: F821
    return inner()
