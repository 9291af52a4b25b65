"""The tour: `python -m jitbridge` runs each capability once on real data and prints its result
and its speed against plain Python. `python -m jitbridge run script.py [args]` runs a program
written for Numba, unchanged (jitbridge/compat.py). `python -m jitbridge explain file.py:func
[--args TYPES]` shows every error compiling a function meets (jitbridge/explain.py).
`python -m jitbridge export module.py -o libname` writes the module's cfuncs as a shared
library and C header (jitbridge/export.py)."""
from __future__ import annotations

import concurrent.futures
import gc
import io
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from llvmlite import ir

from jitbridge import (carray, cfunc, compat, explain, get_num_threads, njit, objmode, prange,
                       threading_layer, types)
from jitbridge.extending import intrinsic, overload
from jitbridge.passthru import PassThruContainer
from jitbridge.runtime import stats

try:  # scipy is optional (a test dependency): used for the LowLevelCallable example
    from scipy import LowLevelCallable, integrate
except ImportError:  # pragma: no cover
    LowLevelCallable = integrate = None


def _best(func, *args, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return result, best


def _show(title, py_func, args, shown=None):
    compiled = njit(py_func)
    start = time.perf_counter()
    compiled(*args)
    compile_s = time.perf_counter() - start
    expected, py_s = _best(py_func, *args)
    result, jit_s = _best(compiled, *args)
    assert np.array_equal(np.asarray(result), np.asarray(expected)), (title, result, expected)
    shown = repr(result) if shown is None else shown(result)
    print(f"  {title:34s} result={shown:<26.26} python {py_s * 1e3:8.2f} ms   "
          f"jitbridge {jit_s * 1e3:7.3f} ms   x{py_s / jit_s:7.1f}   (compile {compile_s * 1e3:.0f} ms)")


def sum_of_squares(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def leibniz_pi(n):
    total = 0.0
    sign = 1.0
    for k in range(n):
        total += sign / (2 * k + 1)
        sign = -sign
    return 4 * total


def collatz_longest(limit):
    best, best_start = 0, 0
    for start in range(1, limit):
        n, steps = start, 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        if steps > best:
            best, best_start = steps, start
    return best_start, best


def mandel_point(re, im, max_iter):
    z = complex(0.0, 0.0)
    c = complex(re, im)
    for i in range(max_iter):
        z = z * z + c
        if abs(z) > 2.0:
            return i
    return max_iter


def mandelbrot(width, height, max_iter):
    out = np.zeros((height, width), dtype=np.int64)
    for y in range(height):
        for x in range(width):
            c = complex(-2.0 + 3.0 * x / width, -1.5 + 3.0 * y / height)
            z = 0j
            n = 0
            while n < max_iter and abs(z) <= 2.0:
                z = z * z + c
                n += 1
            out[y, x] = n
    return out


def stencil(u, steps):
    for _ in range(steps):
        v = u.copy()
        v[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
        u = v
    return u


def running_max(values):
    best = []
    current = values[0]
    for v in values:
        current = max(current, v)
        best.append(current)
    return best


@njit("int64(int64)")
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_py(n):
    return n if n < 2 else fib_py(n - 1) + fib_py(n - 2)


@njit
def checked_div(a, b):
    if b == 0:
        raise ZeroDivisionError("b must not be zero")
    return a // b


def longest_word(text):
    total, longest = 0, ""
    for word in text.split(" "):
        total += len(word)
        if len(word) > len(longest):
            longest = word
    return total, longest


def value_counts(values):
    counts = {}
    for v in values:
        try:
            counts[v] += 1
        except KeyError:  # (a typed dict, and try/except, in compiled code)
            counts[v] = 1
    return len(counts), counts[7]


def masked_update(a):
    out = a.copy()
    out[out < 0.25] = 0.0
    picked = out[np.array([0, -1, 7])]
    return len(out[out > 0.5]), picked[0], picked[2]


def monte_carlo_pi(n):
    np.random.seed(0)  # the same draws as NumPy's np.random.random() after the same seed
    inside = 0
    for _ in range(n):
        x, y = np.random.random(), np.random.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / n


def main() -> None:
    print("jitbridge tour: @njit compiles ordinary Python to native code through llvmlite\n")
    print("1. Compiler core (scalars, loops, tuples, math, complex, calls, exceptions)")
    _show("sum of squares, n=3M", sum_of_squares, (3_000_000,))
    _show("Leibniz pi, n=3M", leibniz_pi, (3_000_000,))
    _show("longest Collatz chain < 100k", collatz_longest, (100_000,))
    _show("Mandelbrot point (complex)", mandel_point, (-0.1, 0.1, 200_000))
    result, jit_s = _best(fib, 25)
    expected, py_s = _best(fib_py, 25)
    assert result == expected
    print(f"  {'recursive fib(25), explicit sig':34s} result={result!r:<24} python "
          f"{py_s * 1e3:8.2f} ms   jitbridge {jit_s * 1e3:7.3f} ms   x{py_s / jit_s:7.1f}")
    try:
        checked_div(1, 0)
    except ZeroDivisionError as exc:
        print(f"  {'raise in compiled code':34s} ZeroDivisionError({str(exc)!r}) surfaced in Python")
    print(f"  dispatch: fib.signatures = {fib.signatures}")
    print("\n2. NumPy arrays, strings and lists (reference-counted runtime, zero-copy arguments)")
    _show("mandelbrot 120x80 (complex)", mandelbrot, (120, 80, 50),
          lambda r: f"{r.shape} sum={r.sum()}")
    grid = np.random.default_rng(0).random((300, 300))
    _show("5-point stencil 300x300 x5 (slices)", stencil, (grid, 5),
          lambda r: f"{r.shape} mean={r.mean():.6f}")
    values = list(np.random.default_rng(1).integers(0, 1000, 20_000))
    values = [int(v) for v in values]
    _show("running max over a list", running_max, (values,), lambda r: f"len={len(r)} last={r[-1]}")
    words = " ".join(f"word{i % 97}" * (1 + i % 5) for i in range(20_000))
    _show("str.split and len over 20k words", longest_word, (words,), lambda r: f"total={r[0]}")
    codes = np.random.default_rng(2).integers(0, 1000, 200_000)
    _show("value counts: dict + try/except", value_counts, (codes,),
          lambda r: f"distinct={r[0]} count(7)={r[1]}")
    _show("boolean masks and fancy indexing", masked_update, (grid.ravel(),))
    _show("np.random Monte Carlo pi, 200k", monte_carlo_pi, (200_000,))
    gc.collect()
    print(f"  runtime: {stats()['live']} MemInfos alive after the results were released")
    _tour_bridges()


def _tour_bridges():
    _tour_objmode()
    _tour_passthru()
    _tour_cfunc()
    _tour_extending()
    _tour_shipping()
    _tour_annotate()
    _tour_parallel()  # (last: GNU OpenMP's threads must not meet the fork of section 7)


def _tour_objmode():
    print("\n3. objmode: back into the interpreter from compiled code")
    seen = []

    @njit
    def simulate(n):
        total = 0.0
        for i in range(n):
            total += (i % 7) * 0.5
            if i % 250_000 == 0:
                with objmode():
                    seen.append(i)          # progress logging from the compiled loop
        with objmode(summary='UniTuple(float64, 2)'):
            summary = (total, total / n)     # any Python code, typed outputs
        return summary
    start = time.perf_counter()
    result = simulate(1_000_000)
    print(f"  1M-iteration loop with progress callbacks at {seen}: mean={result[1]:.4f} "
          f"({(time.perf_counter() - start) * 1e3:.0f} ms incl. compile)")


def _tour_passthru():
    print("\n4. pass-through objects: any Python object, identity preserved")
    container = PassThruContainer({"unhashable": [1, 2]})

    @njit
    def ferry(c):
        with objmode(size='int64'):
            size = len(c.obj["unhashable"])
        return c, size
    back, size = ferry(container)
    print(f"  ferry(c) is c: {back is container}, objmode saw len={size}")


def _tour_cfunc():
    print("\n5. @cfunc: native C callbacks (ctypes, scipy.LowLevelCallable)")

    @cfunc("float64(float64)")
    def inverse(x):
        return 1.0 / x
    print(f"  inverse.address={inverse.address:#x} native_name={inverse.native_name!r}")
    if integrate is not None:
        value, _ = integrate.quad(LowLevelCallable(inverse.ctypes), 1, 2)
        print(f"  scipy.integrate.quad(1/x, 1, 2) through the cfunc = {value:.12f} (ln 2)")
    else:
        print("  (scipy not installed: skipping the quad example)")
    data = np.arange(4.0)
    as_view = carray(data.ctypes.data, 4, dtype=np.float64)
    print(f"  carray(pointer, 4) from Python shares memory: {np.shares_memory(as_view, data)}")



def _tour_extending():
    print("\n6. extension API: teach the compiler new functions (Numba's API)")

    def smooth_clip(x, lo, hi):
        return min(max(x, lo), hi)

    @overload(smooth_clip)
    def ol_smooth_clip(x, lo, hi):
        if isinstance(x, types.Array):
            def impl(x, lo, hi):
                out = np.empty_like(x)
                for i in range(x.size):
                    out[i] = min(max(x[i], lo), hi)
                return out
            return impl

    @intrinsic
    def popcount(typingctx, x):
        def codegen(context, builder, sig, args):
            fnty = ir.FunctionType(args[0].type, [args[0].type])
            return builder.call(builder.module.declare_intrinsic("llvm.ctpop", [args[0].type], fnty),
                                [args[0]])
        return types.int64(x), codegen

    @njit
    def use_extensions(values, n):
        return smooth_clip(values, 0.0, 1.0), popcount(n)
    clipped, bits = use_extensions(np.array([-0.5, 0.25, 3.0]), 0b1011_0111)
    print(f"  @overload(smooth_clip) on an array: {clipped.tolist()}; @intrinsic popcount: {bits}")
    print("  Numba's full Interval example runs unchanged: tests/extending/interval_example.py")


_CACHED_MODULE = """
import numpy as np
from jitbridge import njit

@njit(cache=True)
def normalise(a):
    out = np.empty_like(a)
    total = 0.0
    for i in range(a.size):
        total += a[i]
    for i in range(a.size):
        out[i] = a[i] / total
    return out
"""
_TIME_FIRST_CALL = ("import time, numpy as np, tour_cached as m; t = time.perf_counter(); "
                    "m.normalise(np.ones(4)); print(time.perf_counter() - t, "
                    "sum(m.normalise.stats.cache_hits.values()))")


def _tour_shipping():
    print("\n7. shipping compiled code: cache=True across processes, pickling to workers")
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "tour_cached.py"), "w") as handle:
            handle.write(_CACHED_MODULE)
        env = {**os.environ, "JITBRIDGE_CACHE_DIR": os.path.join(folder, "cache")}
        runs = [subprocess.run([sys.executable, "-c", _TIME_FIRST_CALL], cwd=folder, env=env,
                               capture_output=True, text=True, check=True).stdout.split()
                for _ in range(2)]
    (compiled, _), (loaded, hits) = runs
    print(f"  first call in a new process: compiling {float(compiled) * 1e3:6.1f} ms, "
          f"from the on-disk cache {float(loaded) * 1e3:6.1f} ms (cache hits: {hits})")
    scale = 2.5

    @njit
    def scaled(x):  # a closure: pickled by value, with its source
        return x * scale
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=_fork_context()) as pool:
        print(f"  a jitted closure sent to a worker process: {list(pool.map(scaled, [1, 2]))}")


def _tour_annotate():
    print("\n8. the annotated view: what each line became (f.annotate(), f.annotate_html(path), "
          "python -m jitbridge annotate script.py)")
    buffer, counts = io.StringIO(), njit(value_counts)
    counts(np.arange(16) % 8)
    counts.annotate(file=buffer)
    for line in buffer.getvalue().splitlines()[1:]:
        print(f"  {line}")


def energy(x):
    total = 0.0
    for i in prange(x.shape[0]):
        total += np.sin(x[i]) ** 2 + np.sqrt(x[i])
    return total


def _tour_parallel():
    print(f"\n9. every core: prange, fused array expressions ({get_num_threads()} threads, "
          f"'{threading_layer()}' layer)")
    x = np.random.default_rng(3).random(4_000_000)
    serial, parallel = njit(energy), njit(parallel=True)(energy)
    (want, py_s), (got, serial_s) = _best(energy, x[:200_000]), _best(serial, x)
    parallel(x)
    got_parallel, parallel_s = _best(parallel, x)
    assert np.isclose(got, got_parallel) and np.isclose(want, serial(x[:200_000]))
    print(f"  {'prange sum over 4M (a reduction)':34s} result={got_parallel:<24.6f} python "
          f"{py_s * 20e3:8.1f} ms   serial {serial_s * 1e3:7.2f} ms   parallel "
          f"{parallel_s * 1e3:7.2f} ms   x{serial_s / parallel_s:4.1f} over serial")
    blend = njit(parallel=True)(lambda a, b: a * b + np.sqrt(a) - b / 2.0)
    result, jit_s = _best(blend, x, x)
    expected, np_s = _best(lambda a, b: a * b + np.sqrt(a) - b / 2.0, x, x)
    assert np.array_equal(result, expected)
    print(f"  {'a*b + sqrt(a) - b/2, one fused loop':34s} numpy {np_s * 1e3:7.2f} ms   "
          f"jitbridge {jit_s * 1e3:7.2f} ms (one allocation, all threads)")


def _fork_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")



if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:  # python -m jitbridge run script.py: a Numba program as is
        sys.exit(compat.run(sys.argv[2:]))
    if sys.argv[1:2] == ["explain"]:  # python -m jitbridge explain file.py:func
        sys.exit(explain.main(sys.argv[2:]))
    if sys.argv[1:2] == ["annotate"]:  # python -m jitbridge annotate script.py: HTML pages
        from jitbridge import dispatch
        from jitbridge.annotate import cli
        sys.exit(cli.main(sys.argv[2:], dispatch.recording_dispatchers, compat.install))
    if sys.argv[1:2] == ["export"]:  # python -m jitbridge export module.py -o libname
        from jitbridge import export
        sys.exit(export.main(sys.argv[2:]))
    main()
