"""Triangles and index arithmetic: ``tril``/``triu`` and their ``_indices``,
``unravel_index``, ``vander``; the aliases ``ravel``, ``row_stack`` and ``split_with_sizes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _dtype
from .._creation import ones, tensor, zeros
from .._ranges import arange
from .._tensor import Tensor
from . import indexing as I
from . import pointwise as P
from ._util import _legacy_name, write_out
from .reduction_stats import cumprod
from .shape import cat, expand, flip, reshape, unsqueeze, vstack

__all__ = ["tril", "triu", "tril_indices", "triu_indices", "unravel_index", "vander", "ravel",
           "row_stack", "split_with_sizes"]
METHODS = ["tril", "triu", "ravel", "split_with_sizes"]
INPLACE = ["tril", "triu"]


# -- triangles -----------------------------------------------------------------------------------
def _triangle(name: str, input: Tensor, diagonal: int, lower: bool, out: Tensor | None) -> Tensor:
    if input._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    rows, cols = input._data.shape[-2:]
    # column - row is the index of the diagonal an element sits on (0: the main one)
    offset = P.sub(unsqueeze(arange(cols), 0), unsqueeze(arange(rows), 1))
    drop = P.gt(offset, diagonal) if lower else P.lt(offset, diagonal)
    # masked_fill writes exact zeros (a product with a 0/1 mask would keep NaN and inf)
    return write_out(I.masked_fill(input, drop, 0), out, name)


def tril(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:
    """The lower triangle of the last two dims (on and below diagonal ``diagonal``), zeros
    above it.

    >>> torch.tril(torch.ones(2, 3, dtype=torch.int64))
    tensor([[1, 0, 0],
            [1, 1, 0]])
    """
    return _triangle("tril", input, diagonal, True, out)


def triu(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:
    """The upper triangle of the last two dims (on and above diagonal ``diagonal``), zeros
    below it.

    >>> torch.triu(torch.ones(2, 3, dtype=torch.int64), 1)
    tensor([[0, 1, 1],
            [0, 0, 1]])
    """
    return _triangle("triu", input, diagonal, False, out)


# -- triangle indices ----------------------------------------------------------------------------
def _triangle_indices(name: str, row: int, col: int, offset: int, dtype: Any,
                      lower: bool) -> Tensor:
    dtype = _dtype.int64 if dtype is None else dtype
    if dtype.is_floating_point or dtype in (_dtype.uint8, _dtype.bool_):
        raise NotImplementedError(f'"{name}" not implemented for '
                                  f"'{_legacy_name(dtype)}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    diagonal = arange(col).unsqueeze(0) - arange(row).unsqueeze(1)  # j - i at (i, j)
    keep = diagonal <= offset if lower else diagonal >= offset
    return I.nonzero(keep).t().to(dtype)  # row by row, as nonzero lists them


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 layout: Any = None) -> Tensor:
    """The (row, col) coordinates of the lower triangle (on and below diagonal ``offset``) of
    a ``row`` x ``col`` matrix, row by row, as a 2 x N tensor.

    >>> torch.tril_indices(2, 2)
    tensor([[0, 1, 1],
            [0, 0, 1]])
    """
    return _triangle_indices("tril_indices", row, col, offset, dtype, True)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 layout: Any = None) -> Tensor:
    """The (row, col) coordinates of the upper triangle (on and above diagonal ``offset``) of
    a ``row`` x ``col`` matrix, row by row, as a 2 x N tensor.

    >>> torch.triu_indices(2, 2)
    tensor([[0, 0, 1],
            [0, 1, 1]])
    """
    return _triangle_indices("triu_indices", row, col, offset, dtype, False)


# -- unravel_index and vander --------------------------------------------------------------------
def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple[Tensor, ...]:
    """The coordinates in a tensor of ``shape`` of flat ``indices`` (one int64 tensor per dim,
    each of ``indices``' shape). As in torch, out-of-range indices wrap around.

    >>> torch.unravel_index(torch.tensor([4, 1]), (2, 3))
    (tensor([1, 0]), tensor([1, 1]))
    """
    if indices.dtype.is_floating_point or indices.dtype is _dtype.bool_:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, int):
        shape = (shape,)
    elif not isinstance(shape, Sequence):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    for d in shape:
        if not isinstance(d, int):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(d)}")
    shape = tuple(shape)
    if any(d < 0 for d in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    if 0 in shape:  # torch's remainder by zero
        raise RuntimeError("ZeroDivisionError")
    strides, step = [], 1
    for d in reversed(shape):
        strides.insert(0, step)
        step *= d
    flat = unsqueeze(indices, -1)
    coords = P.remainder(P.floor_divide(flat, tensor(strides, dtype=_dtype.int64)),
                         tensor(list(shape), dtype=_dtype.int64))
    return I.unbind(coords, -1)


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of a 1-D ``x``: column ``j`` is ``x ** (N - 1 - j)`` (``x ** j``
    with ``increasing``). Integer and bool inputs give int64, as torch's running product does.

    >>> torch.vander(torch.tensor([1, 2, 3]), N=3)
    tensor([[1, 1, 1],
            [4, 2, 1],
            [9, 3, 1]])
    """
    if x._data.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    rows = x._data.shape[0]
    n = rows if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = x.dtype if x.dtype.is_floating_point else _dtype.int64
    if n == 0:
        return zeros(rows, 0, dtype=dt)
    # powers as a running product along the row (1, x, x*x, ...), as torch computes them
    column = unsqueeze(x.to(dt), 1)
    result = cumprod(cat([ones(rows, 1, dtype=dt), expand(column, (rows, n - 1))], dim=1), 1)
    return result if increasing else flip(result, 1)


# -- aliases -------------------------------------------------------------------------------------
def ravel(input: Tensor) -> Tensor:
    """``input`` flattened to 1-D (a view when the memory allows it).

    >>> torch.ravel(torch.tensor([[1, 2], [3, 4]]))
    tensor([1, 2, 3, 4])
    """
    return reshape(input, (-1,))


def row_stack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """An alias of ``vstack``.

    >>> torch.row_stack([torch.tensor([1, 2]), torch.tensor([3, 4])])
    tensor([[1, 2],
            [3, 4]])
    """
    return vstack(tensors, out=out)


def split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple:
    """``split`` with a list of sizes.

    >>> [t.tolist() for t in torch.split_with_sizes(torch.arange(5), [2, 3])]
    [[0, 1], [2, 3, 4]]
    """
    return I.split(input, list(split_sizes), dim)
