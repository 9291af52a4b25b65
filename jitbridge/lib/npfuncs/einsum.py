"""np.einsum with a compile-time subscripts string: parsed at typing time (NumPy's errors, as
TypingErrors) into a loop nest generated per call site: the output labels outermost, the
summed ones inside, each product cast to NumPy's result type and summed in it (so integers
wrap as NumPy's do; booleans use and/or). Dimensions of size 1 broadcast against a label's other
dimensions, as in NumPy. The result is always a new array (NumPy returns views for pure
transpositions and diagonals); '...' is refused. Operands take the slots of slots.py."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .slots import ABSENT, SLOT_PARAMS, SLOTS, generate, given, is_absent


def _fail(message: str):
    raise TypingError(f"np.einsum(): {message}")


def _parse(subscripts: str, ndims: list) -> tuple:
    """(input terms, output term) of `subscripts` for operands of `ndims` dimensions."""
    text = subscripts.replace(" ", "")
    if "." in text:
        _fail("broadcasting with '...' is not supported in compiled code")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) < len(ndims):
        _fail("more operands provided to einstein sum function than specified in the "
              "subscripts string")
    if len(terms) > len(ndims):
        _fail(f"fewer operands provided to einstein sum function than specified in the "
              f"subscripts string ({len(terms)} subscripts for {len(ndims)} operands)")
    for label in text.replace(",", "").replace("->", ""):
        if not ("a" <= label <= "z" or "A" <= label <= "Z"):
            _fail(f"invalid subscript {label!r} in einstein sum subscripts string, "
                  "subscripts must be letters")
    for i, (term, ndim) in enumerate(zip(terms, ndims)):
        if len(term) != ndim:
            many = "too many" if len(term) > ndim else "too few"
            _fail(f"einstein sum subscripts string contains {many} subscripts for operand "
                  f"{i} (operand {i} has {ndim} dimensions)")
    return terms, output if arrow else _implicit_output(terms)


def _implicit_output(terms: list) -> str:
    """The labels seen once, in alphabetical (ASCII) order, as NumPy's implicit mode."""
    labels = "".join(terms)
    return "".join(sorted(label for label in set(labels) if labels.count(label) == 1))


def _check_output(terms: list, output: str):
    for label in output:
        if output.count(label) > 1:
            _fail(f"einstein sum subscripts string includes output subscript {label!r} "
                  "multiple times")
        if not any(label in term for term in terms):
            _fail(f"einstein sum subscripts string included output subscript {label!r} "
                  "which never appeared in an input")


def _size_lines(terms: list, labels: list) -> list:
    """Collapsing checks, each label's extent n_<label> (broadcast over the operands), and
    each operand's step s<k>_<pos> (0 where a dimension of size 1 broadcasts)."""
    lines = []
    for k, term in enumerate(terms):
        for p, label in enumerate(term):
            first = term.index(label)
            if first != p:
                lines += [f"if x{k}.shape[{p}] != x{k}.shape[{first}]:",
                          f"    raise ValueError(\"dimensions in operand {k} for collapsing "
                          f"index '{label}' don't match\")"]
    for label in labels:
        dims = [f"x{k}.shape[{p}]" for k, term in enumerate(terms)
                for p, c in enumerate(term) if c == label]
        lines.append(f"n_{label} = _extent(({', '.join(dims)},))")
    for k, term in enumerate(terms):
        lines += [f"s{k}_{p} = 1 if x{k}.shape[{p}] == n_{label} else 0"
                  for p, label in enumerate(term)]
    return lines


def _product(terms: list, ndims: list, boolean: bool) -> str:
    factors = []
    for k, (term, ndim) in enumerate(zip(terms, ndims)):
        if ndim == 0:
            factors.append(f"R(x{k})")
            continue
        index = ", ".join(f"{label} * s{k}_{p}" for p, label in enumerate(term))
        factors.append(f"R(x{k}[{index}])")
    return (" & " if boolean else " * ").join(factors) if boolean else \
        "R(" + " * ".join(factors) + ")"


def _body(terms: list, output: str, ndims: list, boolean: bool) -> str:
    labels = list(dict.fromkeys("".join(terms)))
    summed = [label for label in labels if label not in output]
    lines = _size_lines(terms, labels)
    shape = "(" + "".join(f"n_{label}, " for label in output) + ")"
    if output:
        lines.append(f"out = np.empty({shape}, R)")
    depth = 0
    for label in [*output, *summed]:
        if label == (summed[0] if summed else None):
            lines.append("    " * depth + "acc = R(0)")
        lines.append("    " * depth + f"for {label} in range(n_{label}):")
        depth += 1
    if not summed:
        lines.append("    " * depth + "acc = R(0)")
    add = "acc | " if boolean else "acc + "
    lines.append("    " * depth + f"acc = R({add}{_product(terms, ndims, boolean)})")
    store = "    " * len(output)
    if output:
        lines.append(store + f"out[{', '.join(output)}] = acc")
        lines.append("return out")
    else:
        lines.append("return acc")
    return "\n".join(lines)


@register_jitable
def _extent(dims):
    """A label's extent: its dimensions agree, or are 1 (broadcast)."""
    n = 1
    for d in dims:
        if d != 1:
            if n != 1 and n != d:
                raise ValueError("operands could not be broadcast together with remapped "
                                 "shapes")
            n = d
    return n


def _operand_ndim(ty, k: int) -> int:
    ty = types.unliteral(ty)
    numeric = (types.Integer, types.Float, types.Complex, types.Boolean)
    if isinstance(ty, types.Array) and isinstance(ty.dtype, numeric):
        return ty.ndim
    if isinstance(ty, numeric):
        return 0
    _fail(f"operand {k} must be an array or a number, not {ty}")


def _operand_like(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Array, types.Number))


def _dtype_of(ty):
    ty = types.unliteral(ty)
    return as_dtype(ty.dtype if isinstance(ty, types.Array) else ty)


@overload(np.einsum)
def np_einsum(subscripts, x0=ABSENT, x1=ABSENT, x2=ABSENT, x3=ABSENT, x4=ABSENT, x5=ABSENT,
              x6=ABSENT, x7=ABSENT, /, out=None, dtype=None, optimize=False):
    if not isinstance(subscripts, types.StringLiteral):
        _fail(f"the subscripts must be a constant string (the interleaved operand/sublist "
              f"form is not supported), not {subscripts}")
    if not is_absent(x7) and _operand_like(out):  # (a ninth operand, given by position)
        _fail(f"compiled code takes at most {SLOTS} operands")
    if not is_absent(out) or not is_absent(dtype):
        _fail("out= and dtype= are not supported in compiled code")
    operands = given((x0, x1, x2, x3, x4, x5, x6, x7))
    ndims = [_operand_ndim(ty, k) for k, ty in enumerate(operands)]
    terms, output = _parse(subscripts.literal_value, ndims)
    _check_output(terms, output)
    result = np.result_type(*[_dtype_of(ty) for ty in operands]) if operands else None
    if result is None:
        _fail("at least one operand is needed")
    body = _body(terms, output, ndims, result == np.bool_)
    params = f"subscripts, {SLOT_PARAMS}, /, out=None, dtype=None, optimize=False"
    return generate(params, body, {"np": np, "R": result.type, "_extent": _extent})
