"""Tiered compilation on for a test module (`from tests.dispatch.tiering_fixture import
tiered`): promotions only when a test asks for them, none left running after it."""
import pytest

from jitbridge import config
from jitbridge.runtime import tiering


@pytest.fixture(autouse=True)
def tiered(monkeypatch):
    monkeypatch.setattr(config, "TIERED", True)
    monkeypatch.setattr(config, "TIER_THRESHOLD", 10**9)  # promoted only when a test says
    yield
    assert tiering.drain(60)
