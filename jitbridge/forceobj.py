"""`@jit(forceobj=True)`: object mode, where the function's body runs in the interpreter.

Object mode is asked for explicitly, and only then does jitbridge honour it (nothing is moved
to the interpreter silently). As in Numba, every value of such a function is a Python object:
the arguments reach the body as the very objects the caller passed (a list is the caller's
list, a lambda works as an argument), the result is the object the body returned, untyped
globals and builtins (`globals()`, `filter`, `functools.reduce` ...) work, and an error is
raised when the line runs, as CPython raises it. The signature's types therefore only give the
arity. Closure variables are frozen when the function is compiled, as Numba's object mode (and
jitbridge's nopython mode) freezes them; globals are read when used. `locals()` is refused,
as in Numba.

Each specialisation is a compiled kernel taking pass-through references that calls the
function through the objmode bridge (as `npyufunc/objkernels.py` does for @vectorize).
Compiled code cannot call an object-mode function: there is no typed signature to call.
"""
from __future__ import annotations

import dis
import inspect
import linecache
import types as pytypes

from .compiler import Flags
from .dispatch import (DispatcherMixin, _ByValue, _parse_sig, make_dispatcher,
                       native_call_class)
from .errors import ForbiddenConstruct, Loc, TypingError
from .frontend.source import compile_source
from .npyufunc.objkernels import marked
from .objmode import objmode
from .options import check_options
from .passthru import pass_thru_type
from .pickling import by_reference, reduce_by_value

#: options of the kernel that make no sense for a function whose body is interpreted
_DROPPED = ("forceobj", "nopython", "looplift", "parallel", "fastmath", "boundscheck",
            "locals", "cache", "inline")


class ObjectModeDispatcher(DispatcherMixin):
    """A dispatcher whose specialisations run the Python function in the interpreter."""

    def _init(self, py_func, signatures, flags, options):
        _refuse_locals(py_func)
        self._interpreted = frozen_closure(py_func)
        self._kernel = None
        self._declared: dict = {}  # the signatures compile() was given -> their result
        kept = {k: v for k, v in options.items() if k not in _DROPPED or k == "forceobj"}
        super()._init(py_func, signatures, flags, kept)

    # -- every argument is a Python object: only the arity counts ------------------------------
    def compile(self, sig):
        argtypes = tuple(_parse_sig(sig)[0])
        self._check_signature_arity(argtypes)
        result = self._compile_explicit(_objects(len(self._pysig.parameters)), None)
        self._declared[argtypes] = result
        return result

    @property
    def overloads(self):
        """As Numba's: the compiled result under each signature it was declared with too (the
        one specialisation takes Python objects of any type)."""
        return pytypes.MappingProxyType({**self._overloads, **self._declared})

    def _typeof_arg(self, index: int, value):
        return pass_thru_type

    def _quick_call(self, args) -> tuple:
        argtypes = _objects(len(args))
        return argtypes, self._overloads.get(argtypes)

    def _bind(self, args, kws) -> tuple:
        """One value per parameter, as the interpreter binds them (defaults are values)."""
        try:
            bound = self._pysig.bind(*args, **kws)
        except TypeError as exc:
            raise TypeError(f"{self.__qualname__}(): {exc}") from None
        bound.apply_defaults()
        return tuple(bound.arguments.values())

    def _resolve(self, argtypes: tuple, lazy: bool = False):
        exact = self._overloads.get(argtypes)
        return exact if exact is not None else self._compile(argtypes, lazy=lazy)

    def _publish(self, result) -> None:
        """Never in the native table: each call binds its arguments in Python (defaults are
        values here, never markers), which costs nothing next to interpreting the body."""
        self._published = {r.native_name for r in self._overloads.values() if r.python.built}

    def _compile_named(self, name, argtypes, return_type, keep_object: bool, lazy: bool):
        if self._kernel is None:
            self._kernel = make_dispatcher(_kernel_function(self), **self._kernel_options())
        return marked(self._kernel.compile(argtypes))  # (`.objectmode`, as Numba's results)

    def _kernel_options(self) -> dict:
        return {k: v for k, v in self.targetoptions.items() if k not in _DROPPED}

    def recompile(self) -> None:
        """Freeze the closure variables afresh, then compile every specialisation again."""
        self._interpreted = frozen_closure(self.py_func)
        self._kernel = None
        super().recompile()
        compiled = self._overloads.get(_objects(len(self._pysig.parameters)))
        self._declared = {sig: compiled for sig in self._declared} if compiled else {}

    def __reduce__(self):
        """As a nopython dispatcher's (by reference, else the function by value), made again
        in object mode; signatures are not shipped (they only give the arity)."""
        if by_reference(self):
            return self.__qualname__
        if by_reference(self.py_func):
            return (_rebuild, (self.py_func, self.targetoptions))
        return reduce_by_value(self, self.py_func, _ObjectModeByValue, ((), self.targetoptions))

    # -- calls from compiled code --------------------------------------------------------------
    def type_call(self, args, kws):
        raise TypingError(f"{self.__qualname__}() is compiled in object mode (forceobj=True): "
                          "its body runs in the interpreter on Python objects, so compiled "
                          "code cannot call it; call it from an objmode block, or drop "
                          "forceobj=True")


def make_object_mode_dispatcher(py_func, signatures=(), **options):
    """The dispatcher of `@jit(..., forceobj=True)`."""
    check_options(options)
    dispatcher = native_call_class("ObjectModeDispatcher", ObjectModeDispatcher)()
    dispatcher._init(py_func, signatures, Flags(), options)
    return dispatcher


class _ObjectModeByValue(_ByValue):
    """How pickling.py rebuilds an object-mode dispatcher shipped by value."""

    @staticmethod
    def make(py_func, signatures, options):
        return make_object_mode_dispatcher(py_func, (), **options)


def _rebuild(py_func, options):
    return make_object_mode_dispatcher(py_func, (), **options)


def _objects(count: int) -> tuple:
    return (pass_thru_type,) * count


def frozen_closure(func):
    """`func` with its closure variables' current values in cells of their own (a cell not
    yet assigned stays shared), so later rebinding does not reach compiled code."""
    if not func.__closure__:
        return func
    copy = pytypes.FunctionType(func.__code__, func.__globals__, func.__name__,
                                func.__defaults__, tuple(map(_snapshot, func.__closure__)))
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__qualname__, copy.__module__ = func.__qualname__, func.__module__
    copy.__dict__.update(func.__dict__)
    return copy


def _snapshot(cell):
    try:
        return pytypes.CellType(cell.cell_contents)
    except ValueError:  # empty: the variable is assigned later (a recursive inner function)
        return cell


def _refuse_locals(func) -> None:
    """`locals()` of the builtins, refused as Numba's object mode refuses it."""
    if "locals" in func.__globals__:
        return
    for instruction in dis.get_instructions(func):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and instruction.argval == "locals":
            raise ForbiddenConstruct("builtins locals() is not supported (object mode has no "
                                     "dictionary of the function's variables)",
                                     _location(func, instruction))


def _location(func, instruction) -> Loc:
    line = instruction.positions.lineno if instruction.positions else None
    line = line or func.__code__.co_firstlineno
    filename = func.__code__.co_filename
    return Loc(filename, line, func_name=func.__qualname__,
               source_line=linecache.getline(filename, line))


def _kernel_function(dispatcher):
    """`kernel(a0, ...)`: calls the function in an objmode block, passing each parameter as
    the function's signature takes it (`*args`, keyword-only, `**kwargs`)."""
    params = list(inspect.signature(dispatcher.py_func).parameters.values())
    names = [f"a{i}" for i in range(len(params))]
    passed = ", ".join(_passing(p, n) for p, n in zip(params, names))
    text = "\n".join([f"def kernel({', '.join(names)}):",
                      "    with _objmode(_result=_OBJECT):",
                      f"        _result = _run({passed})",
                      "    return _result", ""])
    namespace = {"_objmode": objmode, "_OBJECT": pass_thru_type,
                 "_run": lambda *a, **k: dispatcher._interpreted(*a, **k)}
    function = compile_source(text, "kernel", globals=namespace)
    function.__name__ = f"{dispatcher.py_func.__name__}_objmode"
    function.__qualname__ = f"{dispatcher.__qualname__} (object mode)"
    return function


def _passing(param, name: str) -> str:
    kind = param.kind
    if kind is param.VAR_POSITIONAL:
        return f"*{name}"
    if kind is param.VAR_KEYWORD:
        return f"**{name}"
    if kind is param.KEYWORD_ONLY:
        return f"{param.name}={name}"
    return name
