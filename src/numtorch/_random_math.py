"""Floating-point building blocks for reproducing torch's random streams bit for bit.

Three things differ between "the formula" and what torch's CPU kernels actually compute, and each
has a helper here:

* ``fma``: the kernels are compiled for AVX2/AVX512 with FMA contraction, so ``a * b + c``
  rounds once (see NOTE [ FMA in torch's random kernels ]).
* ``cephes_log`` / ``cephes_sincos``: the float32 vectorised normal path evaluates log, sin
  and cos with Cephes-style polynomials, not with the C library (NOTE [ randn's vectorised
  float32 path ]).
* ``libm_log`` and friends: the double-precision paths call glibc's ``log``, ``log1p``, ``cos``,
  ``sin``, ``exp`` and ``tan``, which NumPy's own SIMD loops do not always reproduce (NOTE
  [ Matching the C library's transcendentals ]).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

__all__ = ["fma", "cephes_log", "cephes_sincos", "libm_log", "libm_log1p", "libm_exp",
           "libm_cos", "libm_sin", "libm_tan"]

# NOTE [ FMA in torch's random kernels ]
# torch builds its CPU kernels once per instruction set and, on a machine with AVX2 or AVX512,
# runs the build compiled with FMA allowed; GCC then contracts ``x * (to - from) + from``,
# ``z * std + mean`` and the polynomial steps of the vectorised log/sin/cos into fused
# multiply-adds, which round once instead of twice. Verified against torch 2.13 (AVX512): the
# uniform, normal, Box-Muller and Cephes results agree bit for bit only with the fused forms.
#
# NumPy has no fma ufunc, so ``fma`` emulates one exactly:
# * float32 operands: the product is exact in float64 (24 + 24 bits); the sum is taken exactly
#   as a TwoSum pair and rounded "to odd" in float64, and a round-to-odd value with at least two
#   spare bits rounds to float32 exactly as the infinitely precise sum would.
# * float64 operands: Boldo and Melquiond's emulation (exact product by Veltkamp/Dekker splitting,
#   exact TwoSum, the low parts added with round-to-odd, one final rounding).
# Non-finite results fall back to the plain expression (inf and nan propagate the same way).

_SPLITTER = 134217729.0  # 2**27 + 1: splits a double into two 26-bit halves


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``s = fl(a + b)`` and the exact error ``a + b - s`` (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLITTER * x
    hi = c - (c - x)
    return hi, x - hi


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``p = fl(a * b)`` and the exact error ``a * b - p`` (Dekker)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(s: np.ndarray, err: np.ndarray) -> np.ndarray:
    """``s + err`` rounded to odd: an inexact result takes the neighbour with an odd last bit."""
    even = (s.view(np.int64) & 1) == 0
    toward = np.where(err > 0, np.inf, -np.inf)
    return np.where((err != 0) & even, np.nextafter(s, toward), s)


def _fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """float32 fma through float64: the product is exact, and the float64 sum, rounded to
    float32, is already the fused result unless that sum sits exactly on a float32 rounding
    midpoint (its low 29 bits 1000...0), where its own rounding may have made the tie: those
    few are redone with round-to-odd."""
    product = a.astype(np.float64) * b
    wide = product + c
    out = wide.astype(np.float32)
    tie = (wide.view(np.int64) & 0x1FFFFFFF) == 0x10000000
    if tie.any():
        p, addend = np.broadcast_arrays(product, np.asarray(c, np.float64))
        s, err = _two_sum(p[tie], addend[tie])
        out[tie] = _round_to_odd(s, err).astype(np.float32)
    return out


def fma(a: np.ndarray | float, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """``a * b + c`` with one rounding, in the dtype of ``a`` (float32 or float64)."""
    a = np.asarray(a)
    dtype = a.dtype
    with np.errstate(all="ignore"):
        if dtype == np.float32:
            wide = np.asarray(b, np.float32).astype(np.float64)
            return _fma32(a, wide, np.asarray(c, np.float32).astype(np.float64))
        a, b, c = np.broadcast_arrays(a, np.asarray(b, dtype), np.asarray(c, dtype))
        plain = a * b + c
        uh, ul = _two_prod(a, b)
        th, tl = _two_sum(c, uh)
        fused = th + _round_to_odd(*_two_sum(tl, ul))
    return np.where(np.isfinite(fused), fused, plain)


# NOTE [ randn's vectorised float32 path ]
# For a contiguous float32 tensor of 16 or more elements torch's AVX2 kernel turns each block of
# 16 uniforms u into normals by Box-Muller: with a = 1 - u[0:8] and b = u[8:16],
#   r = sqrt(-2 * log(a)),  out[0:8] = r * cos(2 pi b) * std + mean,  out[8:16] = r * sin(...)
# using 8-lane polynomial approximations in the style of Cephes' logf/sinf/cosf (as in Julien
# Pommier's "sse_mathfun"): log by exponent extraction and a degree-9 polynomial, sin/cos by
# reduction modulo pi/4 in three steps and two short polynomials. The coefficients below are
# Cephes' published ones; which multiply-adds are fused was read off torch's output (NOTE
# [ FMA in torch's random kernels ]).

_F = np.float32
_LOG_POLY = tuple(_F(c) for c in (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1))
_LOG_Q1, _LOG_Q2 = _F(-2.12194440e-4), _F(0.693359375)  # ln 2 split in two parts
_SQRT_HALF = _F(0.707106781186547524)
_FOUR_OVER_PI = _F(1.27323954473516)
_PI_OVER_4_PARTS = (_F(-0.78515625), _F(-2.4187564849853515625e-4), _F(-3.77489497744594108e-8))
_COS_POLY = (_F(2.443315711809948e-5), _F(-1.388731625493765e-3), _F(4.166664568298827e-2))
_SIN_POLY = (_F(-1.9515295891e-4), _F(8.3321608736e-3), _F(-1.6666654611e-1))


def cephes_log(x: np.ndarray) -> np.ndarray:
    """Natural log of positive float32 ``x`` as torch's vectorised normal kernel computes it."""
    bits = np.asarray(x, np.float32).view(np.int32)
    exponent = ((bits >> 23) - 126).astype(np.float32)  # x = m * 2**e with m in [0.5, 1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(np.float32)
    small = m < _SQRT_HALF
    # below sqrt(1/2) use 2m - 1 and one less in the exponent, so the argument stays near 0
    exponent = exponent - small.astype(np.float32)
    m = (m - _F(1)) + np.where(small, m, _F(0))
    z = m * m
    y = np.full_like(m, _LOG_POLY[0])
    for coefficient in _LOG_POLY[1:]:
        y = fma(y, m, coefficient)
    y = fma(y * m, z, exponent * _LOG_Q1)
    y = fma(z, _F(-0.5), y)
    return fma(exponent, _LOG_Q2, m + y)


def cephes_sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(sin x, cos x)`` of float32 ``x`` as torch's vectorised normal kernel computes them."""
    x = np.asarray(x, np.float32)
    sign_sin = x.view(np.int32) & np.int32(-2**31)
    x = np.abs(x)
    octant = ((x * _FOUR_OVER_PI).astype(np.int32) + 1) & ~1  # even octant index j
    y = octant.astype(np.float32)
    for part in _PI_OVER_4_PARTS:  # x - j * pi/4 in extended precision
        x = fma(y, part, x)
    sign_sin = sign_sin ^ ((octant & 4) << 29)
    sign_cos = (~(octant - 2) & 4) << 29
    z = x * x
    c = fma(fma(_COS_POLY[0], z, _COS_POLY[1]), z, _COS_POLY[2]) * z
    c = fma(c, z, -(z * _F(0.5))) + _F(1)
    s = fma(fma(_SIN_POLY[0], z, _SIN_POLY[1]), z, _SIN_POLY[2]) * z
    s = fma(s, x, x)
    use_sin = (octant & 2) == 0  # in octants 2, 3 (mod 4) the two polynomials swap roles
    sin = np.where(use_sin, s, c).view(np.int32) ^ sign_sin
    cos = np.where(use_sin, c, s).view(np.int32) ^ sign_cos
    return sin.view(np.float32), cos.view(np.float32)


# NOTE [ Matching the C library's transcendentals ]
# torch's double-precision draws (the Box-Muller pair of small tensors, the float64 vectorised
# path, exponential_, geometric_, log_normal_, cauchy_) call glibc's log, log1p, cos, sin, exp
# and tan. NumPy's float64 cos and sin call the C library too (checked once on first use; if a
# build differs, they take the log/exp route below); its log and exp are SIMD versions that
# differ by one ulp on a fraction of a percent of inputs, and log1p and tan on several percent.
# * log and exp: glibc's are accurate to about 0.52 ulp, so they return the correctly rounded
#   result unless the exact value lies within 0.02 ulp of a rounding midpoint. The value is
#   computed in x87 extended precision (64-bit mantissa, so its own error is ~0.0005 double
#   ulp); where it lands farther than 0.03 ulp from a midpoint, rounding it to double is
#   glibc's answer. The few percent nearer a midpoint are evaluated by ``math`` (glibc itself).
# * log1p and tan: glibc's are not that close to correct rounding, so every element is
#   evaluated by ``math`` (glibc) through ``np.frompyfunc``: a C-level loop, about 0.1 us an
#   element, and exact.
# Where long double is no wider than double, everything goes through ``math``.

_EXTENDED = np.finfo(np.longdouble).nmant >= 63
_MIDPOINT_MARGIN = 0.03


def _by_math(fn: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float64)
    if x.size == 0:
        return x.copy()
    return np.frompyfunc(fn, 1, 1)(x).astype(np.float64)


def _near_correct(np_fn: np.ufunc, fn: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    """``fn`` over ``x`` for a glibc function that is nearly correctly rounded (see NOTE)."""
    x = np.asarray(x, np.float64)
    if not _EXTENDED:
        return _by_math(fn, x)
    with np.errstate(all="ignore"):
        wide = np_fn(x.astype(np.longdouble))
        out = wide.astype(np.float64)
        ulps = np.abs((wide - out) / np.spacing(np.abs(out)).astype(np.longdouble))
    # nan and inf go to math too, and so do powers of two, whose lower neighbour is nearer
    hard = ~(ulps.astype(np.float64) < 0.5 - _MIDPOINT_MARGIN)
    hard |= (out.view(np.int64) & (2**52 - 1)) == 0
    if hard.any():
        out[hard] = _by_math(fn, x[hard])
    return out


def _safe(fn: Callable[[float], float]) -> Callable[[float], float]:
    """``fn`` with C's results at the poles and for infinities instead of Python's errors."""
    def call(v: float) -> float:
        try:
            return fn(v)
        except ValueError:
            return -math.inf if v == (0.0 if fn is math.log else -1.0) else math.nan
        except OverflowError:
            return math.inf
    return call


_LOG, _LOG1P, _EXP = _safe(math.log), _safe(math.log1p), _safe(math.exp)


def libm_log(x: np.ndarray) -> np.ndarray:
    """glibc's ``log`` over a float64 array."""
    return _near_correct(np.log, _LOG, x)


def libm_exp(x: np.ndarray) -> np.ndarray:
    """glibc's ``exp`` over a float64 array."""
    return _near_correct(np.exp, _EXP, x)


def libm_log1p(x: np.ndarray) -> np.ndarray:
    """glibc's ``log1p`` over a float64 array."""
    return _by_math(_LOG1P, x)


def libm_tan(x: np.ndarray) -> np.ndarray:
    """glibc's ``tan`` over a float64 array."""
    return _by_math(math.tan, x)


@functools.cache
def _numpy_agrees(name: str) -> bool:
    """Whether NumPy's float64 ``name`` is the C library's on a spread of angles (it calls the
    C library in current NumPy builds; a build with its own SIMD version would differ)."""
    probe = np.linspace(0.0, 2 * math.pi, 997)
    ours = getattr(np, name)(probe)
    return all(v == getattr(math, name)(p) for v, p in zip(ours.tolist(), probe.tolist()))


def libm_cos(x: np.ndarray) -> np.ndarray:
    """glibc's ``cos`` over a float64 array."""
    x = np.asarray(x, np.float64)
    return np.cos(x) if _numpy_agrees("cos") else _near_correct(np.cos, math.cos, x)


def libm_sin(x: np.ndarray) -> np.ndarray:
    """glibc's ``sin`` over a float64 array."""
    x = np.asarray(x, np.float64)
    return np.sin(x) if _numpy_agrees("sin") else _near_correct(np.sin, math.sin, x)
