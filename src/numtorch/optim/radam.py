"""RAdam: Adam whose adaptive step is switched on (and rectified) once its variance is
tractable."""

from __future__ import annotations

import math
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

__all__ = ["RAdam"]


class RAdam(ArrayOptimizer):
    """RAdam, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``), at step ``t``::

        p = p * (1 - lr * weight_decay)  (decoupled)  |  g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
        rho_inf = 2 / (1 - beta2) - 1;  rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)
        m_hat = m / (1 - beta1**t)
        p = p - lr * m_hat * r_t * sqrt(1 - beta2**t) / (sqrt(v) + eps)   if rho_t > 5
          | p - lr * m_hat                                                  otherwise
        with r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))

    State per parameter: ``step``, ``exp_avg``, ``exp_avg_sq``.

    >>> opt = RAdam(model.parameters(), lr=1e-3)
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        defaults = _adam_family_defaults(
            lr, betas, eps, weight_decay, maximize=maximize, foreach=foreach,
            capturable=capturable, decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"foreach": None, "maximize": False, "differentiable": False,
                              "decoupled_weight_decay": False, "capturable": False})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        beta1, beta2 = group["betas"]
        options = {"lr": _hyper(group["lr"]), "beta1": beta1, "beta2": beta2,
                   "eps": group["eps"], "weight_decay": group["weight_decay"],
                   "maximize": group["maximize"], "decoupled": group["decoupled_weight_decay"]}
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = _scalar_state()
                state["exp_avg"] = _buffer_like(p)
                state["exp_avg_sq"] = _buffer_like(p)
            step = _advance(state)
            radam(p._data, p.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data,
                  step, **options)
            p._bump_version()


def radam(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
          step: float, *, lr: float | np.ndarray, beta1: float, beta2: float, eps: float,
          weight_decay: float, maximize: bool, decoupled: bool) -> None:
    """One RAdam update of ``param`` and its moments, in place."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        if decoupled:
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * (grad * grad)
    bias_correction2 = 1 - beta2 ** step
    corrected = exp_avg / (1 - beta1 ** step)
    rect = _rectification(step, beta2, bias_correction2)
    if rect is None:  # too few steps for a usable variance estimate: plain momentum SGD
        param -= corrected * lr
        return
    adaptive_lr = math.sqrt(bias_correction2) / (np.sqrt(exp_avg_sq) + eps)
    param -= corrected * lr * adaptive_lr * rect


def _rectification(step: float, beta2: float, bias_correction2: float) -> float | None:
    """The variance rectification ``r_t``; None while ``rho_t <= 5``."""
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
    if rho_t <= 5.0:
        return None
    return math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                     / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
