"""Pickling jitted functions (issue 17, first step): a decorated module-level function pickles
by reference, as a plain function does, so multiprocessing works with every start method; a
dispatcher its module does not name pickles by value (its Python function and options)."""
import multiprocessing
import pickle

import pytest

from jitbridge import njit


@njit
def square(x):
    return x * x


def _plain_cube(x):
    return x * x * x


cube = njit(_plain_cube)  # named `cube` here; its qualified name is `_plain_cube`'s


def test_a_decorated_function_pickles_by_reference():
    assert square(3) == 9
    data = pickle.dumps(square)
    assert b"square" in data and len(data) < 200  # a reference, not the function's code
    assert pickle.loads(data) is square


@pytest.mark.parametrize("dispatcher", [cube, njit(_plain_cube)], ids=["renamed", "unnamed"])
def test_a_dispatcher_its_module_does_not_name_pickles_by_value(dispatcher):
    copy = pickle.loads(pickle.dumps(dispatcher))
    assert copy is not dispatcher and copy.py_func is _plain_cube and copy(2) == 8


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_worker_processes_run_jitted_functions(method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    with multiprocessing.get_context(method).Pool(2) as pool:
        assert pool.map(square, range(6)) == [x * x for x in range(6)]
