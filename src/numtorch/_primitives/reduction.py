"""Reduction primitives: sum and mean (max/min, var, logsumexp... live beside them)."""

from __future__ import annotations

import numpy as np

from ._base import Primitive


def _kept_shape(shape: tuple, dims: tuple) -> tuple:
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


class Sum(Primitive):
    """sum over dims; the gradient is broadcast back over them."""

    name_ = "SumBackward0"

    def forward(self, x, dims=None, keepdim=False, dtype=None):
        self.in_shape = x.shape
        self.dims = tuple(range(x.ndim)) if dims is None else dims
        if dims is not None:
            self.name_ = "SumBackward1"
        return np.sum(x, axis=dims, keepdims=keepdim, dtype=dtype)

    def backward(self, grad):
        return grad.reshape(_kept_shape(self.in_shape, self.dims)).expand(self.in_shape)


class Mean(Primitive):
    """mean over dims; the gradient is spread evenly back over them."""

    name_ = "MeanBackward0"

    def forward(self, x, dims=None, keepdim=False, dtype=None):
        self.in_shape = x.shape
        self.dims = tuple(range(x.ndim)) if dims is None else dims
        self.count = max(1, int(np.prod([x.shape[d] for d in self.dims])))
        if dims is not None:
            self.name_ = "MeanBackward1"
        return np.mean(x, axis=dims, keepdims=keepdim, dtype=dtype)

    def backward(self, grad):
        grad = grad.reshape(_kept_shape(self.in_shape, self.dims)).expand(self.in_shape)
        return grad / self.count
