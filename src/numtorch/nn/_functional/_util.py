"""Helpers shared by the ``nn.functional`` families: the ``reduction`` argument (with the
deprecated ``size_average``/``reduce`` pair), torch's shape and dtype checks, in its words."""

from __future__ import annotations

import warnings
from typing import Any

from ..._composites._util import _legacy_name
from ..._size import Size
from ..._tensor import Tensor
from ...autograd.grad_mode import _GradState


# -- reduction --------------------------------------------------------------------------------
def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """The ``reduction`` string that the deprecated ``size_average``/``reduce`` pair means."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' "
                  "instead.", UserWarning, stacklevel=4)
    return ret


def _reduction(size_average: bool | None, reduce: bool | None, reduction: Any) -> str:
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", UserWarning, stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


# -- shape checks, in torch's words -----------------------------------------------------------
def _broadcast_shape(a: tuple, b: tuple) -> tuple:
    """The broadcast of two shapes; torch's RuntimeError when they do not broadcast."""
    ndim = max(len(a), len(b))
    pa, pb = (1,) * (ndim - len(a)) + tuple(a), (1,) * (ndim - len(b)) + tuple(b)
    for dim, (x, y) in enumerate(zip(pa, pb)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                               f"({y}) at non-singleton dimension {dim}")
    return tuple(y if x == 1 else x for x, y in zip(pa, pb))


def _check_fits(out_shape: tuple, a: tuple, b: tuple) -> None:
    """An op writing the broadcast of ``a`` and ``b`` into a tensor of ``out_shape``."""
    shape = _broadcast_shape(a, b)
    if shape != tuple(out_shape):
        raise RuntimeError(f"output with shape {list(out_shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")


def _check_expandable(weight: Tensor, shape: tuple) -> None:
    """``weight.expand(shape)`` must work (binary_cross_entropy's weight)."""
    wshape = tuple(weight.shape)
    padded = (1,) * (len(wshape) - len(shape)) + tuple(shape)
    for k in range(1, min(len(wshape), len(shape)) + 1):  # extra leading dims fail below
        if wshape[-k] not in (1, padded[-k]):
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {wshape[-k]} at {-k}! Mismatching "
                f"argument at index 1 had {Size(wshape)}; but expected shape should be "
                f"broadcastable to {list(padded)}")
    _check_fits(shape, shape, wshape)


def _check_not_differentiable(fn: str, **tensors: Tensor | None) -> None:
    if not _GradState.enabled:
        return
    for name, t in tensors.items():
        if t is not None and t.requires_grad:
            raise RuntimeError(f"The function '{fn}' is not differentiable with respect to "
                               f"argument '{name}'. This input cannot have requires_grad True.")


def _warn_if_broadcasting(input: Tensor, target: Tensor) -> None:
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)


def _not_implemented(kernel: str, t: Tensor) -> NotImplementedError:
    return NotImplementedError(f'"{kernel}" not implemented for \'{_legacy_name(t.dtype)}\'')
