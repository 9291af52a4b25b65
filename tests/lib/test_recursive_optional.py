"""A recursive function (or recursive inner function) returning a value on some paths and
None on others returns Optional(T), as CPython returns the value or None."""
from jitbridge import njit


@njit
def countdown(x):
    if x < 2:
        return 10
    else:
        countdown(x - 1)  # (the value is dropped: this path returns None)


def closure_countdown(x):
    y = x + 1

    def inner(x):
        if x + y < 2:
            return 10
        else:
            inner(x - 1)
    return inner(x)


jit_closure_countdown = njit(closure_countdown)


def test_recursive_function_returning_none_on_some_paths():
    assert countdown(1) == 10
    assert countdown(5) is None


def test_recursive_inner_function_returning_none_on_some_paths():
    assert jit_closure_countdown(-5) == closure_countdown(-5) == 10
    assert jit_closure_countdown(10) is None and closure_countdown(10) is None
