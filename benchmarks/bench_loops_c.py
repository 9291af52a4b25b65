"""The kernels of bench_loops against the same loops in C (issue 12, item 2: <= 1.1x C -O3).

The C is compiled here with the system's C compiler, when there is one, at `-O3 -march=native`
(jitbridge compiles for the host CPU too) and `-ffp-contract=off`: GCC's default fuses `a * b + c`
into one rounding, which Python and NumPy never do, so fused code computes other values than
the kernels are asked for. Warm, alternating the peers; the rows are skipped without a compiler.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile

import numpy as np

from .bench_loops import ROUNDS, _data
from .harness import Report, alternating_ms

C_SOURCE = r"""
void conv1d(const double *x, long n, const double *w, long m, double *out) {
    for (long i = 0; i < n - m + 1; i++) {
        double s = 0.0;
        for (long j = 0; j < m; j++) s += x[i + j] * w[j];
        out[i] = s;
    }
}
void tridiagonal(const double *a, const double *b, const double *c, const double *d, long n,
                 double *cp, double *dp, double *x) {
    cp[0] = c[0] / b[0]; dp[0] = d[0] / b[0];
    for (long i = 1; i < n; i++) {
        double den = b[i] - a[i] * cp[i - 1];
        cp[i] = c[i] / den;
        dp[i] = (d[i] - a[i] * dp[i - 1]) / den;
    }
    x[n - 1] = dp[n - 1];
    for (long i = n - 2; i >= 0; i--) x[i] = dp[i] - cp[i] * x[i + 1];
}
"""
FLAGS = ["-O3", "-march=native", "-ffp-contract=off", "-shared", "-fPIC"]


def compile_c(folder: str):
    """The C kernels loaded with ctypes, or None without a C compiler."""
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        return None
    source, library = os.path.join(folder, "kernels.c"), os.path.join(folder, "kernels.so")
    with open(source, "w") as fh:
        fh.write(C_SOURCE)
    subprocess.run([compiler, *FLAGS, "-o", library, source], check=True)
    return ctypes.CDLL(library)


def _pointer(array):
    return ctypes.c_void_p(array.ctypes.data)


def c_kernels(lib) -> dict:
    """Python callables running the C kernels on the benchmarks' arguments."""
    def conv1d(x, w):
        out = np.empty(x.shape[0] - w.shape[0] + 1)
        lib.conv1d(_pointer(x), ctypes.c_long(x.shape[0]), _pointer(w),
                   ctypes.c_long(w.shape[0]), _pointer(out))
        return out

    def tridiagonal(a, b, c, d):
        n = d.shape[0]
        work = [np.empty(n) for _ in range(3)]
        lib.tridiagonal(*map(_pointer, (a, b, c, d)), ctypes.c_long(n), *map(_pointer, work))
        return work[2]

    return {"conv1d": conv1d, "tridiagonal": tridiagonal}


def run() -> Report:
    from jitbridge import njit

    report = Report("index arithmetic in loops (issue 12) against C, warm, ms", peer="C -O3")
    with tempfile.TemporaryDirectory() as folder:
        lib = compile_c(folder)
        if lib is None:
            return report
        native = c_kernels(lib)
        for name, (func, args) in _data().items():
            peers = {"jitbridge": njit(func), "C": native[func.__name__]}
            # the same operations in the same order: the same bits
            np.testing.assert_array_equal(peers["jitbridge"](*args), peers["C"](*args))
            times = alternating_ms(peers, args, ROUNDS)
            report.add(name, times["jitbridge"], times["C"], "ms", "<= 1.1x C -O3")
    return report


if __name__ == "__main__":
    run().print()
