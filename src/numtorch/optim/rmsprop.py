"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor import Tensor
from .optimizer import (
    ArrayOptimizer,
    _advance,
        _buffer_like,
    _check_at_least_zero,
    _check_lr,
    _hyper,
    _lerp_,
    _scalar_state,
    _upgrade_state,
)

__all__ = ["RMSprop"]


class RMSprop(ArrayOptimizer):
    """RMSprop, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``)::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        avg = sqrt(v - g_avg**2) + eps   where g_avg = alpha * g_avg + (1 - alpha) * g (centered)
            | sqrt(v) + eps
        buf = momentum * buf + g / avg; p = p - lr * buf   (momentum > 0)
            | p = p - lr * g / avg

    State per parameter: ``step``, ``square_avg`` (and ``momentum_buffer``, ``grad_avg``).

    >>> opt = RMSprop(model.parameters(), lr=1e-2, momentum=0.9, centered=True)
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check_lr(lr)
        _check_at_least_zero("epsilon value", eps)
        _check_at_least_zero("momentum value", momentum)
        _check_at_least_zero("weight_decay value", weight_decay)
        _check_at_least_zero("alpha value", alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"momentum": 0, "centered": False, "foreach": None,
                              "maximize": False, "differentiable": False, "capturable": False})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        options = {k: group[k] for k in ("alpha", "eps", "weight_decay", "momentum",
                                         "maximize")}
        for p in params:
            state = self.state[p]
            if not state:
                _init_state(state, p, group["momentum"], group["centered"])
            _advance(state)
            buffers = [state[k]._data if k in state else None
                       for k in ("square_avg", "grad_avg", "momentum_buffer")]
            rmsprop(p._data, p.grad._data, *buffers, lr=_hyper(group["lr"]), **options)
            p._bump_version()


def _init_state(state: dict[str, Any], p: Tensor, momentum: float, centered: bool) -> None:
    state["step"] = _scalar_state()
    state["square_avg"] = _buffer_like(p)
    if momentum > 0:
        state["momentum_buffer"] = _buffer_like(p)
    if centered:
        state["grad_avg"] = _buffer_like(p)


def rmsprop(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray,
            grad_avg: np.ndarray | None, momentum_buffer: np.ndarray | None, *,
            lr: float | np.ndarray, alpha: float, eps: float, weight_decay: float,
            momentum: float, maximize: bool) -> None:
    """One RMSprop update in place; ``grad_avg`` is None unless centered, ``momentum_buffer``
    None unless momentum > 0."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    square_avg *= alpha
    square_avg += (1 - alpha) * (grad * grad)
    if grad_avg is not None:
        _lerp_(grad_avg, grad, 1 - alpha)
        # centered: the variance, not the raw second moment
        avg = np.sqrt(square_avg - grad_avg * grad_avg)
    else:
        avg = np.sqrt(square_avg)
    avg += eps
    if momentum_buffer is not None and momentum > 0:
        momentum_buffer *= momentum
        momentum_buffer += grad / avg
        param -= lr * momentum_buffer
    else:
        param -= lr * (grad / avg)
