"""cache=True: entries written by one process are loaded by the next without compiling, and
every change that could alter the code (own source, a callee in another module, a frozen
global, a closure value) compiles afresh; damaged or racing cache files never crash."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from jitbridge.caching import store

USECASES = '''
import numpy as np
from jitbridge import njit, objmode
import helper

SCALE = 3

@njit(cache=True)
def add(x, y):
    return x + y * SCALE

@njit(cache=True)
def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += helper.twice(a[i])
    return s

@njit(cache=True)
def with_objmode(n):
    with objmode(y="int64"):
        y = n * 10
    return y + 1

def make_adder(k):
    @njit(cache=True)
    def adder(x):
        return x + k
    return adder
'''

HELPER = '''
from jitbridge import njit

@njit(cache=True)
def twice(x):
    return 2 * x
'''

DRIVER = '''
import json, sys, warnings
import numpy as np
warnings.simplefilter("error")  # a cache that cannot be used must say so
import usecases
calls = {
    "add_int": lambda: usecases.add(2, 3),
    "add_float": lambda: usecases.add(2.5, 1),
    "total": lambda: usecases.total(np.arange(4.0)),
    "objmode": lambda: usecases.with_objmode(4),
    "closure5": lambda: usecases.make_adder(5)(1),
    "closure7": lambda: usecases.make_adder(7)(1),
}
names = sys.argv[1].split(",")
values = {name: calls[name]() for name in names}
stats = {}
for func in (usecases.add, usecases.total, usecases.with_objmode, usecases.helper.twice):
    stats[func.__name__] = [sum(func.stats.cache_hits.values()),
                            sum(func.stats.cache_misses.values())]
print(json.dumps({"values": values, "stats": stats}))
'''


@pytest.fixture
def project(tmp_path):
    (tmp_path / "usecases.py").write_text(USECASES)
    (tmp_path / "helper.py").write_text(HELPER)
    (tmp_path / "driver.py").write_text(DRIVER)
    return tmp_path


def isolated_environment(folder, env=None) -> dict:
    """This environment, with the per-user cache (the runtime's object code) under `folder`."""
    environment = {k: v for k, v in os.environ.items() if k != "JITBRIDGE_CACHE_DIR"}
    environment["XDG_CACHE_HOME"] = str(folder / "user-cache")
    environment.update(env or {})
    return environment


def run(folder, names, env=None):
    environment = isolated_environment(folder, env)
    proc = subprocess.run([sys.executable, "driver.py", names], cwd=folder, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def cache_files(folder):
    return sorted(f for f in os.listdir(folder / "__pycache__") if f.endswith((".nbi", ".nbc")))


def test_second_process_loads_every_specialisation(project):
    first = run(project, "add_int,add_float,total,objmode")
    assert first["values"] == {"add_int": 11, "add_float": 5.5, "total": 12.0, "objmode": 41}
    assert first["stats"]["add"] == [0, 2] and first["stats"]["with_objmode"] == [0, 1]
    files = cache_files(project)
    assert sum(f.endswith(".jitbridge.nbi") for f in files) == 4  # add, total, twice, with_objmode
    assert sum(f.endswith(".nbc") for f in files) == 5  # add x2, total, twice, with_objmode
    second = run(project, "add_int,add_float,total,objmode")
    assert second["values"] == first["values"]
    assert second["stats"]["add"] == [2, 0] and second["stats"]["total"] == [1, 0]
    assert second["stats"]["with_objmode"] == [1, 0]
    assert second["stats"]["twice"] == [0, 0]  # its code is inside total's


def test_own_source_edit_recompiles(project):
    run(project, "add_int")
    edit(project / "usecases.py", "return x + y * SCALE", "return x - y * SCALE")
    after = run(project, "add_int")
    assert after["values"]["add_int"] == 2 - 3 * 3 and after["stats"]["add"] == [0, 1]


def test_callee_edit_in_another_module_recompiles_caller(project):
    run(project, "total")
    edit(project / "helper.py", "return 2 * x", "return 3 * x")
    after = run(project, "total")
    assert after["values"]["total"] == 18.0 and after["stats"]["total"] == [0, 1]


def test_frozen_global_change_recompiles(project):
    run(project, "add_int")
    edit(project / "usecases.py", "SCALE = 3", "SCALE = 4")
    after = run(project, "add_int")
    assert after["values"]["add_int"] == 14 and after["stats"]["add"] == [0, 1]


def test_closure_values_are_part_of_the_key(project):
    first = run(project, "closure5,closure7")
    second = run(project, "closure7,closure5")
    assert first["values"] == second["values"] == {"closure5": 6, "closure7": 8}


@pytest.mark.parametrize("damage", ["garbage", *(pytest.param(d, marks=pytest.mark.slow)
                                                for d in ("truncate", "empty"))])
def test_damaged_cache_files_are_recompiled(project, damage):
    run(project, "add_int,total")
    for name in cache_files(project):
        path = project / "__pycache__" / name
        data = path.read_bytes()
        path.write_bytes({"truncate": data[:len(data) // 2], "garbage": os.urandom(len(data)),
                          "empty": b""}[damage])
    after = run(project, "add_int,total")
    assert after["values"] == {"add_int": 11, "total": 12.0}
    assert after["stats"]["add"] == [0, 1]
    assert run(project, "add_int")["stats"]["add"] == [1, 0]  # rewritten whole


def test_racing_processes_share_a_consistent_cache(project):
    environment = isolated_environment(project)
    procs = [subprocess.Popen([sys.executable, "driver.py", "add_int,add_float,total"],
                              cwd=project, env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert json.loads(out.strip().splitlines()[-1])["values"]["total"] == 12.0
    for name in cache_files(project):
        assert store.read(str(project / "__pycache__" / name)) is not None, name
    assert not [f for f in os.listdir(project / "__pycache__") if f.endswith(".part")]
    after = run(project, "add_int,add_float,total")
    assert after["values"] == {"add_int": 11, "add_float": 5.5, "total": 12.0}


def test_cache_dir_environment_variable(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("cache")
    run(project, "add_int", {"JITBRIDGE_CACHE_DIR": str(elsewhere)})
    assert not (project / "__pycache__").exists() or not cache_files(project)
    [folder] = [f for f in os.listdir(elsewhere) if (elsewhere / f).is_dir()]
    assert any(f.endswith(".nbc") for f in os.listdir(elsewhere / folder))
    assert [f for f in os.listdir(elsewhere) if f.startswith("jitbridge-runtime.")]
    again = run(project, "add_int", {"JITBRIDGE_CACHE_DIR": str(elsewhere)})
    assert again["stats"]["add"] == [1, 0]


def test_unwritable_source_folder_uses_the_user_cache(project, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    (project / "__pycache__").write_text("a file where the folder would be")
    run(project, "add_int", {"XDG_CACHE_HOME": str(home)})
    again = run(project, "add_int", {"XDG_CACHE_HOME": str(home)})
    assert again["stats"]["add"] == [1, 0]
    root = home / "jitbridge"
    [folder] = [f for f in os.listdir(root) if (root / f).is_dir()]
    assert any(f.startswith("usecases.add-") for f in os.listdir(root / folder))


def test_store_reads_back_only_what_it_wrote(tmp_path):
    path = str(tmp_path / "entry.nbc")
    assert store.write(path, {"a": [1, 2]}) and store.read(path) == {"a": [1, 2]}
    with open(path, "r+b") as handle:
        handle.seek(-1, os.SEEK_END)
        last = handle.read(1)
        handle.seek(-1, os.SEEK_END)
        handle.write(bytes([last[0] ^ 1]))
    assert store.read(path) is None
    assert store.read(str(tmp_path / "missing.nbc")) is None


def test_uncachable_code_warns_and_still_runs(tmp_path):
    (tmp_path / "local_class.py").write_text(textwrap.dedent('''
        import warnings
        from jitbridge import njit
        def make():
            class Local(Exception):
                pass
            @njit(cache=True)
            def f(x):
                if x < 0:
                    raise Local("negative")
                return x
            return f
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            print(make()(3))
        print([str(w.message) for w in caught])
    '''))
    proc = subprocess.run([sys.executable, "local_class.py"], cwd=tmp_path, text=True,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    value, messages = proc.stdout.strip().splitlines()
    assert value == "3"
    assert 'Cannot cache compiled function "make.<locals>.f" as it uses dynamic globals' \
        in messages and "Local" in messages


def test_recompile_freezes_globals_again_and_replaces_the_cached_code(project):
    (project / "recompiling.py").write_text(textwrap.dedent('''
        import sys
        import usecases
        if sys.argv[1] == "change":
            assert usecases.add(2, 3) == 11
            usecases.SCALE = 10
            assert usecases.add(2, 3) == 11  # frozen when compiled
            usecases.add.recompile()
        print(usecases.add(2, 3), sum(usecases.add.stats.cache_hits.values()))
    '''))
    environment = isolated_environment(project)
    outputs = [subprocess.run([sys.executable, "recompiling.py", step], cwd=project,
                              env=environment, capture_output=True, text=True, timeout=120)
               for step in ("change", "again")]
    assert [p.returncode for p in outputs] == [0, 0], [p.stderr for p in outputs]
    assert outputs[0].stdout.split() == ["32", "0"]
    assert outputs[1].stdout.split() == ["11", "1"]  # the file says SCALE = 3 again


def test_runtime_object_code_is_stored_once_and_loaded_after(project):
    runtime_files = lambda: list((project / "user-cache" / "jitbridge").glob(
        "jitbridge-runtime.*.nbc"))
    check = "import jitbridge.compiler as c; print(c.ensure_runtime().loaded)"
    probe = lambda: subprocess.run([sys.executable, "-c", check], cwd=project, text=True,
                                   env=isolated_environment(project), capture_output=True,
                                   timeout=120).stdout.strip()
    assert not runtime_files()
    assert probe() == "False"  # built by the first process, and stored
    [stored] = runtime_files()
    assert probe() == "True"
    assert run(project, "objmode,total")["values"] == {"objmode": 41, "total": 12.0}
    stored.write_bytes(stored.read_bytes()[:100])  # damaged: built again, never loaded
    assert probe() == "False"
    assert probe() == "True"  # (and stored again)


def test_only_the_newest_runtime_files_are_kept(tmp_path):
    from jitbridge.caching import runtime_code
    old = [tmp_path / f"jitbridge-runtime.old{i}.nbc" for i in range(runtime_code.KEEP + 3)]
    for age, path in enumerate(old):
        path.write_bytes(b"x")
        os.utime(path, ns=(age * 10**9, age * 10**9))
    (tmp_path / "unrelated.nbc").write_bytes(b"x")
    runtime_code._prune(str(tmp_path))
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([p.name for p in old[-runtime_code.KEEP:]] + ["unrelated.nbc"])


def test_mutual_recursion_is_cached_without_a_warning(tmp_path):
    (tmp_path / "mutual.py").write_text(textwrap.dedent('''
        import warnings
        warnings.simplefilter("error")
        from jitbridge import njit

        @njit(cache=True)
        def is_even(n):
            return True if n == 0 else is_odd(n - 1)

        @njit(cache=True)
        def is_odd(n):
            return False if n == 0 else is_even(n - 1)

        print(is_even(10), is_odd(7), is_even(7),
              *[sum(f.stats.cache_hits.values()) for f in (is_even, is_odd)])
    '''))
    outputs = [subprocess.run([sys.executable, "mutual.py"], cwd=tmp_path, text=True,
                              env=isolated_environment(tmp_path), capture_output=True,
                              timeout=120) for _ in range(3)]
    assert [p.returncode for p in outputs] == [0, 0, 0], [p.stderr for p in outputs]
    # is_odd, compiled while is_even was, calls it through a slot of that process: stored
    # by the next process, which compiles it calling is_even's loaded code directly
    assert [p.stdout.split() for p in outputs] == [
        ["True", "True", "False", "0", "0"], ["True", "True", "False", "1", "0"],
        ["True", "True", "False", "1", "1"]]


def test_no_writable_folder_anywhere_warns_and_still_runs(project):
    (project / "__pycache__").write_text("a file where the folder would be")
    (project / "not-a-folder").write_text("")
    environment = isolated_environment(project, {"XDG_CACHE_HOME": str(project / "not-a-folder")})
    proc = subprocess.run([sys.executable, "-W", "always", "-c",
                           "import usecases; print(usecases.add(2, 3))"], cwd=project,
                          env=environment, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "11", proc.stderr
    assert 'Cannot cache compiled function "add" as no cache folder can be written' \
        in proc.stderr
