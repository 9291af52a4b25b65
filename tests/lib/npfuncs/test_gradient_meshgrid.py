"""Differential tests of np.gradient (gradients.py) and np.meshgrid / np.diag_indices
(grids_more.py) against NumPy: exact values and dtypes."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def same(got, expected):
    if isinstance(expected, (tuple, list)):
        assert type(got) is tuple and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


grad = njit(lambda f: np.gradient(f))
grad_h = njit(lambda f, h, e: np.gradient(f, h, edge_order=e))
grad_axis = njit(lambda f, h, a: np.gradient(f, h, axis=a))
grad_2 = njit(lambda f, a, b, e: np.gradient(f, a, b, edge_order=e))
grad_axes = njit(lambda f, a: np.gradient(f, axis=a))

rng = np.random.default_rng(13)
ARRAYS = [rng.normal(size=7), rng.integers(-9, 9, size=(4, 5)),
          rng.normal(size=(3, 4, 5)).astype(np.float32), rng.normal(size=(6, 3))[::2, ::-1],
          (rng.normal(size=(3, 4)) + 1j * rng.normal(size=(3, 4))),
          np.asfortranarray(rng.normal(size=(4, 3))), np.arange(5, dtype=np.uint8),
          (rng.normal(size=5) + 1j).astype(np.complex64)]
# each dtype and dimension compiles kernels of its own: one case in the default run
SLOW = pytest.mark.slow


@pytest.mark.parametrize("f", [ARRAYS[0]] + [pytest.param(f, marks=SLOW) for f in ARRAYS[1:]],
                         ids=range(len(ARRAYS)))
def test_gradient_default_and_scalar_spacing(f):
    same(grad(f), np.gradient(f))
    for e in (1, 2):
        same(grad_h(f, 0.3, e), np.gradient(f, 0.3, edge_order=e))


@SLOW
def test_gradient_integer_spacing():
    f = ARRAYS[1]
    same(grad_h(f, 3, 1), np.gradient(f, 3))


@SLOW
def test_gradient_coordinates():
    f = rng.normal(size=(5, 6))
    x = np.cumsum(rng.uniform(0.1, 1, 5))
    y32 = np.cumsum(rng.uniform(0.1, 1, 6)).astype(np.float32)
    for e in (1, 2):
        same(grad_2(f, x, y32, e), np.gradient(f, x, y32, edge_order=e))
        same(grad_2(f, np.arange(0, 10, 2), 0.5, e), np.gradient(f, np.arange(0, 10, 2), 0.5,
                                                                  edge_order=e))
        f32 = f.astype(np.float32)
        same(grad_2(f32, x, y32, e), np.gradient(f32, x, y32, edge_order=e))
        fc = f + 1j * f[::-1]
        same(grad_2(fc, x, y32[::-1].copy(), e), np.gradient(fc, x, y32[::-1], edge_order=e))
    same(grad_h(f[0], x[::-1][:6] if False else np.linspace(0, 1, 6), 1),
         np.gradient(f[0], np.linspace(0, 1, 6)))


def test_gradient_axes():
    f = rng.normal(size=(3, 4, 5))
    for axes in ((0, 2), (-1, 0)):
        same(grad_axes(f, axes), np.gradient(f, axis=axes))


@SLOW
def test_gradient_one_axis():
    f = np.arange(12).reshape(3, 4)
    same(grad_axis(f, 2.0, 1), np.gradient(f, 2.0, axis=1))
    f = rng.normal(size=(3, 4, 5))
    for axis in (0, 1, -1):
        same(grad_axis(f, 0.5, axis), np.gradient(f, 0.5, axis=axis))


def test_gradient_errors():
    with pytest.raises(ValueError, match="too small"):
        grad(np.ones(1))
    with pytest.raises(ValueError, match="too small"):
        grad(np.ones(0))
    with pytest.raises(ValueError, match="too small"):
        grad_h(np.ones(2), 1.0, 2)
    with pytest.raises(ValueError, match="greater than 2"):
        grad_h(np.ones(5), 1.0, 3)
    with pytest.raises(ValueError, match="must match the length"):
        grad_h(np.ones(5), np.arange(4.0), 1)
    with pytest.raises(ValueError, match="repeated axis"):
        grad_axes(np.ones((3, 3, 3)), (0, -3))
    with pytest.raises(ValueError, match="out of bounds"):
        grad_axes(np.ones((3, 3, 3)), (0, 3))
    with pytest.raises(TypingError, match="invalid number of arguments"):
        grad_2(np.ones(5), 1.0, 1.0, 1)
    with pytest.raises(TypingError, match="distances must be either scalars or 1d"):
        grad_2(np.ones((3, 3)), np.ones((3, 3)), 1.0, 1)
    with pytest.raises(TypingError, match="booleans"):
        grad(np.ones(3, np.bool_))


mesh = njit(lambda a, b: np.meshgrid(a, b))
mesh_ij = njit(lambda a, b, c: np.meshgrid(a, b, c, indexing="ij"))
mesh_sparse = njit(lambda a, b, c: np.meshgrid(a, b, c, sparse=True))
mesh_view = njit(lambda a, b: np.meshgrid(a, b, copy=False))
mesh_runtime = njit(lambda a, b, s: np.meshgrid(a, b, indexing=s))
mesh_one = njit(lambda a: np.meshgrid(a))
mesh_none = njit(lambda: np.meshgrid())

MESH = [(np.arange(3.0), np.arange(4)),
        (np.array([1 + 1j, 2j]), np.arange(6, dtype=np.float32).reshape(2, 3)),
        (np.arange(10)[::3], [True, False]), (np.empty(0), np.arange(2))]


@pytest.mark.parametrize("a, b", [MESH[0]] + [pytest.param(*m, marks=SLOW) for m in MESH[1:]],
                         ids=range(len(MESH)))
def test_meshgrid(a, b):
    same(mesh(a, b), np.meshgrid(a, b))
    same(mesh_sparse(a, b, (1, 2)), np.meshgrid(a, b, (1, 2), sparse=True))


@pytest.mark.parametrize("a, b", [pytest.param(*m, marks=SLOW) for m in MESH],
                         ids=range(len(MESH)))
def test_meshgrid_options(a, b):
    same(mesh_ij(a, b, a), np.meshgrid(a, b, a, indexing="ij"))
    same(mesh_view(a, b), np.meshgrid(a, b, copy=False))
    same(mesh_runtime(a, b, "ij"), np.meshgrid(a, b, indexing="ij"))
    same(mesh_one(b), np.meshgrid(b))


def test_meshgrid_errors_and_edge_cases():
    assert mesh_none() == ()
    a, b = MESH[0]
    with pytest.raises(ValueError, match="Valid values for `indexing`"):
        mesh_runtime(a, b, "yx")
    with pytest.raises(TypingError, match="must be array-like"):
        mesh("ab", np.ones(2))
    # copy=False gives views of the inputs (read-only in compiled code)
    a = np.arange(3.0)
    view = mesh_view(a, b)[0]
    a[1] = 9
    assert view[1, 1] == 9 and not view.flags.writeable


diag = njit(lambda n: np.diag_indices(n))
diag3 = njit(lambda n: np.diag_indices(n, 3))
diag_from = njit(lambda a: np.diag_indices_from(a))


def test_diag_indices():
    for n in (0, 1, 4):
        same(diag(n), np.diag_indices(n))
        same(diag3(n), np.diag_indices(n, 3))
    same(diag_from(np.ones((3, 3, 3))), np.diag_indices_from(np.ones((3, 3, 3))))
    with pytest.raises(ValueError, match="equal length"):
        diag_from(np.ones((3, 2)))
    with pytest.raises(TypingError, match="at least 2-d"):
        diag_from(np.ones(3))


def test_no_leaks():
    f, a, b = np.arange(24.0).reshape(2, 3, 4), *MESH[0]  # (types compiled above)
    with no_leaks(f):
        grad(f[0, 0])
        grad_axes(f, (0, 2))
        mesh(a, b)
        mesh_view(a, b)
        diag(3)
