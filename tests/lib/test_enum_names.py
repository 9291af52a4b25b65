"""`.name` of Enum and IntEnum members in compiled code, as CPython's (aliases included)."""
import enum

from jitbridge import njit
from jitbridge.testing import no_leaks


class Color(enum.Enum):
    red = 1
    green = 2
    crimson = 1  # an alias of red: its name is "red"


class Shape(enum.IntEnum):
    circle = 1
    square = 2


class Level(enum.Enum):
    low = 0.5
    high = 2.5


@njit
def names(color, shape):
    return color.name, shape.name, Level.high.name, Color.crimson.name, len(color.name)


def test_names_as_cpython():
    for color in Color:
        for shape in Shape:
            assert names(color, shape) == (color.name, shape.name, "high", "red",
                                           len(color.name))
    assert names(Color.crimson, Shape.circle)[0] == Color.crimson.name == "red"


def test_no_leaks():
    names(Color.red, Shape.circle)
    with no_leaks():
        for _ in range(100):
            names(Color.green, Shape.square)
