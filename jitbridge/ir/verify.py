"""Structural checks on FunctionIR between stages (cheap; enabled by config.VERIFY_IR)."""
from __future__ import annotations

from .function import FunctionIR
from .nodes import Terminator


class IRVerificationError(AssertionError):
    """The IR broke an invariant: a compiler bug, never a user error."""


def verify(fir: FunctionIR) -> None:
    """Every block ends in one terminator, has none before it, and jumps to existing blocks."""
    if fir.entry not in fir.blocks:
        raise IRVerificationError(f"{fir.qualname}: entry block {fir.entry} missing")
    for label, block in fir.blocks.items():
        if not block.is_terminated:
            raise IRVerificationError(f"{fir.qualname}: block {label} has no terminator")
        if any(isinstance(s, Terminator) for s in block.body[:-1]):
            raise IRVerificationError(f"{fir.qualname}: block {label} has an early terminator")
        for succ in block.successors():
            if succ not in fir.blocks:
                raise IRVerificationError(f"{fir.qualname}: block {label} jumps to missing {succ}")
