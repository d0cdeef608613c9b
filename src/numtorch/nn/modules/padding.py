"""Padding layers: constant (and zero), reflection, replication and circular, in 1-3 dims.

All fifteen are one class, ``_PadNd``, told its mode and rank by a class statement
(``class ReflectionPad2d(_PadNd, mode="reflect", rank=2)``); each is a thin shell over
``F.pad`` with torch's arguments, attributes and repr.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


class _PadNd(Module):
    """``F.pad(input, padding, mode)`` over the last ``rank`` dims.

    Args:
        padding: an int pads every side by it; else ``2 * rank`` ints, (left, right) of the
            last dim first, then (top, bottom), then (front, back). As in torch, the count is
            checked only when the layer runs, by ``F.pad``.

    Shape: input (N, C, *spatial) or (C, *spatial), ``rank`` spatial dims -> each padded.
    """

    _mode = "constant"
    _rank = 1

    def __init_subclass__(cls, mode: str | None = None, rank: int | None = None,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if mode is not None:
            cls._mode = mode
        if rank is not None:
            cls._rank = rank

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__()
        # torch's _ntuple: any iterable becomes a tuple as it is, anything else is repeated
        if isinstance(padding, Iterable):
            self.padding = tuple(padding)
        else:
            self.padding = (padding,) * (2 * self._rank)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_PadNd, mode="circular"):
    def forward(self, input: Tensor) -> Tensor:
        # torch's circular layers (not F.pad) insist on a batched or unbatched input
        if input.dim() not in (self._rank + 1, self._rank + 2):
            raise ValueError(f"expected {self._rank + 1}D or {self._rank + 2}D input (got "
                             f"{input.dim()}D input)")
        return super().forward(input)


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: int | Sequence[int], value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd, rank=1):
    """Pad the last dim with ``value``; ``padding`` an int or (left, right)."""


class ConstantPad2d(_ConstantPadNd, rank=2):
    """Pad the last 2 dims with ``value``; ``padding`` an int or (left, right, top, bottom)."""


class ConstantPad3d(_ConstantPadNd, rank=3):
    """Pad the last 3 dims with ``value``; ``padding`` an int or 6 ints (left, right, top,
    bottom, front, back)."""


class _ZeroPad(_ConstantPadNd):
    """``ConstantPadNd(padding, 0.0)``, printed without the value; placed before the
    ConstantPadNd it specialises, so that it stays an instance of it, as in torch."""

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    """Pad the last dim with zeros; ``padding`` an int or (left, right).

    >>> nn.ZeroPad1d((1, 2))(torch.ones(1, 2))
    tensor([[0., 1., 1., 0., 0.]])
    """


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    """Pad the last 2 dims with zeros; ``padding`` an int or (left, right, top, bottom)."""


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    """Pad the last 3 dims with zeros; ``padding`` an int or 6 ints."""


class ReflectionPad1d(_PadNd, mode="reflect", rank=1):
    """Pad the last dim by mirroring the input at its edges (the edge not repeated)."""


class ReflectionPad2d(_PadNd, mode="reflect", rank=2):
    """Pad the last 2 dims by mirroring the input at its edges (the edge not repeated)."""


class ReflectionPad3d(_PadNd, mode="reflect", rank=3):
    """Pad the last 3 dims by mirroring the input at its edges (the edge not repeated)."""


class ReplicationPad1d(_PadNd, mode="replicate", rank=1):
    """Pad the last dim by repeating the edge values."""


class ReplicationPad2d(_PadNd, mode="replicate", rank=2):
    """Pad the last 2 dims by repeating the edge values."""


class ReplicationPad3d(_PadNd, mode="replicate", rank=3):
    """Pad the last 3 dims by repeating the edge values."""


class CircularPad1d(_CircularPadNd, rank=1):
    """Pad the last dim by wrapping the input around (a 2D or 3D input)."""


class CircularPad2d(_CircularPadNd, rank=2):
    """Pad the last 2 dims by wrapping the input around (a 3D or 4D input)."""


class CircularPad3d(_CircularPadNd, rank=3):
    """Pad the last 3 dims by wrapping the input around (a 4D or 5D input)."""
