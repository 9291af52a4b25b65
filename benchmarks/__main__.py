"""Run every benchmark suite and print ratios against Numba (when installed)."""
from __future__ import annotations

import math
import sys

from . import (bench_arrays, bench_caching, bench_cfunc, bench_core, bench_dot, bench_extending,
               bench_function_values,
               bench_interrupts, bench_jitclass, bench_kernel_reuse, bench_linalg, bench_loops,
               bench_loops_c, bench_numpy_kernels, bench_objmode, bench_overloads,
               bench_parallel, bench_passthru, bench_powers, bench_random, bench_sort,
               bench_strings, bench_tiering, bench_ufuncs)
from .harness import have_numba

SUITES = [bench_core, bench_arrays, bench_loops, bench_powers, bench_dot, bench_sort, bench_kernel_reuse,
          bench_linalg, bench_extending, bench_objmode, bench_cfunc, bench_caching, bench_random,
          bench_numpy_kernels, bench_strings, bench_ufuncs, bench_jitclass, bench_parallel,
          bench_function_values, bench_tiering]
# compared with jitbridge itself or with C, not Numba
OWN_RATIOS = [bench_passthru, bench_interrupts, bench_overloads, bench_loops_c]


def main() -> int:
    if not have_numba():
        print("numba is not installed: showing jitbridge alone (pip install -e '.[bench]')")
    ratios = []
    for suite in SUITES:
        report = suite.run()
        report.print()
        ratios.extend(report.ratios())
    for suite in OWN_RATIOS:
        suite.run().print()
    if ratios:
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"\ngeometric mean of ratios jitbridge/numba: {geo:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
