"""Separable resampling: interpolate (nearest, nearest-exact, linear/bilinear/trilinear,
bicubic) and adaptive average pooling.

NOTE [ Resampling one dim at a time ]
Each op here is linear and acts on the spatial dims one at a time: output position i along
a dim is ``sum_t wts[i, t] * x[idx[i, t]]`` (nearest: one tap; linear: the two neighbours;
adaptive average: every element of the window with weight 1/len, short windows padded with
zero-weight taps). Applying the dims in turn gives the full op, so a dim costs a few gathers
(``np.take``) and multiply-adds, O(output). The adjoint sends ``wts[i, t] * grad[i]`` back
to ``idx[i, t]``: that is the transposed (sparse) matrix, itself a map of the same form
(input j gathers from every output that read it; ``AxisMap.transposed``), so the backward
is gathers too, with no scatter and no ``np.add.at``. ``Resample`` and ``ResampleGrad``
are each other's gradient, so these ops are differentiable any number of times.

Rows with fewer taps than the widest (short adaptive windows, inputs read less often) are
padded with taps marked invalid; their products are zeroed rather than weighted by 0, so
an inf stays an inf instead of becoming 0 * inf = NaN in its neighbours' sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._base import Primitive
from ._window import QUIET
from .pool import adaptive_bounds


@dataclass(eq=False)
class AxisMap:
    """How one spatial dim is resampled: output i is ``sum_t wts[i, t] * x[idx[i, t]]``
    over (out, taps) arrays; ``wts`` None means weight 1; ``valid`` (or None: all) marks
    the taps that exist (NOTE [ Resampling one dim at a time ])."""

    idx: np.ndarray
    wts: np.ndarray | None
    n_in: int
    valid: np.ndarray | None = None

    @cached_property
    def transposed(self) -> AxisMap:
        """The adjoint map: input j gathers ``wts[i, t]`` times output i for every (i, t)
        with ``idx[i, t] == j``."""
        n_out, taps = self.idx.shape
        rows = np.repeat(np.arange(n_out), taps)
        cols = self.idx.reshape(-1)
        vals = np.ones(rows.shape, np.float64) if self.wts is None else self.wts.reshape(-1)
        if self.valid is not None:
            keep = self.valid.reshape(-1)
            rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.argsort(cols, kind="stable")
        rows, cols, vals = rows[order], cols[order], vals[order]
        counts = np.bincount(cols, minlength=self.n_in)
        slot = np.arange(len(cols)) - np.repeat(np.cumsum(counts) - counts, counts)
        width = max(int(counts.max()), 1)
        idx = np.zeros((self.n_in, width), np.int64)
        idx[cols, slot] = rows
        valid = np.arange(width) < counts[:, None]
        if self.wts is None and valid.all():
            return AxisMap(idx, None, n_out)
        wts = np.zeros((self.n_in, width), vals.dtype if self.wts is not None else np.float32)
        wts[cols, slot] = vals
        return AxisMap(idx, wts, n_out, None if valid.all() else valid)


def nearest_map(n_in: int, n_out: int, scale: float | None, exact: bool,
                shortcuts: bool = False) -> AxisMap:
    """torch's nearest source index, computed in float32 as torch does: floor(i * s) (or
    floor((i + 0.5) * s) for nearest-exact), s = 1 / scale_factor when given, else in/out.

    ``shortcuts``: torch's 2-D kernel copies a dim whose size is unchanged and maps a
    doubled one to i // 2 whatever the scale; its 1-D and 3-D kernels do not.
    """
    if shortcuts and not exact and n_out == n_in:
        idx = np.arange(n_out)
    elif shortcuts and not exact and n_out == 2 * n_in:
        idx = np.arange(n_out) // 2
    else:
        s = np.float32(1.0 / scale) if scale and scale > 0 else \
            np.float32(n_in) / np.float32(n_out)
        i = np.arange(n_out, dtype=np.float32) + np.float32(0.5 if exact else 0)
        idx = np.minimum(np.floor(i * s).astype(np.int64), n_in - 1)
    return AxisMap(idx.reshape(-1, 1), None, n_in)


def _source(n_in: int, n_out: int, scale: float | None, align_corners: bool,
            dtype: np.dtype) -> np.ndarray:
    """The (fractional) source position of each output, before clamping."""
    i = np.arange(n_out, dtype=dtype)
    if align_corners:
        ratio = dtype.type(n_in - 1) / dtype.type(n_out - 1) if n_out > 1 else dtype.type(0)
        return ratio * i
    ratio = dtype.type(1.0 / scale) if scale and scale > 0 else \
        dtype.type(n_in) / dtype.type(n_out)
    return ratio * (i + dtype.type(0.5)) - dtype.type(0.5)


def linear_map(n_in: int, n_out: int, scale: float | None, align_corners: bool,
               dtype: np.dtype) -> AxisMap:
    """The two neighbours of each output's source position and their weights, in the
    input's float type (torch's arithmetic). align_corners maps the corner pixels' centres
    onto each other; otherwise pixel areas line up and the source is clamped at 0. A dim
    whose size does not change is copied as is, whatever the scale (as torch does)."""
    if n_out == n_in:
        return AxisMap(np.arange(n_out).reshape(-1, 1), None, n_in)
    src = _source(n_in, n_out, scale, align_corners, dtype)
    if not align_corners:
        src = np.maximum(src, dtype.type(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    frac = np.clip(src - i0.astype(dtype), 0, 1).astype(dtype)
    i1 = i0 + (i0 < n_in - 1)
    return AxisMap(np.stack([i0, i1], 1), np.stack([1 - frac, frac], 1), n_in)


def bicubic_map(n_in: int, n_out: int, scale: float | None, align_corners: bool,
                dtype: np.dtype) -> AxisMap:
    """Keys' cubic convolution (a = -0.75, torch's) over the 4 neighbours floor(src) - 1 ..
    floor(src) + 2, clamped to the edge (so the edge pixel repeats)."""
    src = _source(n_in, n_out, scale, align_corners, dtype)
    base = np.floor(src)
    t = (src - base).astype(dtype)
    a = dtype.type(-0.75)

    def near(d):  # |d| <= 1
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):  # 1 < |d| < 2
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    wts = np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)], 1).astype(dtype)
    idx = np.clip(base.astype(np.int64)[:, None] + np.arange(-1, 3), 0, n_in - 1)
    return AxisMap(idx, wts, n_in)


def adaptive_avg_map(n_in: int, n_out: int, dtype: np.dtype) -> AxisMap:
    """Adaptive average pooling along one dim: the mean of [floor(i n / out),
    ceil((i + 1) n / out)), as taps of weight 1/len."""
    start, end = adaptive_bounds(n_in, n_out)
    length = end - start
    t = np.arange(int(length.max()))
    idx = np.minimum(start[:, None] + t, (end - 1)[:, None])
    valid = t < length[:, None]  # short windows: padding taps
    wts = np.where(valid, 1 / length[:, None], 0).astype(dtype)
    return AxisMap(idx, wts, n_in, None if valid.all() else valid)


def _along(vector: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    return vector.reshape((-1,) + (1,) * (ndim - 1 - axis))


def _resample_axis(x: np.ndarray, axis: int, m: AxisMap) -> np.ndarray:
    out = None
    for t in range(m.idx.shape[1]):
        v = np.take(x, m.idx[:, t], axis=axis)
        if m.wts is not None:
            v *= _along(m.wts[:, t].astype(x.dtype, copy=False), axis, x.ndim)
        if m.valid is not None and not m.valid[:, t].all():  # zero the padding taps
            np.copyto(v, 0, where=~_along(m.valid[:, t], axis, x.ndim))
        out = v if out is None else np.add(out, v, out=out)
    return out


class Resample(Primitive):
    """x with each trailing dim resampled by its ``AxisMap`` (NOTE [ Resampling one dim at
    a time ]); d/dx is the adjoint, ``ResampleGrad``."""

    name_ = "UpsampleNearest2DBackward0"

    @QUIET
    def forward(self, x, maps, name):
        self.name_, self.maps = name, maps
        first = x.ndim - len(maps)
        for i, m in enumerate(maps):
            x = _resample_axis(x, first + i, m)
        return x

    def backward(self, grad):
        return ResampleGrad.apply(grad, maps=self.maps, name=self.name_[:-1] + "Backward0")

    @QUIET
    def backward_np(self, grad):
        return ResampleGrad().forward(grad, maps=self.maps, name="")


class ResampleGrad(Primitive):
    """The adjoint of ``Resample``: each output's gradient sent back to its taps."""

    name_ = "UpsampleNearest2DBackwardBackward0"

    @QUIET
    def forward(self, grad, maps, name):
        self.name_, self.maps = name, maps
        first = grad.ndim - len(maps)
        for i in reversed(range(len(maps))):
            grad = _resample_axis(grad, first + i, maps[i].transposed)
        return grad

    def backward(self, grad):
        return Resample.apply(grad, maps=self.maps,
                              name=self.name_.replace("BackwardBackward0", "Backward0"))

    @QUIET
    def backward_np(self, grad):
        return Resample().forward(grad, maps=self.maps, name="")
