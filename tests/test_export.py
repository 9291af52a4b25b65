"""`python -m jitbridge export`: cfuncs as a shared library and C header that a C program
links and calls without Python (issue 21, item 4)."""
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")

MODULE = '''
import numpy as np
from jitbridge import carray, cfunc, types

@cfunc("float64(float64)")
def integrand(x):
    """exp(-x*x), integrated by the C program."""
    return np.exp(-x * x)

@cfunc(types.float64(types.CPointer(types.float64), types.intp))
def total(values, n):
    a = carray(values, (n,))
    s = 0.0
    for i in range(n):
        s += a[i]
    return s

@cfunc("float64(int64)")
def doubled_sum(n):
    return (np.arange(n) * 2.0).sum()

@cfunc("int64(int64, int64)", error_value=-1)
def quotient(a, b):
    return a // b
'''

PROGRAM = r'''
#include <stdio.h>
#include "libdemo.h"
int main(void) {
    double xs[1000], h = 1e-3;
    for (int i = 0; i < 1000; i++) xs[i] = integrand((i + 0.5) * h) * h;
    printf("%.12f %.1f %lld %lld\n", total(xs, 1000), doubled_sum(10),
           (long long)quotient(7, 2), (long long)quotient(1, 0));
    return 0;
}
'''


def _export(tmp_path, source, name="libdemo"):
    (tmp_path / "mod.py").write_text(source)
    return subprocess.run([sys.executable, "-m", "jitbridge", "export", "mod.py", "-o", name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_a_c_program_links_the_library_and_calls_it_without_python(tmp_path):
    run = _export(tmp_path, MODULE)
    assert run.returncode == 0, run.stderr
    header = (tmp_path / "libdemo.h").read_text()
    assert "double integrand(double x);" in header and "exp(-x*x)" in header
    assert "double total(double* values, int64_t n);" in header
    (tmp_path / "main.c").write_text(PROGRAM)
    subprocess.run(["cc", "-o", "demo", "main.c", "-L.", "-ldemo", "-Wl,-rpath,."],
                   cwd=tmp_path, check=True, timeout=120)
    linked = subprocess.run(["ldd", "demo"], cwd=tmp_path, capture_output=True, text=True)
    assert "python" not in linked.stdout.lower()
    out = subprocess.run(["./demo"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    x = (np.arange(1000) + 0.5) * 1e-3
    want = f"{np.sum(np.exp(-x * x) * 1e-3):.12f} 90.0 3 -1"  # 1 // 0: the error value
    assert out.stdout.split() == want.split()


def test_a_cfunc_needing_the_interpreter_is_refused_naming_what_it_uses(tmp_path):
    source = textwrap.dedent('''
        from jitbridge import cfunc, objmode

        @cfunc("float64(float64)")
        def chatty(x):
            with objmode():
                print(x)
            return x
    ''')
    run = _export(tmp_path, source)
    assert run.returncode == 1
    assert "cannot export chatty as a library callable without Python" in run.stderr
    assert "Py" in run.stderr and not os.path.exists(tmp_path / "libdemo.so")
