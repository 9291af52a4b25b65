"""Ray (where it installs; the `ray` extra) runs jitted closures in its worker processes,
which cannot read their defining file (issue 17): they travel by value."""
import os
import sys

import pytest

ray = pytest.importorskip("ray")

MODULE = '''
from jitbridge import njit

def make_scaled(k):
    @njit
    def scaled(x):
        return x * k + 1
    return scaled
'''


def test_a_ray_worker_runs_a_closure_without_its_file(tmp_path, monkeypatch):
    (tmp_path / "ray_jit_module.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    import ray_jit_module
    scaled = ray_jit_module.make_scaled(3)
    (tmp_path / "ray_jit_module.py").unlink()
    sys.modules.pop("ray_jit_module")
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": ""}})
    try:
        @ray.remote
        def apply(func, x):
            return func(x), os.getpid()
        value, pid = ray.get(apply.remote(scaled, 4))
        assert value == 13 and pid != os.getpid()
    finally:
        ray.shutdown()
