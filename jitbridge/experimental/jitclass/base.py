"""Numba's `numba.experimental.jitclass.base` names: `JitClassType`, the metaclass of every
@jitclass (`isinstance(Foo, JitClassType)`)."""
from __future__ import annotations

from .boxing import JitClassType  # noqa: F401

__all__ = ["JitClassType"]
