"""Tutorial shape and creation utilities: broadcasting, grids, diagonals, splits, differences.

Each is a composite of views (expand, narrow, diagonal), cat/stack, indexing and the existing
DiagonalEmbed primitive, so gradients come from those ops and no new derivative code is needed.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any

from .. import _dtype
from .._creation import tensor, zeros
from .._primitives import shape as S
from .._size import Size
from .._tensor import Tensor, _wrap_dim
from . import indexing as I
from . import pointwise as P
from ._util import _legacy_name, write_out
from .shape import cat, expand, reshape, stack

__all__ = ["broadcast_shapes", "broadcast_tensors", "meshgrid", "cartesian_prod",
           "combinations", "block_diag", "column_stack", "tensor_split", "hsplit", "vsplit",
           "dsplit", "diag", "diagflat", "diag_embed", "diff"]
METHODS = ["tensor_split", "hsplit", "vsplit", "dsplit", "diag", "diagflat", "diag_embed",
           "diff"]
INPLACE: list[str] = []


# -- broadcasting --------------------------------------------------------------------------------
def broadcast_shapes(*shapes: Any) -> Size:
    """The shape that tensors of all ``shapes`` broadcast to (an int stands for a 1-D shape).

    >>> torch.broadcast_shapes((2, 1), (3,))
    torch.Size([2, 3])
    """
    given = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    for s in given:
        if not isinstance(s, Sequence):
            raise RuntimeError("Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {s}")
    common = [1] * max((len(s) for s in given), default=0)
    for i, s in enumerate(given):
        for d in range(-1, -1 - len(s), -1):
            if s[d] == common[d]:
                continue
            if common[d] == 1:
                if s[d] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[d] = s[d]
            elif s[d] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {s[d]} at "
                                   f"{d}! Mismatching argument at index {i} had {s}; but "
                                   f"expected shape should be broadcastable to {common}")
    return Size(common)


def _broadcast_pair(a: tuple, b: tuple) -> tuple:
    """The broadcast of two shapes, with torch's error naming the last clashing dim."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    for d in reversed(range(n)):
        if a[d] != b[d] and a[d] != 1 and b[d] != 1:
            raise RuntimeError(f"The size of tensor a ({a[d]}) must match the size of tensor b "
                               f"({b[d]}) at non-singleton dimension {d}")
    return tuple(y if x == 1 else x for x, y in zip(a, b))


def _tensor_list(tensors: Sequence[Any]) -> None:
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Expanded views of ``tensors`` to their common shape (a tensor already of that shape
    is returned as is).

    >>> [t.shape for t in torch.broadcast_tensors(torch.ones(2, 1), torch.ones(3))]
    [torch.Size([2, 3]), torch.Size([2, 3])]
    """
    _tensor_list(tensors)
    shape: tuple = ()
    for t in tensors:
        shape = _broadcast_pair(shape, t._data.shape)
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


# -- grids and combinations ----------------------------------------------------------------------
_MESHGRID_WARNING = ("torch.meshgrid: in an upcoming release, it will be required to pass the "
                     "indexing argument.")


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids of 0-D or 1-D ``tensors``: output ``i`` repeats ``tensors[i]`` along
    every other dim. ``indexing='ij'`` gives shape (len0, len1, ...), ``'xy'`` swaps the first
    two dims (the Cartesian convention). The outputs are expanded views.

    >>> x, y = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), indexing="ij")
    >>> x.shape
    torch.Size([2, 3])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    _tensor_list(tensors)
    if indexing is None:
        warnings.warn(_MESHGRID_WARNING, UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f"received: {indexing}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got a tensor of shape {list(t.shape)}")
    sizes = [t._data.size for t in tensors]
    dims = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:  # the first two inputs vary along swapped dims
        sizes[0], sizes[1] = sizes[1], sizes[0]
        dims[0], dims[1] = 1, 0
    outs = []
    for t, d in zip(tensors, dims):
        view = [1] * len(sizes)
        view[d] = -1
        outs.append(expand(reshape(t, view), sizes))
    return tuple(outs)


def _check_vector(t: Tensor) -> None:
    if t._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every tuple of one element from each 1-D tensor, as the rows of a 2-D tensor (one
    tensor is returned as is).

    >>> torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4]))
    tensor([[1, 3],
            [1, 4],
            [2, 3],
            [2, 4]])
    """
    _tensor_list(tensors)
    for t in tensors:
        _check_vector(t)
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(g, (-1,)) for g in grids], dim=1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Every combination of ``r`` elements of a 1-D tensor (in order of position), as the rows
    of a 2-D tensor, as ``itertools.combinations`` (``_with_replacement``) would list them.

    >>> torch.combinations(torch.tensor([1, 2, 3]))
    tensor([[1, 2],
            [1, 3],
            [2, 3]])
    """
    _check_vector(input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return zeros(0, dtype=input.dtype)
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    rows = list(pick(range(input._data.shape[0]), r))
    columns = list(zip(*rows)) if rows else [()] * r
    return stack([input[tensor(list(c), dtype=_dtype.int64)] for c in columns], dim=1)


def block_diag(*tensors: Tensor) -> Tensor:
    """The tensors (0-D as 1x1, 1-D as one row) as blocks along the diagonal of a 2-D tensor,
    zeros elsewhere, in their promoted dtype.

    >>> torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3))
    tensor([[1, 2, 0],
            [0, 0, 3]])
    """
    _tensor_list(tensors)
    if not tensors:
        return zeros(1, 0)
    for i, t in enumerate(tensors):
        if t._data.ndim > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {t._data.ndim} dimensions")
    dt = _dtype.result_type(*tensors)
    blocks = [reshape(t, (1, -1) if t._data.ndim < 2 else t.shape).to(dt) for t in tensors]
    width = sum(b._data.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        h, w = b._data.shape
        pad_l, pad_r = zeros(h, left, dtype=dt), zeros(h, width - left - w, dtype=dt)
        rows.append(cat([pad_l, b, pad_r], dim=1))
        left += w
    return cat(rows, dim=0)


def column_stack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """Stack ``tensors`` as columns: 0-D and 1-D tensors become columns, the rest are
    concatenated along dim 1.

    >>> torch.column_stack([torch.tensor([1, 2]), torch.tensor([3, 4])])
    tensor([[1, 3],
            [2, 4]])
    """
    if isinstance(tensors, Tensor):
        raise TypeError("column_stack(): argument 'tensors' (position 1) must be tuple of "
                        "Tensors, not Tensor")
    if not tensors:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    cols = [reshape(t, (-1, 1)) if t._data.ndim < 2 else t for t in tensors]
    return write_out(cat(cols, dim=1), out, "column_stack")


# -- splits --------------------------------------------------------------------------------------
def tensor_split(input: Tensor, indices_or_sections: Any = None, dim: int = 0, *,
                 sections: int | None = None, indices: Any = None,
                 tensor_indices_or_sections: Tensor | None = None) -> tuple[Tensor, ...]:
    """Views of ``input`` split along ``dim``: into ``sections`` near-equal parts (the first
    ``size % sections`` one longer), or at the ``indices`` (clamped like Python slices).

    >>> [t.tolist() for t in torch.tensor_split(torch.arange(5), 2)]
    [[0, 1, 2], [3, 4]]
    """
    arg = next((a for a in (indices_or_sections, sections, indices, tensor_indices_or_sections)
                if a is not None), None)
    if isinstance(arg, Tensor):
        arg = _split_tensor_arg(arg)
    if input._data.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if isinstance(arg, int):
        if arg <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {arg}")
        small, extra = divmod(size, arg)
        bounds = list(itertools.accumulate(small + (i < extra) for i in range(arg)))[:-1]
    else:
        bounds = [int(i) for i in arg]
    edges = [0, *bounds, None]
    outs = []
    for start, stop in zip(edges, edges[1:]):
        lo, hi, _ = slice(start, stop).indices(size)
        outs.append(I.narrow(input, d, lo, max(0, hi - lo)))
    return tuple(outs)


def _split_tensor_arg(t: Tensor) -> Any:
    if t.dtype is not _dtype.int64:
        raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of "
                           f"long, but got {_legacy_name(t.dtype)}")
    if t._data.ndim > 1:
        raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                           "zero-dimensional or one-dimensional tensor, but got a tensor with "
                           f"{t._data.ndim} dims")
    return int(t._data) if t._data.ndim == 0 else t._data.tolist()


def _split_along(name: str, input: Tensor, arg: Any, dim: int, min_dims: int) -> tuple:
    """hsplit/vsplit/dsplit: tensor_split along ``dim``, with an int needing equal parts."""
    if isinstance(arg, Tensor):
        raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, "
                        "Tensor), but expected one of:\n * (Tensor input, int sections)\n * "
                        "(Tensor input, tuple of ints indices)\n")
    ndim = input._data.ndim
    if ndim < min_dims:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {ndim} dimensions!")
    if isinstance(arg, int):
        size = input._data.shape[dim]
        if arg == 0 or size % arg:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but "
                               f"the size of the dimension {size} is not divisible by the "
                               f"split_size {arg}!")
    return tensor_split(input, arg, dim)


def hsplit(input: Tensor, sections: Any = None, *, indices: Any = None) -> tuple[Tensor, ...]:
    """Split along dim 1 (dim 0 for a 1-D tensor); an int must divide that dim.

    >>> [t.shape for t in torch.hsplit(torch.ones(2, 4), 2)]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    arg = sections if sections is not None else indices
    return _split_along("hsplit", input, arg, 1 if input._data.ndim > 1 else 0, 1)


def vsplit(input: Tensor, sections: Any = None, *, indices: Any = None) -> tuple[Tensor, ...]:
    """Split along dim 0 of a tensor of at least 2 dims; an int must divide that dim.

    >>> [t.shape for t in torch.vsplit(torch.ones(4, 2), [1])]
    [torch.Size([1, 2]), torch.Size([3, 2])]
    """
    return _split_along("vsplit", input, sections if sections is not None else indices, 0, 2)


def dsplit(input: Tensor, sections: Any = None, *, indices: Any = None) -> tuple[Tensor, ...]:
    """Split along dim 2 of a tensor of at least 3 dims; an int must divide that dim.

    >>> [t.shape for t in torch.dsplit(torch.ones(1, 2, 4), 2)]
    [torch.Size([1, 2, 2]), torch.Size([1, 2, 2])]
    """
    return _split_along("dsplit", input, sections if sections is not None else indices, 2, 3)


# -- diagonals -----------------------------------------------------------------------------------
def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor whose (dim1, dim2) planes hold ``input``'s last dim on diagonal ``offset``,
    zeros elsewhere (the inverse of ``diagonal``).

    >>> torch.diag_embed(torch.tensor([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    """
    ndim = input._data.ndim + 1
    d1, d2 = _wrap_dim(dim1, ndim), _wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = input._data.shape[-1] + abs(offset)
    rest = iter(input._data.shape[:-1])
    shape = tuple(n if d in (d1, d2) else next(rest) for d in range(ndim))
    return S.DiagonalEmbed.apply(input, shape=shape, args=(offset, d1, d2))


def diag(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:
    """For a 1-D tensor, the square matrix with it on diagonal ``diagonal``; for a 2-D one,
    that diagonal as a new 1-D tensor (a copy, unlike ``torch.diagonal``).

    >>> torch.diag(torch.tensor([[1, 2], [3, 4]]))
    tensor([1, 4])
    """
    ndim = input._data.ndim
    if ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")
    if ndim == 1:
        result = diag_embed(input, diagonal, 0, 1)
    else:
        result = P.clone(I.diagonal(input, diagonal, 0, 1))
    return write_out(result, out, "diag")



def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """The flattened ``input`` on diagonal ``offset`` of a square matrix.

    >>> torch.diagflat(torch.tensor([[1, 2]]))
    tensor([[1, 0],
            [0, 2]])
    """
    return diag_embed(reshape(input, (-1,)), offset, 0, 1)


# -- differences ---------------------------------------------------------------------------------
def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None, *, out: Tensor | None = None) -> Tensor:
    """The ``n``-th forward difference along ``dim`` (``logical_xor`` for bool), after
    concatenating ``prepend`` and ``append`` along that dim.

    >>> torch.diff(torch.tensor([1, 4, 9, 16]))
    tensor([3, 5, 7])
    """
    if input._data.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _wrap_dim(dim, input._data.ndim)
    parts = [p for p in (_diff_edge(prepend, input, d, "prepend"), input,
                         _diff_edge(append, input, d, "append")) if p is not None]
    x = cat(parts, dim=d) if len(parts) > 1 else input
    if n == 0:
        return write_out(P.clone(x), out, "diff")
    for _ in range(min(n, x._data.shape[d])):
        size = x._data.shape[d]
        hi, lo = I.narrow(x, d, 1, size - 1), I.narrow(x, d, 0, size - 1)
        x = P.logical_xor(hi, lo) if x.dtype is _dtype.bool_ else P.sub(hi, lo)
    return write_out(x, out, "sub")


def _diff_edge(edge: Any, input: Tensor, d: int, name: str) -> Tensor | None:
    if edge is None:
        return None
    if not isinstance(edge, Tensor):
        raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(edge).__name__}")
    if edge._data.ndim != input._data.ndim:
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    for i, (a, b) in enumerate(zip(input._data.shape, edge._data.shape)):
        if i != d and a != b:
            raise RuntimeError("diff expects the shape of tensor to prepend or append to match "
                               "that of input except along the differencing dimension; "
                               f"input.size({i}) = {a}, but got tensor.size({i}) = {b}")
    return edge
