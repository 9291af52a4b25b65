"""Shared fixtures: the IR verifier is on for the whole test run, hypothesis has no deadline,
and each test module starts with everything earlier modules left moved out of the
collector's sight."""
import gc

import pytest
from hypothesis import settings

import jitbridge.config as config

config.VERIFY_IR = True
config.CHECK_BUILTIN_REGISTRATIONS = True

# a property's first example compiles its kernels (hundreds of ms on a loaded 2-core CI
# machine): a per-example deadline would fail it there and pass it on the retry, which
# hypothesis reports as a flaky test
settings.register_profile("jitbridge", deadline=None)
settings.load_profile("jitbridge")


@pytest.fixture(autouse=True, scope="module")
def _fresh_heap_per_module():
    """`no_leaks` collects garbage before and after its block; a full collection walks every
    object the run has made so far (compiled code, hypothesis' state...), which made it the
    bulk of many tests' time. Collected once here, the survivors are frozen (gc.freeze): later
    collections walk only what this module makes. Reference counting still frees frozen
    objects; only garbage cycles among them stay (memory, never a count no_leaks compares:
    it compares before and after a block, and the block's own objects are not frozen)."""
    gc.collect()
    gc.freeze()
    yield
