"""Shape functions: reshape, views, transposes, expand, repeat, flip, cat/stack, split.

Views (reshape/view when possible, squeeze, unsqueeze, transpose, permute, expand; split,
chunk, unbind, narrow, select and diagonal are in ``indexing.py``) share memory and the version
counter with their input and record it as ``_base``; writes through them show in the base
(see NOTE [ In-place on views ] in ``_primitives/shape.py``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

from .. import _dtype
from .._primitives import shape as S
from .._tensor import Tensor, _wrap_dim
from ._util import as_view, write_out
from .view_dtype import view_dtype

__all__ = ["reshape", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose", "swapaxes",
           "swapdims", "permute", "movedim", "moveaxis", "broadcast_to", "tile", "flip",
           "fliplr", "flipud", "roll", "cat", "concat", "concatenate", "stack", "hstack",
           "vstack", "dstack", "atleast_1d", "atleast_2d", "atleast_3d"]
METHODS = ["reshape", "view", "view_as", "reshape_as", "flatten", "unflatten", "squeeze",
           "unsqueeze", "transpose", "swapaxes", "swapdims", "permute", "movedim", "moveaxis",
           "expand", "expand_as", "broadcast_to", "repeat", "tile", "flip", "fliplr", "flipud",
           "roll"]
INPLACE: list[str] = []


def size_args(args: tuple, keyword: Any = None) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(torch.Size([2, 3]))`` and the
    keyword form (``keyword``, e.g. ``x.permute(dims=(1, 0))``)."""
    if keyword is not None:
        args = (keyword,)
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return tuple(map(int, args))


def infer_shape(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape, with torch's error for a bad shape."""
    shape = tuple(shape)
    if -1 not in shape and min(shape, default=0) >= 0:  # every size given: only the count
        if math.prod(shape) != numel:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{list(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown and numel == 0 and known == 0:
        raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} "
                           "because the unspecified dimension size -1 can be any value and is "
                           "ambiguous")
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape[:unknown[0]] + (numel // known,) + shape[unknown[0] + 1:]
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _dims(dims: Any, ndim: int) -> tuple[int, ...]:
    """An int or a sequence of dims, wrapped, with torch's error for a repeated one."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    out = tuple(_wrap_dim(d, ndim) for d in dims)
    for i, d in enumerate(out):
        if d in out[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return out


# -- reshaping ----------------------------------------------------------------------------------
def view(input: Tensor, *shape: Any, size: Any = None, dtype: Any = None) -> Tensor:
    """The same memory seen with another shape (errors when that needs a copy), or with
    another dtype (``view_dtype``)."""
    if dtype is not None:
        return view_dtype(input, dtype)
    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        return view_dtype(input, shape[0])
    target = infer_shape(size_args(shape, size), input._data.size)
    if not _viewable(input._data, target):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return as_view(S.View.apply(input, shape=target), input)


def reshape(input: Tensor, *args: Any, shape: Any = None) -> Tensor:
    """``view`` when the memory allows it, else a copy (``clone`` + ``_unsafe_view``, as torch).

    >>> torch.arange(6).reshape(2, -1).shape
    torch.Size([2, 3])
    """
    target = infer_shape(size_args(args, shape), input._data.size)
    if _viewable(input._data, target):
        return as_view(S.View.apply(input, shape=target), input)
    return S.UnsafeView.apply(input.clone(), shape=target)


def _viewable(array: Any, shape: tuple) -> bool:
    """Whether ``array`` can take ``shape`` without copying (always, when contiguous)."""
    if array.flags.c_contiguous:
        return True
    try:
        array.reshape(shape, copy=False)
    except ValueError:
        return False
    return True


def view_as(input: Tensor, other: Tensor) -> Tensor:
    """``view`` to ``other``'s shape."""
    return view(input, other.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:
    """``reshape`` to ``other``'s shape."""
    return reshape(input, other.shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one (a view when the memory allows)."""
    ndim = input._data.ndim
    start, end = _wrap_dim(start_dim, ndim), _wrap_dim(end_dim, ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if ndim == 0:
        return reshape(input, (1,))
    if start == end:
        return input
    shape = input._data.shape
    return reshape(input, shape[:start] + (-1,) + shape[end + 1:])


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split dim ``dim`` into ``sizes`` (one may be -1)."""
    d = _wrap_dim(dim, input._data.ndim)
    sizes = tuple(int(s) for s in sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    size = input._data.shape[d]
    try:
        inner = infer_shape(sizes, size)
    except RuntimeError:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({size}) in the input tensor") from None
    shape = input._data.shape
    return view(input, shape[:d] + inner + shape[d + 1:])


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """Drop size-1 dims: all of them, or those among ``dim`` (an int or a tuple)."""
    shape = input._data.shape
    if dim is None:
        dims, name = tuple(i for i, s in enumerate(shape) if s == 1), "SqueezeBackward0"
    else:
        name = "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"
        dims = tuple(d for d in _dims(dim, input._data.ndim) if d < len(shape) and shape[d] == 1)
    return as_view(S.Squeeze.apply(input, dims=dims, name=name), input)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim at ``dim``."""
    d = _wrap_dim(dim, input._data.ndim + 1)
    return as_view(S.Unsqueeze.apply(input, dim=d), input)


# -- reordering dims --------------------------------------------------------------------------
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dims (a view)."""
    ndim = input._data.ndim
    d0, d1 = _wrap_dim(dim0, ndim), _wrap_dim(dim1, ndim)
    return as_view(S.Transpose.apply(input, dim0=d0, dim1=d1), input)


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """``transpose`` under NumPy's name."""
    return transpose(input, axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``transpose`` under another name."""
    return transpose(input, dim0, dim1)


def permute(input: Tensor, *args: Any, dims: Any = None) -> Tensor:
    """Reorder the dims (a view)."""
    dims = size_args(args, dims)
    ndim = input._data.ndim
    if len(dims) != ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    wrapped = tuple(_wrap_dim(d, ndim) for d in dims)
    if len(set(wrapped)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return as_view(S.Permute.apply(input, dims=wrapped), input)


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Move dims ``source`` to positions ``destination``; the rest keep their order."""
    ndim = input._data.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} "
                           f"dims) should contain the same number of dims as destination "
                           f"({list(dst)} dims)")
    src_w, dst_w = (tuple(_wrap_dim(d, ndim) for d in ds) for ds in (src, dst))
    for name, raw, wrapped in (("source", src, src_w), ("destination", dst, dst_w)):
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(raw)})")
    order = [d for d in range(ndim) if d not in src_w]
    for d, s in sorted(zip(dst_w, src_w)):
        order.insert(d, s)
    return permute(input, order)


moveaxis = movedim


def _T(self: Tensor) -> Tensor:
    """All dims reversed (``x.T``); torch deprecates it for tensors that are not 2-D."""
    ndim = self._data.ndim
    if ndim == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in "
                      "these cases.", UserWarning, stacklevel=2)
    elif ndim != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                      "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                      UserWarning, stacklevel=2)
    return permute(self, tuple(range(ndim - 1, -1, -1)))


def _mT(self: Tensor) -> Tensor:
    """The last two dims swapped (a batch of transposed matrices)."""
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{self._data.ndim}-D tensor.")
    return transpose(self, -2, -1)


# -- broadcasting and repeating ---------------------------------------------------------------
def expand(input: Tensor, *sizes: Any, size: Any = None) -> Tensor:
    """Broadcast singleton dims to ``sizes`` without copying (-1 keeps a dim)."""
    sizes = size_args(sizes, size)
    target = expanded_shape(input._data.shape, sizes, input)
    return as_view(S.Expand.apply(input, shape=target), input)


def expanded_shape(shape: tuple, sizes: tuple, input: Tensor) -> tuple[int, ...]:
    """The shape that expanding ``shape`` to ``sizes`` gives, or torch's error (which names
    ``input``'s type)."""
    ndim = len(shape)
    if len(sizes) < ndim:
        raise RuntimeError(
            f"expand({input.type()}{{{list(input.shape)}}}, size={list(sizes)}): the number of "
            f"sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({ndim})")
    lead = len(sizes) - ndim
    target = list(sizes)
    for i in range(lead):
        if sizes[i] < 0:
            raise RuntimeError(f"The expanded size of the tensor ({sizes[i]}) isn't allowed in "
                               f"a leading, non-existing dimension {i}")
    for i, s in enumerate(shape):
        want = sizes[lead + i]
        if want == -1:
            target[lead + i] = s
        elif s != 1 and s != want:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({s}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  Tensor "
                f"sizes: {list(shape)}")
    return tuple(target)


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """``expand`` to ``other``'s shape."""
    return expand(input, other.shape)


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``expand`` under NumPy's name."""
    return expand(input, size)


def repeat(input: Tensor, *args: Any, repeats: Any = None) -> Tensor:
    """Tile the tensor ``repeats[i]`` times along each dim (a copy)."""
    repeats = size_args(args, repeats)
    if len(repeats) < input._data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(repeats) - input._data.ndim) + input._data.shape
    result = [r * s for r, s in zip(repeats, shape)]
    for n in result:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {result}")
    return S.Repeat.apply(input, repeats=repeats)


def tile(input: Tensor, *args: Any, dims: Any = None) -> Tensor:
    """``repeat`` where missing leading counts are 1."""
    dims = size_args(args, dims)
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


def flip(input: Tensor, *args: Any, dims: Any = None) -> Tensor:
    """Reverse the order of elements along ``dims`` (a copy)."""
    dims = dims if dims is not None else args[0] if len(args) == 1 else args
    return S.Flip.apply(input, dims=_dims(dims, input._data.ndim))


def fliplr(input: Tensor) -> Tensor:
    """Flip dim 1 (left/right) of a tensor with at least 2 dims."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    """Flip dim 0 (up/down)."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Shift elements cyclically along ``dims`` (over the flattened tensor without dims)."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return S.Roll.apply(input, shifts=shifts, dims=None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    ndim = input._data.ndim
    return S.Roll.apply(input, shifts=shifts, dims=tuple(_wrap_dim(d, ndim) for d in dims))


# -- joining -------------------------------------------------------------------------------------
def _common_dtype(tensors: Sequence[Tensor]) -> list[Tensor]:
    """The tensors converted to their promoted dtype (cat and stack promote, as torch)."""
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = _dtype.promote_types(dt, t.dtype)
    return [t if t.dtype is dt else t.to(dt) for t in tensors]


def cat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None,
        out: Tensor | None = None) -> Tensor:
    """Concatenate along an existing dim; shapes must match elsewhere.

    >>> torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]).shape
    torch.Size([3, 3])
    """
    dim = dim if axis is None else axis
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    ref = next((t for t in tensors if t._data.shape != (0,)), tensors[0])
    d = _wrap_dim(dim, ref._data.ndim)
    for i, t in enumerate(tensors):
        _check_cat_shape(ref._data.shape, t._data.shape, d, i)
    return write_out(S.Cat.apply(*_common_dtype(tensors), dim=d), out, "cat")


def _check_cat_shape(ref: tuple, shape: tuple, dim: int, i: int) -> None:
    if shape == (0,) or shape == ref:
        return
    if len(shape) != len(ref):
        raise RuntimeError(f"Tensors must have same number of dimensions: got {len(ref)} and "
                           f"{len(shape)}")
    for k, (a, b) in enumerate(zip(ref, shape)):
        if k != dim and a != b:
            raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. "
                               f"Expected size {a} but got size {b} for tensor number {i} in "
                               "the list.")


def concat(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """``cat`` under another name."""
    return cat(tensors, dim, out=out)


def concatenate(tensors: Sequence[Tensor], axis: int = 0, out: Tensor | None = None) -> Tensor:
    """``cat`` under NumPy's name (``axis``)."""
    return cat(tensors, axis, out=out)


def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join equally shaped tensors along a new dim ``dim``."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != first:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(first)} at entry 0 and {list(t.shape)} at entry {i}")
    d = _wrap_dim(dim, len(first) + 1)
    return write_out(S.Stack.apply(*_common_dtype(tensors), dim=d), out, "stack")


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim (0-d ones become shape (1,))."""
    return _atleast(tensors, 1)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims (a 1-D one becomes a row)."""
    return _atleast(tensors, 2)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dims (NumPy's placement of the new dims)."""
    return _atleast(tensors, 3)


def _atleast(tensors: tuple, n: int) -> Any:
    single = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    items = tensors if not (len(tensors) == 1 and isinstance(tensors[0], (list, tuple))) \
        else tuple(tensors[0])
    out = tuple(_atleast_one(t, n) for t in items)
    return out[0] if single else out


def _atleast_one(t: Tensor, n: int) -> Tensor:
    ndim = t._data.ndim
    if ndim >= n:
        return t
    if ndim == 0:
        return reshape(t, (1,) * n)
    if ndim == 1:
        t = unsqueeze(t, 0)
    return unsqueeze(t, -1) if n == 3 else t


def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along dim 1 (dim 0 for 1-D tensors)."""
    tensors = atleast_1d(tuple(tensors))
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate as rows (1-D tensors become rows first)."""
    return cat(atleast_2d(tuple(tensors)), 0, out=out)


def dstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Concatenate along dim 2 (after ``atleast_3d``)."""
    return cat(atleast_3d(tuple(tensors)), 2, out=out)


BOUND_METHODS = {"T": property(_T), "mT": property(_mT)}
