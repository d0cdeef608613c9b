"""torch's CPU distributions, derived from the raw mt19937 stream of an ``Engine``.

Every function takes the engine and how many values to draw, consumes exactly the raw numbers
torch's kernel consumes, in the same order, and returns a flat NumPy array. Placing the values
in a tensor (torch fills in memory order) is the caller's job. Verified against torch 2.13.

NOTE [ Uniform floats ]
A uniform in [0, 1) keeps the low bits of one draw and scales them: float32 24 bits of a 32-bit
draw, float64 53 bits of a 64-bit draw. ``uniform_(from, to)`` casts the bounds to the dtype
and returns ``x * (to - from) + from`` with one rounding (NOTE [ FMA in torch's random
kernels ]). float16 works in float32 all the way and rounds at the end; a value that rounds up
onto ``to`` (excluded) is replaced by ``from``.

NOTE [ Random integers ]
``random_(from, to)`` and ``randint`` return ``from + draw % (to - from)``: a 32-bit draw, or a
64-bit one when the range is 2**32 or more and the dtype is int64, float64 or float32. For a
float dtype a bound the dtype cannot hold is first moved inwards to a representable integer
(torch's ``update_from``/``update_to``). ``random_()`` without bounds covers
``[0, max + 1)`` of an integer dtype (a 64-bit draw for int64), ``[0, 2**digits]`` of a float
dtype, and the low bit for bool.

NOTE [ Bernoulli draws ]
A Bernoulli sample is ``uniform < p``. With a Python float ``p`` (``bernoulli_(0.3)``, dropout)
the uniform is a float64 one; with a tensor of probabilities it is a float32 uniform for float32
or float16 probabilities and a float64 one for float64 probabilities.
"""

from __future__ import annotations

import math

import numpy as np

from ._random_engine import Engine
from ._random_math import (
    cephes_log,
    cephes_sincos,
    fma,
    libm_cos,
    libm_exp,
    libm_log,
    libm_log1p,
    libm_sin,
    libm_tan,
)

__all__ = ["uniform_real", "normal", "random_from_to", "random_full", "bernoulli_scalar",
           "bernoulli_tensor", "exponential", "geometric", "log_normal", "cauchy",
           "normal_pairs", "float_digits", "rounded"]

_TWO_PI = 2.0 * math.pi
_U53, _U24 = np.uint64(2**53 - 1), np.uint64(2**24 - 1)
_CHUNK = 2048  # blocks of 16 transformed at a time


def float_digits(dtype: np.dtype) -> int:
    """Significand bits (with the hidden bit) of a float dtype: 11, 24 or 53."""
    return np.finfo(dtype).nmant + 1


def rounded(samples: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """float64 samples in ``dtype``; float16 is reached through float32, as torch rounds."""
    if np.dtype(dtype) == np.float16 and samples.dtype == np.float64:
        samples = samples.astype(np.float32)
    return samples.astype(dtype)


def _unit(engine: Engine, n: int, dtype: np.dtype) -> np.ndarray:
    """``n`` uniforms in [0, 1): float64 for float64, else float32 (float16's working type)."""
    if dtype == np.float64:
        return (engine.random64(n) & _U53).astype(np.float64) * 2.0**-53
    return (engine.random(n) & _U24).astype(np.float32) * np.float32(2.0**-24)


def uniform_real(engine: Engine, n: int, dtype: np.dtype, low: float = 0.0,
                 high: float = 1.0) -> np.ndarray:
    """``n`` samples of U[low, high) in ``dtype`` (NOTE [ Uniform floats ])."""
    dtype = np.dtype(dtype)
    x = _unit(engine, n, dtype)
    if low != 0.0 or high != 1.0:
        lo, hi = x.dtype.type(low), x.dtype.type(high)
        x = fma(x, hi - lo, lo)
    if dtype != np.float16:
        return x
    out = x.astype(np.float16)
    out[out == np.float16(high)] = np.float16(low)  # rounded up onto the excluded bound
    return out


# NOTE [ torch's normal samplers ]
# Two ways, chosen per call:
# * A contiguous tensor of 16 or more elements: ``n`` uniforms of the dtype, then Box-Muller on
#   each block of 16 (the first 8 give the radius, ``1 - u`` so log never sees 0; the last 8
#   give the angle), ``out = r * cos * std + mean`` fused. When ``n`` is not a multiple of 16,
#   16 fresh uniforms overwrite the last 16 slots and that block is transformed again, so the
#   stream advances by ``n + 16``. float32 evaluates log/sin/cos with the kernel's own
#   polynomials (NOTE [ randn's vectorised float32 path ]), float64 with glibc. float16 is the
#   float32 computation rounded at the end, except that it draws block by block: the stream
#   advances by ``n`` rounded up to a multiple of 16.
# * Anything else (fewer than 16 elements, not contiguous): one float64 Box-Muller pair
#   per two samples from two float64 uniforms, ``r = sqrt(-2 log1p(-u2))``, angle ``2 pi u1``;
#   the cosine is returned and the sine kept in the generator for the next sample, across calls
#   and dtypes, until it is used or the generator is seeded. Each sample is
#   ``z * std + mean`` fused in float64, then rounded to the dtype.


def normal_pairs(engine: Engine, n: int) -> np.ndarray:
    """``n`` float64 standard normals from the scalar Box-Muller sampler and its cache."""
    out = np.empty(n)
    if n == 0:
        return out
    start = 0
    if engine.next_double_normal is not None:
        out[0], start = engine.next_double_normal, 1
        engine.next_double_normal = None
    wanted = n - start
    pairs = (wanted + 1) // 2
    u = _unit(engine, 2 * pairs, np.dtype(np.float64))
    radius = np.sqrt(-2.0 * libm_log1p(-u[1::2]))
    theta = _TWO_PI * u[0::2]
    both = np.empty(2 * pairs)
    both[0::2], both[1::2] = radius * libm_cos(theta), radius * libm_sin(theta)
    out[start:] = both[:wanted]
    if wanted % 2:
        engine.next_double_normal = float(both[-1])
    return out


def _box_muller_16(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Blocks of 16 uniforms (rows) to normals, as the vectorised kernel does."""
    dtype = u.dtype.type
    first, second = dtype(1) - u[:, :8], u[:, 8:]
    if u.dtype == np.float32:
        radius = np.sqrt(np.float32(-2) * cephes_log(first))
        sin, cos = cephes_sincos(np.float32(_TWO_PI) * second)
    else:
        radius = np.sqrt(-2.0 * libm_log(first))
        theta = _TWO_PI * second
        sin, cos = libm_sin(theta), libm_cos(theta)
    out = np.empty_like(u)
    out[:, :8] = fma(radius * cos, dtype(std), dtype(mean))
    out[:, 8:] = fma(radius * sin, dtype(std), dtype(mean))
    return out


def normal(engine: Engine, n: int, dtype: np.dtype, mean: float = 0.0, std: float = 1.0,
           contiguous: bool = True) -> np.ndarray:
    """``n`` samples of N(mean, std**2) in ``dtype`` (NOTE [ torch's normal samplers ])."""
    dtype = np.dtype(dtype)
    if n < 16 or not contiguous:
        return rounded(fma(normal_pairs(engine, n), std, mean), dtype)
    full = n - n % 16
    # float16 draws each block's uniforms just before transforming it, so only ``full``
    # uniforms precede the tail's 16; float32 and float64 draw all ``n`` first
    u = _unit(engine, full if dtype == np.float16 else n, dtype)
    out = np.empty(n, u.dtype)
    blocks, done = u[:full].reshape(-1, 16), out[:full].reshape(-1, 16)
    for start in range(0, len(blocks), _CHUNK):  # chunks that stay in cache: ~2.5x faster
        done[start:start + _CHUNK] = _box_muller_16(blocks[start:start + _CHUNK], mean, std)
    if full != n:
        tail = _unit(engine, 16, dtype).reshape(1, 16)
        out[n - 16:] = _box_muller_16(tail, mean, std).ravel()
    return out.astype(dtype, copy=False)


def _inward(bound: int, dtype: np.dtype, step: int) -> int:
    """A float-dtype bound moved inwards to an integer the dtype holds, when its neighbour
    ``bound + step`` rounds past it (``step`` is +1 for ``from``, -1 for ``to``; NOTE
    [ Random integers ])."""
    neighbour = bound + step
    with np.errstate(over="ignore"):
        rounded = dtype.type(neighbour)
    if not np.isfinite(rounded):
        return bound
    moved = int(rounded)
    if (moved < bound) if step > 0 else (moved >= bound):
        return moved + step * (1 << (abs(neighbour).bit_length() - float_digits(dtype)))
    return bound


def random_from_to(engine: Engine, n: int, dtype: np.dtype, low: int, high: int) -> np.ndarray:
    """``n`` integers in [low, high) as ``dtype`` (NOTE [ Random integers ])."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        low, high = _inward(low, dtype, 1), _inward(high, dtype, -1)
    span = (high - low) % 2**64
    wide = span == 0 or (span >= 2**32 and dtype in (np.int64, np.float64, np.float32))
    draws = engine.random64(n) if wide else engine.random(n)
    if span:
        draws = draws % np.uint64(span)
    values = (draws + np.uint64(low % 2**64)).view(np.int64)
    return values.astype(dtype)


def random_full(engine: Engine, n: int, dtype: np.dtype) -> np.ndarray:
    """``random_()`` without bounds (NOTE [ Random integers ])."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return (engine.random(n) & np.uint64(1)).astype(np.bool_)
    if dtype.kind == "f":
        modulus = 2**float_digits(dtype) + 1
        draws = engine.random64(n) if dtype == np.float64 else engine.random(n)
    else:
        modulus = int(np.iinfo(dtype).max) + 1
        draws = engine.random64(n) if dtype == np.int64 else engine.random(n)
    return (draws % np.uint64(modulus)).astype(dtype)


def bernoulli_scalar(engine: Engine, n: int, p: float) -> np.ndarray:
    """``n`` Bernoulli(p) samples for a Python float ``p``, as bools (NOTE [ Bernoulli draws ])."""
    return _unit(engine, n, np.dtype(np.float64)) < p


def bernoulli_tensor(engine: Engine, probs: np.ndarray) -> np.ndarray:
    """One Bernoulli sample per probability (flat, in order), as bools."""
    unit = np.float64 if probs.dtype == np.float64 else np.float32
    return _unit(engine, probs.size, np.dtype(unit)) < probs.astype(unit).ravel()


# NOTE [ torch's other continuous samplers ]
# All of them start from float64 uniforms u in [0, 1) (two 32-bit draws each), compute in
# float64 with glibc's functions and round the result to the dtype at the end:
#   exponential_(lambd)      (-1 / lambd) * log1p(-u)
#   geometric_(p)            ceil(log(u) / log1p(-p))
#   cauchy_(median, sigma)   median + sigma * tan(pi * (u - 0.5))
#   log_normal_(mean, std)   exp(z * std + mean), z from the scalar normal sampler and its cache


def exponential(engine: Engine, n: int, lambd: float) -> np.ndarray:
    """``n`` float64 Exp(lambd) samples."""
    return (-1.0 / lambd) * libm_log1p(-_unit(engine, n, np.dtype(np.float64)))


def geometric(engine: Engine, n: int, p: float) -> np.ndarray:
    """``n`` float64 Geometric(p) samples (trials up to the first success)."""
    u = _unit(engine, n, np.dtype(np.float64))
    with np.errstate(divide="ignore"):
        return np.ceil(libm_log(u) / math.log1p(-p))


def cauchy(engine: Engine, n: int, median: float, sigma: float) -> np.ndarray:
    """``n`` float64 Cauchy(median, sigma) samples."""
    u = _unit(engine, n, np.dtype(np.float64))
    return fma(np.full(n, sigma), libm_tan(math.pi * (u - 0.5)), median)


def log_normal(engine: Engine, n: int, mean: float, std: float) -> np.ndarray:
    """``n`` float64 log-normal samples."""
    return libm_exp(fma(normal_pairs(engine, n), std, mean))
