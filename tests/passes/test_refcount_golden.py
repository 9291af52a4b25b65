"""Golden tests of the typed IR: the refcount pass's IncRef/DecRef ops are pinned, one golden
file per function (tests/passes/golden/<name>.txt; JB_UPDATE_GOLDEN=1 rewrites them)."""
import os
import pathlib

import numpy as np
import pytest

from jitbridge import types
from jitbridge.compiler import type_function
from jitbridge.core.datamodel import default_manager
from jitbridge.passes import prepare
from jitbridge.passes.printer import format_typed

from . import golden_funcs as g

GOLDEN = pathlib.Path(__file__).parent / "golden"
ARRAY = types.Array(types.float64, 1, "C")
CASES = {
    "arrays": (g.arrays, (types.int64,)),
    "lists": (g.lists, (types.int64,)),
    "loop_reassign": (g.loop_reassign, (types.int64, types.int64)),
    "raises": (g.raises, (ARRAY, types.int64)),
    "maybe_assigned": (g.maybe_assigned, (ARRAY, types.boolean)),
    "try_except": (g.try_except, (types.int64,)),
}


def owns(ty) -> bool:
    return default_manager.lookup(ty).has_nrt_meminfo()


def typed_ir_text(func, argtypes) -> str:
    return format_typed(prepare(type_function(func, argtypes), owns))


@pytest.mark.parametrize("name", sorted(CASES))
def test_typed_ir_matches_golden(name):
    text = typed_ir_text(*CASES[name])
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("JB_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


def test_reassignment_releases_after_computing_and_first_assignment_releases_nothing():
    lines = typed_ir_text(*CASES["arrays"]).splitlines()
    body = [line.strip() for line in lines]
    # `a = a + 1` binds a web of its own (`a.1`, ir/webs.py): the sum is computed from
    # the old `a` first, then the old value released as CPython does, and `a` zeroed
    assert body.index("$4 = add(a, $3)  :: array(float64, 1d, C)") \
        < body.index("a.1 = $4  :: array(float64, 1d, C)") < body.index("decref a (and clear)")
    assert body.count("decref a") == 1  # the exit; not `a = $2`
    assert body[body.index("b = a  :: array(float64, 1d, C)") + 1] == "incref b"


def test_an_except_clause_releases_what_the_try_body_assigned_before_reassigning():
    text = typed_ir_text(*CASES["try_except"])
    body_block = text.split("block 4 (except 1):")[1].split("block 5")[0]
    handler = text.split("block 10:")[1].split("block 11")[0]
    assert "b = $4" in body_block  # the try body's blocks send their exceptions to block 1
    # the handler reassigns `a`, which the body may have replaced (`a.1`) or not (`a`):
    # released either way, after the new value is computed
    assert handler.index("$15 = call") < handler.index("decref a.1") < handler.index("a.1 = $15")
    assert handler.index("a.1 = $15") < handler.index("decref a (and clear)")
    assert text.rstrip().endswith("exit:\n    decref a\n    decref b\n    decref a.1")
