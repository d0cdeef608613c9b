"""Pooling of ``nn.functional``: max, average and adaptive pooling in 1-3 dims.

2-D and 3-D pooling are one primitive each (``_primitives.pool``) on any leading dims, so an
unbatched input needs no reshaping. 1-D pooling is 2-D pooling of a height-1 input, as in
torch (hence its ``SqueezeBackward1`` grad_fn).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..._primitives.pool import AvgPool, Pick, adaptive_max, avg_divisor, window_max
from ..._primitives.resample import Resample, adaptive_avg_map
from ..._tensor import _SCALAR_NAME, Tensor

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_avg_pool3d"]

IntOrTuple = int | Sequence[int]
_DIMS = ("", "", "2D", "3D")  # how torch's grad_fn names spell the number of spatial dims


def _tuple(name: str, value: IntOrTuple, nd: int, fn: str) -> tuple:
    """An int or an nd-sequence as an nd-tuple; torch's message for other lengths."""
    values = [value] * nd if isinstance(value, int) else list(value)
    if len(values) == 1:
        values = values * nd
    if len(values) != nd:
        how = {"kernel_size": "must either be a single int, or a tuple of",
               "stride": "must either be omitted, a single int, or a tuple of",
               "padding": "must either be a single int, or a tuple of",
               "dilation": "must be either a single int, or a tuple of"}[name]
        count = {1: "one int", 2: "two ints", 3: "three ints"}[nd]
        raise RuntimeError(f"{fn}: {name} {how} {count}")
    return tuple(int(v) for v in values)


def _out_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """Windows along one dim; with ceil_mode a last partial window counts unless it would
    start in the right padding."""
    out = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def _pool_geometry(fn: str, nd: int, input: Tensor, kernel_size: IntOrTuple,
                   stride: IntOrTuple | None, padding: IntOrTuple, dilation: IntOrTuple,
                   ceil_mode: bool) -> tuple:
    """Checked (kernel, stride, padding pairs, dilation, out) for an nd-dim pooling, in
    torch's order and words."""
    kernel = _tuple("kernel_size", kernel_size, nd, fn)
    omitted = stride is None or (not isinstance(stride, int) and len(stride) == 0)
    stride = kernel if omitted else _tuple("stride", stride, nd, fn)
    padding = _tuple("padding", padding, nd, fn)
    dilation = _tuple("dilation", dilation, nd, fn)
    _check_pool_input(input, nd)
    _check_pool_arguments(kernel, stride, padding, dilation)
    size = tuple(input.shape[-nd:])
    out = tuple(_out_size(*args, ceil_mode) for args in zip(size, kernel, stride, padding,
                                                            dilation))
    if any(o < 1 for o in out):
        plane = (input.shape[-nd - 1],)
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, plane + size))}). Calculated "
                           f"output size: ({'x'.join(map(str, plane + out))}). Output size is "
                           "too small")
    # the far side is padded as far as the last (ceil_mode) window reaches
    pairs = tuple((p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
                  for n, k, s, p, d, o in zip(size, kernel, stride, padding, dilation, out))
    return kernel, stride, pairs, dilation, out


def _check_pool_input(input: Tensor, nd: int) -> None:
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for "
                           "input")
    if 0 in input.shape[-nd - 1:]:  # only the batch may be empty
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional "
                           f"0 dim batch size for input, but got:{list(input.shape)}")


def _check_pool_arguments(kernel: tuple, stride: tuple, padding: tuple,
                          dilation: tuple) -> None:
    for k, s, p, d in zip(kernel, stride, padding, dilation):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError("pad must be non-negative")
        if p > ((k - 1) * d + 1) / 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    for name, short, values in (("kernel size", "k", kernel), ("stride", "d", stride),
                                ("dilation", "dilation", dilation)):
        if any(v <= 0 for v in values):
            raise RuntimeError(f"{name} should be greater than zero, but got "
                               + _hw(short + "H: {h} " + short + "W: {w}", values))
    # torch checks the plain kernel too, which is stricter once dilated
    if any(k // 2 < p for k, p in zip(kernel, padding)):
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                           + _hw("padW = {w}, padH = {h}", padding) + ", "
                           + _hw("kW = {w}, kH = {h}", kernel))


def _hw(template: str, values: tuple) -> str:
    """torch's messages name the last two dims width and height."""
    return template.format(w=values[-1], h=values[-2] if len(values) > 1 else values[-1])


def _check_not_bool(kernel: str, t: Tensor) -> None:
    if t._data.dtype == bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_float(kernel: str, t: Tensor) -> None:
    if t._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for "
                                  f"'{_SCALAR_NAME[str(t._data.dtype)]}'")


# -- max pooling -----------------------------------------------------------------------------
def _max_pool(nd: int, input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None,
              padding: IntOrTuple, dilation: IntOrTuple, ceil_mode: bool) -> tuple:
    kernel, stride, pairs, dilation, out = _pool_geometry(
        f"max_pool{nd}d", nd, input, kernel_size, stride, padding, dilation, ceil_mode)
    _check_not_bool(f"max_pool{nd}d", input)
    best, index = window_max(input._data, kernel, stride, pairs, dilation, out)
    values = Pick.apply(input, index=index, nd=nd, picked=best,
                        name=f"MaxPool{_DIMS[nd]}WithIndicesBackward0")
    return values, Tensor._make(index)


def max_pool2d_with_indices(input: Tensor, kernel_size: IntOrTuple,
                            stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                            dilation: IntOrTuple = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``max_pool2d`` returning (values, indices) always."""
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
               padding: IntOrTuple = 0, dilation: IntOrTuple = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The max of each (dilated) window over (N, C, H, W) or (C, H, W).

    Args:
        stride: defaults to ``kernel_size``.
        padding: implicit -inf on both sides, at most half the kernel.
        ceil_mode: count a last partial window (if it starts inside the input or left pad).
        return_indices: also return where each max is, as a flat index into its H*W plane.

    Ties keep the first element; a NaN in a window wins.

    >>> F.max_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    values, indices = _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode)
    return (values, indices) if return_indices else values


def max_pool3d_with_indices(input: Tensor, kernel_size: IntOrTuple,
                            stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                            dilation: IntOrTuple = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``max_pool3d`` returning (values, indices) always."""
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool3d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
               padding: IntOrTuple = 0, dilation: IntOrTuple = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """``max_pool2d`` over (N, C, D, H, W) or (C, D, H, W)."""
    values, indices = _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode)
    return (values, indices) if return_indices else values


def _one(value: IntOrTuple | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return int(value[0]) if len(value) else None


def max_pool1d_with_indices(input: Tensor, kernel_size: IntOrTuple,
                            stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                            dilation: IntOrTuple = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``max_pool1d`` returning (values, indices) always."""
    if input.dim() not in (2, 3):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(input.shape)}")
    k, p = _one(kernel_size), _one(padding)
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but "
                           f"got padding={p} and kernel_size={k}")
    stride = _one(stride)
    values, indices = _max_pool(2, input.unsqueeze(-2), (1, k), (1, stride or k), (0, p),
                                (1, _one(dilation)), ceil_mode)
    return values.squeeze(-2), indices.squeeze(-2)


def max_pool1d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
               padding: IntOrTuple = 0, dilation: IntOrTuple = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """``max_pool2d`` along the last dim of (N, C, L) or (C, L).

    >>> F.max_pool1d(torch.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
    tensor([[3., 2.]])
    """
    values, indices = max_pool1d_with_indices(input, kernel_size, stride, padding, dilation,
                                              ceil_mode)
    return (values, indices) if return_indices else values


# -- average pooling -------------------------------------------------------------------------
def _avg_pool(nd: int, input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None,
              padding: IntOrTuple, ceil_mode: bool, count_include_pad: bool,
              divisor_override: int | None) -> Tensor:
    kernel, stride, pairs, _, out = _pool_geometry(
        f"avg_pool{nd}d", nd, input, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_not_bool(f"avg_pool{nd}d", input)
    dtype = input._data.dtype
    divisor = avg_divisor(tuple(input.shape[-nd:]), kernel, stride, [lo for lo, _ in pairs],
                          out, count_include_pad, dtype)
    if divisor_override is not None:
        divisor[...] = divisor_override
    return AvgPool.apply(input, kernel=kernel, stride=stride, padding=pairs, divisor=divisor,
                         name=f"AvgPool{_DIMS[nd]}Backward0")


def avg_pool2d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
               padding: IntOrTuple = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """The mean of each window over (N, C, H, W) or (C, H, W).

    Args:
        stride: defaults to ``kernel_size``.
        padding: implicit zeros on both sides, at most half the kernel.
        ceil_mode: count a last partial window.
        count_include_pad: divide by the window size including zero padding (default) or
            by the number of input elements in it.
        divisor_override: divide every window sum by this instead.

    >>> F.avg_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    if input.dim() < 3:
        input.size(-3)  # torch's IndexError for too few dims
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
               padding: IntOrTuple = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """``avg_pool2d`` over (N, C, D, H, W) or (C, D, H, W)."""
    if input.dim() < 4:
        input.size(-4)
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool1d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
               padding: IntOrTuple = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """``avg_pool2d`` along the last dim of (N, C, L) or (C, L).

    >>> F.avg_pool1d(torch.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
    tensor([[2., 1.]])
    """
    if input.dim() not in (2, 3):
        raise RuntimeError(f"avg_pool1d() Expected 2D or 3D input tensor, but got "
                           f"{list(input.shape)}")
    k, s = _one(kernel_size), _one(stride)
    out = _avg_pool(2, input.unsqueeze(-2), (1, k), (1, s or k), (0, _one(padding)), ceil_mode,
                    count_include_pad, None)
    return out.squeeze(-2)


# -- adaptive pooling ------------------------------------------------------------------------
def _adaptive_size(fn: str, nd: int, input: Tensor, output_size: IntOrTuple | None,
                   colon: str = "") -> tuple:
    if input.dim() not in (nd + 1, nd + 2) or 0 in input.shape[-nd:]:
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{colon} "
                           f"{list(input.shape)}")
    sizes = [output_size] * nd if output_size is None or isinstance(output_size, int) \
        else list(output_size)
    if len(sizes) != nd:
        raise RuntimeError(f"{fn}: output_size must be {nd}")
    # None keeps that dim's input size
    return tuple(n if o is None else int(o) for o, n in zip(sizes, input.shape[-nd:]))


def _adaptive_avg(nd: int, input: Tensor, output_size: IntOrTuple | None) -> Tensor:
    fn = f"adaptive_avg_pool{nd}d"
    out = _adaptive_size(fn, nd, input, output_size)
    _check_float(fn + ("_cpu" if nd == 3 else ""), input)
    if all(o == 1 for o in out):  # torch takes the mean here (MeanBackward1)
        return input.mean(tuple(range(-nd, 0)), keepdim=True)
    dtype = input._data.dtype
    maps = tuple(adaptive_avg_map(n, o, dtype) for n, o in zip(input.shape[-nd:], out))
    return Resample.apply(input, maps=maps, name=f"AdaptiveAvgPool{_DIMS[nd]}Backward0")


def adaptive_avg_pool2d(input: Tensor, output_size: IntOrTuple | None) -> Tensor:
    """Average pooling to a fixed output size: output (i, j) averages rows
    [floor(i H / oH), ceil((i + 1) H / oH)) and the same for columns. ``None`` in
    ``output_size`` keeps that dim.

    >>> F.adaptive_avg_pool2d(torch.ones(1, 3, 7, 9), (2, 4)).shape
    torch.Size([1, 3, 2, 4])
    """
    return _adaptive_avg(2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size: IntOrTuple | None) -> Tensor:
    """``adaptive_avg_pool2d`` over (N, C, D, H, W) or (C, D, H, W)."""
    return _adaptive_avg(3, input, output_size)


def adaptive_avg_pool1d(input: Tensor, output_size: IntOrTuple) -> Tensor:
    """``adaptive_avg_pool2d`` along the last dim of (N, C, L) or (C, L)."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"adaptive_avg_pool1d(): Expected 2D or 3D tensor, but got "
                           f"{list(input.shape)}")
    out = _adaptive_avg(2, input.unsqueeze(-2), (1, _one(output_size)))
    return out.squeeze(-2)


def _adaptive_max(nd: int, input: Tensor, output_size: IntOrTuple | None) -> tuple:
    fn = f"adaptive_max_pool{nd}d"
    out = _adaptive_size(fn, nd, input, output_size, colon=":")
    _check_float(fn + ("_cpu" if nd == 3 else ""), input)
    best, index = adaptive_max(input._data, out)
    values = Pick.apply(input, index=index, nd=nd, picked=best,
                        name=f"AdaptiveMaxPool{_DIMS[nd]}Backward0")
    return values, Tensor._make(index)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: IntOrTuple | None,
                                     return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` returning (values, indices) always."""
    return _adaptive_max(2, input, output_size)


def adaptive_max_pool2d(input: Tensor, output_size: IntOrTuple | None,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Max pooling to a fixed output size, over the windows of ``adaptive_avg_pool2d``.

    >>> F.adaptive_max_pool2d(torch.ones(1, 3, 7, 9), 2).shape
    torch.Size([1, 3, 2, 2])
    """
    values, indices = _adaptive_max(2, input, output_size)
    return (values, indices) if return_indices else values


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: IntOrTuple | None,
                                     return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool3d`` returning (values, indices) always."""
    return _adaptive_max(3, input, output_size)


def adaptive_max_pool3d(input: Tensor, output_size: IntOrTuple | None,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` over (N, C, D, H, W) or (C, D, H, W)."""
    values, indices = _adaptive_max(3, input, output_size)
    return (values, indices) if return_indices else values


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: IntOrTuple,
                                     return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool1d`` returning (values, indices) always."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"adaptive_max_pool1d(): Expected 2D or 3D tensor, but got "
                           f"{list(input.shape)}")
    values, indices = _adaptive_max(2, input.unsqueeze(-2), (1, _one(output_size)))
    return values.squeeze(-2), indices.squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size: IntOrTuple,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` along the last dim of (N, C, L) or (C, L)."""
    values, indices = adaptive_max_pool1d_with_indices(input, output_size)
    return (values, indices) if return_indices else values
