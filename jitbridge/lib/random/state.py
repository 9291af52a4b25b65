"""state: the per-thread Mersenne Twister states behind np.random.* and random.* in
compiled code, with Numba's semantics.

Design
------
Every thread owns one block of memory holding two MT19937 states: NumPy's (`np.random.*`) and
Python's (`random.*`). The block is found through one process-wide pthread key, created here
with ctypes when this module is imported; compiled code reads the key from the exported symbol
`jb_random_key` and calls `pthread_getspecific` itself, so a draw never enters Python and every
compiled function of the process shares the same states. A thread's first draw allocates its
block (libc `calloc`; the key's destructor, libc `free`, releases it when the thread ends) and
seeds both states from OS entropy (`getentropy`), so threads and processes get different
streams; a forked child forgets the parent's block (`os.register_at_fork`) and draws fresh
entropy. LLVM `thread_local` globals cannot be used: llvmlite's MCJIT aborts the process
("LLVM ERROR: allocation of TLS not implemented", tried on x86-64 Linux), while a pthread key
costs one libc call per lookup. Another process that loads cached code binds `jb_random_key`
again by importing this module.

A state is 628 32-bit words: the 624 key words, the position, the has-gauss flag, then the
cached second value of the polar normal method as a double (as NumPy's legacy RandomState
keeps it). Seeding with an integer is NumPy's `init_genrand`, so after `np.random.seed(n)`
compiled code draws bit for bit what `np.random.RandomState(n)` draws. The generator is written
in int64 arithmetic on the 32-bit words (jitbridge promotes small unsigned integers like Numba).
"""
from __future__ import annotations

import ctypes
import math
import os

import numpy as np
from llvmlite import ir

from ... import types
from ...codegen import add_symbol
from ...core import cgutils
from ...errors import TypingError
from ...extending import intrinsic, overload, register_jitable
from ...typing.typeof import typeof
from .. import math_ieee

N, M = 624, 397
POS, HAS_GAUSS, GAUSS = 624, 625, 626           # word offsets inside one state
STATE_WORDS = 628
PY_OFFSET = STATE_WORDS                          # Python's state follows NumPy's
SCRATCH = 2 * STATE_WORDS                        # entropy buffer used while seeding
ENTROPY_WORDS = 64
BLOCK_BYTES = (SCRATCH + ENTROPY_WORDS) * 4
KEY_SYMBOL = "jb_random_key"

i32 = ir.IntType(32)
u32p = types.CPointer(types.uint32)


def _libc_address(name: str) -> int:
    return ctypes.cast(getattr(ctypes.CDLL(None), name), ctypes.c_void_p).value


def _create_key() -> ctypes.c_uint:
    key = ctypes.c_uint(0)
    create = ctypes.CDLL(None).pthread_key_create
    create.argtypes = [ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p]
    if create(ctypes.byref(key), _libc_address("free")) != 0:
        raise OSError("pthread_key_create failed")
    return key


_KEY = _create_key()
add_symbol(KEY_SYMBOL, ctypes.addressof(_KEY))


def _forget_parent_block() -> None:
    """In a forked child: drop the inherited block, so the child seeds itself afresh."""
    libc = ctypes.CDLL(None)
    libc.pthread_getspecific.restype = ctypes.c_void_p
    block = libc.pthread_getspecific(_KEY.value)
    if block:
        libc.pthread_setspecific(_KEY.value, None)
        libc.free(ctypes.c_void_p(block))


os.register_at_fork(after_in_child=_forget_parent_block)


# -- the thread's block ------------------------------------------------------------------------

def _libc_call(builder, name, restype, argtypes, args):
    fn = cgutils.declare_c_function(builder.module, name, restype, argtypes)
    return builder.call(fn, args)


def _load_key(builder):
    module = builder.module
    gv = module.globals.get(KEY_SYMBOL) or ir.GlobalVariable(module, i32, KEY_SYMBOL)
    return builder.load(gv)


@intrinsic
def _lookup_block(typingctx):
    """This thread's block, or null before its first draw."""
    def codegen(context, builder, sig, args):
        raw = _libc_call(builder, "pthread_getspecific", cgutils.voidptr_t, [i32],
                         [_load_key(builder)])
        return builder.bitcast(raw, i32.as_pointer())
    return u32p(), codegen


@intrinsic
def _new_block(typingctx):
    """A zeroed block registered as this thread's."""
    def codegen(context, builder, sig, args):
        i64 = cgutils.int64_t
        raw = _libc_call(builder, "calloc", cgutils.voidptr_t, [i64, i64],
                         [ir.Constant(i64, 1), ir.Constant(i64, BLOCK_BYTES)])
        _libc_call(builder, "pthread_setspecific", i32, [i32, cgutils.voidptr_t],
                   [_load_key(builder), raw])
        return builder.bitcast(raw, i32.as_pointer())
    return u32p(), codegen


@intrinsic
def _is_null(typingctx, ptr):
    def codegen(context, builder, sig, args):
        return cgutils.is_null(builder, args[0])
    return types.boolean(ptr), codegen


@intrinsic
def _offset(typingctx, ptr, words):
    def codegen(context, builder, sig, args):
        return builder.gep(args[0], [args[1]])
    return u32p(ptr, words), codegen


@intrinsic
def _fill_entropy(typingctx, ptr):
    """Write ENTROPY_WORDS words of OS entropy at `ptr`; 0 on success."""
    def codegen(context, builder, sig, args):
        raw = builder.bitcast(args[0], cgutils.voidptr_t)
        return _libc_call(builder, "getentropy", i32, [cgutils.voidptr_t, cgutils.int64_t],
                          [raw, ir.Constant(cgutils.int64_t, ENTROPY_WORDS * 4)])
    return types.int32(ptr), codegen


@intrinsic
def get_word(typingctx, st, index):
    """Word `index` of a state, as a non-negative int64."""
    def codegen(context, builder, sig, args):
        return builder.zext(builder.load(builder.gep(args[0], [args[1]])), cgutils.int64_t)
    return types.int64(st, index), codegen


@intrinsic
def put_word(typingctx, st, index, value):
    """Store the low 32 bits of `value` (an int64) as word `index`."""
    def codegen(context, builder, sig, args):
        builder.store(builder.trunc(args[2], i32), builder.gep(args[0], [args[1]]))
    return types.none(st, index, value), codegen


def _gauss_slot(builder, st):
    return builder.bitcast(builder.gep(st, [ir.Constant(cgutils.int64_t, GAUSS)]),
                           ir.DoubleType().as_pointer())


@intrinsic
def get_gauss(typingctx, st):
    def codegen(context, builder, sig, args):
        return builder.load(_gauss_slot(builder, args[0]))
    return types.float64(st), codegen


@intrinsic
def set_gauss(typingctx, st, value):
    def codegen(context, builder, sig, args):
        builder.store(args[1], _gauss_slot(builder, args[0]))
    return types.none(st, value), codegen


@register_jitable
def _thread_block():
    block = _lookup_block()
    if _is_null(block):
        block = _new_block()
        if _is_null(block):
            raise MemoryError("np.random: cannot allocate the thread's generator state")
        seed_from_entropy(block, _offset(block, SCRATCH))
        seed_from_entropy(_offset(block, PY_OFFSET), _offset(block, SCRATCH))
    return block


@register_jitable
def np_state():
    """NumPy's state of the calling thread (np.random.*)."""
    return _thread_block()


@register_jitable
def py_state():
    """Python's state of the calling thread (random.*)."""
    return _offset(_thread_block(), PY_OFFSET)


# -- MT19937 ---------------------------------------------------------------------------------

@register_jitable
def _reset_gauss(st):
    put_word(st, HAS_GAUSS, 0)
    set_gauss(st, 0.0)


@register_jitable
def seed_state(st, seed):
    """NumPy's `init_genrand(seed)` for 0 <= seed < 2**32."""
    put_word(st, 0, seed)
    for i in range(1, N):
        prev = get_word(st, i - 1)
        put_word(st, i, (1812433253 * (prev ^ (prev >> 30)) + i) & 0xffffffff)
    put_word(st, POS, N)
    _reset_gauss(st)


@register_jitable
def _mix_key(st, key, length):
    """First pass of `init_by_array`: fold the key words into the state."""
    i = 1
    j = 0
    for _ in range(max(N, length)):
        prev = get_word(st, i - 1)
        put_word(st, i, ((get_word(st, i) ^ ((prev ^ (prev >> 30)) * 1664525))
                         + get_word(key, j) + j) & 0xffffffff)
        i += 1
        j += 1
        if i >= N:
            put_word(st, 0, get_word(st, N - 1))
            i = 1
        if j >= length:
            j = 0
    return i


@register_jitable
def seed_by_array(st, key, length):
    """NumPy's `init_by_array`: seed from `length` 32-bit words at `key`."""
    seed_state(st, 19650218)
    i = _mix_key(st, key, length)
    for _ in range(N - 1):
        prev = get_word(st, i - 1)
        put_word(st, i, ((get_word(st, i) ^ ((prev ^ (prev >> 30)) * 1566083941)) - i)
                 & 0xffffffff)
        i += 1
        if i >= N:
            put_word(st, 0, get_word(st, N - 1))
            i = 1
    put_word(st, 0, 0x80000000)
    put_word(st, POS, N)
    _reset_gauss(st)


@register_jitable
def seed_from_entropy(st, scratch):
    if _fill_entropy(scratch) != 0:
        raise OSError("np.random: no entropy available to seed the generator")
    seed_by_array(st, scratch, ENTROPY_WORDS)


@register_jitable
def _twist_word(st, i, j, k):
    """Regenerate word i from words i, j (its successor) and k (M ahead)."""
    y = (get_word(st, i) & 0x80000000) | (get_word(st, j) & 0x7fffffff)
    put_word(st, i, get_word(st, k) ^ (y >> 1) ^ ((y & 1) * 0x9908b0df))


@register_jitable
def _twist(st):
    for i in range(N - M):
        _twist_word(st, i, i + 1, i + M)
    for i in range(N - M, N - 1):
        _twist_word(st, i, i + 1, i + M - N)
    _twist_word(st, N - 1, 0, M - 1)


@register_jitable
def next_u32(st):
    """The next tempered 32-bit output, as a non-negative int64."""
    pos = get_word(st, POS)
    if pos >= N:
        _twist(st)
        pos = 0
    y = get_word(st, pos)
    put_word(st, POS, pos + 1)
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    return y ^ (y >> 18)


@register_jitable
def next_u64(st):
    """Two outputs, the first as the high word (NumPy's MT19937 next_uint64), as uint64."""
    high = next_u32(st)
    return (np.uint64(high) << np.uint64(32)) | np.uint64(next_u32(st))


@register_jitable
def next_double(st):
    """A double in [0, 1) from 53 random bits."""
    a = next_u32(st) >> 5
    b = next_u32(st) >> 6
    return (a * 67108864.0 + b) / 9007199254740992.0


@register_jitable
def legacy_gauss(st):
    """NumPy's legacy polar method, caching the second value in the state."""
    if get_word(st, HAS_GAUSS):
        value = get_gauss(st)
        _reset_gauss(st)
        return value
    while True:
        x1 = 2.0 * next_double(st) - 1.0
        x2 = 2.0 * next_double(st) - 1.0
        r2 = x1 * x1 + x2 * x2
        if r2 < 1.0 and r2 != 0.0:
            break
    f = math_ieee.sqrt(-2.0 * math_ieee.log(r2) / r2)
    set_gauss(st, f * x1)
    put_word(st, HAS_GAUSS, 1)
    return f * x2


@register_jitable
def reseed(st, seed):
    """`seed()` with an integer: NumPy's legacy range check, then `init_genrand`."""
    if seed < 0 or seed > 0xffffffff:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    seed_state(st, seed)


# -- bounded integers (NumPy's masked rejection) -----------------------------------------------

@register_jitable
def mask_of(rng):
    """The smallest all-ones mask covering `rng` (a uint64)."""
    mask = rng
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> np.uint64(shift)
    return mask


@register_jitable
def bounded_u64(st, rng, mask):
    """A uniform integer in [0, rng] (uint64), as NumPy's legacy `randint` draws it."""
    if rng == np.uint64(0):
        return np.uint64(0)
    if rng <= np.uint64(0xffffffff):
        if rng == np.uint64(0xffffffff):
            return np.uint64(next_u32(st))
        value = np.uint64(next_u32(st)) & mask
        while value > rng:
            value = np.uint64(next_u32(st)) & mask
        return value
    if rng == np.uint64(0xffffffffffffffff):
        return next_u64(st)
    value = next_u64(st) & mask
    while value > rng:
        value = next_u64(st) & mask
    return value


@register_jitable
def interval(st, top):
    """NumPy's `random_interval`: uniform in [0, top] for 0 <= top (used by shuffles)."""
    rng = np.uint64(top)
    return np.int64(bounded_u64(st, rng, mask_of(rng)))


# -- sizes and filling -----------------------------------------------------------------------

def size_is_none(fname: str, size) -> bool:
    """Whether `size` asks for a scalar; a TypingError when it is neither None, an int nor a
    tuple of ints."""
    if isinstance(size, types.Omitted):
        size = typeof(size.value) if size.value is not None else types.none
    if size is None or isinstance(size, types.NoneType):
        return True
    if isinstance(size, types.Integer) and not isinstance(size, types.Boolean):
        return False
    if isinstance(size, types.BaseTuple) and (len(size) == 0 or (
            isinstance(size, types.UniTuple) and isinstance(size.dtype, types.Integer)
            and not isinstance(size.dtype, types.Boolean))):
        return False
    raise TypingError(f"np.random.{fname}(): size should be int or tuple of ints or None, "
                      f"got {size}")


@intrinsic
def as_shape(typingctx, size):
    """An int or a tuple of ints (possibly empty) as a UniTuple(intp) shape."""
    count = 1 if isinstance(size, types.Integer) else len(size)
    result = types.UniTuple(types.intp, count)

    def codegen(context, builder, sig, args):
        out = ir.Constant(context.get_value_type(result), ir.Undefined)
        if isinstance(size, types.Integer):
            return builder.insert_value(out, context.cast(builder, args[0], size, types.intp), 0)
        for i in range(count):
            item = builder.extract_value(args[0], i)
            out = builder.insert_value(out, context.cast(builder, item, size.types[i],
                                                         types.intp), i)
        return out
    return result(size), codegen


@register_jitable
def check_shape(shape):
    for n in shape:
        if n < 0:
            raise ValueError("negative dimensions are not allowed")
    return shape


def apply(draw, st, args):
    """`draw(st, *args)` (compiled code only)."""


@overload(apply)
def _apply(draw, st, args):
    count = len(args)
    if count == 0:
        return lambda draw, st, args: draw(st)
    if count == 1:
        return lambda draw, st, args: draw(st, args[0])
    if count == 2:
        return lambda draw, st, args: draw(st, args[0], args[1])
    if count == 3:
        return lambda draw, st, args: draw(st, args[0], args[1], args[2])


@register_jitable
def _fill(draw, st, args, out):
    """`out` with every element drawn by `draw(st, *args)`, in C order."""
    flat = out.reshape(out.size)
    for i in range(flat.size):
        flat[i] = apply(draw, st, args)
    return out


@register_jitable
def fill_float(draw, st, args, size):
    """A float64 array of shape `size` of `draw(st, *args)`."""
    return _fill(draw, st, args, np.empty(check_shape(as_shape(size)), np.float64))


@register_jitable
def fill_int(draw, st, args, size):
    """An int64 array of shape `size` of `draw(st, *args)`."""
    return _fill(draw, st, args, np.empty(check_shape(as_shape(size)), np.int64))


@register_jitable
def draw_one(draw, check, args, size):
    check(args)
    return apply(draw, np_state(), args)


@register_jitable
def draw_floats(draw, check, args, size):
    check(args)
    return fill_float(draw, np_state(), args, size)


@register_jitable
def draw_ints(draw, check, args, size):
    check(args)
    return fill_int(draw, np_state(), args, size)


def drawer(fname: str, size, integral: bool = False):
    """How `np.random.<fname>(..., size)` runs: `runner(draw, check, args, size)` where
    `check(args)` raises for invalid parameters and `draw(st, *args)` makes one value."""
    if size_is_none(fname, size):
        return draw_one
    return draw_ints if integral else draw_floats


def float_params(*params) -> bool:
    """Whether every parameter is a real number (or left to its default)."""
    return all(isinstance(p, (types.Omitted, types.Integer, types.Float, types.Boolean))
               for p in params)


@register_jitable
def no_check(args):
    pass
