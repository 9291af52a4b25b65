"""cache=True with parallel=True: a second process loads the parallel code (prange loops,
parallel array expressions) from the cache, building the threading layer it calls, and gets
the same results."""
import json
import subprocess
import sys

from tests.caching.test_disk_cache import isolated_environment

USECASES = '''
import numpy as np
from jitbridge import njit, prange

@njit(parallel=True, cache=True)
def spread(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * 2
    return s + np.sum(a * 3 + 1)
'''

DRIVER = '''
import json
import numpy as np
import usecases
a = np.arange(50_000.0)
value = usecases.spread(a)
stats = usecases.spread.stats
print(json.dumps([value, sum(stats.cache_hits.values()), sum(stats.cache_misses.values())]))
'''


def run(folder):
    proc = subprocess.run([sys.executable, "driver.py"], cwd=folder, capture_output=True,
                          text=True, timeout=120, env=isolated_environment(folder))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_second_process_loads_parallel_code(tmp_path):
    (tmp_path / "usecases.py").write_text(USECASES)
    (tmp_path / "driver.py").write_text(DRIVER)
    a = __import__("numpy").arange(50_000.0)
    expected = float((a * 2).sum() + (a * 3 + 1).sum())
    assert run(tmp_path) == [expected, 0, 1]
    assert run(tmp_path) == [expected, 1, 0]
