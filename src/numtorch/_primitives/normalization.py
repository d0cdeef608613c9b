"""Normalization layers as fused primitives: layer_norm, batch_norm and group_norm.

NOTE [ One normalization, three layouts ]
Each normalizes x over some dims to zero mean and unit (biased) variance, then applies a
per-feature affine map ``xhat * weight + bias``. They differ only in where the statistics
are taken and how ``weight`` lines up with x:

=============  ===================  =====================  ============================
layer          statistics over      weight shaped as       weight grad sums over
=============  ===================  =====================  ============================
layer_norm     the last k dims      normalized_shape       the leading dims
batch_norm     all dims but C (1)   (C, 1, ..., 1)         all dims but C
group_norm     (C/G, *) per group   (C, 1, ..., 1)         all dims but C
=============  ===================  =====================  ============================

so one primitive takes that description (``stat_shape``: x reshaped so the statistics are
over ``dims``; ``affine_shape``; ``sum_dims``). Its backward recomputes ``xhat`` from the
saved input with tensor ops, so the gradient is itself differentiable:
``dx = rstd (g - mean(g) - xhat mean(g xhat))`` with ``g = grad * weight``.
Batch norm in eval mode uses the running statistics, constants: ``dx = g rstd``.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._base import Primitive


class Normalization(Primitive):
    """xhat * weight + bias with xhat = (x - mean) / sqrt(var + eps) over the layout's dims;
    the inputs are x, then weight and bias when present (see the NOTE above)."""

    name_ = "NativeLayerNormBackward0"

    def forward(self, x, *affine, layout, eps, has_weight=False, has_bias=False, name=None,
                stats=None, running=None, momentum=0.1):
        if name:
            self.name_ = name
        self.stat_shape, self.dims, self.affine_shape, self.sum_dims = layout
        self.eps, self.has_weight, self.has_bias = eps, has_weight, has_bias
        self.rstd = None
        if stats is None:  # statistics of this batch
            xs = x.reshape(self.stat_shape)
            mean = xs.mean(self.dims, keepdims=True)
            var = xs.var(self.dims, keepdims=True)
            if running is not None:
                _update_running(running, mean, var, xs.size // max(mean.size, 1), momentum)
        else:  # batch norm in eval mode: the running statistics, constants
            xs = x
            mean, var = (s.reshape(self.affine_shape).astype(x.dtype) for s in stats)
            self.mean, self.rstd = mean, (1 / np.sqrt(var + eps)).astype(x.dtype)
        out = ((xs - mean) / np.sqrt(var + eps)).reshape(x.shape).astype(x.dtype, copy=False)
        weight, bias = _split(affine, has_weight, has_bias)
        if weight is not None:
            out = out * weight.reshape(self.affine_shape)
        if bias is not None:
            out = out + bias.reshape(self.affine_shape)
        self.save_for_backward(x, weight)
        return out

    def backward(self, grad):
        x, weight = self.saved_tensors
        need = self.needs_input_grad
        xhat, rstd = self._xhat(x)
        grads = []
        if need[0]:
            g = grad if weight is None else grad * weight.reshape(self.affine_shape)
            grads.append(self._grad_input(g, xhat, rstd, x.shape))
        else:
            grads.append(None)
        if self.has_weight:
            grads.append(self._sum(grad * xhat) if need[1] else None)
        if self.has_bias:
            grads.append(self._sum(grad) if need[-1] else None)
        return tuple(grads)

    def _sum(self, t: Tensor) -> Tensor:
        """Sum over the dims the weight is shared across (none for an unbatched input)."""
        return t.sum(self.sum_dims) if self.sum_dims else t

    def _xhat(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """xhat in x's shape and rstd (in the statistics' shape), as tensors of x."""
        if self.rstd is not None:
            rstd = Tensor._make(self.rstd)
            return (x - Tensor._make(self.mean)) * rstd, rstd
        xs = x.reshape(self.stat_shape)
        centered = xs - xs.mean(self.dims, keepdim=True)
        rstd = ((centered * centered).mean(self.dims, keepdim=True) + self.eps).rsqrt()
        return (centered * rstd).reshape(x.shape), rstd

    def _grad_input(self, g: Tensor, xhat: Tensor, rstd: Tensor, shape: tuple) -> Tensor:
        if self.rstd is not None:
            return g * rstd
        gs, xs = g.reshape(self.stat_shape), xhat.reshape(self.stat_shape)
        inner = gs - gs.mean(self.dims, keepdim=True) - \
            xs * (gs * xs).mean(self.dims, keepdim=True)
        return (inner * rstd).reshape(shape)


def _split(affine: tuple, has_weight: bool, has_bias: bool) -> tuple:
    weight = affine[0] if has_weight else None
    bias = affine[-1] if has_bias else None
    return weight, bias


def _update_running(running: tuple, mean: np.ndarray, var: np.ndarray, n: int,
                    momentum: float) -> None:
    """running = (1 - momentum) running + momentum stat, in place; the running variance
    takes the unbiased variance (n / (n - 1)), as torch."""
    running_mean, running_var = running
    if running_mean is not None:
        running_mean *= 1 - momentum
        running_mean += (momentum * mean.reshape(-1)).astype(running_mean.dtype)
    if running_var is not None:
        unbiased = var.reshape(-1) * (n / max(n - 1, 1))
        running_var *= 1 - momentum
        running_var += (momentum * unbiased).astype(running_var.dtype)


def layer_layout(shape: tuple, k: int) -> tuple:
    """Statistics over the last k dims; weight of normalized_shape."""
    n = len(shape)
    return shape, tuple(range(n - k, n)), shape[n - k:], tuple(range(n - k))


def channel_layout(shape: tuple) -> tuple:
    """Statistics per channel (dim 1) over every other dim: batch norm."""
    n = len(shape)
    others = (0,) + tuple(range(2, n))
    return shape, others, (shape[1],) + (1,) * (n - 2), others


def group_layout(shape: tuple, groups: int) -> tuple:
    """Statistics per (sample, group of C / groups channels)."""
    n = len(shape)
    others = (0,) + tuple(range(2, n))
    per_group = int(np.prod(shape[1:])) // groups
    return (shape[0], groups, per_group), (2,), (shape[1],) + (1,) * (n - 2), others
