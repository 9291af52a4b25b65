"""@jitclass: Python classes compiled into native reference-counted types (docs/jitclass.md)."""
from __future__ import annotations

from . import operators as _operators, typing as _typing  # noqa: F401  (registrations)
from .boxing import JitClassProxy, JitClassType  # noqa: F401
from .decorator import jitclass
from .voidptr import as_voidptr, from_voidptr

__all__ = ["jitclass", "JitClassType", "as_voidptr", "from_voidptr"]
