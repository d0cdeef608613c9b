"""Adam: adaptive moment estimation, with AMSGrad and decoupled (AdamW) weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._tensor import Tensor
from .optimizer import (
    _NARROW,
    ArrayOptimizer,
    _adam_family_defaults,
    _advance,
    _buffer_like,
    _check_fused,
    _chunks,
    _hyper,
    _is_number,
    _lerp_,
    _lerp_out,
    _precision,
    _scalar_state,
    _subnormal_share,
    _upgrade_state,
)

__all__ = ["Adam"]


class Adam(ArrayOptimizer):
    """Adam, torch's update rule (see NOTE [ Array updates ] in ``optimizer.py``).

    For each parameter with a gradient ``g`` (negated when ``maximize``), at step ``t``::

        p = p * (1 - lr * weight_decay)  (decoupled)  |  g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g          (v_max = max(v_max, v) with amsgrad)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    State per parameter: ``step``, ``exp_avg``, ``exp_avg_sq`` (and ``max_exp_avg_sq``).

    >>> opt = Adam(model.parameters(), lr=1e-3)
    >>> opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
    """

    _decoupled_default = False  # what a group saved without the option gets (AdamW: True)

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        defaults = _adam_family_defaults(
            lr, betas, eps, weight_decay, foreach_tensor_check=True, amsgrad=amsgrad,
            maximize=maximize, foreach=foreach, capturable=capturable,
            differentiable=differentiable, fused=fused,
            decoupled_weight_decay=decoupled_weight_decay)
        _check_tensor_betas(betas, foreach, capturable)
        super().__init__(params, defaults)
        _check_fused(self.defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        _upgrade_state(self, {"amsgrad": False, "maximize": False, "foreach": None,
                              "capturable": False, "differentiable": False,
                              "decoupled_weight_decay": self._decoupled_default,
                              "fused": None})

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        beta1, beta2 = (_hyper(b) for b in group["betas"])
        options = {"lr": _hyper(group["lr"]), "beta1": beta1, "beta2": beta2,
                   "eps": group["eps"], "weight_decay": group["weight_decay"],
                   "maximize": group["maximize"],
                   "decoupled": group["decoupled_weight_decay"]}
        update = adam_chunked if _is_number(options["lr"], beta1, beta2) else adam
        for p in params:
            state = self.state[p]
            if not state:
                _init_state(state, p, group["amsgrad"])
            step = _advance(state)
            max_sq = state["max_exp_avg_sq"]._data if group["amsgrad"] else None
            update(p._data, p.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data,
                   max_sq, step, **options)
            p._bump_version()


def _check_tensor_betas(betas: tuple[Any, Any], foreach: bool | None, capturable: bool) -> None:
    kinds = {isinstance(b, Tensor) for b in betas}
    if len(kinds) == 2:
        raise ValueError("betas must be either both floats or both Tensors")
    if kinds == {True} and foreach and not capturable:
        raise ValueError("betas[0] as a Tensor is not supported for capturable=False and "
                         "foreach=True")


def _init_state(state: dict[str, Any], p: Tensor, amsgrad: bool) -> None:
    state["step"] = _scalar_state()
    state["exp_avg"] = _buffer_like(p)
    state["exp_avg_sq"] = _buffer_like(p)
    if amsgrad:
        state["max_exp_avg_sq"] = _buffer_like(p)


def adam(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
         max_exp_avg_sq: np.ndarray | None, step: float, *, lr: float | np.ndarray,
         beta1: float | np.ndarray, beta2: float | np.ndarray, eps: float, weight_decay: float,
         maximize: bool, decoupled: bool) -> None:
    """One Adam update of ``param`` and its moments, in place; ``grad`` is only read."""
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
    if max_exp_avg_sq is not None:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        exp_avg_sq = max_exp_avg_sq  # AMSGrad divides by the largest second moment so far
    bias_correction2_sqrt = (1 - _power(beta2, step)) ** 0.5
    denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
    param -= _divide(lr, 1 - _power(beta1, step)) * (exp_avg / denom)


def adam_chunked(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray,
                 exp_avg_sq: np.ndarray, max_exp_avg_sq: np.ndarray | None, step: float, *,
                 lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                 maximize: bool, decoupled: bool) -> None:
    """``adam`` for Python-number hyper-parameters, in cache-sized slices with no temporaries
    (NOTE [ Updates in cache-sized chunks ]): each line below is the NumPy operation of the
    line of ``adam`` it stands for, so the values are the same bit for bit. The products and
    quotients of a moment full of subnormals run in float64 (NOTE [ Subnormal moments ])."""
    scalar = param.dtype.type  # Python numbers rounded as NumPy rounds them
    step_size = scalar(_divide(lr, 1 - _power(beta1, step)))
    bias_correction2_sqrt = (1 - _power(beta2, step)) ** 0.5
    # subnormals in exp_avg cluster (a dead unit's row), so each slice decides for itself when
    # the whole has some; exp_avg_sq decays a hundred times slower and decides once
    m_seen, v_ops = _subnormal_share(exp_avg) > 0, _precision(exp_avg_sq)
    arrays = (param, grad, exp_avg, exp_avg_sq) + (
        () if max_exp_avg_sq is None else (max_exp_avg_sq,))
    for parts, (g_buf, tmp) in _chunks(arrays, 2):
        p, g, m, v = parts[:4]
        m_ops = _precision(m) if m_seen else _NARROW
        if maximize:
            g = np.negative(g, out=g_buf)
        if weight_decay != 0:
            if decoupled:
                np.multiply(p, 1 - lr * weight_decay, out=p)
            else:  # grad + weight_decay * param
                np.multiply(p, weight_decay, out=tmp)
                g = np.add(g, tmp, out=g_buf)
        _lerp_out(m, g, 1 - beta1, tmp, m_ops)
        np.multiply(v, scalar(beta2), out=v, **v_ops)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, 1 - beta2, out=tmp)
        np.add(v, tmp, out=v)
        if max_exp_avg_sq is not None:
            v = np.maximum(parts[4], v, out=parts[4])
        denom = np.sqrt(v, out=tmp, **v_ops)
        np.divide(denom, bias_correction2_sqrt, out=denom)
        np.add(denom, eps, out=denom)
        update = np.divide(m, denom, out=tmp, **m_ops)
        np.multiply(update, step_size, out=update, **m_ops)
        np.subtract(p, update, out=p)


# NOTE [ Tensor betas ]
# Betas given as tensors reach the update as 0-d float32 arrays, and torch's float32 scalar
# arithmetic is not NumPy's: ``beta ** 3`` is ``beta * beta * beta``, other powers are taken in
# float64 and rounded, and ``lr / x`` is ``lr * (1 / x)``. Matching these keeps float64
# trajectories with tensor betas equal to torch's to ~1e-16 instead of ~1e-8.
def _power(base: Any, exponent: float) -> Any:
    """``base ** exponent``, rounded as torch rounds it (NOTE [ Tensor betas ])."""
    if not isinstance(base, (np.ndarray, np.generic)):
        return base ** exponent
    if exponent == 2:
        return base * base
    if exponent == 3:
        return base * base * base
    return np.asarray(np.float64(base) ** exponent, dtype=base.dtype)[()]


def _divide(number: Any, divisor: Any) -> Any:
    """``number / divisor``, rounded as torch rounds it (NOTE [ Tensor betas ])."""
    if isinstance(divisor, (np.ndarray, np.generic)):
        return np.reciprocal(divisor) * number
    return number / divisor
