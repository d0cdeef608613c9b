"""Padding layers: constant (and zero), reflection, replication and circular, in 1-3 dims."""

from __future__ import annotations

from collections.abc import Sequence

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


class _Pad(Module):
    """``F.pad(input, padding, mode)``; an int ``padding`` pads every side by it."""

    mode = "constant"
    n_dims = 1

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__()
        if isinstance(padding, int):
            padding = (padding,) * (2 * self.n_dims)
        self.padding = tuple(padding)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPad(_Pad):
    def __init__(self, padding: int | Sequence[int], value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPad):
    """Pad the last dim with ``value``."""


class ConstantPad2d(_ConstantPad):
    """Pad the last 2 dims with ``value``."""

    n_dims = 2


class ConstantPad3d(_ConstantPad):
    """Pad the last 3 dims with ``value``."""

    n_dims = 3


class _ZeroPad(_ConstantPad):
    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad):
    """Pad the last dim with zeros."""


class ZeroPad2d(_ZeroPad):
    """Pad the last 2 dims with zeros."""

    n_dims = 2


class ZeroPad3d(_ZeroPad):
    """Pad the last 3 dims with zeros."""

    n_dims = 3


class ReflectionPad1d(_Pad):
    """Pad the last dim by mirroring the input at its edges (the edge not repeated)."""

    mode = "reflect"


class ReflectionPad2d(_Pad):
    """Pad the last 2 dims by mirroring the input at its edges (the edge not repeated)."""

    mode = "reflect"
    n_dims = 2


class ReflectionPad3d(_Pad):
    """Pad the last 3 dims by mirroring the input at its edges (the edge not repeated)."""

    mode = "reflect"
    n_dims = 3


class ReplicationPad1d(_Pad):
    """Pad the last dim by repeating the edge values."""

    mode = "replicate"


class ReplicationPad2d(_Pad):
    """Pad the last 2 dims by repeating the edge values."""

    mode = "replicate"
    n_dims = 2


class ReplicationPad3d(_Pad):
    """Pad the last 3 dims by repeating the edge values."""

    mode = "replicate"
    n_dims = 3


class CircularPad1d(_Pad):
    """Pad the last dim by wrapping the input around."""

    mode = "circular"


class CircularPad2d(_Pad):
    """Pad the last 2 dims by wrapping the input around."""

    mode = "circular"
    n_dims = 2


class CircularPad3d(_Pad):
    """Pad the last 3 dims by wrapping the input around."""

    mode = "circular"
    n_dims = 3
