"""LayerNorm, GroupNorm and RMSNorm."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from ..._creation import empty
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "RMSNorm"]


def _as_shape(normalized_shape: int | Sequence[int]) -> tuple[int, ...]:
    """torch's normalized_shape: an integer (a NumPy one too) is one dim, else a tuple."""
    if isinstance(normalized_shape, numbers.Integral):
        return (normalized_shape,)
    return tuple(normalized_shape)


def _affine_parameters(module: Module, shape: tuple[int, ...], affine: bool,
                       bias: bool | None, device: Any, dtype: Any) -> None:
    """Register ``weight`` then ``bias``, torch's order: Parameters of ``shape`` when
    ``affine`` (``bias`` only when asked for), else None placeholders. ``bias=None``
    registers no bias at all (RMSNorm has none). Values come from ``_reset_affine``."""
    def parameter(wanted: bool) -> Parameter | None:
        return Parameter(empty(shape, device=device, dtype=dtype)) if affine and wanted else None

    module.register_parameter("weight", parameter(True))
    if bias is not None:
        module.register_parameter("bias", parameter(bias))


def _reset_affine(module: Module) -> None:
    """The identity map: weight 1, bias (if any) 0."""
    if module.weight is not None:
        init.ones_(module.weight)
    if getattr(module, "bias", None) is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    """Normalize the last dims (``normalized_shape``) of each sample to mean 0, variance 1,
    then an elementwise affine map (weight 1, bias 0 at start).

    Shape: input (*, *normalized_shape) -> same shape.

    >>> nn.LayerNorm(4)(torch.randn(2, 4)).shape
    torch.Size([2, 4])
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine="
                f"{self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """Normalize groups of ``num_channels / num_groups`` channels of each sample, then a
    per-channel affine map (weight 1, bias 0 at start).

    Shape: input (N, C, *) -> same shape.

    >>> nn.GroupNorm(2, 4)(torch.randn(3, 4, 5)).shape
    torch.Size([3, 4, 5])
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        _affine_parameters(self, (num_channels,), affine, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class RMSNorm(Module):
    """Scale the last dims by the inverse root mean square, then by a weight (1 at start).

    >>> nn.RMSNorm(4)(torch.randn(2, 4)).shape
    torch.Size([2, 4])
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float | None = None,
                 elementwise_affine: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, None, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
