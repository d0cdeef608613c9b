"""Adadelta: steps scaled by the ratio of running RMS of past updates to that of gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor import Tensor
from ._fused import addcmul, fma
from .optimizer import (
    ArrayOptimizer,
    _advance,
        _buffer_like,
    _check_at_least_zero,
    _check_lr,
    _chunks,
    _hyper,
    _scalar_state,
    _upgrade_state,
)

__all__ = ["Adadelta"]


class Adadelta(ArrayOptimizer):
    """Adadelta, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``)::

        g = g + weight_decay * p
        v = rho * v + (1 - rho) * g * g
        delta = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        p = p - lr * delta

    State per parameter: ``step``, ``square_avg`` (``v``) and ``acc_delta`` (``u``).

    >>> opt = Adadelta(model.parameters(), lr=1.0, rho=0.9)
    """

    # torch's Adadelta kernel lists its capturable devices without XLA
    _capturable_message = ("If capturable=True, params and state_steps must be on supported "
                           "devices: ['cuda', 'xpu', 'hpu', 'privateuseone'].")

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_at_least_zero("epsilon value", eps)
        _check_at_least_zero("weight_decay value", weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"foreach": None, "maximize": False, "differentiable": False,
                              "capturable": False})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        options = {k: group[k] for k in ("rho", "eps", "weight_decay", "maximize")}
        lr = float(_hyper(group["lr"]))  # torch reads a Tensor lr as a Python number
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = _scalar_state()
                state["square_avg"] = _buffer_like(p)
                state["acc_delta"] = _buffer_like(p)
            _advance(state)
            adadelta(p._data, p.grad._data, state["square_avg"]._data,
                     state["acc_delta"]._data, lr=lr, **options)
            p._bump_version()


def adadelta(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray,
             acc_delta: np.ndarray, *, lr: float, rho: float, eps: float,
             weight_decay: float, maximize: bool) -> None:
    """One Adadelta update of ``param`` and its running averages, in place (the sums with a
    product fused as torch's, NOTE [ Fused multiply-add in updates ] in ``_fused.py``).

    >>> p, g = np.ones(2), np.full(2, 0.5)
    >>> adadelta(p, g, np.zeros(2), np.zeros(2), lr=1.0, rho=0.9, eps=1e-6,
    ...          weight_decay=0, maximize=False)
    """
    # elementwise, so cache-sized slices give the same values (NOTE [ Updates in cache-sized
    # chunks ] in ``optimizer.py``): the fused sums' float64 temporaries stay in cache
    for arrays, _ in _chunks((param, grad, square_avg, acc_delta), 0):
        _adadelta_slice(*arrays, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                        maximize=maximize)


def _adadelta_slice(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray,
                    acc_delta: np.ndarray, *, lr: float, rho: float, eps: float,
                    weight_decay: float, maximize: bool) -> None:
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = fma(grad, weight_decay, param)
    square_avg *= rho
    addcmul(square_avg, 1 - rho, grad, grad, out=square_avg)
    std = np.sqrt(square_avg + eps)
    delta = np.sqrt(acc_delta + eps)
    delta /= std
    delta *= grad
    acc_delta *= rho
    addcmul(acc_delta, 1 - rho, delta, delta, out=acc_delta)
    fma(param, -lr, delta, out=param)
