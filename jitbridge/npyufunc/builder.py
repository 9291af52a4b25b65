"""Compiling kernels and loops for ufuncs: one native loop per signature, built into a real
`numpy.ufunc` (so NumPy itself does broadcasting, casting, `out=`, `where=`, reduce...).

Kernels are compiled by an ordinary dispatcher of the Python function with Numba's ufunc error
model, 'numpy' (a float divided by zero gives inf or nan, an integer one 0); any other exception
raised by a kernel stops the loop and reaches the caller.
"""
from __future__ import annotations

import numpy as np

from .. import types
from ..dispatch import make_dispatcher, parse_signature_spec
from ..np.numpy_support import as_dtype, from_dtype
from .capi import identity_code, make_ufunc
from .loops import build_ufunc_loop
from .objkernels import ObjectModeUFuncKernels
from .parallel import build_parallel_loop

#: options of @vectorize/@guvectorize passed on to the kernel's dispatcher
KERNEL_OPTIONS = {"nopython", "forceobj", "fastmath", "boundscheck", "locals", "cache",
                  "nogil", "error_model", "looplift", "_nrt", "parallel"}
#: id(numpy.ufunc built by @vectorize) -> its UFuncBuilder (compiled code calls the kernel);
#: an entry leaves when its ufunc dies (the ufunc holds a `_Forget`)
BUILT: dict = {}
ACCEPTED = KERNEL_OPTIONS | {"target", "identity", "writable_args", "is_dynamic"}


def check_vectorize_options(options: dict) -> None:
    """Numba's KeyError for an option it does not know, and the clear error for targets other
    than 'cpu'."""
    unknown = set(options) - ACCEPTED
    if unknown:
        raise KeyError(f"Unrecognized options: {', '.join(sorted(unknown))}")
    target = options.get("target", "cpu")
    if target not in ("cpu", "parallel"):
        raise NotImplementedError(
            f"@vectorize/@guvectorize target={target!r} is not supported: 'cpu' or 'parallel' "
            "(jitbridge compiles for CPUs)")


def kernel_options(options: dict) -> dict:
    """The options of a ufunc's kernel: Numba's ufunc error model unless given."""
    result = {k: v for k, v in options.items() if k in KERNEL_OPTIONS}
    result.setdefault("error_model", "numpy")
    return result


def kernel_dispatcher(py_func, options: dict):
    """The dispatcher compiling the scalar (or core) kernel of a ufunc; with forceobj=True,
    the kernels calling it in the interpreter (objkernels.py)."""
    if options.get("forceobj"):
        return ObjectModeUFuncKernels(py_func, kernel_options(options))
    return make_dispatcher(py_func, **kernel_options(options))


def loop_element(ty):
    """The element type of a loop's operand of kernel type `ty`: an IntEnum member is an int,
    so its value's type (the value is its representation)."""
    return ty.dtype if isinstance(ty, types.IntEnumMember) else ty


def type_code(ty) -> int:
    """NumPy's type number for a scalar type of a loop (numbers without loading the array
    library: a ufunc called from Python never needs it)."""
    ty = loop_element(ty)
    if isinstance(ty, (types.Number, types.Boolean)) and not isinstance(ty, types.Literal):
        return np.dtype(ty.name).num
    try:
        return as_dtype(ty).num
    except (TypeError, NotImplementedError, KeyError):
        raise TypeError(f"type {ty} cannot be an element type of a NumPy ufunc loop") from None


def element_type(dtype):
    """The jitbridge type of a dtype's elements (numbers without the array library)."""
    if dtype.kind in "biufc" and dtype.isnative:
        return getattr(types, "boolean" if dtype.kind == "b" else dtype.name)
    return from_dtype(dtype)


class UFuncBuilder:
    """The loops of one elementwise kernel, by input types, in the order they were added."""

    def __init__(self, py_func, options: dict | None = None):
        py_func = getattr(py_func, "py_func", py_func)  # (a jitted function: its Python code)
        self.py_func = py_func
        self.options = dict(options or {})
        self.dispatcher = kernel_dispatcher(py_func, self.options)
        self.loops: dict = {}  # input types -> (kernel, library, address)
        self.nin = py_func.__code__.co_argcount

    def add(self, sig):
        """Compile the loop of `sig` (a signature in any accepted form); its CompileResult."""
        argtypes, return_type = parse_signature_spec(sig)
        if len(argtypes) != self.nin:
            raise TypeError(f"signature {sig!r} has {len(argtypes)} argument(s); "
                            f"{self.py_func.__name__!r} takes {self.nin}")
        if argtypes in self.loops:
            return self.loops[argtypes][0]
        kernel = self.dispatcher.compile(argtypes if return_type is None
                                         else types.Signature(return_type, argtypes))
        self._check_scalar(kernel.signature)
        library, address = build_ufunc_loop(kernel, f"ufunc.{kernel.native_name}")
        if self.options.get("target") == "parallel":
            library, address = build_parallel_loop(library, f"ufunc.{kernel.native_name}",
                                                   self.nin + 1, 1)
        self.loops[argtypes] = (kernel, library, address)
        return kernel

    def kernel_callable(self, kernel):
        """What compiled code calls to run `kernel` on one element: the kernel's dispatcher
        (an object-mode kernel's is the wrapper of its return type)."""
        if isinstance(self.dispatcher, ObjectModeUFuncKernels):
            return self.dispatcher.callable_for(kernel.signature.return_type, self.nin)
        return self.dispatcher

    def _check_scalar(self, sig) -> None:
        for ty in (*sig.args, sig.return_type):
            type_code(ty)

    def build_ufunc(self, identity=None):
        """A numpy.ufunc with every loop so far."""
        if not self.loops:
            raise TypeError(f"cannot build a ufunc of {self.py_func.__name__!r} without any "
                            "signature")
        entries = list(self.loops.values())
        codes = [tuple(type_code(t) for t in (*k.signature.args, k.signature.return_type))
                 for k, _, _ in entries]
        forget = _Forget()
        ufunc = make_ufunc([a for _, _, a in entries], codes, self.nin, 1,
                           self.py_func.__name__, self.py_func.__doc__, identity_code(identity),
                           owners=[forget, *(lib for _, lib, _ in entries)])
        forget.key = id(ufunc)
        BUILT[forget.key] = self
        return ufunc


class _Forget:
    """Held by a built ufunc: its entry in BUILT goes when the ufunc does."""
    key = None

    def __del__(self, built=BUILT):  # (bound now: module globals are gone at shutdown)
        built.pop(self.key, None)


def input_types(args, nin: int) -> tuple:
    """The kernel argument types a call with these operands needs (array dtypes; NumPy's
    default dtype for Python scalars)."""
    result = []
    for value in args[:nin]:
        dtype = value.dtype if isinstance(value, (np.ndarray, np.generic)) \
            else np.asarray(value).dtype
        result.append(element_type(dtype))
    return tuple(result)
