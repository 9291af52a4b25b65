"""Functions compiled code treats specially, at Numba's path for them (`numba.misc.special`)."""
from __future__ import annotations

from ..frontend.unroll import literal_unroll  # noqa: F401
from ..ir.markers import literally, pndindex, prange  # noqa: F401
