"""Softmax and log-softmax (``torch.softmax``, ``Tensor.log_softmax``...);
``torch.nn.functional`` re-exports them."""

from __future__ import annotations

from typing import Any

from .. import _dtype
from .._primitives import activation as A
from .._tensor import Tensor, _wrap_dim
from ._util import _legacy_name

__all__ = ["softmax", "log_softmax"]
METHODS = ["softmax", "log_softmax"]
INPLACE: list[str] = []


def _prepare(input: Tensor, dim: Any, dtype: _dtype.dtype | None, name: str) -> tuple:
    """Check ``dim``, convert to ``dtype`` first if given, refuse non-float inputs."""
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    dim = _wrap_dim(dim, input.ndim)
    if dtype is not None and dtype is not input.dtype:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        kernel = "lastdim_kernel_impl" if dim == input.ndim - 1 or not input.ndim else \
            "kernel_impl"
        raise NotImplementedError(
            f"\"{name}_{kernel}\" not implemented for '{_legacy_name(input.dtype)}'")
    return input, dim


def softmax(input: Tensor, dim: int, dtype: _dtype.dtype | None = None) -> Tensor:
    """``exp(x) / exp(x).sum(dim)``, computed stably: each slice along ``dim`` sums to 1.

    Args:
        input: the scores (logits).
        dim: the dim to normalise over (required, as in torch).
        dtype: convert ``input`` to this dtype first (e.g. to compute in float64).

    >>> torch.softmax(torch.tensor([1., 2., 3.]), dim=0)
    tensor([0.0900, 0.2447, 0.6652])
    """
    input, dim = _prepare(input, dim, dtype, "softmax")
    return A.Softmax.apply(input, dim=dim)


def log_softmax(input: Tensor, dim: int, dtype: _dtype.dtype | None = None) -> Tensor:
    """``log(softmax(x, dim))``, computed without forming the softmax (stable for large
    scores); the usual input of ``nll_loss``.

    >>> torch.log_softmax(torch.tensor([1., 2., 3.]), dim=0)
    tensor([-2.4076, -1.4076, -0.4076])
    """
    input, dim = _prepare(input, dim, dtype, "log_softmax")
    return A.LogSoftmax.apply(input, dim=dim)
