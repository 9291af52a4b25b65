"""objmode output annotations are checked where the block is written (issue 22): a name the
block assigns and the function reads afterwards must be annotated (compiled code would
otherwise continue with the value from before the block: a silent wrong result), an annotated
name must be assigned by the block, and an annotation that is no type says why."""
import numpy as np
import pytest

from jitbridge import njit, objmode, types
from jitbridge.errors import TypingError


def _error(func, *args) -> str:
    with pytest.raises(TypingError) as info:
        func(*args)
    return str(info.value)


def test_assigned_and_read_after_needs_an_annotation():
    @njit
    def rebinds():
        x = 1
        with objmode():
            x = 2
        return x

    message = _error(rebinds)
    assert "Missing type annotation on outgoing variable(s): ['x']" in message
    assert "with objmode(x='<add_type_as_string_here>')" in message
    assert "test_objmode_annotations.py" in message  # located at the block


def test_read_in_a_later_iteration_counts_as_read_after():
    @njit
    def loop(n):
        total = 0
        for i in range(n):
            total += i
            with objmode():
                total = 0
        return 0

    assert "['total']" in _error(loop, 3)


def test_block_only_temporaries_need_no_annotation():
    @njit
    def temp(x):
        with objmode(y="float64"):
            scratch = x * 2
            y = scratch + 1.0
        return y

    assert temp(1.5) == 4.0


def test_annotation_of_a_name_the_block_does_not_assign():
    @njit
    def bogus(x):
        with objmode(k="float64[:]"):
            print(x)
        return x

    assert "Invalid type annotation on non-outgoing variables: ['k']" in _error(bogus, 1)


@pytest.mark.parametrize("source, reason", [
    ("undefined_global_type", "Global 'undefined_global_type' is not defined."),
    ("types.NO_SUCH_TYPE", "Getattr cannot be resolved at compile-time"),
    ("1 + 1", "The value must be a compile-time constant"),
])
def test_annotations_that_are_not_types(tmp_path, source, reason):
    path = tmp_path / "block.py"
    path.write_text("from jitbridge import njit, objmode, types\n\n@njit\ndef f():\n"
                    f"    with objmode(v={source}):\n        v = 1.5\n    return v\n")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    message = _error(namespace["f"])
    assert f"Error handling objmode argument 'v'. {reason}" in message


def test_empty_closure_cell_is_named_a_freevar():
    def make():
        kind = types.float64[:]

        def impl():
            with objmode(out=kind):
                out = np.arange(3.0)
            return out
        del kind
        return impl

    assert "Freevar 'kind' is not defined" in _error(njit(make()))


def test_a_jitted_function_argument_reaches_the_block():
    seen = []

    def record(value):
        seen.append(value)

    @njit
    def use(func, x):
        with objmode():
            record(func(x[0]))

    add5 = njit(lambda z: z + 5)
    use(add5, np.array([1, 2]))
    other = njit(lambda z: z - 1)
    use(other, np.array([1, 2]))  # another dispatcher: its own specialisation
    assert seen == [6, 0]
