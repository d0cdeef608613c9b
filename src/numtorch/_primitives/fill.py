"""Primitives that produce a whole new tensor from one: dtype conversion, clone, and the
in-place writers ``copy_``, ``fill_`` and ``zero_`` (the composites run them out of place,
then write the result into the target: see ``_composites._util.inplace``).
"""

from __future__ import annotations

import numpy as np

from .elementwise import Pointwise, scalar_as, zeros_like


class ToCopy(Pointwise):
    """A dtype conversion; the gradient converts back (the engine casts it)."""

    name_ = "ToCopyBackward0"

    def forward(self, x, dtype):
        return x.astype(dtype)

    def backward_np(self, grad):
        return grad

    def backward(self, grad):
        return grad


class Clone(Pointwise):
    """A copy; gradient passes through."""

    name_ = "CloneBackward0"

    def forward(self, x):
        return x.copy()

    def backward(self, grad):
        return grad

    def backward_np(self, grad):
        return grad


class Copy(Pointwise):
    """``dst.copy_(src)``: src broadcast to dst's shape and cast to its dtype. The old dst
    values are gone, so dst gets a zero gradient; src gets the gradient summed and cast."""

    name_ = "torch::autograd::CopyBackwards"

    def forward(self, dst, src):
        return np.broadcast_to(src, dst.shape).astype(dst.dtype)

    def backward(self, grad):
        need_dst, need_src = self.needs_input_grad
        return (zeros_like(grad) if need_dst else None), (grad if need_src else None)


class Fill(Pointwise):
    """Every element set to a number (FillBackward2) or to a 0-d tensor (FillBackward3,
    whose gradient is the sum of the upstream one); zero_ is ZeroBackward0."""

    name_ = "FillBackward3"

    def forward(self, x, value=None, scalar=None, name=None):
        if value is None:
            self.name_ = name
            value = scalar_as(scalar, x.dtype)
        return np.full_like(x, value)

    def backward(self, grad):
        if self.name_ != "FillBackward3":
            return zeros_like(grad)
        need_x, need_value = self.needs_input_grad
        return (zeros_like(grad) if need_x else None), (grad.sum() if need_value else None)
