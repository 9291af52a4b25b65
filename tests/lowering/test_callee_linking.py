"""Jitted callees are compiled once (issue 12, item 3): a small one is linked into its callers
(LLVM inlines it), a large one is called where it is loaded, so a caller's module never holds
copies of its whole call tree and compile time grows linearly with the number of functions.
Code kept for a cache, and exported code, stay self-contained."""
import os
import subprocess
import sys
import textwrap

import pytest

from jitbridge import codegen, njit, types
from tests.caching.test_disk_cache import isolated_environment


def _body(x):
    y = x + 1
    for i in range(x):
        if i % 3 == 0:
            y = y * 3 + i - 1
        elif i % 5 == 1:
            y = y // 2 + i * i
        else:
            y = y - x + 7
        y = y % 1000 + i
        if y > 500:
            y = (y * 7 + i) % 991 - (i ^ y) % 13 + (y >> 3)
        for k in range(i // 2):  # (its length unbounded: polled)
            y = (y + k * 3) % 1009
        for j in range(i % 4):
            y = (y ^ j) * 5 % 977 if y > j else y + j * i
    return y


big = njit(_body)
small = njit(lambda x: x * 2 + 1)


@njit
def calls_big_twice(x):
    return big(x) + big(x + 1)


@njit
def calls_small(x):
    return small(x) + 1


def _library(dispatcher, *argtypes):
    return dispatcher.overloads[argtypes or (types.int64,)].library


def _defined_functions(dispatcher, wrappers=True) -> set:
    ir = dispatcher.overloads[(types.int64,)].inspect_llvm()
    names = {line.split("@")[1].split("(")[0].strip('"') for line in ir.splitlines()
             if line.startswith("define")}
    return names if wrappers else {n for n in names if not n.endswith(_WRAPPERS)}


_WRAPPERS = (".py", ".pyentry", ".pycheck")  # (lowering/wrappers.py)


def test_a_large_callee_is_called_where_it_is_loaded_not_copied():
    assert calls_big_twice(7) == _body(7) + _body(8)
    callee = _library(big)
    caller = _library(calls_big_twice)
    assert callee.link_cost(big.overloads[(types.int64,)].native_name) > codegen.LINK_LIMIT
    assert callee not in caller._linking and caller._called == [callee]
    native = big.overloads[(types.int64,)].native_name
    assert native not in _defined_functions(calls_big_twice)  # declared: one copy, the callee's
    assert caller.calls_into == [callee]


def test_a_small_callee_is_linked_and_inlined():
    assert calls_small(4) == 10
    calls_small.tier_up()  # (tiered: the tier-0 pipeline inlines nothing; promotes `small`)
    callee = _library(small)
    assert callee in _library(calls_small)._linking and _library(calls_small)._called == []
    native = small.overloads[(types.int64,)].native_name
    assert native not in calls_small.overloads[(types.int64,)].inspect_llvm()  # inlined


def _chain(depth):
    """f0 -> f1 -> ... -> f{depth-1}, each large; returns the dispatchers, f0 first."""
    funcs = [njit(_body)]
    for _ in range(depth - 1):
        funcs.append(njit(_make_link(funcs[-1])))
    return funcs[::-1]


def _make_link(callee):
    def link(x):
        s = callee(x) + 1
        for i in range(x):
            if i % 2:
                s += callee(i)
            else:
                s -= i * 3
        return s
    return link


def test_each_function_of_a_chain_is_compiled_once_and_its_module_stays_its_own_size():
    compiled = []
    original = codegen.CodeLibrary.finalize

    def counting(library, load=True):
        compiled.append(library.name)
        return original(library, load)

    codegen.CodeLibrary.finalize = counting
    try:
        chain = _chain(6)
        top = chain[0](9)
    finally:
        codegen.CodeLibrary.finalize = original
    assert len(compiled) == len(set(compiled)) == 6  # one library per function, built once
    chain[0].tier_up()  # (tiered: sizes at the full level, where linking decides inlining)
    sizes = [len(_defined_functions(f, wrappers=False)) for f in chain]
    assert len(set(sizes)) == 1  # the caller's module holds its own function (and wrappers:
    # only the top one, called from Python, has them; compiled callers never need them)
    assert top == _chain_reference(6, 9)


def _chain_reference(depth, x):
    func = _body
    for _ in range(depth - 1):
        func = _make_link(func)
    return func(x)


@njit
def recursive_big(n):
    if n <= 0:
        return 0
    s = 0
    for i in range(n % 7):
        s += i * i % 5
    return 1 + recursive_big(n - 1) + s - s


@njit
def mutual_a(n):
    s = 0
    for i in range(n % 5):
        s += i % 3
    return 0 if n <= 0 else 1 + mutual_b(n - 1) + s - s


@njit
def mutual_b(n):
    s = 0
    for i in range(n % 5):
        s += i % 3
    return 0 if n <= 0 else 1 + mutual_a(n - 1) + s - s


def test_recursion_through_called_code_keeps_its_stack_guard():
    assert recursive_big(50) == 50 and mutual_a(51) == 51
    with pytest.raises(RecursionError):
        recursive_big(10 ** 7)
    with pytest.raises(RecursionError):
        mutual_a(10 ** 7)


CACHED = '''
import warnings
warnings.simplefilter("error")  # a caller that could not be cached would warn
from jitbridge import njit

@njit
def inner(x):
    y = x + 1
    for i in range(x):
        if i % 3 == 0:
            y = y * 3 + i - 1
        elif i % 5 == 1:
            y = y // 2 + i * i
        else:
            y = y - x + 7
        y = y % 1000 + i
        if y > 500:
            y = (y * 7 + i) % 991 - (i ^ y) % 13 + (y >> 3)
        for k in range(i // 2):  # (its length unbounded: polled)
            y = (y + k * 3) % 1009
        for j in range(i % 4):
            y = (y ^ j) * 5 % 977 if y > j else y + j * i
    return y

@njit
def middle(x):
    s = inner(x) + 1
    for i in range(x):
        s += inner(i) if i % 2 else -i
    return s

@njit(cache=True)
def outer(x):
    return middle(x) * 2

print(outer(9), sum(outer.stats.cache_hits.values()))
'''


def test_a_cached_caller_links_what_it_calls_and_loads_in_another_process(tmp_path):
    (tmp_path / "cached_chain.py").write_text(CACHED)
    runs = [subprocess.run([sys.executable, "cached_chain.py"], cwd=tmp_path, text=True,
                           env=isolated_environment(tmp_path), capture_output=True, timeout=120)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    first, second = (r.stdout.split() for r in runs)
    assert first[0] == second[0] and (first[1], second[1]) == ("0", "1")
    assert any(name.endswith(".nbc") for name in os.listdir(tmp_path / "__pycache__"))


def test_a_cached_library_is_self_contained():
    from jitbridge import compiler
    result = compiler.compile_function(_make_link(big), (types.int64,), keep_object=True)
    library = result.library
    assert library.calls_into == [] and _library(big) in library._linked_in
    assert not library.cache_blockers()
    assert result.entry_point(6) == _make_link(_body)(6)


EXPORTED = '''
from jitbridge import cfunc, njit

@njit
def inner(x):
    y = x + 1
    for i in range(x):
        if i % 3 == 0:
            y = y * 3 + i - 1
        elif i % 5 == 1:
            y = y // 2 + i * i
        else:
            y = y - x + 7
        y = y % 1000 + i
        if y > 500:
            y = (y * 7 + i) % 991 - (i ^ y) % 13 + (y >> 3)
        for k in range(i // 2):  # (its length unbounded: polled)
            y = (y + k * 3) % 1009
        for j in range(i % 4):
            y = (y ^ j) * 5 % 977 if y > j else y + j * i
    return y

@cfunc("int64(int64)")
def twice_inner(x):
    return inner(x) + inner(x + 1)
'''

PROGRAM = r'''
#include <stdio.h>
#include "libchain.h"
int main(void) { printf("%lld\n", (long long)twice_inner(9)); return 0; }
'''


@pytest.mark.skipif(os.system("command -v cc >/dev/null") != 0, reason="needs a C compiler")
def test_an_exported_cfunc_links_the_jitted_code_it_calls(tmp_path):
    (tmp_path / "mod.py").write_text(textwrap.dedent(EXPORTED))
    export = subprocess.run([sys.executable, "-m", "jitbridge", "export", "mod.py", "-o",
                             "libchain"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert export.returncode == 0, export.stderr
    (tmp_path / "main.c").write_text(PROGRAM)
    subprocess.run(["cc", "main.c", "-o", "main", "-L.", "-lchain", "-Wl,-rpath,."],
                   cwd=tmp_path, check=True, timeout=120)
    out = subprocess.run(["./main"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == [str(_body(9) + _body(10))]
