"""Powers: ``tensor ** number``, ``tensor ** tensor`` and ``number ** tensor``, computed as
torch's kernels compute them (products for small integer exponents, integer powers with
torch's truncation), with their derivatives."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Pointwise, like, number, scalar_as, where, zero, zeros_like


def int_power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """Integer power where a negative exponent gives the truncated reciprocal, as torch:
    1 for base 1, +-1 for base -1, else 0 (NumPy refuses negative integer powers)."""
    negative = exponent < 0
    if not negative.any():
        return np.power(base, exponent)
    out = np.power(base, np.where(negative, 0, exponent))
    odd = (exponent % 2) != 0
    small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
    return np.where(negative, small, out).astype(out.dtype, copy=False)


def pow_scalar(x: np.ndarray, exponent: object) -> np.ndarray:
    """``x ** exponent`` for a number, computed as torch's kernel does: float32 and float64
    take products for 2, 3 and -2 (``x * x``...), sqrt, 1 / sqrt and reciprocal for 0.5, -0.5
    and -1, a copy for 1 and ones for 0; anything else is ``pow``."""
    if x.dtype.type is np.float32 or x.dtype.type is np.float64:
        if exponent == 2:
            return x * x
        if exponent == 3:
            return x * x * x
        if exponent == -2:
            return np.reciprocal(x * x)
        if exponent == 0.5:
            return np.sqrt(x)
        if exponent == -0.5:
            return np.reciprocal(np.sqrt(x))
        if exponent == -1:
            return np.reciprocal(x)
        if exponent == 1:
            return x.copy()
        if exponent == 0:
            return np.ones_like(x)
    return np.power(x, scalar_as(exponent, x.dtype))


class PowScalar(Pointwise):
    """x ** p for a Python number p; d/dx = p * x^(p-1) (0 when p == 0)."""

    name_ = "PowBackward0"

    def forward(self, x, exponent):
        self.exponent = exponent
        self.save_for_backward(x)
        if x.dtype.kind == "b":  # bool ** True is the tensor, bool ** False all True
            return x.copy() if exponent else np.ones_like(x)
        return pow_scalar(x, exponent)

    def backward(self, grad):
        (x,) = self.saved_tensors
        p = self.exponent
        if p == 0:
            return zeros_like(grad)
        return grad * p * x ** (p - 1)

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        p = self.exponent
        if p == 0:
            return np.zeros_like(grad)
        return grad * number(p, grad) * pow_scalar(x, p - 1)


class Pow(Pointwise):
    """a ** b for tensors; d/da = b a^(b-1) (0 where b == 0), d/db = a^b log(a) (0 where
    a == 0 and b >= 0)."""

    name_ = "PowBackward1"

    def forward(self, a, b):
        out = np.power(a, b) if a.dtype.kind == "f" else int_power(a, b)
        out = np.asarray(out)
        self.save_for_backward(a, b, out)
        return out

    def backward(self, grad):
        a, b, out = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        grad_a = grad_b = None
        if need_a:
            grad_a = where(b == 0, zero(grad), grad * b * a ** (b - 1))
        if need_b:
            grad_b = where((a == 0) & (b >= 0), zero(grad), grad * out * a.log())
        return grad_a, grad_b


class RpowScalar(Pointwise):
    """base ** x for a Python number base; d/dx = base^x log(base) (0 where base == 0 and
    x >= 0)."""

    name_ = "PowBackward2"

    def forward(self, x, base):
        self.base = base
        base = like(base, x)
        out = np.asarray(np.power(base, x) if x.dtype.kind == "f" else int_power(base, x))
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        base = self.base
        log_base = math.log(base) if base > 0 else (-math.inf if base == 0 else math.nan)
        grad_x = grad * out * log_base
        return where(x >= 0, zero(grad), grad_x) if base == 0 else grad_x
