"""Lookups of ``nn.functional``: ``embedding`` and ``one_hot``."""

from __future__ import annotations

from ... import _dtype
from ..._composites._util import _legacy_name
from ..._creation import zeros
from ..._primitives.embedding import Embedding
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["embedding", "one_hot"]


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` at the indices ``input``: output shape ``input.shape + (D,)``.

    Args:
        padding_idx: this row gets no gradient (negative counts from the end).
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are first rescaled to
            that norm, in place in ``weight``.
        scale_grad_by_freq: divide each row's gradient by its index's count in the batch.
        sparse: accepted; the gradient is dense here.

    >>> F.embedding(torch.tensor([1]), torch.eye(3))
    tensor([[0., 1., 0.]])
    """
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"torch.{_legacy_name(input.dtype)}Tensor instead (while checking "
                           "arguments for embedding)")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows = weight.shape[0]
    if padding_idx is not None:
        if not -rows <= padding_idx < rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= rows
    if input.numel() and (int(input.min()) < 0 or int(input.max()) >= rows):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    return Embedding.apply(weight, indices=input._data.astype("int64", copy=False),
                           padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq)


def _renorm_rows(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows whose norm exceeds max_norm to max_norm (in place)."""
    with no_grad():
        picked = input.reshape(-1).long()  # a repeated index is rescaled once, identically
        norms = weight[picked].norm(norm_type, 1, keepdim=True)
        scale = (max_norm / (norms + 1e-7)).clamp_max(1.0)
        weight[picked] = weight[picked] * scale


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot vectors: ``out[..., c] = 1`` where ``tensor == c``; ``num_classes=-1``
    takes ``tensor.max() + 1``.

    >>> F.one_hot(torch.tensor([0, 2]))
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(tensor.max()) + 1
    if tensor.numel():
        if int(tensor.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if int(tensor.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = zeros(tuple(tensor.shape) + (num_classes,), dtype=_dtype.int64)
    return out.scatter_(-1, tensor.unsqueeze(-1), 1)
