"""Convolution layers: Conv1d/2d/3d and ConvTranspose1d/2d/3d, thin shells over ``F.conv*``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..._creation import empty
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
           "ConvTranspose3d"]

IntOrTuple = int | Sequence[int]
_PADDING_MODES = ("circular", "reflect", "replicate", "zeros")


def _ntuple(value: Any, n: int) -> tuple:
    """torch's ``_ntuple``: an iterable as a tuple (a string too, letter by letter), anything
    else repeated n times."""
    if isinstance(value, (str, Sequence)):
        return tuple(value)
    return (value,) * n


class _ConvNd(Module):
    """What the convolution layers share: checked arguments, parameters, init and repr.

    ``weight`` is (out_channels, in_channels / groups, *kernel_size), or for a transposed
    convolution (in_channels, out_channels / groups, *kernel_size); ``bias`` (out_channels,).
    """

    n_dims = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                 stride: IntOrTuple, padding: IntOrTuple | str, dilation: IntOrTuple,
                 transposed: bool, output_padding: IntOrTuple, groups: int, bias: bool,
                 padding_mode: str, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        n = self.n_dims
        kernel_size, stride, dilation = (_ntuple(v, n) for v in (kernel_size, stride, dilation))
        padding = padding if isinstance(padding, str) and not transposed else _ntuple(padding, n)
        _check_arguments(in_channels, out_channels, groups, padding, stride, padding_mode)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.transposed = dilation, transposed
        self.output_padding = _ntuple(output_padding, n)
        self.groups, self.padding_mode = groups, padding_mode
        self._reversed_padding_repeated_twice = _reversed_padding(padding, kernel_size,
                                                                  dilation)
        shape = (in_channels, out_channels // groups) if transposed else \
            (out_channels, in_channels // groups)
        self.weight = Parameter(empty(shape + kernel_size, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # torch's default: kaiming_uniform_(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


def _check_arguments(in_channels: int, out_channels: int, groups: int, padding: Any,
                     stride: tuple, padding_mode: str) -> None:
    if groups <= 0:
        raise ValueError("groups must be a positive integer")
    if in_channels % groups != 0:
        raise ValueError("in_channels must be divisible by groups")
    if out_channels % groups != 0:
        raise ValueError("out_channels must be divisible by groups")
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                             "{'same', 'valid'}")
        if padding == "same" and any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {{{', '.join(map(repr, _PADDING_MODES))}}}"
                         f", but got padding_mode='{padding_mode}'")


def _reversed_padding(padding: tuple | str, kernel_size: tuple,
                      dilation: tuple) -> list | tuple:
    """The ``F.pad`` argument for the non-zero padding modes: last dim first, (left, right)."""
    if padding == "valid":
        return [0, 0] * len(kernel_size)
    if padding == "same":
        pads = []
        for d, k in zip(reversed(dilation), reversed(kernel_size)):
            total = d * (k - 1)
            pads += [total // 2, total - total // 2]
        return pads
    return tuple(p for p in reversed(padding) for _ in range(2))  # torch: a tuple here


class _Conv(_ConvNd):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                 stride: IntOrTuple = 1, padding: IntOrTuple | str = 0,
                 dilation: IntOrTuple = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         False, 0, groups, bias, padding_mode, device, dtype)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.n_dims - 1]
        if self.padding_mode != "zeros":
            padded = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return conv(padded, weight, bias, self.stride, 0, self.dilation, self.groups)
        return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """1-D convolution (cross-correlation) over (N, C_in, L) or (C_in, L): ``F.conv1d``.

    Args: in_channels, out_channels, kernel_size, stride=1, padding=0 (an int, 'valid' or
    'same'), dilation=1, groups=1, bias=True, padding_mode='zeros' ('reflect', 'replicate',
    'circular').

    >>> nn.Conv1d(2, 4, 3)
    Conv1d(2, 4, kernel_size=(3,), stride=(1,))
    """

    n_dims = 1


class Conv2d(_Conv):
    """2-D convolution (cross-correlation) over (N, C_in, H, W) or (C_in, H, W): ``F.conv2d``.

    Args: in_channels, out_channels, kernel_size, stride=1, padding=0 (int, pair, 'valid' or
    'same'), dilation=1, groups=1, bias=True, padding_mode='zeros' ('reflect', 'replicate',
    'circular').

    Shape: output H_out = (H + 2 padding - dilation (kernel - 1) - 1) // stride + 1.

    >>> nn.Conv2d(1, 32, 3)
    Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))
    """

    n_dims = 2


class Conv3d(_Conv):
    """3-D convolution over (N, C_in, D, H, W) or (C_in, D, H, W): ``F.conv3d``."""

    n_dims = 3


class _ConvTranspose(_ConvNd):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrTuple,
                 stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                 output_padding: IntOrTuple = 0, groups: int = 1, bias: bool = True,
                 dilation: IntOrTuple = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f"{type(self).__name__}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         True, output_padding, groups, bias, padding_mode, device, dtype)

    def _output_padding(self, input: Tensor, output_size: Sequence[int] | None,
                        stride: tuple, padding: tuple, kernel_size: tuple,
                        num_spatial_dims: int, dilation: tuple | None = None) -> tuple:
        """The output_padding that makes the output ``output_size`` (which may include the
        batch and channel dims); without one, the layer's own."""
        if output_size is None:
            return self.output_padding
        leading = 2 if input.dim() == num_spatial_dims + 2 else 1
        sizes = list(output_size)
        if len(sizes) == leading + num_spatial_dims:
            sizes = sizes[leading:]
        if len(sizes) != num_spatial_dims:
            raise ValueError(f"ConvTranspose{num_spatial_dims}D: for {input.dim()}D input, "
                             f"output_size must have {num_spatial_dims} or "
                             f"{leading + num_spatial_dims} elements (got {len(output_size)})")
        low = [(input.size(d + leading) - 1) * stride[d] - 2 * padding[d]
               + (dilation[d] if dilation else 1) * (kernel_size[d] - 1) + 1
               for d in range(num_spatial_dims)]
        high = [lo + s - 1 for lo, s in zip(low, stride)]
        for size, lo, hi in zip(sizes, low, high):
            if not lo <= size <= hi:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {low} to {high} (for an input of "
                                 f"{input.size()[2:]})")
        return tuple(size - lo for size, lo in zip(sizes, low))

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        output_padding = self._output_padding(input, output_size, self.stride, self.padding,
                                              self.kernel_size, self.n_dims, self.dilation)
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.n_dims - 1]
        return conv(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                    self.groups, self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution over (N, C_in, L) or (C_in, L): ``F.conv_transpose1d``.

    >>> nn.ConvTranspose1d(2, 4, 3)
    ConvTranspose1d(2, 4, kernel_size=(3,), stride=(1,))
    """

    n_dims = 1


class ConvTranspose2d(_ConvTranspose):
    """2-D transposed convolution ("deconvolution") over (N, C_in, H, W) or (C_in, H, W):
    ``F.conv_transpose2d``. ``forward(input, output_size=None)`` picks the output_padding
    that gives ``output_size`` when a stride makes the size ambiguous.

    Args: in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
    groups=1, bias=True, dilation=1.

    >>> nn.ConvTranspose2d(16, 8, 3, stride=2)
    ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2))
    """

    n_dims = 2


class ConvTranspose3d(_ConvTranspose):
    """3-D transposed convolution over (N, C_in, D, H, W) or (C_in, D, H, W)."""

    n_dims = 3
