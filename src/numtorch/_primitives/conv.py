"""Convolution, transposed convolution, unfold and fold, on im2col windows.

Each convolution is one im2col copy and one matmul (NOTE [ Windows without pixel loops ] in
``_window``) in one of three layouts, chosen by shape (NOTE [ Three convolution layouts ] in
``_conv_layouts``); groups are the batch dim of that matmul. Their backward runs in NumPy
and is once-differentiable (``_window.numpy_grads``): the speed of the first derivative is
what training needs. Unfold and fold are linear and each other's adjoint, so their backward
is the other op, which makes them differentiable any number of times.
"""

from __future__ import annotations

import math

import numpy as np

from ._base import Primitive
from ._conv_layouts import Geometry, bias_shape, choose, grouped, scatter
from ._window import COLUMNS, QUIET, col2im, crop, im2col, numpy_grads, out_size, pad


class _GradsOnArrays(Primitive):
    """A convolution whose gradients ``_grads(grad, x, w)`` are computed on arrays, for both
    backward paths; once-differentiable (``_window.numpy_grads`` says so under create_graph)."""

    name_ = "ConvolutionBackward0"
    once_differentiable = True
    kernel = ""  # the name numpy_grads reports

    def backward(self, grad):
        x, w = self.saved_tensors  # raises after the graph was freed
        grads = numpy_grads(self.kernel, self._grads(grad._data, x._data, w._data),
                            (grad, x, w))
        return grads[:len(self.needs_input_grad)]

    def backward_np(self, grad):
        return self._grads(grad, *self.saved_arrays)[:len(self.needs_input_grad)]

    def _grads(self, grad: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple:
        raise NotImplementedError  # pragma: no cover


class Convolution(_GradsOnArrays):
    """out[n, o] = sum_{c, k} w[o, c, k] x_pad[n, c, o_pos * stride + k * dilation] + b[o],
    over the input channels of o's group."""

    kernel = "convolution"
    cols = None

    @QUIET
    def forward(self, x, w, *bias, stride, padding, dilation, groups):
        kernel = w.shape[2:]
        padded = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], padding))
        geo = Geometry(kernel, stride, padding, dilation, groups, padded,
                       out_size(padded, kernel, stride, dilation))
        layout = choose(x, w, geo)
        y, cols = layout.forward(x, w, bias, geo)
        if self.needs_input_grad:
            self.layout, self.geometry = layout, geo
            self.save_for_backward(x, w)
        if cols is None:
            return y
        if self.needs_input_grad and self.needs_input_grad[1]:
            self.cols = cols  # the weight gradient reads them
        else:
            COLUMNS.give(cols)
        return y

    def _grads(self, grad: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple:
        """(grad x, grad w, grad b) as arrays, None where not needed."""
        return self.layout.grads(grad, x, w, self.cols, self.geometry, self.needs_input_grad)

    def _release(self) -> None:
        super()._release()
        if self.cols is not None:
            COLUMNS.give(self.cols)
            self.cols = None


class ConvTranspose(_GradsOnArrays):
    """The adjoint of ``Convolution`` in x (a fractionally strided convolution): each input
    pixel adds w[c, o, k] * x[n, c, i] at out[n, o, i * stride + k * dilation - padding];
    ``output_padding`` widens the far end. w is (C_in, C_out/groups, *kernel)."""

    kernel = "conv_transpose"
    cols = None

    @QUIET
    def forward(self, x, w, *bias, stride, padding, output_padding, dilation, groups):
        n, size, kernel = x.shape[0], x.shape[2:], w.shape[2:]
        full = tuple((i - 1) * s + d * (k - 1) + 1 + p
                     for i, k, s, d, p in zip(size, kernel, stride, dilation, output_padding))
        xg = x.reshape(n, groups, x.shape[1] // groups, math.prod(size))
        y = scatter(grouped(w, groups).transpose(0, 2, 1), xg,
                    (n, w.shape[1] * groups, *full), kernel, stride, dilation, size, padding)
        if bias:
            y += bias[0].reshape(bias_shape(y.ndim - 2))
        if self.needs_input_grad:
            self.geometry = (stride, padding, dilation, groups)
            self.save_for_backward(x, w)
        return y

    def _grads(self, grad: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple:
        """(grad x, grad w, grad b) as arrays, None where not needed."""
        stride, padding, dilation, groups = self.geometry
        need = self.needs_input_grad
        n, size = x.shape[0], x.shape[2:]
        # the gradient of a scatter is a gather: im2col of the (re-padded) output gradient
        gcols = im2col(pad(grad, padding), w.shape[2:], stride, dilation, size)
        gcols = gcols.reshape(n, groups, gcols.shape[1] // groups, gcols.shape[-1])
        gx = gw = gb = None
        if need[0]:
            gx = np.matmul(grouped(w, groups), gcols).reshape(x.shape)
        if need[1]:
            xg = x.reshape(n, groups, x.shape[1] // groups, math.prod(size))
            gw = np.matmul(xg, gcols.transpose(0, 1, 3, 2)).sum(0).reshape(w.shape)
        if len(need) > 2 and need[2]:
            gb = grad.sum(axis=(0, *range(2, grad.ndim)))
        return gx, gw, gb


class Im2Col(Primitive):
    """unfold: (N, C, *spatial) -> (N, C * prod(kernel), L), the sliding windows as columns
    (an unbatched (C, *spatial) gives (C * prod(kernel), L)); its gradient is fold
    (``Col2Im``) of the gradient."""

    name_ = "Im2ColBackward0"

    @QUIET
    def forward(self, x, kernel, dilation, padding, stride):
        self.size, self.args = x.shape[-len(kernel):], (kernel, dilation, padding, stride)
        batched = x.ndim == len(kernel) + 2
        xp = pad(x if batched else x[None], padding)
        cols = im2col(xp, kernel, stride, dilation,
                      out_size(xp.shape[2:], kernel, stride, dilation))
        # a 1x1 kernel makes the columns a plain view of x; the result must own its data
        cols = cols.copy() if np.may_share_memory(cols, x) else cols
        return cols if batched else cols[0]

    def backward(self, grad):
        return Col2Im.apply(grad, output_size=self.size, args=self.args)

    @QUIET
    def backward_np(self, grad):
        return Col2Im().forward(grad, output_size=self.size, args=self.args)


class Col2Im(Primitive):
    """fold: (N, C * prod(kernel), L) -> (N, C, *output_size), summing overlapping entries
    (unbatched: (C * prod(kernel), L) -> (C, *output_size)); its gradient is unfold
    (``Im2Col``) of the gradient."""

    name_ = "Col2ImBackward0"

    @QUIET
    def forward(self, cols, output_size, args):
        kernel, dilation, padding, stride = self.args = args
        batched = cols.ndim == 3
        cols = cols if batched else cols[None]
        full = tuple(n + lo + hi for n, (lo, hi) in zip(output_size, padding))
        out = out_size(full, kernel, stride, dilation)
        channels = cols.shape[1] // math.prod(kernel)
        xp = col2im(cols, (cols.shape[0], channels, *full), kernel, stride, dilation, out)
        x = crop(xp, padding)
        return x if batched else x[0]

    def backward(self, grad):
        return Im2Col.apply(grad, **self._unfold_args())

    @QUIET
    def backward_np(self, grad):
        return Im2Col().forward(grad, **self._unfold_args())

    def _unfold_args(self) -> dict:
        kernel, dilation, padding, stride = self.args
        return dict(kernel=kernel, dilation=dilation, padding=padding, stride=stride)
