"""One self-contained HTML page (no script, no external file) for the functions of a module:
each source line shaded by what it costs, with its variables' types; a click on a line opens
the LLVM IR and machine code it became (`<details>`, so it works without JavaScript)."""
from __future__ import annotations

from html import escape

from .report import CATEGORIES, NATIVE

#: shade of each category (also read by the tests that look at a rendered page)
COLORS = {"python": "#ffb199", "alloc": "#9fd3ff", "raise": "#e3c8ff", "check": "#fff099",
          NATIVE: "#ffffff"}

_STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; } h2 { font-size: 1.05em; margin-top: 1.6em; }
.legend span { display: inline-block; padding: 0.2em 0.6em; margin-right: 0.4em;
  border: 1px solid #ccc; }
.line, summary.line { font-family: monospace; white-space: pre; padding: 1px 4px;
  border-left: 4px solid transparent; display: block; }
details > summary { list-style: none; cursor: pointer; }
details > summary::-webkit-details-marker { display: none; }
.num { color: #888; display: inline-block; width: 4em; }
.types { color: #555; float: right; font-size: 0.85em; }
.panel { margin: 0.2em 0 0.6em 4.5em; }
.panel pre { background: #f6f6f6; border: 1px solid #ddd; padding: 0.5em; font-size: 0.8em;
  max-height: 24em; overflow: auto; }
.note { color: #a33; }
"""


def render_page(title: str, reports: list) -> str:
    """The page for `reports` (FunctionReports, one per specialisation)."""
    rules = "".join(f".{name} {{ background: {color}; }}\n" for name, color in COLORS.items())
    body = "".join(_function_section(report) for report in reports)
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{_STYLE}{rules}</style></head><body>\n<h1>{escape(title)}</h1>\n"
            f"{_legend()}{body}</body></html>\n")


def _legend() -> str:
    items = [f"<span class='{NATIVE}'>native code only</span>"]
    items += [f"<span class='{name}'>{escape(text)}</span>" for name, text in CATEGORIES.items()]
    return f"<p class='legend'>{''.join(items)}</p>\n<p>Click a line to see its code.</p>\n"


def _function_section(report) -> str:
    head = f"<h2>{escape(report.signature)} <small>{escape(report.filename)}</small></h2>\n"
    if report.note:
        return head + f"<p class='note'>{escape(report.note)}</p>\n"
    return head + "".join(_line(line) for line in report.lines) + "\n"


def _line(line) -> str:
    types = ", ".join(f"{name}: {ty}" for name, ty in line.types.items())
    text = (f"<span class='num'>{line.number}</span>{escape(line.source)}"
            f"<span class='types'>{escape(types)}</span>")
    category = line.category
    if not line.has_code:
        return f"<div class='line {category}'>{text}</div>\n"
    title = ", ".join(sorted(line.costs)) or NATIVE
    return (f"<details><summary class='line {category}' title='{escape(title)}'>{text}"
            f"</summary><div class='panel'>{_code('LLVM IR', line.llvm)}"
            f"{_code('machine code', line.asm)}</div></details>\n")


def _code(heading: str, lines: list) -> str:
    shown = "\n".join(lines) if lines else "(none: the optimiser folded it into other lines)"
    return f"<h4>{heading}</h4><pre>{escape(shown)}</pre>"
