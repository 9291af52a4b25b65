"""Numba's public module paths and names exist in jitbridge and are the very objects
jitbridge uses (issue 22): `jitbridge.core.types is jitbridge.types`, Numba's warning
categories catch jitbridge's warnings, `rtsys` counts compiled code's allocations."""
import importlib
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

import jitbridge
from jitbridge import njit, types
from jitbridge.errors import JitBridgeWarning

ALIASES = {"jitbridge.core.types": "jitbridge.types", "jitbridge.core.errors": "jitbridge.errors",
           "jitbridge.core.config": "jitbridge.config",
           "jitbridge.core.extending": "jitbridge.extending",
           "jitbridge.core.typing.templates": "jitbridge.typing.numba_templates",
           "jitbridge.core.types.functions": "jitbridge.types.functions",
           "jitbridge.core.runtime.nrt": "jitbridge.runtime.nrt"}


@pytest.mark.parametrize("alias, real", sorted(ALIASES.items()))
def test_numba_paths_are_the_same_modules(alias, real):
    module = importlib.import_module(alias)
    assert module is importlib.import_module(real)
    assert module.__spec__.name == real  # the real module keeps its own identity


def test_from_imports_of_numba_paths():
    from jitbridge.core import errors, types as core_types
    from jitbridge.core.typing.templates import AbstractTemplate
    from jitbridge.typing.templates import AbstractTemplate as Own
    assert core_types is types and errors is jitbridge.errors and AbstractTemplate is Own


def test_a_path_that_maps_to_nothing_says_so():
    with pytest.raises(ModuleNotFoundError, match="jitbridge has no 'jitbridge.types.nothing'"):
        importlib.import_module("jitbridge.core.types.nothing")


def test_top_level_type_names_are_the_types():
    for name in jitbridge._TYPE_NAMES:
        assert getattr(jitbridge, name) is getattr(types, name), name
    assert jitbridge.float64 is types.float64 and jitbridge.char is types.int8
    assert jitbridge.size_t is types.uintp and jitbridge.bool is types.boolean
    assert "bool" not in jitbridge.__all__  # a star import must not hide the builtin
    assert types.string is types.unicode_type  # (Numba's tests annotate with it)


def test_numba_warning_categories_catch_jitbridge_warnings():
    from jitbridge.core.errors import (NumbaDeprecationWarning, NumbaPerformanceWarning,
                                       NumbaWarning)
    assert NumbaWarning is JitBridgeWarning
    assert issubclass(NumbaPerformanceWarning, NumbaWarning)
    assert issubclass(NumbaDeprecationWarning, DeprecationWarning)
    with pytest.warns(NumbaWarning, match="always compiles in nopython mode"):
        jitbridge.jit(nopython=False)(lambda x: x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", NumbaWarning)  # what Numba users write
        jitbridge.jit(nopython=False)(lambda x: x)


def test_rtsys_counts_compiled_allocations():
    from jitbridge.core.runtime.nrt import rtsys

    @njit
    def make(n):
        return np.arange(n) * 2
    make(3)
    before = rtsys.get_allocation_stats()
    kept = [make(4) for _ in range(3)]
    during = rtsys.get_allocation_stats()
    del kept
    after = rtsys.get_allocation_stats()
    assert during.alloc - before.alloc == during.mi_alloc - before.mi_alloc >= 3
    assert after.alloc - after.free == before.alloc - before.free  # all released


@given(st.sampled_from(["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "f8", "c8",
                        "c16", "?"]))
def test_numpy_support_round_trips_dtypes(code):
    from jitbridge.np.numpy_support import as_dtype, from_dtype
    dtype = np.dtype(code)
    assert as_dtype(from_dtype(dtype)) == dtype
    assert from_dtype(dtype) is jitbridge.typeof(np.zeros(1, dtype)).dtype


def test_numpy_support_refuses_what_it_cannot_represent():
    from jitbridge.np.numpy_support import from_dtype
    with pytest.raises(TypeError, match="object"):
        from_dtype(np.dtype("O"))


def test_imputils_ownership_helpers_keep_reference_counts_exact():
    from jitbridge.core.imputils import impl_ret_borrowed, lower_builtin
    from jitbridge.extending import lower_builtin as public_lower_builtin
    from jitbridge.extending import type_callable
    from jitbridge.testing import no_leaks
    assert lower_builtin is public_lower_builtin

    def first_of(a, b):
        raise NotImplementedError

    @type_callable(first_of)
    def type_first_of(context):
        return lambda a, b: a if isinstance(a, types.Array) else None

    @lower_builtin(first_of, types.Array, types.Array)
    def lower_first_of(context, builder, sig, args):
        return impl_ret_borrowed(context, builder, sig.return_type, args[0])

    @njit
    def use(a, b):
        return first_of(a, b)
    a, b = np.arange(3.0), np.ones(2)
    with no_leaks(a, b):
        out = use(a, b)
        assert out is a  # the argument itself, its count raised for the caller
        del out


def test_is_jitted():
    from jitbridge.extending import is_jitted

    def plain(x):
        return x
    assert not is_jitted(plain) and is_jitted(njit(plain))
    assert not is_jitted(jitbridge.cfunc("float64(float64)")(plain))  # a C callback
