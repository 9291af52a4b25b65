"""Small helpers with no jitbridge dependencies (leaf module)."""
from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
import threading


# -- recursion headroom for the compiler ------------------------------------------------------
# The compiler recurses on nested values (types of nested tuples: typeof, data models, boxing)
# and on call chains (typing a caller compiles its callees). Python 3.11 has one recursion
# counter for Python frames and C recursion, so the default limit (1000) stops a 200-deep
# nested tuple. These depths are bounded by explicit limits elsewhere (MAX_NESTING, the call
# chain limit), so lending the compiler a fixed number of extra frames keeps the C stack small.

#: Frames lent to the compiler beyond those in use when it starts.
COMPILER_HEADROOM = 6000
#: Never lend beyond this depth (a backstop: the explicit limits keep far below it).
MAX_COMPILER_DEPTH = 20000

_headroom_lock = threading.Lock()
_headroom_users = 0
_saved_limit = 0


def frame_depth() -> int:
    """How many Python frames the calling thread has in use."""
    depth, frame = 0, sys._getframe(1)
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


_collector_lock = threading.Lock()
_collector_users = 0
_collector_was_enabled = False


@contextlib.contextmanager
def collector_paused():
    """Run the code inside without the cyclic garbage collector (re-enabled, if it was, when
    the last active user exits). A compilation allocates objects by the hundred thousand
    and frees few: every allocation-count collection traverses them for nothing (a quarter
    of the time a long function takes to compile), and full collections grow with the heap.
    What the compilation leaves as garbage is collected by the next collection after it."""
    global _collector_users, _collector_was_enabled
    with _collector_lock:
        if _collector_users == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0 and _collector_was_enabled:
                gc.enable()


@contextlib.contextmanager
def recursion_headroom(frames: int = COMPILER_HEADROOM):
    """Let the code inside use `frames` more nested calls than are in use now.

    The interpreter-wide limit is raised (never lowered) and restored when the last active
    user exits, so other threads inside a guard keep theirs.
    """
    global _headroom_users, _saved_limit
    needed = min(frame_depth() + frames, MAX_COMPILER_DEPTH)
    with _headroom_lock:
        if _headroom_users == 0:
            _saved_limit = sys.getrecursionlimit()
        _headroom_users += 1
        if sys.getrecursionlimit() < needed:
            sys.setrecursionlimit(needed)
    try:
        yield
    finally:
        with _headroom_lock:
            _headroom_users -= 1
            if _headroom_users == 0:
                sys.setrecursionlimit(max(_saved_limit, frame_depth() + 50))


def imported(module: str, qualname: str):
    """The object `module.qualname` names (among the modules imported), or None."""
    found = sys.modules.get(module)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found


def code_names(code) -> set:
    """The global (and attribute) names `code` and the code objects nested in it refer to."""
    names, pending = set(), [code]
    while pending:
        current = pending.pop()
        names.update(current.co_names)
        pending.extend(c for c in current.co_consts if isinstance(c, type(code)))
    return names


def capsule_address(capsule) -> int:
    """The pointer a PyCapsule holds (Cython's __pyx_capi__ entries, NumPy's C API table)."""
    get_name, get_pointer = ctypes.pythonapi.PyCapsule_GetName, ctypes.pythonapi.PyCapsule_GetPointer
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return get_pointer(capsule, get_name(capsule))
