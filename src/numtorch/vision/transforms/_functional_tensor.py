"""The tensor side of ``transforms.functional`` (torchvision's ``_functional_tensor``).

Images are tensors of shape (..., C, H, W). Resampling (resize, rotate) works on the NumPy
array and follows torch's ``interpolate`` and ``grid_sample`` (``align_corners=False``) so
results agree with torchvision's tensor path to float rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..._creation import from_numpy
from ..._tensor import Tensor

_F32 = np.float32


def check_image(img: Any) -> None:
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(img)}")
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def get_dimensions(img: Tensor) -> list[int]:
    """``[channels, height, width]``; a 2-D tensor has one channel."""
    check_image(img)
    channels = 1 if img.ndim == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def _array(img: Tensor) -> np.ndarray:
    return img.detach().numpy()


def _tensor(arr: np.ndarray) -> Tensor:
    return from_numpy(np.ascontiguousarray(arr))


def _float_work(arr: np.ndarray) -> tuple[np.ndarray, np.dtype]:
    """Resampling runs in float32 (float64 stays); integer results are rounded back."""
    return (arr if arr.dtype in (np.float32, np.float64) else arr.astype(_F32)), arr.dtype


def _cast_back(out: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if out.dtype == dtype:
        return out
    if np.issubdtype(dtype, np.integer):
        out = np.round(out)  # half to even, as torch.round
    return out.astype(dtype)


# -- padding ---------------------------------------------------------------------------------
def parse_padding(padding: int | Sequence[int]) -> list[int]:
    """``[left, right, top, bottom]`` from torchvision's 1-, 2- or 4-element forms."""
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 1:
        return [padding[0]] * 4
    if len(padding) == 2:
        return [padding[0], padding[0], padding[1], padding[1]]
    return [padding[0], padding[2], padding[1], padding[3]]


def pad(img: Tensor, padding: int | Sequence[int], fill: float = 0,
        padding_mode: str = "constant") -> Tensor:
    """Pad the last two dims; negative amounts crop."""
    check_image(img)
    if not isinstance(padding, (int, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (int, float)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    left, right, top, bottom = parse_padding(padding)
    arr = _array(img)
    h, w = arr.shape[-2:]
    arr = arr[..., max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
    widths = [(0, 0)] * (arr.ndim - 2) + [(max(top, 0), max(bottom, 0)),
                                          (max(left, 0), max(right, 0))]
    if padding_mode == "constant":
        return _tensor(np.pad(arr, widths, mode="constant", constant_values=fill))
    return _tensor(np.pad(arr, widths, mode=padding_mode))


def crop(img: Tensor, top: int, left: int, height: int, width: int) -> Tensor:
    """A view of the box; parts of the box outside the image are zero-padded."""
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        ltrb = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(img[..., max(top, 0):bottom, max(left, 0):right], ltrb, fill=0)
    return img[..., top:bottom, left:right]


# -- resize ----------------------------------------------------------------------------------
# Each output pixel along an axis is a weighted sum of a few input pixels ("taps"):
# idx and w have shape (out_size, taps). Formulas are torch's upsample kernels.
def _nearest_taps(n_in: int, n_out: int, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    dst = np.arange(n_out)
    if not exact and n_out == n_in:
        src = dst
    elif not exact and n_out == 2 * n_in:
        src = dst >> 1
    else:
        scale = _F32(n_in) / _F32(n_out)  # torch computes the index in float32
        pos = (dst.astype(_F32) + _F32(0.5)) * scale if exact else dst.astype(_F32) * scale
        src = np.minimum(np.floor(pos).astype(np.int64), n_in - 1)
    return src[:, None], np.ones((n_out, 1))


def _source_index(n_in: int, n_out: int) -> np.ndarray:
    """``scale * (dst + 0.5) - 0.5`` in float32, rounded once as torch's fused multiply-add."""
    scale = np.float64(_F32(n_in) / _F32(n_out))
    return (scale * (np.arange(n_out) + 0.5) - 0.5).astype(_F32)  # exact in float64


def _linear_taps(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    if n_in == n_out:
        return np.arange(n_out)[:, None], np.ones((n_out, 1))
    src = np.maximum(_source_index(n_in, n_out), _F32(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    lam1 = np.clip(src - i0.astype(_F32), 0, 1)
    i1 = i0 + (i0 < n_in - 1)
    return np.stack([i0, i1], 1), np.stack([_F32(1) - lam1, lam1], 1)


def _cubic_taps(n_in: int, n_out: int, a: float = -0.75) -> tuple[np.ndarray, np.ndarray]:
    src = _source_index(n_in, n_out)  # not clamped: taps past an edge repeat the edge
    i0 = np.floor(src)
    t = (src - i0).astype(np.float64)

    def near(x: np.ndarray) -> np.ndarray:  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x: np.ndarray) -> np.ndarray:  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    w = np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], 1)
    idx = np.clip(i0.astype(np.int64)[:, None] + np.arange(-1, 3), 0, n_in - 1)
    return idx, w


def _aa_filters() -> dict[str, tuple[int, Callable[[np.ndarray], np.ndarray]]]:
    def triangle(x: np.ndarray) -> np.ndarray:
        return np.maximum(1 - np.abs(x), 0)

    def keys(x: np.ndarray, a: float = -0.5) -> np.ndarray:  # PIL's bicubic, a = -0.5
        x = np.abs(x)
        return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                        np.where(x < 2, (((x - 5) * x + 8) * x - 4) * a, 0.0))

    return {"bilinear": (2, triangle), "bicubic": (4, keys)}


def _aa_taps(n_in: int, n_out: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Antialiased taps: the filter widens by the shrink factor (torch's ``_aa`` kernels)."""
    interp_size, filt = _aa_filters()[mode]
    scale = n_in / n_out
    support = interp_size * 0.5 * scale if scale >= 1 else interp_size * 0.5
    invscale = 1 / scale if scale >= 1 else 1.0
    center = scale * (np.arange(n_out) + 0.5)
    xmin = np.maximum((center - support + 0.5).astype(np.int64), 0)
    xsize = np.minimum((center + support + 0.5).astype(np.int64), n_in) - xmin
    j = np.arange(int(xsize.max()))
    w = filt((j + xmin[:, None] - center[:, None] + 0.5) * invscale)
    w = np.where(j < xsize[:, None], w, 0.0)
    total = w.sum(1, keepdims=True)
    w = np.divide(w, total, out=np.zeros_like(w), where=total != 0)
    idx = np.minimum(xmin[:, None] + j, n_in - 1)
    return idx, w


def _taps(n_in: int, n_out: int, mode: str, antialias: bool) -> tuple[np.ndarray, np.ndarray]:
    if mode in ("nearest", "nearest-exact"):
        return _nearest_taps(n_in, n_out, exact=mode == "nearest-exact")
    if antialias:
        return _aa_taps(n_in, n_out, mode)
    return _linear_taps(n_in, n_out) if mode == "bilinear" else _cubic_taps(n_in, n_out)


def _resample_axis(arr: np.ndarray, axis: int, idx: np.ndarray, w: np.ndarray) -> np.ndarray:
    """out[..., i, ...] = sum_k w[i, k] * arr[..., idx[i, k], ...], summed in tap order."""
    shape = [1] * arr.ndim
    shape[axis] = -1
    out = None
    for k in range(idx.shape[1]):
        term = np.take(arr, idx[:, k], axis=axis)
        if idx.shape[1] > 1 or not np.all(w[:, k] == 1):
            term = term * w[:, k].astype(arr.dtype).reshape(shape)
        out = term if out is None else out + term
    assert out is not None
    return out


def resize(img: Tensor, size: list[int], interpolation: str = "bilinear",
           antialias: bool | None = True) -> Tensor:
    """Resize the last two dims to ``size`` = ``[h, w]`` (the width pass runs first)."""
    check_image(img)
    if interpolation not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")
    antialias = bool(antialias) and interpolation in ("bilinear", "bicubic")
    arr, dtype = _float_work(_array(img))
    h, w = arr.shape[-2:]
    if size[1] != w or not antialias:
        arr = _resample_axis(arr, -1, *_taps(w, size[1], interpolation, antialias))
    if size[0] != h or not antialias:
        arr = _resample_axis(arr, -2, *_taps(h, size[0], interpolation, antialias))
    if interpolation == "bicubic" and np.issubdtype(dtype, np.integer):
        arr = np.clip(arr, 0, 255)  # bicubic overshoots; torchvision clamps to uint8's range
    return _tensor(_cast_back(arr, dtype))


# -- rotate ----------------------------------------------------------------------------------
def affine_output_size(matrix: list[float], w: int, h: int) -> tuple[int, int]:
    """``(w, h)`` of the box holding the whole rotated image (``expand=True``)."""
    pts = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                    [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]], dtype=_F32)
    new_pts = pts @ np.array(matrix, dtype=_F32).reshape(2, 3).T
    half = np.array([w * 0.5, h * 0.5], dtype=_F32)
    lo, hi = new_pts.min(0) + half, new_pts.max(0) + half
    tol = 1e-4  # drop float noise so that 1e-15 past an edge does not add a whole pixel
    size = np.ceil(np.trunc(hi / tol) * tol) - np.floor(np.trunc(lo / tol) * tol)
    return int(size[0]), int(size[1])


def _sample(arr: np.ndarray, ix: np.ndarray, iy: np.ndarray,
            mode: str) -> tuple[np.ndarray, np.ndarray]:
    """grid_sample with zero padding: values (..., C, oh, ow) and the in-image weight mask."""
    h, w = arr.shape[-2:]
    if mode == "nearest":
        corners = [(np.rint(ix), np.rint(iy), np.ones_like(ix))]  # rint: half to even
    else:
        x0, y0 = np.floor(ix), np.floor(iy)
        fx, fy = ix - x0, iy - y0
        corners = [(x0, y0, (1 - fx) * (1 - fy)), (x0 + 1, y0, fx * (1 - fy)),
                   (x0, y0 + 1, (1 - fx) * fy), (x0 + 1, y0 + 1, fx * fy)]
    out = np.zeros(arr.shape[:-2] + ix.shape, dtype=arr.dtype)
    mask = np.zeros(ix.shape, dtype=arr.dtype)
    for cx, cy, wt in corners:
        inside = (cx >= 0) & (cx < w) & (cy >= 0) & (cy < h)
        xi = np.where(inside, cx, 0).astype(np.int64)
        yi = np.where(inside, cy, 0).astype(np.int64)
        wt = np.where(inside, wt, 0).astype(arr.dtype)
        out += arr[..., yi, xi] * wt
        mask += wt
    return out, mask


def _fma(a: np.ndarray, b: np.floating, c: np.ndarray) -> np.ndarray:
    """``a * b + c`` rounded once, as the fused multiply-add in torch's grid matmul.

    NOTE [ Emulated FMA ]: rotating by a right angle puts sample points exactly half-way
    between pixels, where one rounding more or less decides which pixel nearest sampling
    takes. For float32, ``a * b`` is exact in float64; the float64 sum's rounding error
    (two-sum) then breaks the ties that the final rounding to float32 meets.
    """
    if a.dtype != np.float32:
        return a * b + c
    prod = a.astype(np.float64) * np.float64(b)
    hi = prod + c
    back = hi - prod
    lo = (prod - (hi - back)) + (c - back)  # exactly prod + c - hi
    out = hi.astype(np.float32)
    d = hi - out
    other = np.nextafter(out, np.where(d > 0, np.inf, -np.inf).astype(np.float32))
    tie = (d != 0) & (hi == (out.astype(np.float64) + other) / 2) & (lo * d > 0)
    return np.where(tie, other, out)


def rotate(img: Tensor, matrix: list[float], interpolation: str = "nearest",
           expand: bool = False, fill: Sequence[float] | float | None = None) -> Tensor:
    """Sample ``img`` through the inverse affine ``matrix`` (about the image centre)."""
    check_image(img)
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")
    channels = get_dimensions(img)[0]
    if fill is not None and not isinstance(fill, (int, float, tuple, list)):
        raise TypeError("Argument fill should be either int, float, tuple or list")
    if isinstance(fill, (tuple, list)) and len(fill) > 1 and len(fill) != channels:
        raise ValueError("The number of elements in 'fill' cannot broadcast to match the number "
                         f"of channels of the image ({len(fill)} != {channels})")
    arr, dtype = _float_work(_array(img))
    h, w = arr.shape[-2:]
    ow, oh = affine_output_size(matrix, w, h) if expand else (w, h)
    kind = arr.dtype.type
    # output pixel centres relative to the output centre, through the matrix into grid_sample's
    # [-1, 1] coordinates, then to input pixels; the float steps are torchvision's, so ties in
    # nearest rounding (right angles) break the same way
    m = np.asarray(matrix, dtype=arr.dtype).reshape(2, 3) / np.array(
        [[0.5 * w], [0.5 * h]], dtype=arr.dtype)
    xs = np.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, ow, dtype=arr.dtype)[None, :]
    ys = np.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, oh, dtype=arr.dtype)[:, None]
    gx = _fma(ys, m[0, 1], xs * m[0, 0]) + m[0, 2]
    gy = _fma(ys, m[1, 1], xs * m[1, 0]) + m[1, 2]
    ix = (gx + kind(1)) * kind(w / 2) - kind(0.5)
    iy = (gy + kind(1)) * kind(h / 2) - kind(0.5)
    out, mask = _sample(arr, ix, iy, interpolation)
    if fill is not None:
        values = np.asarray(fill if isinstance(fill, (tuple, list)) else [fill], dtype=arr.dtype)
        values = values.reshape(-1, 1, 1)
        if interpolation == "nearest":
            out = np.where(mask < 0.5, np.broadcast_to(values, out.shape), out)
        else:
            out = out * mask + (1 - mask) * values
    return _tensor(_cast_back(out, dtype))
