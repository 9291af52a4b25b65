"""TypingContext: resolves calls, attributes and unification using the typing registry."""
from __future__ import annotations

import contextlib

from .. import types
from ..registry import require_methods_of, require_types
from ..errors import TypingError, describe_function, describe_types
from ..ir.markers import cell_get, make_closure
from .registry import Registry, registry
from .templates import call_extension, origin_of
from .typeof import Purpose, typeof
from .unify import can_convert, unify_pair


class TypingContext:
    """Answers typing questions for inference; stateless apart from template instances."""

    def __init__(self, reg: Registry = registry):
        self.registry = reg
        self._make_dispatcher = None
        self._sessions = 0
        #: (callee type, argument types, keywords) -> the TypingError (or None: no match) of a
        #: resolution that failed in the current compilation session (see `session`)
        self._failed: dict = {}
        #: the same key -> the signature of a resolution that succeeded in the session, for
        #: global functions and operators on plain data (`_reusable`)
        self._resolved: dict = {}

    @contextlib.contextmanager
    def session(self):
        """One outermost compilation and every callee it compiles (compile lock held).

        A failed call resolution is remembered until the session ends and replayed when asked
        again: a failing callee typed by every function of a call chain, and by every pass of
        each one's inference, is resolved once, not once per caller (exponential in the chain's
        length). So is a successful one of a global function or operator on plain data: a long
        function applies a few operators to a few types thousands of times. Not beyond the
        session: what a resolution sees (globals, registrations) may change between
        compilations.
        """
        self._sessions += 1
        try:
            yield
        finally:
            self._sessions -= 1
            if not self._sessions:
                self._failed.clear()
                self._resolved.clear()

    # -- jitted callees ---------------------------------------------------------------------
    def provide_dispatchers(self, make_dispatcher) -> None:
        """Called by the dispatch layer when it loads: typing makes dispatchers for functions
        the frontend lifts out of their enclosing one (closures), without importing it."""
        self._make_dispatcher = make_dispatcher

    def make_dispatcher(self, py_func):
        """A new jitted dispatcher for `py_func`."""
        return self._make_dispatcher(py_func)

    # -- values -----------------------------------------------------------------------------
    def resolve_value_type(self, value):
        """Type of a frozen global or constant, or None."""
        return typeof(value, Purpose.constant)

    # -- calls ------------------------------------------------------------------------------
    def resolve_function_type(self, fnty, args: tuple, kws: dict):
        """The call signature of `fnty(*args, **kws)`, or None if no template applies."""
        key = self._failure_key(fnty, args, kws)
        known = self._resolved.get(key)
        if known is not None:
            return known
        if key in self._failed:
            failed = self._failed[key]
            if failed is None:
                return None
            raise failed.with_traceback(None)
        try:
            sig = self._resolve_call(fnty, args, kws)
        except TypingError as exc:
            if key is not None and getattr(exc, "remember", True):
                self._failed[key] = exc
            raise
        if sig is None and key is not None:
            self._failed[key] = None
        if sig is not None and _borrows_frame(sig.return_type) and fnty not in _FRAME_ACCESS:
            raise TypingError(f"this call returns {sig.return_type}, which refers to variables "
                              "of a compiled function by reference; it cannot be handed back "
                              "(it could outlive them)")
        if sig is not None and key is not None and _reusable(fnty, args, kws):
            self._resolved[key] = sig
        return sig

    def _failure_key(self, fnty, args: tuple, kws: dict):
        """The key failures of this resolution are remembered under, or None: outside a
        session, and for jitted callees (a dispatcher remembers its own failures, and a call
        to one being compiled resolves from its evolving return type)."""
        if not self._sessions or isinstance(fnty, types.Dispatcher):
            return None
        try:
            key = (fnty, tuple(args), tuple(kws.items()))  # (order: a signature binds it)
            hash(key)
        except TypeError:  # an unhashable type (extension types may define __eq__ only)
            return None
        return key

    def _resolve_call(self, fnty, args: tuple, kws: dict):
        sig = self._resolve_exact(fnty, args, kws)
        if sig is None and any(isinstance(a, types.Optional) for a in (*args, *kws.values())):
            # no implementation takes the Optional itself: use the value (checked when run)
            sig = self._resolve_exact(fnty, tuple(map(_unwrap, args)),
                                      {k: _unwrap(v) for k, v in kws.items()})
        return sig

    def _resolve_exact(self, fnty, args: tuple, kws: dict):
        require_types((fnty, *args, *kws.values()))  # the lazy providers of these types
        if isinstance(fnty, types.BoundFunction):
            sig = self._bound_call(fnty.template, fnty.this, args, kws)
            for other in () if sig is not None else self._other_methods(fnty):
                sig = self._bound_call(other, fnty.this, args, kws)
                if sig is not None:  # lowered by the template that typed it
                    sig = sig if sig.impl is not None or sig.key is not None else \
                        sig.replace(key=other.key)
                    break
            return sig
        if isinstance(fnty, types.Dispatcher):
            return fnty.dispatcher.type_call(args, kws)
        if isinstance(fnty, types.Function):
            return self.resolve_key(fnty.typing_key, args, kws)
        # calling a value of another callable type: templates keyed by the type's class
        # receive the callee type first
        sig = self.resolve_key(type(fnty), (fnty, *args), kws)
        return sig.replace(args=sig.args[1:]) if sig is not None else None

    def _bound_call(self, template, this, args, kws):
        sig = _apply(template(self, this), args, kws)
        return sig.replace(recvr=this) if sig is not None and sig.recvr is None else sig

    def _other_methods(self, fnty):
        """The templates of the other definitions of the same method on the receiver's type,
        in the registry's order: an extension's `overload_method(types.Array, "sum")` for some
        dtypes must not hide the builtin `sum` from the others (the first template that
        resolves an attribute claims it)."""
        attr = str(fnty.template.key).rsplit(".", 1)[-1]
        for template in self.registry.attribute_templates_for(fnty.this):
            instance = template(self)
            found = call_extension(origin_of(instance), "the attribute template", (fnty.this,),
                                   instance.resolve, fnty.this, attr)
            if isinstance(found, types.BoundFunction) and found.template is not fnty.template:
                yield found.template

    def resolve_key(self, key, args: tuple, kws: dict):
        """Try the templates registered for `key` (newest first)."""
        for template in self.registry.templates_for(key):
            sig = _apply(template(self), tuple(args), dict(kws))
            if sig is not None:
                return sig
        return None

    def candidates(self, fnty) -> list:
        """Human-readable descriptions of the templates tried for `fnty` (for errors)."""
        key = fnty.typing_key if isinstance(fnty, types.Function) else fnty
        found = []
        for template in self.registry.templates_for(key):
            cases = getattr(template, "cases", None)
            found.extend(map(str, cases) if cases else [template.__name__])
        return found

    # -- attributes -------------------------------------------------------------------------
    def resolve_getattr(self, value_type, attr: str):
        """Type of `value.attr`, or None (an Optional's attributes are its value's)."""
        result = self._resolve_attribute(value_type, attr)
        if result is None and isinstance(value_type, types.Optional):
            result = self._resolve_attribute(value_type.type, attr)
        return result

    def _resolve_attribute(self, value_type, attr: str):
        result = self._resolve_loaded_attribute(value_type, attr)
        if (result is None or isinstance(result, types.BoundFunction)) and \
                require_methods_of(value_type, attr):  # a method: its lazy providers may add more
            result = self._resolve_loaded_attribute(value_type, attr)
        return result

    def _resolve_loaded_attribute(self, value_type, attr: str):
        for template in self.registry.attribute_templates_for(value_type):  # keys that match
            instance = template(self)
            result = call_extension(origin_of(instance), "the attribute template",
                                    (value_type,), instance.resolve, value_type, attr)
            if result is not None:
                return _checked_type(instance, result, f"attribute {attr!r} of {value_type}")
        return None

    def resolve_setattr(self, target, attr: str, value):
        """The type `value` is stored as by `target.attr = value`, or None. A template with a
        `resolve_setattr(target, attr, value)` method may decide (a sub-array field takes
        arrays and scalars); otherwise the value must convert to the attribute's type."""
        for template in self.registry.attribute_templates_for(target):
            decide = getattr(template, "resolve_setattr", None)
            stored = decide(template(self), target, attr, value) if decide else None
            if stored is not None:
                return stored
        attr_ty = self.resolve_getattr(target, attr)
        if attr_ty is None or not target.mutable or self.can_convert(value, attr_ty) is None:
            return None
        return attr_ty

    # -- conversions ------------------------------------------------------------------------
    def can_convert(self, src, dst):
        return can_convert(src, dst)

    def conversion_cost(self, actual: tuple, formal: tuple):
        """Sortable cost of passing `actual` argument types to `formal` ones, or None."""
        if len(actual) != len(formal):
            return None
        ranks = [can_convert(a, f) for a, f in zip(actual, formal)]
        if None in ranks:
            return None
        return (max(ranks, default=0), sum(ranks))

    def unify_types(self, *tys):
        """Common type of all `tys`, or None."""
        result = tys[0]
        for ty in tys[1:]:
            result = unify_pair(self, result, ty)
            if result is None:
                return None
        return result

    def error(self, msg: str, loc=None) -> TypingError:
        return TypingError(msg, loc)


#: calls that create or read frame references inside the function owning the frame
_FRAME_ACCESS = (types.Function(make_closure), types.Function(cell_get))


def _borrows_frame(ty) -> bool:
    """Whether values of `ty` hold addresses of a compiled function's variables."""
    if getattr(ty, "borrows_frame", False):
        return True
    inner = getattr(ty, "types", None) or (getattr(ty, "dtype", None),)
    return any(isinstance(t, types.Type) and _borrows_frame(t) for t in inner)


#: argument types whose resolutions depend on nothing else: no function or class (whose
#: typing may follow a callee still being compiled), no object with methods of its own
_PLAIN_DATA = (types.Number, types.Boolean, types.NoneType, types.Array)


def _reusable(fnty, args: tuple, kws: dict) -> bool:
    """Whether a successful resolution of this call may be reused within the session."""
    return type(fnty) is types.Function and all(map(_plain, (*args, *kws.values())))


def _plain(ty) -> bool:
    if isinstance(ty, types.BaseTuple):
        return all(map(_plain, ty.types))
    return isinstance(ty, _PLAIN_DATA)


def _apply(template, args: tuple, kws: dict):
    """`template.apply(args, kws)`, checked: extension templates must return a Signature."""
    sig = call_extension(origin_of(template), "the typing template", args, template.apply,
                         args, kws)
    if sig is None:
        return None
    what = f"argument types {describe_types(args)}"
    if not isinstance(sig, types.Signature):
        raise _bad_result(template, sig, what, "a signature or None")
    for ty in (sig.return_type, *sig.args):
        _checked_type(template, ty, what)
    return sig


def _checked_type(template, ty, what: str):
    if not isinstance(ty, types.Type):
        raise _bad_result(template, ty, what, "jitbridge types")
    return ty


def _bad_result(template, value, what: str, expected: str) -> TypingError:
    return TypingError(f"the typing template {describe_function(origin_of(template))} produced "
                       f"{value!r} "
                       f"({type(value).__name__}) for {what}; expected {expected}")


def _unwrap(ty):
    return ty.type if isinstance(ty, types.Optional) else ty
