"""The checks both engine paths make on the gradients a node's backward returned."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .graph import Node


def check_count(node: Node, grads: Sequence) -> None:
    """One gradient per input, as torch's ``validate_outputs`` demands."""
    expected = len(node.next_functions)
    if len(grads) != expected:
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {expected}, got {len(grads)})")


def check_shape(node: Node, i: int, gshape: tuple, shape: tuple) -> None:
    """A gradient of another shape than its input's is fine only when it broadcasts to it
    (the engine then sums it back); anything else is the node's bug, reported as torch does."""
    if len(gshape) >= len(shape) and all(
            s == g or s == 1 for s, g in zip(shape, gshape[len(gshape) - len(shape):])):
        return
    raise RuntimeError(
        f"Function {node.name()} returned an invalid gradient at index {i} - got "
        f"{list(gshape)} but expected shape compatible with {list(shape)}")


def to_check(node: Node, grads: Sequence) -> Iterator[tuple[int, Any, tuple, Any]]:
    """``(i, grad, shape, np_dtype)`` for each gradient the engine must fit to its input (after
    the count check): those that arrived for an input that takes one. ``np_dtype`` is None
    when the node recorded no input metadata (a leaf's dtype is then not enforced)."""
    check_count(node, grads)
    edges, metas = node.next_functions, node._input_meta
    for i, g in enumerate(grads):
        if g is None or edges[i][0] is None:
            continue
        shape, np_dtype = metas[i] if metas else (edges[i][0].variable.shape, None)
        yield i, g, shape, np_dtype
