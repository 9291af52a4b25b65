"""Layout strings of generalized ufuncs: `'(m,n),(n,p)->(m,p)'`, `'(n),()->()'`.

Parsed into one tuple of dimension names per operand, with Numba's errors: ValueError for a
syntax error ("bad token in signature") or an arrow without outputs, NameError for output
dimensions no input defines.
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<punct>->|[(),]))")


def _tokens(text: str) -> list:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ValueError(f"bad token in signature {text[pos:].strip()!r}")
        tokens.append(match.group("name") or match.group("punct"))
        pos = match.end()
    return tokens


def _operands(tokens: list, text: str) -> tuple:
    """Parenthesised name lists separated by commas, until the end or an arrow."""
    operands = []
    while tokens and tokens[0] != "->":
        if tokens.pop(0) != "(":
            raise ValueError(f"bad token in signature {text!r}: expected '('")
        names = []
        while tokens and tokens[0] != ")":
            names.append(tokens.pop(0))
            if not names[-1].isidentifier() or (tokens and tokens[0] not in (",", ")")):
                raise ValueError(f"bad token in signature {text!r}")
            if tokens and tokens[0] == ",":
                tokens.pop(0)
        if not tokens:
            raise ValueError(f"bad token in signature {text!r}: missing ')'")
        tokens.pop(0)
        operands.append(tuple(names))
        if tokens and tokens[0] == ",":
            tokens.pop(0)
    return tuple(operands)


def parse_layout(text: str) -> tuple:
    """(input dimension tuples, output dimension tuples) of a gufunc layout string."""
    tokens = _tokens(text)
    inputs = _operands(tokens, text)
    if not tokens:
        return inputs, ()
    tokens.pop(0)  # the arrow
    outputs = _operands(tokens, text)
    if not outputs:
        raise ValueError(f"no outputs after '->' in gufunc signature {text!r}")
    defined = {name for dims in inputs for name in dims}
    undefined = {name for dims in outputs for name in dims} - defined
    if undefined:
        raise NameError(f"undefined output symbols: {','.join(sorted(undefined))}")
    return inputs, outputs


def dimension_indices(operands) -> list:
    """Per operand, the index of each of its dimension names in order of first appearance
    (how NumPy numbers core dimensions in `dims[1:]`)."""
    order: dict = {}
    for dims in operands:
        for name in dims:
            order.setdefault(name, len(order))
    return [[order[name] for name in dims] for dims in operands]
