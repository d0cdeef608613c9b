"""Batch normalization layers: BatchNorm1d, BatchNorm2d, BatchNorm3d."""

from __future__ import annotations

from typing import Any

from ... import _dtype
from ..._creation import empty, ones, tensor, zeros
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


class _NormBase(Module):
    """What batch and instance norm share (torch's ``_NormBase``): ``num_features``
    channels, an optional per-channel affine map (weight 1, bias 0 at start) and optional
    running statistics (``running_mean`` 0, ``running_var`` 1, ``num_batches_tracked``)."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats

        def parameter(wanted: bool) -> Parameter | None:
            return Parameter(empty(num_features, device=device, dtype=dtype)) if wanted else None

        self.register_parameter("weight", parameter(affine))
        self.register_parameter("bias", parameter(affine and bias))
        tracked = track_running_stats
        self.register_buffer("running_mean", zeros(num_features, dtype=dtype) if tracked else None)
        self.register_buffer("running_var", ones(num_features, dtype=dtype) if tracked else None)
        self.register_buffer("num_batches_tracked",
                             tensor(0, dtype=_dtype.int64) if tracked else None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    """Normalize each channel over the batch (and spatial dims), then a per-channel affine
    map (weight 1, bias 0 at start).

    In training the batch's statistics are used and the running ones follow them:
    ``running = (1 - momentum) running + momentum batch_stat`` (the variance unbiased), or
    with ``momentum=None`` their cumulative average over ``num_batches_tracked`` batches.
    In eval mode the running statistics are used (the batch's, without
    ``track_running_stats``).
    """

    _dims: tuple[int, ...] = ()
    _expected = ""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in self._dims:
            raise ValueError(f"expected {self._expected} input (got {input.dim()}D input)")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        # eval mode without running statistics normalizes with the batch's own
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if track else None,
                            self.running_var if track else None, self.weight, self.bias,
                            use_batch, factor, self.eps)

class BatchNorm1d(_BatchNorm):
    """Batch norm of (N, C) or (N, C, L) inputs.

    >>> nn.BatchNorm1d(4)
    BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    """

    _dims, _expected = (2, 3), "2D or 3D"


class BatchNorm2d(_BatchNorm):
    """Batch norm of (N, C, H, W) inputs."""

    _dims, _expected = (4,), "4D"


class BatchNorm3d(_BatchNorm):
    """Batch norm of (N, C, D, H, W) inputs."""

    _dims, _expected = (5,), "5D"
