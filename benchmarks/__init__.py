"""Benchmarks: `python -m benchmarks` (side by side with Numba when it is installed)."""
