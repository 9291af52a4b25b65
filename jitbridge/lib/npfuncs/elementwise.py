"""NumPy functions applied item by item that are not ufuncs: np.angle, np.sinc,
np.nan_to_num. Each keeps NumPy's result dtype (float32 stays float32, integers give
float64) and takes scalars as well as arrays, lists and tuples. Also the methods of the
binary ufuncs (np.add.reduce, .accumulate, .outer, .at)."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from ..arrays.construction import parse_dtype
from ..arrays.model import as_dtype
from ..arrays.ufuncs import ALL_UFUNCS, resolve_loop
from .common import normalize_axis
from .manipulation import _assign
from .numeric import given

_NUMBER = (types.Number, types.Boolean)


def _element(ty):
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        return ty.dtype
    if isinstance(ty, (types.List, types.UniTuple)):
        return _element(ty.dtype)
    return ty


def _is_numeric_like(ty) -> bool:
    ty = types.unliteral(ty)
    return isinstance(ty, (types.Array, types.List, types.UniTuple) + _NUMBER) and \
        isinstance(_element(ty), _NUMBER)


def _is_flag(ty) -> bool:
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, bool)
    return isinstance(types.unliteral(ty), types.Boolean)


# -- np.angle -----------------------------------------------------------------------------------

_DEGREES = 180 / np.pi


@overload(np.angle)
def np_angle(z, deg=False):
    if not _is_numeric_like(z):
        raise TypingError('np.angle(): Argument "z" must be a complex or Array[complex]')
    if not _is_flag(deg):
        raise TypingError('np.angle(): Argument "deg" must be a boolean')
    real_cls = np.result_type(as_dtype(_element(z)).type(0).real, np.float16).type
    if isinstance(_element(z), types.Complex):
        parts = register_jitable(lambda z: (z.imag, z.real))
    else:
        parts = register_jitable(lambda z: (real_cls(0), z))
    if isinstance(types.unliteral(z), _NUMBER):
        def scalar(z, deg=False):
            imag, real = parts(z)
            a = real_cls(np.arctan2(real_cls(imag), real_cls(real)))
            return real_cls(a * real_cls(_DEGREES)) if deg else a
        return scalar

    def impl(z, deg=False):
        imag, real = parts(np.asarray(z))
        a = np.arctan2(imag, real).astype(real_cls)
        return a * real_cls(_DEGREES) if deg else a
    return impl


# -- np.sinc ------------------------------------------------------------------------------------

def _sinc_kernel(cls, eps):
    @register_jitable
    def kernel(x):
        y = cls(np.pi) * cls(x)
        if y == 0:
            y = cls(eps)
        return np.sin(y) / y
    return kernel


@overload(np.sinc)
def np_sinc(x):
    if not _is_numeric_like(x):
        raise TypingError('np.sinc(): Argument "x" must be a Number or array-like')
    dtype = np.result_type(as_dtype(_element(x)), np.float16)
    eps = np.finfo(dtype).eps if dtype.kind == "f" else 1e-20
    kernel = _sinc_kernel(dtype.type, eps)
    if isinstance(types.unliteral(x), _NUMBER):
        return lambda x: kernel(x)

    def impl(x):
        a = np.asarray(x)
        out = np.empty(a.shape, dtype)
        flat_in = a.ravel()
        flat_out = out.reshape(out.size)
        for i in range(flat_in.size):
            flat_out[i] = kernel(flat_in[i])
        return out
    return impl


# -- np.nan_to_num ------------------------------------------------------------------------------

def _replacer(cls, nan, posinf, neginf):
    """A kernel replacing NaN and infinities of the real type `cls` as nan_to_num does."""
    info = np.finfo(cls)
    big, small = cls(info.max), cls(info.min)

    @register_jitable
    def replace(v, nan, posinf, neginf):
        if v != v:
            return cls(nan)
        if v == np.inf:
            return cls(given(posinf, big))
        if v == -np.inf:
            return cls(given(neginf, small))
        return v
    return replace


@overload(np.nan_to_num)
def np_nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if not _is_numeric_like(x):
        raise TypingError("np.nan_to_num(): The first argument must be a scalar or an "
                          "array-like")
    element = _element(x)
    if not isinstance(element, (types.Float, types.Complex)):
        if isinstance(types.unliteral(x), _NUMBER):
            return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: x
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: \
            np.copy(np.asarray(x)) if copy else np.asarray(x)
    real = as_dtype(element).type(0).real.dtype.type
    fix = _replacer(real, nan, posinf, neginf)
    if isinstance(element, types.Complex):
        item = register_jitable(lambda v, nan, p, n: complex(
            fix(v.real, nan, p, n), fix(v.imag, nan, p, n)))
    else:
        item = fix
    if isinstance(types.unliteral(x), _NUMBER):
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: \
            item(x, nan, posinf, neginf)
    in_place = isinstance(types.unliteral(x), types.Array)  # copy=False can only act on arrays

    def impl(x, copy=True, nan=0.0, posinf=None, neginf=None):
        a = np.asarray(x)
        values = a.ravel()  # a C-ordered copy unless `a` is C-contiguous
        out = np.empty(values.size, a.dtype)
        for i in range(values.size):
            out[i] = item(values[i], nan, posinf, neginf)
        result = out.reshape(a.shape)
        if copy or not in_place:
            return result
        _assign(a, result)
        return a
    return impl


# == methods of the binary ufuncs: reduce, accumulate, outer, at ==================================
# `np.add.reduce(a, axis=0)`, `np.add.accumulate(a, axis=0)`, `np.multiply.outer(a, b)` and
# `np.add.at(a, indices, b)`, written on the ufunc's own scalar and array calls. Results take
# NumPy's dtypes: add and multiply reduce booleans and small integers in int64/uint64 (as
# np.sum), other ufuncs in their loop's output type.

BINARY = sorted((u for u in ALL_UFUNCS if u.nin == 2 and u.nout == 1), key=lambda u: u.__name__)


# -- typing helpers -----------------------------------------------------------------------------

def _name(ufunc, method) -> str:
    return f"np.{ufunc.__name__}.{method}()"


def _accumulator(ufunc, method, a, dtype):
    """The element type a reduction or accumulation computes in."""
    if dtype is not None and not isinstance(dtype, (types.NoneType, types.Omitted)):
        element = parse_dtype(dtype)
        wanted = as_dtype(element) if element is not None else None
        try:  # NumPy needs a loop taking and giving that dtype
            ufunc.resolve_dtypes((wanted, wanted, None), signature=(wanted,) * 3)
        except (TypeError, ValueError):
            raise TypingError(f"{_name(ufunc, method)}: unsupported dtype {dtype}") from None
        return element
    element = a.dtype
    if ufunc in (np.add, np.multiply) and isinstance(element, (types.Boolean, types.Integer)) \
            and as_dtype(element).itemsize < 8:
        element = types.uint64 if getattr(element, "signed", True) is False else types.int64
    loop = resolve_loop(ufunc, (types.Array(element, 1, "C"),) * 2)
    if loop is None:
        raise TypingError(f"{_name(ufunc, method)}: not supported for arrays of {a.dtype}")
    return loop[1][0]


def _check_array(ufunc, method, a):
    if not isinstance(a, types.Array) or not isinstance(a.dtype, (types.Number, types.Boolean)):
        raise TypingError(f"{_name(ufunc, method)}: the first argument must be a numeric "
                          f"array, not {a}")
    if a.ndim == 0:
        raise TypingError(f"{_name(ufunc, method)}: cannot work along an axis of a 0-d array")


def _literal_bool(ty, name, what):
    value = getattr(ty, "value", getattr(ty, "literal_value", ty))
    if value not in (True, False):
        raise TypingError(f"{name}: {what}= must be a constant True or False, not {ty}")
    return value


def _folder(ufunc, element):
    """fold(line): the reduction of a 1-d array; ValueError when empty without identity."""
    identity = ufunc.identity
    message = (f"zero-size array to reduction operation {ufunc.__name__} which has no "
               "identity")

    if identity is None:
        @register_jitable
        def empty_result(acc):
            raise ValueError(message)
    else:
        @register_jitable
        def empty_result(acc):
            acc[0] = identity
            return acc[0]

    @register_jitable
    def fold(line):
        acc = np.empty(1, element)
        if line.size == 0:
            return empty_result(acc)
        acc[0] = line[0]
        for k in range(1, line.size):
            acc[0] = ufunc(acc[0], line[k])
        return acc[0]
    fold.ufunc = ufunc
    return fold


# -- reduce, accumulate -------------------------------------------------------------------------

def _omitted_none(ty) -> bool:
    return ty is None or isinstance(ty, types.NoneType) or \
        (isinstance(ty, types.Omitted) and ty.value is None)


def _reduce_overload(ufunc):
    name = _name(ufunc, "reduce")

    def ol_reduce(self, array, axis=0, dtype=None, out=None, keepdims=False):
        _check_array(ufunc, "reduce", array)
        if not _omitted_none(out):
            raise TypingError(f"{name}: out= is not supported")
        keep = _literal_bool(keepdims, name, "keepdims")
        element = _accumulator(ufunc, "reduce", array, dtype)
        reduced = _reducer(name, array, axis, _folder(ufunc, element), element)
        if not keep:
            return lambda self, array, axis=0, dtype=None, out=None, keepdims=False: \
                reduced(array, axis)
        kept = _kept(array, axis)
        return lambda self, array, axis=0, dtype=None, out=None, keepdims=False: kept(
            reduced(array, axis), array.ndim, axis)
    return ol_reduce


def _reducer(name, array, axis, fold, element):
    """reduced(array, axis) for axis None (everything) or an integer."""
    if _omitted_none(axis):
        if array.ndim > 1 and not _reorderable(fold.ufunc, array.dtype):
            message = (f"reduction operation '{fold.ufunc.__name__}' is not reorderable, so at "
                       "most one axis may be specified")
            return register_jitable(lambda array, axis: _refuse(message,
                                                                np.zeros(1, element)[0]))
        return register_jitable(lambda array, axis: fold(array.ravel()))
    if not isinstance(types.unliteral(axis), types.Integer) and \
            not isinstance(axis, types.Omitted):
        raise TypingError(f"{name}: axis must be an integer or None, not {axis}")
    if array.ndim == 1:
        return register_jitable(lambda array, axis: fold(array[normalize_axis(axis, 1):]))

    def reduced(array, axis):
        lines = np.moveaxis(array, normalize_axis(axis, array.ndim), -1)
        out = np.empty(lines.shape[:-1], element)
        for index in np.ndindex(out.shape):
            out[index] = fold(lines[index])
        return out
    return register_jitable(reduced)


def _kept(array, axis):
    """kept(result, ndim, axis): a reduction's result with keepdims=True."""
    if _omitted_none(axis):
        ones = (1,) * array.ndim
        return register_jitable(lambda result, ndim, axis: np.asarray(result).reshape(ones))
    return register_jitable(lambda result, ndim, axis: np.expand_dims(
        np.asarray(result), normalize_axis(axis, ndim)))


def _reorderable(ufunc, element) -> bool:
    """Whether NumPy reduces over several axes at once with `ufunc` (asked of NumPy)."""
    try:
        ufunc.reduce(np.ones((1, 1), as_dtype(element)), axis=None)
    except ValueError:
        return False
    except TypeError:  # (the loop itself is refused: typing says so elsewhere)
        pass
    return True


@register_jitable
def _refuse(message, result):
    raise ValueError(message)
    return result  # (the type of a reduction's result)


def _accumulate_overload(ufunc):
    name = _name(ufunc, "accumulate")

    def ol_accumulate(self, array, axis=0, dtype=None, out=None):
        _check_array(ufunc, "accumulate", array)
        if not _omitted_none(out):
            raise TypingError(f"{name}: out= is not supported")
        if _omitted_none(axis) or not isinstance(types.unliteral(axis), types.Integer) and \
                not isinstance(axis, types.Omitted):
            raise TypingError(f"{name}: axis must be an integer, not {axis}")
        element = _accumulator(ufunc, "accumulate", array, dtype)
        if array.ndim == 1:
            def impl(self, array, axis=0, dtype=None, out=None):
                normalize_axis(axis, 1)
                result = np.empty(array.shape, element)
                _accumulate_line(array, result)
                return result
            return impl

        def impl(self, array, axis=0, dtype=None, out=None):
            result = np.empty(array.shape, element)
            ax = normalize_axis(axis, array.ndim)
            lines, targets = np.moveaxis(array, ax, -1), np.moveaxis(result, ax, -1)
            for index in np.ndindex(lines.shape[:-1]):
                _accumulate_line(lines[index], targets[index])
            return result
        return impl

    @register_jitable
    def _accumulate_line(line, target):
        for k in range(line.size):
            target[k] = line[k] if k == 0 else ufunc(target[k - 1], line[k])
    return ol_accumulate


# -- outer, at ------------------------------------------------------------------------------------

def _numeric(ty) -> bool:
    element = ty.dtype if isinstance(ty, types.Array) else types.unliteral(ty)
    return isinstance(element, (types.Number, types.Boolean))


def _outer_overload(ufunc):
    def ol_outer(self, A, B):
        if not (_numeric(A) and _numeric(B)):
            raise TypingError(f"{_name(ufunc, 'outer')}: the arguments must be numeric arrays "
                              f"or numbers, not {A} and {B}")
        if resolve_loop(ufunc, (A, B)) is None:
            raise TypingError(f"{_name(ufunc, 'outer')}: not supported for {A} and {B}")
        ones = (1,) * (B.ndim if isinstance(B, types.Array) else 0)
        if not isinstance(A, types.Array):
            return lambda self, A, B: ufunc(A, B)

        def impl(self, A, B):
            left = np.ascontiguousarray(np.asarray(A))
            return ufunc(left.reshape(left.shape + ones), B)
        return impl
    return ol_outer


def _at_overload(ufunc):
    name = _name(ufunc, "at")

    def ol_at(self, a, indices, b=None):
        if not isinstance(a, types.Array) or a.readonly or a.ndim == 0:
            raise TypingError(f"{name}: the first argument must be a writable array, not {a}")
        if not _index_like(indices):
            raise TypingError(f"{name}: indices must be an integer, an integer array or a list "
                              f"of integers (along the first axis), not {indices}")
        if _omitted_none(b) or not _numeric(b):
            raise TypingError(f"{name}: the operand b must be a number or a numeric array, "
                              f"not {b}")
        _check_at_cast(name, ufunc, a, b)

        def impl(self, a, indices, b=None):
            chosen = np.asarray(indices)
            flat = chosen.ravel()
            shape = chosen.shape + a.shape[1:]
            values = np.ascontiguousarray(np.broadcast_to(np.asarray(b), shape)).reshape(
                (flat.size,) + a.shape[1:])
            n = a.shape[0]
            for k in range(flat.size):
                i = flat[k]
                if i < -n or i >= n:
                    raise IndexError("index out of bounds for the first axis (ufunc.at)")
                a[i] = ufunc(a[i], values[k])
        return impl
    return ol_at


def _index_like(ty) -> bool:
    if isinstance(types.unliteral(ty), types.Integer):
        return True
    return isinstance(ty, (types.Array, types.List)) and isinstance(ty.dtype, types.Integer)


def _check_at_cast(name, ufunc, a, b):
    """NumPy's same_kind rule for storing the results back into `a`."""
    loop = resolve_loop(ufunc, (a, b))
    if loop is None:
        raise TypingError(f"{name}: not supported for {a} and {b}")
    result = as_dtype(loop[1][0])
    if not np.can_cast(result, as_dtype(a.dtype), "same_kind"):
        raise TypingError(f"{name}: Cannot cast ufunc '{ufunc.__name__}' output from "
                          f"{result!r} to {as_dtype(a.dtype)!r} with casting rule 'same_kind'")


_OVERLOADS = {name: {u: make(u) for u in BINARY} for name, make in (
    ("reduce", _reduce_overload), ("accumulate", _accumulate_overload),
    ("outer", _outer_overload), ("at", _at_overload))}


def _ufunc_overload(name, self):
    """The typer of method `name` for the ufunc `self` types as, or None (the methods are
    keyed by the Function class, so that the lazy index finds them from any ufunc)."""
    return _OVERLOADS[name].get(getattr(self, "typing_key", None))


@overload_method(types.Function, "reduce")
def ufunc_reduce(self, array, axis=0, dtype=None, out=None, keepdims=False):
    typer = _ufunc_overload("reduce", self)
    return typer and typer(self, array, axis, dtype, out, keepdims)


@overload_method(types.Function, "accumulate")
def ufunc_accumulate(self, array, axis=0, dtype=None, out=None):
    typer = _ufunc_overload("accumulate", self)
    return typer and typer(self, array, axis, dtype, out)


@overload_method(types.Function, "outer")
def ufunc_outer(self, A, B):
    typer = _ufunc_overload("outer", self)
    return typer and typer(self, A, B)


@overload_method(types.Function, "at")
def ufunc_at(self, a, indices, b=None):
    typer = _ufunc_overload("at", self)
    return typer and typer(self, a, indices, b)
