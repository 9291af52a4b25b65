"""Issue 11 (one registration core): stable dotted keys, selection by priority then specificity
whatever the registration order, ambiguous pairs refused when registered, typing recording the
implementation it chose, and lazily imported providers."""
import itertools
import math
import operator
import subprocess
import sys

import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.extending import overload
from jitbridge.lowering.registry import LoweringRegistry
from jitbridge.registry import ImplTable, RegistrationError, VarArg, stable_key
from tests.isolation import run_isolated


@pytest.mark.parametrize("obj, key", [
    (np.sum, "numpy.sum"), (np.add, "numpy.add"), (operator.add, "operator.add"),
    (math.sqrt, "math.sqrt"), (len, "builtins.len"), (np.linalg.norm, "numpy.linalg.norm"),
    (types.Array, "jitbridge.types.arrays.Array"), (np.ndarray, "numpy.ndarray"),
    ("array.sum", "array.sum"), (types.float64, "jitbridge.types.scalars.Float(float64)"),
])
def test_stable_keys_are_public_dotted_names(obj, key):
    assert stable_key(obj) == key


def test_stable_keys_are_the_same_in_a_fresh_process():
    out = run_isolated("""
        import operator, numpy as np
        from jitbridge.registry import stable_key
        print(stable_key(np.sum), stable_key(operator.iadd), stable_key(np.float64))
    """)
    assert out.split() == [stable_key(np.sum), stable_key(operator.iadd),
                           stable_key(np.float64)]


_PATTERNS = {"int64": (types.int64,), "Integer": (types.Integer,), "Number": (types.Number,),
             "Any": (types.Any,)}


@pytest.mark.parametrize("order", list(itertools.permutations(_PATTERNS)))
def test_the_most_specific_pattern_wins_in_any_registration_order(order):
    table = ImplTable("test")
    for name in order:
        table.add("f", _PATTERNS[name], name)
    assert table.select("f", (types.int64,)) == "int64"
    assert table.select("f", (types.int32,)) == "Integer"
    assert table.select("f", (types.float64,)) == "Number"
    assert table.select("f", (types.none,)) == "Any"
    assert table.select("g", (types.int64,)) is None


def test_priority_outranks_specificity_and_fixed_arity_beats_varargs():
    table = ImplTable("test")
    table.add("f", (types.Integer,), "integer")
    table.add("f", (VarArg(types.Integer),), "varargs")
    assert table.select("f", (types.int8,)) == "integer"
    assert table.select("f", (types.int8, types.int8)) == "varargs"
    table.add("f", (types.Any,), "preferred", priority=1)
    assert table.select("f", (types.int8,)) == "preferred"


def test_the_same_patterns_again_replace_the_earlier_registration():
    table = ImplTable("test")
    table.add("f", (types.Integer,), "old")
    table.add("f", (types.Integer,), "new")
    assert table.select("f", (types.int8,)) == "new"


def test_an_ambiguous_pair_is_refused_when_registered():
    table = ImplTable("lowering")
    table.add("f", (types.Integer, types.Any), "left")
    with pytest.raises(RegistrationError) as info:
        table.add("f", (types.Any, types.Integer), "right")
    message = str(info.value)
    assert "ambiguous lowering registrations for 'f'" in message
    assert "register (Integer, Integer) first" in message


def test_an_overlap_registered_first_or_one_implementation_resolves_the_ambiguity():
    table = ImplTable("test")
    table.add("f", (types.Integer, types.Integer), "both")
    table.add("f", (types.Integer, types.Any), "left")
    table.add("f", (types.Any, types.Integer), "right")
    assert table.select("f", (types.int8, types.int8)) == "both"
    assert table.select("f", (types.int8, types.float64)) == "left"
    assert table.select("f", (types.float64, types.int8)) == "right"
    shared = object()
    table.add("g", (types.Integer, types.Any), shared)
    table.add("g", (types.Any, types.Integer), shared)
    assert table.select("g", (types.int8, types.int8)) is shared
    table.add("h", (types.Integer, types.Any), "low")
    table.add("h", (types.Any, types.Integer), "high", priority=1)
    assert table.select("h", (types.int8, types.int8)) == "high"


def test_lowering_registrations_are_keyed_by_name_and_told_apart_by_identity():
    registry = LoweringRegistry()

    def first():
        pass

    def make_second():
        def first():  # the same qualified name pattern, another function
            pass
        return first

    second = make_second()
    registry.lower_builtin(first, types.Integer)("one")
    registry.lower_builtin(second, types.Integer)("two")
    assert registry.find_function(first, (types.int8,)) == "one"
    assert registry.find_function(second, (types.int8,)) == "two"
    registry.lower_getattr(types.Integer, "real")("named")
    registry.lower_getattr_generic(types.Number)("generic")
    assert registry.find_getattr(types.int8, "real") == "named"
    assert registry.find_getattr(types.int8, "imag") == "generic"


def _traced(x):
    return x


@overload(_traced)
def _ol_traced(x):
    if isinstance(x, types.Integer):
        return lambda x: x * 3


@njit
def _calls_traced(x):
    return _traced(x)


def test_typing_records_the_overload_it_chose_for_the_lowering():
    assert _calls_traced(5) == 15
    typed = _calls_traced.overloads[(types.int64,)].typed
    sigs = [sig for sig in typed.calltypes.values() if sig.impl is not None]
    assert len(sigs) == 1 and sigs[0].impl.origin is _ol_traced
    from jitbridge.lowering.registry import registry
    assert registry.find_function(_traced, (types.int64,)) is None  # not classified again


def test_a_scalar_function_loads_no_lazy_provider():
    out = run_isolated("""
        import sys
        from jitbridge import njit
        @njit
        def f(x):
            return x * 2 + 1
        assert f(3) == 7
        lazy = ["jitbridge.lib.arrays", "jitbridge.lib.lists", "jitbridge.lib.math",
                "jitbridge.lib.enums", "jitbridge.lib.closures", "jitbridge.lib.printing"]
        print(sorted(m for m in lazy if m in sys.modules))
        import numpy as np, math
        @njit
        def g(a):
            return math.sqrt(a.sum())
        assert g(np.ones(4)) == 2.0
        print(sorted(m for m in lazy if m in sys.modules))
        @njit("float64(float64[:])")
        def h(a):
            return a[0]
    """)
    before, after = out.splitlines()
    assert before == "[]"
    assert after == "['jitbridge.lib.arrays', 'jitbridge.lib.math']"


def test_an_explicit_array_signature_loads_the_array_provider():
    out = run_isolated("""
        import sys
        import numpy as np
        from jitbridge import njit
        @njit("float64(float64[:])")
        def h(a):
            return a[1]
        print("jitbridge.lib.arrays" in sys.modules, h(np.arange(3.0)))
    """)
    assert out.split() == ["True", "1.0"]


def test_every_registration_of_a_lazy_area_is_reachable_through_the_provider_table():
    out = run_isolated("""
        from jitbridge import providers, types
        from jitbridge.registry import stable_key
        from jitbridge.lowering.registry import registry as lowering
        from jitbridge.typing.registry import registry as typing
        providers.load_all()

        def area_of(module):
            return next((a for a in providers.AREAS if module.startswith(a.module)), None)

        def provided_class(cls, area, methods=False):  # listed, or defined by the area itself
            listed = area.type_classes + (area.method_classes if methods else ())
            return any(stable_key(c) in listed or area_of(c.__module__) is area
                       for c in getattr(cls, "__mro__", ()))

        def module_of(template):  # an @overload's template is made in extending.py
            return getattr(getattr(template, "origin", None), "__module__", None) or \
                template.__module__

        def reachable(area, name, classes):  # (its own helpers are called by its own code)
            return any(area_of(m) is area for m in providers._modules_for_key(name)) or \\
                name.startswith(area.module) or any(provided_class(c, area) for c in classes)

        def method_provided(area, cls, template):  # (an indexed area's, by its index)
            from jitbridge.lib.lazy_index import _methods
            return all(any(providers._methods_in(area, stable_key(c), attr)
                           for c in cls.__mro__) for attr in _methods(template))

        unreachable, by_types = [], set()
        for name, regs in lowering.table._buckets.items():
            for reg in regs:
                origin = getattr(reg.impl, "origin", reg.impl)
                area = area_of(getattr(origin, "__module__", ""))
                pats = [getattr(p, "pattern", p) for p in reg.patterns]
                if area and any(provided_class(p if isinstance(p, type) else type(p), area)
                                for p in pats):
                    by_types.add((area, name))
        for name, regs in lowering.table._buckets.items():
            for reg in regs:
                origin = getattr(reg.impl, "origin", reg.impl)
                area = area_of(getattr(origin, "__module__", ""))
                pats = [getattr(p, "pattern", p) for p in reg.patterns]
                classes = [p if isinstance(p, type) else type(p) for p in pats]
                if area and not reachable(area, name, classes):
                    unreachable.append(f"lowering {name} {reg.describe()}")
        for name, entries in typing._functions.items():
            for _, template in entries:
                area = area_of(module_of(template))
                key = template.key
                # a template of a shared key (len, +) types calls whose arguments are of the
                # area's types, which load the area: reachable if the area has such types
                if area and not area.type_classes and (area, name) not in by_types and \\
                        not reachable(area, name, [key] if isinstance(key, type) else []):
                    unreachable.append(f"typing {name} {template.__name__}")
        # methods of receivers whose own typing loads the area: a datetime64 array's dtype
        # loads lib.datetimes, the global `dict` loads lib.dicts
        through_values = {("jitbridge.lib.datetimes", types.Array),
                          ("jitbridge.lib.dicts", types.Function)}
        for name, entries in typing._attributes.items():
            for *_, template in entries:
                area = area_of(module_of(template))
                key = template.key if isinstance(template.key, type) else type(template.key)
                if area and (area.module, key) not in through_values and \\
                        not provided_class(key, area, methods=True) and \\
                        not (area.index and method_provided(area, key, template)):
                    unreachable.append(f"attribute {name} {template.__name__}")
        from jitbridge.runtime import boxing
        from jitbridge.core.datamodel import default_manager
        for table in (boxing._boxers, boxing._unboxers, boxing._checkers,
                      default_manager._factories):
            for name, (cls, value) in table._entries.items():
                area = area_of(getattr(value, "__module__", ""))
                if area and not provided_class(cls, area):
                    unreachable.append(f"{table.what} {name}")
        print(len(unreachable))
        print("\\n".join(unreachable))
    """)
    count, *unreachable = out.splitlines()
    assert count == "0", "\n".join(unreachable)


def test_the_index_of_lazily_loaded_numpy_modules_is_current():
    """lib/npfuncs_index.py says which module of lib/npfuncs/ registers what: a registration
    added without remaking it (`python -m jitbridge.lib.lazy_index`) would not load."""
    proc = subprocess.run([sys.executable, "-m", "jitbridge.lib.lazy_index", "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_numpy_functions_load_only_the_modules_registering_them():
    out = run_isolated("""
        import sys
        def loaded():
            return sorted(m.rsplit(".", 1)[1] for m in sys.modules
                          if m.startswith("jitbridge.lib.npfuncs."))
        @njit
        def f(a):
            return a.ravel()
        f(np.ones((2, 3)))
        print(*loaded())
        @njit
        def g(a):
            return np.cov(a)
        g(np.ones((2, 3)))
        print(*loaded())
    """)
    first, second = map(str.split, out.splitlines())
    assert "manipulation" in first and "covariance" not in first
    assert "covariance" in second
    assert not {"sorting", "histograms", "linalg_products", "polynomials"} & set(second)


def test_every_numpy_module_is_in_the_index_order():
    import pkgutil
    import jitbridge.lib.npfuncs as package
    names = {name for _, name, _ in pkgutil.iter_modules(package.__path__)}
    assert names == set(package.MODULES) | set(package.ON_DEMAND)


def test_importing_jitbridge_loads_neither_numpy_nor_the_library():
    out = run_isolated("""
        import sys
        import jitbridge
        print("numpy" in sys.modules, any(m.startswith("jitbridge.lib") for m in sys.modules))
    """, prelude="")
    assert out.split() == ["False", "False"]


def test_lib_templates_keep_one_order_whatever_area_loads_first():
    programs = {
        "lists first": "f_list([1, 2]); f_array(np.ones(2))",
        "arrays first": "f_array(np.ones(2)); f_list([1, 2])",
    }
    orders = set()
    for calls in programs.values():
        out = run_isolated(f"""
            import operator
            from jitbridge.typing.registry import registry
            @njit
            def f_list(x):
                return len(x)
            @njit
            def f_array(x):
                return len(x)
            {calls}
            print([t.__module__ for t in registry.templates_for(len)])
        """)
        orders.add(out.strip())
    assert len(orders) == 1, orders
