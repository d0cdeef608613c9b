"""The backward engine: walks the graph iteratively, in dependency order, from the roots."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .grad_mode import _GradState
from .graph import AccumulateGrad, Node, grad_accumulator

if TYPE_CHECKING:
    from .._tensor import Tensor


def _root_edge(t: Tensor, i: int) -> tuple[Node, int]:
    if t.grad_fn is not None:
        return t.grad_fn, t._output_nr
    if t._requires_grad:
        return grad_accumulator(t), 0
    raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def _dependencies(roots: list[Node], needed: set | None) -> dict[Node, int]:
    """How many edges lead into each reachable node (an iterative walk, no recursion)."""
    deps: dict[Node, int] = {}
    seen = set(roots)
    stack = list(seen)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None or (needed is not None and nxt not in needed):
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps


def _needed_nodes(roots: list[Node], targets: set[Node]) -> set[Node]:
    """The nodes from which some target can be reached (only these run for autograd.grad)."""
    order, seen, stack = [], set(roots), [(n, False) for n in roots]
    while stack:  # iterative post-order
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        for nxt, _ in node.next_functions:
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, False))
    needed = set()
    for node in order:  # children come before parents in post-order
        if node in targets or any(n in needed for n, _ in node.next_functions if n is not None):
            needed.add(node)
    return needed


def sum_to(grad: Tensor, shape: tuple) -> Tensor:
    """Sum a broadcast gradient back to ``shape``; the one place broadcasting is undone."""
    lead = grad.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and grad.shape[lead + i] != 1)
    if dims:
        grad = grad.sum(dims, keepdim=True)
    if lead:
        grad = grad.reshape(shape)
    return grad


def _check_shape(node: Node, i: int, grad: Tensor, shape: tuple) -> Tensor:
    gshape = grad.shape
    if len(gshape) >= len(shape) and all(
            s == g or s == 1 for s, g in zip(shape, gshape[len(gshape) - len(shape):])):
        return sum_to(grad, shape)
    raise RuntimeError(
        f"Function {node.name()} returned an invalid gradient at index {i} - got "
        f"{list(gshape)} but expected shape compatible with {list(shape)}")


def validate(node: Node, grads: Sequence) -> list:
    """Check the gradients a node returned: count, shape (summing broadcasts), dtype."""
    edges = node.next_functions
    if len(grads) != len(edges):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {len(edges)}, got {len(grads)})")
    out = list(grads)
    metas = node._input_meta
    for i, g in enumerate(out):
        if g is None or edges[i][0] is None:
            continue
        shape, np_dtype = metas[i] if metas else (edges[i][0].variable.shape, None)
        if g._data.shape != shape:
            g = _check_shape(node, i, g, shape)
        if np_dtype is not None and g._data.dtype != np_dtype:
            from .._dtype import from_numpy_dtype
            g = g.to(from_numpy_dtype(np_dtype))
        out[i] = g
    return out


def _add(a: Tensor | None, b: Tensor, create_graph: bool) -> Tensor:
    if a is None:
        return b
    if create_graph:
        return a + b
    from .._tensor import Tensor
    return Tensor._make(a._data + b._data)


def _run_tensor_hooks(node: Node, grads: list, create_graph: bool) -> None:
    if node._tensor_hooks:
        for nr, hooks in node._tensor_hooks.items():
            for hook in list(hooks):
                if grads[nr] is not None:
                    new = hook(grads[nr])
                    if new is not None:
                        grads[nr] = new
    if node._retains:
        for nr, ref in node._retains.items():
            t = ref()
            if t is not None and grads[nr] is not None:
                t._grad = _add(t._grad, _private(grads[nr], create_graph), create_graph)


def _private(grad: Tensor, create_graph: bool) -> Tensor:
    """A gradient to store in ``.grad``: two tensors must never share one gradient array."""
    if create_graph:
        return grad
    from .._tensor import Tensor
    return Tensor._make(np.array(grad._data, copy=True))


def _accumulate(node: AccumulateGrad, grad: Tensor, create_graph: bool) -> None:
    var = node.variable
    for hook in list(var._backward_hooks or ()):
        new = hook(grad)
        if new is not None:
            grad = new
    if var._grad is None:
        var._grad = _private(grad, create_graph)
    elif create_graph or var._grad._requires_grad:
        var._grad = var._grad + grad
    else:
        np.add(var._grad._data, grad._data, out=var._grad._data, casting="unsafe")
        var._grad._bump_version()
    for hook in list(var._post_accumulate_hooks or ()):
        hook(var)


def run_backward(tensors: Sequence[Tensor], grad_tensors: Sequence[Tensor | None],
                 retain_graph: bool, create_graph: bool,
                 inputs: Sequence[Tensor] | None = None, capture: bool = False) -> list | None:
    """Propagate ``grad_tensors`` from ``tensors`` back through the graph.

    With ``capture`` (autograd.grad), the gradients reaching ``inputs`` are returned instead of
    being accumulated into ``.grad``; with ``inputs`` alone (backward(inputs=...)), only those
    leaves accumulate.
    """
    root_edges = [_root_edge(t, i) for i, t in enumerate(tensors)]
    roots = list(dict.fromkeys(n for n, _ in root_edges))
    targets: dict[tuple[Node, int], int] = {}
    if inputs is not None:
        for k, t in enumerate(inputs):
            if t.grad_fn is not None:
                targets[(t.grad_fn, t._output_nr)] = k
            elif t._requires_grad:
                targets[(grad_accumulator(t), 0)] = k
            else:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
    needed = _needed_nodes(roots, {n for n, _ in targets}) if inputs is not None else None
    deps = _dependencies(roots, needed)
    buffers: dict[Node, list] = {}
    for (node, nr), g in zip(root_edges, grad_tensors):
        buf = buffers.setdefault(node, [None] * node.n_outputs)
        buf[nr] = _add(buf[nr], g, create_graph)
    captured: list = [None] * len(targets)
    ready = [n for n in roots if deps.get(n, 0) == 0]
    prev_mode = _GradState.enabled
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None) or [None] * node.n_outputs
            _run_tensor_hooks(node, grads, create_graph)
            if targets:
                for nr, g in enumerate(grads):
                    k = targets.get((node, nr))
                    if k is not None:
                        captured[k] = g
            if isinstance(node, AccumulateGrad):
                if grads[0] is not None and not capture and (
                        inputs is None or (node, 0) in targets):
                    _GradState.enabled = create_graph
                    _accumulate(node, grads[0], create_graph)
                continue
            if needed is not None and not any(
                    n in needed for n, _ in node.next_functions if n is not None):
                continue  # a target itself, with nothing needed beyond it
            input_grads: list = [None] * len(node.next_functions)
            if any(g is not None for g in grads):
                input_grads = _call_node(node, grads, create_graph, retain_graph)
            for (nxt, nr), g in zip(node.next_functions, input_grads):
                if nxt is None or (needed is not None and nxt not in needed):
                    continue
                if g is not None:
                    buf = buffers.setdefault(nxt, [None] * nxt.n_outputs)
                    buf[nr] = _add(buf[nr], g, create_graph)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    ready.append(nxt)
    finally:
        _GradState.enabled = prev_mode
    return captured if capture else None


def _call_node(node: Node, grads: list, create_graph: bool, retain_graph: bool) -> list:
    if node._pre_hooks:
        for hook in list(node._pre_hooks):
            new = hook(tuple(grads))
            if new is not None:
                grads = list(new)
    _GradState.enabled = create_graph
    input_grads = validate(node, node._backward(*grads))
    if node._post_hooks:
        for hook in list(node._post_hooks):
            new = hook(tuple(input_grads), tuple(grads))
            if new is not None:
                input_grads = list(new)
    if not retain_graph:
        node._release()
    return input_grads
