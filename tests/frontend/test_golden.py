"""Golden tests: the printed IR of the frontend and of typing is pinned (mypyc style)."""
from jitbridge import types
from jitbridge.compiler import _load_builtins
from jitbridge.frontend import build_ir
from jitbridge.ir.printer import format_function
from jitbridge.typing import TypingContext, infer_types

from .golden_funcs import chained, short_circuit, sum_squares

GOLDEN_SUM_SQUARES = """\
function sum_squares(n):
  block 0:
    n = arg(0, n)
    $1 = const(0)
    s = $1
    $2 = global(range: <builtins.range>)
    $3 = call $2(n)
    $4 = getiter($3)
    jump 1
  block 1:
    $5 = iternext($4)
    $6 = const(1)
    $7 = getitem($5, $6)
    branch $7, 2, 3
  block 2:
    $8 = const(0)
    $9 = getitem($5, $8)
    i = $9
    $10 = mul(i, i)
    s = iadd(s, $10)
    jump 1
  block 3:
    jump 4
  block 4:
    return s
"""

GOLDEN_CHAINED = """\
function chained(a, b, c):
  block 0:
    a = arg(0, a)
    b = arg(1, b)
    c = arg(2, c)
    $1 = lt(a, b)
    $2 = global(bool: <builtins.bool>)
    $3 = call $2($1)
    branch $3, 2, 1
  block 1:
    return $1
  block 2:
    $1 = lt(b, c)
    jump 1
"""

GOLDEN_SHORT_CIRCUIT = """\
function short_circuit(a, b):
  block 0:
    a = arg(0, a)
    b = arg(1, b)
    $1 = a
    $2 = global(bool: <builtins.bool>)
    $3 = call $2($1)
    branch $3, 2, 1
  block 1:
    return $1
  block 2:
    $1 = b
    jump 1
"""

GOLDEN_TYPED = """\
function sum_squares(n):
  block 0:
    n = arg(0, n)  :: int64
    $1 = const(0)  :: Literal[int](0)
    s = $1  :: int64
    $2 = global(range: <builtins.range>)  :: Function(builtins.range)
    $3 = call $2(n)  :: range_state_int64
    $4 = getiter($3)  :: range_iter_int64
    jump 1
  block 1:
    $5 = iternext($4)  :: Tuple(int64, bool)
    $6 = const(1)  :: Literal[int](1)
    $7 = getitem($5, $6)  :: bool
    branch $7, 2, 3
  block 2:
    $8 = const(0)  :: Literal[int](0)
    $9 = getitem($5, $8)  :: int64
    i = $9  :: int64
    $10 = mul(i, i)  :: int64
    s = iadd(s, $10)  :: int64
    jump 1
  block 3:
    jump 4
  block 4:
    return s
"""


def _ir(func):
    return format_function(build_ir(func)) + "\n"


def test_for_range_desugars_to_getiter_iternext():
    assert _ir(sum_squares) == GOLDEN_SUM_SQUARES


def test_chained_comparison_evaluates_middle_once_and_short_circuits():
    assert _ir(chained) == GOLDEN_CHAINED


def test_and_returns_an_operand():
    assert _ir(short_circuit) == GOLDEN_SHORT_CIRCUIT


def test_typed_ir():
    _load_builtins()
    fir = build_ir(sum_squares)
    typed = infer_types(TypingContext(), fir, (types.int64,))
    assert format_function(fir, typed.typemap) + "\n" == GOLDEN_TYPED
    assert typed.return_type == types.int64
