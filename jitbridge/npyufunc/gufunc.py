"""@guvectorize: generalized NumPy ufuncs (`'(m,n),(n,p)->(m,p)'`) from Python kernels that
write their outputs into array arguments.

Each signature compiles the kernel (arrays as views of any layout) and a native loop calling it
once per outer index; NumPy's `PyUFunc_FromFuncAndDataAndSignature` makes the gufunc, so
broadcasting over loop dimensions, `out=`, `axis=`/`axes=` and core-dimension checks are
NumPy's own. Without signatures the `GUFunc` is dynamic: it compiles for the dtypes of a call
that passes every operand, outputs included (nothing else says the outputs' dtypes).
"""
from __future__ import annotations

import functools
import threading

import numpy as np

from .. import types
from ..dispatch import parse_signature_spec
from ..pickling import by_reference, reduce_by_value
from .builder import (check_vectorize_options, element_type, kernel_dispatcher, kernel_options,
                      type_code)
from .capi import identity_code, make_ufunc
from .dufunc import _overrides
from .layout import dimension_indices, parse_layout
from . import objkernels
from .loops import build_gufunc_loop
from .parallel import build_parallel_loop


class GUFuncBuilder:
    """The loops of one gufunc kernel for a layout string, by argument types."""

    def __init__(self, py_func, signature: str, identity=None, cache=False, targetoptions=None,
                 writable_args=()):
        py_func = getattr(py_func, "py_func", py_func)  # (a jitted function: its Python code)
        self.py_func, self.signature, self.identity = py_func, signature, identity
        identity_code(identity)
        self.inputs, self.outputs = parse_layout(signature)
        self.operands = (*self.inputs, *self.outputs)
        self.options = {**(targetoptions or {}), **({"cache": True} if cache else {})}
        #: forceobj=True: the kernel runs in the interpreter (objkernels.py)
        self.object_mode = bool(self.options.get("forceobj"))
        self.writable_args = _writable_indices(py_func, writable_args, len(self.inputs))
        written = (*self.writable_args, *range(self.nin, len(self.operands)))
        self.dispatcher = objkernels.ObjectModeGUFuncKernels(
            py_func, kernel_options(self.options), written) \
            if self.object_mode else kernel_dispatcher(py_func, self.options)
        self.loops: dict = {}  # argument types -> (kernel, library, address)
        self._sigs: list = []

    @property
    def nin(self) -> int:
        return len(self.inputs)

    @property
    def nout(self) -> int:
        return len(self.outputs)

    def add(self, sig):
        """Compile the loop of `sig` (`'void(f8[:], f8, f8[:])'`, argument types alone...)."""
        argtypes, return_type = parse_signature_spec(sig)
        if return_type not in (None, types.none):
            raise TypeError(f"a gufunc kernel returns nothing (its outputs are arguments): "
                            f"got return type {return_type}")
        argtypes = self._kernel_types(argtypes)
        if argtypes in self.loops:
            return self.loops[argtypes][0]
        kernel = self.dispatcher.compile(argtypes)
        indices = dimension_indices(self.operands)
        library, address = build_gufunc_loop(kernel, f"gufunc.{kernel.native_name}", indices,
                                             self._contiguous_kernel(argtypes))
        if self.options.get("target") == "parallel":
            library, address = build_parallel_loop(
                library, f"gufunc.{kernel.native_name}", len(self.operands),
                1 + len({i for dims in indices for i in dims}))
        self.loops[argtypes] = (kernel, library, address)
        self._sigs.append(sig)
        return kernel

    def _contiguous_kernel(self, argtypes):
        """The kernel for C-contiguous views (what LLVM vectorises), when it has arrays."""
        if self.object_mode or not any(isinstance(t, types.Array) for t in argtypes):
            return None
        return self.dispatcher.compile(tuple(t.copy(layout="C") if isinstance(t, types.Array)
                                             else t for t in argtypes))

    def _kernel_types(self, argtypes) -> tuple:
        if len(argtypes) != len(self.operands):
            raise TypeError(f"signature has {len(argtypes)} argument(s), the layout "
                            f"{self.signature!r} {len(self.operands)}")
        result = []
        for position, (ty, dims) in enumerate(zip(argtypes, self.operands), start=1):
            if not isinstance(ty, types.Array):
                if dims:
                    raise TypeError(f"scalar type {ty} given for non scalar argument #{position}")
                result.append(ty)
                continue
            if ty.ndim != len(dims) and not (not dims and ty.ndim == 1):
                raise TypeError(f"type and shape signature mismatch for arg #{position}")
            result.append(ty.copy(layout="A"))  # NumPy's core strides may be anything
        return tuple(result)

    def build_ufunc(self):
        """The NumPy gufunc of the loops compiled so far."""
        entries = list(self.loops.values())
        codes = [tuple(type_code(t.dtype if isinstance(t, types.Array) else t)
                       for t in k.signature.args) for k, _, _ in entries]
        return make_ufunc([a for _, _, a in entries], codes, self.nin, self.nout,
                          self.py_func.__name__, self.py_func.__doc__,
                          identity_code(self.identity), signature=self.signature,
                          owners=[lib for _, lib, _ in entries],
                          writable=self.writable_args)

    def types_for(self, operands) -> tuple:
        """The kernel argument types a call passing every operand needs."""
        result = []
        for k, (value, dims) in enumerate(zip(operands, self.operands)):
            dtype = element_type(np.asarray(value).dtype)
            is_input = k < self.nin
            result.append(dtype if not dims and is_input
                          else types.Array(dtype, max(len(dims), 1), "A"))
        return tuple(result)


def _writable_indices(py_func, writable_args, nin: int) -> tuple:
    """Input positions of `writable_args` (given by index or parameter name)."""
    names = py_func.__code__.co_varnames[:py_func.__code__.co_argcount]
    result = []
    for arg in writable_args:
        index = names.index(arg) if isinstance(arg, str) and arg in names else arg
        if not isinstance(index, int) or not 0 <= index < nin:
            raise ValueError(f"writable_args: {arg!r} is not an input of {py_func.__name__!r}")
        result.append(index)
    return tuple(sorted(set(result)))


class GUFunc:
    """A generalized ufunc: static (its signatures compiled when made) or dynamic."""

    def __init__(self, py_func, signature, identity=None, cache=None, is_dynamic=False,
                 targetoptions=None, writable_args=()):
        self.gufunc_builder = GUFuncBuilder(py_func, signature, identity, cache, targetoptions,
                                            writable_args)
        self.py_func, self.is_dynamic = py_func, is_dynamic
        self._ufunc, self._frozen = None, False
        self._lock = threading.RLock()
        self.py_func = py_func = getattr(py_func, "py_func", py_func)
        functools.update_wrapper(self, py_func, updated=())

    def add(self, sig):
        """Compile the loop of `sig` (the gufunc is rebuilt on its next use); its
        CompileResult."""
        with self._lock:
            result = self.gufunc_builder.add(sig)
            self._ufunc = None
            return result

    def build_ufunc(self):
        """Build the NumPy gufunc now; this object (Numba's API returns the callable)."""
        with self._lock:
            if self._ufunc is None:
                self._ufunc = self.gufunc_builder.build_ufunc()
        return self

    def disable_compile(self) -> None:
        """No new loops from now on (a dynamic gufunc then uses NumPy's casting rules)."""
        self._frozen = True

    @property
    def ufunc(self):
        """The NumPy gufunc of the loops compiled so far (None before the first)."""
        return self.build_ufunc()._ufunc if self.gufunc_builder.loops else None

    @property
    def identity(self):
        identity = self.gufunc_builder.identity
        return None if identity == "reorderable" else identity

    @property
    def signature(self):
        """NumPy's: None for a layout without core dimensions (`'(),()->()'`)."""
        if all(not dims for dims in self.gufunc_builder.operands):
            return None
        return self.gufunc_builder.signature

    @property
    def types(self):
        return self.ufunc.types if self.ufunc is not None else []

    @property
    def ntypes(self):
        return len(self.gufunc_builder.loops)

    nin = property(lambda self: self.gufunc_builder.nin)
    nout = property(lambda self: self.gufunc_builder.nout)
    nargs = property(lambda self: self.nin + self.nout)

    def _check_count(self, args, kwargs) -> tuple:
        out = kwargs.get("out")
        outs = () if out is None else (out if isinstance(out, tuple) else (out,))
        operands = (*args, *outs)
        needed = self.nargs if self.is_dynamic else self.nin
        if len(args) < self.nin or len(operands) < needed:
            raise TypeError(f"Too few arguments for function '{self.__name__}'. Note that the "
                            "pattern `out = gufunc(Arg1, Arg2, ..., ArgN)` is not allowed for "
                            "a dynamic gufunc: pass every output (`gufunc(Arg1, ..., ArgN, out)`)")
        if len(operands) > self.nargs:
            # (Numba's wording, which its tests check for both cases)
            raise TypeError(f"Too few arguments for function '{self.__name__}': it takes at "
                            f"most {self.nargs} operands, got {len(operands)}")
        return operands

    def __call__(self, *args, **kwargs):
        overriding = _overrides(args, kwargs)
        if overriding:
            return self._delegate(overriding, args, kwargs)
        operands = self._check_count(args, kwargs)
        if self.is_dynamic and not self._frozen:
            argtypes = self.gufunc_builder.types_for(operands)
            if argtypes not in self.gufunc_builder.loops:
                self.add(argtypes)
        if not self.gufunc_builder.loops:
            raise TypeError(f"gufunc {self.__name__!r} has no compiled loop")
        return self.build_ufunc()._ufunc(*args, **kwargs)

    def _delegate(self, overriding, args, kwargs):
        for operand in overriding:
            result = type(operand).__array_ufunc__(operand, self, "__call__", *args, **kwargs)
            if result is not NotImplemented:
                return result
        raise TypeError(f"operands of {self.__name__!r} all returned NotImplemented")

    def __getattr__(self, name):
        if name in ("accumulate", "at", "outer", "reduce", "reduceat"):
            ufunc = self.ufunc if self.ufunc is not None else self._placeholder()
            return getattr(ufunc, name)
        raise AttributeError(name)

    def _placeholder(self):
        """A loop-less gufunc of this layout, for NumPy's own answers about its methods."""
        return make_ufunc([], [], self.nin, self.nout, self.__name__, None,
                          identity_code(self.gufunc_builder.identity),
                          signature=self.gufunc_builder.signature)

    def __repr__(self):
        return f"<jitbridge GUFunc {self.__name__!r} {self.gufunc_builder.signature!r}>"

    def __reduce__(self):
        if by_reference(self):
            return self.__qualname__
        b = self.gufunc_builder
        return reduce_by_value(self, self.py_func, _ByValue,
                               (b.signature, b.identity, b.options, list(b._sigs),
                                self.is_dynamic, self._frozen, b.writable_args), deferred=False)


class _ByValue:
    """How pickling.py rebuilds a GUFunc shipped by value (its loops compiled again)."""

    @staticmethod
    def make(py_func, signature, identity, options, sigs, is_dynamic, frozen, writable):
        gufunc = GUFunc(py_func, signature, identity=identity, is_dynamic=is_dynamic,
                        targetoptions=options, writable_args=writable)
        for sig in sigs:
            gufunc.add(sig)
        gufunc._frozen = frozen
        return gufunc

    @staticmethod
    def same(candidate, code, *extra) -> bool:
        return isinstance(candidate, GUFunc) and candidate.py_func.__code__ == code


def GUVectorize(func, signature, target="cpu", is_dynamic=False, identity=None, cache=False,
                writable_args=(), **targetoptions):
    """Numba's GUVectorize: a GUFunc to `add` signatures to (then `build_ufunc()`), or a
    dynamic one."""
    check_vectorize_options({"target": target, **targetoptions})
    return GUFunc(func, signature, identity=identity, cache=cache, is_dynamic=is_dynamic,
                  targetoptions=targetoptions, writable_args=writable_args)


def guvectorize(*args, **kwargs):
    """Numba's @guvectorize: `@guvectorize(['void(f8[:], f8[:])'], '(n)->(n)')` (static) or
    `@guvectorize('(n)->(n)')` (dynamic)."""
    if len(args) not in (1, 2):
        raise TypeError("guvectorize takes the signatures (optional) and a layout string")
    signatures, layout = ([], args[0]) if len(args) == 1 else args
    if isinstance(signatures, (str, types.Signature)):
        signatures = [signatures]
    check_vectorize_options(kwargs)
    options = {k: kwargs.pop(k, d) for k, d in (("identity", None), ("cache", False),
                                                ("writable_args", ()))}
    kwargs.pop("target", None)
    kwargs.pop("is_dynamic", None)

    def wrap(func):
        gufunc = GUFunc(func, layout, is_dynamic=not signatures, targetoptions=kwargs, **options)
        for sig in signatures:
            gufunc.add(sig)
        if signatures:
            gufunc.build_ufunc().disable_compile()
        return gufunc
    return wrap
