"""The modified Bessel functions I0 and I1 of whole arrays, in float64.

I0 is NumPy's ``np.i0`` (Cephes' Chebyshev series), taken in float64 (on float32 it computes
in float32). Both give NaN at +-inf, as torch's do. I1, the derivative of
I0, has no NumPy kernel: its power series sum_k (x/2)^(2k+1) / (k! (k+1)!) for |x| <= 30
(positive terms, no cancellation; 60 terms reach 1e-17 relative), and beyond it the
asymptotic series e^x / sqrt(2 pi x) sum_k (-1)^k a_k / x^k with
a_k = a_(k-1) (4 - (2k-1)^2) / (8k), whose 25th term is below 1e-19 there.
"""

from __future__ import annotations

import math

import numpy as np

from ._gamma import blockwise

__all__ = ["i0", "i1"]

_SERIES_TO = 30.0


def i0(x: np.ndarray) -> np.ndarray:
    """I0(x), elementwise, as float64 (even)."""
    with np.errstate(all="ignore"):
        return np.asarray(np.i0(np.asarray(x, np.float64)))


def i1(x: np.ndarray) -> np.ndarray:
    """I1(x), elementwise, as float64 (odd)."""
    return blockwise(_i1, x)


def _i1(x: np.ndarray) -> np.ndarray:
    """I1 of one float64 block."""
    y = np.abs(x)
    half = np.minimum(y, _SERIES_TO) * 0.5
    sq = half * half
    term = half.copy()
    near = half.copy()
    for k in range(1, 60):
        term *= sq / (k * (k + 1))
        near += term
    y_far = np.maximum(y, _SERIES_TO)
    term = np.ones_like(y_far)
    far = np.ones_like(y_far)
    for k in range(1, 26):
        term *= -(4.0 - (2 * k - 1) ** 2) / (8.0 * k * y_far)
        far += term
    # e^y overflows from y = 709.8 on, where I1 itself still fits up to 713.9; torch's
    # I1 overflows there too, and so does this
    far *= np.exp(y_far) / np.sqrt(2 * math.pi * y_far)
    return np.copysign(np.where(y <= _SERIES_TO, near, far), x)
