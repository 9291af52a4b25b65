"""`forceobj=True` for @vectorize and @guvectorize: kernels whose body runs in the interpreter.

Object mode is asked for explicitly, and only here does jitbridge honour it (a kernel is never
moved to the interpreter silently). The ufunc keeps native loops; its kernel is a compiled
function calling the Python function through the objmode bridge: holding the GIL, arguments
boxed (arrays as views of the same memory, so a gufunc's writes land in its outputs), the
result checked against the signature's return type and unboxed. The body thus runs in CPython
once per element (@vectorize) or once per core call (@guvectorize): any Python code works there
(untyped globals, arbitrary objects), at the interpreter's speed, and an exception it raises
stops the loop and reaches the caller.
"""
from __future__ import annotations

import dataclasses
import typing

from .. import types
from ..compiler import CompileResult
from ..dispatch import make_dispatcher, parse_signature_spec
from ..errors import TypingError
from ..frontend.source import compile_source
from ..objmode import objmode

#: options of the kernel that make no sense for a function whose body is interpreted
_DROPPED = ("forceobj", "nopython", "looplift", "parallel", "fastmath", "boundscheck", "locals")


@dataclasses.dataclass(frozen=True)
class ObjectModeResult(CompileResult):
    """A kernel specialisation whose body runs in the interpreter (Numba's `cres.objectmode`)."""
    objectmode: typing.ClassVar[bool] = True


def marked(result: CompileResult) -> ObjectModeResult:
    """`result` (the specialisation of an object-mode wrapper) flagged as object mode."""
    fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    return ObjectModeResult(**fields)


def wrapper(py_func, nargs: int, return_type, options: dict, written=None):
    """A dispatcher of a function of `nargs` arguments that calls `py_func` in the interpreter
    and returns its result as `return_type` (types.none: the result is dropped, as a gufunc
    kernel's is). `written`: position -> array type of the arguments the call writes (a
    gufunc's outputs), copied back after it, since an array compiled code borrows (a ufunc
    loop's view of NumPy's memory) reaches Python as a copy."""
    params = ", ".join(f"a{i}" for i in range(nargs))
    written = written or {}
    namespace = {"_objmode": objmode, "_py": py_func, "_RESULT": return_type,
                 **{f"_T{k}": ty for k, ty in written.items()}}
    outputs = [f"_w{k}=_T{k}" for k in written]
    lines = [f"def kernel({params}):"]
    if return_type == types.none:
        lines += [f"    with _objmode({', '.join(outputs)}):", f"        _py({params})"]
    else:
        lines += ["    with _objmode(_result=_RESULT):", f"        _result = _py({params})"]
    lines += [f"        _w{k} = a{k}" for k in written]
    lines += [f"    a{k}[...] = _w{k}" for k in written]
    if return_type != types.none:
        lines.append("    return _result")
    function = compile_source("\n".join(lines) + "\n", "kernel", globals=namespace)
    function.__name__ = f"{py_func.__name__}_objmode"
    function.__qualname__ = f"{py_func.__qualname__} (object mode)"
    kept = {k: v for k, v in options.items() if k not in _DROPPED}
    return make_dispatcher(function, **kept)


class ObjectModeGUFuncKernels:
    """The kernels of a forceobj @guvectorize, one per signature: the outputs (and
    `writable_args`) are copied back from what the Python function wrote."""

    def __init__(self, py_func, options: dict, written_positions):
        self.py_func, self.options = py_func, options
        self.written = tuple(written_positions)
        self._compiled: dict = {}   # argument types -> ObjectModeResult

    def compile(self, argtypes) -> ObjectModeResult:
        argtypes = tuple(argtypes)
        if argtypes not in self._compiled:
            written = {k: argtypes[k].copy(layout="A") for k in self.written
                       if isinstance(argtypes[k], types.Array)}
            dispatcher = wrapper(self.py_func, len(argtypes), types.none, self.options, written)
            self._compiled[argtypes] = marked(dispatcher.compile(argtypes))
        return self._compiled[argtypes]


class ObjectModeUFuncKernels:
    """The kernels of a forceobj @vectorize: one wrapper per return type, which each signature
    must give (the interpreter's result has no type to infer before it runs)."""

    def __init__(self, py_func, options: dict):
        self.py_func, self.options = py_func, options
        self._wrappers: dict = {}   # return type -> dispatcher
        self._compiled: dict = {}   # argument types -> ObjectModeResult

    def compile(self, sig) -> ObjectModeResult:
        argtypes, return_type = _split(sig)
        if return_type is None:
            if argtypes in self._compiled:
                return self._compiled[argtypes]
            raise TypingError(f"@vectorize(forceobj=True) function {self.py_func.__name__!r}: "
                              f"no loop for {argtypes}, and none can be made without a return "
                              "type (the kernel runs in the interpreter): give each signature "
                              "its return type, e.g. 'float64(float64)'")
        result = marked(self.callable_for(return_type, len(argtypes)).compile(
            types.Signature(return_type, argtypes)))
        self._compiled[argtypes] = result
        return result

    def callable_for(self, return_type, nargs: int):
        """The wrapper dispatcher returning `return_type` (what compiled callers call)."""
        if return_type not in self._wrappers:
            self._wrappers[return_type] = wrapper(self.py_func, nargs, return_type, self.options)
        return self._wrappers[return_type]


def _split(sig) -> tuple:
    if isinstance(sig, types.Signature):
        return tuple(sig.args), sig.return_type
    if isinstance(sig, tuple) and all(isinstance(t, types.Type) for t in sig):
        return sig, None
    return parse_signature_spec(sig)
