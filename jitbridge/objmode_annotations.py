"""The output annotations of `with objmode(y='int64[:]'):` blocks, checked where the block is
written: each annotation must be a type (a string, or a global, non-local or attribute naming
one), every annotated name must be assigned in the block, and every name the block assigns
that the function reads after it must be annotated (else compiled code would go on with the
value from before the block). The values a block produces are converted to their annotations
when it ends (`check_output`): numeric scalars as NumPy assigns them into an array."""
from __future__ import annotations

import ast
import operator
import sys
import warnings

from . import types
from .errors import TypingError
from .frontend.scope import MISSING
from .typing.typeof import typeof
from .typing.unify import can_convert


def parse_annotations(b, call) -> dict:
    """name -> type of `objmode(name=annotation, ...)`."""
    if not isinstance(call, ast.Call):
        return {}
    if call.args:
        raise b.unsupported("objmode() takes output annotations as keyword arguments, e.g. "
                            "objmode(y='int64')", call)
    return {kw.arg: _annotation(b, kw.arg, kw.value) for kw in call.keywords}


def _annotation(b, name: str, expr):
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            return types.parse_type(expr.value)
        except TypeError as exc:
            raise TypingError(f"bad objmode annotation {expr.value!r}: {exc}", b.loc(expr)) from None
    value = b.scope.frozen(expr)
    if isinstance(value, str):
        return _annotation(b, name, ast.copy_location(ast.Constant(value), expr))
    if not isinstance(value, types.Type):
        raise TypingError(f"Error handling objmode argument {name!r}. {_why_not_a_type(b, expr)}",
                          b.loc(expr))
    return value


def _why_not_a_type(b, expr) -> str:
    if isinstance(expr, ast.Name) and not b.scope.is_local(expr.id):
        if b.scope.lookup_frozen(expr.id) is MISSING:
            kind = "Freevar" if expr.id in b.scope.freevars else "Global"
            return f"{kind} {expr.id!r} is not defined."
        return f"{expr.id!r} is not a type: annotations are type strings like 'int64' or types."
    if isinstance(expr, ast.Attribute) and b.scope.frozen(expr.value) is not None:
        return f"Getattr cannot be resolved at compile-time: {ast.unparse(expr)!r}."
    return ("The value must be a compile-time constant either as a non-local variable or a "
            f"getattr expression that refers to a Numba type, not {ast.unparse(expr)!r}.")


def check_outgoing(b, node, outputs: dict) -> None:
    """Annotated names the block never assigns, and assigned names read after it that have
    no annotation, are located TypingErrors."""
    assigned = _stored_names(node.body)
    bogus = [name for name in outputs if name not in assigned]
    if bogus:
        raise TypingError(f"Invalid type annotation on non-outgoing variables: {bogus}. The "
                          "block does not assign them: remove their annotations", b.loc(node))
    read_after = _read_after(b, node)
    missing = [name for name in assigned if name not in outputs and name in read_after]
    if missing:
        raise TypingError(f"Missing type annotation on outgoing variable(s): {missing}\n\n"
                          f"Example code: with objmode({missing[0]}='<add_type_as_string_here>')"
                          "\n", b.loc(node))


def _stored_names(body) -> list:
    names = []
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and \
                    sub.id not in names:
                names.append(sub.id)
    return names


def _read_after(b, node) -> set:
    """Names the function reads after the block (anywhere outside it inside a loop, where the
    next iteration runs what comes before)."""
    inside = {id(x) for stmt in node.body for x in ast.walk(stmt)}
    updated = {id(sub.target) for sub in ast.walk(b.source.tree) if isinstance(sub, ast.AugAssign)}
    return {sub.id for sub in ast.walk(b.source.tree)
            if isinstance(sub, ast.Name) and (isinstance(sub.ctx, ast.Load) or id(sub) in updated)
            and id(sub) not in inside and (b.loops or sub.lineno > node.end_lineno)}


# -- the values a block produces ---------------------------------------------------------------------

def check_output(block, name: str, value):
    """Slow path of the output check (the value's type is not exactly the annotation's): a
    numeric scalar is cast as NumPy assigns it into an array of the annotated dtype (12.3 into
    int64 is 12, as in Numba); anything else must convert without losing information (a tuple
    of ints for a tuple of floats), else TypeError naming the output."""
    annotation = block.outputs[name]
    if getattr(annotation, "accepts_python_objects", False):
        return value
    if isinstance(annotation, types.List) and not isinstance(annotation, types.ListType) and \
            type(value) is list:
        return value  # unboxing checks (and names) each item
    if isinstance(annotation, (types.Number, types.Boolean)) and _is_numeric_scalar(value):
        return _numeric_output(name, annotation, value)
    actual = typeof(value)
    if actual is not None and can_convert(actual, annotation) is not None and \
            _right_container(annotation, value):
        return value
    raise TypeError(f"objmode output {name!r} is annotated as {annotation} but the block "
                    f"produced a value of Python type {type(value).__name__}"
                    f"{f' ({actual})' if actual is not None else ''}"
                    f"{_numba_wording(annotation, value)}")


def _right_container(annotation, value) -> bool:
    """A typed container's output must be one (a Python list converts to a reflected list's
    type, not into a typed.List)."""
    container = TYPED_CONTAINER_CLASSES.get(type(annotation))
    return container is None or any(f"{cls.__module__}.{cls.__qualname__}" == container
                                    for cls in type(value).__mro__)


#: the Python classes of typed containers (jitbridge.typed, a layer above this module)
TYPED_CONTAINER_CLASSES = {types.ListType: "jitbridge.typed.typedlist.List",
                           types.DictType: "jitbridge.typed.typeddict.Dict"}


def _numba_wording(annotation, value) -> str:
    """Numba's words for an array output of another dtype, ndim or layout, or a typed
    container's output given another container, which its users' code matches on."""
    if isinstance(annotation, types.Array):
        return (": can't unbox array from PyObject into native value.  The object maybe of a "
                "different type")
    container = TYPED_CONTAINER_CLASSES.get(type(annotation))
    if container is None:
        return ""
    return f": can't unbox a {type(value)} as a <class '{container}'>"


def _is_numeric_scalar(value) -> bool:
    np = sys.modules.get("numpy")  # (not loaded: the value is no NumPy scalar)
    numpy_scalars = () if np is None else (np.number, np.bool_)
    return isinstance(value, (int, float, complex, *numpy_scalars))


def _numeric_output(name: str, annotation, value):
    """A Python int into an integer output keeps its exact value (unboxing checks the range and
    says so); any other numeric scalar is cast as `np.empty(1, dtype)[0] = value` does. Complex
    into real is refused: NumPy would drop the imaginary part with only a warning."""
    if isinstance(annotation, types.Integer) and isinstance(value, int):
        return operator.index(value)
    import numpy as np  # here, so that `import jitbridge` does not load NumPy
    complex_warning = np.exceptions.ComplexWarning
    slot = np.empty(1, np.dtype(str(annotation)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", complex_warning)
            slot[0] = value
    except (complex_warning, TypeError) as error:
        raise TypeError(f"objmode output {name!r} is annotated as {annotation} but the block "
                        f"produced a value of Python type {type(value).__name__}: "
                        f"{error}") from None
    except (ValueError, OverflowError) as error:
        raise type(error)(f"objmode output {name!r} (annotated as {annotation}) cannot hold "
                          f"{value!r}: {error}") from None
    return slot[0].item()
