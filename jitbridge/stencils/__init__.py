"""`@stencil`: neighbourhood kernels with relative indexing. As in Numba, the decorator is
`jitbridge.stencil` and lives in the module `jitbridge.stencils.stencil` (the package's
attribute `stencil` is that module)."""
from . import compiled  # noqa: F401  (stencil() and @stencil inside compiled code)
from . import stencil  # noqa: F401
from .stencil import StencilFunc  # noqa: F401

__all__ = ["StencilFunc"]
