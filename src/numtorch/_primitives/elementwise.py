"""Elementwise primitives of two or more tensors: arithmetic, powers, min/max/clamp, where,
lerp and comparisons, plus the helpers every pointwise backward uses (``where``, ``zero``).

Inputs arrive already promoted to one dtype (the composites do it), so a forward is the
bare NumPy expression; the engine undoes broadcasting on the gradients. One-input math
(exp, log, sin, floor...) lives in ``unary.py``, copy_/fill_ in ``fill.py``.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ._base import Primitive


class Pointwise(Primitive):
    """A primitive computed element by element (NaN and inf come out silently, as in torch:
    NOTE [ Quiet arithmetic ] in ``_base``)."""


def zero(like: Tensor) -> Tensor:
    """A 0-d zero of ``like``'s dtype, a constant for ``where`` in backward formulas."""
    return Tensor._make(np.zeros((), like._data.dtype))


def where(cond: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """``where`` for backward formulas: operands already share a dtype."""
    return Where.apply(a, b, condition=cond)


def zeros_like(t: Tensor) -> Tensor:
    """The zero gradient of a piecewise-constant op (a constant, outside the graph)."""
    return Tensor._make(np.zeros_like(t._data))


def number(value: object, like: np.ndarray) -> np.ndarray:
    """A Python number as the 0-d operand ``grad * value`` makes of it (``scalar_tensor``
    in ``like``'s dtype), for the array formulas of backward_np."""
    return np.array(value, dtype=like.dtype)


_BITS = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def zero_where(drop: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``np.where(drop, 0, x)`` for float ``x`` (the gradient of relu and friends): the same
    bits, +0.0 where dropped. An unpredictable mask makes ``np.where`` slow (a branch per
    element), so a mask of the same shape selects with integer ANDs instead."""
    bits = _BITS.get(x.dtype.itemsize)
    if type(drop) is not np.ndarray or drop.shape != x.shape or bits is None:
        return np.where(drop, np.zeros((), x.dtype), x)
    keep = drop.astype(bits)
    keep -= 1  # dropped: 0, kept: all ones
    np.bitwise_and(keep, x.view(bits), out=keep)
    return keep.view(x.dtype)


def like(value: object, a: np.ndarray) -> np.ndarray:
    """A number operand as a 0-d array of ``a``'s dtype; integers wrap as torch's do
    (int8 + 300 adds 44), where NumPy would raise."""
    return np.asarray(value).astype(a.dtype, copy=False)


def check_nonzero_divisor(b: np.ndarray) -> None:
    """Integer division by zero raises in torch (NumPy would return 0 with a warning)."""
    if b.dtype.kind in "iu" and not b.all():
        raise RuntimeError("ZeroDivisionError")


# -- arithmetic -----------------------------------------------------------------------------


class Add(Pointwise):
    """a + alpha * b; d/da = 1, d/db = alpha."""

    name_ = "AddBackward0"

    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        out = a + b if alpha == 1 else a + alpha * b
        return out if out.dtype == a.dtype else out.astype(a.dtype)  # bool + bool * 2 stays bool

    def backward(self, grad):
        return grad, (grad if self.alpha == 1 else grad * self.alpha)

    def backward_np(self, grad):
        if not self.needs_input_grad[1]:  # nothing to compute for b (the engine drops it)
            return grad, None
        return grad, (grad if self.alpha == 1 else grad * number(self.alpha, grad))


class Sub(Pointwise):
    """a - alpha * b; d/da = 1, d/db = -alpha."""

    name_ = "SubBackward0"

    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        return a - b if alpha == 1 else a - alpha * b

    def backward(self, grad):
        return grad, (-grad if self.alpha == 1 else grad * -self.alpha)

    def backward_np(self, grad):
        if not self.needs_input_grad[1]:  # nothing to compute for b (the engine drops it)
            return grad, None
        return grad, (np.negative(grad) if self.alpha == 1 else grad * number(-self.alpha, grad))


class Rsub(Pointwise):
    """b - alpha * a (``torch.rsub``, ``2 - tensor``); d/da = -alpha, d/db = 1.

    With a tensor ``b`` torch names the node RsubBackward0; with a number, RsubBackward1
    and the number is a parameter, not an input."""

    name_ = "RsubBackward0"

    def forward(self, a, b=None, alpha=1, scalar=None):
        self.alpha = alpha
        if b is None:
            self.name_ = "RsubBackward1"
            b = like(scalar, a)
        return b - a if alpha == 1 else b - alpha * a

    def backward(self, grad):
        grad_a = -grad if self.alpha == 1 else grad * -self.alpha
        return grad_a if self.name_ == "RsubBackward1" else (grad_a, grad)

    def backward_np(self, grad):
        grad_a = np.negative(grad) if self.alpha == 1 else grad * number(-self.alpha, grad)
        return grad_a if self.name_ == "RsubBackward1" else (grad_a, grad)


class Mul(Pointwise):
    """a * b; d/da = b, d/db = a."""

    name_ = "MulBackward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a * b

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)

    def backward_np(self, grad):
        a, b = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(Pointwise):
    """a / b; d/da = 1/b, d/db = -a/b^2."""

    name_ = "DivBackward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return np.true_divide(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad / b if need_a else None), (-grad * a / (b * b) if need_b else None)

    def backward_np(self, grad):
        a, b = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        return (np.true_divide(grad, b) if need_a else None), (
            np.true_divide(np.negative(grad) * a, b * b) if need_b else None)


class DivRounding(Pointwise):
    """a / b rounded down ("floor") or toward zero ("trunc"): a step function, zero grads."""

    name_ = "DivBackward2"

    def forward(self, a, b, rounding_mode):
        if a.dtype.kind == "f":
            q = np.floor_divide(a, b) if rounding_mode == "floor" else np.trunc(a / b)
            return q.astype(a.dtype, copy=False)
        check_nonzero_divisor(b)
        q = np.floor_divide(a, b)
        if rounding_mode == "trunc":  # floor is one below trunc when the signs differ
            q = q + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))
        return q.astype(a.dtype, copy=False)

    def backward(self, grad):
        return tuple(zeros_like(grad) if n else None for n in self.needs_input_grad)


class NotDifferentiable(Pointwise):
    """An op torch records but cannot differentiate (``x // y``, ``2 % x``): backward raises.
    A number operand is a parameter (``scalar``, on the ``scalar_first`` side or after)."""

    name_ = "torch::autograd::NotImplemented"
    FUNCTIONS = {"floor_divide": np.floor_divide, "remainder": np.remainder}

    def forward(self, a, b=None, op="floor_divide", scalar=None, scalar_first=False):
        self.op = op
        if b is None:
            a, b = (like(scalar, a), a) if scalar_first else (a, like(scalar, a))
        check_nonzero_divisor(b)
        return self.FUNCTIONS[op](a, b)

    def backward(self, grad):
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")


class Remainder(Pointwise):
    """a mod b with the sign of b (Python's %); d/da = 1, d/db = -floor(a / b)."""

    name_ = "RemainderBackward1"

    def forward(self, a, b=None, scalar=None):
        if b is None:  # a number divisor: d/da = 1 needs nothing saved
            self.name_ = "RemainderBackward0"
            b = like(scalar, a)
        else:
            self.save_for_backward(a, b)
        check_nonzero_divisor(b)
        return np.remainder(a, b)

    def backward(self, grad):
        if self.name_ == "RemainderBackward0":
            return grad
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad if need_a else None), (
            -grad * a.div(b, rounding_mode="floor") if need_b else None)


class Fmod(Pointwise):
    """a mod b with the sign of a (C's fmod); d/da = 1, d/db = -trunc(a / b)."""

    name_ = "FmodBackward1"

    def forward(self, a, b=None, scalar=None):
        if b is None:  # a number divisor: d/da = 1 needs nothing saved
            self.name_ = "FmodBackward0"
            b = like(scalar, a)
        else:
            self.save_for_backward(a, b)
        check_nonzero_divisor(b)
        return np.fmod(a, b)

    def backward(self, grad):
        if self.name_ == "FmodBackward0":
            return grad
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad if need_a else None), (
            -grad * a.div(b, rounding_mode="trunc") if need_b else None)


# -- maximum, minimum, clamp, where, lerp ---------------------------------------------------


class Maximum(Pointwise):
    """max(a, b), NaN-propagating; a tie splits the gradient in halves."""

    name_ = "MaximumBackward0"
    fn = staticmethod(np.maximum)

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return self.fn(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        shared = where(a == b, grad / 2, grad)
        loses_a, loses_b = self._losers(a, b)
        return (where(loses_a, zero(grad), shared) if need_a else None,
                where(loses_b, zero(grad), shared) if need_b else None)

    @staticmethod
    def _losers(a, b):
        return a < b, a > b


class Minimum(Maximum):
    """min(a, b), NaN-propagating; a tie splits the gradient in halves."""

    name_ = "MinimumBackward0"
    fn = staticmethod(np.minimum)

    @staticmethod
    def _losers(a, b):
        return a > b, a < b


class Fmax(Pointwise):
    """max(a, b) ignoring NaN; a tie sends the gradient to a."""

    name_ = "FmaxBackward0"
    fn = staticmethod(np.fmax)

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return self.fn(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        a_wins = self._wins(a, b) | b.isnan()
        return (where(a_wins, grad, zero(grad)) if need_a else None,
                where(a_wins, zero(grad), grad) if need_b else None)

    @staticmethod
    def _wins(a, b):
        return a >= b


class Fmin(Fmax):
    """min(a, b) ignoring NaN; a tie sends the gradient to a."""

    name_ = "FminBackward0"
    fn = staticmethod(np.fmin)

    @staticmethod
    def _wins(a, b):
        return a <= b


class Clamp(Pointwise):
    """min(max(x, lo), hi) for numbers lo, hi (either may be None); the gradient passes
    where lo <= x <= hi. ``clamp_min``/``clamp_max`` use it under their own names."""

    name_ = "ClampBackward1"

    def forward(self, x, lo=None, hi=None, name=None):
        if name is not None:
            self.name_ = name
        self.lo, self.hi = lo, hi
        self.save_for_backward(x)
        out = x
        if lo is not None:
            out = np.maximum(out, scalar_as(lo, x.dtype))
        if hi is not None:
            out = np.minimum(out, scalar_as(hi, x.dtype))
        return out

    def backward(self, grad):
        (x,) = self.saved_tensors
        lo, hi = self.lo, self.hi
        if lo is None:
            keep = x <= hi
        elif hi is None:
            keep = x >= lo
        else:
            keep = (x >= lo) & (x <= hi)
        return where(keep, grad, zero(grad))


class ClampTensor(Pointwise):
    """min(max(x, lo), hi) for tensor bounds (ClampBackward0). A missing bound is a
    placeholder input, unused (``has_lo``/``has_hi`` False), so the node keeps torch's three
    edges. Where lo > hi the result is hi, so hi takes the gradient; where x is below
    lo == hi nobody does (as torch)."""

    name_ = "ClampBackward0"

    def forward(self, x, lo, hi, has_lo=True, has_hi=True):
        self.save_for_backward(x, lo if has_lo else None, hi if has_hi else None)
        out = np.maximum(x, lo) if has_lo else x
        return np.minimum(out, hi) if has_hi else out

    def backward(self, grad):
        x, lo, hi = self.saved_tensors
        need_x, need_lo, need_hi = self.needs_input_grad
        z = zero(grad)
        if lo is None:
            keep_x, to_lo, to_hi = x <= hi, None, x > hi
        elif hi is None:
            keep_x, to_lo, to_hi = x >= lo, x < lo, None
        else:
            keep_x = (x >= lo) & (x <= hi)
            to_lo, to_hi = (x < lo) & (lo < hi), (x > hi) | (lo > hi)
        return (where(keep_x, grad, z) if need_x else None,
                where(to_lo, grad, z) if need_lo else None,
                where(to_hi, grad, z) if need_hi else None)


class ClampBound(Pointwise):
    """max(x, bound) (``upper=False``) or min(x, bound) for a tensor bound (clamp_min and
    clamp_max); ties give the gradient to x, and where x is NaN neither gets any."""

    name_ = "ClampMinBackward1"

    def forward(self, x, bound, upper, name):
        self.name_, self.upper = name, upper
        self.save_for_backward(x, bound)
        return np.minimum(x, bound) if upper else np.maximum(x, bound)

    def backward(self, grad):
        x, bound = self.saved_tensors
        need_x, need_bound = self.needs_input_grad
        inside, outside = (x <= bound, x > bound) if self.upper else (x >= bound, x < bound)
        z = zero(grad)
        return (where(inside, grad, z) if need_x else None,
                where(outside, grad, z) if need_bound else None)


class Where(Pointwise):
    """where(cond, a, b); the gradient goes to a where cond holds, to b elsewhere. The bool
    condition is a parameter, not an input: torch's node has edges for a and b only."""

    name_ = "WhereBackward0"

    def forward(self, a, b, condition):
        self.condition = condition
        return np.where(condition._data, a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        z = zero(grad)
        return (where(self.condition, grad, z) if need_a else None,
                where(self.condition, z, grad) if need_b else None)

    def backward_np(self, grad):
        need_a, need_b = self.needs_input_grad
        z, cond = np.zeros((), grad.dtype), self.condition._data
        return (np.where(cond, grad, z) if need_a else None,
                np.where(cond, z, grad) if need_b else None)


class Lerp(Pointwise):
    """start + weight * (end - start); a number weight is a parameter (LerpBackward0), a
    tensor weight an input (LerpBackward1, d/dweight = end - start)."""

    name_ = "LerpBackward1"

    def forward(self, start, end, weight=None, scalar=None):
        if weight is None:  # a number weight: the gradients need nothing saved
            self.name_, self.weight = "LerpBackward0", scalar
            weight = like(scalar, start)
        else:
            self.save_for_backward(start, end, weight)
        # from whichever end is nearer, as torch, so lerp(a, b, 1) is exactly b
        return np.where(np.abs(weight) < 0.5, start + weight * (end - start),
                        end - (end - start) * (1 - weight))

    def backward(self, grad):
        need = self.needs_input_grad
        if self.name_ == "LerpBackward0":
            w = self.weight
            return (grad * (1 - w) if need[0] else None), (grad * w if need[1] else None)
        start, end, weight = self.saved_tensors
        return (grad * (1 - weight) if need[0] else None, grad * weight if need[1] else None,
                grad * (end - start) if need[2] else None)


# -- comparisons, logical and bitwise ops (no gradient) ---------------------------------------


class Compare(Pointwise):
    """A comparison, logical or bitwise op: never differentiable."""

    def forward(self, a, b, op):
        return op(a, b)


COMPARISONS = {
    "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
    "gt": np.greater, "ge": np.greater_equal, "logical_and": np.logical_and,
    "logical_or": np.logical_or, "logical_xor": np.logical_xor, "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor,
}


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "int64_t",
            "int32": "int", "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}


def scalar_as(value: object, dtype: np.dtype) -> np.ndarray:
    """A Python number as a 0-d array of ``dtype``, with torch's overflow error (an unsigned
    type lets a negative value wrap, as ``fill_(-1)`` on uint8 gives 255)."""
    dtype = np.dtype(dtype)
    kind = dtype.kind
    if kind == "b":
        return np.asarray(bool(value))
    low, high = _range(dtype)
    if kind == "f":
        if isinstance(value, complex) or (math.isfinite(value) and not low <= value <= high):
            raise _overflow(dtype)
        return np.asarray(value, dtype)
    if isinstance(value, complex) or (isinstance(value, float) and not math.isfinite(value)) \
            or not low <= int(value) <= high:
        raise _overflow(dtype)
    return np.asarray(int(value)).astype(dtype)


_RANGES: dict = {}


def _range(dtype: np.dtype) -> tuple:
    """The numbers a dtype accepts without overflow (cached: np.finfo is slow)."""
    bounds = _RANGES.get(dtype)
    if bounds is None:
        if dtype.kind == "f":
            top = float(np.finfo(dtype).max)
            bounds = (-top, top)
        else:
            info = np.iinfo(dtype)
            bounds = (-int(info.max) if dtype.kind == "u" else int(info.min), int(info.max))
        _RANGES[dtype] = bounds
    return bounds


def _overflow(dtype: np.dtype) -> RuntimeError:
    return RuntimeError(f"value cannot be converted to type {_C_NAMES[dtype.name]} without "
                        "overflow")
