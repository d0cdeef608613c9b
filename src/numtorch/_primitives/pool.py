"""Pooling: the max of each window (fixed or adaptive windows) and the average of each window.

NOTE [ Max pooling as a gather ]
Finding the max is a loop over kernel offsets (``prod(kernel)`` vectorised steps, no loop
over pixels): each step compares every window's element at that offset with the best so
far. Ties keep the first (strict ``>``), a NaN wins and the last NaN is kept, and a window
of nothing but -inf points at its first in-bounds element: torch's choices, so the indices
equal torch's. The result is then the input *gathered* at those flat positions (one index
per output into its (H*W) plane, the ``indices`` torch returns), and the gradient is the
adjoint, a scatter-add into the input's shape. The two are each other's gradient (``Pick``
and ``Spread``), so max pooling is differentiable any number of times.

Average pooling is linear too: ``AvgPool`` sums shifted strided slices of the zero-padded
input and divides by the window's divisor; ``AvgPoolGrad`` spreads ``grad / divisor`` back
over each window. Again each is the other's gradient.
"""

from __future__ import annotations

import math

import numpy as np

from ._base import Primitive
from ._window import COLUMNS, QUIET, crop, offsets, pad, tap


def _lowest(dtype: np.dtype) -> float | int:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _first_valid(kernel: tuple, stride: tuple, padding: tuple, dilation: tuple,
                 out: tuple) -> np.ndarray:
    """Per output position, the number of the first kernel offset that is not padding."""
    firsts = []
    for k, s, (lo, _), d, o in zip(kernel, stride, padding, dilation, out):
        start = np.arange(o) * s - lo  # where each window starts, negative inside padding
        firsts.append(np.minimum(np.maximum(-start + d - 1, 0) // d, k - 1))
    grids = np.meshgrid(*firsts, indexing="ij")
    return np.ravel_multi_index(grids, kernel)


def window_max(x: np.ndarray, kernel: tuple, stride: tuple, padding: tuple,
               dilation: tuple, out: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The max of each window of x (*lead, *spatial) and the flat index of where it is in
    its plane; ``padding`` holds (before, after) pairs (after includes ceil_mode's extra).
    See NOTE [ Max pooling as a gather ]."""
    xp = pad(x, padding, _lowest(x.dtype))
    kdtype = np.int16 if math.prod(kernel) < 2 ** 15 else np.int64
    steps = [(kdtype(i), xp[(..., *tap(k, stride, dilation, out))])
             for i, k in enumerate(offsets(kernel))]
    # padding is the lowest value, so it never wins; a window of only that value keeps
    # its first in-bounds offset
    best = steps[0][1].copy()
    argk = np.broadcast_to(_first_valid(kernel, stride, padding, dilation, out).astype(kdtype),
                           best.shape).copy()
    for i, v in steps[1:]:
        # offsets only grow, so "max with i where v wins" is "the last offset that won"
        np.maximum(argk, np.greater(v, best) * i, out=argk)
        np.maximum(best, v, out=best)
    if best.dtype.kind == "f" and np.isnan(best).any():
        best, argk = _nan_max(steps, best.shape, x.dtype, argk)
    return best, _flat_index(argk, kernel, stride, padding, dilation, x.shape[-len(kernel):])


def _nan_max(steps: list, shape: tuple, dtype: np.dtype, argk: np.ndarray) -> tuple:
    """The slow path of ``window_max`` once a NaN showed up: NaN beats everything."""
    best = np.full(shape, -np.inf, dtype)
    for i, v in steps:
        wins = (v > best) | np.isnan(v)
        best = np.where(wins, v, best)
        argk = np.where(wins, i, argk)
    return best, argk


def _flat_index(argk: np.ndarray, kernel: tuple, stride: tuple, padding: tuple,
                dilation: tuple, size: tuple) -> np.ndarray:
    """Row-major position in the unpadded plane of the element at kernel offset ``argk``:
    where the window starts plus a table lookup of the offset's distance from there."""
    nd = len(kernel)
    steps = [math.prod(size[dim + 1:]) for dim in range(nd)]  # row-major strides of a plane
    table = np.array([sum(k * d * st for k, d, st in zip(ks, dilation, steps))
                      for ks in offsets(kernel)], np.int64)
    start = np.zeros((1,) * nd, np.int64)
    for dim in range(nd):
        o = argk.shape[argk.ndim - nd + dim]
        first = (np.arange(o) * stride[dim] - padding[dim][0]) * steps[dim]
        start = start + first.reshape((-1,) + (1,) * (nd - 1 - dim))
    return start + np.take(table, argk)


def adaptive_bounds(n: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """torch's adaptive windows along one dim: [floor(i n / out), ceil((i + 1) n / out))."""
    i = np.arange(out)
    return i * n // out, ((i + 1) * n + out - 1) // out


def adaptive_max(x: np.ndarray, out: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The max of each adaptive window of x (*lead, *spatial) and its flat index in the plane.

    Windows differ in length, so each dim gets a table of positions, (out, longest window),
    whose short rows repeat their last element (a repeat never wins: ties keep the first).
    The loop runs over table columns, like ``window_max`` over kernel offsets.
    """
    nd, size = len(out), x.shape[-len(out):]
    tables = []
    for n, o in zip(size, out):
        start, end = adaptive_bounds(n, o)
        cols = np.arange(int((end - start).max()))
        tables.append(np.minimum(start[:, None] + cols, (end - 1)[:, None]))
    lead = x.shape[:x.ndim - nd]
    best = np.full(lead + tuple(out), _lowest(x.dtype), x.dtype)
    index = np.zeros(best.shape, np.int64)
    has_nan = x.dtype.kind == "f" and np.isnan(x).any()
    for cols in offsets(tuple(t.shape[1] for t in tables)):
        pos = [t[:, c] for t, c in zip(tables, cols)]
        grid = np.ix_(*pos)
        v = x[(..., *grid)]
        wins = (v > best) | np.isnan(v) if has_nan else v > best
        best = np.where(wins, v, best)
        index = np.where(wins, np.ravel_multi_index(grid, size), index)
    return best, index


def _planes(shape: tuple, nd: int) -> tuple:
    return shape[:len(shape) - nd] + (math.prod(shape[len(shape) - nd:]),)


class Pick(Primitive):
    """out[..., o] = x[..., index[..., o]] with the spatial dims of x flattened: max pooling
    given where the maxima are (NOTE [ Max pooling as a gather ]); d/dx spreads grad back."""

    name_ = "MaxPool2DWithIndicesBackward0"

    @QUIET
    def forward(self, x, index, nd, name, picked=None):
        self.name_, self.shape, self.index, self.nd = name, x.shape, index, nd
        if picked is not None:  # the max was found together with its index
            return picked
        flat_x = x.reshape(_planes(x.shape, nd))
        flat_i = index.reshape(_planes(index.shape, nd))
        return np.take_along_axis(flat_x, flat_i, -1).reshape(index.shape)

    def backward(self, grad):
        return Spread.apply(grad, **self._spread_args())

    @QUIET
    def backward_np(self, grad):
        return Spread().forward(grad, **self._spread_args())

    def _spread_args(self) -> dict:
        return dict(index=self.index, shape=self.shape, nd=self.nd,
                    name=self.name_[:-1] + "Backward0")


class Spread(Primitive):
    """The adjoint of ``Pick``: grad added into zeros of x's shape at the picked positions
    (overlapping windows can pick one element twice, so this adds, never assigns)."""

    name_ = "MaxPool2DWithIndicesBackwardBackward0"

    @QUIET
    def forward(self, grad, index, shape, nd, name):
        self.name_, self.index, self.nd = name, index, nd
        planes = _planes(shape, nd)
        n_planes = math.prod(planes[:-1])
        # one flat index into the whole output: 1-D ``np.add.at`` is NumPy's fast path (the
        # index is scratch: NOTE [ Reusing the column buffer ])
        picked = math.prod(index.shape[index.ndim - nd:])
        where = COLUMNS.take((n_planes, picked), np.int64)
        np.add(index.reshape(n_planes, picked), (np.arange(n_planes) * planes[-1])[:, None],
               out=where)
        out = np.zeros(math.prod(shape), grad.dtype)
        np.add.at(out, where.reshape(-1), grad.reshape(-1))
        COLUMNS.give(where)
        return out.reshape(shape)

    def backward(self, grad):
        return Pick.apply(grad, **self._pick_args())

    @QUIET
    def backward_np(self, grad):
        return Pick().forward(grad, **self._pick_args())

    def _pick_args(self) -> dict:
        return dict(index=self.index, nd=self.nd,
                    name=self.name_.replace("BackwardBackward0", "Backward0"))


def avg_divisor(size: tuple, kernel: tuple, stride: tuple, padding: tuple, out: tuple,
                count_include_pad: bool, dtype: np.dtype) -> np.ndarray:
    """Per output position, what torch divides the window sum by: the window's size clipped
    to the padded input, or (count_include_pad=False) the number of real elements in it."""
    divisor = np.ones((), np.int64)
    for n, k, s, p, o in zip(size, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        count = end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0)
        divisor = np.multiply.outer(divisor, count)
    return divisor.astype(dtype if dtype.kind == "f" else np.float64)


class AvgPool(Primitive):
    """out = (sum of each window of zero-padded x) / divisor; d/dx spreads grad / divisor
    over each window (``AvgPoolGrad``). See NOTE [ Max pooling as a gather ]."""

    name_ = "AvgPool2DBackward0"

    @QUIET
    def forward(self, x, kernel, stride, padding, divisor, name):
        self.name_, self.shape = name, x.shape
        self.args = (kernel, stride, padding, divisor)
        xp = pad(x, padding)
        out = divisor.shape
        steps = offsets(kernel)
        total = xp[(..., *tap(next(steps), stride, (1,) * len(kernel), out))].copy()
        for k in steps:
            total += xp[(..., *tap(k, stride, (1,) * len(kernel), out))]
        if x.dtype.kind != "f":  # integer inputs divide as C integers do: toward zero
            return (total / divisor).astype(x.dtype)
        return total / divisor

    def backward(self, grad):
        return AvgPoolGrad.apply(grad, **self._grad_args())

    @QUIET
    def backward_np(self, grad):
        return AvgPoolGrad().forward(grad, **self._grad_args())

    def _grad_args(self) -> dict:
        return dict(shape=self.shape, args=self.args, name=self.name_[:-1] + "Backward0")


class AvgPoolGrad(Primitive):
    """The adjoint of ``AvgPool``: each window gets grad / divisor added to its elements."""

    name_ = "AvgPool2DBackwardBackward0"

    @QUIET
    def forward(self, grad, shape, args, name):
        kernel, stride, padding, divisor = self.args = args
        self.name_ = name
        nd = len(kernel)
        share = grad / divisor
        full = shape[:len(shape) - nd] + tuple(
            n + lo + hi for n, (lo, hi) in zip(shape[len(shape) - nd:], padding))
        xp = np.zeros(full, grad.dtype)
        for k in offsets(kernel):
            xp[(..., *tap(k, stride, (1,) * nd, grad.shape[grad.ndim - nd:]))] += share
        return crop(xp, padding)

    def backward(self, grad):
        return AvgPool.apply(grad, **self._pool_args())

    @QUIET
    def backward_np(self, grad):
        return AvgPool().forward(grad, **self._pool_args())

    def _pool_args(self) -> dict:
        kernel, stride, padding, divisor = self.args
        return dict(kernel=kernel, stride=stride, padding=padding, divisor=divisor,
                    name=self.name_.replace("BackwardBackward0", "Backward0"))
