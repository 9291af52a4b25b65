"""generator.send(): the value sent is the value of the yield expression, as in CPython (the
same generator functions run by CPython are the reference)."""
import sys

import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def averager():
    total, count, avg = 0.0, 0, 0.0
    while True:
        term = yield avg
        total += term
        count += 1
        avg = total / count


def echo(n):
    x = 0
    for i in range(n):
        got = yield x + i
        if got is not None:
            x = got


def joiner():
    acc = ""
    while True:
        s = yield acc
        if s is not None:
            acc = acc + s


def statement_yields():
    yield 1
    yield 2


def declared():
    x = yield
    yield x


def undeclared():
    x = yield
    yield x


jit_averager, jit_echo, jit_joiner = njit(averager), njit(echo), njit(joiner)
jit_statements = njit(statement_yields)
jit_declared = njit(declared, locals={"x": types.int64})
jit_undeclared = njit(undeclared)


def run(gen, sends) -> list:
    """What each send gives (an exception as its class and message)."""
    out = []
    for value in sends:
        try:
            out.append(gen.send(value))
        except (StopIteration, TypeError) as exc:
            out.append((type(exc).__name__, str(exc)))
            break
    return out


def test_averager_matches_cpython():
    sends = [None, 10, 20, 30.5, True]
    assert run(jit_averager(), sends) == run(averager(), sends)


def test_none_and_values_interleaved_match_cpython():
    sends = [None, None, 5, None, 7, None, None, None]
    assert run(jit_echo(5), sends) == run(echo(5), sends)


@settings(max_examples=10, deadline=None)
# (int64 arithmetic, as compiled code does: the values leave room for `x + i`)
@given(st.lists(st.one_of(st.none(), st.integers(-2**62, 2**62)), max_size=8))
def test_echo_sequences_match_cpython(values):
    sends = [None, *values]
    assert run(jit_echo(6), sends) == run(echo(6), sends)


def test_first_send_must_be_none():
    gen = jit_averager()
    with pytest.raises(TypeError, match="can't send non-None value to a just-started"):
        gen.send(1)


def test_send_to_finished_generator_raises_stop_iteration():
    gen = jit_echo(1)
    assert gen.send(None) == 0
    with pytest.raises(StopIteration):
        gen.send(3)
    with pytest.raises(StopIteration):
        gen.send(3)


def test_value_sent_to_a_statement_yield_is_dropped():
    sends = [None, "ignored", 5]
    assert run(jit_statements(), sends) == run(statement_yields(), sends)


def test_value_of_the_wrong_type_is_refused():
    gen = jit_averager()
    next(gen)
    with pytest.raises(TypeError, match="takes float64"):
        gen.send("text")
    gen = jit_echo(3)
    next(gen)
    with pytest.raises(TypeError, match="float64 to the compiled generator echo"):
        gen.send(2.5)  # (never truncated to an int64)


def test_next_resumes_with_none():
    gen = jit_averager()
    next(gen)
    with pytest.raises(TypeError, match="expected float64, got None"):
        next(gen)  # (CPython: float += None is a TypeError too)


@pytest.mark.slow
def test_strings_sent_are_owned_and_released():
    word = "ü€😀" * 3
    sends = [None, "ab", word, None, word]
    assert run(jit_joiner(), sends) == run(joiner(), sends)
    before = sys.getrefcount(word)
    with no_leaks():
        for _ in range(50):
            gen = jit_joiner()
            next(gen)
            gen.send(word)
            del gen
    assert sys.getrefcount(word) == before


def test_locals_declares_the_type_of_a_bare_yield():
    gen = jit_declared()
    assert next(gen) is None
    assert gen.send(41) == 41


def test_bare_yield_value_without_a_type_is_a_located_error():
    with pytest.raises(TypingError, match=r"'x = yield'.*locals=\{'x'"):
        jit_undeclared()


@njit
def total_of_loop(n):
    total = 0
    for v in jit_echo(n):  # (a loop resumes each yield with None)
        total += v
    return total


def test_compiled_loop_resumes_with_none():
    assert total_of_loop(4) == sum(echo(4))


@njit
def drive_echo(n):
    gen = jit_echo(n)
    return [gen.send(None), gen.send(10), gen.send(None), gen.send(20)]


@njit
def send_too_early():
    return jit_echo(3).send(1)


@njit
def send_after_the_end():
    gen = jit_echo(1)
    next(gen)
    return gen.send(1)


@njit
def send_a_float_to_echo():
    gen = jit_echo(3)
    next(gen)
    return gen.send(1.5)


@njit
def drive_joiner(word):
    gen = jit_joiner()
    next(gen)
    gen.send(word)
    return gen.send(word)


def test_send_from_compiled_code_matches_cpython():
    gen = echo(5)
    assert drive_echo(5) == [gen.send(None), gen.send(10), gen.send(None), gen.send(20)]


def test_send_from_compiled_code_follows_cpython_rules():
    with pytest.raises(TypeError, match="just-started generator"):
        send_too_early()
    with pytest.raises(StopIteration):
        send_after_the_end()
    with pytest.raises(TypingError, match="cannot send a value of type float64"):
        send_a_float_to_echo()


def test_strings_sent_from_compiled_code_are_released():
    assert drive_joiner("ab€") == "ab€ab€"
    with no_leaks():
        for _ in range(50):
            drive_joiner("ab€")
