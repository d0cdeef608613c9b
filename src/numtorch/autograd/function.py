"""User-defined differentiable operations: ``torch.autograd.Function`` and its ``ctx``."""

from __future__ import annotations

import functools
import warnings
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
        """Keep tensors for backward; they come back from ``ctx.saved_tensors``, checked
        against in-place changes made in between."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} "
                                f"is of type {type(t).__name__}")
        self._to_save = tensors

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """These outputs get no gradient (``requires_grad=False``); backward receives zeros."""
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors: Tensor) -> None:
        """These inputs were modified in place by forward (and are returned as outputs)."""
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = value


class BackwardCFunction(FunctionCtx, Node):
    """The graph node (and ``ctx``) of one call to a user Function."""

    _forward_cls: type[Function]
    __repr__ = object.__repr__  # torch shows the class path: <...LegendrePolynomial3Backward ...>

    def _backward(self, *grads: Tensor | None) -> tuple:
        if self.materialize_grads:
            grads = tuple(_zeros(meta) if g is None and meta is not None else g
                          for g, meta in zip(grads, self._output_meta))
        out = self._forward_cls.backward(self, *grads)
        return self._check_grads(out if isinstance(out, tuple) else (out,))

    def _check_grads(self, out: tuple) -> tuple:
        """torch's checks of what a user's backward returned: count, then type per input."""
        n_inputs = len(self.next_functions)
        if len(out) > n_inputs and all(g is None for g in out[n_inputs:]):
            out = out[:n_inputs]  # surplus Nones are allowed
        if len(out) != n_inputs:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {n_inputs}, got {len(out)})")
        for i, g in enumerate(out):
            if g is None:
                continue
            if self._input_meta[i] is None:
                raise RuntimeError(
                    f"function {self.name()} returned a gradient different than None at position "
                    f"{i + 1}, but the corresponding forward input was not a Variable")
            if not isinstance(g, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
        return out


def _zeros(meta: tuple) -> Tensor:
    from .._creation import zeros

    return zeros(meta[0], dtype=meta[1])


class Function:
    """Subclass with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``; call
    ``apply``. (Or a ``forward(*args)`` without ctx plus ``setup_context(ctx, inputs, output)``.)

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
    >>> Exp.apply(torch.zeros(2, requires_grad=True))
    tensor([1., 1.], grad_fn=<ExpBackward>)
    """

    _backward_cls: type[BackwardCFunction]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__name__ + "Backward"
        cls._backward_cls = type(name, (BackwardCFunction,), {
            "_forward_cls": cls, "name_": name, "__module__": __name__, "__qualname__": name})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(f"{type(self)} should not be instantiated. Methods on autograd functions "
                      "are all static, so you should invoke them on the class itself. "
                      "Instantiating an autograd function will raise an error in a future "
                      "version of PyTorch.", DeprecationWarning, stacklevel=2)

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
        """Run forward without recording it, then wire its outputs to one backward node."""
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
        if node._dirty:
            _mark_dirty(node._dirty, record)
        if record:
            outs = _connect(node, args, outs)
        return outs[0] if single else outs


def _mark_dirty(dirty: tuple, record: bool) -> None:
    """Inputs forward wrote into: a new version, and torch's check on leaves."""
    for t in dirty:
        if record and t._requires_grad and t.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place "
                               "operation.")
        t._bump_version()


def _connect(node: BackwardCFunction, args: tuple, outs: tuple) -> tuple:
    node.next_functions = tuple(gradient_edge(a) for a in args)
    node._input_meta = tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None
                             for a in args)
    node.n_outputs = len(outs)
    node._output_meta = tuple((o.shape, o.dtype) if isinstance(o, Tensor) else None for o in outs)
    non_diff = {id(t) for t in node._non_differentiable}
    dirty = {id(t) for t in node._dirty}
    inputs = {id(a) for a in args if isinstance(a, Tensor)}
    wired = []
    for nr, o in enumerate(outs):
        if not isinstance(o, Tensor) or id(o) in non_diff or o._data.dtype.kind != "f":
            wired.append(o)
            continue
        if id(o) in inputs and id(o) not in dirty:
            # an input returned as is: a new tensor on the same memory, as in torch (which
            # makes it a view; here it shares the version counter but not ``_base``)
            same = Tensor._make(o._data)
            same._vc = o._counter()
            o = same
        o._requires_grad, o.grad_fn, o._output_nr = True, node, nr
        wired.append(o)
    _save(node, wired)
    return tuple(wired)


def _save(node: BackwardCFunction, wired: list) -> None:
    """Turn ``ctx.save_for_backward``'s tensors into saved entries with their versions."""
    if not node._to_save:
        return
    saved = []
    for t in node._to_save:
        nr = next((i for i, o in enumerate(wired) if o is t), None)
        if t is None:
            saved.append((None, 0))
        elif nr is not None:
            saved.append((_OUTPUT, t._data, t._counter(), t._version, nr))
        else:
            saved.append((t, t._version))
    node._saved, node._saved_any = tuple(saved), True
    node._to_save = ()


class _DelayedError(Node):
    """Stands for a once-differentiable backward in the graph: differentiating it raises."""

    name_ = "torch::autograd::Error"

    def __repr__(self) -> str:
        return f"<Error object at {id(self):#x}>"

    def _backward(self, *grads: Tensor) -> tuple:
        raise RuntimeError("trying to differentiate twice a function that was marked with "
                           "@once_differentiable")


def once_differentiable(fn: Callable) -> Callable:
    """Run a backward without recording it. Its results cannot be differentiated again: under
    create_graph they lead to a node that raises when reached."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        recording = _GradState.enabled
        _GradState.enabled = False
        try:
            out = fn(ctx, *args)
        finally:
            _GradState.enabled = recording
        if not recording or not any(isinstance(a, Tensor) and a._requires_grad for a in args):
            return out
        return _delay_error(out, args)

    return wrapper


def _delay_error(out: Any, args: tuple) -> Any:
    node = _DelayedError()
    node.next_functions = tuple(gradient_edge(a) for a in args)
    node._input_meta = tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None
                             for a in args)
    single = not isinstance(out, tuple)
    wired = []
    for nr, g in enumerate((out,) if single else out):
        if isinstance(g, Tensor) and g._data.dtype.kind == "f":
            g = Tensor._make(g._data, True, node, nr)
        wired.append(g)
    node.n_outputs = len(wired)
    return wired[0] if single else tuple(wired)
