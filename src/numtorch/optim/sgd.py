"""SGD: stochastic gradient descent with optional momentum, Nesterov momentum, weight decay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._composites._util import check_inplace
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, set_grad_enabled
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, torch's update rule.

    For each parameter with a gradient ``g`` (negated when ``maximize``)::

        g = g + weight_decay * p
        buf = g (first step)  |  momentum * buf + (1 - dampening) * g
        g = g + momentum * buf (nesterov)  |  buf
        p = p - lr * g

    The momentum buffer lives in ``optimizer.state[p]["momentum_buffer"]``; ``.grad`` is
    never written to, and parameters whose ``.grad`` is None are skipped.

    >>> opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float | Tensor = 0, nesterov: bool = False,
                 *, maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        # foreach / fused select torch kernels; the arithmetic (and so the result) is the same
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:  # groups saved before these options existed
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns ``closure()`` if given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        differentiable = self.defaults["differentiable"]
        with set_grad_enabled(differentiable):
            for group in self.param_groups:
                self._update_group(group, _update if differentiable else _update_arrays)
        return loss

    def _update_group(self, group: dict[str, Any], update: Callable[..., None]) -> None:
        options = {k: group[k] for k in ("lr", "momentum", "dampening", "weight_decay",
                                         "nesterov", "maximize")}
        for p in group["params"]:
            grad = p.grad
            if grad is None:
                continue
            # as in torch, a parameter gets a state entry only when it has a buffer to keep
            state = self.state[p] if group["momentum"] != 0 else {}
            update(p, grad, state, **options)


def _update(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float | Tensor,
            momentum: float, dampening: float, weight_decay: float, nesterov: bool,
            maximize: bool) -> None:
    """One SGD update of ``param`` in place; ``state`` keeps its momentum buffer."""
    d_p = -grad if maximize else grad  # a new tensor: .grad itself is never modified
    if weight_decay != 0:
        d_p = d_p.add(param, alpha=_number(weight_decay))
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:  # torch starts the buffer at the first gradient, not at zero
            buf = state["momentum_buffer"] = d_p.clone().detach()
        else:
            buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
        d_p = d_p.add(buf, alpha=momentum) if nesterov else buf
    param.add_(d_p, alpha=-_number(lr))


def _update_arrays(param: Tensor, grad: Tensor, state: dict[str, Any], *, lr: float | Tensor,
                   momentum: float, dampening: float, weight_decay: float, nesterov: bool,
                   maximize: bool) -> None:
    """``_update`` on the arrays, in place (NOTE [ Array updates ] in optimizer.py): each line
    is the NumPy operation the tensor op there runs (``a.add(b, alpha=k)`` is ``a + k * b``,
    ``k`` a Python number converted to the array's dtype), so the results are the same."""
    _check_writeable(param)
    g = grad._data
    d_p = np.negative(g) if maximize else g
    if weight_decay != 0:
        d_p = _plus(d_p, param._data, _number(weight_decay))
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = Tensor._make(np.asarray(d_p.copy()))  # clone()
        else:
            _check_writeable(buf)
            b = buf._data
            np.multiply(b, momentum, out=b)
            buf._bump_version()
            np.add(b, d_p if dampening == 0 else (1 - dampening) * d_p, out=b)
            buf._bump_version()
        d_p = _plus(d_p, buf._data, momentum) if nesterov else buf._data
    _add_scaled(param._data, d_p, -_number(lr))
    param._bump_version()


_CHUNK = 1 << 16  # elements: a chunk's product stays in cache between its two passes


def _add_scaled(out: np.ndarray, x: np.ndarray, alpha: float) -> None:
    """``out += alpha * x`` as ``out + (alpha * x)`` (``add_(x, alpha=alpha)``), chunk by
    chunk, so that a large parameter is read and written once, not through a full-size
    temporary. Elementwise, so the chunking changes no value."""
    if out.size <= _CHUNK or out.shape != x.shape or not (
            out.flags.c_contiguous and x.flags.c_contiguous):
        np.add(out, x * alpha, out=out)
        return
    flat_out, flat_x = out.reshape(-1), x.reshape(-1)
    scaled = np.empty(_CHUNK, out.dtype)
    for start in range(0, flat_out.size, _CHUNK):
        o, x_part = flat_out[start:start + _CHUNK], flat_x[start:start + _CHUNK]
        part = scaled[:o.size]
        np.multiply(x_part, alpha, out=part)
        np.add(o, part, out=o)


def _plus(a: np.ndarray, b: np.ndarray, alpha: float) -> np.ndarray:
    """``a.add(b, alpha=alpha)`` on arrays."""
    return a + b if alpha == 1 else a + alpha * b


def _check_writeable(t: Tensor) -> None:
    if not t._data.flags.writeable:
        check_inplace(t)  # torch's error for memory an in-place write cannot go to


def _number(x: float | Tensor) -> float:
    return x.item() if isinstance(x, Tensor) else x
