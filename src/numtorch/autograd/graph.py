"""Graph nodes: what ``tensor.grad_fn`` is, saved tensors, and leaves' AccumulateGrad."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._tensor import Tensor

__all__ = ["Node", "AccumulateGrad"]

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward.")

_OUTPUT = object()  # marks "the node's own output" among the saved values


class Node:
    """One recorded operation: ``grad_fn`` of the tensors it produced.

    ``next_functions`` holds, per input, the node its gradient flows to (with the output
    number there), or ``(None, 0)`` for inputs that need no gradient.
    """

    # class-level defaults: a node is created on every recorded op, so __init__ sets nothing
    name_ = "Node"
    n_outputs = 1
    next_functions: tuple = ()
    needs_input_grad: tuple = ()
    _input_meta: tuple = ()
    _saved: tuple | None = None
    _saved_any = False
    _pre_hooks: list | None = None
    _post_hooks: list | None = None
    _tensor_hooks: dict | None = None
    _retains: dict | None = None
    _hooked = False  # whether tensor hooks or retain_grad were ever set (one check per node)
    _metadata: dict | None = None
    # ``backward_np(*grad_arrays)``: optional, see NOTE [ The array path ] in engine.py
    backward_np = None

    def name(self) -> str:
        return self.name_

    @property
    def metadata(self) -> dict:
        """A dict for users' own annotations of this node (as ``torch.autograd.graph.Node``)."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"

    # -- saved tensors ---------------------------------------------------------------------
    @property
    def saved_tensors(self) -> tuple:
        return tuple(_unpack(self, entry) for entry in self._live_saved())

    @property
    def saved_arrays(self) -> tuple:
        """``saved_tensors`` as ndarrays (same checks), for ``backward_np``."""
        return tuple(_unpack_array(self, entry) for entry in self._live_saved())

    def _live_saved(self) -> tuple:
        """The saved entries; an error once a backward without retain_graph freed them."""
        saved = self._saved
        if saved is None:
            if self._saved_any:
                raise RuntimeError(_FREED_MESSAGE)
            return ()
        return saved

    def _release(self) -> None:
        """Free what forward saved (called after a backward without retain_graph)."""
        if self._saved is not None:
            self._saved = None

    # -- hooks -------------------------------------------------------------------------------
    def register_hook(self, fn: Callable) -> _RemovableHandle:
        """``fn(grad_inputs, grad_outputs)`` runs after this node computed its gradients."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        return _RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn: Callable) -> _RemovableHandle:
        """``fn(grad_outputs)`` runs before this node; it may return replacement gradients."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return _RemovableHandle(self._pre_hooks, fn)

    def _add_tensor_hook(self, output_nr: int, fn: Callable) -> _RemovableHandle:
        if self._tensor_hooks is None:
            self._tensor_hooks = {}
            self._hooked = True
        hooks = self._tensor_hooks.setdefault(output_nr, [])
        hooks.append(fn)
        return _RemovableHandle(hooks, fn)

    def _retain_grad(self, output_nr: int, tensor: Tensor) -> None:
        if self._retains is None:
            self._retains = {}
            self._hooked = True
        self._retains[output_nr] = weakref.ref(tensor)

    def _backward(self, *grads: Tensor) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    name_ = "torch::autograd::AccumulateGrad"

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"


def grad_accumulator(tensor: Tensor) -> AccumulateGrad:
    """The AccumulateGrad node of a leaf, one per leaf while any graph uses it."""
    ref = tensor._grad_acc
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(tensor)
        tensor._grad_acc = weakref.ref(acc)
    return acc


def gradient_edge(t: Any) -> tuple:
    """Where the gradient of ``t`` flows: (its grad_fn, output number), a leaf's
    AccumulateGrad, or (None, 0) when it needs none."""
    if not getattr(t, "_requires_grad", False):
        return (None, 0)
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    return (grad_accumulator(t), 0)


class _RemovableHandle:
    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks: list, fn: Callable) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __enter__(self) -> _RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _unpack(node: Node, entry: Any) -> Tensor:
    """Turn a saved entry back into a tensor, checking it was not modified in place."""
    from .._tensor import Tensor

    data = _unpack_array(node, entry)  # the checks
    if entry[0] is not _OUTPUT:
        return entry[0]  # the input tensor itself (or None)
    _, _, counter, _, output_nr = entry
    out = Tensor._make(data, True, node, output_nr)
    out._vc = counter
    return out


def _unpack_array(node: Node, entry: Any) -> Any:
    """``_unpack`` without building a tensor: the saved ndarray (or None)."""
    if entry[0] is _OUTPUT:
        _, data, counter, version, output_nr = entry
        if counter.value != version:
            _raise_modified(data.shape, data.dtype, node.name(), output_nr, counter.value, version)
        return data
    tensor, version = entry
    if tensor is None:
        return None
    if tensor._version != version:
        _raise_modified(tensor.shape, tensor._data.dtype, _producer_name(tensor), tensor._output_nr,
                        tensor._version, version)
    return tensor._data


def _producer_name(tensor: Tensor) -> str | None:
    return tensor.grad_fn.name() if tensor.grad_fn is not None else None


_LEGACY_TYPE = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _raise_modified(shape: tuple, np_dtype: Any, producer: str | None, output_nr: int, now: int,
                    expected: int) -> None:
    dims = ", ".join(str(s) for s in shape)
    # torch names the forward op: "ExpBackward0" -> "Exp"; leaves have no producer
    which = "" if producer is None else \
        f", which is output {output_nr} of {producer.split('Backward')[0]},"
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [torch.{_LEGACY_TYPE[str(np_dtype)]}Tensor [{dims}]]{which} is at version "
        f"{now}; expected version {expected} instead. Hint: enable anomaly detection to find the "
        "operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False).")
