"""NAdam: Adam with Nesterov momentum and a warming-up momentum schedule."""

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
    _check_at_least_zero,
    _hyper,
    _lerp_,
    _scalar_state,
    _upgrade_state,
)

__all__ = ["NAdam"]


class NAdam(ArrayOptimizer):
    """NAdam, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``), at step ``t``::

        p = p * (1 - lr * weight_decay)  (decoupled)  |  g = g + weight_decay * p
        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay));  mu_product *= mu_t
        m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
        denom = sqrt(v / (1 - beta2**t)) + eps
        p = p - lr * (1 - mu_t) / (1 - mu_product) * g / denom
              - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / denom

    State per parameter: ``step``, ``mu_product`` (a 0-d float32 tensor: its rounding is part
    of torch's trajectory), ``exp_avg``, ``exp_avg_sq``.

    >>> opt = NAdam(model.parameters(), lr=2e-3, momentum_decay=4e-3)
    """

    _capturable_message = ("If capturable=True, params, mu_products and state_steps must be on "
                           "supported devices: ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        defaults = _adam_family_defaults(
            lr, betas, eps, weight_decay, momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
            capturable=capturable, differentiable=differentiable)
        _check_at_least_zero("momentum_decay value", momentum_decay)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"maximize": False, "foreach": None, "capturable": False,
                              "differentiable": False, "decoupled_weight_decay": False},
                       scalar_keys=("step", "mu_product"))

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        beta1, beta2 = group["betas"]
        options = {"lr": _hyper(group["lr"]), "beta1": beta1, "beta2": beta2,
                   "eps": group["eps"], "weight_decay": group["weight_decay"],
                   "momentum_decay": group["momentum_decay"], "maximize": group["maximize"],
                   "decoupled": group["decoupled_weight_decay"]}
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = _scalar_state()
                state["mu_product"] = _scalar_state(1.0)
                state["exp_avg"] = _buffer_like(p)
                state["exp_avg_sq"] = _buffer_like(p)
            step = _advance(state)
            nadam(p._data, p.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data,
                  state["mu_product"]._data, step, **options)
            p._bump_version()


def nadam(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
          mu_product: np.ndarray, step: float, *, lr: float | np.ndarray, beta1: float,
          beta2: float, eps: float, weight_decay: float, momentum_decay: float, maximize: bool,
          decoupled: bool) -> None:
    """One NAdam update in place; ``mu_product`` is a 0-d array multiplied in its own dtype."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        if decoupled:
            param *= 1 - lr * weight_decay
        else:
            grad = grad + weight_decay * param
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    mu_product *= mu  # a Python float is weak: the product rounds to float32, as in torch
    product = float(mu_product)
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * (grad * grad)
    denom = np.sqrt(exp_avg_sq / (1 - beta2 ** step)) + eps
    param -= (lr * (1.0 - mu) / (1.0 - product)) * (grad / denom)
    param -= (lr * mu_next / (1.0 - product * mu_next)) * (exp_avg / denom)
