"""Shape primitives: they return NumPy views, so outputs share memory with the input."""

from __future__ import annotations

import numpy as np

from ._base import Primitive


class View(Primitive):
    """reshape without copying; the gradient is reshaped back."""

    name_ = "ViewBackward0"

    def forward(self, x, shape):
        self.in_shape = x.shape
        return np.reshape(x, shape, copy=False)  # raises ValueError when a copy is needed

    def backward(self, grad):
        return grad.reshape(self.in_shape)


class Reshape(Primitive):
    """reshape that had to copy (``_reshape_alias``/``clone`` in torch)."""

    name_ = "UnsafeViewBackward0"

    def forward(self, x, shape):
        self.in_shape = x.shape
        return np.reshape(x, shape)

    def backward(self, grad):
        return grad.reshape(self.in_shape)


class Expand(Primitive):
    """broadcast to a larger shape (a read-only view); the gradient is summed back."""

    name_ = "ExpandBackward0"

    def forward(self, x, shape):
        return np.broadcast_to(x, shape)

    def backward(self, grad):
        return grad  # the engine's sum_to reduces it to the input's shape


class Permute(Primitive):
    """reorder dims; the gradient is permuted back."""

    name_ = "PermuteBackward0"

    def forward(self, x, dims):
        self.dims = dims
        return np.transpose(x, dims)

    def backward(self, grad):
        return grad.permute(tuple(np.argsort(self.dims)))
