"""CyclicLR: the rate cycles between a lower and an upper bound (cyclical learning rates)."""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ._lr_base import LRScheduler, _check_optimizer, _set_group_value
from .optimizer import Optimizer

__all__ = ["CyclicLR"]


class CyclicLR(LRScheduler):
    """Cycle each group's rate between ``base_lr`` and ``max_lr``: up over ``step_size_up``
    steps, down over ``step_size_down``; momentum (or Adam's beta1) cycles the opposite way,
    between ``max_momentum`` and ``base_momentum``. Step it after every batch.

    The height of a cycle is scaled by ``scale_fn``: of the cycle number (``scale_mode
    "cycle"``) or of the step (``"iterations"``). The modes give it: ``"triangular"`` (1),
    ``"triangular2"`` (halved each cycle), ``"exp_range"`` (``gamma ** step``).

    Args:
        optimizer: the optimizer whose rates (and momentum) are scheduled.
        base_lr, max_lr: the bounds, one number or one per group.
        step_size_up, step_size_down: steps in the rising and falling halves of a cycle
            (``step_size_down`` defaults to ``step_size_up``).
        mode, gamma, scale_fn, scale_mode: the cycle's scaling (``scale_fn`` overrides
            ``mode``).
        cycle_momentum, base_momentum, max_momentum: momentum cycling.
        last_epoch: the index of the last batch; -1 starts a new schedule.

    >>> scheduler = CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=2000)
    >>> for batch in loader:
    ...     train_batch(...); optimizer.step(); scheduler.step()
    """

    def __init__(self, optimizer: Optimizer, base_lr: float | list[float],
                 max_lr: float | list[float], step_size_up: int = 2000,
                 step_size_down: int | None = None, mode: str = "triangular",
                 gamma: float = 1.0, scale_fn: Callable[[float], float] | None = None,
                 scale_mode: str = "cycle", cycle_momentum: bool = True,
                 base_momentum: float = 0.8, max_momentum: float = 0.9,
                 last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        base_lrs = _format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                _set_group_value(group, "lr", lr)
        self.max_lrs = _format_param("max_lr", optimizer, max_lr)
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self._init_momentum(base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_momentum(self, base_momentum: Any, max_momentum: Any, last_epoch: int) -> None:
        defaults = self.optimizer.defaults
        if "momentum" not in defaults and "betas" not in defaults:
            raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` "
                             "option enabled")
        self.use_beta1 = "betas" in defaults
        self.base_momentums = _format_param("base_momentum", self.optimizer, base_momentum)
        self.max_momentums = _format_param("max_momentum", self.optimizer, max_momentum)
        if last_epoch != -1:
            return
        for top, bottom, group in zip(self.max_momentums, self.base_momentums,
                                      self.optimizer.param_groups):
            self._set_momentum(group, top)
            group["max_momentum"] = top
            group["base_momentum"] = bottom

    def _set_momentum(self, group: dict[str, Any], value: Any) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _init_scale_fn(self) -> None:
        """The mode's scale function; a mode also fixes ``scale_mode`` (a custom one does not)."""
        if self._scale_fn_custom is not None:
            return
        if self.mode == "triangular":
            self._scale_fn_ref: Callable[[float], float] = _triangular
            self.scale_mode = "cycle"
        elif self.mode == "triangular2":
            self._scale_fn_ref = _triangular2
            self.scale_mode = "cycle"
        elif self.mode == "exp_range":
            self._scale_fn_ref = functools.partial(_exp_range, self.gamma)
            self.scale_mode = "iterations"

    def scale_fn(self, x: float) -> float:
        """The height factor of the cycle at ``x`` (a cycle number or a step)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return self._scale_fn_ref(x)

    def get_lr(self) -> list[Any]:
        """This step's rates (and, with ``cycle_momentum``, sets the groups' momentum)."""
        self._warn_outside_step()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle  # how far into the cycle, in [0, 1)
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        at = cycle if self.scale_mode == "cycle" else self.last_epoch
        # scale_fn is called once per group and value, as torch does: a custom one may count
        lrs = [base + (top - base) * scale_factor * self.scale_fn(at)
               for base, top in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            momenta = [top - (top - bottom) * scale_factor * self.scale_fn(at)
                       for bottom, top in zip(self.base_momentums, self.max_momentums)]
            for group, momentum in zip(self.optimizer.param_groups, momenta):
                self._set_momentum(group, momentum)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        """The attributes but the optimizer and the scale function: a custom ``scale_fn`` is
        kept only as its ``__dict__``, and only when it is a callable object (a function or
        lambda cannot be restored by value)."""
        state = super().state_dict()
        state.pop("_scale_fn_ref", None)
        fn = state.pop("_scale_fn_custom")
        state["_scale_fn_custom"] = None
        if fn is not None and not isinstance(fn, types.FunctionType):
            state["_scale_fn_custom"] = fn.__dict__.copy()
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned (into this scheduler's own ``scale_fn``)."""
        # popped from the caller's dict, as torch does (it is gone from it afterwards)
        fn = state_dict.pop("_scale_fn_custom")
        super().load_state_dict(state_dict)
        if fn is not None:
            self._scale_fn_custom.__dict__.update(fn)
        self._init_scale_fn()


def _triangular(x: float) -> float:
    return 1.0


def _triangular2(x: float) -> float:
    return 1 / (2.0 ** (x - 1))


def _exp_range(gamma: float, x: float) -> float:
    return gamma ** x


def _format_param(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per group (a list/tuple must have one per group), tensors copied."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                             f"{name} has {len(value)} values, param_groups has {groups}.")
    else:
        value = [value] * groups
    return [v.clone() if isinstance(v, Tensor) else v for v in value]
