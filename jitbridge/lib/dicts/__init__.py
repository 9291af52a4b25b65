"""Typed dicts (`types.DictType`): a compact hash table as CPython's, reference counted; see
model.py for the layout and table.py for the algorithms."""
from . import boxing, construct, iteration, model, ops, union, update  # noqa: F401
from ... import types
from ..hashing import register_unhashable

register_unhashable(types.DictType)  # hash(d) is CPython's TypeError: unhashable type: 'dict'
