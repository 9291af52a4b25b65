"""A real Dask cluster with a process worker runs jitted closures whose defining file it cannot
read (issue 17): the file is deleted before anything is submitted. Dask is a test extra
(`pip install .[dask]`); the test is skipped without it."""
import os
import sys

import pytest

distributed = pytest.importorskip("distributed")

MODULE = '''
import numpy as np
from jitbridge import cfunc, njit

def make_weighted(weights):
    @njit
    def helper(i):
        return weights[i]

    @njit
    def weighted(i):
        return helper(i) * SCALE + np.float64(i)
    return weighted

def make_cfunc(k):
    @cfunc("float64(float64)")
    def times(x):
        return x * k
    return times

SCALE = 10.0
'''


@pytest.fixture()
def vanished_module(tmp_path):
    path = tmp_path / "vanished_jit_module.py"
    path.write_text(MODULE)
    sys.path.insert(0, str(tmp_path))
    try:
        import vanished_jit_module
        yield vanished_jit_module
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("vanished_jit_module", None)


def test_a_dask_process_worker_runs_closures_without_their_file(vanished_module, tmp_path):
    weighted = vanished_module.make_weighted((1.0, 2.0, 3.0))
    times = vanished_module.make_cfunc(4.0)
    (tmp_path / "vanished_jit_module.py").unlink()  # the worker can import nothing from it
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert client.submit(weighted, 2).result() == 32.0
        assert client.gather(client.map(weighted, [0, 1])) == [10.0, 21.0]
        assert list(client.run(os.getpid).values()) != [os.getpid()]  # another process
        # the lambda goes by Dask's cloudpickle, the cfunc by value inside it
        assert client.submit(lambda cf, x: (cf.ctypes(x), cf.address != 0), times,
                             2.0).result() == (8.0, True)
