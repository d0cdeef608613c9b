"""Elementwise primitives: inverse trigonometric and hyperbolic functions, atan2, hypot,
logaddexp(2), copysign, heaviside and degree/radian conversion. Each reads as the function
and torch's derivative formula (derivatives.yaml), so the values at the domain edges agree
with torch's: acos'(+-1) = -inf from rsqrt(0), atanh'(+-1) = inf.

Float-valued functions receive float input (the composites convert integers first).
"""

from __future__ import annotations

import math

import numpy as np

from .elementwise import NotDifferentiable, Pointwise, number, where, zero, zeros_like


def _rsqrt(x: np.ndarray) -> np.ndarray:
    """``Rsqrt.forward`` (unary.py), for the array formulas: the same division and rounding."""
    return np.asarray(1 / np.sqrt(x)).astype(x.dtype, copy=False)


class Acos(Pointwise):
    """arccos(x); d/dx = -1 / sqrt(1 - x^2)."""

    name_ = "AcosBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arccos(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * -((-x * x + 1).rsqrt())

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * np.negative(_rsqrt(np.negative(x) * x + number(1, x)))


class Asin(Pointwise):
    """arcsin(x); d/dx = 1 / sqrt(1 - x^2)."""

    name_ = "AsinBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arcsin(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (-x * x + 1).rsqrt()

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * _rsqrt(np.negative(x) * x + number(1, x))


class Atan(Pointwise):
    """arctan(x); d/dx = 1 / (1 + x^2)."""

    name_ = "AtanBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arctan(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x * x + 1)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return np.true_divide(grad, x * x + number(1, x))


class Acosh(Pointwise):
    """arccosh(x); d/dx = 1 / sqrt(x^2 - 1)."""

    name_ = "AcoshBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arccosh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (x * x - 1).rsqrt()

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * _rsqrt(x * x - number(1, x))


class Asinh(Pointwise):
    """arcsinh(x); d/dx = 1 / sqrt(x^2 + 1)."""

    name_ = "AsinhBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arcsinh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (x * x + 1).rsqrt()

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * _rsqrt(x * x + number(1, x))


class Atanh(Pointwise):
    """arctanh(x); d/dx = 1 / (1 - x^2)."""

    name_ = "AtanhBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.arctanh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (1 - x * x)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return np.true_divide(grad, number(1, x) - x * x)


class Sinh(Pointwise):
    """sinh(x); d/dx = cosh(x)."""

    name_ = "SinhBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.sinh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * Cosh.apply(x)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * np.cosh(x)


class Cosh(Pointwise):
    """cosh(x); d/dx = sinh(x)."""

    name_ = "CoshBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.cosh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * Sinh.apply(x)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * np.sinh(x)


class Scale(Pointwise):
    """x * c for a constant c (deg2rad: pi/180, rad2deg: 180/pi); d/dx = c. The constant is
    rounded to x's dtype first, as torch's wrapped scalar is."""

    def forward(self, x, factor, node):
        self.name_, self.factor = node, factor
        return x * number(factor, x)

    def backward(self, grad):
        return grad * self.factor

    def backward_np(self, grad):
        return grad * number(self.factor, grad)


DEG_TO_RAD = math.pi / 180.0
RAD_TO_DEG = 180.0 / math.pi

# -- two inputs -----------------------------------------------------------------------------


class Atan2(Pointwise):
    """atan2(a, b), the angle of the point (b, a); d/da = b / (a^2 + b^2),
    d/db = -a / (a^2 + b^2), both 0 at the origin (as torch's)."""

    name_ = "Atan2Backward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return np.arctan2(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        norm2 = a * a + b * b
        recip = where(norm2 == 0, zero(norm2), norm2.reciprocal())
        need_a, need_b = self.needs_input_grad
        return (grad * b * recip if need_a else None), (grad * -a * recip if need_b else None)

    def backward_np(self, grad):
        a, b = self.saved_arrays
        norm2 = a * a + b * b
        recip = np.where(norm2 == 0, np.zeros((), norm2.dtype), np.reciprocal(norm2))
        need_a, need_b = self.needs_input_grad
        return ((grad * b * recip if need_a else None),
                (grad * np.negative(a) * recip if need_b else None))


class Hypot(Pointwise):
    """sqrt(a^2 + b^2) without overflow; d/da = a / out, d/db = b / out."""

    name_ = "HypotBackward0"

    def forward(self, a, b):
        out = np.asarray(np.hypot(a, b))
        self.save_for_backward(a, b, out)
        return out

    def backward(self, grad):
        a, b, out = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad * a / out if need_a else None), (grad * b / out if need_b else None)

    def backward_np(self, grad):
        a, b, out = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        return ((np.true_divide(grad * a, out) if need_a else None),
                (np.true_divide(grad * b, out) if need_b else None))


class LogAddExp(Pointwise):
    """log(e^a + e^b) (log2(2^a + 2^b) with ``base2``); d/da = 1 / (1 + e^(b - a)), and
    1 / (1 + 2^(b - a)) in base 2."""

    name_ = "LogaddexpBackward0"

    def forward(self, a, b, base2=False):
        self.base2 = base2
        if base2:
            self.name_ = "Logaddexp2Backward0"
        self.save_for_backward(a, b)
        return np.logaddexp2(a, b) if base2 else np.logaddexp(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        if self.base2:
            return ((grad / (1 + 2 ** (b - a)) if need_a else None),
                    (grad / (1 + 2 ** (a - b)) if need_b else None))
        return ((grad / (1 + (b - a).exp()) if need_a else None),
                (grad / (1 + (a - b).exp()) if need_b else None))

    def backward_np(self, grad):
        a, b = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        if self.base2:  # 2 ** t is RpowScalar: the base as a 0-d array of t's dtype
            def rise(t):
                return np.power(number(2, t), t)
        else:
            rise = np.exp
        def grow(t):  # 1 + t, the number rounded to t's dtype
            t = rise(t)
            return t + number(1, t)
        return ((np.true_divide(grad, grow(b - a)) if need_a else None),
                (np.true_divide(grad, grow(a - b)) if need_b else None))


class Copysign(Pointwise):
    """|a| with the sign of b; d/da = out / a (0 where a == 0), d/db = 0. A number ``b`` is
    a parameter (CopysignBackward1)."""

    name_ = "CopysignBackward0"

    def forward(self, a, b=None, scalar=None):
        if b is None:
            self.name_ = "CopysignBackward1"
            b = number(scalar, a)
        out = np.asarray(np.copysign(a, b))
        self.save_for_backward(a, out)
        return out

    def backward(self, grad):
        a, out = self.saved_tensors
        grad_a = grad * where(a == 0, zero(out), out / a)
        if self.name_ == "CopysignBackward1":
            return grad_a
        need_a, need_b = self.needs_input_grad
        return (grad_a if need_a else None), (zeros_like(grad) if need_b else None)

    def backward_np(self, grad):
        a, out = self.saved_arrays
        grad_a = grad * np.where(a == 0, np.zeros((), out.dtype), np.true_divide(out, a))
        if self.name_ == "CopysignBackward1":
            return grad_a
        need_a, need_b = self.needs_input_grad
        return (grad_a if need_a else None), (np.zeros_like(grad) if need_b else None)


class Heaviside(NotDifferentiable):
    """0 where x < 0, ``values`` where x == 0, 1 where x > 0 (and 0 at NaN, as torch's
    ``x > 0`` test gives); recorded, but torch has no derivative for it."""

    def forward(self, x, values):
        self.op = "heaviside"
        return np.where(x == 0, values, (x > 0).astype(x.dtype)).astype(x.dtype, copy=False)
