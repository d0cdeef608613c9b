"""Running a Module's forward with its hooks, including full backward hooks.

NOTE [ Full backward hooks ]
``register_full_backward_hook`` needs the gradients of the module's inputs and outputs
together. Forward wraps the tensor inputs and outputs in identity Functions: the output
identity's backward records ``grad_output``; the input identity's backward then calls the hook
with ``(grad_input, grad_output)`` and passes on what the hook returns.
"""

from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from ...autograd.function import Function


class _HookState:
    def __init__(self, module: Any) -> None:
        self.module = module
        self.grad_output: tuple | None = None
        self.inputs_need_grad = False

    def call_hooks(self, grad_input: tuple) -> tuple:
        for hook, _ in list(self.module._backward_hooks.values()):
            out = hook(self.module, grad_input, self.grad_output)
            if out is not None:
                grad_input = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        return grad_input


class _OutputIdentity(Function):
    @staticmethod
    def forward(ctx: Any, state: _HookState, *tensors: Tensor) -> tuple:
        ctx.state = state
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple:
        ctx.state.grad_output = grads
        if not ctx.state.inputs_need_grad:
            ctx.state.call_hooks((None,))
        return (None, *grads)


class _InputIdentity(Function):
    @staticmethod
    def forward(ctx: Any, state: _HookState, *tensors: Tensor) -> tuple:
        ctx.state = state
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple:
        return (None, *ctx.state.call_hooks(grads))


def _replace_tensors(values: tuple, wrap: Any) -> tuple:
    """Pass the tensors among ``values`` through ``wrap`` (one call), keeping the others."""
    idx = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
    if not idx:
        return values
    wrapped = wrap(*(values[i] for i in idx))
    wrapped = wrapped if isinstance(wrapped, tuple) else (wrapped,)
    out = list(values)
    for i, w in zip(idx, wrapped):
        out[i] = w
    return tuple(out)


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    for hook, flags in list(module._forward_pre_hooks.values()):
        if flags.get("with_kwargs"):
            res = hook(module, args, kwargs)
            if res is not None:
                args, kwargs = res
        else:
            res = hook(module, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
    state = None
    if module._backward_hooks:
        state = _HookState(module)
        state.inputs_need_grad = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        args = _replace_tensors(args, lambda *ts: _InputIdentity.apply(state, *ts))
    output = module.forward(*args, **kwargs)
    for hook, flags in list(module._forward_hooks.values()):
        res = hook(module, args, kwargs, output) if flags.get("with_kwargs") else \
            hook(module, args, output)
        if res is not None:
            output = res
    if state is not None:
        single = isinstance(output, Tensor)
        outs = _replace_tensors((output,) if single else tuple(output),
                                lambda *ts: _OutputIdentity.apply(state, *ts))
        output = outs[0] if single else type(output)(outs) if isinstance(output, tuple) \
            else list(outs)
    return output
