"""NumPy arrays in compiled code: model and boxing, construction, attributes, indexing,
iteration, elementwise operations and reductions."""
from . import (attributes, construction, indexing, iteration, model, pointers,  # noqa: F401
               records, reductions, ufuncs)
