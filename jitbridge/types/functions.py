"""Function-like types and signatures."""
from __future__ import annotations

import functools
import weakref

from .abstract import Callable, Dummy, Opaque, Type
from .scalars import Float, Integer


class Signature:
    """A resolved call signature: `return_type(*args)`; `recvr` is the bound `self` type if any.

    `order` is set when the call's arguments were folded against the callee's Python signature
    (typing/binder.py): `args` are then in parameter order, and for each parameter `order` gives
    the index of the value passed for it (the positional arguments, then the keyword ones in
    call order), or None where its default is used (its type is `Omitted(default)`).

    Typing records what it chose for the lowering, so the lowering does not classify the callee
    again: `impl` is the implementation an @overload/@intrinsic template picked (called as
    `impl(context, builder, sig, args)`), `key` the registry key the call resolved to when it is
    not the callee's own (`x += y` typed as `x + y`). Neither takes part in equality.

    Immutable (use `replace`): a compiled specialisation's signature is what its compiled
    callers are typed against, so changing it would make them pass or read the wrong values.
    """

    __slots__ = ("return_type", "args", "recvr", "order", "impl", "key")

    def __init__(self, return_type: Type, args, recvr: Type | None = None, order=None,
                 impl=None, key=None):
        object.__setattr__(self, "return_type", return_type)
        object.__setattr__(self, "args", tuple(args))
        object.__setattr__(self, "recvr", recvr)
        object.__setattr__(self, "order", None if order is None else tuple(order))
        object.__setattr__(self, "impl", impl)
        object.__setattr__(self, "key", key)

    def __setattr__(self, name, value):
        raise AttributeError(f"signatures are immutable (cannot set {name!r}); use replace()")

    def __delattr__(self, name):
        raise AttributeError(f"signatures are immutable (cannot delete {name!r})")

    def __reduce__(self):
        return (Signature, (self.return_type, self.args, self.recvr, self.order))

    def __eq__(self, other):
        return (isinstance(other, Signature) and self.return_type == other.return_type
                and self.args == other.args and self.recvr == other.recvr)

    def __hash__(self):
        return hash((self.return_type, self.args))

    def __repr__(self):
        return f"{self.return_type}({', '.join(map(str, self.args))})"

    def replace(self, **kws) -> "Signature":
        """A copy with some fields replaced."""
        fields = dict(return_type=self.return_type, args=self.args, recvr=self.recvr,
                      order=self.order, impl=self.impl, key=self.key)
        fields.update(kws)
        return Signature(**fields)

    def as_function(self) -> "Signature":
        """The signature without the receiver."""
        return Signature(self.return_type, self.args)


def signature(return_type: Type, *args, recvr: Type | None = None) -> Signature:
    """Build a Signature; `signature(float64, int64)` == `float64(int64)`."""
    return Signature(return_type, args, recvr=recvr)


class Function(Callable, Opaque):
    """A global function or builtin typed by templates registered for `key` (the Python object)."""

    def __init__(self, key):
        self.typing_key = key
        name = getattr(key, "__qualname__", None) or getattr(key, "__name__", None) or repr(key)
        module = getattr(key, "__module__", None)
        super().__init__(f"Function({module}.{name})" if module else f"Function({name})")

    @property
    def key(self):
        return self.typing_key


class BoundFunction(Callable, Opaque):
    """A method bound to a receiver of type `this` (e.g. `z.conjugate`)."""

    def __init__(self, template, this: Type):
        self.template = template
        self.this = this
        super().__init__(f"BoundFunction({template.key} on {this})")

    @property
    def key(self):
        return (self.template, self.this)

    def unify(self, typingctx, other):
        """The same method on a receiver whose type was refined (`[]` becoming list(int64))."""
        if isinstance(other, BoundFunction) and other.template is self.template:
            this = typingctx.unify_types(self.this, other.this)
            return BoundFunction(self.template, this) if this is not None else None
        return None


class Dispatcher(Callable, Opaque):
    """The type of a jitted function object used from compiled code."""

    def __init__(self, dispatcher):
        # held weakly: caches keyed by types (data models, lowering and typing tables) must
        # not keep a dropped dispatcher, and with it its compiled code, alive
        self._ref = weakref.ref(dispatcher, functools.partial(_dropped, weakref.ref(self)))
        super().__init__(f"type(CPUDispatcher({dispatcher.py_func.__qualname__}))")

    @property
    def dispatcher(self):
        """The jitted function (None once it is gone: nothing can type it any more)."""
        return self._ref()

    @property
    def key(self):
        return self._ref  # (a weak reference compares by its referent's identity)

    def __reduce__(self):
        return Dispatcher, (self.dispatcher,)

    def can_convert_to(self, typingctx, other):
        if isinstance(other, FunctionType) and other.accepts(typingctx, self):
            return 2  # (Conversion.safe: a value made of a compiled specialisation)
        return None

    def unify(self, typingctx, other):
        """Different jitted functions merge into a FunctionSet (each call specialises them
        all for its arguments); with a cfunc or a FunctionType, into a FunctionType when the
        jitted function compiles for its signature."""
        if isinstance(other, (Dispatcher, FunctionSet)):
            return FunctionSet((self.dispatcher,)).unify(typingctx, other)
        if isinstance(other, FunctionType):
            return other if other.accepts(typingctx, self) else None
        if isinstance(other, ExternalFunctionPointer):
            merged = FunctionType(other.sig)
            return merged if merged.accepts(typingctx, self) else None
        return None


#: called with each Dispatcher type whose jitted function is gone: caches keyed by types
#: register here to forget it (the type, a model, a selection: ~1 KiB per dropped function)
DROPPED_HOOKS: list = []


def _dropped(type_ref, _dead) -> None:
    ty = type_ref()
    if ty is not None and DROPPED_HOOKS:  # (None once the interpreter tears modules down)
        for forget in DROPPED_HOOKS:
            forget(ty)


class FunctionSet(Callable):
    """One of several jitted functions, chosen at run time (`fn = f if c else g`, a tuple of
    functions iterated): the value is the index of the function in `dispatchers`, and a call
    compiles every one of them for its arguments, as a direct call of either would."""

    def __init__(self, dispatchers):
        found = {id(d): d for d in dispatchers}.values()
        self.dispatchers = tuple(sorted(found, key=lambda d: (d.py_func.__qualname__, id(d))))
        names = ", ".join(d.py_func.__qualname__ for d in self.dispatchers)
        super().__init__(f"FunctionSet({names})")

    @property
    def key(self):
        return frozenset(id(d) for d in self.dispatchers)

    def index(self, dispatcher) -> int:
        return [id(d) for d in self.dispatchers].index(id(dispatcher))

    def can_convert_to(self, typingctx, other):
        if isinstance(other, FunctionSet) and set(self.key) <= set(other.key):
            return 1  # (Conversion.promote: the same function among more)
        if isinstance(other, FunctionType) and all(
                other.accepts(typingctx, Dispatcher(d)) for d in self.dispatchers):
            return 2
        return None

    def unify(self, typingctx, other):
        if isinstance(other, Dispatcher):
            return FunctionSet((*self.dispatchers, other.dispatcher))
        if isinstance(other, FunctionSet):
            return FunctionSet((*self.dispatchers, *other.dispatchers))
        if isinstance(other, (FunctionType, ExternalFunctionPointer)):
            target = other if isinstance(other, FunctionType) else FunctionType(other.sig)
            return target if self.can_convert_to(typingctx, target) else None
        return None


class FunctionType(Callable):
    """A first-class function value of signature `sig` (Numba's `types.FunctionType`): any
    jitted function that compiles for `sig.args` returning `sig.return_type`, or a cfunc of
    exactly `sig`, chosen at run time. Calls through it propagate exceptions (beyond Numba)."""

    def __init__(self, sig: Signature):
        self._sig = sig
        super().__init__(f"FunctionType[{sig}]")

    @property
    def sig(self) -> Signature:
        return self._sig

    @property
    def signature(self) -> Signature:
        return self._sig

    @property
    def key(self):
        return (self._sig.return_type, self._sig.args)

    def accepts(self, typingctx, ty) -> bool:
        """Whether values of `ty` convert to this type."""
        if isinstance(ty, FunctionType):
            return ty == self
        if isinstance(ty, FunctionSet):
            return all(self.accepts(typingctx, Dispatcher(d)) for d in ty.dispatchers)
        if isinstance(ty, ExternalFunctionPointer):
            return ty.sig.args == self._sig.args and ty.sig.return_type == self._sig.return_type
        if isinstance(ty, Dispatcher):
            return self._return_type_of(typingctx, ty) == self._sig.return_type
        return False

    def _return_type_of(self, typingctx, ty):
        """What the jitted function returns for this signature's arguments (compiled if
        needed; None when it does not compile)."""
        if typingctx is not None:
            found = typingctx.resolve_function_type(ty, self._sig.args, {})
            return found.return_type if found is not None else None
        known = ty.dispatcher.overloads.get(tuple(self._sig.args))
        if known is None:
            try:
                ty.dispatcher.compile(tuple(self._sig.args))
            except Exception:  # noqa: BLE001 (it does not compile for these: no conversion)
                return None
            known = ty.dispatcher.overloads.get(tuple(self._sig.args))
        return known.signature.return_type if known is not None else None

    def unify(self, typingctx, other):
        return self if self.accepts(typingctx, other) else None


class ExceptionClass(Callable, Dummy):
    """An exception class used in `raise`."""

    def __init__(self, exc_class):
        self.exc_class = exc_class
        super().__init__(f"ExceptionClass({exc_class.__name__})")

    @property
    def key(self):
        return self.exc_class


class ExceptionInstance(Dummy):
    """An exception instance with compile-time constant arguments."""

    def __init__(self, exc_class, args: tuple):
        self.exc_class = exc_class
        self.exc_args = args
        super().__init__(f"ExceptionInstance({exc_class.__name__}{args!r})")

    @property
    def key(self):
        return (self.exc_class, self.exc_args)


class ExceptionValue(Type):
    """An exception built from runtime values: its arguments are kept until `raise`."""

    def __init__(self, exc_class, arg_types: tuple):
        self.exc_class = exc_class
        self.arg_types = tuple(arg_types)
        super().__init__(f"ExceptionValue({exc_class.__name__}{self.arg_types})")

    @property
    def key(self):
        return (self.exc_class, self.arg_types)

    def unify(self, typingctx, other):
        """One variable holding exceptions of one class built from arguments of different
        number types: each argument in a type holding both exactly (never an integer as a
        float, which would print `-7.0`), else None (a TypingError)."""
        if not isinstance(other, ExceptionValue) or other.exc_class is not self.exc_class:
            return None
        merged = exact_arg_types(self.arg_types, other.arg_types)
        return None if merged is None else ExceptionValue(self.exc_class, merged)

    def can_convert_to(self, typingctx, other):
        if isinstance(other, ExceptionValue) and other.exc_class is self.exc_class and \
                exact_arg_types(self.arg_types, other.arg_types) == other.arg_types:
            return 1  # (Conversion.promote: each argument's value is kept exactly)
        return None


def exact_arg_types(a: tuple, b: tuple) -> tuple | None:
    """Argument types holding every value of both `a` and `b` exactly, or None."""
    if len(a) != len(b):
        return None
    merged = tuple(_exact_union(x, y) for x, y in zip(a, b))
    return None if None in merged else merged


def _exact_union(a, b):
    """The type holding every value of `a` and of `b` exactly: the wider of two floats, of
    two integers of one signedness, the narrowest signed integer holding a signed and an
    unsigned one."""
    if a == b:
        return a
    if isinstance(a, Float) and isinstance(b, Float):
        return max(a, b, key=lambda t: t.bitwidth)
    if not (isinstance(a, Integer) and isinstance(b, Integer)):
        return None
    if a.signed == b.signed:
        return max(a, b, key=lambda t: t.bitwidth)
    signed, unsigned = (a, b) if a.signed else (b, a)
    bits = max(signed.bitwidth, 2 * unsigned.bitwidth)
    return Integer(f"int{bits}") if bits <= 64 else None  # (none holds int64 and uint64)


class CaughtException(Type):
    """The exception an `except classes as name` clause handles: a Python exception object
    (read holding the GIL). `arg_types`: the types of its `args`, from the `raise` statements
    of the try body that it may come from (None: not known; `why` says why)."""

    NO_RAISE = "no raise statement of the try body raises an exception this clause catches"

    def __init__(self, classes: tuple, arg_types: tuple | None, why: str = ""):
        self.classes, self.arg_types, self.why = tuple(classes), arg_types, why
        names = ", ".join(c.__name__ for c in self.classes) or "BaseException"
        super().__init__(f"CaughtException({names}; args={arg_types})")

    @property
    def key(self):
        return (self.classes, self.arg_types, self.why)  # (why decides how it unifies)

    def unify(self, typingctx, other):
        """(Typing sees the raise statements one by one: one with none yet takes the other.)"""
        if not isinstance(other, CaughtException) or other.classes != self.classes:
            return None
        for known, later in ((self, other), (other, self)):
            if known.why == self.NO_RAISE:
                return later
        return CaughtException(self.classes, None, "its raise statements raise arguments of "
                               "different types")


class CaughtExceptionClass(Type):
    """type(e) of a caught exception `e` (held as the exception object itself)."""

    def __init__(self, instance: CaughtException):
        self.instance = instance
        super().__init__(f"type({instance})")

    @property
    def key(self):
        return self.instance


class NumberClass(Callable, Dummy):
    """A NumPy scalar type used as a callable (`np.float64(x)`)."""

    def __init__(self, instance_type: Type):
        self.instance_type = instance_type
        super().__init__(f"class({instance_type})")

    @property
    def key(self):
        return self.instance_type


class ExternalFunctionPointer(Callable, Opaque):
    """A pointer to a native function with C signature `sig` (a cfunc, or a raw address)."""

    def __init__(self, sig: Signature, address: int | None = None):
        self._sig = sig
        self._address = address
        kind = f"@{address:#x}" if address is not None else ""
        super().__init__(f"ExternalFunctionPointer({sig}){kind}")

    @property
    def sig(self) -> Signature:
        """The C signature (read-only: compiled calls are generated from it)."""
        return self._sig

    @property
    def address(self) -> int | None:
        """The constant target, if known (read-only: compiled code jumps there)."""
        return self._address

    @property
    def key(self):
        return (self.sig.return_type, self.sig.args, self.address)

    def can_convert_to(self, typingctx, other):
        if isinstance(other, FunctionType) and other.accepts(typingctx, self):
            return 1  # (Conversion.promote: the same C function, as a function value)
        return None

    def unify(self, typingctx, other):
        if isinstance(other, ExternalFunctionPointer) and other.sig == self.sig:
            return ExternalFunctionPointer(self.sig)
        if isinstance(other, (Dispatcher, FunctionSet, FunctionType)):  # (a function value)
            merged = other if isinstance(other, FunctionType) else FunctionType(self.sig)
            return merged if merged.accepts(typingctx, self) and \
                merged.accepts(typingctx, other) else None
        return None
