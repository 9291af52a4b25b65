"""The annotated view of compiled code, in the spirit of `cython -a`: each source line with
the types of its variables and what it costs at run time (native only; Python C-API calls;
allocations; exceptions; bounds checks), with the LLVM IR and machine code it became.

`f.annotate()` prints the table; `f.annotate_html(path)` writes a page;
`python -m jitbridge annotate script.py` writes one page per module the script compiled."""
from __future__ import annotations

import os
from collections import defaultdict

from .html import render_page
from .introspect import annotation_info, control_flow_graph  # noqa: F401 (Numba's views)
from .report import CATEGORIES, NATIVE, function_reports

__all__ = ["annotate_text", "write_html", "write_module_pages", "CATEGORIES"]

_MARKS = {NATIVE: " ", "python": "P", "alloc": "A", "raise": "R", "check": "B"}


def annotate_text(dispatcher) -> str:
    """The terminal table: line number, cost mark, source, types of the line's variables."""
    legend = "  ".join(f"{_MARKS[name]}: {name}" for name in CATEGORIES)
    out = []
    for report in function_reports(dispatcher):
        out += [report.signature, f"  ({legend})", "-" * 80]
        if report.note:
            out.append(f"  {report.note}")
        for line in report.lines:
            types = ", ".join(f"{k}: {v}" for k, v in line.types.items())
            out.append(f"{line.number:5d} {_MARKS[line.category]} {line.source}"
                       + (f"    # {types}" if types else ""))
        out.append("")
    return "\n".join(out)


def write_html(dispatcher, path) -> str:
    """Write the page of `dispatcher`'s specialisations to `path`; return the path."""
    reports = function_reports(dispatcher)
    return _write(path, render_page(f"jitbridge: {dispatcher.__qualname__}", reports))


def write_module_pages(dispatchers, directory) -> list:
    """One page per module (by the source file of its functions) in `directory`, each
    listing every compiled specialisation of its functions; return the paths written."""
    by_file = defaultdict(list)
    for dispatcher in dispatchers:
        if dispatcher.overloads:
            by_file[dispatcher.py_func.__code__.co_filename].append(dispatcher)
    os.makedirs(directory, exist_ok=True)
    paths, stems = [], set()
    for filename, members in sorted(by_file.items()):
        members.sort(key=lambda d: d.py_func.__code__.co_firstlineno)
        reports = [r for d in members for r in function_reports(d)]
        page = render_page(f"jitbridge: {filename}", reports)
        paths.append(_write(os.path.join(directory, _page_name(filename, stems)), page))
    return paths


def _page_name(filename: str, taken: set) -> str:
    """`module.html`, or `module-2.html` where another folder has a module of that name."""
    stem = os.path.splitext(os.path.basename(filename))[0] or "module"
    name, count = stem, 1
    while name in taken:
        count += 1
        name = f"{stem}-{count}"
    taken.add(name)
    return f"{name}.html"


def _write(path, text: str) -> str:
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return os.fspath(path)
