"""The backward engine's array path: a plain ``backward()`` run on ndarrays.

NOTE [ The array path ]
Without ``create_graph`` nothing done in backward is recorded, so wrapping every gradient in a
Tensor and sending it through the composites is pure overhead. A primitive may then offer
``backward_np(grad)``: the formula of its ``backward`` on ndarrays, the same NumPy operations
in the same order, so the results are identical. Plain ``backward()`` (no ``inputs``, no
``create_graph``) runs here: buffers hold ndarrays, ``validate_arrays`` sums broadcasts and
casts, and whatever needs Tensors (nodes without ``backward_np``, node hooks, tensor hooks,
``retain_grad``) gets them wrapped around the same arrays. ``autograd.grad``,
``backward(inputs=...)`` and ``create_graph`` take the Tensor path (``engine.py``). Nodes run
in the Tensor path's order.

NOTE [ Adding into a leaf directly ]
A leaf's AccumulateGrad is a node like any other, but when its last gradient arrives, the
leaf already has a ``.grad`` and nobody hooked it, running it later would only add the
gradient in place. The loop then adds it on the spot instead of buffering the gradient and
queueing the node: the same sum, fewer steps per leaf, and no one can tell the difference
(no hook runs, nothing else reads ``.grad`` during the pass). A leaf's first gradient still
goes through the node, which decides whether to adopt or copy it (next NOTE).

NOTE [ Adopting a leaf's first gradient ]
A leaf's ``.grad`` must be private: later backwards add into it in place, so an array shared
with another leaf, a saved tensor or the user would change behind their back. torch's
AccumulateGrad takes the incoming gradient as it is when nothing else holds it (its use
count) and clones it otherwise; the array path does the same with the array's reference count
(``_adopt``): a gradient that owns its memory (or views all of an array nothing else refers
to), is writeable, is laid out like the leaf and that only the engine refers to becomes
``.grad`` without a copy. A copy is laid out like the leaf (torch's layout contract).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence

import numpy as np

from .._quiet import quiet_off, quiet_on
from .._tensor import Tensor
from ._validate import check_shape, to_check
from .anomaly_mode import _AnomalyState
from .grad_mode import _GradState
from .graph import AccumulateGrad, Node


def run(root_edges: list, seeds: list, retain_graph: bool) -> None:
    """Propagate the ndarray gradients ``seeds`` from the nodes of ``root_edges``."""
    buffers: dict[Node, list] = {}
    for (node, nr), g in zip(root_edges, seeds):
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node.n_outputs
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    roots = list(buffers)
    deps = dict.fromkeys(roots, 0)  # edges into each node (roots included, never re-walked)
    stack = roots[:]
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:
                deps[nxt] = 1
                stack.append(nxt)
    ready = [n for n in roots if deps[n] == 0]
    prev_mode = _GradState.enabled
    _GradState.enabled = False
    token = quiet_on()  # NOTE [ Quiet arithmetic ]: for every backward_np of the pass
    try:
        _execute(ready, buffers, deps, retain_graph)
    finally:
        quiet_off(token)
        _GradState.enabled = prev_mode


def _execute(ready: list, buffers: dict, deps: dict, retain_graph: bool) -> None:
    """Run nodes as their last input arrives (a stack: no recursion, any depth). Nodes with
    hooks or without ``backward_np`` see Tensors wrapped around the same arrays."""
    while ready:
        node = ready.pop()
        grads = buffers.pop(node, None) or [None] * node.n_outputs
        if type(node) is AccumulateGrad:
            _accumulate(node.variable, grads)
            continue
        if node._hooked:
            grads = _hooked(node, grads)
        if grads[0] is None if len(grads) == 1 else all(g is None for g in grads):
            input_grads = [None] * len(node.next_functions)  # nothing arrived
        elif node.backward_np is None or node._pre_hooks or node._post_hooks:
            from .engine import call_node  # the Tensor path's, for what needs Tensors

            input_grads = _as_arrays(call_node(node, _as_tensors(grads), retain_graph))
        else:
            input_grads = node.backward_np(*grads)
            if type(input_grads) is not tuple:
                input_grads = (input_grads,)
            if not _valid(input_grads, node):
                input_grads = validate_arrays(node, input_grads)
            if _AnomalyState.enabled and _AnomalyState.check_nan:
                from .engine import check_nan

                check_nan(node, _as_tensors(input_grads))
            if not retain_graph:
                node._release()
        grads = None
        for (nxt, nr), g in zip(node.next_functions, input_grads):
            if nxt is None:
                continue
            left = deps[nxt] - 1
            deps[nxt] = left
            if g is not None:
                buf = buffers.get(nxt)
                if buf is None:
                    if left == 0 and type(nxt) is AccumulateGrad and _add_into(nxt.variable, g):
                        continue  # NOTE [ Adding into a leaf directly ]
                    buf = buffers[nxt] = [None] * nxt.n_outputs
                buf[nr] = g if buf[nr] is None else buf[nr] + g
            if left == 0:
                ready.append(nxt)
        input_grads = g = buf = None  # references _adopt would count


def _add_into(var: Tensor, g: np.ndarray) -> bool:
    """Add ``g`` into the existing, unhooked ``var.grad`` in place; False when that is not the
    whole of what AccumulateGrad would do (NOTE [ Adding into a leaf directly ])."""
    old = var._grad
    if old is None or var._backward_hooks or var._post_accumulate_hooks:
        return False
    old._data += g
    if old._vc is None:
        old._counter()
    old._vc.value += 1
    return True


def _accumulate(var: Tensor, grads: list) -> None:
    """What a leaf's AccumulateGrad does on the array path."""
    g = grads[0]
    grads[0] = None  # the list's reference would stop _adopt
    if g is not None and var._backward_hooks:
        g = _leaf_hooks(var, g)
    if g is None:
        return
    if var._grad is None:
        var._grad = Tensor._make(_adopt(g, var._data))
    else:
        old = var._grad
        old._data += g
        if old._vc is None:
            old._counter()
        old._vc.value += 1
    g = None
    if var._post_accumulate_hooks:
        for hook in list(var._post_accumulate_hooks):
            hook(var)


def _hooked(node: Node, grads: list) -> list:
    """Run a node's tensor hooks (and retain_grad) on the array path: they see Tensors."""
    from .engine import tensor_hooks

    tensors = _as_tensors(grads)
    tensor_hooks(node, tensors, False)
    return _as_arrays(tensors)


def _leaf_hooks(var: Tensor, g: np.ndarray) -> np.ndarray:
    """A leaf's own hooks, which see (and may replace) its incoming gradient as a Tensor."""
    grad = Tensor._make(g)
    for hook in list(var._backward_hooks):
        new = hook(grad)
        if new is not None:
            grad = new
    return grad._data


def _as_tensors(grads: Sequence) -> list:
    return [None if g is None else Tensor._make(g) for g in grads]


def _as_arrays(grads: Sequence) -> list:
    return [None if g is None else g._data for g in grads]


# -- checking what backward_np returned -----------------------------------------------------


def _valid(grads: tuple, node: Node) -> bool:
    """Whether ``validate_arrays`` would return ``grads`` unchanged (the usual case)."""
    metas = node._input_meta
    if len(grads) != len(metas):
        return False
    for g, (shape, dtype) in zip(grads, metas):
        if g is not None and (type(g) is not np.ndarray or g.shape != shape
                              or (g.dtype is not dtype and g.dtype != dtype)):
            return False
    return True


def validate_arrays(node: Node, grads: Sequence) -> list:
    """``engine.validate`` for the gradients a node's ``backward_np`` returned (ndarrays)."""
    out = list(grads)
    for i, g, shape, np_dtype in to_check(node, grads):
        if type(g) is not np.ndarray:  # a ufunc on 0-d arrays answers a NumPy scalar
            g = np.asarray(g)
        if g.shape != shape:
            lead = g.ndim - len(shape)
            if lead > 0 and g.shape[lead:] == shape:  # broadcast over leading dims alone
                g = _sum_kernel()(g, tuple(range(lead)), False)  # as sum_to_array sums them
            else:
                check_shape(node, i, g.shape, shape)
                g = sum_to_array(g, shape)
        if np_dtype is not None and g.dtype != np_dtype:
            g = _cast(g, np_dtype)
        out[i] = g
    return out


def sum_to_array(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """``engine.sum_to`` on an ndarray, with the same reduction (NOTE [ The array path ])."""
    lead = grad.ndim - len(shape)
    kept = tuple(lead + i for i, s in enumerate(shape) if s == 1 and grad.shape[lead + i] != 1)
    sum_array = _sum_kernel()
    if not kept:  # only leading dims: summed away directly (the same sums, an owned result)
        return sum_array(grad, tuple(range(lead)), False) if lead else grad
    grad = sum_array(grad, tuple(range(lead)) + kept, True)
    return grad.reshape(shape) if lead else grad


@functools.cache
def _sum_kernel() -> Callable:
    """The sum primitive's kernel, imported on first use: the primitives import the engine."""
    from .._primitives.reduction import sum_array

    return sum_array


def _cast(g: np.ndarray, np_dtype: np.dtype) -> np.ndarray:
    from .._primitives.fill import ToCopy

    return ToCopy().forward(g, np_dtype)  # what ``g.to(dtype)`` runs


# -- a leaf's first gradient: adopted or copied ----------------------------------------------


def _refs_in_callee(array: np.ndarray) -> int:
    return sys.getrefcount(array)


def _private_refs() -> int:
    """The reference count ``_adopt`` sees for an array that only its caller's local holds:
    measured through the same shape of call (a local, passed to a function that asks), as it
    differs between Python versions."""
    probe = np.empty(1)
    return _refs_in_callee(probe)


_PRIVATE_REFS = _private_refs()


def _view_base_refs() -> int:
    """The reference count ``_whole_private_view`` sees for a base only its view holds."""
    view = np.empty(2)[:1]
    base = view.base  # as _whole_private_view holds it
    return sys.getrefcount(base)


_VIEW_BASE_REFS = _view_base_refs()


def _adopt(grad: np.ndarray, like: np.ndarray) -> np.ndarray:
    """A leaf's first ``.grad`` from ``grad``: itself when nothing but the caller's local
    refers to its memory and it has the leaf's layout, else a private copy in that layout
    (NOTE [ Adopting a leaf's first gradient ])."""
    if (sys.getrefcount(grad) <= _PRIVATE_REFS and grad.flags.writeable
            and _same_layout(grad, like) and (grad.base is None or _whole_private_view(grad))):
        return grad
    return copy_array(grad, like)


def _whole_private_view(grad: np.ndarray) -> bool:
    """Whether ``grad`` views all of an array that nothing else refers to (a transposed or
    reshaped fresh result): then its memory is as private as the array's own."""
    base = grad.base
    return (type(base) is np.ndarray and base.base is None and base.nbytes == grad.nbytes
            and sys.getrefcount(base) <= _VIEW_BASE_REFS)


def _same_layout(grad: np.ndarray, like: np.ndarray) -> bool:
    if like.flags.c_contiguous:
        return grad.flags.c_contiguous
    return grad.flags.f_contiguous if like.flags.f_contiguous else True


def copy_array(grad: np.ndarray, like: np.ndarray | None = None) -> np.ndarray:
    """A private copy of ``grad``; laid out as ``like`` (a leaf's data) when that is
    contiguous, as torch lays out a leaf's gradient like the leaf, else as ``grad``."""
    order = "K"
    if like is not None:
        order = "C" if like.flags.c_contiguous else ("F" if like.flags.f_contiguous else "K")
    return np.array(grad, order=order, copy=True)
