"""Issue 10 items 16, 17 (unbound locals) and 18: run-time guards in compiled code.

- Deep native recursion raises RecursionError instead of overflowing the stack (SIGSEGV).
- Reading a variable no path has assigned raises UnboundLocalError instead of returning 0.
- Ctrl-C interrupts a compiled loop: KeyboardInterrupt (or the user's SIGINT handler runs and the
  loop goes on), with no leaked memory.
"""
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.frontend import build_ir
from jitbridge.lowering.flow import maybe_unbound_uses, polled_loop_headers
from jitbridge.testing import no_leaks
from tests.isolation import PRELUDE, run_isolated

UNBOUND = "cannot access local variable {!r} where it is not associated with a value"


# -- item 16: deep recursion ------------------------------------------------------------------

def test_deep_recursion_raises_recursion_error_and_the_process_stays_usable():
    out = run_isolated("""
        import jitbridge

        @njit('int64(int64)')
        def r(n):
            if n == 0:
                return 0
            return 1 + r(n - 1)

        @njit('float64(int64)')
        def with_arrays(n):  # every level owns an array: all released on the way out
            a = np.ones(2)
            if n == 0:
                return a.sum()
            return a[0] + with_arrays(n - 1)

        for func in (r, with_arrays, r):
            try:
                func(10 ** 6)
            except RecursionError as exc:
                print(exc)
        print(r(1000), with_arrays(1000), jitbridge.runtime.stats()["live"])
    """)
    lines = out.splitlines()
    assert lines[0] == "maximum recursion depth exceeded in compiled function 'r'"
    assert lines[1] == "maximum recursion depth exceeded in compiled function 'with_arrays'"
    assert lines[2] == lines[0]
    assert lines[3] == "1000 1002.0 0"


def test_recursion_guard_on_threads_and_foreign_callers():
    """Each thread checks its own stack (small thread stacks, cfunc called through ctypes
    without the GIL)."""
    out = run_isolated("""
        import threading
        from jitbridge import cfunc

        @njit('int64(int64)')
        def r(n):
            if n == 0:
                return 0
            return 1 + r(n - 1)

        @cfunc('int64(int64)')
        def through_cfunc(n):
            return r(n)

        def work(results):
            for n in (10 ** 6, 300):
                try:
                    results.append(r(n))
                except RecursionError:
                    results.append("RecursionError")
            results.append(through_cfunc.ctypes(10 ** 6))  # a cfunc reports errors, returns 0
            results.append(through_cfunc.ctypes(7))

        for size in (256 * 1024, 1 << 20, 16 << 20):
            threading.stack_size(size)
            results = []
            thread = threading.Thread(target=work, args=(results,))
            thread.start()
            thread.join()
            print(results)
    """)
    assert out.splitlines() == ["['RecursionError', 300, 0, 7]"] * 3


def test_mutual_recursion_raises_recursion_error():
    out = run_isolated("""
        @njit
        def is_even(n):
            if n == 0:
                return True
            return is_odd(n - 1)

        @njit
        def is_odd(n):
            if n == 0:
                return False
            return is_even(n - 1)

        is_odd.compile('boolean(int64)')
        is_even.compile('boolean(int64)')
        try:
            is_even(10 ** 7)
        except RecursionError as exc:
            print(exc)
        print(is_even(10), is_odd(10))
    """)
    assert "maximum recursion depth exceeded in compiled function" in out
    assert out.splitlines()[-1] == "True False"


def test_mutual_recursion_whose_partner_fails_to_compile_raises():
    out = run_isolated("""
        @njit
        def ping(n):
            if n <= 0:
                return 0
            return pong(n - 1)

        @njit
        def pong(n):
            if n > 5:
                return undefined_name
            return ping(n - 1)

        for attempt in range(2):
            try:
                pong.compile('int64(int64)')
            except Exception as exc:
                print(type(exc).__name__)
        try:
            ping(3)
        except Exception as exc:
            print(type(exc).__name__)
    """)
    assert out.split() == ["TypingError"] * 3


def test_functions_that_cannot_recurse_have_no_stack_guard():
    @njit
    def leaf(x):
        return x + 1

    @njit
    def caller(x):
        return leaf(x) * 2

    assert caller(1) == 4
    for func in (leaf, caller):
        assert "jb_stack_limit" not in next(iter(func.inspect_llvm().values()))


# -- item 17: unbound locals ------------------------------------------------------------------

def test_conditionally_assigned_variable_raises_unbound_local_error():
    @njit
    def f(c):
        if c:
            y = 1
        return y

    assert f(True) == 1
    with pytest.raises(UnboundLocalError, match=UNBOUND.format("y")):
        f(False)


def test_loop_variable_after_an_empty_loop_and_use_before_assignment():
    @njit
    def last(n):
        for i in range(n):
            pass
        return i

    @njit
    def early(n):
        t = 0
        for i in range(n):
            if i > 0:
                t += prev
            prev = i
        return t

    @njit
    def before(n):
        if n > 100:
            return z
        z = n
        return z

    assert last(3) == 2 and early(4) == 3 and before(5) == 5
    for func, arg, name in ((last, 0, "i"), (before, 101, "z")):
        with pytest.raises(UnboundLocalError, match=UNBOUND.format(name)):
            func(arg)
    assert early(1) == 0


def test_unbound_owned_variables_release_nothing_and_leak_nothing():
    @njit
    def f(c, n):
        if c:
            a = np.ones(n)
            xs = [1.0, 2.0]
        if n > 5:
            return a.sum() + xs[0]
        return 0.0

    with no_leaks():
        assert f(False, 3) == 0.0
        assert f(True, 3) == 0.0
        assert f(True, 6) == 7.0
        for _ in range(3):
            with pytest.raises(UnboundLocalError, match=UNBOUND.format("a")):
                f(False, 6)


def test_always_assigned_variables_cost_nothing():
    @njit
    def f(c):
        y = 0
        if c:
            y = 1
        return y

    assert f(True) == 1
    assert "UnboundLocalError" not in next(iter(f.inspect_llvm().values()))


_VARS = ("a", "b", "c")


def _statements(depth):
    assign = st.builds(lambda v, e: [f"{v} = {e}"], st.sampled_from(_VARS), st.sampled_from(
        ["x", "1", "a + 1", "b * 2", "c - x", "x % 3"]))
    if depth == 0:
        return st.lists(assign, min_size=1, max_size=3).map(lambda ls: sum(ls, []))
    inner = _statements(depth - 1)
    branch = st.builds(lambda k, t, e: [f"if x > {k}:", *_indent(t), "else:", *_indent(e)],
                       st.integers(-1, 3), inner, inner)
    when = st.builds(lambda k, t: [f"if x < {k}:", *_indent(t)], st.integers(-1, 3), inner)
    loop = st.builds(lambda t: ["for i in range(x):", *_indent(t)], inner)
    block = st.one_of(assign, branch, when, loop)
    return st.lists(block, min_size=1, max_size=3).map(lambda ls: sum(ls, []))


def _indent(lines):
    return ["    " + line for line in lines]


def _source(body, result):
    return "\n".join(["def g(x):", *_indent(body), f"    return {result}", ""])


def _load(source, folder, index):
    path = os.path.join(folder, f"generated_{index}.py")
    with open(path, "w") as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(f"generated_{index}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.g


def _read_but_never_assigned(source):
    assigned = {v for v in (*_VARS, "i") if f"{v} =" in source or f"for {v} " in source}
    lines = [line.split("=", 1)[-1] for line in source.splitlines()[1:]]
    return any(v in line.split() for line in lines for v in {*_VARS, "i"} - assigned)


def _outcome(func, x):
    try:
        return func(x)
    except UnboundLocalError as exc:
        return str(exc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_statements(2), result=st.sampled_from(["a", "a + b", "c", "b - c", "i"]))
def test_generated_functions_match_python_on_unbound_locals(body, result):
    source = _source(body, result)
    with tempfile.TemporaryDirectory() as folder:
        python = _load(source, folder, 0)
        if _read_but_never_assigned(source):
            return  # a compile-time TypingError (no type for the variable), tested elsewhere
        compiled = njit(python)
        try:
            compiled.compile((types.int64,))
        except TypingError as exc:  # every assignment reads the variable itself: no type to
            assert "used before assignment" in str(exc)  # infer (typing, not the run time)
            return
        for x in (-1, 0, 1, 2, 4):
            assert _outcome(compiled, x) == _outcome(python, x), source


def test_flow_facts_of_the_ir():
    def f(c, n):
        if c:
            y = 1
        for i in range(n):
            while c:
                c = c - 1
        return y

    fir = build_ir(f)
    assert sorted(v for names in maybe_unbound_uses(fir).values() for v in names) == ["y"]
    assert len(polled_loop_headers(fir)) == 2  # the for (not innermost) and the while

    def g(n):
        s = 0
        for i in range(n):
            s += i
        return s

    fir = build_ir(g)
    assert maybe_unbound_uses(fir) == {} and polled_loop_headers(fir) == set()


# -- item 18: Ctrl-C --------------------------------------------------------------------------

def _interrupt(source: str, delay: float = 0.2, timeout: float = 20, signum=signal.SIGINT):
    """Run `source` in a child; once it printed "started", send it `signum` (SIGINT:
    Ctrl-C); (returncode, out, err)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "program.py")
        with open(path, "w") as handle:
            handle.write(PRELUDE + textwrap.dedent(source))
        # SIGINT as a terminal would deliver it: a test run started in the background by a
        # non-interactive shell has it ignored, which the child would inherit
        proc = subprocess.Popen([sys.executable, "-u", path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=folder,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            assert proc.stdout.readline().strip() == "started", proc.stderr.read()
            time.sleep(delay)  # let it enter the loop
            proc.send_signal(signum)
            out, err = proc.communicate(timeout=timeout)
        finally:
            proc.kill()
    return proc.returncode, out, err


def test_ctrl_c_interrupts_an_infinite_compiled_loop():
    code, out, err = _interrupt("""
        @njit
        def spin(stop, announce):
            if announce:
                print("started")  # from compiled code: the signal comes during the loop
            i = 0
            while True:
                i += 1
                if i == stop:
                    break
            return i

        spin(10, False)
        spin(-1, True)
    """)
    assert code != 0 and out == "", err
    assert err.rstrip().endswith("KeyboardInterrupt") and "spin(-1, True)" in err, err


def test_ctrl_c_in_nested_loops_with_arrays_leaks_nothing():
    code, out, err = _interrupt("""
        import jitbridge

        @njit
        def work(rounds, announce):
            if announce:
                print("started")
            total = 0.0
            for r in range(rounds):
                a = np.ones(50)
                for j in range(10):
                    b = a * 2.0
                    total += b.sum()
            return total

        assert work(3, False) == 3000.0
        try:
            work(10 ** 15, True)
        except KeyboardInterrupt:
            print("interrupted", jitbridge.runtime.stats()["live"])
        print(work(2, False))
    """)
    assert code == 0, err
    assert out.split() == ["interrupted", "0", "2000.0"]


def test_a_user_sigint_handler_runs_and_the_loop_goes_on():
    """The loop only ends when the handler has run, which proves it ran inside the loop."""
    code, out, err = _interrupt("""
        import signal
        calls = []
        stop = np.zeros(1, dtype=np.int64)

        def handler(signum, frame):  # does not raise: the compiled loop continues
            calls.append(signum)
            stop[0] = 1

        @njit
        def wait_for(flag, announce):
            if announce:
                print("started")
            n = 0
            while flag[0] == 0:
                n += 1
            return n + 1

        signal.signal(signal.SIGINT, handler)  # before compiling: see install_interrupt_handler
        assert wait_for(np.ones(1, dtype=np.int64), False) == 1
        print(wait_for(stop, True) > 0, calls == [signal.SIGINT])
    """)
    assert code == 0, err
    assert out.split() == ["True", "True"]


def test_a_python_sigterm_handler_stops_a_compiled_loop_and_the_process_goes_on():
    """Any signal with a Python handler behaves as SIGINT: its handler runs at the loop's next
    poll, and what it raises propagates through compiled callers, freeing what they own."""
    code, out, err = _interrupt("""
        import signal
        import time
        import jitbridge

        class Terminated(Exception):
            pass

        def on_term(signum, frame):
            raise Terminated(signum)

        signal.signal(signal.SIGTERM, on_term)

        @njit
        def inner(rounds):
            total = 0.0
            for r in range(rounds):
                a = np.ones(8)
                total += a.sum()
            return total

        @njit
        def outer(announce):
            if announce:
                print("started")
            return inner(10 ** 15)

        inner(2)  # (compiled before the signal comes)
        start = time.perf_counter()
        try:
            outer(True)
        except Terminated as exc:
            print("terminated", exc.args[0] == signal.SIGTERM, time.perf_counter() - start < 5,
                  jitbridge.runtime.stats()["live"])
        print(inner(3))
    """, signum=signal.SIGTERM)
    assert code == 0, err
    assert out.split() == ["terminated", "True", "True", "0", "24.0"]
