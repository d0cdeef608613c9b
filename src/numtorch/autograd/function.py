"""User-defined differentiable operations: ``torch.autograd.Function`` and its ``ctx``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from .grad_mode import _GradState
from .graph import _OUTPUT, Node, gradient_edge

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """What ``forward`` and ``backward`` share: saved tensors and flags."""

    needs_input_grad: tuple = ()
    materialize_grads = True
    _to_save: tuple = ()
    _non_differentiable: tuple = ()
    _dirty: tuple = ()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument 0 is "
                                f"of type {type(t).__name__}")
        self._to_save = tensors

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors: Tensor) -> None:
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


class BackwardCFunction(FunctionCtx, Node):
    """The graph node (and ``ctx``) of one call to a user Function."""

    _forward_cls: type[Function]

    def _backward(self, *grads: Tensor | None) -> tuple:
        if self.materialize_grads:
            from .._creation import zeros

            metas = self._output_meta
            grads = tuple(g if g is not None else zeros(metas[i][0], dtype=metas[i][1])
                          for i, g in enumerate(grads))
        out = self._forward_cls.backward(self, *grads)
        out = out if isinstance(out, tuple) else (out,)
        n_inputs = len(self.next_functions)
        if len(out) > n_inputs and all(g is None for g in out[n_inputs:]):
            out = out[:n_inputs]  # torch allows trailing Nones
        return out


class Function:
    """Subclass with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``; call
    ``apply``.

    >>> class Exp(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         out = x.exp()
    ...         ctx.save_for_backward(out)
    ...         return out
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (out,) = ctx.saved_tensors
    ...         return grad * out
    """

    _backward_cls: type[BackwardCFunction]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__name__ + "Backward"
        cls._backward_cls = type(name, (BackwardCFunction,), {"_forward_cls": cls, "name_": name})

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        node = cls._backward_cls()
        record = _GradState.enabled and any(
            isinstance(a, Tensor) and a._requires_grad for a in args)
        node.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        prev = _GradState.enabled
        _GradState.enabled = False
        try:
            if cls.setup_context is not Function.setup_context:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(node, args, outputs)
            else:
                outputs = cls.forward(node, *args, **kwargs)
        finally:
            _GradState.enabled = prev
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        if record:
            outs = _connect(node, args, outs)
        return outs[0] if single else outs


def _connect(node: BackwardCFunction, args: tuple, outs: tuple) -> tuple:
    node.next_functions = tuple(gradient_edge(a) for a in args)
    node._input_meta = tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None
                             for a in args)
    node.n_outputs = len(outs)
    node._output_meta = tuple((o.shape, o.dtype) if isinstance(o, Tensor) else None for o in outs)
    non_diff = {id(t) for t in node._non_differentiable}
    wired = []
    for nr, o in enumerate(outs):
        if not isinstance(o, Tensor) or id(o) in non_diff or o._data.dtype.kind != "f":
            wired.append(o)
            continue
        if any(o is a for a in args) and id(o) not in {id(d) for d in node._dirty}:
            o = Tensor._make(o._data)  # an input returned as is: a new tensor, as in torch
        o._requires_grad, o.grad_fn, o._output_nr = True, node, nr
        wired.append(o)
    saved = []
    for t in node._to_save:
        nr = next((i for i, o in enumerate(wired) if o is t), None)
        if t is None:
            saved.append((None, 0))
        elif nr is not None:
            saved.append((_OUTPUT, t._data, t._counter(), t._version, nr))
        else:
            saved.append((t, t._version))
    if node._to_save:
        node._saved, node._saved_any = tuple(saved), True
        node._to_save = ()
    return tuple(wired)


def once_differentiable(fn: Callable) -> Callable:
    """Run a backward without recording it: its result cannot be differentiated again."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        prev = _GradState.enabled
        _GradState.enabled = False
        try:
            return fn(ctx, *args)
        finally:
            _GradState.enabled = prev

    return wrapper
