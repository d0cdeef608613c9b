"""Sliding windows on NumPy arrays: the shared machinery of convolution, unfold/fold and pooling.

NOTE [ Windows without pixel loops ]
An input of shape (N, C, *spatial), padded, is read through a window *view*
(``np.lib.stride_tricks.as_strided``): element ``[n, c, *o, *k]`` is
``x[n, c, o * stride + k * dilation]``. Nothing is copied until the view is reshaped into the
``im2col`` matrix (N, C * prod(kernel), prod(out)), whose rows follow torch's ``unfold``
order (channel, then kernel offsets); one matmul per convolution then does the work.

Going back (``col2im``, the adjoint) each column entry is added to the pixel it was read
from. Windows overlap, so different entries land on one pixel; a loop over the kernel
offsets only (``prod(kernel)`` iterations, each a vectorised ``+=`` on a strided slice) is
exact, because within one offset the pixels touched are distinct.

Spatial geometry is passed as tuples with one entry per spatial dim; ``padding`` is a tuple
of (before, after) pairs so that the asymmetric ``padding='same'`` needs no extra copy.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from itertools import product

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._tensor import Tensor
from ..autograd.function import _DelayedError
from ..autograd.grad_mode import _GradState
from ..autograd.graph import gradient_edge

# inf and NaN flow through these kernels as torch lets them (inf - inf is NaN there too),
# without NumPy's floating-point warnings
QUIET = np.errstate(all="ignore")


def out_size(size: tuple, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    """The number of window positions along each (already padded) spatial dim."""
    return tuple((n - d * (k - 1) - 1) // s + 1
                 for n, k, s, d in zip(size, kernel, stride, dilation))


def pad(x: np.ndarray, padding: tuple, value: float = 0) -> np.ndarray:
    """``x`` with its trailing ``len(padding)`` dims widened by the (before, after) pairs."""
    if not any(lo or hi for lo, hi in padding):
        return x
    lead = x.shape[:x.ndim - len(padding)]
    spatial = x.shape[x.ndim - len(padding):]
    out = np.full(lead + tuple(n + lo + hi for n, (lo, hi) in zip(spatial, padding)), value,
                  x.dtype)
    out[(..., *(slice(lo, lo + n) for n, (lo, _) in zip(spatial, padding)))] = x
    return out


def crop(x: np.ndarray, padding: tuple) -> np.ndarray:
    """The inverse of ``pad``: ``x`` without the padded borders, C-contiguous."""
    if not any(lo or hi for lo, hi in padding):
        return np.ascontiguousarray(x)
    spatial = x.shape[x.ndim - len(padding):]
    return np.ascontiguousarray(
        x[(..., *(slice(lo, n - hi) for n, (lo, hi) in zip(spatial, padding)))])


def windows(x: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple,
            out: tuple) -> np.ndarray:
    """A read-only view (*lead, *out, *kernel) of ``x`` (*lead, *spatial): see the NOTE."""
    nd = len(kernel)
    lead, steps = x.shape[:x.ndim - nd], x.strides[x.ndim - nd:]
    strides = (x.strides[:x.ndim - nd] + tuple(st * s for st, s in zip(steps, stride))
               + tuple(st * d for st, d in zip(steps, dilation)))
    return as_strided(x, lead + tuple(out) + tuple(kernel), strides, writeable=False)


def tap(offset: tuple, stride: tuple, dilation: tuple, out: tuple) -> tuple:
    """Slices of the spatial dims picking, for one kernel offset, the pixel of every window."""
    return tuple(slice(k * d, k * d + s * (o - 1) + 1, s)
                 for k, s, d, o in zip(offset, stride, dilation, out))


def offsets(kernel: tuple) -> product:
    """Every kernel offset, in row-major order (the order torch scans a window in)."""
    return product(*(range(k) for k in kernel))


def im2col(x: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple, out: tuple,
           into: np.ndarray | None = None) -> np.ndarray:
    """(N, C * prod(kernel), prod(out)) from x (N, C, *spatial): column j holds window j.
    ``into``: a C-contiguous array of that shape to write the columns to."""
    nd = len(kernel)
    view = windows(x, kernel, stride, dilation, out)
    # (N, C, *kernel, *out): the inner run along the last output dim stays contiguous in x
    # for stride 1, which keeps this one copy fast
    view = view.transpose(0, 1, *range(2 + nd, 2 + 2 * nd), *range(2, 2 + nd))
    shape = (x.shape[0], x.shape[1] * math.prod(kernel), math.prod(out))
    if into is None:
        return view.reshape(shape)
    np.copyto(into.reshape(view.shape), view)
    return into


class BufferPool:
    """Spare arrays by (shape, dtype), the least recently returned dropped beyond ``limit``
    bytes.

    NOTE [ Reusing the column buffer ]
    The im2col matrix is the largest array a convolution makes (prod(kernel) times its
    input) and lives from forward to backward. Allocating a fresh one every step costs the
    operating system's page faults on top of the copy (about a tenth of a LeNet training
    step); handing it back after backward (or right after an inference forward) lets the
    next forward of the same shape fill the same memory. Backward's own scratch arrays (the
    gradient's columns, the batch-last copies) come from here too and go back before
    backward returns, so several arrays of one shape may wait at once. Only arrays nobody
    else can see go back: they never leave their primitive.
    """

    def __init__(self, limit: int) -> None:
        self._free: OrderedDict[tuple, list[np.ndarray]] = OrderedDict()
        self._limit, self._bytes = limit, 0

    def take(self, shape: tuple, dtype: np.dtype) -> np.ndarray:
        key = (tuple(shape), np.dtype(dtype))
        spare = self._free.get(key)
        if not spare:
            return np.empty(key[0], key[1])
        array = spare.pop()
        if not spare:
            del self._free[key]
        self._bytes -= array.nbytes
        return array

    def zeros(self, shape: tuple, dtype: np.dtype) -> np.ndarray:
        array = self.take(shape, dtype)
        array.fill(0)
        return array

    def give(self, *arrays: np.ndarray) -> None:
        for array in arrays:
            if array.nbytes > self._limit:
                continue
            key = (array.shape, array.dtype)
            self._free.setdefault(key, []).append(array)
            self._free.move_to_end(key)
            self._bytes += array.nbytes
        while self._bytes > self._limit and self._free:
            key, spare = next(iter(self._free.items()))
            self._bytes -= spare.pop(0).nbytes
            if not spare:
                del self._free[key]


COLUMNS = BufferPool(64 * 2 ** 20)  # the columns of a LeNet step at batch 256 take 17 MB


def col2im(cols: np.ndarray, shape: tuple, kernel: tuple, stride: tuple, dilation: tuple,
           out: tuple) -> np.ndarray:
    """The adjoint of ``im2col``: an array of ``shape`` (N, C, *spatial) where each column
    entry is added to the pixel it was read from (see the NOTE for why the loop is exact)."""
    n, c = shape[:2]
    parts = cols.reshape(n, c, *kernel, *out)
    x = np.zeros(shape, cols.dtype)
    for k in offsets(kernel):
        x[(..., *tap(k, stride, dilation, out))] += parts[(slice(None), slice(None), *k)]
    return x


def to_batch_last(x: np.ndarray, padding: tuple, pool: BufferPool) -> np.ndarray:
    """x (N, C, *spatial) zero-padded and with the batch innermost, (C, *padded, N), in an
    array from ``pool``: one transposing copy."""
    n, c, spatial = x.shape[0], x.shape[1], x.shape[2:]
    full = tuple(s + lo + hi for s, (lo, hi) in zip(spatial, padding))
    if any(lo or hi for lo, hi in padding):
        xt = pool.zeros((c, *full, n), x.dtype)
    else:
        xt = pool.take((c, *full, n), x.dtype)
    inner = tuple(slice(lo, lo + s) for s, (lo, _) in zip(spatial, padding))
    np.copyto(xt[(slice(None), *inner)], np.moveaxis(x, 0, -1))
    return xt


def from_batch_last(xt: np.ndarray, padding: tuple) -> np.ndarray:
    """The inverse of ``to_batch_last``: (C, *padded, N) to a new (N, C, *spatial)."""
    inner = tuple(slice(lo, n - hi) for n, (lo, hi) in zip(xt.shape[1:-1], padding))
    return np.ascontiguousarray(np.moveaxis(xt[(slice(None), *inner)], -1, 0))


def im2col_batch_last(xt: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple,
                      out: tuple, into: np.ndarray) -> np.ndarray:
    """The columns (C * prod(kernel), prod(out) * N) of a batch-last xt (C, *spatial, N),
    written to ``into``: every copied run is out[-1] * N long for stride 1."""
    nd = len(kernel)
    steps = xt.strides[1:1 + nd]
    view = as_strided(xt, (xt.shape[0], *kernel, *out, xt.shape[-1]),
                      (xt.strides[0], *(st * d for st, d in zip(steps, dilation)),
                       *(st * s for st, s in zip(steps, stride)), xt.strides[-1]),
                      writeable=False)
    np.copyto(into.reshape(view.shape), view)
    return into


def col2im_batch_last(cols: np.ndarray, shape: tuple, kernel: tuple, stride: tuple,
                      dilation: tuple, out: tuple, into: np.ndarray | None = None) -> np.ndarray:
    """``col2im`` with the batch dim last: columns (C * prod(kernel), prod(out) * N) into an
    array of ``shape`` (C, *spatial, N) (``into``, zeroed, when given). With the batch
    innermost each ``+=`` runs over rows of out[-1] * N contiguous elements instead of
    out[-1]: for the small images of a large batch that halves the time of the loop."""
    parts = cols.reshape(shape[0], *kernel, *out, shape[-1])
    x = np.zeros(shape, cols.dtype) if into is None else into
    for k in offsets(kernel):
        x[(slice(None), *tap(k, stride, dilation, out))] += parts[(slice(None), *k)]
    return x


# -- once-differentiable kernels ----------------------------------------------------------------
class _NotTwiceDifferentiable(_DelayedError):
    """Carries, under ``create_graph``, a gradient computed in NumPy; reaching it raises."""

    def __init__(self, op: str) -> None:
        self.op = op

    def _backward(self, *grads: Tensor) -> tuple:
        raise RuntimeError(f"numtorch's {self.op} backward is not differentiable twice")


def numpy_grads(op: str, grads: tuple, sources: tuple) -> tuple:
    """Wrap the NumPy gradients of a once-differentiable kernel as tensors.

    Outside ``create_graph`` they are plain tensors. Under it (grad mode is on inside
    backward) they hang off a node whose own backward raises, so a first backward with
    ``create_graph=True`` still works and only differentiating these gradients fails, with
    a message naming ``op``. ``sources``: the tensors the gradients were computed from.
    """
    if not _GradState.enabled or not any(t._requires_grad for t in sources):
        return tuple(None if g is None else Tensor._make(g) for g in grads)
    node = _NotTwiceDifferentiable(op)
    node.next_functions = tuple(gradient_edge(t) for t in sources)
    node._input_meta = tuple((t._data.shape, t._data.dtype) for t in sources)
    node.n_outputs = len(grads)
    return tuple(None if g is None else Tensor._make(g, True, node, i)
                 for i, g in enumerate(grads))
