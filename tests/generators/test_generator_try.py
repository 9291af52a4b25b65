"""`yield` inside try statements of compiled generators, throw() and close(): differential
against CPython, with the exception an except clause keeps across a yield released when the
generator is dropped, and the clauses around a yield run when it is closed or freed."""
import gc
import weakref

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.testing import no_leaks


class Tracked(ValueError):
    """Counts its live instances (a fetched exception must be released exactly once)."""
    live = weakref.WeakSet()

    def __init__(self, *args):
        super().__init__(*args)
        Tracked.live.add(self)


def stop_at(n, x):
    for i in range(n):
        try:
            if i == x:
                raise ValueError
            yield i
        except Exception:
            return


def resume_then_raise(x):
    if x > 0:
        try:
            yield 7
            raise ValueError("exception")
        except Exception:
            yield -7


def reraise_after_yield(a, n):
    for i in range(n):
        try:
            if i >= a.shape[0]:
                raise Tracked(i)
            yield a[i]
        except Tracked:
            yield -1.0
            raise


def nested(n):
    for i in range(n):
        try:
            try:
                yield i
                if i % 3 == 1:
                    raise KeyError(i)
                if i % 3 == 2:
                    raise ValueError(i)
            except KeyError:
                yield 100 + i
        except ValueError:
            yield 200 + i


def _drain(gen):
    out = []
    try:
        for item in gen:
            out.append(item)
    except Exception as exc:  # noqa: BLE001  (the outcome is compared, whatever it is)
        out.append((type(exc), exc.args))
    return out


@pytest.mark.parametrize("pyfunc, args", [
    (stop_at, (10, 5)), (stop_at, (10, 10)), (resume_then_raise, (1,)),
    (resume_then_raise, (0,)), (nested, (7,)),
    (reraise_after_yield, (np.arange(2.0), 4)),
])
def test_items_and_outcome_as_cpython(pyfunc, args):
    assert _drain(njit(pyfunc)(*args)) == _drain(pyfunc(*args))


def test_called_from_compiled_code():
    gen, nested_gen = njit(resume_then_raise), njit(nested)

    @njit
    def first(x):
        return next(gen(x))

    @njit
    def total(n):
        s = 0
        for v in nested_gen(n):
            s += v
        return s
    assert first(3) == 7
    assert total(7) == sum(nested(7))


def test_kept_exception_released_when_dropped():
    gen = njit(reraise_after_yield)
    a = np.arange(2.0)
    g = gen(a, 4)
    assert [next(g) for _ in range(3)] == [0.0, 1.0, -1.0]
    del g
    with no_leaks(a, Tracked):  # (the fetched error holds its class, if not an instance)
        for _ in range(20):
            g = gen(a, 4)
            assert [next(g) for _ in range(3)] == [0.0, 1.0, -1.0]  # holds Tracked(2)
            del g
            gc.collect()
            assert len(Tracked.live) == 0


def finally_around_yield(n, log):
    try:
        for i in range(n):
            yield i
    finally:
        log[0] += n


def bare_except_around_yield(n, log):
    for i in range(n):
        try:
            yield i
        except:  # noqa: E722
            log[1] += i + 1
            raise


def catches_thrown(n):
    for i in range(n):
        try:
            yield i
        except ValueError:
            yield -i


def ignores_exit():
    while True:
        try:
            yield 1
        except GeneratorExit:
            pass


def _closing_runs(gen_func, how):
    """The log a generator suspended at its second item writes when closed `how`."""
    log = np.zeros(2)
    gen = gen_func(5, log)
    next(gen), next(gen)
    if how == "close":
        gen.close()
        gen.close()  # (a closed generator: nothing runs)
    else:
        del gen
        gc.collect()
    return list(log)


@pytest.mark.parametrize("how", ["close", "dropped"])
@pytest.mark.parametrize("pyfunc", [finally_around_yield, bare_except_around_yield])
def test_closing_runs_the_clauses_around_the_yield(pyfunc, how):
    assert _closing_runs(njit(pyfunc), how) == _closing_runs(pyfunc, how)


def test_dropped_in_compiled_code_runs_finally():
    gen = njit(finally_around_yield)

    @njit
    def first_two(log):
        total = 0
        for v in gen(5, log):
            total += v
            if v == 1:
                break
        return total
    log = np.zeros(2)
    assert first_two(log) == 1 and list(log) == [5.0, 0.0]


def _throws(gen):
    out = [next(gen), next(gen), gen.throw(ValueError("x")), next(gen)]
    for exc in (KeyError, StopIteration):
        try:
            out.append(gen.throw(exc, "k") if exc is KeyError else next(gen))
        except exc as e:
            out.append((type(e), e.args))
    return out


def test_throw_as_cpython():
    assert _throws(njit(catches_thrown)(5)) == _throws(catches_thrown(5))
    gen = njit(catches_thrown)(3)
    with pytest.raises(ValueError):  # not started: raised at once, and it is finished
        gen.throw(ValueError)
    assert list(gen) == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_close_of_a_generator_ignoring_exit_is_a_runtime_error():
    """(Freed still suspended, it is reported as unraisable again, as CPython does.)"""
    gen = njit(ignores_exit)()
    next(gen)
    with pytest.raises(RuntimeError, match="generator ignored GeneratorExit"):
        gen.close()
