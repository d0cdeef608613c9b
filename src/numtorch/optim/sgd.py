"""SGD: stochastic gradient descent with optional momentum, Nesterov momentum, weight decay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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
        with set_grad_enabled(self.defaults["differentiable"]):
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group: dict[str, Any]) -> None:
        options = {k: group[k] for k in ("lr", "momentum", "dampening", "weight_decay",
                                         "nesterov", "maximize")}
        for p in group["params"]:
            if p.grad is None:
                continue
            # as in torch, a parameter gets a state entry only when it has a buffer to keep
            state = self.state[p] if group["momentum"] != 0 else {}
            _update(p, p.grad, state, **options)


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


def _number(x: float | Tensor) -> float:
    return x.item() if isinstance(x, Tensor) else x
