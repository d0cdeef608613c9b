"""The three ways a convolution runs here, each a forward and the gradients of that forward.

NOTE [ Three convolution layouts ]
A convolution is one im2col copy and one matmul (NOTE [ Windows without pixel loops ]), but
which copy and which matmul pays depends on the shapes; ``choose`` picks one of three:

* ``BatchFirst`` (wide images): the columns are (N, C * prod(k), L) and the matmul is
  batched over the samples, one small GEMM per sample that stays in cache. The im2col copy
  moves runs of out[-1] contiguous pixels, which is fine when rows are long.
* ``BatchLast`` (narrow images of a large batch, out[-1] < 16: LeNet's second layer, 8x8):
  rows that short make every NumPy loop above run at a few pixels per call, so the input
  is first copied once with the batch innermost, (C, *spatial, N). Then the columns are
  (C * prod(k), L * N) with runs of out[-1] * N elements, the forward, the weight gradient
  and the input gradient are each a single GEMM, and col2im's strided adds run over long
  rows too. The price is two transposing copies per pass (the input and the output in
  forward; the gradient and the input gradient in backward), small beside what it saves.
* ``Depthwise`` (groups == in_channels, one input channel per group): a matmul over a
  reduction of one channel times prod(k) is all overhead, and im2col makes prod(k) copies
  of the input. Instead the output is prod(k) multiply-adds of shifted slices of the padded
  input with the kernel's taps, blocked over the samples so that each block stays in cache;
  the input gradient is the same loop adding into the shifted slices, the weight gradient
  one ``einsum`` contraction per tap.

All large scratch arrays come from ``COLUMNS`` (NOTE [ Reusing the column buffer ]). The
GEMM layouts keep the forward's columns for the weight gradient (memory for time: they are
prod(k) times the input; recomputing them would cost another im2col copy per step), and
hand them back once the graph is freed.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._window import (
    COLUMNS,
    col2im,
    col2im_batch_last,
    crop,
    from_batch_last,
    im2col,
    im2col_batch_last,
    offsets,
    pad,
    tap,
    to_batch_last,
)


class Geometry(NamedTuple):
    kernel: tuple
    stride: tuple
    padding: tuple  # (before, after) pairs
    dilation: tuple
    groups: int
    padded: tuple  # the spatial size after padding
    out: tuple


def choose(x: np.ndarray, w: np.ndarray, geo: Geometry) -> type:
    """The layout class for this convolution (see the NOTE)."""
    if geo.groups > 1 and w.shape[1] == 1:
        return Depthwise
    if geo.out[-1] < 16 and x.shape[0] > 1:
        return BatchLast
    return BatchFirst


def grouped(w: np.ndarray, groups: int) -> np.ndarray:
    """A conv weight (O, C/g, *k) as (g, O/g, C/g * prod(k)); a transposed conv weight
    (C, O/g, *k) as (g, C/g, O/g * prod(k))."""
    return w.reshape(groups, w.shape[0] // groups, -1)


def bias_shape(nd: int) -> tuple:
    return (-1,) + (1,) * nd


def _bias_grad(grad: np.ndarray) -> np.ndarray:
    return grad.sum(axis=(0, *range(2, grad.ndim)))


def scatter(w: np.ndarray, g: np.ndarray, shape: tuple, kernel: tuple, stride: tuple,
            dilation: tuple, out: tuple, padding: tuple) -> np.ndarray:
    """col2im(w @ g) cropped: the input gradient of a convolution and the output of a
    transposed one. w is (g, C/g * prod(k), O/g), g (N, g, O/g, L), ``shape`` the padded
    (N, C, *spatial) result. Short rows (out[-1] < 16) go through the batch-last col2im,
    whose adds run over out[-1] * N elements instead of out[-1]."""
    n, groups, rows, length = g.shape
    if out[-1] >= 16 or n == 1:
        cols = COLUMNS.take((n, groups * w.shape[1], length), g.dtype)
        np.matmul(w, g, out=cols.reshape(n, groups, w.shape[1], length))
        x = crop(col2im(cols, shape, kernel, stride, dilation, out), padding)
        COLUMNS.give(cols)
        return x
    g_last = np.ascontiguousarray(np.moveaxis(g, 0, -1)).reshape(groups, rows, length * n)
    xp = col2im_batch_last(np.matmul(w, g_last), (*shape[1:], n), kernel, stride, dilation,
                           out)
    return crop(np.moveaxis(xp, -1, 0), padding)


class BatchFirst:
    """Columns (N, C * prod(k), L), one GEMM per sample and group."""

    @staticmethod
    def forward(x: np.ndarray, w: np.ndarray, bias: tuple, geo: Geometry) -> tuple:
        n, groups = x.shape[0], geo.groups
        xp = pad(x, geo.padding)
        shape = (n, x.shape[1] * math.prod(geo.kernel), math.prod(geo.out))
        cols = im2col(xp, geo.kernel, geo.stride, geo.dilation, geo.out,
                      into=COLUMNS.take(shape, x.dtype))
        by_group = cols.reshape(n, groups, shape[1] // groups, shape[2])
        # (g, O/g, K) @ (N, g, K, L): one BLAS matmul per (sample, group), no pixel loop
        y = np.matmul(grouped(w, groups), by_group).reshape(n, w.shape[0], *geo.out)
        if bias:
            y += bias[0].reshape(bias_shape(len(geo.out)))
        return y, cols

    @staticmethod
    def grads(grad: np.ndarray, x: np.ndarray, w: np.ndarray, cols: np.ndarray | None,
              geo: Geometry, need: tuple) -> tuple:
        n, groups = grad.shape[0], geo.groups
        g = grad.reshape(n, groups, w.shape[0] // groups, math.prod(geo.out))
        gx = gw = gb = None
        if need[0]:
            gx = scatter(grouped(w, groups).transpose(0, 2, 1), g,
                         (n, x.shape[1], *geo.padded), geo.kernel, geo.stride, geo.dilation,
                         geo.out, geo.padding)
        if need[1]:
            cols = cols.reshape(n, groups, cols.shape[1] // groups, cols.shape[2])
            gw = np.matmul(g, cols.transpose(0, 1, 3, 2)).sum(0).reshape(w.shape)
        if len(need) > 2 and need[2]:
            gb = _bias_grad(grad)
        return gx, gw, gb


class BatchLast:
    """Columns (C * prod(k), L * N) read from a batch-last copy of the input: one GEMM per
    group for the output and for each gradient."""

    @staticmethod
    def forward(x: np.ndarray, w: np.ndarray, bias: tuple, geo: Geometry) -> tuple:
        n, c, groups = x.shape[0], x.shape[1], geo.groups
        length = math.prod(geo.out) * n
        xt = to_batch_last(x, geo.padding, COLUMNS)
        cols = im2col_batch_last(xt, geo.kernel, geo.stride, geo.dilation, geo.out,
                                 COLUMNS.take((c * math.prod(geo.kernel), length), x.dtype))
        COLUMNS.give(xt)
        yt = COLUMNS.take((w.shape[0], length), x.dtype)
        np.matmul(grouped(w, groups), cols.reshape(groups, -1, length),
                  out=yt.reshape(groups, -1, length))
        # back to (N, O, *out) in one transposing copy, the bias added on the way
        yt_view = np.moveaxis(yt.reshape(w.shape[0], *geo.out, n), -1, 0)
        y = np.empty(yt_view.shape, x.dtype)
        if bias:
            np.add(yt_view, bias[0].reshape(bias_shape(len(geo.out))), out=y)
        else:
            np.copyto(y, yt_view)
        COLUMNS.give(yt)
        return y, cols

    @staticmethod
    def grads(grad: np.ndarray, x: np.ndarray, w: np.ndarray, cols: np.ndarray | None,
              geo: Geometry, need: tuple) -> tuple:
        n, groups = grad.shape[0], geo.groups
        gt = COLUMNS.take(grad.shape[1:] + (n,), grad.dtype)
        np.copyto(gt, np.moveaxis(grad, 0, -1))
        g = gt.reshape(groups, w.shape[0] // groups, -1)  # (g, O/g, L * N)
        gx = gw = gb = None
        if need[0]:
            wg = grouped(w, groups)
            gcols = COLUMNS.take((groups * wg.shape[2], g.shape[2]), grad.dtype)
            np.matmul(wg.transpose(0, 2, 1), g, out=gcols.reshape(groups, -1, g.shape[2]))
            xt = COLUMNS.zeros((x.shape[1], *geo.padded, n), grad.dtype)
            col2im_batch_last(gcols, xt.shape, geo.kernel, geo.stride, geo.dilation, geo.out,
                              into=xt)
            gx = from_batch_last(xt, geo.padding)
            COLUMNS.give(gcols, xt)
        if need[1]:
            # (K, L N) @ (L N, O) is the faster of the two orders in OpenBLAS for these shapes
            gw = np.matmul(cols.reshape(groups, -1, g.shape[2]), g.transpose(0, 2, 1))
            gw = gw.transpose(0, 2, 1).reshape(w.shape)
        if len(need) > 2 and need[2]:
            gb = gt.reshape(w.shape[0], -1).sum(1)
        COLUMNS.give(gt)
        return gx, gw, gb


class Depthwise:
    """out[n, c m] = sum_k w[c m, k] x_pad[n, c, o * stride + k * dilation]: the kernel taps
    side by side per block of samples, no full columns (m, the channel multiplier, is O / C)."""

    @staticmethod
    def forward(x: np.ndarray, w: np.ndarray, bias: tuple, geo: Geometry) -> tuple:
        taps = _Taps(geo)
        weights = w.reshape(x.shape[1], -1, len(taps.windows))  # (C, m, K)
        y = _correlate(taps.source(x), taps.windows, weights, taps.grid)
        y = taps.output(y.reshape(x.shape[0], w.shape[0], *taps.grid))
        if bias:
            y += bias[0].reshape(bias_shape(len(geo.out)))
        return y, None

    @staticmethod
    def grads(grad: np.ndarray, x: np.ndarray, w: np.ndarray, cols: np.ndarray | None,
              geo: Geometry, need: tuple) -> tuple:
        n, c = x.shape[:2]
        taps = _Taps(geo)
        g = taps.output_grad(grad).reshape(n, c, -1, *taps.grid)  # (N, C, m, *grid)
        weights = w.reshape(c, g.shape[2], -1)  # (C, m, K)
        gx = gw = gb = None
        if need[0]:
            gx = taps.source_grad(taps.input_grad(g, weights), x.shape[2:])
        if need[1]:
            gw = taps.weight_grad(g, taps.source(x)).reshape(w.shape)
        if len(need) > 2 and need[2]:
            gb = _bias_grad(grad)
        return gx, gw, gb


def _correlate(source: np.ndarray, windows: list, weights: np.ndarray,
               grid: tuple) -> np.ndarray:
    """y (N, C, m, *grid) = sum_k weights[c, m, k] source[n, c][window_k]: per block of
    samples the K taps are copied side by side, (B, C, K, *grid), for one batched matmul over
    the channels. The copies are plain slices and the block stays in cache, which beats K
    multiply-adds through NumPy (twice the passes, each slower than a copy)."""
    n, c, k, length = source.shape[0], source.shape[1], len(windows), math.prod(grid)
    y = np.empty((n, c, weights.shape[1], length), source.dtype)
    for part in _sample_blocks(n, c * k * length * source.itemsize):
        block = source[part]
        cols = COLUMNS.take((block.shape[0], c, k, *grid), source.dtype)
        for i, window in enumerate(windows):
            cols[:, :, i] = block[(..., *window)]
        np.matmul(weights, cols.reshape(block.shape[0], c, k, length), out=y[part])
        COLUMNS.give(cols)
    return y.reshape(n, c, weights.shape[1], *grid)


class _Taps:
    """The kernel taps of a depthwise convolution as slices of one array: for each tap,
    ``source(x)[..., *window]`` lines up with the output grid.

    With stride 1 each padded plane is flattened (NOTE [ Depthwise taps on flat planes ]);
    otherwise the windows are strided slices of the padded input and the grid is the output.
    """

    def __init__(self, geo: Geometry) -> None:
        self.geo = geo
        self.flat = all(s == 1 for s in geo.stride)
        if not self.flat:
            self.grid = geo.out
            self.windows = [tap(k, geo.stride, geo.dilation, geo.out)
                            for k in offsets(geo.kernel)]
            return
        # NOTE [ Depthwise taps on flat planes ]
        # A tap of a stride-1 convolution reads the padded plane shifted by a constant
        # number of elements (its offset in the flattened plane), so with the plane flat
        # each tap is one contiguous slice: the loop's NumPy calls run over whole planes
        # instead of rows of out[-1] pixels. The output is computed on the padded grid
        # (out[0] rows of the padded row length, past the last dims' ends too) and cropped
        # once; the extra columns read past a row's end, and the tail added to each plane
        # keeps the last tap's slice inside it.
        steps = [math.prod(geo.padded[i + 1:]) for i in range(len(geo.padded))]
        self.length = geo.out[0] * steps[0]
        self.extra = sum((k - 1) * d * st for k, d, st in
                         zip(geo.kernel[1:], geo.dilation[1:], steps[1:]))
        self.grid = (self.length,)
        self.windows = []
        for k in offsets(geo.kernel):
            start = sum(i * d * st for i, d, st in zip(k, geo.dilation, steps))
            self.windows.append((slice(start, start + self.length),))

    def shape(self, size: tuple) -> tuple:
        """The trailing shape of ``source`` for an input of spatial ``size``."""
        return (math.prod(self.geo.padded) + self.extra,) if self.flat else self.geo.padded

    def source(self, x: np.ndarray) -> np.ndarray:
        if not self.flat:
            return pad(x, self.geo.padding)
        planes = np.zeros(x.shape[:2] + self.shape(x.shape[2:]), x.dtype)
        grid = planes[:, :, :math.prod(self.geo.padded)].reshape(x.shape[:2] + self.geo.padded)
        grid[(..., *(slice(lo, lo + s) for s, (lo, _) in
                     zip(x.shape[2:], self.geo.padding)))] = x
        return planes

    def source_grad(self, gsource: np.ndarray, size: tuple) -> np.ndarray:
        """The adjoint of ``source``: the gradient of x from that of the source."""
        if self.flat:
            gsource = gsource[:, :, :math.prod(self.geo.padded)].reshape(
                gsource.shape[:2] + self.geo.padded)
        return crop(gsource, self.geo.padding)

    def input_grad(self, g: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """The gradient of ``source`` from g (N, C, m, *grid), the adjoint of the taps.

        On flat planes that is a correlation too: source position q collects
        g[q - offset_k] * w[k], so g is shifted right by the largest offset and read
        through the mirrored windows, one ``_correlate`` over the m * K (multiplier, tap)
        pairs. Strided windows add each tap's share into its slice instead."""
        n, c, m = g.shape[:3]
        if self.flat:
            size = self.shape(())[0]
            last = self.windows[-1][0].start  # the largest offset
            shifted = np.zeros((n, c, m, size + last), g.dtype)
            shifted[..., last:last + self.length] = g
            shifted = shifted.reshape(n, c, -1)
            mirrored = [(slice(j * (size + last) + last - w.start,
                               j * (size + last) + last - w.start + size),)
                        for j in range(m) for (w,) in self.windows]
            flat_weights = weights.reshape(c, 1, -1)  # (C, 1, m * K), ordered as ``mirrored``
            return _correlate(shifted, mirrored, flat_weights, (size,))[:, :, 0]
        gsource = np.zeros((n, c, *self.geo.padded), g.dtype)
        share = np.empty((n, c, *self.grid), g.dtype)
        for i, window in enumerate(self.windows):
            np.einsum("ncm...,cm->nc...", g, weights[:, :, i], out=share)
            gsource[(slice(None), slice(None), *window)] += share
        return gsource

    def weight_grad(self, g: np.ndarray, source: np.ndarray) -> np.ndarray:
        """(C, m, K): sum over samples and grid of g (N, C, m, *grid) times each tap."""
        if self.flat:  # one contraction over a (N, C, L, *kernel) view of the flat planes
            item = source.itemsize
            steps = [math.prod(self.geo.padded[i + 1:]) * item for i in range(len(self.geo.kernel))]
            view = as_strided(source, source.shape[:2] + (self.length, *self.geo.kernel),
                              source.strides[:2] + (item, *(d * st for d, st in
                                                            zip(self.geo.dilation, steps))),
                              writeable=False)
            dims = "pqr"[:len(self.geo.kernel)]
            gw = np.einsum(f"ncml,ncl{dims}->cm{dims}", g, view)
            return gw.reshape(gw.shape[:2] + (-1,))
        gw = np.empty((g.shape[1], g.shape[2], len(self.windows)), g.dtype)
        dims = "xyz"[:len(self.grid)]
        for i, window in enumerate(self.windows):  # per tap: one einsum over 6 dims is slow
            gw[:, :, i] = np.einsum(f"ncm{dims},nc{dims}->cm", g, source[(..., *window)])
        return gw

    def output(self, y: np.ndarray) -> np.ndarray:
        """The output (N, O, *out) from its values on the grid."""
        if not self.flat:
            return y
        full = y.reshape(y.shape[:2] + (self.geo.out[0], *self.geo.padded[1:]))
        return np.ascontiguousarray(full[(..., *(slice(0, o) for o in self.geo.out))])

    def output_grad(self, grad: np.ndarray) -> np.ndarray:
        """The adjoint of ``output``: grad on the grid, zero on the columns cropped off."""
        if not self.flat:
            return grad
        full = np.zeros(grad.shape[:2] + (self.geo.out[0], *self.geo.padded[1:]), grad.dtype)
        full[(..., *(slice(0, o) for o in self.geo.out))] = grad
        return full.reshape(grad.shape[:2] + self.grid)


_BLOCK_BYTES = 2 ** 20  # a block of samples of about this size keeps the tap loop in cache


def _sample_blocks(n: int, per_sample: int) -> list:
    """Slices of a batch of n, each about ``_BLOCK_BYTES`` for ``per_sample`` bytes a sample."""
    size = max(1, _BLOCK_BYTES // max(1, per_sample))
    return [slice(lo, lo + size) for lo in range(0, n, size)]
