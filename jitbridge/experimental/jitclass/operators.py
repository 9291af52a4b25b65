"""Operators and builtins on jitclass instances, through the dunder methods the class defines
(`len(obj)`, `obj[i]`, `x in obj`, `a + b` with reflected and in-place forms, comparisons,
`hash`, conversions with Python's fallbacks, truth), and identity (`is`, and `==`/`!=` of
classes that define no `__eq__`/`__ne__`, as Python's defaults)."""
from __future__ import annotations

import operator

from ... import types
from ...extending import AbstractTemplate, lower_builtin, register
from .model import call_dispatcher, dispatch_impl


# -- operators and builtins through dunder methods ---------------------------------------------

def _dunder_template(key, candidates):
    """Type `key(*args)` by the first (method, receiver position) of `candidates` whose
    receiver is a jitclass instance defining that method."""
    class DunderTemplate(AbstractTemplate):
        def generic(self, args, kws):
            if kws:
                return None
            args = tuple(_plain(a) for a in args)
            for method, position in candidates:
                found = _typed_dunder(args, method, position)
                if found is not None:
                    return found
            return None
    DunderTemplate.key = key
    DunderTemplate.__name__ = f"jitclass_{getattr(key, '__name__', key)}"
    register(DunderTemplate)


def _plain(ty):
    """The argument type a dunder method is compiled for: literals widened (a literal slice
    `obj[1:5]` too), so one specialisation serves every value."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.SliceType) and ty.literal_value is not None:
        return types.SliceType(ty.members)
    return ty


def _typed_dunder(args, method: str, position: int):
    if position >= len(args) or not isinstance(args[position], types.ClassInstanceType):
        return None
    dispatcher = args[position].definition.methods.get(method)
    if dispatcher is None:
        return None
    permutation = [position] + [i for i in range(len(args)) if i != position]
    sig = dispatcher.type_call(tuple(args[i] for i in permutation), {})
    inverse = [permutation.index(i) for i in range(len(args))]
    call_args = [sig.args[i] for i in inverse]
    return types.Signature(sig.return_type, tuple(call_args),
                           impl=dispatch_impl(dispatcher, sig, permutation))


_BINARY = {
    operator.add: "add", operator.sub: "sub", operator.mul: "mul",
    operator.truediv: "truediv", operator.floordiv: "floordiv", operator.mod: "mod",
    operator.pow: "pow", operator.matmul: "matmul", operator.lshift: "lshift",
    operator.rshift: "rshift", operator.and_: "and", operator.or_: "or", operator.xor: "xor"}
_INPLACE = {
    operator.iadd: "add", operator.isub: "sub", operator.imul: "mul",
    operator.itruediv: "truediv", operator.ifloordiv: "floordiv", operator.imod: "mod",
    operator.ipow: "pow", operator.imatmul: "matmul", operator.ilshift: "lshift",
    operator.irshift: "rshift", operator.iand: "and", operator.ior: "or", operator.ixor: "xor"}
_COMPARISONS = {operator.eq: ("__eq__", "__eq__"), operator.ne: ("__ne__", "__ne__"),
                operator.lt: ("__lt__", "__gt__"), operator.le: ("__le__", "__ge__"),
                operator.gt: ("__gt__", "__lt__"), operator.ge: ("__ge__", "__le__")}
_UNARY = {len: "__len__", hash: "__hash__", abs: "__abs__", str: "__str__",
          operator.neg: "__neg__", operator.pos: "__pos__", operator.invert: "__invert__",
          operator.index: "__index__", operator.getitem: "__getitem__",
          operator.setitem: "__setitem__", operator.contains: "__contains__"}


def _register_dunders() -> None:
    for op, name in _BINARY.items():
        _dunder_template(op, [(f"__{name}__", 0), (f"__r{name}__", 1)])
    for op, name in _INPLACE.items():  # without __i<op>__, `x op= y` is typed as `x op y`
        _dunder_template(op, [(f"__i{name}__", 0)])
    for op, (name, reflected) in _COMPARISONS.items():
        _dunder_template(op, [(name, 0), (reflected, 1)])
    for func, name in _UNARY.items():
        _dunder_template(func, [(name, 0)])


_register_dunders()


# -- conversions: Python's fallbacks (int() through __index__, float() through __index__,
# complex() through __float__ or __index__, truth through __len__) ------------------------

_CONVERSIONS = {int: ("__int__", "__index__"), float: ("__float__", "__index__"),
                complex: ("__complex__", "__float__", "__index__"),
                bool: ("__bool__", "__len__")}
_RESULTS = {int: types.int64, float: types.float64, complex: types.complex128,
            bool: types.boolean}


def _conversion_template(func):
    class ConversionTemplate(AbstractTemplate):
        key = func

        def generic(self, args, kws):
            if kws or len(args) != 1 or not isinstance(args[0], types.ClassInstanceType):
                return None
            inst_ty = args[0]
            for method in _CONVERSIONS[func]:
                dispatcher = inst_ty.definition.methods.get(method)
                if dispatcher is not None:
                    typed = dispatcher.type_call((inst_ty,), {})
                    return _converted(func, dispatcher, typed, inst_ty)
            if func is bool:  # no __bool__ nor __len__: every instance is true
                return types.signature(types.boolean, inst_ty).replace(impl=instance_truth)
            return None
    ConversionTemplate.__name__ = f"jitclass_{func.__name__}"
    register(ConversionTemplate)


def _converted(func, dispatcher, typed, inst_ty):
    """`func(obj)` as the method's result converted to `func`'s type (`len` != 0 for bool)."""
    result_ty = _RESULTS[func]
    if func is int and typed.return_type != types.int64:
        result_ty = types.unliteral(typed.return_type)

    def impl(context, builder, sig, args):
        value = call_dispatcher(context, builder, dispatcher, typed.args, typed.return_type,
                                list(args))
        if func is bool:
            return context.is_true(builder, typed.return_type, value)
        return context.cast(builder, value, typed.return_type, result_ty)
    return types.signature(result_ty, inst_ty).replace(impl=impl)


for _func in _CONVERSIONS:
    _conversion_template(_func)


# -- identity: `is`, and == / != of classes without __eq__ / __ne__ (Python's default) ---------

def _identity_template(key, method, negate: bool):
    class IdentityTemplate(AbstractTemplate):
        def generic(self, args, kws):
            if kws or len(args) != 2 or not all(
                    isinstance(a, types.ClassInstanceType) for a in args):
                return None
            if method is not None and any(method in a.definition.methods for a in args):
                return None  # the dunder's template types it
            sig = types.signature(types.boolean, *args)
            return sig.replace(impl=_same_object(negate))
    IdentityTemplate.key = key
    IdentityTemplate.__name__ = f"jitclass_identity_{getattr(key, '__name__', key)}"
    register(IdentityTemplate)


def _same_object(negate: bool):
    def impl(context, builder, sig, args):
        a, b = (context.make_helper(builder, t, value=v).meminfo for t, v in zip(sig.args, args))
        return builder.icmp_unsigned("!=" if negate else "==", a, b)
    return impl


for _key, _method, _negate in ((operator.is_, None, False), (operator.is_not, None, True),
                               (operator.eq, "__eq__", False)):
    _identity_template(_key, _method, _negate)


@register
class NotEqualTemplate(AbstractTemplate):
    """`a != b` without __ne__: the negation of __eq__ if either defines it (Python's default
    __ne__), else identity."""
    key = operator.ne

    def generic(self, args, kws):
        if kws or len(args) != 2 or not any(
                isinstance(a, types.ClassInstanceType) for a in args):
            return None
        args = tuple(types.unliteral(a) for a in args)
        if any(_defines(a, "__ne__") for a in args):
            return None  # the dunder's template types it
        equal = _typed_dunder(args, "__eq__", 0) or _typed_dunder(args, "__eq__", 1)
        if equal is not None:
            return types.signature(types.boolean, *args).replace(
                impl=_negated(equal.impl, equal.return_type))
        if all(isinstance(a, types.ClassInstanceType) for a in args):
            return types.signature(types.boolean, *args).replace(impl=_same_object(True))
        return None


def _defines(ty, method: str) -> bool:
    return isinstance(ty, types.ClassInstanceType) and method in ty.definition.methods


def _negated(impl, result_ty):
    def negated(context, builder, sig, args):
        result = impl(context, builder, sig, args)
        return builder.not_(context.is_true(builder, result_ty, result))
    return negated


@lower_builtin(bool, types.ClassInstanceType)
def instance_truth(context, builder, sig, args):
    """`if obj:` — __bool__, else __len__() != 0, else true (Python's rule)."""
    inst_ty = sig.args[0]
    for method in ("__bool__", "__len__"):
        dispatcher = inst_ty.definition.methods.get(method)
        if dispatcher is not None:
            typed = dispatcher.type_call((inst_ty,), {})
            result = call_dispatcher(context, builder, dispatcher, (inst_ty,),
                                     typed.return_type, [args[0]])
            return context.is_true(builder, typed.return_type, result)
    return context.get_constant(types.boolean, True)
