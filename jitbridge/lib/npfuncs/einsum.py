"""np.einsum with a compile-time subscripts string: parsed at typing time (NumPy's errors, as
TypingErrors) into a loop nest generated per call site: the output labels outermost, the
summed ones inside, each product cast to NumPy's result type and summed in it (so integers
wrap as NumPy's do; booleans use and/or). Dimensions of size 1 broadcast against a label's other
dimensions, as in NumPy. Each '...' becomes labels of its own (the broadcast dimensions,
right-aligned). The result is always a new array (NumPy returns views for pure transpositions
and diagonals), copied into out= when given (which may overlap the operands). dtype= and
casting= as NumPy's (a cast casting= forbids is a TypingError); optimize= is accepted and
changes nothing. Operands take the slots of slots.py."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.construction import parse_dtype
from ..arrays.model import as_dtype
from .generated import as_type, generate, literal_option


def _fail(message: str):
    raise TypingError(f"np.einsum(): {message}")


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BROADCAST = ("has more dimensions than subscripts given in einstein sum, but no '...' "
              "ellipsis provided to broadcast the extra dimensions.")


def _parse(subscripts: str, ndims: list) -> tuple:
    """(input terms, output term) of `subscripts` for operands of `ndims` dimensions, each
    '...' replaced by labels of its own: the broadcast dimensions, right-aligned as NumPy."""
    text = subscripts.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) < len(ndims):
        _fail("more operands provided to einstein sum function than specified in the "
              "subscripts string")
    if len(terms) > len(ndims):
        _fail(f"fewer operands provided to einstein sum function than specified in the "
              f"subscripts string ({len(terms)} subscripts for {len(ndims)} operands)")
    for label in text.replace(",", "").replace("->", "").replace(".", ""):
        if label not in _LETTERS:
            _fail(f"invalid subscript {label!r} in einstein sum subscripts string, "
                  "subscripts must be letters")
    split = [_split_ellipsis(term, f"in operand {k}") for k, term in enumerate(terms)]
    widths = [_ellipsis_width(parts, ndim, k) for k, (parts, ndim) in
              enumerate(zip(split, ndims))]
    spare = [c for c in _LETTERS if c not in text][:max(widths, default=0)]
    if len(spare) < max(widths, default=0):
        _fail("too many broadcast dimensions for the letters left to label them")
    expanded = [_expand(parts, spare, width) for parts, width in zip(split, widths)]
    if not arrow:
        return expanded, "".join(spare) + _implicit_output(terms)
    parts = _split_ellipsis(output, "in the output")
    if parts[1] is None and spare:
        _fail("output " + _BROADCAST)
    return expanded, _expand(parts, spare, len(spare))


def _split_ellipsis(term: str, where: str) -> tuple:
    """(labels before '...', labels after it or None when there is no '...')."""
    before, dots, after = term.partition("...")
    if "." in before or "." in after:
        _fail("einstein sum subscripts string contains a '.' that is not part of an "
              f"ellipsis ('...') {where}")
    return before, (after if dots else None)


def _ellipsis_width(parts: tuple, ndim: int, k: int) -> int:
    """How many dimensions of operand `k` its '...' stands for."""
    before, after = parts
    explicit = len(before) + len(after or "")
    if explicit > ndim:
        _fail(f"einstein sum subscripts string contains too many subscripts for operand {k}")
    if after is None and explicit < ndim:
        _fail("operand " + _BROADCAST)
    return ndim - explicit


def _expand(parts: tuple, spare: list, width: int) -> str:
    before, after = parts
    if after is None:
        return before
    return before + "".join(spare[len(spare) - width:]) + after


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
            factors.append(f"R(_scalar(x{k}))")
            continue
        index = ", ".join(f"i_{label} * s{k}_{p}" for p, label in enumerate(term))
        factors.append(f"R(x{k}[{index}])")
    return " & ".join(factors) if boolean else "R(" + " * ".join(factors) + ")"


def _loops(output: str, summed: list) -> list:
    """The loop nest: output labels outermost, an accumulator reset above the summed ones."""
    lines, depth = [], 0
    for label in [*output, *summed]:
        if summed and label == summed[0]:
            lines.append("    " * depth + "acc = R(0)")
        lines.append("    " * depth + f"for i_{label} in range(n_{label}):")
        depth += 1
    if not summed:
        lines.append("    " * depth + "acc = R(0)")
    return lines


def _body(terms: list, output: str, ndims: list, boolean: bool) -> str:
    """The sum into `res` (a new array, or the scalar of an empty output)."""
    labels = list(dict.fromkeys("".join(terms)))
    summed = [label for label in labels if label not in output]
    lines = _size_lines(terms, labels)
    shape = "(" + "".join(f"n_{label}, " for label in output) + ")"
    if output:
        lines.append(f"res = np.empty({shape}, R)")
    lines += _loops(output, summed)
    add = "acc | " if boolean else "acc + "
    lines.append("    " * (len(output) + len(summed)) +
                 f"acc = R({add}{_product(terms, ndims, boolean)})")
    if output:
        index = ", ".join(f"i_{label}" for label in output)
        lines.append("    " * len(output) + f"res[{index}] = acc")
    else:
        lines.append("res = acc")
    return "\n".join(lines)


def _finish(output: str, out) -> str:
    """Return `res`, or store it in `out` (a copy: `out` may overlap the operands)."""
    if _is_default(out):
        return "return res"
    shape = "(" + "".join(f"n_{label}, " for label in output) + ")"
    store = "out[...] = res" if output else "out[()] = res"
    return (f"if out.shape != {shape}:\n"
            "    raise ValueError(\"operands could not be broadcast together with remapped "
            "shapes: the out= array has the wrong shape\")\n"
            f"{store}\nreturn out")


def _scalar(x):
    """A number operand, or the item of a 0-d array one."""


@overload(_scalar)
def _ol_scalar(x):
    if isinstance(x, types.Array):
        return lambda x: x[()]
    return lambda x: x


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


def _dtype_of(ty):
    ty = types.unliteral(ty)
    return as_dtype(ty.dtype if isinstance(ty, types.Array) else ty)


def _is_default(ty) -> bool:
    return isinstance(ty, (types.Omitted, types.NoneType))


def _compute_dtype(operands: tuple, dtype, casting: str):
    """The dtype the sum is computed in: dtype= (each operand cast to it under `casting`,
    NumPy's TypeError as a TypingError), else NumPy's result type of the operands."""
    found = [_dtype_of(ty) for ty in operands]
    if _is_default(dtype):
        return np.result_type(*found)
    element = parse_dtype(dtype)
    if element is None:
        _fail(f"dtype= must be a NumPy dtype or scalar class, not {dtype}")
    wanted = np.dtype(as_dtype(element))
    for k, got in enumerate(found):
        if not np.can_cast(got, wanted, casting):
            _fail(f"operand {k} dtype could not be cast from dtype('{got}') to "
                  f"dtype('{wanted}') according to the rule '{casting}'")
    return wanted


def _check_out(out, output: str, result, casting: str):
    if _is_default(out):
        return
    if not isinstance(out, types.Array):
        _fail(f"out= must be an array, not {out}")
    if out.ndim != len(output):
        _fail(f"out parameter does not have the correct number of dimensions, has {out.ndim} "
              f"but should have {len(output)}")
    if not out.mutable:
        _fail("out= must be a writable array")
    if not np.can_cast(result, as_dtype(out.dtype), casting):
        _fail(f"requested dtype could not be cast from dtype('{result}') to "
              f"dtype('{as_dtype(out.dtype)}'), the out= dtype, according to the rule "
              f"'{casting}'")


def _check_options(optimize, casting) -> str:
    """optimize= (results do not depend on it) and casting=, compile-time constants."""
    choice = literal_option(optimize, "optimize", "einsum", False)
    if not (isinstance(choice, bool) or choice in ("greedy", "optimal")):
        _fail(f"optimize= must be True, False, 'greedy' or 'optimal', not {optimize}")
    rule = literal_option(casting, "casting", "einsum", "safe")
    if rule not in ("no", "equiv", "safe", "same_kind", "unsafe"):
        _fail(f"casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe', "
              f"not {casting}")
    return rule


@overload(np.einsum)
def np_einsum(subscripts, *operands, out=None, dtype=None, optimize=False, casting="safe"):
    if not isinstance(subscripts, types.StringLiteral):
        _fail(f"the subscripts must be a constant string (the interleaved operand/sublist "
              f"form is not supported), not {subscripts}")
    out, dtype = as_type(out), as_type(dtype)
    rule = _check_options(optimize, casting)
    if not operands:
        _fail("at least one operand is needed")
    ndims = [_operand_ndim(ty, k) for k, ty in enumerate(operands)]
    terms, output = _parse(subscripts.literal_value, ndims)
    _check_output(terms, output)
    result = _compute_dtype(operands, dtype, rule)
    _check_out(out, output, result, rule)
    names = "".join(f"x{k} = operands[{k}]\n" for k in range(len(operands)))
    body = names + _body(terms, output, ndims, result == np.bool_) + "\n" + _finish(output, out)
    params = "subscripts, *operands, out=None, dtype=None, optimize=False, casting='safe'"
    return generate(params, body, {"np": np, "R": result.type, "_extent": _extent,
                                   "_scalar": _scalar})
