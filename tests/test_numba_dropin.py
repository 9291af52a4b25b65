"""Numba behaviours a ported program meets (issue 22): `numba.typed` after `import numba`,
Numba's data model exports, `context.nrt` in user conversions, `==` of two pass_thru values,
and `np.*_like` of a scalar (Numba's test_extending writes `np.empty_like(scalar)`)."""
import numpy as np
import pytest

import jitbridge
from jitbridge import njit
from jitbridge.passthru import pass_thru_type  # noqa: F401 (registers pass_thru ==)
from jitbridge.testing import no_leaks


def test_typed_is_an_attribute_of_the_package():
    import jitbridge.core.datamodel as datamodel
    assert jitbridge.typed.List is __import__("jitbridge.typed").typed.List
    assert datamodel.register_default is datamodel.register_model
    assert datamodel.StructModel is datamodel.models.StructModel


@pytest.mark.parametrize("value", [3, 2.5, True, 1 - 2j, np.float32(1.5), np.uint8(7)])
def test_like_functions_of_a_scalar_are_0d_arrays(value):
    @njit
    def like(s):
        a = np.empty_like(s)
        a[()] = s
        return a, np.zeros_like(s), np.ones_like(s, dtype=np.float32), np.full_like(s, 2)
    for got, expected in zip(like(value), (np.array(value), np.zeros_like(value),
                                           np.ones_like(value, dtype=np.float32),
                                           np.full_like(value, 2))):
        assert got.shape == () and got.dtype == expected.dtype and got == expected


class Thing:
    pass


def test_pass_thru_values_compare_by_identity():
    from jitbridge import objmode
    from jitbridge.passthru import PassThruContainer

    @njit
    def same(a, b):
        with objmode(x=pass_thru_type, y=pass_thru_type):
            x, y = a.obj, b.obj
        return x == y, x != y
    one, other = Thing(), Thing()
    with no_leaks(one, other):
        assert same(PassThruContainer(one), PassThruContainer(one)) == (True, False)
        assert same(PassThruContainer(one), PassThruContainer(other)) == (False, True)


def test_context_nrt_in_a_user_box_and_intrinsic():
    from jitbridge import types
    from jitbridge.extending import intrinsic

    @intrinsic
    def data_is_set(typingctx, a):
        def codegen(context, builder, sig, args):
            meminfo = context.make_helper(builder, sig.args[0], args[0]).meminfo
            data = context.nrt.meminfo_data(builder, meminfo)
            context.nrt.incref(builder, sig.args[0], args[0])  # and given back: exact counts
            context.nrt.decref(builder, sig.args[0], args[0])
            return builder.icmp_unsigned("!=", data, data.type(None))
        return types.boolean(a), codegen

    @njit
    def check():
        return data_is_set(np.arange(3))
    with no_leaks():
        assert check() is True


def test_infer_global_with_a_type_registers_it_at_once():
    from jitbridge import types
    from jitbridge.core.typing.templates import infer_global

    class Marker:
        pass

    infer_global(Marker, types.NumberClass(types.int64))  # no template: the type alone
    assert njit(lambda: Marker(3.7))() == 3
