"""Elementwise primitives of torch.special that are not compositions of other ops without
losing the tails: erfcx, log_ndtr, ndtri, i0e, i1e, entr, xlog1py and the Hurwitz zeta, each
with torch's derivative formula (and torch.special.i1, torch's float32 overflow included).

NOTE [ Scaled special functions ]
``exp(x^2) erfc(x)``, ``log(ndtr(x))``, ``exp(-|x|) i0(x)`` overflow or underflow in one
factor long before the product does (erfc underflows beyond x = 27, i0 overflows beyond
x = 713), so they get kernels of their own, in float64, rounded to the input's dtype:
erfcx is Cody's rational erfc ranges without their exp(-x^2) factor (``_erf``), log_ndtr is
built on it for x < -1, the scaled Bessel functions switch to their asymptotic series beyond
|x| = 30, and ndtri polishes a rough start by Newton steps on log_ndtr (so p = 1e-300 keeps
its digits where ``sqrt(2) erfinv(2p - 1)`` would round 2p - 1 to -1).
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from . import _bessel, _erf
from . import special as _S
from .elementwise import Pointwise, number, where, zero
from .unary import _sign

_SQRT_2PI = math.sqrt(2.0 * math.pi)
_SQRT_HALF = math.sqrt(0.5)
_ASYMPTOTIC_FROM = 30.0  # the Bessel series of ``_bessel`` switch there too


def _f64(x: np.ndarray) -> np.ndarray:
    return np.asarray(x).astype(np.float64, copy=False)


def _rounded(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    return np.asarray(values).astype(like.dtype, copy=False)


# -- float64 kernels --------------------------------------------------------------------------


def erfcx(x: np.ndarray) -> np.ndarray:
    """exp(x^2) erfc(x): Cody's ranges past 0.46875 are this already (NOTE [ Vectorized
    erf ]); left of 0 it is 2 exp(x^2) - erfcx(-x), which overflows as torch's does."""
    x = _f64(x)
    y = np.abs(x)
    mid = _erf._rational(_erf._R2_NUM, _erf._R2_DEN, np.clip(y, _erf._THRESH, 4.0))
    y_far = np.maximum(y, 4.0)
    z = 1.0 / (y_far * y_far)
    far = (_erf._INV_SQRT_PI - z * _erf._rational(_erf._R3_NUM, _erf._R3_DEN, z)) / y_far
    tail = np.where(y <= 4.0, mid, far)
    square = np.exp(x * x)
    near = square * _erf.erfc(np.clip(x, -_erf._THRESH, _erf._THRESH))
    return np.where(y <= _erf._THRESH, near, np.where(x > 0, tail, 2.0 * square - tail))


def log_ndtr(x: np.ndarray) -> np.ndarray:
    """log of the standard normal CDF: log1p(-erfc(x/sqrt2)/2) for x >= -1, and
    log(erfcx(-x/sqrt2)/2) - x^2/2 left of it, where the CDF itself underflows."""
    x = _f64(x)
    left = np.minimum(x, -1.0)
    far = np.log(erfcx(-left * _SQRT_HALF) * 0.5) - left * left * 0.5
    near = np.log1p(-0.5 * _erf.erfc(np.maximum(x, -1.0) * _SQRT_HALF))
    return np.where(x < -1.0, far, near)


def ndtri(p: np.ndarray) -> np.ndarray:
    """The inverse of the normal CDF on [0, 1] (NOTE [ Scaled special functions ]): within
    1/4 of 1/2, sqrt(2) erfinv(2p - 1) (2p - 1 is exact there); in the tails q = min(p, 1 - p)
    (exact too), the start of Abramowitz and Stegun 26.2.23 (within 4.5e-4) and four Newton
    steps on log_ndtr(x) = log(q), negated for p > 1/2. The two ranges are gathered apart:
    a Newton step costs a full log_ndtr."""
    p = _f64(p)
    out = np.array(math.sqrt(2.0) * _erf.erfinv(np.clip(2.0 * p - 1.0, -0.5, 0.5)))
    q = np.minimum(p, 1.0 - p)
    tail = (q > 0.0) & (q < 0.25)
    log_q = np.log(q[tail])
    t = np.sqrt(-2.0 * log_q)
    x = -(t - (2.515517 + t * (0.802853 + t * 0.010328))
          / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))))
    for _ in range(4):
        log_cdf = log_ndtr(x)
        # cdf / pdf = exp(log_cdf + x^2/2) sqrt(2 pi): no underflow in either factor
        x -= (log_cdf - log_q) * np.exp(log_cdf + x * x * 0.5) * _SQRT_2PI
    out[tail] = np.where(p[tail] > 0.5, -x, x)
    edge = np.where(p == 0.0, -np.inf, np.where(p == 1.0, np.inf, np.nan))
    return np.where(np.abs(p - 0.5) <= 0.25, out, np.where(tail, out, edge))


def _scaled_bessel(nu: int, x: np.ndarray) -> np.ndarray:
    """exp(-|x|) I_nu(|x|) for nu in (0, 1), float64."""
    y = np.abs(_f64(x))
    y_near = np.minimum(y, _ASYMPTOTIC_FROM)
    near = np.exp(-y_near) * (_bessel.i0(y_near) if nu == 0 else _bessel.i1(y_near))
    y_far = np.maximum(y, _ASYMPTOTIC_FROM)
    term = np.ones_like(y_far)
    far = np.ones_like(y_far)
    for k in range(1, 26):  # 1/sqrt(2 pi y) sum_k (-1)^k a_k(nu) / y^k
        term *= -(4.0 * nu * nu - (2 * k - 1) ** 2) / (8.0 * k * y_far)
        far += term
    far /= np.sqrt(2.0 * math.pi * y_far)
    return np.where(y <= _ASYMPTOTIC_FROM, near, far)


def i0e(x: np.ndarray) -> np.ndarray:
    """exp(-|x|) I0(x), float64 (even; 0 at +-inf)."""
    return _scaled_bessel(0, x)


def i1e(x: np.ndarray) -> np.ndarray:
    """exp(-|x|) I1(x), float64 (odd; +-0 at +-inf)."""
    return np.copysign(_scaled_bessel(1, x), x)


# B_2j / (2j)! for j = 1..12: the Euler-Maclaurin tail of the Hurwitz zeta function
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798, -174611 / 330, 854513 / 138, -236364091 / 2730)
_MAX_TERMS = 65536
_EM_COEFS = tuple(b / math.factorial(2 * j + 2) for j, b in enumerate(_BERNOULLI))


def zeta(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The Hurwitz zeta function sum_k (q + k)^-x, float64: the first terms up to
    q + n > 9 (n >= 9) summed, the rest by Euler-Maclaurin at w = q + n; inf at x = 1 and at
    the poles q = 0, -1, -2..., NaN for x < 1 and where (q + k)^-x is not real."""
    x, q = np.broadcast_arrays(_f64(x), _f64(q))
    # only q < 0 between poles with a whole x needs more than 9 direct terms (n > -q)
    summed = np.isfinite(q) & np.isfinite(x) & (x == np.floor(x)) & (q != np.floor(q))
    n = np.maximum(9, np.floor(9.0 - np.where(summed, q, 1.0)) + 1)
    # beyond q = -65536 that would be a Python loop of as many array passes: NaN instead
    too_far = n > _MAX_TERMS
    n = np.where(too_far, 9, n)
    total = q ** -x
    for k in range(1, int(n.max(initial=9)) + 1):
        total = total + np.where(k <= n, (q + k) ** -x, 0.0)
    w = q + n
    b = w ** -x
    total += b * w / (x - 1) - 0.5 * b
    rising = np.ones_like(total)  # x (x + 1) ... (x + 2j) for B_(2j+2)
    for j, coef in enumerate(_EM_COEFS):
        rising = rising * (x + 2 * j) if j == 0 else rising * (x + 2 * j - 1) * (x + 2 * j)
        total += coef * rising * b / w ** (2 * j + 1)
    # x = inf: the terms are inf for |q + k| < 1, 1 at q = 1 and 0 beyond (0/0 in the tail)
    total = np.where(x == np.inf, np.where(q < 1, np.inf, np.where(q == 1, 1.0, np.nan)), total)
    total = np.where((q <= 0) & (x != np.floor(x)), np.nan, total)  # (q + k)^-x not real
    total = np.where(too_far, np.nan, total)
    total = np.where((q <= 0) & (q == np.floor(q)), np.inf, total)  # a pole, whatever x is
    return np.where(x == 1, np.inf, np.where(x < 1, np.nan, total))


# -- primitives -------------------------------------------------------------------------------


class Erfcx(Pointwise):
    """exp(x^2) erfc(x); d/dx = 2 x erfcx(x) - 2/sqrt(pi)."""

    name_ = "SpecialErfcxBackward0"

    def forward(self, x):
        out = _rounded(erfcx(x), x)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        return (2.0 * x * out - 2.0 / math.sqrt(math.pi)) * grad

    def backward_np(self, grad):
        x, out = self.saved_arrays
        slope = x * number(2.0, x) * out
        return (slope - number(2.0 / math.sqrt(math.pi), slope)) * grad


class LogNdtr(Pointwise):
    """log Phi(x); d/dx = exp(-(log Phi(x) + x^2/2)) / sqrt(2 pi)."""

    name_ = "SpecialLogNdtrBackward0"

    def forward(self, x):
        out = _rounded(log_ndtr(x), x)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        return grad / _SQRT_2PI * (-(out + x * x / 2)).exp()

    def backward_np(self, grad):
        x, out = self.saved_arrays
        square = x * x
        exponent = np.negative(out + np.true_divide(square, number(2, square)))
        return np.true_divide(grad, number(_SQRT_2PI, grad)) * np.exp(exponent)


class Ndtri(Pointwise):
    """Phi^-1(p); d/dp = sqrt(2 pi) exp(Phi^-1(p)^2 / 2)."""

    name_ = "SpecialNdtriBackward0"

    def forward(self, p):
        out = _rounded(ndtri(p), p)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * _SQRT_2PI * (out * out / 2).exp()

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        square = out * out
        return grad * number(_SQRT_2PI, grad) * np.exp(np.true_divide(square, number(2, square)))


class I0e(Pointwise):
    """exp(-|x|) I0(x); d/dx = i1e(x) - sgn(x) i0e(x)."""

    name_ = "SpecialI0eBackward0"

    def forward(self, x):
        out = _rounded(i0e(x), x)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        return grad * (I1e.apply(x) - x.sign() * out)

    def backward_np(self, grad):
        x, out = self.saved_arrays
        return grad * (_rounded(i1e(x), x) - _sign(x) * out)


def _not_tiny(x: Tensor) -> tuple[Tensor, Tensor]:
    """Where |x| > eps (False at NaN too, as in torch), and x with eps elsewhere: the slopes of
    I1 and I1e divide by x, and are 1/2 at 0."""
    eps = Tensor._make(np.full((), np.finfo(x._data.dtype).eps, x._data.dtype))
    keep = x.abs() > eps
    return keep, where(keep, x, eps)


def _not_tiny_np(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_not_tiny`` on an ndarray (abs is ``np.abs``, where ``np.where``)."""
    eps = np.full((), np.finfo(x.dtype).eps, x.dtype)
    keep = np.abs(x) > eps
    return keep, np.where(keep, x, eps)


# torch's float32 I1 is exp(|x|) times a series, in float32: inf once exp overflows, a little
# before I1 itself would
_FLOAT32_EXP_OVERFLOW = math.log(float(np.finfo(np.float32).max))


class I1(_S.I1):
    """torch.special.i1: as ``torch.i0``'s slope, but inf from |x| = 88.72 on in float32, and
    with torch's i1 slope, 1/2 for |x| <= eps (and at NaN)."""

    def forward(self, x):
        out = super().forward(x)
        if x.dtype == np.float32:
            overflow = (np.abs(x) > _FLOAT32_EXP_OVERFLOW) & np.isfinite(x)  # NaN at +-inf
            out = np.where(overflow, np.copysign(np.inf, x), out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        keep, safe = _not_tiny(x)
        return grad * where(keep, _S.I0.apply(safe) - out / safe, _half(x))

    def backward_np(self, grad):
        x, out = self.saved_arrays
        keep, safe = _not_tiny_np(x)
        slope = _rounded(_bessel.i0(safe), safe) - np.true_divide(out, safe)
        return grad * np.where(keep, slope, np.full((), 0.5, x.dtype))


class I1e(Pointwise):
    """exp(-|x|) I1(x); d/dx = i0e(x) - i1e(x) (sgn(x) + 1/x), 1/2 for |x| <= eps."""

    name_ = "SpecialI1eBackward0"

    def forward(self, x):
        out = _rounded(i1e(x), x)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        keep, safe = _not_tiny(x)
        slope = I0e.apply(safe) - out * (safe.sign() + 1 / safe)
        return grad * where(keep, slope, _half(x))

    def backward_np(self, grad):
        x, out = self.saved_arrays
        keep, safe = _not_tiny_np(x)
        recip = np.reciprocal(safe)  # 1 / safe is reciprocal(safe) * 1 (``_rdiv_operator``)
        slope = _rounded(i0e(safe), safe) - out * (_sign(safe) + recip * number(1, recip))
        return grad * np.where(keep, slope, np.full((), 0.5, x.dtype))


def _half(like: Tensor) -> Tensor:
    return Tensor._make(np.full((), 0.5, like._data.dtype))


class Entr(Pointwise):
    """-x log(x) for x > 0, 0 at 0, -inf below; d/dx = -(1 + log(x))."""

    name_ = "SpecialEntrBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        out = -x * np.log(x)
        out = np.where(x == 0, number(0, out), out)
        return np.where(x < 0, number(-np.inf, out), out)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * -(1 + x.log())

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        logs = np.log(x)
        return grad * np.negative(logs + number(1, logs))


class Zeta(Pointwise):
    """The Hurwitz zeta function zeta(x, q); d/dq = -x zeta(x + 1, q), and no derivative in x
    (torch has none)."""

    name_ = "SpecialZetaBackward0"

    def forward(self, x, q):
        self.save_for_backward(x, q)
        return _rounded(zeta(x, q), x)

    def backward(self, grad):
        x, q = self.saved_tensors
        need_x, need_q = self.needs_input_grad
        if need_x:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        return None, grad * -x * Zeta.apply(x + 1, q)

    def backward_np(self, grad):
        x, q = self.saved_arrays
        if self.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        shifted = x + number(1, x)
        return None, grad * np.negative(x) * _rounded(zeta(shifted, q), shifted)


class Xlog1py(Pointwise):
    """x log1p(y), 0 where x == 0 unless y is NaN; d/dx = log1p(y) (0 where also
    y <= -1, as torch), d/dy = x / (y + 1)."""

    name_ = "SpecialXlog1pyBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        out = x * np.log1p(y)
        return np.where((x == 0) & ~np.isnan(y), number(0, out), out)

    def backward(self, grad):
        x, y = self.saved_tensors
        need_x, need_y = self.needs_input_grad
        grad_x = grad_y = None
        if need_x:
            grad_x = where((x == 0) & (y <= -1), zero(y), Xlog1py.apply(grad, y))
        if need_y:
            grad_y = grad * x / (y + 1)
        return grad_x, grad_y

    def backward_np(self, grad):
        x, y = self.saved_arrays
        need_x, need_y = self.needs_input_grad
        grad_x = grad_y = None
        if need_x:  # Xlog1py.forward of (grad, y), as backward applies it
            out = np.asarray(grad * np.log1p(y))
            out = np.where((grad == 0) & ~np.isnan(y), number(0, out), out)
            grad_x = np.where((x == 0) & (y <= -1), np.zeros((), y.dtype), out)
        if need_y:
            grad_y = np.true_divide(grad * x, y + number(1, y))
        return grad_x, grad_y
