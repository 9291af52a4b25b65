"""Shared fixtures: the IR verifier is on for the whole test run, and each test module starts
with everything earlier modules left moved out of the collector's sight."""
import gc

import pytest

import jitbridge.config as config

config.VERIFY_IR = True
config.CHECK_BUILTIN_REGISTRATIONS = True


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
