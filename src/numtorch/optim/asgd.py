"""ASGD: stochastic gradient descent with a decaying rate and a running average of the
iterates (averaged SGD)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import _dtype
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
)

__all__ = ["ASGD"]


class ASGD(ArrayOptimizer):
    """Averaged SGD, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``), at step ``t``::

        g = g + weight_decay * p
        p = p * (1 - lambd * eta) - eta * g
        ax = p if mu == 1 else ax + mu * (p - ax)
        eta = lr / (1 + lambd * lr * t) ** alpha;  mu = 1 / max(1, t - t0)

    State per parameter: ``step``, ``eta`` and ``mu`` (0-d tensors, float32 like ``step``:
    the update reads them back as numbers of that precision) and ``ax``, the average.
    ``foreach=True`` follows torch's foreach kernel, whose roundings differ (``asgd_foreach``).

    >>> opt = ASGD(model.parameters(), lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6)
    """

    _capturable_message = ("If capturable=True, params, mus, etas, and state_steps must be on "
                           "supported devices: ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_lr(lr)
        _check_at_least_zero("weight_decay value", weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("foreach", None), ("maximize", False),
                               ("differentiable", False), ("capturable", False)):
                group.setdefault(key, value)
            for p in group["params"]:
                state = self.state.get(p, {})
                for key in ("step", "eta", "mu") if state else ():
                    if not isinstance(state[key], Tensor):
                        state[key] = _scalar_state(float(state[key]))

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        # a Tensor lr stays a 0-d array: torch computes eta's schedule in the lr's dtype
        lr = _hyper(group["lr"])
        options = {k: group[k] for k in ("lambd", "alpha", "t0", "weight_decay", "maximize")}
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = _scalar_state()
                state["eta"] = _scalar_state(float(lr))
                state["mu"] = _scalar_state(1.0)
                state["ax"] = _buffer_like(p)
            _advance(state)
            # torch's foreach kernel (taken only when asked for, on CPU) orders the update
            # differently and computes eta in the step's float32: ``foreach=True`` follows it
            update = asgd_foreach if group["foreach"] else asgd
            update(p._data, p.grad._data, state["ax"]._data, state["eta"]._data,
                   state["mu"]._data, state["step"]._data, lr=lr, **options)
            p._bump_version()


def asgd(param: np.ndarray, grad: np.ndarray, ax: np.ndarray, eta: np.ndarray, mu: np.ndarray,
         step: np.ndarray, *, lr: float | np.ndarray, lambd: float, alpha: float, t0: float,
         weight_decay: float, maximize: bool) -> None:
    """One ASGD update of ``param`` and ``ax``, then this step's ``eta`` and ``mu`` (0-d
    arrays), in place (NOTE [ Fused multiply-add in updates ] in ``_fused.py``).

    >>> p, g = np.ones(2), np.full(2, 0.5)
    >>> asgd(p, g, np.zeros(2), np.array(0.01), np.array(1.0), np.array(1.0), lr=0.01,
    ...      lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, maximize=False)
    """
    step = float(step)  # torch reads the counter as a Python number here
    eta_value = float(eta)  # a number of eta's precision, as torch's ``.item()``
    # mu in the parameter's dtype: torch's 0-d ``mu`` never promotes the product
    mu_value = None if float(mu) == 1 else mu.astype(ax.dtype)
    # elementwise: slices as in NOTE [ Updates in cache-sized chunks ] in ``optimizer.py``
    for (p, g, a), _ in _chunks((param, grad, ax), 0):
        if maximize:
            g = -g
        if weight_decay != 0:
            g = fma(g, weight_decay, p)
        p *= 1 - lambd * eta_value
        fma(p, -eta_value, g, out=p)
        if mu_value is not None:
            a += (p - a) * mu_value
        else:
            a[...] = p
    # the schedules in Python floats (in the lr's dtype for a 0-d lr), each made a tensor
    # first as torch does: a float32 number even in a float64 ``eta`` loaded from a state_dict
    eta[...] = _as_tensor_value(_next_eta(lr, lambd, alpha, step))
    mu[...] = _as_tensor_value(1 / max(1, step - t0))


def asgd_foreach(param: np.ndarray, grad: np.ndarray, ax: np.ndarray, eta: np.ndarray,
                 mu: np.ndarray, step: np.ndarray, *, lr: float | np.ndarray, lambd: float,
                 alpha: float, t0: float, weight_decay: float, maximize: bool) -> None:
    """:func:`asgd` as torch's foreach kernel computes it: ``p - eta * (g + lambd * p)``, the
    average always by ``mu``, and eta from the 0-d float32 ``step``, in its precision.

    >>> p, g = np.ones(2), np.full(2, 0.5)
    >>> asgd_foreach(p, g, np.zeros(2), np.array(0.01), np.array(1.0), np.array(1.0),
    ...              lr=0.01, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, maximize=False)
    """
    # 0-d eta and mu in the parameter's dtype: they never promote the update
    eta_value, mu_value = eta.astype(param.dtype), mu.astype(ax.dtype)
    for (p, g, a), _ in _chunks((param, grad, ax), 0):
        if maximize:
            g = -g
        if weight_decay != 0:
            g = fma(g, weight_decay, p)
        addcmul(p, -1, fma(g, lambd, p), eta_value, out=p)
        fma(a, p - a, mu_value, out=a)
    eta[...] = _as_tensor_value(_next_eta(lr, lambd, alpha, step[()]))
    mu[...] = _as_tensor_value(1 / max(1, float(step) - t0))


_POW_SPECIAL: dict[float, Callable[[Any], Any]] = {
    0.5: np.sqrt, -0.5: lambda b: 1 / np.sqrt(b), 2.0: lambda b: b * b,
    3.0: lambda b: b * b * b, -1.0: lambda b: 1 / b, -2.0: lambda b: 1 / (b * b)}


def _next_eta(lr: Any, lambd: float, alpha: float, step: Any) -> Any:
    """``lr / (1 + lambd * lr * step) ** alpha``: in Python floats, or, when ``lr`` or ``step``
    is a 0-d array or NumPy number (a tensor in torch), in its dtype, with torch's roundings."""
    base = 1 + lambd * lr * step
    if not isinstance(base, (np.ndarray, np.generic)):
        return lr / base ** alpha
    base = base.dtype.type(base)  # a NumPy number: its operations keep its dtype
    # torch's pow: products and roots for the exponents it special-cases, else the double
    # pow rounded to the base's dtype (NumPy's float32 powf differs by an ulp)
    special = _POW_SPECIAL.get(alpha)
    decay = special(base) if special is not None else base.dtype.type(float(base) ** alpha)
    # and a number over a tensor is ``reciprocal(tensor) * number``
    return lr / decay if isinstance(lr, np.ndarray) else np.reciprocal(decay) * lr


def _as_tensor_value(value: Any) -> np.ndarray:
    """``torch.as_tensor(value)``'s array: a Python number in the default dtype."""
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    return np.asarray(value, dtype=np.float64 if _dtype.get_default_dtype() is _dtype.float64
                      else np.float32)
