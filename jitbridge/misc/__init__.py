"""Numba's `numba.misc` layout: `special` holds the functions compiled code treats specially."""
