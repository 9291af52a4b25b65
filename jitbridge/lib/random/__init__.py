"""Random numbers in compiled code: `np.random.*` (NumPy's legacy generator), Python's
`random.*`, and `np.random.Generator` objects and their methods, with per-thread states
(`state.py`). A lazily provided area of its own (providers.py): a program that draws no random
numbers never imports it, and its size (sixteen modules of distributions) stays out of the
first compilation of array code.
"""
from . import (  # noqa: F401
    choice, dists, gen_basic, gen_choice, gen_core, gen_integers, gen_methods, gen_shuffle,
    legacy, more, python_random, state)
