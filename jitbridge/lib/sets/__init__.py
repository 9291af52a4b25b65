"""Typed sets (`types.Set`): an open-addressing hash table (table.py, written for reuse by
other hashed containers), reference counted, reflected into Python set arguments."""
from . import boxing, construct, model, ops  # noqa: F401
