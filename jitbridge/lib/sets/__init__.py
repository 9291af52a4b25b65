"""Typed sets (`types.Set`): an open-addressing hash table (table.py, written for reuse by
other hashed containers), reference counted, reflected into Python set arguments."""
from . import boxing, checks, construct, frozen, methods, model, ops  # noqa: F401
