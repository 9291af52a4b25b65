"""Numba's `numba.np` package path: NumPy support helpers for extension authors."""
