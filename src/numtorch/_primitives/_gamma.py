"""lgamma, digamma and polygamma of whole arrays, in float64 (NumPy has none; SciPy is not a
dependency; ``math.lgamma`` per element would be ~100x slower).

NOTE [ Vectorized gamma functions ]
All three use the same plan, in float64:

1. Reflection for x < 0 (Euler): lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x),
   psi(x) = psi(1 - x) - pi cot(pi x), and its n-th derivative
   psi^(n)(x) = (-1)^n psi^(n)(1 - x) - pi^(n+1) P_n(cot(pi x)), with P_0(c) = c and
   P_(k+1)(c) = -(1 + c^2) P_k'(c) (d/dx cot(pi x) = -pi (1 + cot^2)). sin and cot are taken
   of x - round(x), exact, so a large |x| keeps its accuracy.
2. Recurrence up to x >= X (10, or 10 + n): lgamma(x) = lgamma(x + 1) - log(x),
   psi^(n)(x) = psi^(n)(x + 1) + (-1)^(n+1) n! / x^(n+1). Every element takes the step while
   it is below X (ufuncs with ``where=``, in place; at most X steps), and lgamma multiplies
   its factors up and takes one log at the end.
3. The asymptotic (Stirling) series in 1/x with Bernoulli numbers B_2k, whose 9th term is
   below 1e-17 relative for x >= X.

Poles and infinities are set explicitly to torch's values (lgamma: inf; psi: -inf at +0,
NaN at the negative integers; psi^(n): see ``polygamma``). NaN passes through. (torch's
trigamma gives huge finite numbers at the negative poles, from a sin(pi x) that is not
quite 0; this gives inf.)
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["lgamma", "digamma", "polygamma"]

# B_2, B_4, ..., B_20
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798, -174611 / 330)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_SHIFT = 10  # the series is used from x >= 10 on


def _frac_from_nearest(x: np.ndarray) -> np.ndarray:
    """x - round(x) in [-0.5, 0.5]: sin(pi x) and cot(pi x) up to sign, without the rounding
    error pi * x would carry for large x."""
    return x - np.round(x)


_BLOCK = 16384  # elements per pass: the temporaries of a block stay in the L2 cache


def blockwise(kernel: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """``kernel`` (float64 1-d array -> float64 array) over ``x`` in blocks of 16384
    elements: its ~60 passes then run in cache, 2-3x faster on large arrays than whole-array
    passes (NOTE [ Vectorized erf ] does the same)."""
    x = np.asarray(x)
    out = np.empty(x.shape, np.float64)
    flat_x, flat_out = x.reshape(-1), out.reshape(-1)  # flat_out is a view: a 0-d out too
    with np.errstate(all="ignore"):
        for start in range(0, flat_x.size, _BLOCK):
            block = slice(start, start + _BLOCK)
            flat_out[block] = kernel(flat_x[block].astype(np.float64, copy=False))
    return out


def lgamma(x: np.ndarray) -> np.ndarray:
    """log |Gamma(x)|, elementwise, as float64 (see NOTE [ Vectorized gamma functions ])."""
    return blockwise(_lgamma, x)


def _lgamma(x: np.ndarray) -> np.ndarray:
    """lgamma of one float64 block."""
    neg = x < 0.5
    z = np.where(neg, 1.0 - x, x)  # >= 0.5
    factors = np.ones_like(z)
    below = np.empty(z.shape, bool)
    for _ in range(_SHIFT):  # in place, masked by where=: 3 passes a step
        np.less(z, _SHIFT, out=below)
        if not below.any():
            break
        np.multiply(factors, z, out=factors, where=below)
        np.add(z, 1.0, out=z, where=below)
    inv = 1.0 / z
    inv2 = inv * inv
    series = np.zeros_like(z)
    for k in range(len(_BERNOULLI) - 1, -1, -1):
        series = series * inv2 + _BERNOULLI[k] / ((2 * k + 2) * (2 * k + 1))
    out = (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series * inv - np.log(factors)
    if neg.any():  # sin only where needed: it costs as much as ten other passes
        sin = np.ones_like(x)
        np.sin(math.pi * _frac_from_nearest(x), out=sin, where=neg)
        out = np.where(neg, np.log(math.pi / np.abs(sin)) - out, out)
    out = np.where((x == 1.0) | (x == 2.0), 0.0, out)  # exact zeros, as torch
    return np.where(np.isinf(x), np.inf, out)


def _cot_poly(n: int) -> np.ndarray:
    """Coefficients (lowest degree first) of P_n with d^n/dx^n cot(pi x) = pi^n P_n(cot)."""
    p = np.array([0.0, 1.0])
    one_plus_c2 = np.array([1.0, 0.0, 1.0])
    for _ in range(n):
        p = -np.polynomial.polynomial.polymul(one_plus_c2, np.polynomial.polynomial.polyder(p))
    return p


def _positive_polygamma(n: int, z: np.ndarray) -> np.ndarray:
    """psi^(n)(z) for z >= 0 (z = 0 gives inf / -inf): recurrence, then the series."""
    shift = _SHIFT + n
    recur = np.zeros_like(z)
    below = np.empty(z.shape, bool)
    term = np.empty_like(z)
    for _ in range(shift):  # in place, masked by where= (z is a new array)
        np.less(z, shift, out=below)
        if not below.any():
            break
        np.reciprocal(z, out=term, where=below)
        if n:
            np.power(term, n + 1, out=term, where=below)
        np.add(recur, term, out=recur, where=below)
        np.add(z, 1.0, out=z, where=below)
    inv = 1.0 / z
    inv2 = inv * inv
    if n == 0:
        series = np.zeros_like(z)
        for k in range(len(_BERNOULLI) - 1, -1, -1):
            series = series * inv2 + _BERNOULLI[k] / (2 * k + 2)
        return np.log(z) - 0.5 * inv - series * inv2 - recur
    # (n-1)!/z^n + n!/(2 z^(n+1)) + sum_k B_2k (2k+n-1)!/(2k)! / z^(2k+n)
    series = np.zeros_like(z)
    for k in range(len(_BERNOULLI), 0, -1):
        coef = _BERNOULLI[k - 1] * math.factorial(2 * k + n - 1) / math.factorial(2 * k)
        series = series * inv2 + coef
    series = series * inv2 + math.factorial(n - 1) + math.factorial(n) * 0.5 * inv
    sign = 1.0 if n % 2 else -1.0
    return sign * (series * inv ** n + math.factorial(n) * recur)


def digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) = d/dx lgamma(x), elementwise, as float64: -inf at +0 (+inf at -0), NaN at the
    negative integers and -inf (see NOTE [ Vectorized gamma functions ])."""
    return polygamma(0, x)


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n)(x), the n-th derivative of digamma, elementwise, as float64."""
    return blockwise(lambda block: _polygamma(n, block), x)


def _polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n) of one float64 block."""
    neg = x < 0
    out = _positive_polygamma(n, np.where(neg, 1.0 - x, x))
    if neg.any():
        tan = np.ones_like(x)
        np.tan(math.pi * _frac_from_nearest(x), out=tan, where=neg)
        poly = np.polynomial.polynomial.polyval(1.0 / tan, _cot_poly(n))
        out = np.where(neg, (-1.0) ** n * out - math.pi ** (n + 1) * poly, out)
    pole = (x <= 0) & (x == np.round(x))
    if n == 0:
        at_pole = np.where(x == 0, np.copysign(np.inf, -x), np.nan)
        return np.where(pole, at_pole, np.where(x == np.inf, np.inf, out))
    if n == 1:  # torch: +-inf at the poles, NaN at -inf, 0 at +inf
        out = np.where(pole, np.inf, np.where(x == np.inf, 0.0, out))
        return np.where(x == -np.inf, np.nan, out)
    # n >= 2 goes through the Hurwitz zeta function in torch: (-1)^(n+1) inf at every
    # pole and at -inf, NaN at +inf
    return np.where(pole, np.inf if n % 2 else -np.inf, np.where(x == np.inf, np.nan, out))
