"""NumPy arrays in compiled code: model and boxing, construction, attributes, indexing,
iteration, elementwise operations and reductions."""
from . import attributes, construction, indexing, iteration, model, reductions, ufuncs  # noqa: F401
