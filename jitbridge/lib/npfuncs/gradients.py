"""np.gradient: central differences inside, one-sided at the ends, along each asked axis.

Each value is computed in the dtype NumPy computes it in, so results match bit for bit: the
differences of `f` in its own float dtype (integers as float64); with a scalar spacing (a Python
number, weak under NEP 50) the coefficients in float64, then cast to f's dtype; with coordinate
arrays the coefficients in the coordinates' dtype and the sums in the promoted dtype. Complex
products and quotients use NumPy's formulas."""
from __future__ import annotations

import functools

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .common import normalize_axis
from .generated import as_type, generate


def _mul(x, y):
    """x * y as NumPy multiplies two values of one dtype."""


@overload(_mul)
def _ol_mul(x, y):
    if isinstance(x, types.Complex):
        cls = as_dtype(x).type  # (each part computed in the parts' precision, as NumPy's)
        return lambda x, y: cls(complex(x.real * y.real - x.imag * y.imag,
                                        x.real * y.imag + x.imag * y.real))
    return lambda x, y: x * y


def _div(x, y):
    """x / y as NumPy divides two values of one dtype (complex: Smith's method, NumPy's)."""


@overload(_div)
def _ol_div(x, y):
    if not isinstance(x, types.Complex):
        return lambda x, y: x / y
    cls = as_dtype(x).type
    one = as_dtype(x.underlying_float).type(1.0)

    def divide(x, y):
        if abs(y.real) >= abs(y.imag):
            if y.real == 0 and y.imag == 0:  # NumPy divides by the absolute values then
                return cls(complex(x.real / abs(y.real), x.imag / abs(y.imag)))
            rat = y.imag / y.real
            scl = one / (y.real + y.imag * rat)
            return cls(complex((x.real + x.imag * rat) * scl, (x.imag - x.real * rat) * scl))
        rat = y.real / y.imag
        scl = one / (y.imag + y.real * rat)
        return cls(complex((x.real * rat + x.imag) * scl, (x.imag * rat - x.real) * scl))
    return divide


@functools.lru_cache(maxsize=None)
def _kernels(cls, wide, coef):
    """The line kernels computing the coefficients in `coef`, the sums in `wide` (NumPy
    scalar classes) and storing `cls`."""

    @register_jitable
    def three(a, b, c, y0, y1, y2):
        return _mul(wide(a), wide(y0)) + _mul(wide(b), wide(y1)) + _mul(wide(c), wide(y2))

    @register_jitable
    def uniform(y, out, h, edge_order):
        n = y.shape[0]
        den = wide(h + h)  # NumPy's 2. * h, exact either way
        for i in range(1, n - 1):
            out[i] = cls(_div(wide(y[i + 1] - y[i - 1]), den))
        if edge_order == 1:
            out[0] = cls(_div(wide(y[1] - y[0]), wide(h)))
            out[n - 1] = cls(_div(wide(y[n - 1] - y[n - 2]), wide(h)))
            return
        one, two, half = coef(1.5), coef(2.0), coef(0.5)
        out[0] = cls(three(-one / h, two / h, -half / h, y[0], y[1], y[2]))
        out[n - 1] = cls(three(half / h, -two / h, one / h, y[n - 3], y[n - 2], y[n - 1]))

    @register_jitable
    def spaced(y, out, dx, edge_order):
        n = y.shape[0]
        for i in range(1, n - 1):
            d1, d2 = dx[i - 1], dx[i]
            out[i] = cls(three(-d2 / (d1 * (d1 + d2)), (d2 - d1) / (d1 * d2),
                               d1 / (d2 * (d1 + d2)), y[i - 1], y[i], y[i + 1]))
        if edge_order == 1:
            out[0] = cls(_div(wide(y[1] - y[0]), wide(dx[0])))
            out[n - 1] = cls(_div(wide(y[n - 1] - y[n - 2]), wide(dx[n - 2])))
            return
        d1, d2 = dx[0], dx[1]
        out[0] = cls(three(-(d1 + d1 + d2) / (d1 * (d1 + d2)), (d1 + d2) / (d1 * d2),
                           -d1 / (d2 * (d1 + d2)), y[0], y[1], y[2]))
        d1, d2 = dx[n - 3], dx[n - 2]
        out[n - 1] = cls(three(d2 / (d1 * (d1 + d2)), -(d2 + d1) / (d1 * d2),
                               (d2 + d2 + d1) / (d2 * (d1 + d2)), y[n - 3], y[n - 2], y[n - 1]))
    return uniform, spaced


@functools.lru_cache(maxsize=None)
def _along(cls, wide, coef, scalar: bool):
    """`along(f, axis, spacing, edge_order)`: the gradient of f along one axis (`scalar`: the
    spacing is a number, else coordinates)."""
    line, prepare = _scalar_line(cls, wide, coef) if scalar else _coordinate_line(cls, wide, coef)

    @register_jitable
    def along(f, axis, spacing, edge_order):
        n = f.shape[axis]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        if edge_order != 1 and n < 3:  # (NumPy takes any edge_order below 1 as 2)
            raise IndexError("index 2 is out of bounds for the gradient's axis")
        last = f.ndim - 1
        lines = np.ascontiguousarray(np.swapaxes(f, axis, last))
        res = np.empty(lines.shape, cls)
        flat, out = lines.reshape((-1, n)), res.reshape((-1, n))
        steps = prepare(spacing, n)
        for r in range(flat.shape[0]):
            line(flat[r], out[r], steps, edge_order)
        return np.ascontiguousarray(np.swapaxes(res, axis, last))
    return along


def _scalar_line(cls, wide, coef):
    uniform = _kernels(cls, wide, coef)[0]
    return uniform, register_jitable(lambda spacing, n: coef(spacing))


def _coordinate_line(cls, wide, coef):
    uniform, spaced = _kernels(cls, wide, coef)

    @register_jitable
    def line(y, out, steps, edge_order):
        dx, h = steps
        if dx.shape[0] == 0:
            uniform(y, out, h, edge_order)
        else:
            spaced(y, out, dx, edge_order)
    return line, register_jitable(lambda spacing, n: _steps(spacing, n, coef))


def _steps(spacing, n, coef):
    """(the differences of the coordinates, empty when they are equal; the common step)."""


@overload(_steps)
def _ol_steps(spacing, n, coef):
    def impl(spacing, n, coef):
        if spacing.shape[0] != n:
            raise ValueError("when 1d, distances must match the length of the corresponding "
                             "dimension")
        if n < 2:
            raise IndexError("index 0 is out of bounds for axis 0 with size 0")
        dx = np.empty(n - 1, coef)
        for i in range(n - 1):
            dx[i] = coef(spacing[i + 1]) - coef(spacing[i])
        for i in range(n - 1):
            if not dx[i] == dx[0]:
                return dx, dx[0]
        return np.empty(0, coef), dx[0]
    return impl


# -- typing -------------------------------------------------------------------------------------

def _check_f(f):
    if not isinstance(f, types.Array):
        raise TypingError(f"np.gradient(): f must be an array, not {f}")
    if not isinstance(f.dtype, (types.Integer, types.Float, types.Complex)):
        raise TypingError(f"np.gradient(): unsupported array of {f.dtype} (NumPy refuses "
                          "booleans; datetimes are not supported in compiled code)")


def _axis_count(axis, ndim: int) -> int:
    if isinstance(axis, types.Omitted) or axis is None or isinstance(axis, types.NoneType):
        return ndim
    if isinstance(types.unliteral(axis), types.Integer):
        return 1
    if isinstance(axis, types.UniTuple) and isinstance(axis.dtype, types.Integer) or \
            isinstance(axis, types.BaseTuple) and len(axis) == 0:
        return len(axis)
    raise TypingError(f"np.gradient(): axis must be None, an integer or a tuple of integers, "
                      f"not {axis}")


def _axes_text(axis, ndim: int, count: int) -> str:
    """The expression of the normalised axes tuple (checked for repeats at run time)."""
    if count == ndim and _axis_count(axis, ndim) == ndim and not _is_tuple(axis):
        if isinstance(types.unliteral(axis), types.Integer):
            return "(normalize_axis(axis, f.ndim),)"
        return "(" + "".join(f"{i}, " for i in range(ndim)) + ")"
    if not _is_tuple(axis):
        return "(normalize_axis(axis, f.ndim),)"
    return "_distinct((" + "".join(f"normalize_axis(axis[{i}], f.ndim), "
                                   for i in range(count)) + "))"


def _is_tuple(ty) -> bool:
    return isinstance(ty, types.BaseTuple)


@register_jitable
def _distinct(axes):
    for i in range(len(axes)):
        for j in range(i):
            if axes[i] == axes[j]:
                raise ValueError("repeated axis")
    return axes


def _is_scalar(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Float, types.Boolean))


def _spacing_texts(spacings, count: int) -> list:
    """The spacing expression of each axis, as NumPy pairs the spacings with the axes."""
    if not spacings:
        return ["1.0"] * count
    if len(spacings) == 1 and _is_scalar(spacings[0]):
        return ["x0"] * count
    if len(spacings) != count:
        raise TypingError(f"np.gradient(): invalid number of arguments: {len(spacings)} "
                          f"spacings for {count} axes")
    for ty in spacings:
        if not (_is_scalar(ty) or isinstance(ty, types.Array) and ty.ndim == 1 and
                isinstance(ty.dtype, (types.Integer, types.Float))):
            raise TypingError(f"np.gradient(): distances must be either scalars or 1d "
                              f"arrays of real numbers, not {ty}")
    return [f"x{i}" for i in range(count)]


def _classes(f, spacing):
    """(output class, computing class, coefficient class) of f with one axis's spacing."""
    out = as_dtype(f.dtype) if isinstance(f.dtype, (types.Float, types.Complex)) else \
        np.dtype(np.float64)
    if not isinstance(spacing, types.Array):
        return out.type, out.type, np.float64  # a Python scalar: weak, its arithmetic float64
    coef = as_dtype(spacing.dtype) if isinstance(spacing.dtype, types.Float) else \
        np.dtype(np.float64)
    return out.type, np.result_type(out, coef).type, coef.type


@overload(np.gradient)
def np_gradient(f, *varargs, axis=None, edge_order=1):
    _check_f(f)
    axis, edge_order = as_type(axis), as_type(edge_order)
    if not isinstance(types.unliteral(edge_order), (types.Integer, types.Omitted)):
        raise TypingError(f"np.gradient(): edge_order must be an integer, not {edge_order}")
    count = _axis_count(axis, f.ndim)
    texts = _spacing_texts(varargs, count)
    spacing_types = [varargs[int(t[1:])] if t != "1.0" else None for t in texts]
    alongs = [_along(*_classes(f, ty), not isinstance(ty, types.Array)) for ty in spacing_types]
    lines = [f"x{i} = varargs[{i}]" for i in range(len(varargs))]
    lines += ["axes = " + _axes_text(axis, f.ndim, count),
              "if edge_order > 2:",
              "    raise ValueError(\"'edge_order' greater than 2 not supported\")",
              "g = f.astype(np.float64)" if isinstance(f.dtype, types.Integer) else "g = f"]
    lines += [f"d{i} = along{i}(g, axes[{i}], {t}, edge_order)" for i, t in enumerate(texts)]
    results = "".join(f"d{i}, " for i in range(count))
    lines.append(f"return {results[:-2]}" if count == 1 else f"return ({results})")
    env = {"np": np, "normalize_axis": normalize_axis, "_distinct": _distinct,
           **{f"along{i}": a for i, a in enumerate(alongs)}}
    return generate("f, *varargs, axis=None, edge_order=1", "\n".join(lines), env)
