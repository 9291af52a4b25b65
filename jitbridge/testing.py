"""Test helpers: leak checks for compiled code (runtime MemInfos and Python reference counts)."""
from __future__ import annotations

import gc
import sys
from contextlib import contextmanager

from .runtime import stats


@contextmanager
def no_leaks(*objects):
    """Assert that the block leaves no live MemInfo and no extra reference to `objects`."""
    gc.collect()
    live_before = stats()["live"]
    refs_before = [sys.getrefcount(o) for o in objects]
    yield
    gc.collect()
    live_after = stats()["live"]
    refs_after = [sys.getrefcount(o) for o in objects]
    assert live_after == live_before, f"MemInfos leaked: {live_before} live before, {live_after} after"
    assert refs_after == refs_before, f"reference counts changed: {refs_before} -> {refs_after}"
