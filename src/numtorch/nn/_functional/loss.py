"""Losses of ``nn.functional``.

The fused losses (``binary_cross_entropy(_with_logits)``, ``mse_loss``, ``nll_loss``,
``smooth_l1_loss``, ``huber_loss``) are one primitive each, so their ``grad_fn`` is torch's;
``l1_loss``, ``kl_div``, the weighted variants and ``cross_entropy`` (log_softmax + nll_loss, or
the probabilities form) are built from ordinary ops, as torch builds them.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ... import _dtype
from ... import _functions as _ops
from ..._composites._util import _legacy_name
from ..._creation import zeros_like
from ..._primitives import loss as _loss
from ..._tensor import Tensor
from ._util import (
    _check_expandable,
    _check_fits,
    _check_not_differentiable,
    _not_implemented,
    _reduce,
    _reduction,
    _warn_if_broadcasting,
)

__all__ = ["binary_cross_entropy_with_logits", "binary_cross_entropy", "mse_loss", "l1_loss",
           "nll_loss", "cross_entropy", "smooth_l1_loss", "huber_loss", "kl_div"]


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Binary cross entropy between ``sigmoid(input)`` and ``target``, computed stably from the
    logits: ``(1 - t) x + (1 + (pos_weight - 1) t) log(1 + exp(-x))``, times ``weight``.

    Args:
        input: logits, any shape. target: same shape, values in [0, 1].
        weight: rescales each element (broadcast to ``input``). pos_weight: weight of the
            positive term, broadcast along the trailing dims (one value per class).
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``.

    >>> F.binary_cross_entropy_with_logits(torch.zeros(3), torch.ones(3))  # log 2
    tensor(0.6931)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    _check_not_differentiable("binary_cross_entropy_with_logits", weight=weight,
                              pos_weight=pos_weight)
    if not input.is_floating_point():
        raise _not_implemented("log_sigmoid_cpu", input)
    if pos_weight is not None:
        _check_fits(input.shape, tuple(pos_weight.shape), tuple(target.shape))
    _check_target_dtype(target)
    if weight is not None:
        _check_fits(input.shape, tuple(input.shape), tuple(weight.shape))
    return _loss.BinaryCrossEntropyWithLogits.apply(
        input, target, weight=_array(weight), pos_weight=_array(pos_weight), reduction=reduction)


def _check_target_dtype(target: Tensor) -> None:
    """torch computes ``(1 - target) * input`` into a tensor of the target's dtype."""
    if target.dtype is _dtype.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if not target.is_floating_point():
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{_legacy_name(target.dtype)}")


def _array(t: Tensor | None) -> Any:
    return None if t is None else t._data


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross entropy between probabilities ``input`` and ``target`` (both in [0, 1]):
    ``-w [t log x + (1 - t) log(1 - x)]``, each log clamped to >= -100 as in torch.

    Prefer :func:`binary_cross_entropy_with_logits` on logits: it is stable for any value.

    >>> F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0]))
    tensor(0.6931)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input "
                         f"size ({input.size()}) is deprecated. Please ensure they have the same "
                         "size.")
    if weight is not None:
        _check_expandable(weight, tuple(input.shape))
    _check_not_differentiable("binary_cross_entropy", weight=weight)
    if not input.is_floating_point():
        raise _not_implemented("binary_cross_entropy", input)
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {_legacy_name(target.dtype)} but expected "
                           f"{_legacy_name(input.dtype)}")
    return _loss.BinaryCrossEntropy.apply(input, target, weight=_array(weight),
                                          reduction=reduction)


def _pointwise_dtype(input: Tensor, target: Tensor, kernel: str) -> Any:
    dt = _dtype.result_type(input, target)
    if not dt.is_floating_point:
        raise _not_implemented(kernel, input)
    return dt.np


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error ``(input - target)^2``, reduced; ``weight`` (input's shape) makes the
    mean a weighted one, ``sum(w l) / sum(w)``.

    A target of another size is broadcast, with torch's warning (usually a bug: an (N, 1)
    prediction against an (N,) target gives an (N, N) loss).

    >>> F.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
    tensor(2.)
    """
    _warn_if_broadcasting(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if weight is not None:
        return _weighted((input - target) ** 2, input, weight, reduction)
    dt = _pointwise_dtype(input, target, "mse_cpu")
    return _loss.MseLoss.apply(input, target, reduction=reduction, dtype=dt)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean absolute error ``|input - target|``, reduced (weighted as in :func:`mse_loss`).

    >>> F.l1_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
    tensor(1.)
    """
    _warn_if_broadcasting(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if weight is not None:
        return _weighted((input - target).abs(), input, weight, reduction)
    return _reduce((input - target).abs(), reduction)


def _weighted(loss: Tensor, input: Tensor, weight: Tensor, reduction: str) -> Tensor:
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "mean":
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """Quadratic for small errors, linear for large: ``0.5 d^2 / beta`` where ``|d| < beta``,
    else ``|d| - 0.5 beta`` (``d = input - target``). ``beta=0`` is :func:`l1_loss`.

    >>> F.smooth_l1_loss(torch.tensor([0.5, 3.0]), torch.zeros(2))
    tensor(1.3125)
    """
    _warn_if_broadcasting(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return _reduce((input - target).abs(), reduction)
    dt = _pointwise_dtype(input, target, "smooth_l1_cpu")
    return _loss.SmoothL1Loss.apply(input, target, reduction=reduction, beta=beta, dtype=dt)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 d^2`` where ``|d| <= delta``, else ``delta (|d| - 0.5 delta)``: smooth_l1_loss
    times ``delta`` (with ``beta = delta``). ``weight`` as in :func:`mse_loss`.

    >>> F.huber_loss(torch.tensor([0.5, 3.0]), torch.zeros(2), delta=2.0)
    tensor(2.0625)
    """
    _warn_if_broadcasting(input, target)
    reduction = _reduction(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:  # unlike mse_loss's, the weighted mean is a plain mean
        if weight.size() != input.size():
            raise ValueError("Weights and input must have the same size.")
        d = (input - target).abs()
        loss = _ops.where(d <= delta, 0.5 * d * d, delta * (d - 0.5 * delta))
        return _reduce(loss * weight, reduction)
    dt = _pointwise_dtype(input, target, "huber_cpu")
    return _loss.HuberLoss.apply(input, target, reduction=reduction, delta=delta, dtype=dt)


_KL_MEAN_WARNING = (
    "reduction: 'mean' divides the total loss by both the batch size and the support size."
    "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
    "'mean' will be changed to behave the same as 'batchmean' in the next major release.")


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence ``target (log target - input)`` with ``input`` holding
    log-probabilities (``target`` too when ``log_target``), where ``0 log 0 = 0``.

    ``reduction='batchmean'`` (sum over everything / batch size) is the mathematical KL
    divergence; ``'mean'`` divides by the element count and warns, as torch does.

    >>> F.kl_div(torch.tensor([0.5, 0.5]).log(), torch.tensor([0.5, 0.5]), reduction='sum')
    tensor(0.)
    """
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn(_KL_MEAN_WARNING, UserWarning, stacklevel=2)
    elif reduction not in ("batchmean", "none", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        # xlogy: 0 log 0 = 0, so a zero target contributes nothing
        t_log_t = _ops.where(target > 0, target * target.log(), zeros_like(target))
        loss = t_log_t - target * input
    if reduction == "batchmean":
        return loss.sum() / input.size(0) if input.dim() else loss.sum()
    return _reduce(loss, reduction)


# -- negative log likelihood and cross entropy ---------------------------------------------------
def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood: ``-weight[t] input[n, t]`` for each target class index ``t``.

    Args:
        input: log-probabilities, (C,), (N, C) or (N, C, d1, ..., dK).
        target: class indices (int64 or uint8), (), (N,) or (N, d1, ..., dK).
        weight: one weight per class; ``'mean'`` then divides by the weights' sum.
        ignore_index: targets equal to it contribute nothing (nor to the mean's count).

    >>> F.nll_loss(torch.tensor([[-1.0, -2.0]]), torch.tensor([1]))
    tensor(2.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    _check_nll(input, target, weight)
    ndim = input.dim()
    if ndim == 3 or ndim > 4:  # torch folds the extra dims into a 4-D (N, C, 1, rest) call
        n, c = input.shape[0], input.shape[1]
        rest = math.prod(input.shape[2:])
        out = _nll(input.reshape(n, c, 1, rest), target.reshape(n, 1, rest), weight,
                   ignore_index, reduction)
        return out.view(target.shape) if reduction == "none" else out
    return _nll(input, target, weight, ignore_index, reduction)


def _nll(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int,
         reduction: str) -> Tensor:
    return _loss.NllLoss.apply(input, target=target._data,
                               weight=None if weight is None else weight._data,
                               ignore_index=ignore_index, reduction=reduction)


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    shape, tshape = input._data.shape, target._data.shape
    ndim, tdim = len(shape), len(tshape)
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    if ndim > 1 and tdim and shape[0] != tshape[0]:
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target "
                         f"batch_size ({tshape[0]}).")
    if ndim > 1:  # torch checks the target's shape first, except for a 1-D input
        _check_nll_target_shape(shape, tshape)
    if target.dtype not in (_dtype.int64, _dtype.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{_legacy_name(target.dtype)}")
    if ndim == 1:
        _check_nll_target_shape(shape, tshape)
    n_classes = shape[min(1, ndim - 1)]
    if weight is not None:
        if weight.dim() != 1 or weight.numel() != n_classes:
            raise RuntimeError(f"weight tensor should be defined either for all {n_classes} "
                               "classes or no classes but got weight tensor of shape: "
                               f"{list(weight.shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {_legacy_name(input.dtype)} but found "
                               f"{_legacy_name(weight.dtype)}")
        _check_not_differentiable("nll_loss_forward", weight=weight)
    if not input.is_floating_point():
        raise _not_implemented("nll_loss_out_frame", input)


def _check_nll_target_shape(shape: tuple, tshape: tuple) -> None:
    ndim = len(shape)
    if ndim == 1:
        if len(tshape) > 1 or (tshape and tshape[0] != 1):
            raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                             f"{tshape[0] if tshape else 0}")
    elif ndim == 2:
        if len(tshape) != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif ndim == 4:
        if len(tshape) != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {len(tshape)}")
        if tshape != shape[:1] + shape[2:]:
            raise RuntimeError(f"size mismatch (got input: {list(shape)} , target: "
                               f"{list(tshape)}")
    elif tshape != shape[:1] + shape[2:]:
        raise RuntimeError(f"Expected target size {list(shape[:1] + shape[2:])}, got "
                           f"{list(tshape)}")


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy between the softmax of the logits ``input`` and ``target``:
    ``nll_loss(log_softmax(input, 1), target)`` for class indices, or
    ``-sum(target * log_softmax(input, 1), 1)`` for class probabilities (a float target of
    the input's shape).

    Args:
        input: logits, (C,), (N, C) or (N, C, d1, ..., dK).
        target: class indices ((), (N,) or (N, d1, ..., dK); int64 or uint8) or probabilities.
        weight: one weight per class. ignore_index: a target index that contributes nothing.
        label_smoothing: in [0, 1]; mixes the target with the uniform distribution.

    >>> F.cross_entropy(torch.zeros(1, 4), torch.tensor([2]))  # log 4
    tensor(1.3863)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.dim() == 1 else 1
    if input._data.shape == target._data.shape:
        return _cross_entropy_probs(input, target, weight, ignore_index, reduction,
                                    label_smoothing, class_dim)
    logp = _ops.log_softmax(input, class_dim)
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0:
        return loss
    return _smoothed(loss, logp, target, weight, ignore_index, reduction, label_smoothing,
                     class_dim)


def _class_weight(weight: Tensor, ndim: int, class_dim: int) -> Tensor:
    """``weight`` shaped to broadcast along the class dim of an ``ndim``-D input."""
    return weight.reshape((-1,) + (1,) * (ndim - class_dim - 1))


def _smoothed(nll: Tensor, logp: Tensor, target: Tensor, weight: Tensor | None,
              ignore_index: int, reduction: str, eps: float, class_dim: int) -> Tensor:
    """Label smoothing for class indices: (1 - eps) nll + eps / C * (uniform-target loss),
    where the uniform part is weighted per class and zero at ignored targets."""
    n_classes = logp.shape[class_dim]
    if weight is not None:
        logp = logp * _class_weight(weight, logp.dim(), class_dim)
    ignored = target == ignore_index
    smooth = (-logp.sum(class_dim)).masked_fill(ignored, 0.0)
    if reduction == "mean":
        keep = ~ignored._data
        if weight is None:
            total = keep.sum()
        else:
            total = weight._data[np.where(keep, target._data, 0)][keep].sum()
        smooth = smooth.sum() / Tensor._make(np.asarray(total, dtype=logp._data.dtype))
    else:
        smooth = _reduce(smooth, reduction)
    return nll * (1 - eps) + smooth * (eps / n_classes)


def _cross_entropy_probs(input: Tensor, target: Tensor, weight: Tensor | None,
                         ignore_index: int, reduction: str, eps: float,
                         class_dim: int) -> Tensor:
    if not target.is_floating_point():
        raise RuntimeError("Expected floating point type for target with class probabilities, "
                           f"got {_legacy_name(target.dtype)}")
    if ignore_index != -100:
        raise RuntimeError("ignore_index is not supported for floating point target")
    n_classes = input.shape[class_dim]
    logp = _ops.log_softmax(input, class_dim)
    if eps > 0:
        target = target * (1 - eps) + eps / n_classes
    if weight is not None:
        logp = logp * _class_weight(weight, input.dim(), class_dim)
    loss = -(logp * target).sum(class_dim)
    return _reduce(loss, reduction)  # the mean over (N, d1, ...): nan for an empty batch
