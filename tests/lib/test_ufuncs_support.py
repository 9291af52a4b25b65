"""Shared inputs and comparison for the ufunc tests (no tests here): NumPy is the oracle."""
from __future__ import annotations

import warnings

import numpy as np

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.uint32, np.int64, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]
#: results computed by libm or by a formula NumPy's SIMD/libm may round differently
TRANSCENDENTAL = set("""logaddexp logaddexp2 exp exp2 log log2 log10 expm1 log1p sqrt cbrt sin
cos tan arcsin arccos arctan arctan2 hypot sinh cosh tanh arcsinh arccosh arctanh power
float_power deg2rad rad2deg degrees radians""".split())
FLOATS = [0.0, -0.0, 0.5, -1.5, 2.5, 3.0, -7.25, 1e-310, 1e30, np.inf, -np.inf, np.nan]
FINITE = [0.0, 0.5, -1.5, 2.5, 3.0, -0.25, 0.75]


def values(dtype, special=True) -> np.ndarray:
    """A 1-d array of interesting values of `dtype`."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.array([True, False, True])
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        raw = [0, 1, 2, 3, 7, 100, info.max, info.min]
        raw += [] if dtype.kind == "u" else [-1, -2, -3, -100]
        return np.array(raw, dtype=dtype)
    reals = FLOATS if special else FINITE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dtype.kind == "f":
            return np.array(reals, dtype=dtype)
        parts = reals[::2] if special else reals
        return np.array([complex(r, i) for r in parts for i in parts], dtype=dtype)


def numpy_result(fn, *args):
    """NumPy's answer, or the exception type it raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - any exception NumPy raises is the answer
            return type(exc)


def assert_same(got, want, close=False, signed_zeros=True):
    """Equal values and dtypes; nan where NumPy has nan; signed zeros unless `close`."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w, close, signed_zeros)
        return
    want = np.asarray(want)
    if isinstance(got, np.ndarray):
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
    got = np.asarray(got, dtype=want.dtype)
    assert got.shape == want.shape
    if close and want.dtype.kind in "fc":
        tol = 8 * np.finfo(want.dtype).eps
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, equal_nan=True)
        return
    equal = (got == want) | ((got != got) & (want != want))
    assert equal.all(), f"differs at {np.argwhere(~equal)[:5].tolist()}: {got[~equal][:5]} " \
                        f"instead of {want[~equal][:5]}"
    if want.dtype.kind == "f" and signed_zeros:
        same_sign = np.signbit(got) == np.signbit(want)
        assert (same_sign | np.isnan(want)).all(), (got, want)


def _factory_source(count: int, nin: int) -> str:
    names = [[f"a{k}_{i}" for i in range(nin)] for k in range(count)]
    params = ", ".join(n for group in names for n in group)
    calls = "".join(f"ufunc({', '.join(group)}), " for group in names)
    return (f"def make_{count}_{nin}(ufunc):\n    def batch({params}):\n"
            f"        return ({calls})\n    return batch\n")


_factories: dict = {}


def batch_factory(count: int, nin: int):
    """make(ufunc) -> a function applying `ufunc` to `count` groups of `nin` arguments and
    returning the results as a tuple: one compilation checks many dtypes (compiling costs a
    fixed ~0.1 s a function, and a few hundredths a loop). Written to a real source file, as
    compiled functions need one."""
    key = (count, nin)
    if key not in _factories:
        import importlib.util
        import tempfile
        path = f"{tempfile.mkdtemp(prefix='ufunc_batches_')}/ufunc_batch_{count}_{nin}.py"
        with open(path, "w") as handle:
            handle.write(_factory_source(count, nin))
        spec = importlib.util.spec_from_file_location(f"ufunc_batch_{count}_{nin}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _factories[key] = getattr(module, f"make_{count}_{nin}")
    return _factories[key]
