"""NumPy arrays in compiled code: model and boxing, construction, attributes, indexing,
iteration, elementwise operations and reductions."""
from . import (attributes, charseq, compatible, constants, construction, indexing, iteration, model,  # noqa: F401
               pointers, record_checks, records, reductions, ufuncs)
from . import buffers, dtypes, memoryviews  # noqa: F401,E402
