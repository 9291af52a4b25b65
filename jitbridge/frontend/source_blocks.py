"""The lines of a function's def statement in its file's text.

`inspect.getblock` finds them by tokenizing from the def to the first dedent: in pure Python,
a large part of compiling a long function. Where code objects record where each instruction
ends (CPython 3.11+), the last line of the function and of the functions nested in it is
known without tokenizing; that answer is taken when the first line after it that holds code is
indented no deeper than the def, else the tokenizer decides. (Either way the text must then
compile to the running code object, so a wrong cut fails clearly and is retried the slow way.)
"""
from __future__ import annotations

import inspect
import tokenize


def def_block(func, lines: list, quick: bool = True) -> tuple | None:
    """(the lines of the statement defining `func` in `lines`, the number of its first line),
    or None when `lines` cannot hold it (too short, or no statement starts there); `quick`:
    from the code object's positions where they tell (see the module's docstring)."""
    start = func.__code__.co_firstlineno - 1
    if not 0 <= start < len(lines):
        return None
    end = _end_from_positions(func.__code__, lines, start) if quick else None
    if end is not None:
        return lines[start:end], start + 1
    try:
        return inspect.getblock(lines[start:]), start + 1
    except (SyntaxError, tokenize.TokenError):
        return None


def _end_from_positions(code, lines: list, start: int) -> int | None:
    last = _last_line(code)
    if last is None or last <= start or last > len(lines):
        return None
    depth = _indent(lines[start])
    for line in lines[last:]:
        text = line.strip()
        if text and not text.startswith("#"):
            return last if _indent(line) <= depth else None
    return last


def _last_line(code) -> int | None:
    """The last line any instruction of `code` or of the code nested in it ends on."""
    if not hasattr(code, "co_positions"):  # (CPython 3.10)
        return None
    last = max((end or 0 for _, end, _, _ in code.co_positions()), default=0)
    for const in code.co_consts:
        if isinstance(const, type(code)):
            inner = _last_line(const)
            last = max(last, inner or 0)
    return last or None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
