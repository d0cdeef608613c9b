"""Convolutions of ``nn.functional``: conv1d/2d/3d, conv_transpose1d/2d/3d, unfold and fold.

The argument checks follow torch's order and words; the work is one primitive each
(``_primitives.conv``). An unbatched input is given a batch dim of 1 and loses it again,
as torch does (so its ``grad_fn`` is ``SqueezeBackward1``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from ..._primitives.conv import Col2Im, Convolution, ConvTranspose, Im2Col
from ..._tensor import _C_TYPE, _SCALAR_NAME, _TORCH_TYPE_NAMES, Tensor

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold"]

IntOrTuple = int | Sequence[int]


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
           padding: IntOrTuple | str = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation over an input of (N, C_in, L) or (C_in, L).

    Shape: weight (C_out, C_in / groups, k), bias (C_out,) -> (N, C_out, L_out) with
    L_out = (L + 2 padding - dilation (k - 1) - 1) // stride + 1.

    >>> F.conv1d(torch.ones(1, 2, 5), torch.ones(3, 2, 3)).shape
    torch.Size([1, 3, 3])
    """
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
           padding: IntOrTuple | str = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation over an input of (N, C_in, H, W) or (C_in, H, W).

    Args:
        stride, dilation: an int or one per spatial dim.
        padding: an int, one per dim, ``'valid'`` (none) or ``'same'`` (output as large as
            the input; stride 1 only; an odd total puts the extra pixel after).
        groups: split the channels into this many independent convolutions.

    Shape: weight (C_out, C_in / groups, kH, kW), bias (C_out,) -> (N, C_out, H_out, W_out).

    >>> F.conv2d(torch.ones(1, 1, 5, 5), torch.ones(2, 1, 3, 3), padding=1).shape
    torch.Size([1, 2, 5, 5])
    """
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
           padding: IntOrTuple | str = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """3-D cross-correlation over an input of (N, C_in, D, H, W) or (C_in, D, H, W).

    >>> F.conv3d(torch.ones(1, 1, 4, 4, 4), torch.ones(2, 1, 3, 3, 3)).shape
    torch.Size([1, 2, 2, 2, 2])
    """
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                     output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The gradient of conv1d with respect to its input, as an op ("deconvolution").

    Shape: (N, C_in, L) with weight (C_in, C_out / groups, k) -> (N, C_out, L_out),
    L_out = (L - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1.

    >>> F.conv_transpose1d(torch.ones(1, 2, 4), torch.ones(2, 3, 3), stride=2).shape
    torch.Size([1, 3, 9])
    """
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding,
                           output_padding, groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                     output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The gradient of conv2d with respect to its input, as an op ("deconvolution").

    Shape: (N, C_in, H, W) with weight (C_in, C_out / groups, kH, kW) -> (N, C_out, H_out,
    W_out), H_out = (H - 1) stride - 2 padding + dilation (kH - 1) + output_padding + 1.

    >>> F.conv_transpose2d(torch.ones(1, 2, 4, 4), torch.ones(2, 3, 3, 3), stride=2).shape
    torch.Size([1, 3, 9, 9])
    """
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding,
                           output_padding, groups, dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: IntOrTuple = 1, padding: IntOrTuple = 0,
                     output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The gradient of conv3d with respect to its input, as an op.

    >>> F.conv_transpose3d(torch.ones(1, 2, 2, 2, 2), torch.ones(2, 3, 2, 2, 2)).shape
    torch.Size([1, 3, 3, 3, 3])
    """
    return _conv_transpose("conv_transpose3d", 3, input, weight, bias, stride, padding,
                           output_padding, groups, dilation)


# -- checks, in torch's order and words ------------------------------------------------------
def _as_list(value: IntOrTuple, nd: int) -> list:
    return [int(value)] * nd if isinstance(value, int) else [int(v) for v in value]


def _per_dim(name: str, value: IntOrTuple, nd: int, k: int) -> tuple:
    """``value`` (an int, made ``nd`` long as the functional's dims) for the ``k`` spatial
    dims of the weight; torch names the list it got when the lengths disagree."""
    values = _as_list(value, nd)
    if len(values) == 1:
        values = values * k
    if len(values) != k:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {k} "
                           "values to match the convolution dimensions, but got "
                           f"{name}={values}")
    return tuple(values)


def _check_input(name: str, nd: int, input: Tensor) -> bool:
    """Whether the input is batched; torch's error for a wrong number of dims."""
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")
    return input.dim() == nd + 2


def _check_geometry(stride: tuple, padding: tuple, dilation: tuple, groups: int) -> None:
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")


def _check_weight(x: Tensor, weight: Tensor, bias: Tensor | None, groups: int,
                  transposed: bool) -> None:
    wshape = list(weight.shape)
    if wshape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{wshape}] instead")
    expected = wshape[0] if transposed else wshape[1] * groups
    if x.shape[1] != expected:
        given = f"transposed=1, weight of size {wshape}" if transposed else \
            f"groups={groups}, weight of size {wshape}"
        raise RuntimeError(f"Given {given}, expected input{list(x.shape)} to have {expected} "
                           f"channels, but got {x.shape[1]} channels instead")
    n_out = wshape[1] * groups if transposed else wshape[0]
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != n_out):
        prefix = "transposed=1, weight" if transposed else "weight"
        raise RuntimeError(f"Given {prefix} of size {wshape}, expected bias to be 1-dimensional "
                           f"with {n_out} elements, but got bias of size {list(bias.shape)} "
                           "instead")


def _check_kernel_fits(x: Tensor, weight: Tensor, padding: tuple, dilation: tuple) -> None:
    size = [n + lo + hi for n, (lo, hi) in zip(x.shape[2:], padding)]
    kernel = [d * (k - 1) + 1 for k, d in zip(weight.shape[2:], dilation)]
    if any(k > n for k, n in zip(kernel, size)):
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, size))}). Kernel size: "
                           f"({' x '.join(map(str, kernel))}). Kernel size can't be greater "
                           "than actual input size")


def _check_dtypes(x: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    xd, wd = str(x._data.dtype), str(weight._data.dtype)
    if xd != wd:
        if xd in ("float32", "float16"):
            raise RuntimeError(f"Input type ({_TORCH_TYPE_NAMES[xd]}) and weight type "
                               f"({_TORCH_TYPE_NAMES[wd]}) should be the same or input should be "
                               "a MKLDNN tensor and weight is a dense tensor")
        raise RuntimeError(f"expected scalar type {_SCALAR_NAME[xd]} but found "
                           f"{_SCALAR_NAME[wd]}")
    if bias is not None and str(bias._data.dtype) != xd:
        raise RuntimeError(f"Input type ({_C_TYPE[xd]}) and bias type "
                           f"({_C_TYPE[str(bias._data.dtype)]}) should be the same")
    if xd == "bool":
        raise NotImplementedError(f"\"slow_conv{x.dim() - 2}d_cpu\" not implemented for 'Bool'")


def _padding_pairs(padding: tuple | str, weight: Tensor, stride: tuple,
                   dilation: tuple) -> tuple:
    """(before, after) per dim; 'same' splits d (k - 1) with the odd pixel after."""
    if not isinstance(padding, str):
        return tuple((p, p) for p in padding)
    if padding == "valid":
        return ((0, 0),) * len(stride)
    if padding != "same":
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    totals = [d * (size - 1) for size, d in zip(weight.shape[2:], dilation)]
    if any(t % 2 for t in totals):
        warnings.warn("Using padding='same' with even kernel lengths and odd dilation may "
                      "require a zero-padded copy of the input be created", UserWarning,
                      stacklevel=4)
    return tuple((t // 2, t - t // 2) for t in totals)


def _conv(name: str, nd: int, input: Tensor, weight: Tensor, bias: Tensor | None,
          stride: IntOrTuple, padding: IntOrTuple | str, dilation: IntOrTuple,
          groups: int) -> Tensor:
    batched = _check_input(name, nd, input)
    if weight.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    k = weight.dim() - 2
    stride = _per_dim("stride", stride, nd, k)
    if not isinstance(padding, str):
        padding = _per_dim("padding", padding, nd, k)
    dilation = _per_dim("dilation", dilation, nd, k)
    pairs = _padding_pairs(padding, weight, stride, dilation)
    _check_geometry(stride, tuple(lo for lo, _ in pairs), dilation, groups)
    x = input if batched else input.unsqueeze(0)
    _check_weight(x, weight, bias, groups, transposed=False)
    _check_kernel_fits(x, weight, pairs, dilation)
    _check_dtypes(x, weight, bias)
    params = (x, weight) if bias is None else (x, weight, bias)
    out = Convolution.apply(*params, stride=stride, padding=pairs, dilation=dilation,
                            groups=groups)
    return out if batched else out.squeeze(0)


def _check_output_padding(output_padding: tuple, stride: tuple, dilation: tuple) -> None:
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if all(p < s or p < d for p, s, d in zip(output_padding, stride, dilation)):
        return
    # torch runs 1-D as 2-D, so its message always names at least height and width
    names = ("depth", "height", "width")[-max(len(stride), 2):]
    pad = (0,) * (len(names) - len(stride))
    one = (1,) * (len(names) - len(stride))
    parts = [f"{kind}_{dim}: {v}" for kind, values in
             (("output_padding", pad + output_padding), ("stride", one + stride),
              ("dilation", one + dilation)) for dim, v in zip(names, values)]
    raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                       + " ".join(parts))


def _conv_transpose(name: str, nd: int, input: Tensor, weight: Tensor, bias: Tensor | None,
                    stride: IntOrTuple, padding: IntOrTuple, output_padding: IntOrTuple,
                    groups: int, dilation: IntOrTuple) -> Tensor:
    batched = _check_input(name, nd, input)
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    if weight.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    k = weight.dim() - 2
    stride = _per_dim("stride", stride, nd, k)
    padding = _per_dim("padding", padding, nd, k)
    dilation = _per_dim("dilation", dilation, nd, k)
    output_padding = _per_dim("output_padding", output_padding, nd, k)
    _check_geometry(stride, padding, dilation, groups)
    _check_output_padding(output_padding, stride, dilation)
    x = input if batched else input.unsqueeze(0)
    _check_weight(x, weight, bias, groups, transposed=True)
    _check_dtypes(x, weight, bias)
    size = [(n - 1) * s - 2 * p + d * (kk - 1) + op + 1 for n, s, p, d, kk, op in
            zip(x.shape[2:], stride, padding, dilation, weight.shape[2:], output_padding)]
    if any(n <= 0 for n in size):
        raise RuntimeError(f"Given input size per channel: {list(x.shape[2:])}, the calculated "
                           f"output size per channel {size} is too small")
    params = (x, weight) if bias is None else (x, weight, bias)
    out = ConvTranspose.apply(*params, stride=stride, padding=tuple((p, p) for p in padding),
                              output_padding=output_padding, dilation=dilation, groups=groups)
    return out if batched else out.squeeze(0)


# -- unfold / fold ---------------------------------------------------------------------------
def _pair(name: str, value: IntOrTuple) -> tuple:
    values = _as_list(value, 2)
    if len(values) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(values)}")
    return tuple(values)


def _fold_args(kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple,
               stride: IntOrTuple) -> tuple:
    kernel, dilation = _pair("kernel_size", kernel_size), _pair("dilation", dilation)
    padding, stride = _pair("padding", padding), _pair("stride", stride)
    for what, values, short, bad in (("kernel size", kernel, "kernel", lambda v: v <= 0),
                                     ("stride", stride, "stride", lambda v: v <= 0),
                                     ("dilation", dilation, "dilation", lambda v: v <= 0)):
        if any(bad(v) for v in values):
            raise RuntimeError(f"{what} should be greater than zero, but got {short}_height: "
                               f"{values[0]} {short}_width: {values[1]}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {padding[0]} "
                           f"pad_width: {padding[1]}")
    return kernel, dilation, padding, stride


def _blocks(size: tuple, kernel: tuple, dilation: tuple, padding: tuple,
            stride: tuple) -> tuple:
    return tuple((n + 2 * p - d * (k - 1) - 1) // s + 1
                 for n, k, d, p, s in zip(size, kernel, dilation, padding, stride))


def _check_float(kernel: str, t: Tensor) -> None:
    if t._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for "
                                  f"'{_SCALAR_NAME[str(t._data.dtype)]}'")


def unfold(input: Tensor, kernel_size: IntOrTuple, dilation: IntOrTuple = 1,
           padding: IntOrTuple = 0, stride: IntOrTuple = 1) -> Tensor:
    """Extract sliding blocks: (N, C, H, W) -> (N, C * kH * kW, L), one column per block
    position (rows ordered channel first, then kernel row and column). Also (C, H, W).

    >>> F.unfold(torch.ones(1, 2, 4, 4), 3).shape
    torch.Size([1, 18, 4])
    """
    if input.dim() not in (3, 4) or 0 in input.shape[-3:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {list(input.shape)}")
    kernel, dilation, padding, stride = _fold_args(kernel_size, dilation, padding, stride)
    size = tuple(input.shape[-2:])
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if any(b < 1 for b in blocks):
        raise RuntimeError(f"Given input with spatial size {size}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, calculated shape of the "
                           f"array of sliding blocks as {blocks}, but its components must be at "
                           "least one.")
    _check_float("im2col_out_cpu", input)
    return Im2Col.apply(input, kernel=kernel, dilation=dilation,
                        padding=tuple((p, p) for p in padding), stride=stride)


def fold(input: Tensor, output_size: IntOrTuple, kernel_size: IntOrTuple,
         dilation: IntOrTuple = 1, padding: IntOrTuple = 0, stride: IntOrTuple = 1) -> Tensor:
    """Combine sliding blocks into a tensor, summing where they overlap: the adjoint of
    ``unfold``. (N, C * kH * kW, L) -> (N, C, *output_size); also (C * kH * kW, L).

    >>> F.fold(torch.ones(1, 4, 9), (4, 4), 2).shape
    torch.Size([1, 1, 4, 4])
    """
    if input.dim() not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           "batch size and non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    size = _pair("output_size", output_size)
    kernel, dilation, padding, stride = _fold_args(kernel_size, dilation, padding, stride)
    rows, cols = input.shape[-2:]
    if rows % (kernel[0] * kernel[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={rows} and "
                           f"kernel_size={kernel}.")
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if blocks[0] * blocks[1] != cols:
        raise RuntimeError(f"Given output_size={size}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, stride={stride}, expected "
                           "size of input's dimension 2 to match the calculated number of "
                           f"sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, "
                           f"but got input.size(2)={cols}.")
    _check_float("col2im_out_cpu", input)
    return Col2Im.apply(input, output_size=size,
                        args=(kernel, dilation, tuple((p, p) for p in padding), stride))
