"""Native code of one stencil specialisation: the kernel made absolute (a jitted function of
the arguments and the index variables) and a jitted driver looping it over the interior.

The driver is Python text compiled by the normal pipeline:

    def __jb_stencil(__jb_a0, __jb_a1, __jb_out):     # the kernel's arguments, then out
        (secondary arrays at least as large as the first; out shaped as the first)
        __jb_out = np.full(__jb_a0.shape, __jb_cval, __jb_dtype)    # when out is not given
        for __jb_i0 in range(lo0, __jb_a0.shape[0] - hi0):
            for __jb_i1 in range(lo1, __jb_a0.shape[1] - hi1):
                __jb_out[__jb_i0, __jb_i1] = __jb_kernel(__jb_a0, __jb_a1, __jb_i0, __jb_i1)
        return __jb_out
"""
from __future__ import annotations

import ast
import types as pytypes

import numpy as np

from .. import types
from ..decorators import njit
from ..frontend.source import SourceInfo, closure_values, compile_source
from ..np.numpy_support import as_dtype

_SMALLER = ("Secondary stencil array has some dimension smaller than the same dimension in "
            "the first stencil input.")
_OUT_SHAPE = "the out array of a stencil must have the shape of its first input array"


def kernel_dispatcher(kernel, func, ndim: int, boundscheck: bool):
    """The jitted absolute kernel: errors in it are located in the user's kernel source."""
    name = f"{func.__name__}_absolute" if func.__name__.isidentifier() else "stencil_kernel"
    tree = kernel.absolute_tree(name, ndim)
    filename = func.__code__.co_filename
    code = compile(ast.Module([tree], type_ignores=[]), filename, "exec", dont_inherit=True)
    inner = next(c for c in code.co_consts if isinstance(c, pytypes.CodeType))
    namespace = dict(func.__globals__)
    namespace.update(closure_values(func))  # frozen, as the frontend freezes closures
    absolute = pytypes.FunctionType(inner, namespace, name)
    absolute.__qualname__ = func.__qualname__
    source = kernel.source
    absolute.__jitbridge_source__ = SourceInfo(absolute, source.filename, tree, source.indent,
                                               source.lines)
    return njit(absolute, boundscheck=boundscheck) if boundscheck else njit(absolute)


def driver_text(nargs: int, relative: list, ndim: int, bounds: list, out: str) -> str:
    """`out` is "given", "fill" (given, filled with cval first) or "new"."""
    params = [f"__jb_a{k}" for k in range(nargs)]
    first = params[0]
    lines = [f"def __jb_stencil({', '.join(params + (['__jb_out'] if out != 'new' else []))}):"]
    for k in relative[1:]:
        for d in range(ndim):
            lines.append(f"    if __jb_a{k}.shape[{d}] < {first}.shape[{d}]:")
            lines.append(f"        raise ValueError({_SMALLER!r})")
    if out == "new":
        lines.append(f"    __jb_out = np.full({first}.shape, __jb_cval, __jb_dtype)")
    else:
        lines.append(f"    if __jb_out.shape != {first}.shape:")
        lines.append(f"        raise ValueError({_OUT_SHAPE!r})")
    if out == "fill":
        lines.append("    __jb_out[...] = __jb_cval")
    indices = [f"__jb_i{d}" for d in range(ndim)]
    for d, (lo, hi) in enumerate(bounds):
        pad = "    " * (d + 1)
        lines.append(f"{pad}for {indices[d]} in range({-min(0, lo)}, "
                     f"{first}.shape[{d}] - {max(0, hi)}):")
    pad = "    " * (ndim + 1)
    lines.append(f"{pad}__jb_out[{', '.join(indices)}] = "
                 f"__jb_kernel({', '.join(params + indices)})")
    lines.append("    return __jb_out")
    return "\n".join(lines) + "\n"


def driver_dispatcher(text: str, kernel, cval, dtype):
    namespace = {"__name__": "jitbridge.stencils.generated", "np": np, "__jb_kernel": kernel,
                 "__jb_cval": cval, "__jb_dtype": dtype}
    return njit(compile_source(text, "__jb_stencil", globals=namespace))


def call_text(nargs: int, with_out: bool) -> str:
    """The implementation a call in compiled code runs: the stencil value, then the driver's
    arguments."""
    params = [f"__jb_a{k}" for k in range(nargs)] + (["__jb_out"] if with_out else [])
    return (f"def __jb_stencil_call(__jb_self, {', '.join(params)}):\n"
            f"    return __jb_driver({', '.join(params)})\n")


def call_function(nargs: int, with_out: bool, driver):
    namespace = {"__name__": "jitbridge.stencils.generated", "__jb_driver": driver}
    return compile_source(call_text(nargs, with_out), "__jb_stencil_call", globals=namespace)


def output_dtype(return_type):
    """The NumPy scalar class of the output array (np.full's dtype argument)."""
    return as_dtype(return_type).type


def is_scalar(ty) -> bool:
    return isinstance(ty, (types.Number, types.Boolean))
