"""LRScheduler: the base of the learning-rate schedulers in ``lr_scheduler``.

A scheduler writes each ``param_groups[i]["lr"]`` of its optimizer once at construction (the
"initial step") and once per :meth:`LRScheduler.step`. It records the starting rate as the
group's ``initial_lr`` (``base_lrs``), so that a scheduler built with ``last_epoch >= 0``
resumes from a loaded optimizer.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from .._tensor import Tensor
from .optimizer import Optimizer

__all__ = ["EPOCH_DEPRECATION_WARNING", "LRScheduler"]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where "
    "possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if "
    "epoch is different from None, the closed form is used instead of the new chainable form, "
    "where available. Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose.")
_DOCS = "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
_ORDER_WARNING = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and "
    "later, you should call them in the opposite order: `optimizer.step()` before "
    "`lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value "
    f"of the learning rate schedule. See more details at {_DOCS}")
_OVERRIDDEN_WARNING = (
    "Seems like `optimizer.step()` has been overridden after learning rate scheduler "
    "initialization. Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. "
    f"See more details at {_DOCS}")
_GET_LR_WARNING = ("To get the last learning rate computed by the scheduler, please use "
                   "`get_last_lr()`.")


class LRScheduler:
    """Base class for learning-rate schedulers.

    Subclasses implement :meth:`get_lr` (the next rates, usually from the current
    ``group["lr"]``: the "chainable" form) and may add ``_get_closed_form_lr`` (the rates as a
    function of ``last_epoch`` alone), used when ``step`` is given an epoch.

    Args:
        optimizer: the optimizer whose ``param_groups[i]["lr"]`` are scheduled.
        last_epoch: the index of the last epoch; -1 starts a new schedule.

    >>> scheduler = StepLR(optimizer, step_size=30)
    >>> for epoch in range(100):
    ...     train(...); optimizer.step(); scheduler.step()
    """

    _get_lr_called_within_step = False
    _is_initial = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        _record_initial_lrs(optimizer, last_epoch)
        self.base_lrs: list[Any] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _track_optimizer_steps(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        """The step taken at construction: it sets each group's first scheduled rate."""
        self._step_count = 0
        self._is_initial = True  # lets get_lr keep the rates a resumed optimizer already has
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[Any]:
        """The rates for the current ``last_epoch`` (called by :meth:`step`)."""
        raise NotImplementedError

    def get_last_lr(self) -> list[Any]:
        """The rates the last :meth:`step` set, one per parameter group."""
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``, deprecated) and set the new rates."""
        self._check_call_order()
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._step_to(epoch)

    def _step_to(self, epoch: int | None) -> None:
        """Set ``last_epoch`` (next, or ``epoch`` by the closed form) and the groups' rates."""
        with _within_step(self):
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        _set_group_values(self.optimizer, "lr", values)
        self._last_lr = _group_values(self.optimizer, "lr")

    def _check_call_order(self) -> None:
        """Warn once, on the first step after construction, if the optimizer has not stepped."""
        if self._step_count != 1:
            return
        if not getattr(self.optimizer.step, "_counts_for_lr_scheduler", False):
            warnings.warn(_OVERRIDDEN_WARNING, UserWarning, stacklevel=3)
        elif not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(_ORDER_WARNING, UserWarning, stacklevel=3)

    def _warn_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(_GET_LR_WARNING, UserWarning, stacklevel=3)

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.__dict__.update(state_dict)


# -- helpers --------------------------------------------------------------------------------------
def _check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def _record_initial_lrs(optimizer: Optimizer, last_epoch: int) -> None:
    """A new schedule records each group's starting rate; a resumed one must find it."""
    for i, group in enumerate(optimizer.param_groups):
        if last_epoch == -1:
            lr = group["lr"]
            group.setdefault("initial_lr", lr.clone() if isinstance(lr, Tensor) else lr)
        elif "initial_lr" not in group:
            raise KeyError(
                f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                "scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're trying "
                "to resume training from a checkpoint but haven't properly loaded the optimizer "
                "state\n2. You're using last_epoch >= 0 for a fresh training run (not "
                "recommended)")


def _track_optimizer_steps(optimizer: Optimizer) -> None:
    """Wrap ``optimizer.step`` (once) so that the scheduler can tell whether it has run."""
    if getattr(optimizer.step, "_counts_for_lr_scheduler", False):
        return
    step = optimizer.step.__func__  # type: ignore[attr-defined]
    # a weak reference: the optimizer's own attribute must not keep it alive
    owner = weakref.ref(optimizer)

    @functools.wraps(step)
    def counted(*args: Any, **kwargs: Any) -> Any:
        opt = owner()
        opt._opt_called = True  # type: ignore[union-attr]
        return step(opt, *args, **kwargs)

    counted._counts_for_lr_scheduler = True  # type: ignore[attr-defined]
    optimizer.step = counted  # type: ignore[method-assign]


@contextlib.contextmanager
def _within_step(scheduler: Any) -> Iterator[None]:
    """Mark get_lr calls as coming from step (get_lr warns when a user calls it)."""
    scheduler._get_lr_called_within_step = True
    try:
        yield
    finally:
        scheduler._get_lr_called_within_step = False


def _group_values(optimizer: Optimizer, key: str) -> list[Any]:
    """Each group's ``key``, with tensors copied so that later steps do not change them."""
    return [_copy(group[key]) for group in optimizer.param_groups]


def _set_group_values(optimizer: Optimizer, key: str, values: list[Any]) -> None:
    for group, value in zip(optimizer.param_groups, values):
        _set_group_value(group, key, value)


def _set_group_value(group: dict[str, Any], key: str, value: Any) -> None:
    """A tensor rate is filled in place (the optimizer may hold on to it); a number replaced."""
    if isinstance(group[key], Tensor):
        group[key].fill_(value.item() if isinstance(value, Tensor) else value)
    else:
        group[key] = value


def _copy(value: Any) -> Any:
    return value.clone() if isinstance(value, Tensor) else value


def _per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a list/tuple must have one entry for each."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                             f"{name} has {len(value)} values, param_groups has {groups}.")
        return list(value)
    return [value] * groups


def _per_group_lambdas(optimizer: Optimizer, lr_lambda: Any) -> list[Callable[[int], float]]:
    """LambdaLR's and MultiplicativeLR's factor functions, one per group."""
    groups = len(optimizer.param_groups)
    if not isinstance(lr_lambda, (list, tuple)):
        return [lr_lambda] * groups
    if len(lr_lambda) != groups:
        raise ValueError(f"Expected {groups} lr_lambdas, but got {len(lr_lambda)}")
    return list(lr_lambda)
