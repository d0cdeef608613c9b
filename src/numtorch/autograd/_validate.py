"""The checks both engine paths make on the gradients a node's backward returned."""

from __future__ import annotations

from collections.abc import Sequence

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
