"""Issue 11 (stable, picklable types): types are interned by value, and every type pickles and
unpickles to the same interned instance, in this process and in a fresh one."""
import base64
import pickle
from collections import namedtuple

import numpy as np

from jitbridge import types
from tests.isolation import run_isolated

#: composite types, as expressions over `types` and `np` (evaluated here and in a child)
COMPOSITES = [
    "types.Array(types.float64, 2, 'C')", "types.float32[:, ::1]", "types.int8[::1]",
    "types.Array(types.complex128, 1, 'A', readonly=True)",
    "types.UniTuple(types.int64, 3)", "types.Tuple(types.int64, types.float64)",
    "types.Tuple(types.UniTuple(types.int8, 2), types.boolean)",
    "types.List(types.float64)", "types.List(types.int64, reflected=True)",
    "types.CPointer(types.float64)", "types.IntegerLiteral(5)",
    "types.Omitted(None)", "types.Omitted(3)", "types.range_iter64",
    "types.Record([('a', types.float64, 0), ('b', types.int32, 8)], 12)",
]

Point = namedtuple("Point", "x y")


def _named_types():
    return {name: value for name, value in vars(types).items() if isinstance(value, types.Type)}


def test_equal_types_are_one_instance():
    for expression in COMPOSITES:
        assert eval(expression) is eval(expression), expression
    assert types.Tuple(types.int64, types.int64) is types.UniTuple(types.int64, 2)
    assert types.NamedUniTuple(types.int64, 2, Point) is types.NamedUniTuple(types.int64, 2, Point)


def test_types_unpickle_to_the_same_instance_here():
    for name, ty in _named_types().items():
        assert pickle.loads(pickle.dumps(ty)) is ty, name
    for expression in COMPOSITES:
        ty = eval(expression)
        assert pickle.loads(pickle.dumps(ty)) is ty, expression
    named = types.NamedUniTuple(types.float64, 2, Point)
    assert pickle.loads(pickle.dumps(named)) is named


def test_types_unpickle_to_the_interned_instances_of_a_fresh_process():
    payload = pickle.dumps(({**_named_types()}, [eval(e) for e in COMPOSITES]))
    out = run_isolated(f"""
        import base64, pickle
        from jitbridge import types
        named, composites = pickle.loads(base64.b64decode({base64.b64encode(payload)!r}))
        wrong = [name for name, ty in named.items() if ty is not getattr(types, name)]
        expressions = {COMPOSITES!r}
        wrong += [e for e, ty in zip(expressions, composites) if ty is not eval(e)]
        print(len(named), len(composites), wrong)
    """)
    assert out.split(maxsplit=2) == [str(len(_named_types())), str(len(COMPOSITES)), "[]\n"]


def test_no_type_key_uses_object_ids():
    """Keys hold values (or the objects themselves), so they survive pickling and never
    collide with a later object at a reused address."""
    assert types.Omitted(1) == types.Omitted(1) and types.Omitted(1) != types.Omitted(True)
    nan = float("nan")
    assert types.Omitted(nan) is types.Omitted(nan)
    array_default = np.zeros(2)
    assert types.Omitted(array_default) is types.Omitted(array_default)
    assert types.Omitted(array_default) != types.Omitted(np.zeros(2))
