"""Shape functions: reshape, view, expand, permute (views share memory with the input)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._primitives import shape as S
from .._tensor import Tensor, _wrap_dim
from ._util import as_view

__all__ = ["reshape", "view", "expand", "permute"]
METHODS = ["reshape", "view", "expand", "permute"]
INPLACE: list[str] = []


def size_args(args: tuple) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` and ``f(torch.Size([2, 3]))``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return tuple(int(a) for a in args)


def infer_shape(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape, with torch's error for a bad shape."""
    shape = tuple(shape)
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape[:unknown[0]] + (numel // known,) + shape[unknown[0] + 1:]
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def view(input: Tensor, *shape: Any) -> Tensor:
    """The same memory seen with another shape; errors when that needs a copy."""
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list)):
        return input.to(shape[0])  # view(dtype) reinterprets in torch; numtorch converts
    target = infer_shape(size_args(shape), input._data.size)
    if not _viewable(input._data, target):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return as_view(S.View.apply(input, shape=target), input)


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """``view`` when possible, else a copy (as torch)."""
    target = infer_shape(size_args(shape), input._data.size)
    if _viewable(input._data, target):
        return as_view(S.View.apply(input, shape=target), input)
    return S.Reshape.apply(input, shape=target)


def _viewable(array: Any, shape: tuple) -> bool:
    """Whether ``array`` can take ``shape`` without copying (always, when contiguous)."""
    if array.flags.c_contiguous:
        return True
    try:
        array.reshape(shape, copy=False)
    except ValueError:
        return False
    return True


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """Broadcast singleton dims to ``sizes`` without copying (-1 keeps a dim)."""
    sizes = size_args(sizes)
    ndim = input._data.ndim
    if len(sizes) < ndim:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(input.shape)}}}, size={list(sizes)}): the number "
            "of sizes provided (%d) must be greater or equal to the number of dimensions in the "
            "tensor (%d)" % (len(sizes), ndim))
    lead = len(sizes) - ndim
    target = list(sizes)
    for i, s in enumerate(input._data.shape):
        want = sizes[lead + i]
        if want == -1:
            target[lead + i] = s
        elif s != 1 and s != want:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({s}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  Tensor "
                f"sizes: {list(input.shape)}")
    return as_view(S.Expand.apply(input, shape=tuple(target)), input)


def permute(input: Tensor, *dims: Any) -> Tensor:
    """Reorder the dims (a view)."""
    dims = size_args(dims)
    ndim = input._data.ndim
    if len(dims) != ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    return as_view(S.Permute.apply(input, dims=tuple(_wrap_dim(d, ndim) for d in dims)), input)
