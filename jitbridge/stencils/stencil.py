"""`@stencil` (Numba's `numba.stencils.stencil`): a kernel written with relative indexing,
applied over every point of its input where the neighbourhood stays inside the array; the
other points get `cval`. Each call's argument types get one native specialisation (the
absolute kernel and its loop nest, driver.py), from Python and from compiled code alike."""
from __future__ import annotations

import ast
import threading

from .. import types
from ..errors import NumbaValueError, TypingError
from ..frontend.source import read_source
from ..typing.typeof import typeof
from ..typing.unify import can_convert
from . import driver
from .kernel import StencilKernel
from .typing import StencilFuncType

_OPTIONS = ("cval", "standard_indexing", "neighborhood")


def stencil(func_or_mode="constant", **options):
    """`@stencil`, `@stencil(neighborhood=..., cval=..., standard_indexing=...)` or
    `stencil(kernel, **options)`: the kernel as a StencilFunc."""
    for option in options:
        if option not in _OPTIONS:
            raise NumbaValueError(f"Unknown stencil option {option}")
    if isinstance(func_or_mode, str):
        if func_or_mode != "constant":
            raise NumbaValueError(f"Unsupported mode style {func_or_mode}")
        return lambda func: StencilFunc(func, options)
    return StencilFunc(func_or_mode, options)


class StencilFunc:
    """A stencil kernel and its options; calling it runs the kernel over its arguments."""

    def __init__(self, func, options: dict):
        self.kernel_func = getattr(func, "py_func", func)
        if not hasattr(self.kernel_func, "__code__"):
            raise TypeError(f"@stencil needs a Python function, not {func!r}")
        self.options = dict(options)
        self.neighborhood = _checked_neighborhood(options.get("neighborhood"))
        self.standard_indexing = _names(options.get("standard_indexing", ()))
        self.source = read_source(self.kernel_func)
        self._specialisations: dict = {}
        self._lock = threading.RLock()
        self.__name__ = getattr(self.kernel_func, "__name__", "stencil")
        self.__qualname__ = getattr(self.kernel_func, "__qualname__", self.__name__)
        self.__doc__ = getattr(self.kernel_func, "__doc__", None)

    def __repr__(self):
        return f"<stencil {self.__qualname__}>"

    @property
    def _numba_type_(self):
        return StencilFuncType(self)

    # -- calls from Python ------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        out = kwargs.pop("out", None)
        if kwargs:
            raise TypeError(f"stencil {self.__name__}() got unexpected keyword arguments "
                            f"{sorted(kwargs)} (only out= is accepted)")
        argtypes = tuple(_typeof_argument(a, k) for k, a in enumerate(args))
        out_type = None if out is None else _typeof_argument(out, "out")
        run = self.specialise(argtypes, out_type)
        return run(*args) if out is None else run(*args, out)

    # -- specialisations --------------------------------------------------------------------------
    def specialise(self, argtypes: tuple, out_type=None):
        """The jitted driver for these argument types (and the type of out=, or None)."""
        argtypes = tuple(types.unliteral(t) for t in argtypes)
        key = (argtypes, out_type)
        with self._lock:
            found = self._specialisations.get(key)
            if found is None:
                found = self._specialisations[key] = self._build(argtypes, out_type)
        return found

    def _build(self, argtypes: tuple, out_type):
        self._check_names()  # when called, as Numba: a kernel only made raises nothing
        self._check_arguments(argtypes, out_type)
        ndim = argtypes[0].ndim
        relative = self._relative_arguments(argtypes)
        kernel = StencilKernel(self.source, frozenset(self.params[k] for k in relative))
        kernel.check(ndim)
        self._check_secondary(kernel, argtypes, relative)
        bounds, safe = self._bounds(kernel, ndim)
        kernel_jit = driver.kernel_dispatcher(kernel, self.kernel_func, ndim, not safe)
        return_type = self._return_type(kernel, kernel_jit, argtypes + (types.intp,) * ndim)
        out_mode = "new" if out_type is None else "fill" if "cval" in self.options else "given"
        text = driver.driver_text(len(argtypes), relative, ndim, bounds, out_mode)
        return driver.driver_dispatcher(text, kernel_jit, self.options.get("cval", 0),
                                        driver.output_dtype(return_type))

    def _relative_arguments(self, argtypes: tuple) -> list:
        """Positions of the relatively indexed arguments: arrays not in standard_indexing."""
        return [k for k, (name, ty) in enumerate(zip(self.params, argtypes))
                if name not in self.standard_indexing and isinstance(ty, types.Array)]

    def _check_secondary(self, kernel, argtypes: tuple, relative: list) -> None:
        for k in relative[1:]:
            if argtypes[k].ndim != argtypes[0].ndim:
                raise kernel.error("Secondary stencil array does not have same number of "
                                   f"dimensions as the first stencil input ({argtypes[k]} "
                                   f"for argument {self.params[k]!r}, {argtypes[0]} first).")

    def _bounds(self, kernel: StencilKernel, ndim: int) -> tuple:
        """(per dimension (lo, hi) offsets, whether every access is proven inside them)."""
        if self.neighborhood is None:
            return kernel.inferred_neighborhood(ndim), True
        if len(self.neighborhood) != ndim:
            raise kernel.error(f"{len(self.neighborhood)} dimensional neighborhood specified "
                               f"for {ndim} dimensional input array")
        spans = kernel.spans(ndim)
        safe = spans is not None and all(
            min(0, lo) <= s_lo and s_hi <= max(0, hi)
            for (lo, hi), (s_lo, s_hi) in zip(self.neighborhood, spans))
        return list(self.neighborhood), safe

    def _return_type(self, kernel, kernel_jit, argtypes):
        return_type = kernel_jit.compile(argtypes).signature.return_type
        if isinstance(return_type, types.Array):
            raise kernel.error("Stencil kernel must return a scalar and not a numpy array.")
        if not driver.is_scalar(return_type):
            raise kernel.error(f"Stencil kernel must return a number or a boolean, not "
                               f"{return_type}.")
        if "cval" in self.options:
            cval_type = typeof(self.options["cval"])
            if cval_type is None or can_convert(cval_type, return_type) is None:
                raise kernel.error("cval type does not match stencil return type.")
        return return_type

    # -- checks -----------------------------------------------------------------------------------
    @property
    def params(self) -> list:
        return [a.arg for a in self.source.tree.args.args]

    def _check_names(self) -> None:
        args = self.source.tree.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
            raise NumbaValueError("stencil kernels take plain positional parameters only "
                                  "(no defaults, *args, keyword-only or **kwargs)",
                                  self.source.loc(None))
        if "out" in self.params or "out" in _assigned_names(self.source.tree):
            raise NumbaValueError("Cannot use the reserved word 'out' in stencil kernels.",
                                  self.source.loc(None))
        missing = [n for n in self.standard_indexing if n not in self.params]
        if missing:
            raise NumbaValueError("Standard indexing requested for an array name not present "
                                  f"in the stencil kernel definition: {missing[0]!r}",
                                  self.source.loc(None))
        if self.params and self.params[0] in self.standard_indexing:
            raise NumbaValueError("The first argument to a stencil kernel is the primary "
                                  "input array; it cannot use standard indexing",
                                  self.source.loc(None))

    def _check_arguments(self, argtypes: tuple, out_type) -> None:
        loc = self.source.loc(None)
        if len(argtypes) != len(self.params):
            raise TypingError(f"stencil {self.__name__}() takes {len(self.params)} arguments "
                              f"({', '.join(self.params)}), {len(argtypes)} given", loc)
        if not argtypes or not isinstance(argtypes[0], types.Array):
            raise NumbaValueError("The first argument to a stencil kernel must be the primary "
                                  f"input array (got {argtypes[0] if argtypes else 'none'}).",
                                  loc)
        if argtypes[0].ndim == 0:
            raise NumbaValueError("stencil input arrays need at least one dimension", loc)
        if out_type is not None and not (isinstance(out_type, types.Array)
                                         and out_type.ndim == argtypes[0].ndim
                                         and out_type.mutable):
            raise NumbaValueError(f"out= must be a writable array of {argtypes[0].ndim} "
                                  f"dimensions like the first input, not {out_type}", loc)


def _typeof_argument(value, position):
    ty = typeof(value)
    if ty is None:
        raise TypingError(f"stencil argument {position}: cannot determine the type of "
                          f"{type(value).__name__} {value!r}")
    return ty


def _checked_neighborhood(value):
    if value is None:
        return None
    try:
        pairs = [tuple(pair) for pair in value]
    except TypeError:
        pairs = None
    if pairs is None or not all(len(p) == 2 and all(_is_int(x) for x in p) for p in pairs):
        raise NumbaValueError(f"neighborhood must be a tuple of (low, high) integer pairs, one "
                              f"per dimension, not {value!r}")
    return [(int(lo), int(hi)) for lo, hi in pairs]


def _is_int(value) -> bool:
    return hasattr(value, "__index__") and not isinstance(value, bool)


def _names(value) -> tuple:
    return (value,) if isinstance(value, str) else tuple(value)


def _assigned_names(tree) -> set:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
            and not isinstance(n.ctx, ast.Load)}
