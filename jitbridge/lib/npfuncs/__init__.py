"""NumPy functions and array methods written in Python with `@overload`, as users extend
jitbridge: each module covers one area of NumPy's API and registers when the array library
loads (it is part of the lazily provided `jitbridge.lib.arrays` area)."""
from . import (creation, joining, linalg, linalg_lapack, manipulation, numeric,  # noqa: F401
               quantiles, searching, sorting, statistics)
from . import methods  # noqa: F401
from . import random_state  # noqa: F401
from . import random_numpy  # noqa: F401
from . import random_dists  # noqa: F401
from . import random_more  # noqa: F401
from . import random_choice  # noqa: F401
from . import random_python  # noqa: F401
from . import grids  # noqa: F401
from . import logic  # noqa: F401
from . import elementwise  # noqa: F401
from . import series  # noqa: F401
from . import covariance  # noqa: F401
from . import setops  # noqa: F401
from . import rounding  # noqa: F401
from . import windows  # noqa: F401
from . import editing  # noqa: F401
from . import randomgen_core  # noqa: F401
from . import randomgen_basic  # noqa: F401
from . import randomgen_integers  # noqa: F401
from . import randomgen_shuffle  # noqa: F401
from . import randomgen_methods  # noqa: F401
from . import randomgen_choice  # noqa: F401
from . import linalg_products  # noqa: F401
from . import linalg_derived  # noqa: F401
from . import linalg_batched  # noqa: F401
