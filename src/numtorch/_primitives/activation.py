"""Softmax and log-softmax over one dim: fused, numerically stable forwards (the maximum
along dim is subtracted before exp, so large scores never overflow) with backwards in tensor
ops, so second derivatives work.
"""

from __future__ import annotations

import numpy as np

from .elementwise import Pointwise
from .reduction import sum_array


def _dims(x: np.ndarray, dim: int) -> tuple:
    """The dims ``x.sum(dim)`` reduces (none for a 0-d x)."""
    return (dim,) if x.ndim else ()


def _shifted(x: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """``x - max(x)`` along dim and its exp, in at least float32 (a slice holding +inf, or
    only -inf, becomes NaN, as in torch)."""
    if x.dtype == np.float16:  # half accumulates in float32, as torch's CPU kernel does
        x = x.astype(np.float32)
    shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True)  # x.max(dim), one frame less
    return shifted, np.exp(shifted)


def _over_dim(fn, x: np.ndarray, dim: int) -> np.ndarray:
    """Apply ``fn(x, dim)`` to a non-empty tensor with at least one dim (a 0-d tensor is a
    single slice of one element) and return the result in x's shape and dtype."""
    if x.size == 0:
        return x.copy()
    out = fn(x.reshape(x.shape or (1,)), dim)
    return out.reshape(x.shape).astype(x.dtype, copy=False)


def _softmax(x: np.ndarray, dim: int) -> np.ndarray:
    _, e = _shifted(x, dim)
    return e / e.sum(axis=dim, keepdims=True)


def _log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    shifted, e = _shifted(x, dim)
    log_sum = np.log(np.add.reduce(e, axis=dim, keepdims=True))  # e.sum(dim), one frame less
    return np.subtract(shifted, log_sum, out=shifted)


class Softmax(Pointwise):
    """exp(x) / sum(exp(x)) along dim; the vector-Jacobian product is
    out * (g - sum(g * out))."""

    name_ = "SoftmaxBackward0"

    def forward(self, x, dim):
        self.dim = dim
        out = _over_dim(_softmax, x, dim)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return out * (grad - (grad * out).sum(self.dim, keepdim=True))

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return out * (grad - sum_array(grad * out, _dims(grad, self.dim), True))


class LogSoftmax(Pointwise):
    """x - log(sum(exp(x))) along dim; the vector-Jacobian product is
    g - exp(out) * sum(g)."""

    name_ = "LogSoftmaxBackward0"

    def forward(self, x, dim):
        self.dim = dim
        out = _over_dim(_log_softmax, x, dim)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad - out.exp() * grad.sum(self.dim, keepdim=True)

    def backward_np(self, grad):
        (out,) = self.saved_arrays
        return grad - np.exp(out) * sum_array(grad, _dims(grad, self.dim), True)
