"""What each source line of a compiled function costs at run time, from its annotated build:
the categories a line falls in, the types of the variables it assigns, and its code."""
from __future__ import annotations

import linecache
import re
from dataclasses import dataclass, field

from ..core.callconv import class_identity
from ..frontend.source import captured_lines
from ..ir import nodes as n
from .build import build

#: the cost categories, most expensive first; a line is shaded by the first it falls in
CATEGORIES = {
    "python": "calls into the Python C-API (boxing, unboxing, objmode, Python objects)",
    "alloc": "allocates memory (arrays, lists, strings...)",
    "raise": "may raise an exception",
    "check": "bounds checks (IndexError)",
}
NATIVE = "native"

_PYTHON_API = re.compile(r"^_?Py")
#: the C-API of exception handling: it runs when something raised (matching except clauses,
#: propagating a Python error), so it is the cost of raising, not of the line's work
_ERROR_API = re.compile(r"^(PyErr_|PyException_|_PyErr_)")
#: taking the GIL and reference counting mark code that touches Python objects, but are not
#: themselves work the interpreter would do (the exit's releases of a try region's saved
#: error, say): a line is shaded for the C-API work it calls, not for these
_BOOKKEEPING = {"PyGILState_Ensure", "PyGILState_Release", "Py_IncRef", "Py_DecRef",
                "jb_unpickle"}
_ALLOCATORS = {"jb_nrt_allocate", "jb_nrt_meminfo_new", "malloc", "calloc", "realloc"}
_RAISERS = {"jb_raise_excinfo"}


@dataclass
class LineReport:
    number: int
    source: str
    types: dict = field(default_factory=dict)  # variable -> its type, as Numba spells it
    costs: set = field(default_factory=set)  # of CATEGORIES' keys
    llvm: list = field(default_factory=list)
    asm: list = field(default_factory=list)

    @property
    def category(self) -> str:
        """The most expensive category the line falls in ('native': none)."""
        return next((name for name in CATEGORIES if name in self.costs), NATIVE)

    @property
    def has_code(self) -> bool:
        return bool(self.llvm or self.asm)


@dataclass
class FunctionReport:
    qualname: str
    signature: str
    filename: str
    lines: list  # of LineReport, the function's source lines in order
    note: str = ""  # why there is no code to show (a specialisation loaded from a cache)


def function_reports(dispatcher) -> list:
    """One report per compiled specialisation of `dispatcher`."""
    return [report_for(dispatcher, result) for result in dispatcher.overloads.values()]


def report_for(dispatcher, result) -> FunctionReport:
    py_func = dispatcher.py_func
    first, source = source_lines(py_func)
    name = f"{py_func.__qualname__}({', '.join(map(str, result.signature.args))})"
    filename = py_func.__code__.co_filename
    lines = [LineReport(first + i, text.rstrip("\n")) for i, text in enumerate(source)]
    if result.typed is None:
        return FunctionReport(py_func.__qualname__, name, filename, lines,
                              "loaded from the on-disk cache: no typed IR in this process")
    built = build(result, dispatcher._flags)
    by_number = {line.number: line for line in lines}
    _fill_types(by_number, result.typed)
    _fill_code(by_number, built)
    _fill_interpreted(by_number, result.typed)
    return FunctionReport(py_func.__qualname__, name, filename, lines)


def source_lines(py_func) -> tuple:
    """(first line number, the function's source lines) as its file or capture has them."""
    first = py_func.__code__.co_firstlineno
    text = captured_lines(py_func) or linecache.getlines(py_func.__code__.co_filename)
    last = max([first, *(line for _, _, line in py_func.__code__.co_lines() if line)])
    return first, text[first - 1:last]


def _fill_types(by_number: dict, typed) -> None:
    """The types of the named variables each line assigns (temporaries left out)."""
    for label in sorted(typed.fir.blocks):
        for stmt in typed.fir.blocks[label].body:
            if isinstance(stmt, n.Assign) and not stmt.target.startswith("$") \
                    and stmt.loc.line in by_number:
                by_number[stmt.loc.line].types[stmt.target] = str(typed.typemap[stmt.target])


def _fill_code(by_number: dict, built) -> None:
    for number, line in by_number.items():
        line.llvm = built.llvm.get(number, [])
        line.asm = built.asm.get(number, [])
        line.costs = _costs(built.calls.get(number, ()), built.raises.get(number, ()),
                            built.reach)
        if _costs(built.failing_calls.get(number, ()), (), built.reach):
            line.costs.add("raise")  # (work done only on the way out of a failure)


def _fill_interpreted(by_number: dict, typed) -> None:
    """Lines whose code runs in the interpreter (an objmode block's body): all Python's
    cost. A type whose values run Python code says which lines (`interpreted_lines`)."""
    for ty in typed.typemap.values():
        for number in getattr(ty, "interpreted_lines", ()):
            if number in by_number:
                by_number[number].costs.add("python")


_BOUNDS = class_identity(IndexError)


def _costs(calls, raises, reach: dict) -> set:
    """The categories of a line that calls `calls` (directly) and raises `raises`."""
    names = set(calls).union(*(reach.get(name, ()) for name in calls))
    costs = {"check" if identity == _BOUNDS else "raise" for identity in raises}
    if any(_PYTHON_API.match(name) and not _ERROR_API.match(name)
           for name in names - _BOOKKEEPING):
        costs.add("python")
    if names & _ALLOCATORS:
        costs.add("alloc")
    if names & _RAISERS or any(_ERROR_API.match(name) for name in names):
        costs.add("raise")
    return costs
