"""NumPy functions and array methods written in Python with `@overload`, as users extend
jitbridge: each module covers one area of NumPy's API. A lazily provided area of its own
(providers.py), on top of the array core (`lib/arrays/`): loaded on a `numpy.*` key, `@`, or
the first method resolved on an array or scalar, so array code that only indexes, loops and
uses operators compiles without it."""
from .. import arrays  # noqa: F401  (the array core first: its types, model and templates)
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
from . import grids_more  # noqa: F401
from . import gradients  # noqa: F401
from . import index_tricks  # noqa: F401
from . import lexsort  # noqa: F401
from . import polynomials  # noqa: F401
from . import einsum  # noqa: F401
from . import polynomial_series  # noqa: F401
from . import average  # noqa: F401
from . import keepdims  # noqa: F401
from . import polynomial_class  # noqa: F401
from . import splitting  # noqa: F401
from . import inserting  # noqa: F401
