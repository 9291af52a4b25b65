"""Functions whose IR text is pinned by golden tests."""


def sum_squares(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def chained(a, b, c):
    return a < b < c


def short_circuit(a, b):
    return a and b
