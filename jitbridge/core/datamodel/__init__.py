"""Data models (Numba-compatible import path `jitbridge.core.datamodel`)."""
from . import models  # noqa: F401
from .manager import DataModelManager, default_manager, register_model  # noqa: F401
