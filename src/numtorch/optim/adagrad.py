"""Adagrad: per-coordinate learning rates from the sum of all squared gradients so far."""

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
    _check_fused,
    _check_lr,
    _hyper,
    _scalar_state,
    _upgrade_state,
)

__all__ = ["Adagrad"]


class Adagrad(ArrayOptimizer):
    """Adagrad, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``), at step ``t``::

        g = g + weight_decay * p
        sum = sum + g * g
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(sum) + eps)

    Unlike the other algorithms, every parameter gets its state (``step``, and ``sum``
    filled with ``initial_accumulator_value``) when the optimizer is built, as in torch; as in
    torch, that fill is the constructor's value even for a group that sets its own.

    >>> opt = Adagrad(model.parameters(), lr=1e-2, lr_decay=1e-4)
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        _check_lr(lr)
        _check_at_least_zero("lr_decay value", lr_decay)
        _check_at_least_zero("weight_decay value", weight_decay)
        _check_at_least_zero("initial_accumulator_value value", initial_accumulator_value)
        _check_at_least_zero("epsilon value", eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _check_fused(self.defaults)
        for group in self.param_groups:
            for p in group["params"]:
                _init_state(self.state[p], p, initial_accumulator_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"foreach": None, "maximize": False, "differentiable": False,
                              "fused": None})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        options = {k: group[k] for k in ("lr_decay", "weight_decay", "eps", "maximize")}
        for p in params:
            state = self.state[p]
            if not state:  # a group added after construction: filled on its first step
                # from the optimizer's default, not the group's value: torch does the same
                _init_state(state, p, self.defaults["initial_accumulator_value"])
            step = _advance(state)
            adagrad(p._data, p.grad._data, state["sum"]._data, step, lr=_hyper(group["lr"]),
                    **options)
            p._bump_version()


def _init_state(state: dict[str, Any], p: Tensor, initial_accumulator_value: float) -> None:
    state["step"] = _scalar_state()
    state["sum"] = _buffer_like(p, initial_accumulator_value)


def adagrad(param: np.ndarray, grad: np.ndarray, state_sum: np.ndarray, step: float, *,
            lr: float | np.ndarray, lr_decay: float, weight_decay: float, eps: float,
            maximize: bool) -> None:
    """One Adagrad update of ``param`` and its running ``state_sum``, in place."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    clr = lr / (1 + (step - 1) * lr_decay)
    state_sum += grad * grad
    param -= clr * (grad / (np.sqrt(state_sum) + eps))
