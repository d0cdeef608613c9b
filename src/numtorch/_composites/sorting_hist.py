"""Counting into bins: bincount, histc, bucketize and searchsorted (no gradients).

Part of the sorting family (``sorting.py`` re-exports these names).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._tensor import Tensor
from ._util import _legacy_name, write_out


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """The number of times each value 0..max occurs in a 1-D non-negative integer tensor
    (or the sum of ``weights`` at those positions: float stays, integers become float64).

    >>> torch.bincount(torch.tensor([0, 1, 1, 3]))
    tensor([1, 2, 0, 1])
    """
    x = input._data
    if x.dtype.kind not in "iu":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for "
                                  f"'{_legacy_name(input.dtype)}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if x.ndim != 1 or (x.size and x.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and (weights._data.ndim != 1 or weights._data.shape[0] != x.size):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    if weights is None:
        return Tensor._make(np.bincount(x, minlength=minlength).astype(np.int64))
    w = weights._data
    dtype = w.dtype if w.dtype.kind == "f" else np.dtype(np.float64)
    return Tensor._make(np.bincount(x, w.astype(np.float64), minlength).astype(dtype))


def _cfloat(v: float) -> str:
    """A float as C++'s ostream prints it (6 significant digits, '-nan', 'inf')."""
    if math.isnan(v):
        return "-nan"
    return f"{v:g}"


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0, *,  # noqa: A002
          out: Tensor | None = None) -> Tensor:
    """A histogram of ``bins`` equal bins over [min, max] (the data's range when both are 0);
    values outside are ignored, ``max`` falls in the last bin.

    >>> torch.histc(torch.tensor([1., 2., 1.]), bins=4, min=0, max=3)
    tensor([0., 2., 1., 0.])
    """
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for "
                                  f"'{_legacy_name(input.dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_cfloat(lo)}, {_cfloat(hi)}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    flat = x.reshape(-1)
    inside = flat[(flat >= lo) & (flat <= hi)]
    pos = ((inside - x.dtype.type(lo)) * bins / x.dtype.type(hi - lo)).astype(np.int64)
    counts = np.bincount(np.minimum(pos, bins - 1), minlength=bins).astype(x.dtype)
    return write_out(Tensor._make(counts), out, "histc")


def _as_tensor(v: Any, like: Tensor) -> Tensor:
    if isinstance(v, Tensor):
        return v
    return Tensor._make(np.asarray(v, dtype=np.result_type(v, like._data.dtype)))


def _index_dtype(out_int32: bool) -> Any:
    return np.int32 if out_int32 else np.int64


def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: Tensor | None = None,
                 out: Tensor | None = None) -> Tensor:
    """For each value, the index where it would be inserted into the innermost dim of
    ``sorted_sequence`` to keep it sorted (after equal elements when ``right``).

    >>> torch.searchsorted(torch.tensor([1., 3., 5.]), torch.tensor([3., 4.]))
    tensor([1, 2])
    """
    seq = sorted_sequence._data
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError("torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if (side == "left") == right and right:
            raise RuntimeError("torch.searchsorted(): side and right can't be set to "
                               f"opposites, got side of {side} while right was {right}")
        right = side == "right"
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    values = _as_tensor(input, sorted_sequence)._data
    if seq.ndim > 1 and seq.shape[:-1] != values.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or "
                           "the first N-1 dimensions of boundaries tensor and input value "
                           f"tensor must match, but we got boundaries tensor {list(seq.shape)} "
                           f"and input value tensor {list(values.shape)}")
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, axis=-1)
    how = "right" if right else "left"
    if seq.ndim == 1:
        result = np.searchsorted(seq, values, side=how)
    else:
        rows, vals = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
        result = np.stack([np.searchsorted(r, v, side=how) for r, v in zip(rows, vals)])
        result = result.reshape(values.shape)
    result = np.asarray(result, _index_dtype(out_int32))
    return write_out(Tensor._make(result), out, "searchsorted")


def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False,
              out: Tensor | None = None) -> Tensor:
    """The bucket of each value given 1-D sorted ``boundaries``: i with
    boundaries[i-1] < x <= boundaries[i] (``<=`` / ``<`` swapped when ``right``).

    >>> torch.bucketize(torch.tensor([1., 6.]), torch.tensor([1., 3., 5., 7.]))
    tensor([0, 3])
    """
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries._data.ndim})")
    values = _as_tensor(input, boundaries)._data
    result = np.searchsorted(boundaries._data, values, side="right" if right else "left")
    return write_out(Tensor._make(np.asarray(result, _index_dtype(out_int32))), out, "bucketize")
