"""NumPy functions and array methods written in Python with `@overload`, as users extend
jitbridge: each module covers one area of NumPy's API and registers when the array library
loads (it is part of the lazily provided `jitbridge.lib.arrays` area)."""
from . import (  # noqa: F401
    covariance, creation, editing, elementwise, grids, joining, linalg, linalg_batched,
    linalg_derived, linalg_lapack, linalg_products, logic, manipulation, methods,
    numeric, quantiles, rounding, searching, series, setops, sorting, statistics, windows
)
from . import machine  # noqa: F401
from . import broadcasting  # noqa: F401
from . import stride_tricks  # noqa: F401
from . import manip_fill  # noqa: F401
from . import taking  # noqa: F401
from . import manip_reshape  # noqa: F401
from . import manip_nonzero  # noqa: F401
from . import histograms  # noqa: F401
from . import linalg_contiguity  # noqa: F401
