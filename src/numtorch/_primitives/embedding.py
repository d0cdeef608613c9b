"""Embedding lookup: rows of a weight matrix picked by integer indices."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._base import Primitive
from .indexing import IndexAdd


class Embedding(Primitive):
    """weight[indices]; d/dweight adds each index's gradient row into that row (repeated
    indices accumulate, hence index_add). The row ``padding_idx`` gets no gradient, and
    ``scale_grad_by_freq`` divides each row's gradient by its index's count in the batch."""

    name_ = "EmbeddingBackward0"

    def forward(self, weight, indices, padding_idx=None, scale_grad_by_freq=False):
        self.num_rows = weight.shape[0]
        self.indices = indices.reshape(-1)
        self.scale = None
        if padding_idx is not None or scale_grad_by_freq:
            scale = np.ones(self.indices.shape, weight.dtype)
            if scale_grad_by_freq:
                counts = np.bincount(self.indices, minlength=self.num_rows)
                scale /= counts[self.indices]
            if padding_idx is not None:
                scale[self.indices == padding_idx] = 0
            self.scale = scale[:, None]
        return weight[indices]

    def backward(self, grad):
        rows = grad.reshape(-1, grad.shape[-1])
        if self.scale is not None:
            rows = rows * Tensor._make(self.scale)
        zeros = Tensor._make(np.zeros((self.num_rows, grad.shape[-1]), grad._data.dtype))
        return IndexAdd.apply(zeros, rows, index=self.indices, dim=0)
