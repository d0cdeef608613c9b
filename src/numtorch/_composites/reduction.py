"""Reductions: sum, mean (and the shared dim handling)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import _dtype
from .._primitives import reduction as R
from .._tensor import Tensor, _wrap_dim
from ._util import write_out

__all__ = ["sum", "mean"]
METHODS = ["sum", "mean"]
INPLACE: list[str] = []


def normalize_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...] | None:
    """``dim`` as a sorted tuple of non-negative ints (None: all dims)."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return (_wrap_dim(dim, ndim),) if ndim else ()
    dims = tuple(_wrap_dim(d, ndim) for d in dim) if ndim else ()
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    return tuple(sorted(dims))


def _sum_dtype(input: Tensor, dtype: _dtype.dtype | None) -> Any:
    if dtype is not None:
        return dtype.np
    if input._data.dtype.kind in "biu":
        return _dtype.int64.np  # torch sums integers and bools in int64
    return None


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None,  # noqa: A001
        out: Tensor | None = None) -> Tensor:
    """Sum of all elements, or over ``dim`` (int or tuple)."""
    dims = normalize_dims(dim, input._data.ndim)
    if dims == () and dim is not None and not isinstance(dim, int) and input._data.ndim:
        dims = None  # torch: an empty dim list means all dims
    result = R.Sum.apply(input, dims=dims, keepdim=keepdim, dtype=_sum_dtype(input, dtype))
    if dim is not None and dims is not None and result.grad_fn is not None:
        result.grad_fn.name_ = "SumBackward1"
    return write_out(result, out, "sum")


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None,
         out: Tensor | None = None) -> Tensor:
    """Mean of all elements, or over ``dim``; floating inputs only, as in torch."""
    if dtype is None and input._data.dtype.kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {_LEGACY[input.dtype.name]}")
    dims = normalize_dims(dim, input._data.ndim)
    if dims == () and dim is not None and not isinstance(dim, int) and input._data.ndim:
        dims = None
    if dtype is not None and dtype.np != input._data.dtype:
        input = input.to(dtype)
    return write_out(R.Mean.apply(input, dims=dims, keepdim=keepdim), out, "mean")


_LEGACY = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
           "bool": "Bool"}
