"""Stateless image transforms on PIL images and tensors (``torchvision.transforms.functional``).

Each function takes a PIL image or a tensor of shape (..., C, H, W) and returns the same kind.
Tensors go to ``_functional_tensor``, PIL images to ``_functional_pil``.
"""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from collections.abc import Sequence
from enum import Enum
from typing import Any

import numpy as np

from ... import _dtype
from ..._creation import as_tensor, from_numpy
from ..._tensor import Tensor
from .._pil import image_module, is_pil_image
from . import _functional_pil as F_pil
from . import _functional_tensor as F_t

__all__ = [
    "InterpolationMode", "center_crop", "convert_image_dtype", "crop", "get_dimensions",
    "get_image_num_channels", "get_image_size", "hflip", "normalize", "pad", "pil_to_tensor",
    "resize", "rotate", "to_pil_image", "to_tensor", "vflip",
]


class InterpolationMode(Enum):
    """How pixels are resampled; the value is the mode's name in torch and in ``repr``."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_MODES = {
    InterpolationMode.NEAREST: F_pil.NEAREST, InterpolationMode.NEAREST_EXACT: F_pil.NEAREST,
    InterpolationMode.BILINEAR: F_pil.BILINEAR, InterpolationMode.BICUBIC: F_pil.BICUBIC,
    InterpolationMode.BOX: F_pil.BOX, InterpolationMode.HAMMING: F_pil.HAMMING,
    InterpolationMode.LANCZOS: F_pil.LANCZOS,
}
_FROM_PIL_INT = {v: k for k, v in reversed(_PIL_MODES.items())}  # 0 means NEAREST


def _interpolation(interpolation: Any) -> InterpolationMode:
    """An InterpolationMode from itself or from Pillow's integer constant."""
    if isinstance(interpolation, int) and not isinstance(interpolation, bool):
        return _FROM_PIL_INT[interpolation]
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding "
                        "Pillow integer constant")
    return interpolation


# -- inspection ------------------------------------------------------------------------------
def get_dimensions(img: Any) -> list[int]:
    """``[channels, height, width]`` of an image."""
    return F_t.get_dimensions(img) if isinstance(img, Tensor) else F_pil.get_dimensions(img)


def get_image_num_channels(img: Any) -> int:
    """The number of channels of an image."""
    return get_dimensions(img)[0]


def get_image_size(img: Any) -> list[int]:
    """``[width, height]`` of an image (note: width first)."""
    _, h, w = get_dimensions(img)
    return [w, h]


# -- conversion ------------------------------------------------------------------------------
def _uint8_to_float(arr: np.ndarray) -> Tensor:
    # one float32 division, as torch's img.to(float).div(255): values k/255 rounded once
    target = _dtype.get_default_dtype().np
    return from_numpy(np.ascontiguousarray(arr.astype(target) / target.type(255)))


def to_tensor(pic: Any) -> Tensor:
    """A PIL image or HWC ndarray as a CHW tensor; uint8 data is scaled to float in [0, 1].

    Other dtypes (PIL modes ``I``, ``I;16``, ``F``; non-uint8 arrays) keep their values.

    >>> to_tensor(np.zeros((4, 5, 3), dtype=np.uint8)).shape
    torch.Size([3, 4, 5])
    """
    if not (is_pil_image(pic) or isinstance(pic, np.ndarray)):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = (pic[:, :, None] if pic.ndim == 2 else pic).transpose((2, 0, 1))
        if arr.dtype == np.uint8:
            return _uint8_to_float(arr)
        return from_numpy(np.ascontiguousarray(arr))
    little = sys.byteorder == "little"
    nptype = {"I": np.int32, ("I;16" if little else "I;16B"): np.int16, "F": np.float32}
    arr = np.array(pic, nptype.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        arr = 255 * arr
    arr = arr.reshape(pic.size[1], pic.size[0], len(pic.getbands())).transpose((2, 0, 1))
    if arr.dtype == np.uint8:
        return _uint8_to_float(arr)
    return from_numpy(np.ascontiguousarray(arr))


def pil_to_tensor(pic: Any) -> Tensor:
    """A PIL image as a CHW tensor of its own dtype (uint8 for ``L``/``RGB``), unscaled."""
    if not is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    arr = np.array(pic, copy=True)
    arr = arr.reshape(pic.size[1], pic.size[0], len(pic.getbands()))
    return from_numpy(arr).permute((2, 0, 1))


def to_pil_image(pic: Any, mode: str | None = None) -> Any:
    """A CHW tensor or HWC ndarray as a PIL image; floats are scaled by 255 (unless ``F``)."""
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic.detach().numpy()
        arr = (arr[None] if arr.ndim == 2 else arr).transpose((1, 2, 0))
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        arr = pic[:, :, None] if pic.ndim == 2 else pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if np.issubdtype(arr.dtype, np.floating) and mode != "F":
        arr = (arr * 255).astype(np.uint8)  # torchvision truncates: pic.mul(255).byte()
    Image = image_module()
    if arr.shape[2] == 1:
        arr = arr[:, :, 0]
    img = Image.fromarray(np.ascontiguousarray(arr))
    return img if mode is None or img.mode == mode else img.convert(mode)


def convert_image_dtype(image: Tensor, dtype: _dtype.dtype = _dtype.float32) -> Tensor:
    """Change an image tensor's dtype, rescaling values (ints span [0, max], floats [0, 1])."""
    if not isinstance(image, Tensor):
        raise TypeError("Input img should be Tensor Image")
    if image.dtype == dtype:
        return image
    src, dst = image.dtype.np, dtype.np
    if np.issubdtype(src, np.floating):
        if np.issubdtype(dst, np.floating):
            return image.to(dtype)
        if (src == np.float32 and dst in (np.int32, np.int64)) or (
                src == np.float64 and dst == np.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed "
                               "safely.")
        # max + 1 - eps: every int gets an equal share of [0, 1] and only 1.0 maps to max
        return image.mul(float(np.iinfo(dst).max) + 1.0 - 1e-3).to(dtype)
    input_max = float(np.iinfo(src).max) if src != np.bool_ else 1.0
    if np.issubdtype(dst, np.floating):
        return image.to(dtype) / input_max
    output_max = float(np.iinfo(dst).max)
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return image.div(factor, rounding_mode="floor").to(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return image.to(dtype) * factor


# -- normalisation ---------------------------------------------------------------------------
def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float],
              inplace: bool = False) -> Tensor:
    """``(tensor[c] - mean[c]) / std[c]`` for each channel of a float (..., C, H, W) tensor."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    F_t.check_image(tensor)
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    if not inplace and not tensor.requires_grad:
        fast = _normalize_array(tensor, mean, std)
        if fast is not None:
            return fast
    if not inplace:
        tensor = tensor.clone()
    mean_t = as_tensor(mean, dtype=tensor.dtype)
    std_t = as_tensor(std, dtype=tensor.dtype)
    if (std_t == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to "
                         "division by zero.")
    if mean_t.ndim == 1:
        mean_t = mean_t.view(-1, 1, 1)
    if std_t.ndim == 1:
        std_t = std_t.view(-1, 1, 1)
    return tensor.sub_(mean_t).div_(std_t)


def _normalize_array(tensor: Tensor, mean: Sequence[float],
                     std: Sequence[float]) -> Tensor | None:
    """The same two float operations on the array, without autograd's bookkeeping (a data
    pipeline normalizes every sample); None to let the tensor path handle the rest."""
    arr = tensor.numpy()
    if arr.dtype not in (np.float32, np.float64):  # float16: torch computes in float32
        return None
    mean_a, std_a = np.asarray(mean, dtype=arr.dtype), np.asarray(std, dtype=arr.dtype)
    if (std_a == 0).any():
        return None
    mean_a = mean_a.reshape(-1, 1, 1) if mean_a.ndim == 1 else mean_a
    std_a = std_a.reshape(-1, 1, 1) if std_a.ndim == 1 else std_a
    try:
        out = (arr - mean_a) / std_a
    except ValueError:  # shapes that do not broadcast: the tensor path raises torch's error
        return None
    if out.shape != arr.shape:  # in place, torch cannot grow the image either
        return None
    return from_numpy(out)


# -- geometry --------------------------------------------------------------------------------
def compute_resized_output_size(image_size: tuple[int, int], size: list[int] | None,
                                max_size: int | None = None) -> list[int]:
    """``[h, w]`` after resizing: ``[h, w]`` as given, or the smaller edge to ``size[0]``."""
    h, w = image_size
    short, long = (w, h) if w <= h else (h, w)
    if size is not None and len(size) == 2:
        return [size[0], size[1]]
    if size is None:
        if max_size is None:
            raise ValueError("max_size must be an integer when size is None, but got None "
                             "instead.")
        new_short, new_long = int(max_size * short / long), max_size
    else:
        requested = size[0]
        # int() truncates: a 100x150 image resized to 64 is 64x96 (96.0), 100x149 gives 95
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                                 f"requested size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return [new_h, new_w]


def resize(img: Any, size: int | Sequence[int] | None,
           interpolation: InterpolationMode | int = InterpolationMode.BILINEAR,
           max_size: int | None = None, antialias: bool | None = True) -> Any:
    """Resize to ``(h, w)``, or so the smaller edge is ``size`` (keeping the aspect ratio).

    PIL images are resized by Pillow (always antialiased); tensors by torch's ``interpolate``
    rules (nearest, nearest-exact, bilinear, bicubic; ``antialias`` for bilinear/bicubic).
    """
    interpolation = _interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError("Size must be an int or a 1 or 2 element tuple/list, not a "
                             f"{len(size)} element tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of the "
                             "smaller edge, i.e. size should be an int or a sequence of length 1 "
                             "in torchscript mode.")
    _, height, width = get_dimensions(img)
    sizes = [size] if isinstance(size, int) else (None if size is None else list(size))
    output_size = compute_resized_output_size((height, width), sizes, max_size)
    if [height, width] == output_size:
        return img
    if not isinstance(img, Tensor):
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument "
                          "antialias is ignored.", stacklevel=2)
        return F_pil.resize(img, output_size, _PIL_MODES[interpolation])
    return F_t.resize(img, output_size, interpolation.value, antialias)


def pad(img: Any, padding: int | Sequence[int], fill: Any = 0,
        padding_mode: str = "constant") -> Any:
    """Pad the borders: ``padding`` is one int, (left/right, top/bottom) or (l, t, r, b).

    ``padding_mode`` is ``constant`` (``fill``), ``edge``, ``reflect`` or ``symmetric``;
    negative padding crops.
    """
    if isinstance(img, Tensor):
        return F_t.pad(img, padding, fill, padding_mode)
    return F_pil.pad(img, padding, fill, padding_mode)


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """The box with top-left corner ``(top, left)``; outside the image is zero-filled."""
    if isinstance(img, Tensor):
        return F_t.crop(img, top, left, height, width)
    return F_pil.crop(img, top, left, height, width)


def center_crop(img: Any, output_size: int | Sequence[int]) -> Any:
    """The central ``(h, w)`` box; an image smaller than the box is zero-padded first."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))  # type: ignore[arg-type]
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = output_size  # type: ignore[misc]
    if crop_width > image_width or crop_height > image_height:
        padding_ltrb = [
            (crop_width - image_width) // 2 if crop_width > image_width else 0,
            (crop_height - image_height) // 2 if crop_height > image_height else 0,
            (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
            (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
        ]
        img = pad(img, padding_ltrb, fill=0)
        _, image_height, image_width = get_dimensions(img)
        if crop_width == image_width and crop_height == image_height:
            return img
    # round() is Python's, half to even: a 5-pixel margin split 2 above and 3 below
    crop_top = int(round((image_height - crop_height) / 2.0))
    crop_left = int(round((image_width - crop_width) / 2.0))
    return crop(img, crop_top, crop_left, crop_height, crop_width)


def hflip(img: Any) -> Any:
    """Mirror left-right."""
    if isinstance(img, Tensor):
        F_t.check_image(img)
        return img.flip(-1)
    return F_pil.hflip(img)


def vflip(img: Any) -> Any:
    """Mirror top-bottom."""
    if isinstance(img, Tensor):
        F_t.check_image(img)
        return img.flip(-2)
    return F_pil.vflip(img)


def _inverse_rotation(center: list[float], angle: float) -> list[float]:
    """The inverse of "rotate by ``angle`` degrees about ``center``", as a 2x3 row-major list."""
    rot = math.radians(angle)
    a, b, c, d = math.cos(rot), -math.sin(rot), math.sin(rot), math.cos(rot)
    cx, cy = center
    matrix = [d, -b, 0.0, -c, a, 0.0]
    matrix[2] += matrix[0] * -cx + matrix[1] * -cy + cx
    matrix[5] += matrix[3] * -cx + matrix[4] * -cy + cy
    return matrix


def rotate(img: Any, angle: float,
           interpolation: InterpolationMode | int = InterpolationMode.NEAREST,
           expand: bool = False, center: Sequence[int] | None = None,
           fill: Sequence[float] | float | None = None) -> Any:
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` (default: the centre).

    ``expand`` enlarges the output to hold the whole rotated image; ``fill`` colours the area
    outside it (zeros by default).
    """
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if not isinstance(img, Tensor):
        return F_pil.rotate(img, angle, _PIL_MODES[interpolation], expand, center, fill)
    center_f = [0.0, 0.0]
    if center is not None:
        _, height, width = get_dimensions(img)
        # relative to the image centre, in pixels
        center_f = [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]
    # torch's grid runs y downwards, so the inverse matrix of a counter-clockwise turn uses -angle
    matrix = _inverse_rotation(center_f, -angle)
    return F_t.rotate(img, matrix, interpolation.value, expand, fill)
