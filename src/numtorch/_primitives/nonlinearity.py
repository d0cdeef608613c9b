"""The activations of ``nn.functional`` as fused primitives, one graph node each with torch's
``grad_fn`` name: hardtanh (and relu6), leaky_relu, elu (selu, celu), gelu, silu, mish,
softplus, logsigmoid. Each backward is written in tensor ops, so second derivatives work.

An in-place call (``F.elu(x, inplace=True)``) runs the same node on a copy of the old values
(``_composites._util.inplace``); ``name`` then carries torch's in-place spelling
(``EluBackward1``), whose formula uses the result instead of the input.
"""

from __future__ import annotations

import math

import numpy as np

from ._erf import erf
from .elementwise import Pointwise, where, zero

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_K = math.sqrt(2.0 / math.pi)  # gelu's tanh approximation: tanh(k (x + c x^3))
_TANH_C = 0.044715


def _scalar(value: float, x: np.ndarray) -> np.ndarray:
    return np.asarray(value).astype(x.dtype, copy=False)


class Hardtanh(Pointwise):
    """clamp(x, min_val, max_val); the gradient passes only strictly between the bounds."""

    name_ = "HardtanhBackward0"

    def forward(self, x, min_val, max_val):
        self.min_val, self.max_val = min_val, max_val
        self.save_for_backward(x)
        return np.minimum(np.maximum(x, _scalar(min_val, x)), _scalar(max_val, x))

    def backward(self, grad):
        (x,) = self.saved_tensors
        inside = (x > self.min_val).logical_and(x < self.max_val)
        return where(inside, grad, zero(grad))


class LeakyRelu(Pointwise):
    """x if x > 0 else slope x; d/dx = 1 or slope (slope at 0)."""

    name_ = "LeakyReluBackward0"

    def forward(self, x, negative_slope, name=None):
        self.slope = negative_slope
        if name:
            self.name_ = name
        self.save_for_backward(x)
        return np.where(x > 0, x, x * _scalar(negative_slope, x))

    def backward(self, grad):
        (x,) = self.saved_tensors
        return where(x > 0, grad, grad * self.slope)


class Elu(Pointwise):
    """scale x if x > 0 else scale alpha (exp(input_scale x) - 1); selu and celu are elus.

    d/dx = scale, or scale alpha input_scale exp(input_scale x) (also at x = 0, as torch).
    """

    name_ = "EluBackward0"

    def forward(self, x, alpha=1.0, scale=1.0, input_scale=1.0, name=None):
        self.alpha, self.scale, self.input_scale = alpha, scale, input_scale
        if name:
            self.name_ = name
        self.save_for_backward(x)
        neg = np.expm1(x * _scalar(input_scale, x)) * _scalar(alpha * scale, x)
        return np.where(x > 0, x * _scalar(scale, x), neg)

    def backward(self, grad):
        (x,) = self.saved_tensors
        slope = (x * self.input_scale).exp() * (self.alpha * self.scale * self.input_scale)
        return where(x > 0, grad * self.scale, grad * slope)


class Gelu(Pointwise):
    """x Phi(x) (Phi the normal CDF), or with approximate='tanh'
    0.5 x (1 + tanh(k (x + c x^3))); d/dx = Phi(x) + x phi(x), resp. its tanh form."""

    name_ = "GeluBackward0"

    def forward(self, x, approximate="none"):
        self.approximate = approximate
        self.save_for_backward(x)
        if approximate == "tanh":
            inner = _TANH_K * (x + _TANH_C * x * x * x)
            return (0.5 * x * (1 + np.tanh(inner))).astype(x.dtype, copy=False)
        cdf = erf(x * _SQRT_HALF)  # a new float64 array: NOTE [ Vectorized erf ]
        cdf += 1.0
        cdf *= 0.5
        return (x * cdf).astype(x.dtype, copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        if self.approximate == "tanh":
            t = ((x + x * x * x * _TANH_C) * _TANH_K).tanh()
            d_inner = (x * x * (3 * _TANH_C) + 1) * _TANH_K
            return grad * ((t + 1) * 0.5 + x * 0.5 * (1 - t * t) * d_inner)
        cdf = ((x * _SQRT_HALF).erf() + 1) * 0.5
        pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
        return grad * (cdf + x * pdf)


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(x)) without overflow: exp only ever sees a non-positive number."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


class Silu(Pointwise):
    """x sigmoid(x); d/dx = s (1 + x (1 - s))."""

    name_ = "SiluBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return x / (1 + np.exp(-x))  # exp(-x) = inf for very negative x gives the right -0

    def backward(self, grad):
        (x,) = self.saved_tensors
        s = x.sigmoid()
        return grad * s * (x * (1 - s) + 1)


class Mish(Pointwise):
    """x tanh(softplus(x)); d/dx = t + x sigmoid(x) (1 - t^2) with t = tanh(softplus(x))."""

    name_ = "MishBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return (x * np.tanh(_softplus(x))).astype(x.dtype, copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        t = Softplus.apply(x).tanh()
        return grad * (t + x * x.sigmoid() * (1 - t * t))


class Softplus(Pointwise):
    """log(1 + exp(beta x)) / beta, or x where beta x > threshold;
    d/dx = sigmoid(beta x), or 1 above the threshold."""

    name_ = "SoftplusBackward0"

    def forward(self, x, beta=1.0, threshold=20.0):
        self.beta, self.threshold = beta, threshold
        self.save_for_backward(x)
        bx = x * _scalar(beta, x)
        out = _softplus(bx) / _scalar(beta, x)
        return np.where(bx > threshold, x, out).astype(x.dtype, copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        bx = x * self.beta
        return where(bx > self.threshold, grad, grad * bx.sigmoid())


class LogSigmoid(Pointwise):
    """log(sigmoid(x)) = -softplus(-x); d/dx = sigmoid(-x)."""

    name_ = "LogSigmoidBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return (-_softplus(-x)).astype(x.dtype, copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (-x).sigmoid()
