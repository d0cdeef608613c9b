"""Elementwise primitives: arithmetic, powers, exponentials, trigonometry, activations.

Inputs arrive already promoted to one dtype (the composites do it), so a forward is the
bare NumPy expression; the engine undoes broadcasting on the gradients.
"""

from __future__ import annotations

import numpy as np

from ._base import Primitive


class Add(Primitive):
    """a + alpha * b; d/da = 1, d/db = alpha."""

    name_ = "AddBackward0"

    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        return a + b if alpha == 1 else a + alpha * b

    def backward(self, grad):
        return grad, (grad if self.alpha == 1 else grad * self.alpha)


class Sub(Primitive):
    """a - alpha * b; d/da = 1, d/db = -alpha."""

    name_ = "SubBackward0"

    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        return a - b if alpha == 1 else a - alpha * b

    def backward(self, grad):
        return grad, (-grad if self.alpha == 1 else grad * -self.alpha)


class Rsub(Primitive):
    """b - alpha * a, for ``scalar - tensor``; d/da = -alpha."""

    name_ = "RsubBackward1"

    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        return b - a if alpha == 1 else b - alpha * a

    def backward(self, grad):
        return (-grad if self.alpha == 1 else grad * -self.alpha), grad


class Mul(Primitive):
    """a * b; d/da = b, d/db = a."""

    name_ = "MulBackward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a * b

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(Primitive):
    """a / b; d/da = 1/b, d/db = -a/b^2."""

    name_ = "DivBackward0"

    def forward(self, a, b, rounding_mode=None):
        self.save_for_backward(a, b)
        self.rounding_mode = rounding_mode
        if rounding_mode == "trunc":
            return np.trunc(a / b) if a.dtype.kind == "f" else _int_div_trunc(a, b)
        if rounding_mode == "floor":
            return np.floor_divide(a, b)
        return np.true_divide(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        if self.rounding_mode is not None:  # piecewise constant: zero gradient
            return grad * 0, grad * 0
        need_a, need_b = self.needs_input_grad
        return (grad / b if need_a else None), (-grad * a / (b * b) if need_b else None)


def _int_div_trunc(a, b):
    q = np.floor_divide(a, b)
    return q + ((q < 0) & (q * b != a))


class Neg(Primitive):
    """-x."""

    name_ = "NegBackward0"

    def forward(self, x):
        return np.negative(x)

    def backward(self, grad):
        return -grad


class PowScalar(Primitive):
    """x ** p for a Python number p; d/dx = p * x^(p-1)."""

    name_ = "PowBackward0"

    def forward(self, x, exponent):
        self.exponent = exponent
        self.save_for_backward(x)
        return np.power(x, exponent)

    def backward(self, grad):
        (x,) = self.saved_tensors
        p = self.exponent
        if p == 0:
            return grad * 0
        return grad * p * x ** (p - 1)


class Pow(Primitive):
    """a ** b for tensors; d/da = b * a^(b-1), d/db = a^b * log(a) (0 where a == 0, b >= 0)."""

    name_ = "PowBackward1"

    def forward(self, a, b):
        out = np.power(a, b)
        self.save_for_backward(a, b, out)
        return out

    def backward(self, grad):
        a, b, out = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        grad_a = grad * b * a ** (b - 1) if need_a else None
        grad_b = None
        if need_b:
            safe = (a == 0) & (b >= 0)
            grad_b = (grad * out * a.log()).masked_fill(safe, 0)
        return grad_a, grad_b


class RpowScalar(Primitive):
    """base ** x for a Python number base; d/dx = base^x * log(base)."""

    name_ = "PowBackward2"

    def forward(self, x, base):
        self.log_base = float(np.log(base)) if base > 0 else float("nan") if base < 0 else None
        out = np.power(np.asarray(base, dtype=x.dtype), x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        if self.log_base is None:  # 0 ** x: zero gradient, as torch
            return grad * 0
        return grad * out * self.log_base


class Exp(Primitive):
    """exp(x); d/dx = exp(x)."""

    name_ = "ExpBackward0"

    def forward(self, x):
        out = np.exp(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out


class Log(Primitive):
    """log(x); d/dx = 1/x."""

    name_ = "LogBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / x


class Sqrt(Primitive):
    """sqrt(x); d/dx = 1 / (2 sqrt(x))."""

    name_ = "SqrtBackward0"

    def forward(self, x):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad / (2 * out)


class Sin(Primitive):
    """sin(x); d/dx = cos(x)."""

    name_ = "SinBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.cos()


class Cos(Primitive):
    """cos(x); d/dx = -sin(x)."""

    name_ = "CosBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.cos(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * -x.sin()


class Tanh(Primitive):
    """tanh(x); d/dx = 1 - tanh(x)^2."""

    name_ = "TanhBackward0"

    def forward(self, x):
        out = np.tanh(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Primitive):
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


class Relu(Primitive):
    """max(x, 0); d/dx = 1 where x > 0, else 0 (0 at x == 0, as torch)."""

    name_ = "ReluBackward0"

    def forward(self, x):
        out = np.maximum(x, 0)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (out > 0)


class Abs(Primitive):
    """|x|; d/dx = sign(x) (0 at 0)."""

    name_ = "AbsBackward0"

    def forward(self, x):
        self.save_for_backward(x)
        return np.abs(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.sign()


class ToCopy(Primitive):
    """A dtype conversion; the gradient converts back (the engine casts it)."""

    name_ = "ToCopyBackward0"

    def forward(self, x, dtype):
        return x.astype(dtype)

    def backward(self, grad):
        return grad


class Clone(Primitive):
    """A copy; gradient passes through."""

    name_ = "CloneBackward0"

    def forward(self, x):
        return x.copy()

    def backward(self, grad):
        return grad


class Where(Primitive):
    """where(cond, a, b); the gradient goes to a where cond holds, to b elsewhere."""

    name_ = "WhereBackward0"

    def forward(self, cond, a, b):
        self.save_for_backward(cond)
        return np.where(cond, a, b)

    def backward(self, grad):
        (cond,) = self.saved_tensors
        _, need_a, need_b = self.needs_input_grad
        zero = grad.new_zeros(())
        return (None, grad.where(cond, zero) if need_a else None,
                zero.where(cond, grad) if need_b else None)


class Compare(Primitive):
    """Comparisons and logical ops: boolean results, no gradient."""

    def forward(self, a, b, op):
        return op(a, b)


class Unary(Primitive):
    """A non-differentiable elementwise function (sign, floor, isnan...)."""

    def forward(self, x, fn):
        return fn(x)

    def backward(self, grad):
        return grad * 0


COMPARISONS = {
    "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
    "gt": np.greater, "ge": np.greater_equal, "logical_and": np.logical_and,
    "logical_or": np.logical_or, "logical_xor": np.logical_xor,
}
UNARY_MATH = {"logical_not": np.logical_not, "bitwise_not": np.invert}
