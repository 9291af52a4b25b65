"""gen_ziggurat: the standard normal and exponential draws of np.random.Generator
(Marsaglia and Tsang's ziggurat with 256 layers, in float64 and float32), bit for bit.

The layer tables
----------------
A draw's value is `bits * w[layer]`, so equal results need NumPy's exact `w` tables. They are
defined by the ziggurat recursion, but NumPy's rounding of it is not reproducible from the
documented constants (the last bits differ). So the tables are measured from NumPy itself, once,
the first time a normal or exponential draw is compiled: a Philox bit generator whose output
buffer is set by hand makes NumPy's Generator draw `2**k * w[layer]` for every layer, an exact
product. The acceptance bounds `k` and densities `f` follow from `w` by their definitions; they
decide only whether a candidate is kept, and their last-bit differences from NumPy's change a
draw with probability below 1e-14.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...extending import intrinsic, overload, register_jitable
from .gen_core import next_double, next_u32, next_u64
from .. import math_ieee

LAYERS = 256
NORMAL_R = 3.6541528853610087963519472518       # where the normal's tail starts
NORMAL_INV_R = 0.27366123732975827203338247596
EXP_R = 7.6971174701310497140446280481          # where the exponential's tail starts


def _forced_generator(values, uint32=None):
    """A Generator whose next 64-bit outputs are `values` (and next 32-bit one `uint32`)."""
    bitgen = np.random.Philox(0)
    state = bitgen.state
    buf = np.zeros(4, np.uint64)
    buf[:len(values)] = values
    state["buffer"], state["buffer_pos"] = buf, 0
    if uint32 is not None:
        state["has_uint32"], state["uinteger"] = 1, uint32
    bitgen.state = state
    return np.random.Generator(bitgen)


def _measure(draw, raw_of, scale, wide: bool):
    """w[layer] for every layer: NumPy's draw for the forced bits `raw_of(layer)`, whose
    magnitude part is `scale` (a power of two), divided by `scale`."""
    out = []
    for layer in range(LAYERS):
        raw = raw_of(layer)
        gen = _forced_generator([raw]) if wide else _forced_generator([], uint32=raw)
        out.append(float(draw(gen)) / scale)
    return out


def _takes_fast_path(draw, raw, wide: bool) -> bool:
    """Whether NumPy's draw accepts the forced bits `raw` without drawing again. The bits
    that follow make any second chance accept at once (uniforms 0, then 0.5 for the tail)."""
    if wide:
        gen = _forced_generator([raw, 0, 1 << 63, 0])
        draw(gen)
        return gen.bit_generator.state["buffer_pos"] == 1
    gen = _forced_generator([1 << 63], uint32=raw)
    draw(gen)
    return gen.bit_generator.state["buffer_pos"] == 0


def _bounds(draw, raw_of, w, bits: int, wide: bool):
    """k[layer]: the smallest magnitude NumPy does not accept outright. The ziggurat's
    definition (the ratio of adjacent layer edges) gives it to within a unit; two probes of
    NumPy settle the last one."""
    m = 2.0 ** bits
    ratios = [w[LAYERS - 1] / w[0], 0.0] + [w[i - 1] / w[i] for i in range(2, LAYERS)]
    out = []
    for layer, ratio in enumerate(ratios):
        k = int(ratio * m)
        while k > 0 and not _takes_fast_path(draw, raw_of(k - 1, layer), wide):
            k -= 1
        while k < (1 << bits) and _takes_fast_path(draw, raw_of(k, layer), wide):
            k += 1
        out.append(k)
    return out


def _normal_raw(magnitude, layer):
    return magnitude << 9 | layer                  # sign bit 8 clear


def _exponential_raw(shift):
    return lambda magnitude, layer: (magnitude << 8 | layer) << shift


#: (kind, single) -> (NumPy's draw, forced bits of (magnitude, layer), magnitude bits, wide)
_FLAVOURS = {
    ("normal", False): (lambda g: g.standard_normal(), _normal_raw, 52, True),
    ("normal", True): (lambda g: g.standard_normal(dtype=np.float32), _normal_raw, 23, False),
    ("exponential", False): (lambda g: g.standard_exponential(), _exponential_raw(3), 53,
                             True),
    ("exponential", True): (lambda g: g.standard_exponential(dtype=np.float32),
                            _exponential_raw(1), 23, False),
}


@functools.lru_cache(maxsize=None)
def ziggurat_tables(kind: str, single: bool):
    """(k, w, f) of NumPy's `kind` ziggurat ("normal" or "exponential"), float64 or float32:
    w and k measured, f[i] the density at layer i's edge."""
    draw, raw_of, bits, wide = _FLAVOURS[kind, single]
    half = 1 << (bits - 1)
    w = _measure(draw, lambda layer: raw_of(half, layer), float(half), wide)
    k = _bounds(draw, raw_of, w, bits, wide)
    edges = [wi * 2.0 ** bits for wi in w]
    density = (lambda x: math.exp(-0.5 * x * x)) if kind == "normal" else \
        (lambda x: math.exp(-x))
    f = [1.0] + [density(x) for x in edges[1:]]
    dtype, kdtype = (np.float32, np.uint32) if single else (np.float64, np.uint64)
    return np.array(k, kdtype), np.array(w, dtype), np.array(f, dtype)


def _table_getter(kind, single: bool):
    """A function returning `ziggurat_tables(kind, single)` as constants of the compiled code
    (measured at its first compilation)."""
    def getter():
        pass

    @overload(getter)
    def _ol_getter():
        k, w, f = ziggurat_tables(kind, single)
        return lambda: (k, w, f)
    return getter


_normal_tables64 = _table_getter("normal", False)
_normal_tables32 = _table_getter("normal", True)
_exponential_tables64 = _table_getter("exponential", False)
_exponential_tables32 = _table_getter("exponential", True)


# -- float64 ---------------------------------------------------------------------------------

@register_jitable
def _normal_tail(g, negative):
    while True:
        xx = -NORMAL_INV_R * math_ieee.log1p(-next_double(g))
        yy = -math_ieee.log1p(-next_double(g))
        if yy + yy > xx * xx:
            return -(NORMAL_R + xx) if negative else NORMAL_R + xx


@register_jitable
def standard_normal(g):
    k, w, f = _normal_tables64()
    while True:
        r = next_u64(g)
        idx = np.intp(r & np.uint64(0xff))
        rabs = (r >> np.uint64(9)) & np.uint64(0x000fffffffffffff)
        x = rabs * w[idx]
        if (r >> np.uint64(8)) & np.uint64(1):
            x = -x
        if rabs < k[idx]:
            return x
        if idx == 0:
            return _normal_tail(g, (rabs >> np.uint64(8)) & np.uint64(1) != np.uint64(0))
        if (f[idx - 1] - f[idx]) * next_double(g) + f[idx] < math_ieee.exp(-0.5 * x * x):
            return x


@register_jitable
def standard_exponential(g):
    k, w, f = _exponential_tables64()
    while True:
        r = next_u64(g) >> np.uint64(3)
        idx = np.intp(r & np.uint64(0xff))
        r >>= np.uint64(8)
        x = r * w[idx]
        if r < k[idx]:
            return x
        if idx == 0:
            return EXP_R - math_ieee.log1p(-next_double(g))
        if (f[idx - 1] - f[idx]) * next_double(g) + f[idx] < math_ieee.exp(-x):
            return x


@register_jitable
def standard_exponential_inv(g):
    return -math_ieee.log1p(-next_double(g))


# -- single-precision libm ------------------------------------------------------------------

def _libm_f32(name: str, arity: int):
    """An intrinsic calling the C library's float function `name` (logf, log1pf, powf ...):
    NumPy's float32 draws use them, and a double computation rounded to float32 differs in
    the last bit."""
    def codegen(context, builder, sig, args):
        f32 = ir.FloatType()
        fn = cgutils.declare_c_function(builder.module, name, f32, [f32] * arity)
        return builder.call(fn, list(args))

    if arity == 1:
        def typer(typingctx, x):
            return types.float32(types.float32), codegen
    else:
        def typer(typingctx, x, y):
            return types.float32(types.float32, types.float32), codegen
    return intrinsic(typer)


c_logf = _libm_f32("logf", 1)
c_log1pf = _libm_f32("log1pf", 1)
c_expf = _libm_f32("expf", 1)
c_powf = _libm_f32("powf", 2)


# -- float32 ---------------------------------------------------------------------------------

@register_jitable
def next_float(g):
    """NumPy's next_float: 24 random bits scaled to [0, 1)."""
    return np.float32(np.float32(next_u32(g) >> np.uint64(8)) * np.float32(1.0 / 16777216.0))


@register_jitable
def _normal_tail_f(g, negative):
    while True:
        xx = np.float32(-np.float32(NORMAL_INV_R) * c_log1pf(-next_float(g)))
        yy = np.float32(-c_log1pf(-next_float(g)))
        if yy + yy > xx * xx:
            r = np.float32(NORMAL_R)
            return np.float32(-(r + xx)) if negative else np.float32(r + xx)


@register_jitable
def standard_normal_f(g):
    k, w, f = _normal_tables32()
    while True:
        r = next_u32(g)
        idx = np.intp(r & np.uint64(0xff))
        rabs = (r >> np.uint64(9)) & np.uint64(0x7fffff)
        x = np.float32(np.float32(rabs) * w[idx])
        if (r >> np.uint64(8)) & np.uint64(1):
            x = -x
        if rabs < k[idx]:
            return x
        if idx == 0:
            return _normal_tail_f(g, (rabs >> np.uint64(8)) & np.uint64(1) != np.uint64(0))
        u = np.float32(np.float32(f[idx - 1] - f[idx]) * next_float(g)) + f[idx]
        if np.float64(u) < math_ieee.exp(-0.5 * np.float64(x) * np.float64(x)):
            return x


@register_jitable
def standard_exponential_f(g):
    k, w, f = _exponential_tables32()
    while True:
        r = next_u32(g) >> np.uint64(1)
        idx = np.intp(r & np.uint64(0xff))
        r >>= np.uint64(8)
        x = np.float32(np.float32(r) * w[idx])
        if r < k[idx]:
            return x
        if idx == 0:
            return np.float32(np.float32(EXP_R) - c_log1pf(-next_float(g)))
        u = np.float32(np.float32(f[idx - 1] - f[idx]) * next_float(g)) + f[idx]
        if u < c_expf(-x):
            return x


@register_jitable
def standard_exponential_inv_f(g):
    return np.float32(-math_ieee.log1p(-np.float64(next_float(g))))

