"""Numba's `numba.core.imputils`: lowering registration for extension authors, and the helpers
that say who owns the value an implementation returns.

Implementations registered with `lower_builtin` return a *new* reference to a value that holds
counted memory (an array, a struct holding one): `impl_ret_new_ref` for a value the
implementation made, `impl_ret_borrowed` for one it took from an argument (it gains a
reference), `impl_ret_untracked` for values without counted memory.
"""
from __future__ import annotations

from ..lowering.registry import (lower_builtin, lower_cast, lower_constant,  # noqa: F401
                                 lower_getattr, lower_getattr_generic, lower_setattr)

__all__ = ["lower_builtin", "lower_cast", "lower_constant", "lower_getattr",
           "lower_getattr_generic", "lower_setattr", "impl_ret_new_ref", "impl_ret_borrowed",
           "impl_ret_untracked"]


def impl_ret_new_ref(context, builder, retty, ret):
    """`ret` is a new reference the implementation made: returned as it is."""
    return ret


def impl_ret_borrowed(context, builder, retty, ret):
    """`ret` is borrowed (from an argument): the caller gets a reference of its own."""
    context.incref(builder, retty, ret)
    return ret


def impl_ret_untracked(context, builder, retty, ret):
    """`ret` holds no counted memory."""
    return ret
