"""What a dispatcher tells about its compiled specialisations: LLVM IR, machine code, typed IR,
the annotated view, the control-flow graph, parallel diagnostics (a mixin of the dispatcher)."""
from __future__ import annotations

import linecache

from .frontend.source import captured_lines
from .runtime.threads import PARALLEL_NOTES


class Introspection:
    """Methods reading `self.overloads` (argument types -> CompileResult); the dispatcher
    provides `_argtypes_of(signature)`."""

    def inspect_llvm(self, signature=None):
        """LLVM IR of one specialisation, or a dict of all of them."""
        if signature is not None:
            return self.overloads[self._argtypes_of(signature)].inspect_llvm()
        return {sig: r.inspect_llvm() for sig, r in self.overloads.items()}

    def inspect_asm(self, signature=None):
        """Native assembly of one specialisation, or a dict of all of them."""
        if signature is not None:
            return self.overloads[self._argtypes_of(signature)].inspect_asm()
        return {sig: r.inspect_asm() for sig, r in self.overloads.items()}

    def annotate(self, file=None) -> None:
        """Print each compiled specialisation's source lines with their variables' types and
        a mark for what each costs at run time (see `annotate_html`)."""
        print(_annotate().annotate_text(self), file=file)

    def annotate_html(self, path) -> str:
        """Write a self-contained HTML page: each source line shaded by its run-time cost
        (native; Python C-API; allocation; exception; bounds check), with its types, and
        the LLVM IR and machine code it became on a click. Returns the path."""
        return _annotate().write_html(self, path)

    def inspect_types(self, file=None, signature=None, pretty=False, style="default") -> None:
        """Numba's: print the typed IR of each specialisation (or of `signature`'s) to `file`
        (default: standard output). `pretty=True` (Numba's coloured or HTML rendering) is
        refused: `annotate_html()` is jitbridge's rendered view."""
        if pretty:
            raise ValueError("inspect_types(pretty=True) is not supported; "
                             "annotate_html(path) writes the rendered view")
        items = self.overloads.items() if signature is None else [
            (s, r) for s, r in self.overloads.items() if s == self._argtypes_of(signature)]
        print("\n\n".join(_typed_text(r) for _, r in items), file=file)

    def inspect_cfg(self, signature=None):
        """Numba's: the control-flow graph (Graphviz text in `.dot`) of one specialisation's
        LLVM function, or a dict of them."""
        graph = _annotate().control_flow_graph
        if signature is not None:
            return graph(self.overloads[self._argtypes_of(signature)])
        return {sig: graph(r) for sig, r in self.overloads.items()}

    def get_annotation_info(self, signature=None) -> dict:
        """Numba's: per specialisation, the source lines and the types each line assigns."""
        info = _annotate().annotation_info(self)
        if signature is None:
            return info
        wanted = self._argtypes_of(signature)
        return {k: v for (sig, _), (k, v) in zip(self.overloads.items(), info.items())
                if sig == wanted}

    def parallel_diagnostics(self, signature=None, level: int = 1, file=None) -> None:
        """Print, per specialisation, which loops and array operations run on the threads
        and which do not (parallel=True; `level` is accepted for Numba's signature)."""
        items = self.overloads.items() if signature is None else [
            (s, r) for s, r in self.overloads.items() if s == self._argtypes_of(signature)]
        for argtypes, result in items:
            print(_parallel_report(self, argtypes, result), file=file)


def _parallel_report(dispatcher, argtypes, result) -> str:
    name = dispatcher.py_func.__qualname__
    lines = [f"Parallel diagnostics of {name} {argtypes}:"]
    if not dispatcher.targetoptions.get("parallel"):
        return "\n".join(lines + ["  compiled without parallel=True: everything runs serially"])
    loops = getattr(result.typed.fir, "parallel_loops", ()) if result.typed is not None else ()
    lines += ["  " + loop.describe().replace("\n", "\n  ") for loop in loops]
    operations = [(line, what) for line, what in PARALLEL_NOTES.get(result.library, ())
                  if what != "prange loop"]
    lines += [f"  line {line}: {what} runs in parallel (from 16384 items on)"
              for line, what in sorted(operations)]
    if len(lines) == 1:
        lines.append("  nothing runs in parallel: no prange loop, no array expression")
    lines.append("  (loops over range() run serially: write prange to run one in parallel)")
    return "\n".join(lines)


def _typed_text(result) -> str:
    """Numba's layout: each source line after the typed statements made from it."""
    if result.typed is None:
        return f"{result.signature}: loaded from the on-disk cache (no typed IR in this process)"
    fir = result.typed.fir
    header = f"{fir.qualname} {result.signature.args}"
    func = fir.py_func
    lines = (captured_lines(func) if func is not None else None) or \
        linecache.getlines(fir.loc.filename)
    first = func.__code__.co_firstlineno if func is not None else fir.loc.line
    from .ir.printer import format_annotated
    return format_annotated(fir, result.typed.typemap, header, lines, first)


def _annotate():
    """The annotate package, imported on first use: no plain call needs it, and it costs
    `import jitbridge` a tenth of its time."""
    from . import annotate
    return annotate
