"""Data models (Numba-compatible import path `jitbridge.core.datamodel`)."""
from . import models  # noqa: F401
from .manager import DataModelManager, default_manager, register_model  # noqa: F401
from .models import DataModel, PrimitiveModel, StructModel  # noqa: F401 (Numba exports them)

register_default = register_model  # Numba's name: a model for the default manager
