"""The backward engine: walks the graph iteratively, in dependency order, from the roots.

NOTE [ What the engine runs ]
Plain ``backward()`` runs every node reachable from the roots and accumulates into every leaf.
With ``inputs`` only the nodes from which an input can be reached take part ("reach"):

* ``backward(inputs=...)`` runs all of them, the inputs' own nodes included, and accumulates
  only into those inputs (non-leaf inputs get ``retain_grad()`` to receive theirs).
* ``autograd.grad`` captures the gradient arriving at each input instead. A node that is an
  input and leads nowhere further is not run: its tensor hooks run, then the capture. An input
  node that other inputs lie behind is run, and its capture is taken before its hooks. That
  is torch's order (a hook on a non-leaf input changes what flows on, not what is returned).

Tensor hooks and ``retain_grad`` run first for every node, then node pre-hooks, the backward
itself, and node post-hooks. The grad mode during all of it is ``create_graph``.

The array path (a plain ``backward()`` on ndarrays) is in ``_array_path.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import _tensor
from .._dtype import from_numpy_dtype
from .._quiet import quiet_off, quiet_on
from .._tensor import Tensor
from . import _array_path
from ._array_path import copy_array
from ._validate import check_shape, to_check
from .anomaly_mode import _AnomalyState
from .grad_mode import _GradState
from .graph import AccumulateGrad, Node, grad_accumulator, gradient_edge

ARRAY_PATH = True  # NOTE [ The array path ]; the tests turn it off to compare both paths


def _root_edge(t: Tensor, i: int) -> tuple[Node, int]:
    if t.grad_fn is not None:
        return t.grad_fn, t._output_nr
    if t._requires_grad:
        return grad_accumulator(t), 0
    raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def make_grads(outputs: Sequence[Tensor], grads: Sequence) -> list:
    """The gradient to seed each output with: checked, or ones for a scalar output."""
    out = []
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if isinstance(g, Tensor):
            if g._data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                    f"output[{i}] has a shape of {t.shape}.")
            if g._data.dtype != t._data.dtype and t._data.dtype.kind == "f":
                g = g.to(t.dtype)
        elif g is None:
            if t._requires_grad:  # one that does not fails in the engine, by its index
                if t._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                g = np.empty(t._data.shape, t._data.dtype)  # np.ones, minus a Python frame
                g.fill(1)
                g = Tensor._make(g)
        else:
            raise TypeError("gradients can be either Tensors or None, but got "
                            f"{type(g).__name__}")
        out.append(g)
    if len(out) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(out)} gradients")
    return out


def _input_edge(t: Tensor) -> tuple[Node, int]:
    if t.grad_fn is not None:
        return t.grad_fn, t._output_nr
    if t._requires_grad:
        return grad_accumulator(t), 0
    raise RuntimeError("One of the differentiated Tensors does not require grad")


def _reach(roots: list[Node], targets: set[Node], capture: bool) -> tuple[set, set]:
    """The nodes from which a target can be reached, and among them those that run."""
    order, expanded, stack = [], set(), [(n, False) for n in roots]
    while stack:  # iterative depth-first post-order: every child is finished before its parent
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in expanded:  # pushed twice (by two parents): finished already
            continue
        expanded.add(node)
        stack.append((node, True))
        for nxt, _ in node.next_functions:
            if nxt is not None and nxt not in expanded:
                stack.append((nxt, False))
    reach, runs = set(), set()
    for node in order:
        if any(n in reach for n, _ in node.next_functions if n is not None):
            reach.add(node)
            runs.add(node)
        elif node in targets:
            reach.add(node)
            if not capture and type(node) is not AccumulateGrad:
                runs.add(node)
    return reach, runs


def _dependencies(roots: list[Node], reach: set | None) -> dict[Node, int]:
    """How many edges lead into each node taking part (an iterative walk, no recursion)."""
    deps: dict[Node, int] = {}
    seen = set(roots)
    stack = list(seen)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None or (reach is not None and nxt not in reach):
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps


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


def validate(node: Node, grads: Sequence) -> list:
    """Check the gradients a node returned: count, shape (summing broadcasts), dtype."""
    out = list(grads)
    for i, g, shape, np_dtype in to_check(node, grads):
        if g._data.shape != shape:
            check_shape(node, i, g._data.shape, shape)
            g = sum_to(g, shape)
        if np_dtype is not None and g._data.dtype != np_dtype:
            g = g.to(from_numpy_dtype(np_dtype))
        out[i] = g
    return out


def _add(a: Tensor | None, b: Tensor, create_graph: bool) -> Tensor:
    if a is None:
        return b
    if create_graph:
        return a + b
    return Tensor._make(a._data + b._data)


def tensor_hooks(node: Node, grads: list, create_graph: bool) -> None:
    """Hooks registered on the tensors this node produced (a leaf's, for AccumulateGrad),
    then ``retain_grad``, which always sees the gradient after the hooks."""
    if type(node) is AccumulateGrad:
        hooks = node.variable._backward_hooks
        if hooks and grads[0] is not None:
            for hook in list(hooks):
                new = hook(grads[0])
                if new is not None:
                    grads[0] = new
        return
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
                g = grads[nr]
                t._grad = (g.clone() if create_graph else _copy(g)) if t._grad is None \
                    else _add(t._grad, g, create_graph)


def _copy(grad: Tensor, like: Tensor | None = None) -> Tensor:
    """A private copy: two tensors must never share one gradient array."""
    return Tensor._make(copy_array(grad._data, None if like is None else like._data))


class CopyBackwards(Node):
    """The node of a leaf's first ``.grad`` under create_graph: a differentiable copy."""

    name_ = "torch::autograd::CopyBackwards"

    def __repr__(self) -> str:
        return f"<CopyBackwards object at {id(self):#x}>"

    def _backward(self, grad: Tensor) -> tuple:
        return (None, grad)


def _graph_copy(grad: Tensor, like: Tensor) -> Tensor:
    if not grad._requires_grad:
        return _copy(grad, like)
    node = CopyBackwards()
    node.next_functions = ((None, 0), gradient_edge(grad))
    meta = (grad._data.shape, grad._data.dtype)
    node._input_meta = (meta, meta)
    return Tensor._make(copy_array(grad._data, like._data), True, node, 0)


def _accumulate(node: AccumulateGrad, grad: Tensor, create_graph: bool) -> None:
    """Add into ``variable.grad``: in place normally, out of place (differentiably) under
    create_graph, as torch's AccumulateGrad does."""
    var = node.variable
    if var._grad is None:
        var._grad = _graph_copy(grad, var) if create_graph else _copy(grad, var)
    elif create_graph:
        var._grad = var._grad + grad
    else:
        var._grad._data += grad._data
        var._grad._bump_version()
    if var._post_accumulate_hooks:
        for hook in list(var._post_accumulate_hooks):
            hook(var)


def call_node(node: Node, grads: list, retain_graph: bool) -> list:
    if node._pre_hooks:
        for hook in list(node._pre_hooks):
            new = hook(tuple(grads))
            if new is not None:
                grads = list(new)
    input_grads = validate(node, node._backward(*grads))
    if _AnomalyState.enabled and _AnomalyState.check_nan:
        check_nan(node, input_grads)
    if node._post_hooks:
        for hook in list(node._post_hooks):
            new = hook(tuple(input_grads), tuple(grads))
            if new is not None:
                input_grads = list(new)
    if not retain_graph:
        node._release()
    return input_grads


def check_nan(node: Node, input_grads: list) -> None:
    for i, g in enumerate(input_grads):
        if g is not None and np.isnan(g._data).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


# NOTE [ Final callbacks ]
# ``queue_callback(fn)``, called while a backward pass runs (from a hook), runs ``fn()`` once that
# pass has finished, in the order queued; a callback may queue more. torch offers the same as
# ``Variable._execution_engine.queue_callback``; DistributedDataParallel uses it to wait for its
# gradient all-reduces at the end of backward. A pass that raises runs none of its callbacks.
_final_callbacks: list[list[Callable[[], None]]] = []  # one list per running (nested) pass


def queue_callback(callback: Callable[[], None]) -> None:
    """Run ``callback()`` when the backward pass now running finishes (NOTE [ Final callbacks ])."""
    if not _final_callbacks:
        raise RuntimeError("Final callbacks can only be installed during backward pass.")
    _final_callbacks[-1].append(callback)


def _with_final_callbacks(run: Callable) -> Callable:
    @functools.wraps(run)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        queued: list[Callable[[], None]] = []
        _final_callbacks.append(queued)
        try:
            out = run(*args, **kwargs)
            while queued:
                queued.pop(0)()
        finally:
            _final_callbacks.pop()
        return out

    return wrapper


def plain_backward(t: Tensor, retain_graph: bool | None) -> None:
    """``t.backward()`` with no gradient, inputs or create_graph, on a tensor with a grad_fn
    (the tutorials' call, once a step): straight to the array path with what
    ``autograd.backward`` would check and seed, without its general argument handling."""
    data = t._data
    if not ARRAY_PATH or data.size != 1:
        from . import backward

        backward(t, None, retain_graph)
        return
    seed = np.empty(data.shape, data.dtype)  # np.ones, minus a Python frame
    seed.fill(1)
    queued: list[Callable[[], None]] = []  # NOTE [ Final callbacks ], as _with_final_callbacks
    _final_callbacks.append(queued)
    try:
        _array_path.run([(t.grad_fn, t._output_nr)], [seed], bool(retain_graph))
        while queued:
            queued.pop(0)()
    finally:
        _final_callbacks.pop()


_tensor._plain_backward = plain_backward  # see _tensor._plain_backward


@_with_final_callbacks
def run_backward(tensors: Sequence[Tensor], grad_tensors: Sequence[Tensor],
                 retain_graph: bool, create_graph: bool,
                 inputs: Sequence[Tensor] | None = None, capture: bool = False) -> list | None:
    """Propagate ``grad_tensors`` from ``tensors`` back through the graph.

    With ``capture`` (autograd.grad) the gradients reaching ``inputs`` are returned instead of
    accumulated; with ``inputs`` alone (backward(inputs=...)) only those accumulate. See
    NOTE [ What the engine runs ].
    """
    root_edges = [_root_edge(t, i) for i, t in enumerate(tensors)]
    if not create_graph and inputs is None and ARRAY_PATH:
        _array_path.run(root_edges, [g._data for g in grad_tensors], retain_graph)
        return None
    roots = list(dict.fromkeys(n for n, _ in root_edges))
    task = _Task(retain_graph, create_graph)
    if inputs is not None:
        for k, t in enumerate(inputs):
            task.targets.setdefault(_input_edge(t), []).append(k)
        task.reach, task.runs = _reach(roots, {n for n, _ in task.targets}, capture)
        task.captured = [None] * len(inputs)
    task.deps = _dependencies(roots, task.reach)
    for (node, nr), g in zip(root_edges, grad_tensors):
        buf = task.buffers.setdefault(node, [None] * node.n_outputs)
        buf[nr] = _add(buf[nr], g, create_graph)
    ready = [n for n in roots if task.deps.get(n, 0) == 0 and
             (task.reach is None or n in task.reach)]
    prev_mode = _GradState.enabled
    _GradState.enabled = create_graph
    token = quiet_on()  # NOTE [ Quiet arithmetic ]: gradients summed as arrays (_add)
    try:
        task.execute(ready, capture)
    finally:
        quiet_off(token)
        _GradState.enabled = prev_mode
    return task.captured if capture else None


class _Task:
    """The state of one backward pass: pending gradients, dependency counts, what runs."""

    def __init__(self, retain_graph: bool, create_graph: bool) -> None:
        self.retain_graph, self.create_graph = retain_graph, create_graph
        self.targets: dict[tuple[Node, int], list[int]] = {}
        self.reach: set | None = None  # None: every reachable node takes part
        self.runs: set | None = None
        self.captured: list = []
        self.deps: dict[Node, int] = {}
        self.buffers: dict[Node, list] = {}

    def execute(self, ready: list[Node], capture: bool) -> None:
        """Run nodes as their last input arrives (a stack: no recursion, any depth)."""
        buffers, deps, reach, create_graph = self.buffers, self.deps, self.reach, self.create_graph
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None) or [None] * node.n_outputs
            if capture:
                if node not in self.runs:
                    tensor_hooks(node, grads, create_graph)
                    self.capture(node, grads)
                    continue
                self.capture(node, grads)
            if type(node) is AccumulateGrad:
                if node.variable._backward_hooks:
                    tensor_hooks(node, grads, create_graph)
                if grads[0] is not None:
                    _accumulate(node, grads[0], create_graph)
                continue
            if node._hooked:
                tensor_hooks(node, grads, create_graph)
            if grads[0] is None if len(grads) == 1 else all(g is None for g in grads):
                # nothing arrived: nothing to propagate
                input_grads = [None] * len(node.next_functions)
            else:
                input_grads = call_node(node, grads, self.retain_graph)
            for (nxt, nr), g in zip(node.next_functions, input_grads):
                if nxt is None or (reach is not None and nxt not in reach):
                    continue
                if g is not None:
                    buf = buffers.get(nxt)
                    if buf is None:
                        buf = buffers[nxt] = [None] * nxt.n_outputs
                    buf[nr] = _add(buf[nr], g, create_graph)
                left = deps[nxt] - 1
                deps[nxt] = left
                if left == 0:
                    ready.append(nxt)

    def capture(self, node: Node, grads: list) -> None:
        for nr, g in enumerate(grads):
            for k in self.targets.get((node, nr), ()):
                self.captured[k] = g
