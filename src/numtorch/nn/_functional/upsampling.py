"""Resizing of ``nn.functional``: ``interpolate`` and the deprecated ``upsample*`` spellings.

Every mode is separable, one dim at a time (NOTE [ Resampling one dim at a time ] in
``_primitives.resample``); ``area`` is adaptive average pooling.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

from ..._primitives.resample import Resample, bicubic_map, linear_map, nearest_map
from ..._tensor import _SCALAR_NAME, Tensor
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_LINEAR = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}  # mode -> spatial dims
_NAMES = {"nearest": "UpsampleNearest{}DBackward0", "nearest-exact":
          "UpsampleNearestExact{}DBackward0", "linear": "UpsampleLinear1DBackward0",
          "bilinear": "UpsampleBilinear2DBackward0", "bicubic": "UpsampleBicubic2DBackward0",
          "trilinear": "UpsampleTrilinear3DBackward0"}


def interpolate(input: Tensor, size: int | Sequence[int] | None = None,
                scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize the spatial dims of (N, C, *spatial) to ``size``, or scale them by
    ``scale_factor`` (output = floor(input * scale)).

    Args:
        mode: ``'nearest'``, ``'nearest-exact'``, ``'linear'`` (3-D input),
            ``'bilinear'``/``'bicubic'`` (4-D), ``'trilinear'`` (5-D) or ``'area'``.
        align_corners: linear modes only. True maps the corner pixels' centres onto each
            other; False (the default) lines up pixel areas.
        recompute_scale_factor: derive the sampling scale from the output size instead of
            using ``scale_factor`` as given (they differ when in * scale is not whole).

    >>> F.interpolate(torch.tensor([[[1.0, 2.0]]]), scale_factor=2)
    tensor([[[1., 1., 2., 2.]]])
    """
    nd = input.dim() - 2
    sizes, scales = _output_size(input, nd, size, scale_factor, mode, recompute_scale_factor)
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if antialias:
        raise NotImplementedError("numtorch's interpolate does not support antialias=True")
    if mode in _LINEAR and input.dim() in (3, 4, 5) and nd != _LINEAR[mode]:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                  f"{_LINEAR[mode] + 2}D input")
    if input.dim() not in (3, 4, 5) or mode not in (*_NAMES, "area"):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"(got {input.dim()}D) for the modes: {_MODES} (got {mode})")
    if mode == "area":
        pool = (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[nd - 1]
        return pool(input, sizes)
    _check_sizes(input, sizes)
    _check_dtype(input, mode, nd)
    maps = tuple(_axis_map(mode, n, o, s, align_corners, input._data.dtype, nd)
                 for n, o, s in zip(input.shape[2:], sizes, scales))
    return Resample.apply(input, maps=maps, name=_NAMES[mode].format(nd))


def _output_size(input: Tensor, nd: int, size: int | Sequence[int] | None,
                 scale_factor: float | Sequence[float] | None, mode: str,
                 recompute: bool | None) -> tuple[list, list]:
    """(output sizes, the scales the kernels sample with: None where derived from sizes)."""
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if recompute:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        if isinstance(size, (list, tuple)) and len(size) != nd:
            raise ValueError(
                "Input and output must have the same number of spatial dimensions, but got input "
                f"with spatial dimensions of {spatial} and output size of {size}. Please provide "
                "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) "
                "format.")
        sizes = [int(s) for s in size] if isinstance(size, (list, tuple)) else [int(size)] * nd
        return sizes, [None] * nd
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != nd:
            raise ValueError(
                "Input and scale_factor must have the same number of spatial dimensions, but got "
                f"input with spatial dimensions of {spatial} and scale_factor of shape "
                f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                "scale_factor in (s1, s2, ...,sK) format.")
        scales = [float(s) for s in scale_factor]
    else:
        scales = [float(scale_factor)] * nd
    sizes = [math.floor(n * s) for n, s in zip(spatial, scales)]
    # area pooling needs only the size; a recomputed scale is in / out, as with a size
    if recompute or mode == "area":
        scales = [None] * nd
    return sizes, scales


def _check_sizes(input: Tensor, sizes: list) -> None:
    if all(o > 0 for o in sizes):
        return
    names = ("D", "H", "W")[-len(sizes):]
    given = ", ".join(f"{k}: {v}" for k, v in zip(names, input.shape[2:]))
    wanted = ", ".join(f"{k}: {v}" for k, v in zip(names, sizes))
    joint = " and " if len(sizes) == 1 else " "
    raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                       f"({given}){joint}output ({wanted})")


def _check_dtype(input: Tensor, mode: str, nd: int) -> None:
    dtype = str(input._data.dtype)
    nearest = mode.startswith("nearest")
    if input._data.dtype.kind == "f" or (dtype == "uint8" and nearest):
        return
    if nd == 2 and (nearest or mode == "bilinear"):  # the kernel torch names in its error
        kernel = f"upsample_{'nearest' if nearest else 'bilinear'}2d_channels_last"
    else:
        kernel = "compute_indices_weights_" + ("nearest" if nearest else "cubic"
                                               if mode == "bicubic" else "linear")
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{_SCALAR_NAME[dtype]}'")


def _axis_map(mode: str, n_in: int, n_out: int, scale: float | None, align_corners: bool,
              dtype: object, nd: int) -> object:
    if mode in ("nearest", "nearest-exact"):
        return nearest_map(n_in, n_out, scale, exact=mode == "nearest-exact", shortcuts=nd == 2)
    if mode == "bicubic":
        return bicubic_map(n_in, n_out, scale, align_corners, dtype)
    return linear_map(n_in, n_out, scale, align_corners, dtype)


def _deprecated(name: str) -> None:
    warnings.warn(f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", UserWarning, stacklevel=3)


def upsample(input: Tensor, size: int | Sequence[int] | None = None,
             scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated: ``interpolate`` with the same arguments."""
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: int | Sequence[int] | None = None,
                     scale_factor: float | Sequence[float] | None = None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: int | Sequence[int] | None = None,
                      scale_factor: float | Sequence[float] | None = None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
