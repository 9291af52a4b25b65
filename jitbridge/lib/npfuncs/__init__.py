"""NumPy functions and array methods written in Python with `@overload`, as users extend
jitbridge: each module covers one area of NumPy's API. A lazily provided area of its own
(providers.py), on top of the array core (`lib/arrays/`), loaded module by module: a generated
index (`lib/npfuncs_index.py`, made by `python -m jitbridge.lib.lazy_index`) says which of its
modules registers a `numpy.*` key, `@`, an array method or a type, so `np.zeros` loads
creation.py alone and array code that only indexes, loops and uses operators loads none."""
from .. import arrays  # noqa: F401  (the array core first: its types, model and templates)

#: every module, in the fixed order their registrations rank in whatever order they load
#: (the order a full import used to register them; new modules go at the end)
MODULES = (
    "common", "manip_arity", "manipulation", "grids", "covariance", "creation", "editing",
    "axes", "statistics", "quantiles", "numeric", "elementwise", "joining", "linalg",
    "generated", "linalg_products", "linalg_batched", "linalg_derived", "linalg_lapack",
    "logic", "methods", "rounding", "sortkernels", "searching", "series", "setops", "sorting",
    "windows", "machine", "broadcasting", "stride_tricks", "manip_fill", "taking",
    "manip_reshape", "manip_nonzero", "histograms", "linalg_contiguity", "grids_more",
    "gradients", "index_tricks", "lexsort", "polynomials", "einsum", "polynomial_series",
    "average", "keepdims", "polynomial_class", "splitting", "inserting",
)
#: modules that register nothing, imported by others when needed (SciPy's LAPACK symbols,
#: only when linear algebra compiles: SciPy is optional)
ON_DEMAND = ("lapack_symbols",)
