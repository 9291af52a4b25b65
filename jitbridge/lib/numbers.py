"""Numbers: typing and lowering of int/float/complex arithmetic and comparisons (casts and
constants: casts.py).

Semantics follow Python (floor division and modulo signs, true division, ZeroDivisionError) with
fixed-width integers that wrap on overflow. Operand types promote as NumPy 2's (NEP 50, see
literals.py): literals are weak, typed values strong; literal-only expressions fold exactly.
"""
from __future__ import annotations

import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                          lower_getattr, register, register_attr)
from .literals import (CONSTANT_OPS, EQUALITY, NUMBER_LITERALS, ORDERED, UNARY_CONSTANT_OPS,
                       beyond_range, fold_binary, fold_unary, int_range, number_literals,
                       promote, reject_big_literals)

ARITH = (operator.add, operator.sub, operator.mul, operator.floordiv, operator.mod)
INPLACE = {operator.iadd: operator.add, operator.isub: operator.sub, operator.imul: operator.mul,
           operator.ifloordiv: operator.floordiv, operator.imod: operator.mod,
           operator.itruediv: operator.truediv, operator.ipow: operator.pow,
           operator.iand: operator.and_, operator.ior: operator.or_, operator.ixor: operator.xor,
           operator.ilshift: operator.lshift, operator.irshift: operator.rshift}
BITWISE = (operator.and_, operator.or_, operator.xor)
SHIFTS = (operator.lshift, operator.rshift)
Number = (types.Boolean, types.Number)


def _numbers(args) -> bool:
    return all(isinstance(a, Number) for a in args)


def _implicit_numbers(context, args):
    """The operands as numbers: an extension type that declares a conversion to numbers
    (`can_convert_to`) takes part as an int64, as Numba's operator cases take it (the call
    then converts it through its `lower_cast`); None if an operand is no number."""
    converted = []
    for ty in args:
        if not isinstance(ty, Number):
            if ty.can_convert_to(context, types.int64) is None:
                return None
            ty = types.int64
        converted.append(ty)
    return converted


# -- typing -----------------------------------------------------------------------------------

def _binary_template(op, result_of):
    """Register a template typing `op(a, b)` on numbers; `result_of(common, a, b)` -> type."""
    class BinaryTemplate(AbstractTemplate):
        key = op

        def generic(self, args, kws):
            if len(args) != 2 or kws:
                return None
            if number_literals(args) and op in CONSTANT_OPS:
                folded = fold_binary(op, *(a.literal_value for a in args))
                if folded is not None:  # a literal again: still a weak Python scalar
                    return types.signature(types.literal(folded), *args)
            reject_big_literals(args)
            args = _implicit_numbers(self.context, args)
            if args is None:
                return None
            return _numeric_signature(op, result_of, *args)
    BinaryTemplate.__name__ = f"Number_{op.__name__}"
    register(BinaryTemplate)


def _numeric_signature(op, result_of, a, b):
    if op in ORDERED + EQUALITY and beyond_range(a, b):
        return types.signature(types.boolean, a, b)  # NumPy compares exactly: a constant
    common = promote(a, b, op)
    result = result_of(common, a, b)
    if result is None:
        return None
    if isinstance(result, types.Type):
        return types.signature(result, common, common)
    result, *formals = result  # (result, formal) for both operands, or one formal each
    return types.signature(result, *(formals * 2 if len(formals) == 1 else formals))


def _same(common, a, b):
    return common


def _truediv(common, a, b):
    return types.float64 if isinstance(common, types.Integer) else common


def _pow(common, a, b):
    """An integer exponent stays an integer (the power is then a chain of multiplications, a
    literal one unrolled); an int base with a negative literal exponent gives a float."""
    if isinstance(common, types.Integer):
        negative = isinstance(b, types.IntegerLiteral) and b.literal_value < 0
        return (types.float64, types.float64, b) if negative else common
    if isinstance(common, types.Float) and isinstance(b, types.Integer):
        exponent = b if isinstance(b, types.Literal) else types.int64 if b.signed else types.uint64
        return (common, common, exponent)
    return common


def _ordered(common, a, b):
    return None if isinstance(common, types.Complex) else types.boolean


def _bitwise(common, a, b):
    a, b = types.unliteral(a), types.unliteral(b)
    if isinstance(a, types.Boolean) and isinstance(b, types.Boolean):
        return (types.boolean, types.boolean)
    return common if isinstance(common, types.Integer) and not isinstance(
        a, types.Float) and not isinstance(b, types.Float) else None


def _shift(common, a, b):
    ints = all(isinstance(types.unliteral(t), types.Integer) for t in (a, b))
    return common if ints and isinstance(common, types.Integer) else None


def _real_only(common, a, b):
    """`//` and `%`: complex numbers have no floor (CPython's TypeError, a typing error)."""
    return None if isinstance(common, types.Complex) else common


for _op in ARITH:
    _binary_template(_op, _real_only if _op in (operator.floordiv, operator.mod) else _same)
_binary_template(operator.truediv, _truediv)
_binary_template(operator.pow, _pow)
for _op in ORDERED:
    _binary_template(_op, _ordered)
for _op in EQUALITY:
    _binary_template(_op, lambda common, a, b: types.boolean)
for _op in BITWISE:
    _binary_template(_op, _bitwise)
for _op in SHIFTS:
    _binary_template(_op, _shift)

def _unary_template(op, result_of):
    class UnaryTemplate(AbstractTemplate):
        key = op

        def generic(self, args, kws):
            if len(args) != 1 or kws:
                return None
            folded = fold_unary(op, args)
            if folded is not None:  # exact, like Python: -(2**63) fits int64
                return types.signature(types.literal(folded), *args)
            if not _numbers(args):
                return None
            arg = types.unliteral(args[0])
            result = result_of(arg)
            return None if result is None else types.signature(result, result)
    UnaryTemplate.__name__ = f"Number_{op.__name__}"
    register(UnaryTemplate)


def _promote_bool(arg):
    return types.int64 if isinstance(arg, types.Boolean) else arg


_unary_template(operator.neg, _promote_bool)
_unary_template(operator.pos, _promote_bool)
# `~` on a bool is NumPy's logical not (as in Numba), so bool arrays and scalars agree
_unary_template(operator.invert, lambda a: None if isinstance(a, (types.Float, types.Complex))
                else a)


# -- lowering helpers -------------------------------------------------------------------------

def raise_if(context, builder, cond, exc, msg):
    """if cond: raise exc(msg)."""
    with cgutils.if_unlikely(builder, cond):
        context.call_conv.return_user_exc(builder, exc, (msg,))


def python_errors(context) -> bool:
    """error_model='python' (the default) raises ZeroDivisionError; 'numpy' gives NumPy's
    results instead (inf or nan for floats, 0 for integers), as Numba does."""
    return context.flags.error_model != "numpy"


def is_zero(builder, value):
    if isinstance(value.type, ir.IntType):
        return builder.icmp_unsigned("==", value, ir.Constant(value.type, 0))
    return builder.fcmp_ordered("==", value, ir.Constant(value.type, 0.0))


def fastmath_flags(context):
    """Fast-math flags when the function was compiled with fastmath=True."""
    return ("fast",) if context.flags.fastmath else ()


# -- integers ---------------------------------------------------------------------------------

def _int_arith(builder_method):
    def impl(context, builder, sig, args):
        return getattr(builder, builder_method)(*args)
    return impl


for _op, _method in ((operator.add, "add"), (operator.sub, "sub"), (operator.mul, "mul"),
                     (operator.and_, "and_"), (operator.or_, "or_"), (operator.xor, "xor"),
                     (operator.lshift, "shl")):
    lower_builtin(_op, types.Integer, types.Integer)(_int_arith(_method))
    lower_builtin(_op, types.Boolean, types.Boolean)(_int_arith(_method))


@lower_builtin(operator.rshift, types.Integer, types.Integer)
def int_rshift_impl(context, builder, sig, args):
    method = builder.ashr if sig.args[0].signed else builder.lshr
    return method(*args)


def _signed_divmod(builder, a, b):
    """Python's (a // b, a % b) of signed ints, b != 0; MIN // -1 gives (0, 0) as in Numba."""
    minus_one = builder.icmp_signed("==", b, ir.Constant(b.type, -1))
    safe_b = builder.select(minus_one, ir.Constant(b.type, 1), b)  # INT_MIN // -1 is UB
    q = builder.sdiv(a, safe_b)
    r = builder.srem(a, safe_b)
    adjust = builder.and_(cgutils.is_not_null(builder, r),
                          builder.icmp_signed("<", builder.xor(r, b), ir.Constant(b.type, 0)))
    q = builder.select(adjust, builder.sub(q, ir.Constant(q.type, 1)), q)
    r = builder.select(adjust, builder.add(r, b), r)
    is_min = builder.icmp_signed("==", a, ir.Constant(a.type, -1 << (a.type.width - 1)))
    q = builder.select(minus_one, builder.select(is_min, ir.Constant(q.type, 0), builder.neg(a)), q)
    r = builder.select(minus_one, ir.Constant(r.type, 0), r)
    return q, r


def _cpython_message(operation) -> str:
    try:
        operation()
    except ZeroDivisionError as exc:
        return str(exc)
    raise AssertionError("a division by zero did not raise")


#: ZeroDivisionError's messages, as this CPython words them (they vary between versions:
#: 3.11's "float modulo" is 3.12's "float modulo by zero")
ZERO_DIVISION = {key: _cpython_message(operation) for key, operation in (
    ("int //", lambda: 1 // 0), ("int %", lambda: 1 % 0), ("int /", lambda: 1 / 0),
    ("float /", lambda: 1.0 / 0.0), ("float //", lambda: 1.0 // 0.0),
    ("float %", lambda: 1.0 % 0.0), ("float divmod", lambda: divmod(1.0, 0.0)),
    ("int divmod", lambda: divmod(1, 0)), ("complex /", lambda: 1j / 0j))}


def int_divmod(context, builder, ty, a, b, message=ZERO_DIVISION["int divmod"]):
    """(a // b, a % b) for integers of type `ty`, raising ZeroDivisionError(message)
    (error_model 'numpy': (0, 0))."""
    zero = is_zero(builder, b)
    if python_errors(context):
        raise_if(context, builder, zero, ZeroDivisionError, message)
    else:
        b = builder.select(zero, ir.Constant(b.type, 1), b)
    q, r = _signed_divmod(builder, a, b) if ty.signed else (builder.udiv(a, b), builder.urem(a, b))
    if python_errors(context):
        return q, r
    nothing = ir.Constant(q.type, 0)
    return builder.select(zero, nothing, q), builder.select(zero, nothing, r)


@lower_builtin(operator.floordiv, types.Integer, types.Integer)
def int_floordiv_impl(context, builder, sig, args):
    return int_divmod(context, builder, sig.args[0], *args, ZERO_DIVISION["int //"])[0]


@lower_builtin(operator.mod, types.Integer, types.Integer)
def int_mod_impl(context, builder, sig, args):
    return int_divmod(context, builder, sig.args[0], *args, ZERO_DIVISION["int %"])[1]


@lower_builtin(operator.truediv, types.Integer, types.Integer)
def int_truediv_impl(context, builder, sig, args):
    return float_truediv_impl(context, builder, sig, args)


def _int_cmp(op_symbol):
    def impl(context, builder, sig, args):
        signed = getattr(sig.args[0], "signed", False)
        method = builder.icmp_signed if signed else builder.icmp_unsigned
        return method(op_symbol, *args)
    return impl


_CMP_SYMBOLS = {operator.lt: "<", operator.le: "<=", operator.gt: ">", operator.ge: ">=",
                operator.eq: "==", operator.ne: "!="}
for _op, _sym in _CMP_SYMBOLS.items():
    lower_builtin(_op, types.Integer, types.Integer)(_int_cmp(_sym))
    lower_builtin(_op, types.Boolean, types.Boolean)(_int_cmp(_sym))


@lower_builtin(operator.neg, types.Integer)
def int_neg_impl(context, builder, sig, args):
    return builder.neg(args[0])


@lower_builtin(operator.pos, types.Number)
def number_pos_impl(context, builder, sig, args):
    return args[0]


@lower_builtin(operator.invert, types.Integer)
@lower_builtin(operator.invert, types.Boolean)  # `not` of the i1
def int_invert_impl(context, builder, sig, args):
    return builder.not_(args[0])


# -- floats -----------------------------------------------------------------------------------

for _op, _method in ((operator.add, "fadd"), (operator.sub, "fsub"), (operator.mul, "fmul")):
    def _float_arith(context, builder, sig, args, _method=_method):
        return getattr(builder, _method)(*args, flags=fastmath_flags(context))
    lower_builtin(_op, types.Float, types.Float)(_float_arith)


@lower_builtin(operator.truediv, types.Float, types.Float)
def float_truediv_impl(context, builder, sig, args):
    a, b = (context.cast(builder, v, t, sig.return_type) for v, t in zip(args, sig.args))
    if python_errors(context):
        ints = all(isinstance(ty, (types.Integer, types.Boolean)) for ty in sig.args)
        raise_if(context, builder, is_zero(builder, b), ZeroDivisionError,
                 ZERO_DIVISION["int /" if ints else "float /"])
    return builder.fdiv(a, b, flags=fastmath_flags(context))


def intrinsic_call(builder, name, *args):
    return cgutils.call_intrinsic(builder, name, args)


def float_divmod(context, builder, a, b, message):
    """Python's float (a // b, a % b) (b != 0 checked, raising with `message`; error_model
    'numpy': NumPy's (a / b, nan) for b == 0)."""
    by_zero = is_zero(builder, b)
    if python_errors(context):
        raise_if(context, builder, by_zero, ZeroDivisionError, message)
        return _float_divmod(builder, a, b)
    quotient, mod = _float_divmod(builder, a, builder.select(by_zero, ir.Constant(b.type, 1.0), b))
    return (builder.select(by_zero, builder.fdiv(a, b), quotient),
            builder.select(by_zero, ir.Constant(a.type, float("nan")), mod))


def _float_divmod(builder, a, b):
    """(a // b, a % b) with Python's signs and rounding, for b != 0."""
    zero = ir.Constant(a.type, 0.0)
    mod = builder.frem(a, b)
    mod_nonzero = builder.fcmp_unordered("!=", mod, zero)
    signs_differ = builder.xor(builder.fcmp_ordered("<", b, zero), builder.fcmp_ordered("<", mod, zero))
    fix = builder.and_(mod_nonzero, signs_differ)
    div = builder.fdiv(builder.fsub(a, mod), b)
    div = builder.select(fix, builder.fsub(div, ir.Constant(a.type, 1.0)), div)
    mod = builder.select(fix, builder.fadd(mod, b), mod)
    mod = builder.select(mod_nonzero, mod, intrinsic_call(builder, "llvm.copysign", zero, b))
    floored = intrinsic_call(builder, "llvm.floor", div)
    half_up = builder.fcmp_ordered(">", builder.fsub(div, floored), ir.Constant(a.type, 0.5))
    floored = builder.select(half_up, builder.fadd(floored, ir.Constant(a.type, 1.0)), floored)
    div_zero = builder.fcmp_ordered("==", div, zero)
    quotient = builder.select(div_zero, intrinsic_call(builder, "llvm.copysign", zero,
                                                   builder.fdiv(a, b)), floored)
    return quotient, mod


@lower_builtin(operator.floordiv, types.Float, types.Float)
def float_floordiv_impl(context, builder, sig, args):
    return float_divmod(context, builder, *args, ZERO_DIVISION["float //"])[0]


@lower_builtin(operator.mod, types.Float, types.Float)
def float_mod_impl(context, builder, sig, args):
    return float_divmod(context, builder, *args, ZERO_DIVISION["float %"])[1]


def _float_cmp(op_symbol):
    def impl(context, builder, sig, args):
        if op_symbol == "!=":
            return builder.fcmp_unordered(op_symbol, *args)
        return builder.fcmp_ordered(op_symbol, *args)
    return impl


for _op, _sym in _CMP_SYMBOLS.items():
    lower_builtin(_op, types.Float, types.Float)(_float_cmp(_sym))


@lower_builtin(operator.neg, types.Float)
def float_neg_impl(context, builder, sig, args):
    return builder.fneg(args[0])


# -- complex ----------------------------------------------------------------------------------

def complex_parts(builder, value):
    return builder.extract_value(value, 0), builder.extract_value(value, 1)


def make_complex(builder, real, imag):
    return cgutils.pack_struct(builder, [real, imag])


@lower_builtin(operator.add, types.Complex, types.Complex)
def complex_add_impl(context, builder, sig, args):
    (ar, ai), (br, bi) = (complex_parts(builder, v) for v in args)
    return make_complex(builder, builder.fadd(ar, br), builder.fadd(ai, bi))


@lower_builtin(operator.sub, types.Complex, types.Complex)
def complex_sub_impl(context, builder, sig, args):
    (ar, ai), (br, bi) = (complex_parts(builder, v) for v in args)
    return make_complex(builder, builder.fsub(ar, br), builder.fsub(ai, bi))


@lower_builtin(operator.mul, types.Complex, types.Complex)
def complex_mul_impl(context, builder, sig, args):
    (ar, ai), (br, bi) = (complex_parts(builder, v) for v in args)
    real = builder.fsub(builder.fmul(ar, br), builder.fmul(ai, bi))
    imag = builder.fadd(builder.fmul(ar, bi), builder.fmul(ai, br))
    return make_complex(builder, real, imag)


@lower_builtin(operator.truediv, types.Complex, types.Complex)
def complex_truediv_impl(context, builder, sig, args):
    """Smith's algorithm, as CPython's complex division."""
    (ar, ai), (br, bi) = (complex_parts(builder, v) for v in args)
    zero = ir.Constant(br.type, 0.0)
    both_zero = builder.and_(builder.fcmp_ordered("==", br, zero), builder.fcmp_ordered("==", bi, zero))
    raise_if(context, builder, both_zero, ZeroDivisionError, ZERO_DIVISION["complex /"])
    abs_br, abs_bi = (intrinsic_call(builder, "llvm.fabs", v) for v in (br, bi))
    real_big = builder.fcmp_ordered(">=", abs_br, abs_bi)
    ratio = builder.select(real_big, builder.fdiv(bi, br), builder.fdiv(br, bi))
    denom = builder.select(real_big, builder.fadd(br, builder.fmul(bi, ratio)),
                           builder.fadd(bi, builder.fmul(br, ratio)))
    real = builder.select(real_big, builder.fadd(ar, builder.fmul(ai, ratio)),
                          builder.fadd(builder.fmul(ar, ratio), ai))
    imag = builder.select(real_big, builder.fsub(ai, builder.fmul(ar, ratio)),
                          builder.fsub(builder.fmul(ai, ratio), ar))
    return make_complex(builder, builder.fdiv(real, denom), builder.fdiv(imag, denom))


@lower_builtin(operator.neg, types.Complex)
def complex_neg_impl(context, builder, sig, args):
    real, imag = complex_parts(builder, args[0])
    return make_complex(builder, builder.fneg(real), builder.fneg(imag))


@lower_builtin(operator.eq, types.Complex, types.Complex)
def complex_eq_impl(context, builder, sig, args):
    (ar, ai), (br, bi) = (complex_parts(builder, v) for v in args)
    return builder.and_(builder.fcmp_ordered("==", ar, br), builder.fcmp_ordered("==", ai, bi))


@lower_builtin(operator.ne, types.Complex, types.Complex)
def complex_ne_impl(context, builder, sig, args):
    return builder.not_(complex_eq_impl(context, builder, sig, args))


# -- attributes and methods: .real, .imag, .conjugate() ----------------------------------------

@register_attr
class NumberAttributes(AttributeTemplate):
    key = types.Number

    def resolve_real(self, ty):
        return ty.underlying_float if isinstance(ty, types.Complex) else types.unliteral(ty)

    def resolve_imag(self, ty):
        return self.resolve_real(ty)

    @bound_function("number.conjugate")
    def resolve_conjugate(self, ty, args, kws):
        return None if args or kws else types.signature(types.unliteral(ty))


@lower_getattr(types.Complex, "real")
def complex_real_impl(context, builder, ty, val, attr):
    return builder.extract_value(val, 0)


@lower_getattr(types.Complex, "imag")
def complex_imag_impl(context, builder, ty, val, attr):
    return builder.extract_value(val, 1)


@lower_getattr(types.Integer, "real")
@lower_getattr(types.Float, "real")
def real_real_impl(context, builder, ty, val, attr):
    return val


@lower_getattr(types.Integer, "imag")
@lower_getattr(types.Float, "imag")
def real_imag_impl(context, builder, ty, val, attr):
    return ir.Constant(val.type, None)


@lower_builtin("number.conjugate", types.Complex)
def complex_conjugate_impl(context, builder, sig, args):
    real, imag = complex_parts(builder, args[0])
    return make_complex(builder, real, builder.fneg(imag))


@lower_builtin("number.conjugate", types.Integer)
@lower_builtin("number.conjugate", types.Float)
def real_conjugate_impl(context, builder, sig, args):
    return args[0]


# -- literal expressions evaluated while typing -----------------------------------------------

def _folded_constant(context, builder, sig, args):
    """`2**64 - 1`, `-(2**63)`, `2 - 3j`: typing computed the exact value; emit it."""
    return context.get_constant_generic(builder, sig.return_type, sig.return_type.literal_value)


def _beyond_range_compare(op):
    """An int compared with a literal outside its type's range: the answer is known."""
    def impl(context, builder, sig, args):
        a, b = (t.literal_value if isinstance(t, types.IntegerLiteral) else int_range(t)[0]
                for t in sig.args)
        return ir.Constant(ir.IntType(1), int(op(a, b)))
    return impl


for _op in ORDERED + EQUALITY:
    _impl = _beyond_range_compare(_op)
    lower_builtin(_op, types.Integer, types.IntegerLiteral)(_impl)
    lower_builtin(_op, types.IntegerLiteral, types.Integer)(_impl)
for _op in CONSTANT_OPS:
    for _a in NUMBER_LITERALS:
        for _b in NUMBER_LITERALS:
            lower_builtin(_op, _a, _b)(_folded_constant)
for _op in UNARY_CONSTANT_OPS:
    for _a in NUMBER_LITERALS:
        lower_builtin(_op, _a)(_folded_constant)
