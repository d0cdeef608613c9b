"""Fused loss primitives: one graph node per loss, reduction included, as in torch.

``reduction`` is ``"none"``, ``"mean"`` or ``"sum"``; with ``"mean"`` the upstream gradient
is a scalar that each element receives divided by the element count. ``weight`` and
``pos_weight`` arrive as plain arrays: torch refuses to differentiate through them.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._base import Primitive, quiet
from .elementwise import where
from .nonlinearity import Softplus, _softplus

_QUIET = quiet
EPSILON = 1e-12  # torch's floor for x (1 - x) in the gradient of binary_cross_entropy


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.asarray(loss.sum(), dtype=loss.dtype)
    if loss.size == 0:  # torch: the mean of nothing is nan (NumPy would also warn)
        return np.full((), np.nan, dtype=loss.dtype)
    return np.asarray(loss.mean(), dtype=loss.dtype)


class _Loss(Primitive):
    """Shared by the losses: the reduction and the gradient each element receives."""

    reduction = "mean"
    count = 1

    def _setup(self, reduction: str, shape: tuple) -> None:
        self.reduction = reduction
        self.count = max(1, int(np.prod(shape)))

    def _per_element(self, grad: Tensor) -> Tensor:
        return grad / self.count if self.reduction == "mean" else grad

    @staticmethod
    def _constant(array: np.ndarray | None) -> Tensor | None:
        return None if array is None else Tensor._make(array)


class BinaryCrossEntropyWithLogits(_Loss):
    """w [(1 - t) x + (1 + (p - 1) t) softplus(-x)]; d/dx = w [(1 + (p - 1) t) sigmoid(x) - p t],
    d/dt = w [(p - 1) softplus(-x) - x] (p = pos_weight, 1 when absent)."""

    name_ = "BinaryCrossEntropyWithLogitsBackward0"

    def forward(self, x, t, weight=None, pos_weight=None, reduction="mean"):
        self.save_for_backward(x, t)
        self.weight, self.pos_weight = weight, pos_weight
        # -log(sigmoid(x)) is softplus(-x): stable for any x, unlike log(sigmoid(x))
        log_weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * t
        loss = (1 - t) * x + log_weight * _softplus(-x)
        if weight is not None:
            loss = loss * weight
        self._setup(reduction, loss.shape)
        # torch's result takes the target's dtype, whatever the input's
        return _reduce(loss.astype(t.dtype, copy=False), reduction)

    def backward(self, grad):
        x, t = self.saved_tensors
        need_x, need_t = self.needs_input_grad
        g = self._per_element(grad)
        w, p = self._constant(self.weight), self._constant(self.pos_weight)
        if w is not None:
            g = g * w
        grad_x = grad_t = None
        if need_x:
            if p is None:
                grad_x = g * (x.sigmoid() - t)
            else:
                grad_x = g * ((1 + (p - 1) * t) * x.sigmoid() - p * t)
        if need_t:
            grad_t = -g * x if p is None else g * ((p - 1) * Softplus.apply(-x) - x)
        return grad_x, grad_t


class BinaryCrossEntropy(_Loss):
    """-w [t log x + (1 - t) log(1 - x)], each log clamped to >= -100 as in torch;
    d/dx = w (x - t) / max(x (1 - x), 1e-12), d/dt = w [log(1 - x) - log x]."""

    name_ = "BinaryCrossEntropyBackward0"

    def forward(self, x, t, weight=None, reduction="mean"):
        _check_unit_interval(x, "input")
        _check_unit_interval(t, "target")
        self.save_for_backward(x, t)
        self.weight = None if weight is None else weight.astype(x.dtype, copy=False)
        with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        loss = (t - 1) * log_1mx - t * log_x
        if self.weight is not None:
            loss = loss * self.weight
        self._setup(reduction, loss.shape)
        return _reduce(loss, reduction)

    def backward(self, grad):
        x, t = self.saved_tensors
        need_x, need_t = self.needs_input_grad
        g = self._per_element(grad)
        w = self._constant(self.weight)
        if w is not None:
            g = g * w
        grad_x = grad_t = None
        if need_x:
            # max(d, eps) written as relu(d - eps) + eps, which stays differentiable
            denom = ((1 - x) * x - EPSILON).relu() + EPSILON
            grad_x = g * (x - t) / denom
        if need_t:
            grad_t = g * ((1 - x).log() - x.log())
        return grad_x, grad_t


def _check_unit_interval(a: np.ndarray, what: str) -> None:
    # written as "not inside" so that nan is rejected too, as in torch
    if not np.all((a >= 0) & (a <= 1)):
        raise RuntimeError(f"all elements of {what} should be between 0 and 1")


class MseLoss(_Loss):
    """(x - t)^2; d/dx = 2 (x - t), d/dt = -2 (x - t)."""

    name_ = "MseLossBackward0"

    def forward(self, x, t, reduction="mean", dtype=None):
        self.save_for_backward(x, t)
        diff = np.subtract(x, t, dtype=dtype)
        loss = diff * diff
        self._setup(reduction, loss.shape)
        return _reduce(loss, reduction)

    def backward(self, grad):
        x, t = self.saved_tensors
        need_x, need_t = self.needs_input_grad
        g = 2 * self._per_element(grad) * (x - t)
        return (g if need_x else None), (-g if need_t else None)


class NllLoss(_Loss):
    """-w[t] x[n, t, ...] at each target (nothing where t == ignore_index); 'mean' divides by
    the sum of the weights picked. d/dx holds -w[t] / (that sum) at each target's position:
    linear in the upstream gradient, so the graph of the gradient needs only that constant.

    ``target`` and ``weight`` arrive as arrays; the class dim of ``x`` is 1 (0 for a 1-D x).
    """

    name_ = "NllLossBackward0"

    def forward(self, x, target, weight=None, ignore_index=-100, reduction="mean"):
        if x.ndim > 2:
            self.name_ = "NllLoss2DBackward0"
        self.reduction = reduction
        if (weight is None and reduction == "mean" and x.ndim == 2 and x.dtype.char in "fd"
                and 0 < target.size <= _EXACT_COUNT):
            out = self._rows_mean(x, target, ignore_index)
            if out is not None:
                return out
        self.class_dim = min(1, x.ndim - 1)
        last = _classes_last(x, self.class_dim)  # (..., C), target (...)
        valid = target != ignore_index
        _check_classes(target, valid, last.shape[-1])
        safe = np.where(valid, target, 0)
        w = np.ones((), x.dtype) if weight is None else weight.astype(x.dtype)[safe]
        w = np.where(valid, w, 0).astype(x.dtype)
        at = (np.arange(safe.size), safe.reshape(-1))  # each target's row and column
        picked = last.reshape(safe.size, last.shape[-1])[at].reshape(safe.shape)
        loss = -picked * w
        if reduction == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: 0/0 = nan
                total = w.sum(dtype=x.dtype)
                w = w / total
                out = np.asarray(loss.sum() / total, dtype=x.dtype)
        else:
            out = _reduce(loss, reduction)
        if self.needs_input_grad:
            coef = np.zeros(last.shape, x.dtype)
            coef.reshape(safe.size, last.shape[-1])[at] = -w.reshape(-1)
            self.coef = coef if self.class_dim == x.ndim - 1 else \
                np.moveaxis(coef, -1, self.class_dim)
        return out

    def _rows_mean(self, x: np.ndarray, target: np.ndarray, ignore_index: int
                   ) -> np.ndarray | None:
        """The batch of a classifier: (N, C) scores, no weights, the mean, every target a
        class (none ignored); None otherwise. NOTE [ nll_loss's common case ]"""
        n, n_classes = x.shape
        if (0 <= ignore_index < n_classes or np.minimum.reduce(target) < 0
                or np.maximum.reduce(target) >= n_classes):
            return None  # some target is ignored or out of range: the general path sorts it
        self.class_dim = 1
        at = (np.arange(n), target)
        total = x.dtype.type(n)  # the weights' sum: n ones
        if self.needs_input_grad:
            self.coef = np.zeros(x.shape, x.dtype)
            self.coef[at] = -(x.dtype.type(1) / total)
        return np.asarray(np.add.reduce(np.negative(x[at])) / total, dtype=x.dtype)

    def backward(self, grad):
        if self.reduction == "none" and grad.dim():
            grad = grad.unsqueeze(self.class_dim)
        return grad * Tensor._make(self.coef)

    @_QUIET
    def backward_np(self, grad):
        if self.reduction == "none" and grad.ndim:
            grad = np.expand_dims(grad, self.class_dim)
        return grad * self.coef


# NOTE [ nll_loss's common case ]
# A classifier's loss is nll_loss on (N, C) log-probabilities with class indices, no weights and
# the mean. With every target a class, the general formula's weights are all one and their sum
# is N, so its loss -(x[n, t] * 1) summed over N, and its gradient coefficients -(1 / N) at the
# targets, are what ``_rows_mean`` computes directly: the same values, a handful of NumPy calls
# instead of about twenty (masks, ``where``s and weight arrays that change nothing here). In
# float32 and float64 (N up to 2**24) the sum of N ones is N exactly, as the general path sums.
_EXACT_COUNT = 1 << 24
def _classes_last(x: np.ndarray, class_dim: int) -> np.ndarray:
    """``x`` with its class dim moved last (a view; x itself when it is last already)."""
    return x if class_dim == x.ndim - 1 else np.moveaxis(x, class_dim, -1)


def _check_classes(target: np.ndarray, valid: np.ndarray, n_classes: int) -> None:
    bad = valid & ((target < 0) | (target >= n_classes))
    if bad.any():
        raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")


class SmoothL1Loss(_Loss):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = x - t);
    d/dx = d / beta, resp. sign(d); d/dt = -d/dx."""

    name_ = "SmoothL1LossBackward0"

    def forward(self, x, t, reduction="mean", beta=1.0, dtype=None):
        self.beta = beta
        self.save_for_backward(x, t)
        d = np.subtract(x, t, dtype=dtype)
        ad = np.abs(d)
        loss = np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta).astype(d.dtype)
        self._setup(reduction, loss.shape)
        return _reduce(loss, reduction)

    def backward(self, grad):
        x, t = self.saved_tensors
        d = x - t
        g = self._per_element(grad) * where(d.abs() < self.beta, d / self.beta, d.sign())
        return _pair(g, self.needs_input_grad)


class HuberLoss(_Loss):
    """0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta) (d = x - t);
    d/dx = d, resp. delta sign(d); d/dt = -d/dx."""

    name_ = "HuberLossBackward0"

    def forward(self, x, t, reduction="mean", delta=1.0, dtype=None):
        self.delta = delta
        self.save_for_backward(x, t)
        d = np.subtract(x, t, dtype=dtype)
        ad = np.abs(d)
        loss = np.where(ad <= delta, 0.5 * d * d, delta * (ad - 0.5 * delta)).astype(d.dtype)
        self._setup(reduction, loss.shape)
        return _reduce(loss, reduction)

    def backward(self, grad):
        x, t = self.saved_tensors
        d = x - t
        g = self._per_element(grad) * where(d.abs() <= self.delta, d, d.sign() * self.delta)
        return _pair(g, self.needs_input_grad)


def _pair(g: Tensor, needs: tuple) -> tuple:
    """The gradients of (input, target) of a loss of ``input - target``."""
    return (g if needs[0] else None), (-g if needs[1] else None)
