"""Structural checks of llvmlite IR before LLVM sees it: llvmlite's builder accepts some
ill-typed instructions that LLVM's parser would only reject with an anonymous error, so each is
reported here naming its function, block and instruction."""
from __future__ import annotations

from llvmlite import ir

from .errors import LoweringError

def verify_module(module: ir.Module) -> None:
    """Raise LoweringError naming the function, block and instruction of the first problem."""
    for func in module.functions:
        for block in func.blocks:
            problem = check_block(block)
            if problem is not None:
                raise LoweringError(f"invalid LLVM IR in function {func.name!r}, block "
                                    f"{block.name!r}: {problem}")


def check_block(block) -> str | None:
    """What is wrong with a finished block (its terminator and instructions), or None."""
    if not block.is_terminated:
        return "the block does not end in a terminator (ret/br/switch/unreachable)"
    return check_instructions(block.instructions)


def check_instructions(instructions) -> str | None:
    """The first ill-typed instruction of `instructions`, described, or None."""
    for instr in instructions:
        checker = _CHECKERS.get(type(instr)) or _OPCODE_CHECKERS.get(instr.opname)
        problem = checker(instr) if checker is not None else None
        if problem is not None:
            return f"`{str(instr).strip()}`: {problem}"
    return None


def emission_mark(builder):
    """Where `builder` is now: `emitted_since(mark)` lists what was emitted after this."""
    block = getattr(builder, "block", None)
    if block is None:
        return None
    return block, len(block.instructions), len(block.function.blocks)


def emitted_since(mark) -> list:
    """Instructions added after `mark` (in its block and in blocks appended since)."""
    if mark is None:
        return []
    block, count, nblocks = mark
    found = block.instructions[count:]
    for later in block.function.blocks[nblocks:]:
        found.extend(later.instructions)
    return found


def _is_int(ty) -> bool:
    return isinstance(ty, ir.IntType) or (isinstance(ty, ir.VectorType)
                                          and isinstance(ty.element, ir.IntType))


def _is_float(ty) -> bool:
    scalar = ty.element if isinstance(ty, ir.VectorType) else ty
    return isinstance(scalar, (ir.HalfType, ir.FloatType, ir.DoubleType))


def _same_operand_types(instr) -> str | None:
    lhs, rhs = instr.operands[0].type, instr.operands[1].type
    return None if lhs == rhs else f"operands of different types {lhs} and {rhs}"


def _check_int_op(instr) -> str | None:
    if not _is_int(instr.operands[0].type):
        return f"integer operation on {instr.operands[0].type}"
    return _same_operand_types(instr)


def _check_float_op(instr) -> str | None:
    if not _is_float(instr.operands[0].type):
        return f"floating-point operation on {instr.operands[0].type}"
    return _same_operand_types(instr)


def _check_icmp(instr) -> str | None:
    ty = instr.operands[0].type
    if not (_is_int(ty) or isinstance(ty, ir.PointerType)):
        return f"integer comparison of {ty}"
    return _same_operand_types(instr)


def _check_ret(instr) -> str | None:
    expected = instr.parent.function.function_type.return_type
    actual = instr.operands[0].type if instr.operands else ir.VoidType()
    return None if actual == expected else f"returns {actual} from a function returning {expected}"


def _check_cbranch(instr) -> str | None:
    ty = instr.operands[0].type
    return None if ty == ir.IntType(1) else f"branch condition of type {ty} (must be i1)"


def _check_phi(instr) -> str | None:
    for value, _block in instr.incomings:
        if value.type != instr.type:
            return f"incoming value of type {value.type} for a phi of type {instr.type}"
    return None


def _check_switch(instr) -> str | None:
    ty = instr.operands[0].type
    if not isinstance(ty, ir.IntType):
        return f"switch on a value of type {ty}"
    bad = [value.type for value, _block in instr.cases if value.type != ty]
    return f"case value of type {bad[0]} in a switch on {ty}" if bad else None


def _check_cast(instr) -> str | None:
    src, dst = instr.operands[0].type, instr.type
    rule = _CAST_RULES.get(instr.opname)
    if rule is None or rule(src, dst):
        return None
    return f"invalid {instr.opname} from {src} to {dst}"


def _int_bits(ty) -> int:
    return ty.width if isinstance(ty, ir.IntType) else -1


def _float_rank(ty) -> int:
    return {ir.HalfType: 16, ir.FloatType: 32, ir.DoubleType: 64}.get(type(ty), -1)


def _bitcast_ok(src, dst) -> bool:
    if isinstance(src, ir.PointerType) or isinstance(dst, ir.PointerType):
        return isinstance(src, ir.PointerType) and isinstance(dst, ir.PointerType)
    if isinstance(src, ir.Aggregate) or isinstance(dst, ir.Aggregate):
        return False
    widths = _bits(src), _bits(dst)
    return widths[0] == widths[1] if min(widths) > 0 else True  # (others: LLVM decides)


def _bits(ty) -> int:
    """The width of a scalar or vector type in bits (what a bitcast keeps), -1 if unknown."""
    if isinstance(ty, ir.VectorType):
        return ty.count * _bits(ty.element)
    return _int_bits(ty) if isinstance(ty, ir.IntType) else _float_rank(ty)


_CAST_RULES = {
    "trunc": lambda s, d: 0 < _int_bits(d) < _int_bits(s),
    "zext": lambda s, d: 0 < _int_bits(s) < _int_bits(d),
    "sext": lambda s, d: 0 < _int_bits(s) < _int_bits(d),
    "fptrunc": lambda s, d: 0 < _float_rank(d) < _float_rank(s),
    "fpext": lambda s, d: 0 < _float_rank(s) < _float_rank(d),
    "fptosi": lambda s, d: _float_rank(s) > 0 and _int_bits(d) > 0,
    "fptoui": lambda s, d: _float_rank(s) > 0 and _int_bits(d) > 0,
    "sitofp": lambda s, d: _int_bits(s) > 0 and _float_rank(d) > 0,
    "uitofp": lambda s, d: _int_bits(s) > 0 and _float_rank(d) > 0,
    "ptrtoint": lambda s, d: isinstance(s, ir.PointerType) and _int_bits(d) > 0,
    "inttoptr": lambda s, d: _int_bits(s) > 0 and isinstance(d, ir.PointerType),
    "bitcast": _bitcast_ok,
}
_CHECKERS = {
    ir.Ret: _check_ret, ir.ConditionalBranch: _check_cbranch, ir.PhiInstr: _check_phi,
    ir.ICMPInstr: _check_icmp, ir.FCMPInstr: _check_float_op, ir.CastInstr: _check_cast,
    ir.SwitchInstr: _check_switch,
}
_OPCODE_CHECKERS = {
    **dict.fromkeys(("add", "sub", "mul", "sdiv", "udiv", "srem", "urem", "shl", "lshr",
                     "ashr", "and", "or", "xor"), _check_int_op),
    **dict.fromkeys(("fadd", "fsub", "fmul", "fdiv", "frem"), _check_float_op),
}
