"""Linear-algebra primitives: matrix products."""

from __future__ import annotations

import numpy as np

from ._base import Primitive


class Mm(Primitive):
    """a @ b for matrices; d/da = grad @ b^T, d/db = a^T @ grad."""

    name_ = "MmBackward0"

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return np.matmul(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad.mm(b.t()) if need_a else None), (a.t().mm(grad) if need_b else None)
