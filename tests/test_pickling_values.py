"""Pickling by value (issue 17): closures, nested functions, lambdas, exec'd code with
registered source and cfuncs reach another process with what it needs to compile them, the
source text included, so the process needs no source file. One pool per start method."""
import ast
import concurrent.futures
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import jitbridge
from jitbridge import cfunc, njit, pickling
from jitbridge.passthru import PassThruContainer

OFFSET = 100
_LOCK = threading.Lock()


def make_adder(k):
    @njit
    def add(x):
        return x + k + OFFSET
    return add


def make_factorial():
    @njit
    def fact(n):
        if n <= 1:
            return 1
        return n * fact(n - 1)  # the closure cell holds this very dispatcher
    return fact


def make_twice(k):
    inner = make_adder(k)

    @njit
    def twice(x):
        return inner(inner(x))  # a closure over another jitted closure
    return twice


def make_scaler(weights):
    @njit
    def scaled(i):
        return np.sqrt(weights[i]) * 2.0  # the array by value, the module by name
    return scaled


def make_typed(k):
    @njit("int64(int64)")
    def typed(x):
        return x * k
    return typed


def make_cfunc(k):
    @cfunc("float64(float64)")
    def times(x):
        return x * k
    return times


@cfunc("float64(float64)")
def halve(x):
    return x / 2.0


@njit
def give_back(box):
    return box


triple = njit(lambda x: x * 3)


def probe(f):
    """In a worker: which object the payload became, and how many specialisations it has."""
    return os.getpid(), id(f), f(1), len(f.overloads)


def call_cfunc(cf, x):
    return cf.ctypes(x), cf.address != 0


@pytest.fixture(scope="module")
def pools():
    made = {}

    def pool(method):
        if method not in multiprocessing.get_all_start_methods():
            pytest.skip(f"no {method} start method here")
        if method not in made:
            made[method] = multiprocessing.get_context(method).Pool(1)
        return made[method]
    yield pool
    for p in made.values():
        p.terminate()


METHODS = ["fork", "spawn", "forkserver"]


# -- in one process ------------------------------------------------------------------------------
def test_a_closure_pickles_by_value_and_rebuilds_once_per_payload():
    add = make_adder(1)
    data = pickle.dumps(add)
    first, again = pickle.loads(data), pickle.loads(pickle.dumps(add))
    assert first is again and first is not add  # one rebuilt dispatcher per sent one
    assert first(1) == 102 and first.py_func.__code__.co_filename.startswith("<jitbridge-pickled")
    other = pickle.loads(pickle.dumps(make_adder(2)))  # the same code over another value
    assert other is not first and other(1) == 103


@pytest.mark.parametrize("make, arg, expected", [
    (make_factorial, 5, 120), (lambda: make_twice(1), 1, 203), (lambda: triple, 4, 12),
    (lambda: make_scaler(np.arange(4.0) ** 2), 3, 6.0)],
    ids=["self-recursive", "closure-over-jitted", "lambda", "array-cell"])
def test_by_value_forms_round_trip(make, arg, expected):
    assert pickle.loads(pickle.dumps(make()))(arg) == expected


def test_explicit_signatures_travel_and_lock():
    copy = pickle.loads(pickle.dumps(make_typed(3)))
    assert copy(4) == 12 and [str(s) for s in copy.signatures] == ["(int64,)"]
    with pytest.raises(RuntimeError, match="compilation disabled"):
        copy.compile("(float64,)")


def test_a_global_that_does_not_pickle_is_named():
    @njit
    def locked(x):
        return x if _LOCK else 0
    with pytest.raises(pickle.PicklingError, match=r"'test_a_global.*locked'.* global '_LOCK' "
                                                   r"\(lock\) does not pickle"):
        pickle.dumps(locked)


def test_a_closure_variable_that_does_not_pickle_is_named():
    guard = threading.Lock()

    @njit
    def guarded(x):
        return x if guard else 0
    with pytest.raises(pickle.PicklingError, match="closure variable 'guard' .lock."):
        pickle.dumps(guarded)


def test_exec_code_pickles_with_registered_source_and_refuses_without():
    text = "from jitbridge import njit\n\ndef f(x):\n    return x - 1\n"
    shown = njit(jitbridge.compile_source(text, "f"))
    assert pickle.loads(pickle.dumps(shown))(5) == 4
    run = {}
    exec(compile(text, "<exec-text>", "exec"), run)  # a text exec ran: recorded, pickles
    assert pickle.loads(pickle.dumps(njit(run["f"])))(5) == 4
    hidden = {}  # compiled from a tree: no text was ever seen
    exec(compile(ast.parse(text), "<hidden>", "exec"), hidden)
    with pytest.raises(pickle.PicklingError, match="source of '<hidden>' is not available"):
        pickle.dumps(njit(hidden["f"]))


def test_a_payload_from_another_python_is_refused_clearly():
    rebuild, (kind, header, extra), *_ = make_adder(1).__reduce__()
    with pytest.raises(pickle.UnpicklingError, match="Python 2.7.*same Python version"):
        rebuild(kind, {**header, "magic": b"\0\0\r\n", "python": "2.7.18"}, extra)


def test_cfuncs_pickle_by_reference_or_by_value():
    assert pickle.loads(pickle.dumps(halve)) is halve
    copy = pickle.loads(pickle.dumps(make_cfunc(2.5)))
    assert copy.ctypes(2.0) == 5.0 and copy.address != 0


def test_a_pass_through_container_pickles_with_its_object():
    copy = pickle.loads(pickle.dumps(PassThruContainer({"a": [1, 2]})))
    assert isinstance(copy, PassThruContainer) and copy.obj == {"a": [1, 2]}


# -- in other processes --------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_workers_run_closures_nested_and_recursive_functions(pools, method):
    pool = pools(method)
    assert pool.map(make_adder(2), range(3)) == [102, 103, 104]
    assert pool.map(make_twice(1), [0]) == [202]
    assert pool.apply(make_factorial(), (6,)) == 720
    assert pool.apply(call_cfunc, (make_cfunc(3.0), 2.0)) == (6.0, True)
    box = PassThruContainer({"x": 1})
    assert pool.apply(give_back, (box,)).obj == {"x": 1}


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_compiles_a_payload_once(pools, method):
    add = make_adder(5)
    seen = pools(method).map(probe, [add] * 4, chunksize=1)  # unpickled once per task
    assert {(pid, ident) for pid, ident, _, _ in seen} == {seen[0][:2]}
    assert [(value, count) for _, _, value, count in seen] == [(106, 1)] * 4


def test_a_process_pool_executor_runs_a_closure():
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as executor:
        assert list(executor.map(make_adder(3), [1, 2])) == [104, 105]


def test_a_process_without_the_source_file(tmp_path):
    """The payload carries the text: the defining file is gone, and a different file now at
    its path is neither read nor replaced in the receiving process."""
    path = tmp_path / "gone_module.py"
    path.write_text("from jitbridge import njit\n\ndef make(k):\n    @njit\n    def f(x):\n"
                    "        return x * k\n    return f\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import gone_module
        data = pickle.dumps(gone_module.make(7))
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("gone_module", None)
    path.write_text("IMPOSTOR = 1\n")
    script = textwrap.dedent(f"""
        import linecache, pickle, sys
        f = pickle.loads(sys.stdin.buffer.read())
        print(f(6), linecache.getlines({str(path)!r}) == ["IMPOSTOR = 1\\n"])
    """)
    done = subprocess.run([sys.executable, "-c", script], input=data, capture_output=True,
                          timeout=120)
    assert done.stdout.decode().split() == ["42", "True"], done.stderr.decode()[-2000:]


def test_the_memo_is_bounded_and_one_text_is_registered_once():
    copies = [pickle.loads(pickle.dumps(make_adder(k)))
              for k in range(pickling._MEMO_SIZE + 5)]
    assert len(pickling._memo) == pickling._MEMO_SIZE
    assert len({c.py_func.__code__.co_filename for c in copies}) == 1
