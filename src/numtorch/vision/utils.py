"""Image grids and saving (``torchvision.utils.make_grid`` / ``save_image``)."""

from __future__ import annotations

import math
import os
from typing import IO, Any

import numpy as np

from .._creation import from_numpy
from .._tensor import Tensor
from ._pil import image_module

__all__ = ["make_grid", "save_image"]


def _as_batch(tensor: Tensor | list[Tensor]) -> np.ndarray:
    """A (B, C, H, W) array; one-channel images are repeated to three channels."""
    if isinstance(tensor, list):
        for t in tensor:
            if not isinstance(t, Tensor):
                raise TypeError(f"tensor or list of tensors expected, got a list containing "
                                f"{type(t)}")
        arr = np.stack([t.detach().numpy() for t in tensor])
    elif isinstance(tensor, Tensor):
        arr = tensor.detach().numpy()
    else:
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if arr.ndim == 2:  # one H x W image
        arr = arr[None]
    if arr.ndim == 3:  # one C x H x W image
        if arr.shape[0] == 1:
            arr = np.concatenate([arr, arr, arr], 0)
        arr = arr[None]
    if arr.ndim == 4 and arr.shape[1] == 1:
        arr = np.concatenate([arr, arr, arr], 1)
    return arr


def _norm_range(arr: np.ndarray, value_range: tuple[float, float] | None) -> np.ndarray:
    low, high = value_range if value_range is not None else (float(arr.min()), float(arr.max()))
    # scalars in the array's dtype, as torch's in-place clamp_/sub_/div_ compute
    kind = arr.dtype.type
    arr = np.clip(arr, kind(low), kind(high))
    return (arr - kind(low)) / kind(max(high - low, 1e-5))


def make_grid(tensor: Tensor | list[Tensor], nrow: int = 8, padding: int = 2,
              normalize: bool = False, value_range: tuple[float, float] | None = None,
              scale_each: bool = False, pad_value: float = 0.0) -> Tensor:
    """Tile a batch of images into one image, ``nrow`` images per row.

    Args:
        tensor: a (B, C, H, W) batch, a list of (C, H, W) images, or one image.
        nrow: images per row.
        padding: pixels between images and around the border.
        normalize: shift each value into [0, 1] by ``value_range`` (default: min and max).
        value_range: ``(min, max)`` for ``normalize``.
        scale_each: normalize each image by its own min and max.
        pad_value: the colour of the padding.

    Returns:
        A (C, H', W') tensor; a one-image batch is returned as that image (3 channels).

    >>> make_grid(numtorch.zeros(10, 1, 28, 28), nrow=5).shape   # doctest: +SKIP
    torch.Size([3, 62, 152])
    """
    arr = _as_batch(tensor)
    if normalize is True:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max "
                            "are numbers")
        if scale_each is True:
            arr = np.stack([_norm_range(img, value_range) for img in arr])
        else:
            arr = _norm_range(arr, value_range)
    if arr.shape[0] == 1:
        return from_numpy(np.ascontiguousarray(arr[0]))
    nmaps = arr.shape[0]
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = arr.shape[2] + padding, arr.shape[3] + padding
    grid = np.full((arr.shape[1], height * ymaps + padding, width * xmaps + padding), pad_value,
                   dtype=arr.dtype)
    for k in range(nmaps):
        y, x = divmod(k, xmaps)
        top, left = y * height + padding, x * width + padding
        grid[:, top:top + height - padding, left:left + width - padding] = arr[k]
    return from_numpy(grid)


def save_image(tensor: Tensor | list[Tensor], fp: str | os.PathLike | IO[bytes],
               format: str | None = None, **kwargs: Any) -> None:
    """Save a tensor (or batch, through :func:`make_grid`) as an image file (PNG by name).

    Values in [0, 1] map to 0..255, rounded to nearest; ``kwargs`` go to :func:`make_grid`.
    """
    grid = make_grid(tensor, **kwargs).numpy()
    # + 0.5 then truncation rounds to nearest, as torchvision's mul(255).add_(0.5).clamp_()
    kind = grid.dtype.type if np.issubdtype(grid.dtype, np.floating) else np.float32
    scaled = np.clip(grid.astype(kind) * kind(255) + kind(0.5), 0, 255)
    ndarr = np.ascontiguousarray(scaled.transpose(1, 2, 0).astype(np.uint8))
    image_module().fromarray(ndarr).save(fp, format=format)
