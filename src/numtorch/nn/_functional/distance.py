"""Distances of ``nn.functional``: cosine_similarity, pairwise_distance, pdist."""

from __future__ import annotations

import math

from ... import _dtype
from ..._composites._util import _legacy_name
from ..._ranges import arange
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ._util import _broadcast_shape
from .activation import hardtanh

__all__ = ["cosine_similarity", "pairwise_distance", "pdist"]


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``sum(x1 / ||x1|| * x2 / ||x2||)`` along ``dim``, each norm at least ``eps``.

    As torch does, each input is divided by its own norm before the product (the result stays
    in [-1, 1]), and the norms are clamped without recording the clamp: the gradient is the
    one of the unclamped norm.

    >>> F.cosine_similarity(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 1.0]]))
    tensor([0.7071])
    """
    common = _dtype.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{_legacy_name(common)}")
    shape = _broadcast_shape(tuple(x1.shape), tuple(x2.shape))
    x1, x2 = (x.to(common) if not x.is_floating_point() else x for x in (x1, x2))
    x1, x2 = x1.expand(shape), x2.expand(shape)
    n1 = x1.norm(2, dim, keepdim=True).clone()
    n2 = x2.norm(2, dim, keepdim=True).clone()
    with no_grad():
        n1.clamp_min_(eps)
        n2.clamp_min_(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """``||x1 - x2 + eps||_p`` over the last dim (of the input with more dims).

    >>> F.pairwise_distance(torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0]]), eps=0.0)
    tensor([5.])
    """
    dim = max(x1.dim(), x2.dim()) - 1
    return (x1 - x2 + eps).norm(p, dim, keepdim=keepdim)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """The p-norm distance between every pair of rows ``i < j`` of an (N, M) input, in row
    order: the upper triangle of ``cdist(input, input)`` flattened, N (N - 1) / 2 values.

    >>> F.pdist(torch.tensor([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]]))
    tensor([ 5., 10.,  5.])
    """
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    rows = arange(n)
    upper = rows.unsqueeze(1) < rows  # (i, j) with i < j, in row-major order
    first = rows.unsqueeze(1).expand(n, n).masked_select(upper)
    second = rows.expand(n, n).masked_select(upper)
    diff = input.index_select(0, first) - input.index_select(0, second)
    if p == 0:  # a count; torch's gradient is zero, not absent: hardtanh onto [0, 0] records
        # a zero-valued term (even for infinite differences) whose gradient is 0 everywhere
        return (diff != 0).sum(1).to(input.dtype) + hardtanh(diff, 0.0, 0.0).sum(1)
    if math.isinf(p):
        return _max_distance(diff)
    return diff.norm(p, 1)


def _max_distance(diff: Tensor) -> Tensor:
    """``max_k |diff_k|`` per row, with torch's pdist gradient: ``sign(diff)`` at every
    coordinate reaching the max (norm's gradient would share it among ties). The recorded
    term is ``(|diff| - |diff|) * at_max``, zero in value, so the output is the detached max
    exactly."""
    size = diff.abs()
    top = size.detach().amax(1, keepdim=True)
    at_max = (size.detach() == top).to(diff.dtype)
    return top.squeeze(1) + ((size - size.detach()) * at_max).sum(1)
