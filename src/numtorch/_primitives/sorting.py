"""NumPy kernels of the sorting and counting family (index computations with no gradient,
run through ``reduction.Reduce``) and the one differentiable scan it adds, LogCumSumExp.
"""

from __future__ import annotations

import numpy as np

from ._base import Primitive


# NOTE [ Stable sorting, fast ]
# torch's sort orders equal elements by position (stable=True; numtorch always does), but NumPy's
# stable sort of floats (timsort) is ~6x slower than its quicksort. Equal elements are the only
# thing the two disagree on (nan included: nan sorts last in both), so quicksort runs first and
# the stable sort only when the sorted result shows two equal neighbours (or two nans). Without
# ties, descending order is ascending reversed, which also puts nan first, as torch does.
def argsort(x: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along ``dim``; nan sorts as the largest value (last ascending, first
    descending), ties keep their order either way."""
    if x.ndim == 0:
        return np.zeros((), np.int64)
    order = np.argsort(x, axis=dim)
    if not _has_ties(np.take_along_axis(x, order, axis=dim), dim):
        return (np.flip(order, dim) if descending else order).astype(np.int64)
    if not descending:
        return np.argsort(x, axis=dim, kind="stable").astype(np.int64)
    # descending and stable: sort the reversed sequence ascending and reverse the answer,
    # mapping positions back (reversal twice keeps equal elements in their first order)
    n = x.shape[dim]
    rev = np.argsort(np.flip(x, dim), axis=dim, kind="stable")
    return (n - 1 - np.flip(rev, dim)).astype(np.int64)


def _has_ties(s: np.ndarray, dim: int) -> bool:
    """Whether sorted ``s`` has two equal neighbours along ``dim`` (nan equal to nan)."""
    n = s.shape[dim]
    a, b = np.take(s, range(1, n), axis=dim), np.take(s, range(n - 1), axis=dim)
    same = a == b
    if s.dtype.kind == "f":
        same |= np.isnan(a) & np.isnan(b)
    return bool(same.any())


def kth_index(x: np.ndarray, k: int, dim: int, keepdim: bool) -> np.ndarray:
    """The index of the k-th smallest (1-based) along ``dim``: equal values in order."""
    if x.ndim == 0:
        return np.zeros((), np.int64)
    order = argsort(x, dim, False)
    idx = np.take(order, [k - 1], axis=dim)
    return idx if keepdim else np.squeeze(idx, dim)


def mode_index(x: np.ndarray, dim: int, keepdim: bool) -> np.ndarray:
    """The index of the most frequent value along ``dim`` (the smallest such value, at its
    last occurrence, as torch's CPU kernel; nans count as one value)."""
    if x.ndim == 0:
        return np.zeros((), np.int64)
    order = argsort(x, dim, False)  # stable: a run of equal values ends at the last occurrence
    s = np.take_along_axis(x, order, axis=dim)
    n = x.shape[dim]
    a, b = np.take(s, range(1, n), axis=dim), np.take(s, range(n - 1), axis=dim)
    new = a != b
    if s.dtype.kind == "f":
        new &= ~(np.isnan(a) & np.isnan(b))
    first = np.ones_like(np.take(s, [0], axis=dim), dtype=bool)
    starts = np.concatenate([first, new], axis=dim)
    ends = np.concatenate([new, first], axis=dim)
    positions = np.arange(n).reshape(tuple(-1 if i == dim else 1 for i in range(x.ndim)))
    run_start = np.maximum.accumulate(np.where(starts, positions, 0), axis=dim)
    counts = np.where(ends, positions - run_start + 1, 0)
    best = np.argmax(counts, axis=dim, keepdims=True)  # the first: the smallest value
    idx = np.take_along_axis(order, best, axis=dim)
    return idx if keepdim else np.squeeze(idx, dim)


def nanmedian_index(x: np.ndarray, dim: int, keepdim: bool) -> np.ndarray:
    """The index of the lower median of the non-nan values along ``dim`` (of the first nan
    when all are nan)."""
    if x.ndim == 0:
        return np.zeros((), np.int64)
    order = argsort(x, dim, False)
    count = np.sum(~np.isnan(x), axis=dim, keepdims=True) if x.dtype.kind == "f" else \
        np.full_like(np.take(x, [0], axis=dim), x.shape[dim], dtype=np.int64)
    pos = np.maximum((count - 1) // 2, 0)
    idx = np.take_along_axis(order, pos, axis=dim).astype(np.int64)
    return idx if keepdim else np.squeeze(idx, dim)


def cum_extreme_index(x: np.ndarray, dim: int, largest: bool) -> np.ndarray:
    """cummax/cummin indices: the latest position holding the running extreme (ties move
    it forward), and every nan takes it, as torch's ``x >= best || isnan(x)``."""
    if x.ndim == 0:
        return np.zeros((), np.int64)
    running = (np.maximum if largest else np.minimum).accumulate(x, axis=dim)
    mark = x == running
    if x.dtype.kind == "f":
        mark |= np.isnan(x)
    positions = np.arange(x.shape[dim]).reshape(
        tuple(-1 if i == dim else 1 for i in range(x.ndim)))
    return np.maximum.accumulate(np.where(mark, positions, 0), axis=dim).astype(np.int64)


class LogCumSumExp(Primitive):
    """out_i = log sum_{j<=i} exp(x_j); gx_j = sum_{i>=j} g_i exp(x_j - out_i), computed as
    exp(x - m) * revcumsum(g exp(m - out)) with m the last (largest) out of each slice."""

    name_ = "LogcumsumexpBackward0"

    def forward(self, x, dim):
        self.dim = dim
        out = np.logaddexp.accumulate(x, axis=dim) if x.ndim else x.copy()
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        if x.ndim == 0 or x.numel() == 0:
            return grad
        d = self.dim
        m = out.detach().narrow(d, out.shape[d] - 1, 1)
        m = m.masked_fill(~m.isfinite(), 0.0)
        tail = (grad * (m - out).exp()).flip(d).cumsum(d).flip(d)
        return (x - m).exp() * tail

    def backward_np(self, grad):
        x, out = self.saved_arrays
        if x.ndim == 0 or x.size == 0:
            return grad
        d = self.dim
        m = np.take(out, [out.shape[d] - 1], axis=d)
        m = np.where(~np.isfinite(m), np.zeros((), m.dtype), m)  # masked_fill(..., 0.0)
        tail = np.flip(grad * np.exp(m - out), d).copy()  # Flip.forward copies
        tail = np.flip(np.cumsum(tail, axis=d), d).copy()
        return np.exp(x - m) * tail
