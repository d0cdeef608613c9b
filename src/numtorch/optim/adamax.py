"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor import Tensor
from .optimizer import (
    ArrayOptimizer,
    _adam_family_defaults,
    _advance,
        _buffer_like,
    _hyper,
    _lerp_,
    _scalar_state,
    _upgrade_state,
)

__all__ = ["Adamax"]


class Adamax(ArrayOptimizer):
    """Adamax, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``), at step ``t``::

        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, |g| + eps)
        p = p - lr / (1 - beta1**t) * m / u

    State per parameter: ``step``, ``exp_avg``, ``exp_inf``.

    >>> opt = Adamax(model.parameters(), lr=2e-3)
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        defaults = _adam_family_defaults(lr, betas, eps, weight_decay, foreach=foreach,
                                         maximize=maximize, differentiable=differentiable,
                                         capturable=capturable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"foreach": None, "maximize": False, "differentiable": False,
                              "capturable": False})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        beta1, beta2 = group["betas"]
        options = {"lr": _hyper(group["lr"]), "beta1": beta1, "beta2": beta2,
                   "eps": group["eps"], "weight_decay": group["weight_decay"],
                   "maximize": group["maximize"]}
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = _scalar_state()
                state["exp_avg"] = _buffer_like(p)
                state["exp_inf"] = _buffer_like(p)
            step = _advance(state)
            adamax(p._data, p.grad._data, state["exp_avg"]._data, state["exp_inf"]._data, step,
                   **options)
            p._bump_version()


def adamax(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_inf: np.ndarray,
           step: float, *, lr: float | np.ndarray, beta1: float, beta2: float, eps: float,
           weight_decay: float, maximize: bool) -> None:
    """One Adamax update of ``param``, ``exp_avg`` and ``exp_inf``, in place."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_inf *= beta2
    # eps joins |g| before the max (not the division), so exp_inf is never zero
    np.maximum(exp_inf, np.abs(grad) + eps, out=exp_inf)
    param -= (lr / (1 - beta1 ** step)) * (exp_avg / exp_inf)
