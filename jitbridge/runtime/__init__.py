"""Runtime: the Python boundary (boxing, native dispatcher) and reference-counted memory.

`stats()` reports MemInfos allocated and freed by compiled code (`live` should return to its
previous value once results are released).
"""
from .nrt import stats  # noqa: F401
