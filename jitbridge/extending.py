"""The extension API (Numba-compatible): teach the compiler new types and functions.

Everything here fills the same registries the builtins in `lib/` use: typing templates, the
lowering registry, data models and box/unbox functions. `overload*` compile ordinary Python
implementations with the full pipeline; `intrinsic` takes an LLVM code generator directly.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import types as pytypes

from llvmlite import ir

from . import types
from .codegen import check_instructions, emission_mark, emitted_since
from .core import cgutils
from .core.base import COMPILE_HOOK
from .compiler import compile_lock, type_inline_callee
from .core.datamodel import default_manager, models, register_model  # noqa: F401
from .dispatch import DispatcherMixin
from .overload_signatures import (check_implementation, check_typing_function,
                                  check_without_nrt, take_jit_options)
from .intrinsics import Intrinsic, _Intrinsic, _typing_attempts, intrinsic  # noqa: F401
from .errors import (CompilerError, ForceLiteralArg, LoweringError, TypingError,
                     describe_function, describe_types)
from .lowering.registry import (VarArg, lower_builtin, lower_cast, lower_constant,  # noqa: F401
                                lower_getattr, lower_getattr_generic, lower_setattr)
from .runtime.boxing import NativeValue, check_exact  # noqa: F401 (public API)
from .runtime.boxing import box as register_box, unbox as register_unbox
from .typing.binder import (composed_order, fold_arguments, foldable, needs_folding,
                            without_receiver)
from .typing.literally import SentryLiteralArgs, request_in_call  # noqa: F401 (public API)
from .typing.registry import register, register_attr, register_global
from .typing.templates import AbstractTemplate, AttributeTemplate, CallableTemplate, call_extension
from .typing.templates import ConcreteTemplate, MethodTemplate, bound_function  # noqa: F401
from .typing.typeof import as_numba_type, typeof_impl  # noqa: F401
from .utils import capsule_address

lower = lower_builtin


# -- type_callable -----------------------------------------------------------------------------

def type_callable(func):
    """Decorate `typer_factory(context) -> typer(*argtypes)` to type calls of `func`."""

    def decorate(typer_factory):
        template = type(f"TypeCallable_{getattr(func, '__name__', func)}", (CallableTemplate,), {
            "key": func, "origin": typer_factory,
            "generic": lambda self: typer_factory(self.context)})
        register(template)
        _make_callable_global(func)
        return typer_factory

    return decorate


def _make_callable_global(func) -> None:
    if not isinstance(func, str):
        register_global(func, types.Function(func))


# -- overload ---------------------------------------------------------------------------------

class _Compiled:
    """Caches the typed implementations (compiler.InlineCallee) per (overload function,
    argument types); each is lowered into the modules that call it."""

    def __init__(self):
        self.results: dict = {}
        self._typing: set = set()  # (overload function, argument types) being typed now
        self._star_orders: dict = {}  # id(result) -> its *args packing order

    def get(self, overload_func, argtypes: tuple, typing_args: tuple, strict=False):
        """The InlineCallee for `argtypes`, typing what `overload_func(*typing_args)` returns on
        first use (None: the overload does not apply)."""
        key = (overload_func, argtypes)
        if key in self._typing:
            raise _recursion_error(overload_func, argtypes)
        if key not in self.results:
            positional, named = _by_kind(overload_func, typing_args)
            impl = call_extension(overload_func, "the @overload function", argtypes,
                                  overload_func, *positional, **named)
            if impl is None:
                self.results[key] = None
            else:
                function = _as_function(impl, overload_func, argtypes)
                if strict:
                    check_implementation(overload_func, function)
                folded, star_order = _star_folded(function, overload_func, argtypes)
                self._typing.add(key)
                try:
                    with compile_lock:
                        result = type_inline_callee(function, folded)
                finally:
                    self._typing.discard(key)
                check_without_nrt(overload_func, result.typed)
                self.results[key] = result
                if star_order is not None:
                    self._star_orders[id(result)] = star_order
        return self.results[key]

    def star_order(self, result):
        """The order packing a call's values into the *args of `result`'s implementation, or
        None when it has no *args (results live as long as this cache: ids stay valid)."""
        return self._star_orders.get(id(result))

    def resolve(self, overload_func, args: tuple, prefer_literal: bool, leading=(),
                strict=False):
        """The InlineCallee for a call with argument types `args` (literal ones included):
        the overload sees the plain types first and the literal ones if that gives nothing, or
        the other way round with `prefer_literal` (Numba's order: the overload function runs
        twice when it fails, which its users can observe). When neither gives an
        implementation, the TypingError of the literal attempt is raised (it saw the most:
        `kind="heapsort"` rather than some str), else the other's. Each result is cached under
        the types it was typed for, which become the call's signature."""
        # tried even when the two are equal, as Numba does
        given = leading + tuple(args)
        errors, request = {}, None
        for argtypes in _typing_attempts(given, prefer_literal):
            try:
                result = self.get(overload_func, argtypes, argtypes, strict)
            except ForceLiteralArg as exc:  # the other attempt may have the literal types
                request = exc
                continue
            except TypingError as exc:
                errors.setdefault(argtypes == given, exc)
                continue
            if result is not None:
                return result
        if request is not None:  # typing asked for literal types neither attempt had
            raise request
        if errors:
            raise errors.get(True) or errors[False]
        return None

    def resolve_unfolded(self, overload_func, args: tuple, kws: dict, strict: bool):
        """(InlineCallee, order) or None for an overload function taking *args or **kwargs:
        it is called with the call's own arguments, and the signature of the implementation
        it returns binds them."""
        key = (overload_func, args, tuple(kws.items()))
        if key not in self.results:
            impl = call_extension(overload_func, "the @overload function", args,
                                  overload_func, *args, **kws)
            self.results[key] = None if impl is None else \
                self._typed_unfolded(overload_func, impl, args, kws, strict)
        return self.results[key]

    @staticmethod
    def _typed_unfolded(overload_func, impl, args, kws, strict):
        function = _as_function(impl, overload_func, args)
        if strict:
            check_implementation(overload_func, function)
        pysig = _signature_of(function)
        if any(p.kind is p.VAR_KEYWORD for p in pysig.parameters.values()):
            return None
        argtypes, order = fold_arguments(pysig, args, kws, describe_function(function)) \
            if needs_folding(pysig, args, kws) or not foldable(pysig) else (args, None)
        with compile_lock:
            return type_inline_callee(function, argtypes), order


_compiled = _Compiled()


def _by_kind(function, values: tuple) -> tuple:
    """(positional values, keyword values) calling `function` with `values` in the order of
    its parameters: its keyword-only parameters can only take theirs by name."""
    params = list(_signature_of(function).parameters.values())
    if len(values) != len(params) or all(p.kind is not p.KEYWORD_ONLY for p in params):
        return values, {}
    named = {p.name: v for p, v in zip(params, values) if p.kind is p.KEYWORD_ONLY}
    return tuple(v for p, v in zip(params, values) if p.kind is not p.KEYWORD_ONLY), named


def _recursion_error(overload_func, argtypes) -> TypingError:
    """An implementation calling its own overload with the types it is being typed for: its
    type would depend on itself (typing it again would never end)."""
    error = TypingError(f"the implementation returned by the @overload function "
                        f"{describe_function(overload_func)} calls that overload recursively "
                        f"for argument types {describe_types(argtypes)}; recursion is not "
                        "supported in @overload implementations: move the recursive part "
                        "into an @njit function and call it from the implementation")
    error.remember = False  # the failure belongs to this call chain, not to the types
    return error


def _as_function(impl, overload_func, argtypes):
    """Accept plain functions and jitted dispatchers as implementations."""
    function = getattr(impl, "py_func", impl)
    if not isinstance(function, pytypes.FunctionType):
        raise TypingError(f"the @overload function {describe_function(overload_func)} returned "
                          f"{impl!r} ({type(impl).__name__}) for argument types "
                          f"{describe_types(argtypes)}; it must return a Python function "
                          "implementing the call, or None when it does not apply")
    return function


def _star_folded(function, overload_func, argtypes: tuple) -> tuple:
    """(argument types as `function` takes them, order or None) for `argtypes` in the order
    of the overload function's parameters: when `function` has *args, the values of those
    without a default are passed by position (the trailing ones packed into a tuple), the
    others by name."""
    pysig = _signature_of(function)
    if all(p.kind is not p.VAR_POSITIONAL for p in pysig.parameters.values()):
        return argtypes, None
    params = list(_signature_of(overload_func).parameters.values())
    if len(params) != len(argtypes) or not foldable(_signature_of(overload_func)):
        return fold_arguments(pysig, argtypes, {}, describe_function(function))
    positional = [t for p, t in zip(params, argtypes) if p.default is p.empty]
    named = {p.name: t for p, t in zip(params, argtypes)
             if p.default is not p.empty and not isinstance(t, types.Omitted)}
    folded, order = fold_arguments(pysig, tuple(positional), named,
                                   describe_function(function))
    where = [i for i, p in enumerate(params) if p.default is p.empty] + \
            [i for i, p in enumerate(params) if p.name in named]
    return folded, composed_order(tuple(where), order)


def overload(func, jit_options=None, strict=True, inline="never", prefer_literal=False, **kws):
    """Decorate `ol_func(*argtypes) -> impl or None`: calls of `func` in compiled code run the
    compiled `impl` chosen for the argument types."""

    always = _inline_option(inline)

    def decorate(overload_func):
        key = func
        take_jit_options(overload_func, jit_options)
        # Numba's strict rule is a diagnostic for extension authors; jitbridge's own overloads
        # (lib/, some with generated *args typing functions) are checked by its test suite
        own = overload_func.__module__.startswith("jitbridge.")
        strict_here = strict and not own
        if strict_here:
            check_typing_function(overload_func)
        pysig = _signature_of(overload_func)
        var_keyword = any(p.kind is p.VAR_KEYWORD for p in pysig.parameters.values())
        unfolded = not foldable(pysig)
        callee_type = _overloads_calls_of_values(func, own)
        resolve = functools.partial(_resolve_overload, overload_func, prefer_literal,
                                    strict_here, unfolded, var_keyword, callee_type, always)

        class OverloadTemplate(AbstractTemplate):
            def generic(self, args, kws):
                if callee_type:  # typed like a function: the called value's type kept aside
                    sig = resolve(args[1:], kws)
                    return None if sig is None else sig.replace(args=(args[0], *sig.args))
                return resolve(args, kws)

        OverloadTemplate.key = key
        OverloadTemplate.origin = overload_func
        OverloadTemplate.__name__ = f"overload({getattr(func, '__name__', func)}) via " \
                                    f"{overload_func.__qualname__}"
        register(OverloadTemplate)
        _make_callable_global(func)
        return overload_func

    return decorate


def _resolve_overload(overload_func, prefer_literal, strict, unfolded, var_keyword,
                      callee_type, always, args, kws):
    """The signature of a call to an @overload'ed function with these argument types (its
    implementation on the signature), or None where the overload does not apply."""
    if unfolded and (kws or var_keyword):
        found = _compiled.resolve_unfolded(overload_func, args, kws, strict)
        if found is None:
            return None
        result, order = found
    else:
        folded = _fold_overload_call(overload_func, args, kws)
        if folded is None:
            return None
        args, order = folded
        try:
            result = _compiled.resolve(overload_func, args, prefer_literal, strict=strict)
        except ForceLiteralArg as request:  # for the values of the call being typed
            raise request_in_call(request, order, describe_function(overload_func)) from None
        if result is not None:
            order = composed_order(order, _compiled.star_order(result))
    if result is None:
        return None
    return result.signature.replace(order=order, impl=_inline_impl(result, overload_func,
                                                                   callee_type, always))


def _overloads_calls_of_values(func, own: bool) -> bool:
    """An extension's `@overload(SomeCallableType)` (a types.Callable subclass) implements
    calls of values of that type, as in Numba: its implementation takes the call's arguments
    only, where jitbridge's own templates keyed by a type class take the callee's type first."""
    return not own and isinstance(func, type) and issubclass(func, types.Callable)


def _inline_option(inline) -> bool:
    """`inline='always'` (True) or 'never' (False: small implementations are lowered in place
    all the same, larger ones called); anything else is refused."""
    if inline not in ("never", "always"):
        raise TypeError(f"inline= expects 'never' or 'always' (Numba's cost-model functions "
                        f"inspect Numba's own IR, which jitbridge does not have), not {inline!r}")
    return inline == "always"


def _inline_impl(callee, origin, drop_callee: bool = False, always: bool = False):
    """The lowering typing records for a call that resolved to `callee` (an InlineCallee
    typed from what the overload function `origin` returned); `drop_callee`: the lowering
    passes the called value first, which the implementation does not take; `always`: lowered
    in place whatever its size (`inline='always'`)."""
    def lower_call(context, builder, sig, args):
        args = args[1:] if drop_callee else args
        if always:
            value = COMPILE_HOOK["lower_always_in_place"](context, builder, callee, args)
            if value is not None:  # (None: it recurses, or is being lowered up the stack)
                return value
        return context.call_inline_callee(builder, callee, args)
    lower_call.origin = origin
    lower_call.emits_checked_code = True  # each instruction comes from a checked lowering
    return lower_call


@functools.lru_cache(maxsize=4096)
def _signature_of(function) -> inspect.Signature:
    """inspect.signature of an overload function, computed once (it is asked at every call
    typed against it, and costs tens of microseconds)."""
    return inspect.signature(function)


def _fold_overload_call(overload_func, args, kws, skip_self=False):
    """(argument types in parameter order with Omitted(default) for those not passed, order or
    None), as the overload function's signature binds them (a method's without its `self`);
    None if it does not (the call may be for another overload of the same function)."""
    pysig = _signature_of(overload_func)
    if skip_self:
        pysig = pysig.replace(parameters=list(pysig.parameters.values())[1:])
    too_many = len(args) > len(pysig.parameters)  # (folding refuses them: another overload's)
    if not foldable(pysig) or not (needs_folding(pysig, args, kws) or too_many):
        return None if kws else (args, None)
    try:
        return fold_arguments(pysig, args, kws, describe_function(overload_func))
    except TypingError:
        function = getattr(overload_func, "binds_like_python", None)
        if function is not None:
            raise _binding_error(pysig, args, kws, function) from None
        return None


def _binding_error(pysig, args, kws, function) -> TypingError:
    """A call of a register_jitable function CPython would refuse: refused in its words (the
    function is the only implementation, so no other can apply)."""
    try:
        pysig.bind(*args, **kws)
        problem = "the arguments do not fit its parameters"
    except TypeError as exc:
        problem = f"TypeError: {exc}"
    shown = ", ".join([*map(str, args), *(f"{k}={v}" for k, v in kws.items())])
    return TypingError(f"Cannot bind ({shown}) to {function.__qualname__}{pysig}: "
                       f"{problem}")


def register_jitable(*args, **kws):
    """Make a Python function callable from compiled code (compiled on use), and from Python."""

    def wrap(fn):
        options = dict(kws)
        inline = options.pop("inline", "never")  # (Numba's: the rest are jit options)

        def typer(*argtypes, **kwtypes):
            return fn
        # fn's own parameters: calls fold keywords and defaults, and a call CPython would
        # refuse is refused with CPython's words
        typer.__signature__ = inspect.signature(fn)
        typer.binds_like_python = fn  # (named in errors)
        overload(fn, jit_options=options, inline=inline, strict=False)(typer)
        return fn

    return wrap(args[0]) if args and callable(args[0]) else wrap


def overload_method(typ, attr, **kws):
    """Decorate `ol(self_type, *argtypes) -> impl(self, *args)`: a method of `typ` values."""
    prefer_literal = kws.get("prefer_literal", False)
    always = _inline_option(kws.get("inline", "never"))

    def decorate(overload_func):
        take_jit_options(overload_func, kws.get("jit_options"))
        method_key = f"{getattr(typ, '__name__', typ)}.{attr}"

        def resolve(self, this, args, kws):
            folded = _fold_overload_call(overload_func, args, kws, skip_self=True)
            if folded is None:
                return None
            args, order = folded
            try:
                result = _compiled.resolve(overload_func, args, prefer_literal,
                                           leading=(types.unliteral(this),))
            except ForceLiteralArg as request:  # (the receiver cannot be made literal)
                raise request_in_call(request, order, method_key, shift=1) from None
            if result is None:
                return None
            order = composed_order(order, without_receiver(_compiled.star_order(result)))
            return types.Signature(result.signature.return_type, result.signature.args[1:],
                                   recvr=result.signature.args[0], order=order,
                                   impl=_inline_impl(result, overload_func, always=always))

        template = type(f"OverloadMethod_{attr}", (AttributeTemplate,), {
            "key": typ, "origin": overload_func,
            f"resolve_{attr}": bound_function(method_key)(resolve)})
        register_attr(template)
        return overload_func

    return decorate


def overload_classmethod(typ, attr, **kws):
    """Decorate `ol(cls_type, *argtypes) -> impl(cls, *args)`: `typ.attr(...)` in compiled
    code, for `typ` a subclass of types.Type (its subclasses' classmethods are their own)."""
    return overload_method(types.TypeRef(typ), attr, **kws)


def overload_attribute(typ, attr, **kws):
    """Decorate `ol(self_type) -> getter(self)`: a read-only attribute of `typ` values."""

    def decorate(overload_func):
        take_jit_options(overload_func, kws.get("jit_options"))
        def resolve(self, this):
            result = _compiled.get(overload_func, (this,), (this,))
            return None if result is None else result.signature.return_type

        register_attr(type(f"OverloadAttribute_{attr}", (AttributeTemplate,), {
            "key": typ, "origin": overload_func, f"resolve_{attr}": resolve}))

        @lower_getattr(typ, attr)
        def attribute_impl(context, builder, ty, value, name):
            result = _compiled.results[(overload_func, (ty,))]
            return context.call_inline_callee(builder, result, [value])

        return overload_func

    return decorate


# -- struct members -----------------------------------------------------------------------------

def make_attribute_wrapper(typeclass, struct_attr: str, python_attr: str) -> None:
    """Expose member `struct_attr` of a StructModel type as attribute `python_attr`."""

    def resolve(self, ty):
        return default_manager.lookup(ty).get_member_fe_type(struct_attr)

    class MemberAttribute(AttributeTemplate):
        key = typeclass

    setattr(MemberAttribute, f"resolve_{python_attr}", resolve)
    register_attr(MemberAttribute)

    @lower_getattr(typeclass, python_attr)
    def member_impl(context, builder, ty, value, attr):
        proxy = context.make_helper(builder, ty, value=value)
        member = getattr(proxy, struct_attr)
        member_ty = context.data_model_manager.lookup(ty).get_member_fe_type(struct_attr)
        context.incref(builder, member_ty, member)  # implementations return new references
        return member


# -- box / unbox (checked) ---------------------------------------------------------------------

def box(type_class):
    """Decorate `box_x(typ, val, c) -> PyObject*`: converts native `type_class` values to Python
    objects. The code it generates is checked, so its bugs are reported as its own."""

    def wrap(func):
        register_box(type_class)(_checked_box(func))
        return func

    return wrap


def unbox(type_class):
    """Decorate `unbox_x(typ, obj, c) -> NativeValue`: converts Python objects to native
    `type_class` values. An exception it leaves set without `is_error` becomes an error."""

    def wrap(func):
        register_unbox(type_class)(_checked_unbox(func))
        return func

    return wrap


def _checked_box(func):
    def checked(typ, val, c):
        obj = _run_boxing(func, "@box", typ, c, (typ, val, c))
        if not isinstance(obj, ir.Value) or obj.type != c.pyapi.pyobj:
            raise _boxing_error(func, "@box", typ, f"it returned {obj!r}, not a PyObject* (i8*)")
        lost = c.builder.and_(cgutils.is_null(c.builder, obj),
                              cgutils.is_null(c.builder, c.pyapi.err_occurred()))
        with cgutils.if_unlikely(c.builder, lost):  # else: "error return without exception set"
            c.pyapi.err_set_string("PyExc_SystemError", f"the @box function "
                                   f"{describe_function(func)} returned NULL without setting "
                                   f"an exception (converting a {typ})")
        return obj
    return checked


def _checked_unbox(func):
    def checked(typ, obj, c):
        native = _run_boxing(func, "@unbox", typ, c, (typ, obj, c))
        _check_native_value(func, typ, c, native)
        stray = c.builder.and_(c.builder.not_(native.is_error),
                               cgutils.is_not_null(c.builder, c.pyapi.err_occurred()))
        with cgutils.if_unlikely(c.builder, stray):
            _raise_from_pending(c, f"the @unbox function {describe_function(func)} left an "
                                   f"exception set without setting is_error (converting to {typ})")
        return NativeValue(native.value, is_error=c.builder.or_(native.is_error, stray),
                           cleanup=native.cleanup)
    return checked


def _run_boxing(func, role: str, typ, c, args):
    """`func(*args)`, with its exceptions and ill-typed instructions reported as its bug."""
    mark = emission_mark(c.builder)
    try:
        result = func(*args)
    except (CompilerError, RecursionError, MemoryError):
        raise
    except Exception as exc:
        raise _boxing_error(func, role, typ, f"it raised {type(exc).__name__}: {exc}") from exc
    problem = check_instructions(emitted_since(mark))
    if problem is not None:
        raise _boxing_error(func, role, typ, f"it generated invalid code: {problem}")
    return result


def _check_native_value(func, typ, c, native) -> None:
    if not isinstance(native, NativeValue):
        raise _boxing_error(func, "@unbox", typ, f"it returned {native!r}, not a NativeValue")
    expected = c.context.get_value_type(typ)
    value_type = getattr(native.value, "type", None)
    if value_type != expected:
        raise _boxing_error(func, "@unbox", typ, f"its NativeValue holds {native.value!r} of "
                            f"LLVM type {value_type}; values of {typ} have type {expected}")
    if getattr(native.is_error, "type", None) != ir.IntType(1):
        raise _boxing_error(func, "@unbox", typ, f"its is_error is {native.is_error!r}, not an "
                            "i1 value")


def _boxing_error(func, role: str, typ, problem: str) -> LoweringError:
    return LoweringError(f"the {role} function {describe_function(func)} is broken for "
                         f"{typ}: {problem}")


def _raise_from_pending(c, message: str) -> None:
    """Raise SystemError(message), chained from the exception currently set."""
    c.pyapi.err_format("PyExc_SystemError", message.replace("%", "%%"), from_cause=True)


def is_jitted(function) -> bool:
    """Whether `function` is a jitted function (made by @njit/@jit), as Numba's is_jitted."""
    return isinstance(function, DispatcherMixin)


def get_cython_function_address(module_name: str, function_name: str) -> int:
    """The address of a Cython module's exported C function (its `__pyx_capi__` entry), to
    call through ctypes or a cfunc-typed pointer from compiled code (Numba's API)."""
    module = importlib.import_module(module_name)
    table = getattr(module, "__pyx_capi__", {})
    if function_name not in table:
        raise ValueError(f"No function {function_name!r} found in __pyx_capi__ of "
                         f"{module_name!r}")
    return capsule_address(table[function_name])


__all__ = ["check_exact", "get_cython_function_address", "is_jitted", "AbstractTemplate", "AttributeTemplate", "CallableTemplate",
           "ConcreteTemplate", "MethodTemplate", "bound_function", "register", "register_attr",
           "register_global", "lower", "VarArg", "typeof_impl", "as_numba_type", "type_callable", "overload", "overload_method",
           "overload_attribute", "overload_classmethod", "intrinsic", "lower_builtin", "lower_getattr", "lower_cast",
           "lower_getattr_generic", "lower_setattr", "lower_constant", "box", "unbox",
           "NativeValue", "make_attribute_wrapper", "models", "register_model",
           "register_jitable", "types"]
