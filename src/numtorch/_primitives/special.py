"""Elementwise primitives of special functions: erfc, erfinv, lgamma, digamma, polygamma,
i0 (and i1, its derivative), sinc, logit, xlogy, ldexp and frexp's mantissa, each with
torch's derivative formula; and gcd/lcm of integers.

The kernels without a NumPy ufunc (``_erf``, ``_gamma``, ``_bessel``) work in float64; the
result is rounded to the input's float dtype.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from . import _bessel, _erf, _gamma
from .elementwise import Pointwise, number, where, zero

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_HALF_SQRT_PI = 0.5 * math.sqrt(math.pi)


def _rounded(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    return np.asarray(values).astype(like.dtype, copy=False)


def _nan(like: Tensor) -> Tensor:
    return Tensor._make(np.full((), np.nan, like._data.dtype))


class Erfc(Pointwise):
    """1 - erf(x), accurate in the right tail; d/dx = -2/sqrt(pi) exp(-x^2)."""

    name_ = "ErfcBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return _rounded(_erf.erfc(x), x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (-(x * x)).exp() * -_TWO_OVER_SQRT_PI

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        slope = grad * np.exp(np.negative(x * x))
        return slope * number(-_TWO_OVER_SQRT_PI, slope)


class Erfinv(Pointwise):
    """erf^-1(x) on [-1, 1]; d/dx = sqrt(pi)/2 exp(erfinv(x)^2)."""

    name_ = "ErfinvBackward0"

    def forward(self, x):
        out = _rounded(_erf.erfinv(x), x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (out * out).exp() * _HALF_SQRT_PI

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        slope = grad * np.exp(out * out)
        return slope * number(_HALF_SQRT_PI, slope)


class Lgamma(Pointwise):
    """log |Gamma(x)|; d/dx = digamma(x)."""

    name_ = "LgammaBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return _rounded(_gamma.lgamma(x), x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * Polygamma.apply(x, n=0)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * _rounded(_gamma.polygamma(0, x), x)


class Polygamma(Pointwise):
    """psi^(n)(x), the n-th derivative of digamma (n = 0: digamma itself);
    d/dx = psi^(n+1)(x)."""

    def forward(self, x, n):
        self.n = n
        self.name_ = "DigammaBackward0" if n == 0 else "PolygammaBackward0"
        self.save_for_backward(x)
        return _rounded(_gamma.polygamma(n, x), x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * Polygamma.apply(x, n=self.n + 1)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * _rounded(_gamma.polygamma(self.n + 1, x), x)


class I0(Pointwise):
    """The modified Bessel function I0(x); d/dx = I1(x)."""

    name_ = "I0Backward0"

    def forward(self, x):
        self.save_for_backward(x)
        return _rounded(_bessel.i0(x), x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * I1.apply(x)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * _rounded(_bessel.i1(x), x)


class I1(Pointwise):
    """The modified Bessel function I1(x); d/dx = I0(x) - I1(x) / x (1/2 at 0)."""

    name_ = "SpecialI1Backward0"

    def forward(self, x):
        out = _rounded(_bessel.i1(x), x)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        half = Tensor._make(np.full((), 0.5, x._data.dtype))
        return grad * where(x == 0, half, I0.apply(x) - out / x)

    def backward_np(self, grad):
        x, out = self.saved_arrays
        slope = _rounded(_bessel.i0(x), x) - np.true_divide(out, x)
        return grad * np.where(x == 0, np.full((), 0.5, x.dtype), slope)


class Sinc(Pointwise):
    """sin(pi x) / (pi x), 1 at 0; d/dx = (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at 0.
    Computed in the input's precision (float32 in float32), as torch does."""

    name_ = "SincBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        work = x.astype(np.float32) if x.dtype == np.float16 else x
        product = work * number(math.pi, work)
        out = np.where(work == 0, number(1, work), np.sin(product) / product)
        return out.astype(x.dtype, copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        px = x * math.pi
        slope = (px * px.cos() - px.sin()) / (x * x * math.pi)
        return where(x == 0, zero(grad), slope) * grad

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        px = x * number(math.pi, x)
        square = x * x
        slope = np.true_divide(px * np.cos(px) - np.sin(px), square * number(math.pi, square))
        return np.where(x == 0, np.zeros((), grad.dtype), slope) * grad


class Logit(Pointwise):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given; d/dx =
    1 / (x (1 - x)), and 0 outside [eps, 1 - eps] (NaN outside [0, 1] without eps)."""

    name_ = "LogitBackward0"

    def forward(self, x, eps=None):
        self.eps = eps
        self.save_for_backward(x)
        z = x if eps is None else np.clip(x, number(eps, x), number(1 - eps, x))
        return np.log(z / (1 - z))

    def backward(self, grad):
        (x,) = self.saved_tensors
        slope = grad / (x * (1 - x))
        if self.eps is None:
            return where((x < 0) | (x > 1), _nan(slope), slope)
        return where((x < self.eps) | (x > 1 - self.eps), zero(slope), slope)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        slope = np.true_divide(grad, x * (number(1, x) - x))
        if self.eps is None:
            return np.where((x < 0) | (x > 1), np.full((), np.nan, slope.dtype), slope)
        outside = (x < number(self.eps, x)) | (x > number(1 - self.eps, x))
        return np.where(outside, np.zeros((), slope.dtype), slope)


class Xlogy(Pointwise):
    """x log(y), 0 where x == 0 unless y is NaN; d/dx = log(y) (at x == 0 too, but 0 where
    also y <= 0, as torch), d/dy = x / y."""

    name_ = "XlogyBackward0"

    def forward(self, x, y):
        self.save_for_backward(x, y)
        out = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), number(0, out), out)

    def backward(self, grad):
        x, y = self.saved_tensors
        need_x, need_y = self.needs_input_grad
        grad_x = grad_y = None
        if need_x:  # torch's xlogy(grad, y), and 0 where x == 0 and y <= 0
            grad_x = where((x == 0) & (y <= 0), zero(y), Xlogy.apply(grad, y))
        if need_y:
            grad_y = grad * x / y
        return grad_x, grad_y

    def backward_np(self, grad):
        x, y = self.saved_arrays
        need_x, need_y = self.needs_input_grad
        grad_x = grad_y = None
        if need_x:  # Xlogy.forward of (grad, y), as backward applies it
            out = np.asarray(grad * np.log(y))
            out = np.where((grad == 0) & ~np.isnan(y), number(0, out), out)
            grad_x = np.where((x == 0) & (y <= 0), np.zeros((), y.dtype), out)
        if need_y:
            grad_y = np.true_divide(grad * x, y)
        return grad_x, grad_y


def frexp_exponent(x: Tensor) -> Tensor:
    """The int32 exponent e of x = m 2^e (0 for 0, inf and NaN), never differentiable."""
    return Tensor._make(np.asarray(np.frexp(x._data)[1]).astype(np.int32, copy=False))


class Ldexp(Pointwise):
    """x 2^e; d/dx = 2^e, d/de = out ln 2. An integer e stays integer, and torch takes its
    2^e in integers for the gradient of x: 0 for a negative e (kept, to give torch's
    values)."""

    name_ = "LdexpBackward0"

    def forward(self, x, e):
        work = x.astype(np.float32) if x.dtype == np.float16 else x
        scale = np.exp2(e.astype(work.dtype))
        out = np.asarray(work * scale).astype(x.dtype, copy=False)
        if e.dtype.kind in "iub":
            self.int_scale = Tensor._make(np.where(e < 0, 0, scale).astype(x.dtype))
        else:
            self.int_scale = None
        self.save_for_backward(e, out)
        return out

    def backward(self, grad):
        e, out = self.saved_tensors
        need_x, need_e = self.needs_input_grad
        scale = self.int_scale if self.int_scale is not None else 2 ** e
        return (grad * scale if need_x else None), (grad * out * _LN2 if need_e else None)

    def backward_np(self, grad):
        e, out = self.saved_arrays
        need_x, need_e = self.needs_input_grad
        grad_x = grad_e = None
        if need_x:  # 2 ** e is RpowScalar: the base as a 0-d array of e's dtype
            scale = self.int_scale._data if self.int_scale is not None else np.power(
                number(2, e), e)
            grad_x = grad * scale
        if need_e:
            slope = grad * out
            grad_e = slope * number(_LN2, slope)
        return grad_x, grad_e


_LN2 = math.log(2.0)


class FrexpMantissa(Pointwise):
    """The mantissa m of x = m 2^e (|m| in [0.5, 1)); d/dx = 1 / 2^e."""

    name_ = "FrexpBackward0"

    def forward(self, x):
        mantissa, exponent = np.frexp(x)
        self.save_for_backward(np.asarray(exponent).astype(np.int32, copy=False))
        return np.asarray(mantissa)

    def backward(self, grad):
        (exponent,) = self.saved_tensors
        return grad / exponent.exp2()  # exp2 of int32 is float32, as in torch

    def backward_np(self, grad):
        (exponent,) = self.saved_arrays
        # exp2 takes the int32 exponent in the default float dtype (to_float)
        return np.true_divide(grad, np.exp2(exponent.astype(_dtype.get_default_dtype().np)))


class IntegerPair(Pointwise):
    """gcd or lcm of two integer tensors (never differentiable: integers carry no
    gradient). Both are non-negative, as torch's."""

    FUNCTIONS = {"gcd": np.gcd, "lcm": np.lcm}

    def forward(self, a, b, op):
        return np.asarray(self.FUNCTIONS[op](a, b))
