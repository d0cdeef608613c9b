"""The base of every differentiable primitive: forward on ndarrays, backward on Tensors.

NOTE [ Writing a primitive ]
A primitive subclasses ``Primitive`` and defines

* ``forward(self, *arrays, **params) -> ndarray``: the math on NumPy arrays. Anything
  backward needs is kept with ``self.save_for_backward(*arrays)`` (inputs or the output,
  so that they come back as tensors wired into the graph, which makes double backward
  work) or as plain attributes (shapes, dims).
* ``backward(self, grad) -> Tensor | tuple``: the gradient for each input, written with
  numtorch tensor ops; ``None`` where ``self.needs_input_grad[i]`` is False.
* optionally ``backward_np(self, grad) -> ndarray | tuple``: the same formula on ndarrays
  (``self.saved_arrays``), the same NumPy operations in the same order, for backwards that
  record nothing (NOTE [ The array path ] in ``autograd/engine.py``). A subclass that
  overrides ``backward`` loses an inherited ``backward_np``.

Backward never reduces broadcast gradients: the engine sums each returned gradient to its
input's shape and casts it to the input's dtype (``autograd.engine.validate``).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

import numpy as np

from .._quiet import quiet, quiet_off, quiet_on  # noqa: F401 - quiet is used by the families
from .._tensor import Tensor
from ..autograd.grad_mode import _GradState
from ..autograd.graph import _OUTPUT, Node, grad_accumulator

_NO_EDGE = (None, 0)
_new = object.__new__
_DATA = attrgetter("_data")
_REQUIRES_GRAD = attrgetter("_requires_grad")
_META = attrgetter("shape", "dtype")  # what the engine checks each gradient against


class Primitive(Node):
    name_ = "Primitive"
    once_differentiable = False
    _to_save: tuple = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "backward" in cls.__dict__ and "backward_np" not in cls.__dict__:
            cls.backward_np = None  # an inherited array formula would not match this backward

    @classmethod
    def apply(cls, *inputs: Tensor, **params: Any) -> Tensor:
        # every op runs this: C-level maps over the inputs, no comprehension frames
        node = cls()
        arrays = tuple(map(_DATA, inputs))
        record = False
        if _GradState.enabled:
            needs = tuple(map(_REQUIRES_GRAD, inputs))
            if True in needs:
                record = True
                node.needs_input_grad = needs
        token = quiet_on()  # NOTE [ Quiet arithmetic ]
        try:
            out = node.forward(*arrays, **params)
        except ValueError as e:
            raise _torch_error(e, arrays) from None
        finally:
            quiet_off(token)
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        if not record or out.dtype.kind != "f":  # integer and bool results carry no gradient
            result = _new(Tensor)  # Tensor._make(out), inlined
            result._data = out
            return result
        edges = []
        for t in inputs:
            if not t._requires_grad:
                edges.append(_NO_EDGE)
            elif t.grad_fn is not None:
                edges.append((t.grad_fn, t._output_nr))
            else:  # a leaf: its AccumulateGrad while one lives, else a new one
                acc = t._grad_acc() if t._grad_acc is not None else None
                edges.append((acc if acc is not None else grad_accumulator(t), 0))
        node.next_functions = tuple(edges)
        node._input_meta = tuple(map(_META, arrays))
        result = _new(Tensor)  # Tensor._make(out, True, node, 0), inlined
        result._data = out
        result._requires_grad = True
        result.grad_fn = node
        if node._to_save:
            node._saved = _saved_entries(node._to_save, inputs, result)
            node._saved_any = True
            del node._to_save
        return result

    def save_for_backward(self, *arrays: np.ndarray | None) -> None:
        if self.needs_input_grad:  # only when recording
            self._to_save = arrays

    def forward(self, *arrays: np.ndarray, **params: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def backward(self, grad: Tensor) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _backward(self, *grads: Tensor) -> tuple:
        out = self.backward(*grads)
        return out if type(out) is tuple else (out,)


def _saved_entries(arrays: tuple, inputs: tuple, result: Tensor) -> tuple:
    """What ``save_for_backward`` kept, as entries ``_unpack`` reads: an input with its version
    now, the output with its version counter, or a constant."""
    entries = []
    for a in arrays:
        if a is None:
            entries.append((None, 0))
            continue
        for t in inputs:
            if t._data is a:
                entries.append((t, t._vc.value if t._vc is not None else 0))  # t._version
                break
        else:
            if a is result._data:
                counter = result._counter()
                entries.append((_OUTPUT, a, counter, counter.value, 0))
            else:
                entries.append((Tensor._make(a), 0))
    return tuple(entries)


def _torch_error(err: ValueError, arrays: list) -> Exception:
    """Rewrite NumPy's broadcasting error in torch's words; leave other errors alone."""
    if "could not be broadcast" not in str(err) or len(arrays) < 2:
        return err
    shapes = [a.shape for a in arrays]
    ndim = max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + s for s in shapes]
    for i, j in ((0, 1), (0, 2), (1, 2)):
        if j >= len(padded):
            continue
        for dim, (x, y) in enumerate(zip(padded[i], padded[j])):
            if x != y and x != 1 and y != 1:
                return RuntimeError(
                    f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                    f"non-singleton dimension {dim}")
    return err
