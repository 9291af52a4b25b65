"""Typed containers shared by Python and compiled code (Numba's `numba.typed`)."""
from .typeddict import Dict  # noqa: F401
from .typedlist import List  # noqa: F401
