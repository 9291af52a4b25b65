"""The CPython object layout that generated code reads directly (no C-API call on hot paths):
computed from the running interpreter and checked against real objects at import, so an
interpreter built with another layout (a debug build's extra header fields, a free-threaded
build) gets a clear ImportError instead of compiled code that corrupts memory."""
from __future__ import annotations

import ctypes

POINTER = ctypes.sizeof(ctypes.c_void_p)
#: sizeof(PyObject_HEAD); ob_type is its last field
OBJECT_HEADER = object.__basicsize__
OB_TYPE = OBJECT_HEADER - POINTER
#: PyVarObject.ob_size follows the header; PyTupleObject.ob_item follows ob_size
VAR_SIZE = OBJECT_HEADER
TUPLE_ITEMS = tuple.__basicsize__
#: PyTypeObject.tp_name, the first field after PyObject_VAR_HEAD
TYPE_NAME = OBJECT_HEADER + ctypes.sizeof(ctypes.c_ssize_t)
#: PyTracebackObject.tb_next, the first field after PyObject_HEAD
TRACEBACK_NEXT = OBJECT_HEADER


def _two_level_traceback():
    def inner():
        raise ValueError

    try:
        inner()
    except ValueError as exc:
        return exc.__traceback__


def layout_problems(offsets: dict) -> list:
    """What reading real objects at `offsets` (the names above) gets wrong. Only compares
    values read in place, never follows a pointer read at an unverified offset."""
    sample, tb = (1.5, "x", None), _two_level_traceback()
    name_at = id(tuple) + offsets["TYPE_NAME"]
    checks = [
        ("ob_type", _word(id(sample) + offsets["OB_TYPE"]), id(tuple)),
        ("ob_size", _word(id(sample) + offsets["VAR_SIZE"]), 3),
        ("tuple ob_item[1]", _word(id(sample) + offsets["TUPLE_ITEMS"] + POINTER), id(sample[1])),
        # tp_basicsize and tp_itemsize follow tp_name
        ("tp_name", (_word(name_at + POINTER), _word(name_at + 2 * POINTER)),
         (tuple.__basicsize__, tuple.__itemsize__)),
        ("tb_next", _word(id(tb) + offsets["TRACEBACK_NEXT"]), id(tb.tb_next)),
    ]
    problems = [f"{field} at its offset reads {got!r}, expected {want!r}"
                for field, got, want in checks if got != want]
    if not problems and ctypes.c_char_p.from_address(name_at).value != b"tuple":
        problems.append("tp_name does not point to the type's name")
    return problems


def _word(address: int) -> int:
    return ctypes.c_ssize_t.from_address(address).value


def check_layout(offsets: dict) -> None:
    problems = layout_problems(offsets)
    if problems:
        raise ImportError("jitbridge does not support this CPython build's object layout "
                          f"({'; '.join(problems)}); please report it with `python -VV`")


OFFSETS = {"OB_TYPE": OB_TYPE, "VAR_SIZE": VAR_SIZE, "TUPLE_ITEMS": TUPLE_ITEMS,
           "TYPE_NAME": TYPE_NAME, "TRACEBACK_NEXT": TRACEBACK_NEXT}
check_layout(OFFSETS)
