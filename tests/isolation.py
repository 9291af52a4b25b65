"""Run a program in a fresh interpreter, so a crash (SIGSEGV, SIGABRT) fails one test instead of
killing the whole test run. jitbridge compiles from source, so the program is written to a file."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap

PRELUDE = "import numpy as np\nfrom jitbridge import njit\n"


def run_isolated(source: str, timeout: float = 120, prelude: str = PRELUDE) -> str:
    """Run `source` (dedented, after `prelude`) in a child interpreter; return its stdout.

    Fails the calling test with the child's output when it exits non-zero or dies by a signal.
    """
    program = prelude + textwrap.dedent(source)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "program.py")
        with open(path, "w") as handle:
            handle.write(program)
        proc = subprocess.run([sys.executable, path], capture_output=True, text=True,
                              timeout=timeout, cwd=folder)
    if proc.returncode != 0:
        how = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        raise AssertionError(f"isolated program failed ({how}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout
