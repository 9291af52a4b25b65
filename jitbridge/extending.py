"""The extension API (Numba-compatible): teach the compiler new types and functions.

Everything here fills the same registries the builtins in `lib/` use: typing templates, the
lowering registry, data models and box/unbox functions. `overload*` compile ordinary Python
implementations with the full pipeline; `intrinsic` takes an LLVM code generator directly.
"""
from __future__ import annotations

from . import types
from .compiler import compile_function, compile_lock
from .core.datamodel import default_manager, models, register_model  # noqa: F401
from .errors import TypingError
from .lowering.registry import (VarArg, lower_builtin, lower_cast, lower_constant,  # noqa: F401
                                lower_getattr, lower_getattr_generic, lower_setattr)
from .lowering.registry import registry as lowering_registry
from .runtime.boxing import NativeValue, box, check_exact, unbox  # noqa: F401 (public API)
from .typing.registry import register, register_attr, register_global
from .typing.templates import AbstractTemplate, AttributeTemplate, CallableTemplate
from .typing.templates import ConcreteTemplate, MethodTemplate, bound_function  # noqa: F401
from .typing.typeof import as_numba_type, typeof_impl  # noqa: F401

lower = lower_builtin


# -- type_callable -----------------------------------------------------------------------------

def type_callable(func):
    """Decorate `typer_factory(context) -> typer(*argtypes)` to type calls of `func`."""

    def decorate(typer_factory):
        template = type(f"TypeCallable_{getattr(func, '__name__', func)}", (CallableTemplate,), {
            "key": func, "generic": lambda self: typer_factory(self.context)})
        register(template)
        _make_callable_global(func)
        return typer_factory

    return decorate


def _make_callable_global(func) -> None:
    if not isinstance(func, str):
        register_global(func, types.Function(func))


# -- overload ---------------------------------------------------------------------------------

class _Compiled:
    """Caches compiled implementations per (overload function, argument types)."""

    def __init__(self):
        self.results: dict = {}

    def get(self, key, make_impl):
        """The CompileResult for `key`, compiling `make_impl()`'s function on first use."""
        if key not in self.results:
            impl = make_impl()
            if impl is None:
                self.results[key] = None
            else:
                argtypes = key[-1]
                with compile_lock:
                    self.results[key] = compile_function(_as_function(impl), argtypes)
        return self.results[key]


_compiled = _Compiled()


def _as_function(impl):
    """Accept plain functions and jitted dispatchers as implementations."""
    return getattr(impl, "py_func", impl)


def _unliteral_all(args):
    return tuple(types.unliteral(a) for a in args)


def _call_compiled(context, builder, sig, args, result):
    context.library.add_linking_library(result.library)
    return context.call_internal(builder, result.native_name, result.signature, args)


def overload(func, jit_options=None, strict=True, inline="never", prefer_literal=False, **kws):
    """Decorate `ol_func(*argtypes) -> impl or None`: calls of `func` in compiled code run the
    compiled `impl` chosen for the argument types."""

    def decorate(overload_func):
        key = func

        class OverloadTemplate(AbstractTemplate):
            def generic(self, args, kws):
                if kws:
                    return None
                argtypes = _unliteral_all(args)
                result = _compiled.get((overload_func, argtypes), lambda: overload_func(*args))
                return None if result is None else result.signature

        OverloadTemplate.key = key
        OverloadTemplate.__name__ = f"overload({getattr(func, '__name__', func)}) via " \
                                    f"{overload_func.__qualname__}"
        register(OverloadTemplate)
        _make_callable_global(func)

        def overload_impl(context, builder, sig, args):
            result = _compiled.results[(overload_func, tuple(sig.args))]
            return _call_compiled(context, builder, sig, args, result)

        lowering_registry.add_function(key, (VarArg(types.Any),), overload_impl,
                                       accept=lambda argtypes: _compiled.results.get(
                                           (overload_func, tuple(argtypes))) is not None)

        return overload_func

    return decorate


def register_jitable(*args, **kws):
    """Make a Python function callable from compiled code (compiled on use), and from Python."""

    def wrap(fn):
        overload(fn, **kws)(lambda *argtypes: fn)
        return fn

    return wrap(args[0]) if args and callable(args[0]) else wrap


def overload_method(typ, attr, **kws):
    """Decorate `ol(self_type, *argtypes) -> impl(self, *args)`: a method of `typ` values."""

    def decorate(overload_func):
        method_key = f"{getattr(typ, '__name__', typ)}.{attr}"

        def resolve(self, this, args, kws):
            if kws:
                return None
            argtypes = _unliteral_all((this, *args))
            result = _compiled.get((overload_func, argtypes), lambda: overload_func(this, *args))
            if result is None:
                return None
            return types.signature(result.signature.return_type, *argtypes[1:], recvr=this)

        template = type(f"OverloadMethod_{attr}", (AttributeTemplate,), {
            "key": typ, f"resolve_{attr}": bound_function(method_key)(resolve)})
        register_attr(template)

        @lower_builtin(method_key, typ, VarArg(types.Any))
        def method_impl(context, builder, sig, args):  # method keys are unique per overload
            argtypes = (sig.recvr, *sig.args)
            result = _compiled.results[(overload_func, argtypes)]
            return _call_compiled(context, builder, types.signature(sig.return_type, *argtypes),
                                  args, result)

        return overload_func

    return decorate


def overload_attribute(typ, attr, **kws):
    """Decorate `ol(self_type) -> getter(self)`: a read-only attribute of `typ` values."""

    def decorate(overload_func):
        def resolve(self, this):
            result = _compiled.get((overload_func, (this,)), lambda: overload_func(this))
            return None if result is None else result.signature.return_type

        register_attr(type(f"OverloadAttribute_{attr}", (AttributeTemplate,), {
            "key": typ, f"resolve_{attr}": resolve}))

        @lower_getattr(typ, attr)
        def attribute_impl(context, builder, ty, value, name):
            result = _compiled.results[(overload_func, (ty,))]
            return _call_compiled(context, builder, result.signature, [value], result)

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


# -- intrinsic ----------------------------------------------------------------------------------

class Intrinsic:
    """A function whose typing returns (signature, codegen) and whose body is LLVM IR."""

    def __init__(self, definition, prefer_literal=False):
        self._definition = definition
        self.__name__ = definition.__name__
        self.__doc__ = definition.__doc__
        self._codegens: dict = {}
        intrinsic_self = self

        class IntrinsicTemplate(AbstractTemplate):
            key = intrinsic_self

            def generic(self, args, kws):
                result = intrinsic_self._definition(self.context, *args, **kws)
                if result is None:
                    return None
                sig, codegen = result
                intrinsic_self._codegens[tuple(sig.args)] = codegen
                return sig

        IntrinsicTemplate.__name__ = f"intrinsic({self.__name__})"
        register(IntrinsicTemplate)
        register_global(self, types.Function(self))

        @lower_builtin(self, VarArg(types.Any))
        def intrinsic_impl(context, builder, sig, args):
            return self._codegens[tuple(sig.args)](context, builder, sig, args)

    def __call__(self, *args, **kws):
        raise TypingError(f"intrinsic {self.__name__}() can only be called from compiled code")

    def __repr__(self):
        return f"<intrinsic {self.__name__}>"


def intrinsic(*args, **kws):
    """Decorate `def f(typingctx, *argtypes) -> (signature, codegen)`."""
    if args and callable(args[0]):
        return Intrinsic(args[0])
    return lambda func: Intrinsic(func, **kws)


__all__ = ["check_exact", "AbstractTemplate", "AttributeTemplate", "CallableTemplate",
           "ConcreteTemplate", "MethodTemplate", "bound_function", "register", "register_attr",
           "register_global", "lower", "VarArg", "typeof_impl", "as_numba_type", "type_callable", "overload", "overload_method",
           "overload_attribute", "intrinsic", "lower_builtin", "lower_getattr", "lower_cast",
           "lower_getattr_generic", "lower_setattr", "lower_constant", "box", "unbox",
           "NativeValue", "make_attribute_wrapper", "models", "register_model",
           "register_jitable", "types"]
