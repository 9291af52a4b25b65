"""@jitclass as Numba programs write it: plain base classes, private (mangled) members,
typing-module annotations, Python's conversion fallbacks, and Numba's errors."""
import typing as pt

import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.experimental import jitclass
from jitbridge.experimental.jitclass.base import JitClassType


class Base:
    def what(self):
        return self.attr * 2


@jitclass([("attr", types.int32)])
class Derived(Base):
    "Docstring"

    def __init__(self, attr):
        "init docstring"
        self.attr = attr


def test_methods_of_a_plain_base_class_compile():
    obj = Derived(21)
    assert obj.what() == 42 and njit(lambda o: o.what())(obj) == 42
    assert Derived.mro()[1].__name__ == "Derived" and isinstance(Derived, JitClassType)
    assert Derived.__doc__ == "Docstring" and Derived.__init__.__doc__ == "init docstring"


def test_subclassing_a_jitclass_is_refused():
    with pytest.raises(TypeError, match="cannot subclass from a jitclass"):
        class Sub(Derived):
            pass


def test_private_members_are_mangled_as_python_does():
    @jitclass({"__secret": types.int64, "__dunder__": types.int64})
    class Vault:
        def __init__(self, v):
            self.__secret = v
            self.__dunder__ = v + 1

        def reveal(self):
            return self.__secret + self.__dunder__

    assert Vault(2).reveal() == 5 and Vault(2)._Vault__secret == 2


def test_typing_module_annotations():
    @jitclass
    class Annotated:
        xs: pt.List[float]
        table: pt.Dict[str, int]
        pair: pt.Tuple[int, int]
        maybe: pt.Optional[float]

        def __init__(self):
            self.maybe = None
            self.pair = (1, 2)

    struct = Annotated.class_type.instance_type.struct
    assert struct == {"xs": types.ListType(types.float64),
                      "table": types.DictType(types.unicode_type, types.int64),
                      "pair": types.UniTuple(types.int64, 2),
                      "maybe": types.optional(types.float64)}
    assert Annotated().pair == (1, 2) and Annotated().maybe is None


def test_conversion_fallbacks():
    @jitclass([])
    class Floaty:
        def __init__(self):
            pass

        def __float__(self):
            return 2.5

    @jitclass([("n", types.int64)])
    class Sized:
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

    @njit
    def convert(f, s0, s1):
        return float(f), complex(f), bool(s0), bool(s1), bool(f)

    assert convert(Floaty(), Sized(0), Sized(2)) == (2.5, 2.5 + 0j, False, True, True)
    with pytest.raises(TypingError, match="int"):
        njit(lambda f: int(f))(Floaty())


def test_numba_errors():
    with pytest.raises(TypeError, match="spec values should be Numba type instances"):
        jitclass(type("A", (), {}), [("x", int)])
    with pytest.raises(TypeError, match="^class members are not yet supported: constant$"):
        jitclass(type("B", (), {"constant": 1}))
    with pytest.raises(TypeError, match="^deleter is not supported: p$"):
        jitclass(type("C", (), {"p": property(lambda s: 1, None, lambda s: None)}))
    with pytest.raises(NameError, match="^name shadowing: f$"):
        jitclass(type("D", (), {"f": lambda self: 1}), [("f", types.int32)])

    @jitclass([])
    class ReturnsSeven:
        def __init__(self):
            return 7

    with pytest.raises(TypingError, match="__init__\\(\\) should return None, not"):
        ReturnsSeven()


def test_types_pickle_to_themselves():
    import pickle

    @jitclass([("x", types.int64)])
    class Local:
        def __init__(self):
            self.x = 1

    for ty in (Local.class_type, Local.class_type.instance_type,
               Derived.class_type.instance_type):
        assert pickle.loads(pickle.dumps(ty)) is ty


def test_spec_as_keyword():
    @jitclass(spec={"x": types.float64})
    class K:
        def __init__(self):
            self.x = 1

    assert K().x == 1.0 and K.class_type.struct == {"x": types.float64}


def test_private_names_outside_the_class_are_mangled_for_the_caller():
    @jitclass({"__secret": types.int64})
    class Safe:
        def __init__(self):
            self.__secret = 1

    class Outside:
        @staticmethod
        def peek(obj):
            return obj.__secret

    with pytest.raises(AttributeError, match="_Outside__secret"):
        Outside.peek(Safe())
    with pytest.raises(TypingError, match="_Outside__secret"):
        njit(Outside.peek)(Safe())


def test_record_members_are_refused():
    import numpy as np
    from jitbridge import from_dtype
    rec = from_dtype(np.dtype([("a", np.int64), ("b", np.float64)]))
    with pytest.raises(TypeError, match="record is a view"):
        jitclass([("r", rec)])(type("R", (), {}))
    jitclass([("rs", rec[:])])(type("RArray", (), {}))  # an array of records is fine
