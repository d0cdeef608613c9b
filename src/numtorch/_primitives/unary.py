"""Elementwise primitives of one tensor: exponentials, logarithms, roots, trigonometry,
activations, absolute value and rounding. Each reads as the function and its derivative.

Float-valued functions receive float input (the composites convert integers to the
default dtype first). A forward that saves its output wraps it in ``np.asarray``: a NumPy
ufunc on a 0-d array returns a scalar, and the saved value must be the output array itself.
"""

from __future__ import annotations

import math

import numpy as np

from ._erf import erf as erf_kernel
from .elementwise import Pointwise, number, where, zero, zero_where, zeros_like

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Neg(Pointwise):
    """-x."""

    name_ = "NegBackward0"

    def forward(self, x):
        return np.negative(x)

    def backward(self, grad):
        return -grad

    def backward_np(self, grad):
        return np.negative(grad)


class Exp(Pointwise):
    """exp(x); d/dx = exp(x)."""

    name_ = "ExpBackward0"

    def forward(self, x):
        out = np.asarray(np.exp(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return grad * out


class Exp2(Pointwise):
    """2^x; d/dx = 2^x ln 2."""

    name_ = "Exp2Backward0"

    def forward(self, x):
        out = np.asarray(np.exp2(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out * _LN2


class Expm1(Pointwise):
    """exp(x) - 1, accurate near 0; d/dx = exp(x) = out + 1."""

    name_ = "Expm1Backward0"

    def forward(self, x):
        out = np.asarray(np.expm1(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (out + 1)


class Log(Pointwise):
    """ln(x); d/dx = 1/x."""

    name_ = "LogBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.log(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / x

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return np.true_divide(grad, x)


class Log2(Pointwise):
    """log2(x); d/dx = 1 / (x ln 2)."""

    name_ = "Log2Backward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.log2(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x * _LN2)


class Log10(Pointwise):
    """log10(x); d/dx = 1 / (x ln 10)."""

    name_ = "Log10Backward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.log10(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x * _LN10)


class Log1p(Pointwise):
    """ln(1 + x), accurate near 0; d/dx = 1 / (1 + x)."""

    name_ = "Log1PBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.log1p(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x + 1)


class Sqrt(Pointwise):
    """sqrt(x); d/dx = 1 / (2 sqrt(x))."""

    name_ = "SqrtBackward0"

    def forward(self, x):
        out = np.asarray(np.sqrt(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad / (2 * out)

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return np.true_divide(grad, out * number(2, out))


class Rsqrt(Pointwise):
    """1 / sqrt(x); d/dx = -out^3 / 2."""

    name_ = "RsqrtBackward0"

    def forward(self, x):
        out = np.asarray(1 / np.sqrt(x)).astype(x.dtype, copy=False)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (out * out * out) * -0.5


class Reciprocal(Pointwise):
    """1 / x; d/dx = -out^2."""

    name_ = "ReciprocalBackward0"

    def forward(self, x):
        out = np.asarray(np.reciprocal(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return -grad * (out * out)


class Sin(Pointwise):
    """sin(x); d/dx = cos(x)."""

    name_ = "SinBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.cos()

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * np.cos(x)


class Cos(Pointwise):
    """cos(x); d/dx = -sin(x)."""

    name_ = "CosBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.cos(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * -x.sin()

    def backward_np(self, grad):
        (x,) = self.saved_arrays
        return grad * np.negative(np.sin(x))


class Tan(Pointwise):
    """tan(x); d/dx = 1 + tan(x)^2."""

    name_ = "TanBackward0"

    def forward(self, x):
        out = np.asarray(np.tan(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (out * out + 1)


class Tanh(Pointwise):
    """tanh(x); d/dx = 1 - tanh(x)^2."""

    name_ = "TanhBackward0"

    def forward(self, x):
        out = np.asarray(np.tanh(x))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (1 - out * out)

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return grad * (number(1, out) - out * out)


class Sigmoid(Pointwise):
    """1 / (1 + exp(-x)); d/dx = s (1 - s). Computed without overflow for large |x|."""

    name_ = "SigmoidBackward0"

    def forward(self, x):
        # exp of a non-positive number never overflows: use the form that keeps it so
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out * (1 - out)

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return grad * out * (number(1, out) - out)


class Erf(Pointwise):
    """erf(x); d/dx = 2/sqrt(pi) exp(-x^2)."""

    name_ = "ErfBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return erf_kernel(x).astype(x.dtype, copy=False)  # NOTE [ Vectorized erf ]

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (-(x * x)).exp() * _TWO_OVER_SQRT_PI


class Relu(Pointwise):
    """max(x, 0); the gradient is cut where the output is <= 0 (so it is 0 at x == 0, and
    passes through a NaN, as torch's threshold_backward does)."""

    name_ = "ReluBackward0"

    def forward(self, x):
        out = np.asarray(np.maximum(x, 0))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return where(out <= 0, zero(grad), grad)

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return zero_where(out <= number(0, out), grad)


class Abs(Pointwise):
    """|x|; d/dx = sign(x) (0 at 0 and at NaN)."""

    name_ = "AbsBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.abs(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.sign()


class Frac(Pointwise):
    """x - trunc(x), keeping the sign of x; d/dx = 1."""

    name_ = "FracBackward0"

    def forward(self, x):
        return x - np.trunc(x)

    def backward(self, grad):
        return grad


class NanToNum(Pointwise):
    """NaN and +-inf replaced by numbers; the gradient is cut where they were."""

    name_ = "NanToNumBackward0"

    def forward(self, x, nan, posinf, neginf):
        self.save_for_backward(x)
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return where(x.isfinite(), grad, zero(grad))


def _sign(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind == "b":
        return x.copy()
    return np.where(np.isnan(x), 0, np.sign(x)).astype(x.dtype, copy=False)  # sign(nan) is 0


def _round(x: np.ndarray, decimals: int = 0) -> np.ndarray:
    # NumPy rounds halves to even, as torch does
    return np.round(x, decimals)


class Step(Pointwise):
    """A piecewise-constant function (sign, floor, ceil, round, trunc): zero gradient.
    Integer inputs come back as they are, in their own dtype, as in torch."""

    FUNCTIONS = {"SignBackward0": _sign, "SgnBackward0": _sign, "FloorBackward0": np.floor,
                 "CeilBackward0": np.ceil, "RoundBackward0": _round, "RoundBackward1": _round,
                 "TruncBackward0": np.trunc}

    def forward(self, x, name, **params):
        self.name_ = name
        if x.dtype.kind in "iu" and name not in ("SignBackward0", "SgnBackward0"):
            return x.copy()
        return self.FUNCTIONS[name](x, **params)

    def backward(self, grad):
        return zeros_like(grad)


class Predicate(Pointwise):
    """An elementwise test or logical/bitwise negation: never differentiable."""

    FUNCTIONS = {"isnan": np.isnan, "isinf": np.isinf, "isfinite": np.isfinite,
                 "isposinf": np.isposinf, "isneginf": np.isneginf, "signbit": np.signbit,
                 "logical_not": np.logical_not, "bitwise_not": np.invert}

    def forward(self, x, fn):
        return self.FUNCTIONS[fn](x)
