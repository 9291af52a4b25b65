"""Jitted functions of a main script in worker processes (issue 17): a script file under every
start method (a spawn or forkserver worker re-imports it as `__mp_main__`), and text run with
`python -` or `python -c` through jitbridge.compile_source (no file to re-import at all). Each
script runs in a fresh interpreter and prints what its workers computed."""
import subprocess
import sys

SCRIPT = '''
import concurrent.futures
import multiprocessing
import sys
from jitbridge import cfunc, njit


@njit
def square(x):
    return x * x


@njit
def is_even(n):
    return True if n == 0 else is_odd(n - 1)


@njit
def is_odd(n):  # mutual recursion: each one's globals hold the other
    return False if n == 0 else is_even(n - 1)


@cfunc("int64(int64)")
def negate(x):
    return -x


def make_power(p):
    @njit
    def power(x):
        return x ** p
    return power


def own_square(f):
    """In a worker: whether the payload became the worker's own __main__.square."""
    return f is sys.modules["__main__"].square, f(3)


def call_cfunc(cf):
    return cf.ctypes(5)


if __name__ == "__main__":
    for method in sys.argv[1:]:
        with multiprocessing.get_context(method).Pool(1) as pool:
            print(method, pool.map(square, [1, 2]), pool.map(is_even, [3, 4]),
                  pool.map(make_power(3), [2]), pool.apply(own_square, (square,)),
                  pool.apply(call_cfunc, (negate,)))
    context = multiprocessing.get_context(sys.argv[-1])
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as executor:
        print("executor", list(executor.map(square, [5])))
'''

SOURCE_TEXT = '''
import multiprocessing
import sys
import jitbridge

ns = jitbridge.compile_source("""
from jitbridge import njit

@njit
def cube(x):
    return x * x * x

def make_shift(k):
    @njit
    def shift(x):
        return cube(x) + k
    return shift
""")
# into __main__ itself: functions of module __main__ that no worker can look up
jitbridge.compile_source("""
@jitbridge.njit
def halve(x):
    return x // 2
""", globals=globals())

if __name__ == "__main__":
    for method in METHODS:
        with multiprocessing.get_context(method).Pool(1) as pool:
            print(method, pool.map(ns["cube"], [2]), pool.map(ns["make_shift"](1), [2]),
                  pool.map(halve, [9]))
'''


def _methods():
    import multiprocessing
    return [m for m in ("fork", "spawn", "forkserver")
            if m in multiprocessing.get_all_start_methods()]


def _run(args, **kws) -> list:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120,
                          **kws)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


def test_a_main_script_under_every_start_method(tmp_path):
    script = tmp_path / "main_script.py"
    script.write_text(SCRIPT)
    methods = _methods()
    lines = _run([str(script), *methods], cwd=tmp_path)
    # the worker's own __main__.square serves under every method: inherited (fork), or the
    # script re-imported as __mp_main__ (spawn, forkserver), so its compiled code is shared
    expected = [f"{m} [1, 4] [False, True] [8] (True, 9) -5" for m in methods]
    assert lines == expected + ["executor [25]"]


def test_main_text_without_a_file(tmp_path):
    """-c and stdin scripts: no worker can re-import them, so everything goes by value. (A
    stdin script's spawn and forkserver workers fail in multiprocessing itself, which tries
    to run the file `<stdin>`: fork only.)"""
    text = SOURCE_TEXT.replace("METHODS", repr(_methods()))
    expected = [f"{m} [8] [9] [4]" for m in _methods()]
    assert _run(["-c", text], cwd=tmp_path) == expected
    assert _run(["-"], input=text.replace(repr(_methods()), "['fork']"), cwd=tmp_path) == [
        "fork [8] [9] [4]"]
