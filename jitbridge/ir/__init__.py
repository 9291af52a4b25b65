"""Untyped intermediate representation."""
from .function import Block, FunctionIR  # noqa: F401
from .nodes import *  # noqa: F401,F403
