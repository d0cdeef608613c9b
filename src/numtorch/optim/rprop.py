"""Rprop: per-coordinate step sizes grown or shrunk by the sign agreement of successive
gradients (resilient backpropagation)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor import Tensor
from .optimizer import (
    ArrayOptimizer,
    _advance,
        _buffer_like,
    _check_lr,
    _hyper,
    _scalar_state,
    _upgrade_state,
)

__all__ = ["Rprop"]


class Rprop(ArrayOptimizer):
    """Rprop, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``) and the previous
    step's ``prev``, coordinate by coordinate::

        eta = etaplus if g * prev > 0, etaminus if g * prev < 0, else 1
        step_size = clamp(step_size * eta, *step_sizes)
        g = 0 where eta == etaminus   (the sign flipped: no move this step)
        p = p - sign(g) * step_size;  prev = g

    State per parameter: ``step``, ``prev`` and ``step_size`` (which starts at ``lr``).

    >>> opt = Rprop(model.parameters(), lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50))
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2,
                 etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"foreach": None, "maximize": False, "differentiable": False,
                              "capturable": False})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = _scalar_state()
                state["prev"] = _buffer_like(p)
                # a Tensor lr fills the buffer as the Python number it holds, as in torch
                state["step_size"] = _buffer_like(p, float(_hyper(group["lr"])))
            _advance(state)
            rprop(p._data, p.grad._data, state["prev"]._data, state["step_size"]._data,
                  etaminus=etaminus, etaplus=etaplus, step_size_min=step_size_min,
                  step_size_max=step_size_max, maximize=group["maximize"])
            p._bump_version()


def rprop(param: np.ndarray, grad: np.ndarray, prev: np.ndarray, step_size: np.ndarray, *,
          etaminus: float, etaplus: float, step_size_min: float, step_size_max: float,
          maximize: bool) -> None:
    """One Rprop update of ``param``, ``prev`` and ``step_size``, in place.

    >>> p, g = np.ones(2), np.array([0.5, -0.5])
    >>> rprop(p, g, np.zeros(2), np.full(2, 0.01), etaminus=0.5, etaplus=1.2,
    ...       step_size_min=1e-6, step_size_max=50, maximize=False)
    """
    if maximize:
        grad = -grad
    agreement = grad * prev
    # the flipped coordinates, found before the factors are written: comparing the factors
    # with ``etaminus`` afterwards would depend on how that number rounds to the dtype
    flipped = agreement < 0
    factor = np.ones_like(agreement)
    factor[agreement > 0] = etaplus
    factor[flipped] = etaminus
    step_size *= factor
    # clamp as torch does: the upper bound wins when min > max
    np.minimum(np.maximum(step_size, step_size_min, out=step_size), step_size_max,
               out=step_size)
    grad = np.where(flipped, 0, grad).astype(grad.dtype, copy=False)
    param -= np.sign(grad) * step_size
    prev[...] = grad
