"""Pickling Python functions by value: the ones pickle cannot name (local functions, lambdas,
functions the compiler generates such as objmode blocks).

A function travels as its marshalled code object, the name of the module whose globals it
reads, its defaults and its closure values; the receiving process (same Python version) binds
it to that module's globals again. Functions importable by name still pickle by reference.
Leaf module: compiled-code constants (core/callconv.py) and dispatcher pickling use it.
"""
from __future__ import annotations

import copyreg
import importlib
import io
import marshal
import pickle
import sys
import types

from .utils import imported

_PYTHON = sys.version_info[:2]


class FunctionPickler(pickle.Pickler):
    """A Pickler that carries unnamed functions by value."""

    def reducer_override(self, obj):
        if type(obj) is types.FunctionType and imported(obj.__module__, obj.__qualname__) is not obj:
            return reduce_function(obj)
        return NotImplemented


def dumps(obj, protocol: int = 4) -> bytes:
    """`pickle.dumps`, with functions pickle cannot name carried by value."""
    buffer = io.BytesIO()
    FunctionPickler(buffer, protocol).dump(obj)
    return buffer.getvalue()


def reduce_function(func) -> tuple:
    """The reduce tuple of `func` by value (see module docstring)."""
    cells = tuple(_cell_value(cell) for cell in func.__closure__ or ())
    module = func.__globals__.get("__name__", func.__module__)
    state = (marshal.dumps(func.__code__), _PYTHON, module, func.__name__, func.__qualname__,
             func.__defaults__, func.__kwdefaults__, cells, dict(func.__dict__))
    return (rebuild_function, state)


def rebuild_function(code: bytes, python: tuple, module: str, name: str, qualname: str,
                     defaults, kwdefaults, cells: tuple, attributes: dict):
    """The function `reduce_function` described, bound to `module`'s globals."""
    if tuple(python) != _PYTHON:
        raise pickle.UnpicklingError(
            f"function {qualname!r} was pickled by value under Python {python[0]}.{python[1]}; "
            f"its code object cannot run on Python {_PYTHON[0]}.{_PYTHON[1]}")
    namespace = importlib.import_module(module).__dict__
    closure = tuple(types.CellType(value) for value in cells) or None
    func = types.FunctionType(marshal.loads(code), namespace, name, defaults, closure)
    func.__qualname__, func.__kwdefaults__ = qualname, kwdefaults
    func.__dict__.update(attributes)
    return func


def _cell_value(cell):
    try:
        return cell.cell_contents
    except ValueError as exc:
        raise pickle.PicklingError("cannot pickle a function whose closure has an unfilled "
                                   "cell (a recursive inner function)") from exc


copyreg.constructor(rebuild_function)
