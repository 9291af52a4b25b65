"""Issue 10 item 14: program size must not make the compiler recurse without bound or slow down
super-linearly. Generated programs (long call chains, long and deep expressions, deeply nested
and very wide tuples) compile and compute Python's result, or fail with a located error naming
the function and file:line. jitbridge compiles from source, so each program is a module file.
Compile-time scaling numbers live in benchmarks/bench_compile_scaling.py.
"""
import importlib.util
import itertools
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jitbridge.errors import TypingError
from jitbridge.typing.infer import MAX_CALL_CHAIN, MAX_NESTING

_names = itertools.count()


def load(tmp_path, source: str, recursion_limit: int | None = None):
    """Import `source` (after `from jitbridge import njit`) as a fresh module file."""
    name = f"program_size_{os.getpid()}_{next(_names)}"
    path = tmp_path / f"{name}.py"
    path.write_text("from jitbridge import njit\n" + source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    old = sys.getrecursionlimit()
    if recursion_limit:  # CPython's own compiler needs it for the longest expressions
        sys.setrecursionlimit(recursion_limit)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.setrecursionlimit(old)
    return module, str(path)


def chain_source(length: int, last_body: str = "x") -> str:
    """f0 calls f1 calls ... f<length-1>, each a separate @njit adding 1."""
    defs = []
    for i in range(length):
        body = f"f{i + 1}(x) + 1" if i < length - 1 else last_body
        defs.append(f"@njit\ndef f{i}(x):\n    return {body}\n")
    return "\n".join(reversed(defs))  # callees first: globals resolve when typed anyway


def def_line(path: str, name: str) -> int:
    with open(path) as fh:
        return next(i for i, line in enumerate(fh, 1) if line.startswith(f"def {name}("))


def nested(depth: int, leaf=1):
    value = leaf
    for _ in range(depth):
        value = (value,)
    return value


# -- call chains ---------------------------------------------------------------------------------

@pytest.mark.slow  # (tens of seconds on CI's two cores: `pytest -m slow`)
def test_chain_of_200_jitted_functions_compiles(tmp_path):
    module, _ = load(tmp_path, chain_source(200))
    assert module.f0(1) == 200
    assert module.f0(-5) == 194


def test_call_chain_beyond_the_limit_is_a_located_error(tmp_path):
    length = MAX_CALL_CHAIN + 3
    module, path = load(tmp_path, chain_source(length))
    with pytest.raises(TypingError) as info:
        module.f0(1)
    message = str(info.value)
    deepest = f"f{MAX_CALL_CHAIN}"
    assert "call chain too deep" in message and f"{deepest}()" in message
    assert f"{path}:{def_line(path, deepest)}" in message
    assert not isinstance(info.value.__cause__, RecursionError)


def test_failing_callee_deep_in_a_chain_fails_once_not_exponentially(tmp_path):
    """Each level used to retype (and recompile) the failing callee on every pass: 2**depth."""
    module, path = load(tmp_path, chain_source(40, last_body="x + 'a'"))
    with pytest.raises(TypingError, match=r"operator '\+' is not supported") as info:
        module.f0(1)
    assert "'f39'" in str(info.value) and f"{path}:{def_line(path, 'f39') + 1}" in str(info.value)


# -- long and deep expressions -------------------------------------------------------------------

_OPS = ["+", "-", "^", "|", "&"]  # mixed precedence: the tree is not only left-deep


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.large_base_example])
@given(st.lists(st.tuples(st.sampled_from(_OPS), st.integers(0, 9)),
                min_size=1000, max_size=1500))
def test_long_expressions_match_python(tmp_path_factory, terms):
    """`x op c op c ...`: BinOp chains (left-deep within a precedence level) 1000+ terms long."""
    tail = "".join(f" {op} {c}" for op, c in terms)
    module, _ = load(tmp_path_factory.mktemp("expr"), f"@njit\ndef f(x):\n    return x{tail}\n")
    for x in (0, 7, -3):
        assert module.f(x) == module.f.py_func(x)


def test_expression_of_3000_terms(tmp_path):
    source = "@njit\ndef f(x):\n    return x" + " + 1" * 3000 + "\n"
    module, _ = load(tmp_path, source, recursion_limit=2000)
    assert module.f(5) == 3005


@pytest.mark.parametrize("shape, expected", [
    ("not " * 1001 + "x", False),
    ("- " * 1000 + "x", 3),
    ("x if x > 100 else " * 300 + "x + 1", 4),  # right-deep; 3 blocks per level
    ("(x " + "and x " * 1000 + ") + 0", 3),
    ("0 < x" + " <= 10" * 1000, True),
], ids=["not-chain", "minus-chain", "conditional-chain", "long-and", "long-compare"])
def test_deep_expression_shapes(tmp_path, shape, expected):
    module, _ = load(tmp_path, f"@njit\ndef f(x):\n    return {shape}\n")
    assert module.f(3) == expected


# -- nested and wide tuples ----------------------------------------------------------------------

def test_nested_tuple_literal_of_depth_199(tmp_path):
    literal = "(" * 199 + "1" + ",)" * 199  # Python's parser allows 200 nested brackets
    module, _ = load(tmp_path, f"@njit\ndef f():\n    return {literal}\n")
    assert module.f() == nested(199)


@pytest.mark.parametrize("depth", [1, 50, 200])
def test_nested_tuple_arguments(tmp_path, depth):
    module, _ = load(tmp_path, "@njit\ndef same(x):\n    return x\n\n"
                               "@njit\ndef outer(x):\n    return x[0]\n")
    value = nested(depth, leaf=2.5)
    assert module.same(value) == value
    assert module.same(value) == value  # the native dispatch path
    if depth <= 50:  # one compile of the deepest type is enough (each takes seconds)
        assert module.outer(value) == value[0]


def test_argument_nested_beyond_the_limit_is_a_located_error(tmp_path):
    module, path = load(tmp_path, "@njit\ndef same(x):\n    return x\n")
    with pytest.raises(TypingError, match="argument 'x' of same.* nested too deeply") as info:
        module.same(nested(MAX_NESTING + 20))
    assert f"{path}:{def_line(path, 'same')}" in str(info.value)
    with pytest.raises(TypingError, match="argument 'x' of same.* nested too deeply"):
        module.same(nested(20_000))  # deeper than the compiler could ever recurse
    assert module.same(nested(3)) == nested(3)


def test_tuple_built_beyond_the_nesting_limit_is_a_located_error(tmp_path):
    depth = MAX_NESTING + 5
    lines = ["    t0 = (1,)"] + [f"    t{i} = (t{i - 1},)" for i in range(1, depth)]
    source = "@njit\ndef f():\n" + "\n".join(lines) + f"\n    return t{depth - 1}\n"
    module, path = load(tmp_path, source)
    with pytest.raises(TypingError, match="tuple nested too deeply") as info:
        module.f()
    assert "'f'" in str(info.value) and f"{path}:" in str(info.value)


def test_tuple_argument_of_800_items(tmp_path):
    module, _ = load(tmp_path, "@njit\ndef ends(t):\n    return t[0] - t[len(t) - 1], t[400]\n")
    items = tuple(range(3, 803))
    assert module.ends(items) == (3 - 802, 403)
    assert module.ends(items[::-1]) == (802 - 3, 402)
