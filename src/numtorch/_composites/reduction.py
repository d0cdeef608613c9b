"""Reductions: sum, mean, prod, max/min and their arg and dim forms, median, all/any.

Moments, norms and scans (std, var, norm, logsumexp, cumsum...) live in ``reduction_stats``
and are re-exported here, so the family stays one entry of ``_functions.FAMILIES``.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from .. import _dtype
from .._primitives import reduction as R
from .._tensor import Tensor, _wrap_dim
from ..autograd.grad_mode import _GradState
from ._util import _legacy_name, write_out


class _NoDim:
    """The default of ``dim`` where torch tells "no dim given" from an explicit None
    (``x.sum()`` is ``SumBackward0``, ``x.sum(None)`` is ``SumBackward1``)."""

    def __repr__(self) -> str:
        return "None"


NO_DIM: Any = _NoDim()


def normalize_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...] | None:
    """``dim`` as a sorted tuple of non-negative ints (None stays None); torch's IndexError
    out of range and RuntimeError for a repeated dim. A 0-d tensor accepts 0 and -1."""
    if dim is None or dim is NO_DIM:
        return None
    if isinstance(dim, int):
        dims: tuple = (dim,)
    elif isinstance(dim, (tuple, list)) and builtins.all(isinstance(d, int) for d in dim):
        dims = tuple(dim)
    else:
        raise TypeError(f"argument 'dim' must be tuple of ints, not {type(dim).__name__}")
    seen: set[int] = set()
    for d in dims:
        d = _wrap_dim(d, ndim)
        if d in seen:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        seen.add(d)
    return tuple(sorted(seen)) if ndim else ()


def reduce_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """The dims to reduce, where None and an empty list both mean every dim."""
    return normalize_dims(dim, ndim) or tuple(range(ndim))


def one_dim(dim: Any, ndim: int, name: str) -> int:
    """A single int ``dim`` (max(dim), cumsum...), wrapped; torch's TypeError otherwise."""
    if not isinstance(dim, int):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    return _wrap_dim(dim, ndim)


def check_nonempty(input: Tensor, dims: tuple[int, ...], name: str, full: bool) -> None:
    """torch's errors for max-like reductions that have no identity element."""
    if full and input._data.size == 0:
        hint = "" if name.startswith("arg") else \
            " Specify the reduction dim with the 'dim' argument."
        err = IndexError if name.startswith("arg") else RuntimeError
        raise err(f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                  + hint)
    for d in dims:
        if input._data.ndim and input._data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def check_grad_dtype(input: Tensor, dtype: _dtype.dtype | None) -> None:
    """An integer ``dtype=`` cannot carry the gradient of an input that needs one."""
    if (dtype is not None and not dtype.is_floating_point and input._requires_grad
            and _GradState.enabled):
        raise RuntimeError(f"Autograd not support dtype: {_legacy_name(dtype)}")


def _int_to_long(input: Tensor, dtype: _dtype.dtype | None) -> _dtype.dtype | None:
    """torch accumulates integer and bool sums and products in int64."""
    check_grad_dtype(input, dtype)
    if dtype is None and input._data.dtype.kind in "biu":
        return _dtype.int64
    return dtype


# -- named tuples ------------------------------------------------------------------------------
class _StructSeq(tuple):
    """A tuple with named fields, printed as ``torch.return_types.max(values=..., indices=...)``."""

    _names = ("values", "indices")
    n_fields = n_sequence_fields = 2

    def __new__(cls, sequence: Sequence[Any]) -> _StructSeq:
        items = tuple(sequence)
        if len(items) != 2:
            raise TypeError(f"torch.return_types.{cls.__name__}() takes a 2-sequence "
                            f"({len(items)}-sequence given)")
        return super().__new__(cls, items)

    @property
    def values(self) -> Any:
        return self[0]

    @property
    def indices(self) -> Any:
        return self[1]

    def __repr__(self) -> str:
        fields = ",\n".join(f"{n}={v!r}" for n, v in zip(self._names, self))
        return f"torch.return_types.{type(self).__name__}(\n{fields})"

    def __reduce__(self) -> tuple:
        return (type(self), (tuple(self),))


class return_types:  # noqa: N801 - torch's name
    """The named tuples that ``max(dim)``, ``min(dim)``, ``median(dim)``... return."""


for _name in ("max", "min", "median", "mode", "sort", "topk", "kthvalue", "cummax", "cummin"):
    setattr(return_types, _name, type(_name, (_StructSeq,), {
        "__module__": __name__, "__qualname__": f"return_types.{_name}", "__slots__": ()}))


def _pair(name: str, values: Tensor, indices: Tensor, out: Any) -> _StructSeq:
    if out is not None:
        values, indices = write_out(values, out[0], name), write_out(indices, out[1], name)
    return getattr(return_types, name)((values, indices))


# -- sums and products ---------------------------------------------------------------------
def sum(input: Tensor, dim: Any = NO_DIM, keepdim: bool = False, *,  # noqa: A001
        dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """Sum of all elements, or over ``dim`` (int, tuple or list); integers sum to int64.

    >>> torch.ones(2, 3).sum(1)
    tensor([3., 3.])
    """
    dims = None if dim is NO_DIM else reduce_dims(dim, input._data.ndim)
    dtype = _int_to_long(input, dtype)
    result = R.Sum.apply(input, dims=dims, keepdim=keepdim,
                         dtype=None if dtype is None else dtype.np)
    return write_out(result, out, "sum")


def mean(input: Tensor, dim: Any = NO_DIM, keepdim: bool = False, *,
         dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """Mean of all elements, or over ``dim``; floating inputs (or a floating ``dtype``) only."""
    which = "Optional" if dtype is not None else "Input"
    if not (dtype or input.dtype).is_floating_point:
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either "
                           "a floating point or complex dtype. Got: "
                           f"{_legacy_name(dtype or input.dtype)}")
    if dtype is not None:
        input = input.to(dtype)
    dims = None if dim is NO_DIM else reduce_dims(dim, input._data.ndim)
    return write_out(R.Mean.apply(input, dims=dims, keepdim=keepdim), out, "mean")


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, *,
         dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """Product of all elements, or over one ``dim``; the gradient is exact at zeros."""
    d = None if dim is None else one_dim(dim, input._data.ndim, "prod")
    dtype = _int_to_long(input, dtype)
    result = R.Prod.apply(input, dim=d, keepdim=keepdim, dtype=None if dtype is None else dtype.np)
    return write_out(result, out, "prod")


# -- extremes ----------------------------------------------------------------------------------
def _extreme(input: Tensor, dim: Any, keepdim: bool, out: Any, largest: bool) -> Any:
    name = "max" if largest else "min"
    if isinstance(dim, Tensor):  # max(input, other): the elementwise maximum
        from .. import _functions

        return getattr(_functions, "maximum" if largest else "minimum")(input, dim, out=out)
    if dim is None:
        check_nonempty(input, (), name, full=True)
        result = R.Extreme.apply(input, dims=tuple(range(input._data.ndim)), keepdim=False,
                                 largest=largest, name=f"{name.capitalize()}Backward1",
                                 nan_wins=True)
        return write_out(result, out, name)
    d = one_dim(dim, input._data.ndim, name)
    check_nonempty(input, (d,), name, full=False)
    indices = R.Reduce.apply(input, fn=R.argextreme, dim=d, keepdim=keepdim, largest=largest)
    values = R.SelectAlongDim.apply(input, indices, dim=d, keepdim=keepdim,
                                    name=f"{name.capitalize()}Backward0")
    return _pair(name, values, indices, out)


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        other: Tensor | None = None, out: Any = None) -> Any:
    """The largest element; with ``dim``, ``(values, indices)`` along it; with a tensor
    ``other``, the elementwise maximum. Ties share the gradient of the full form.

    >>> torch.tensor([[1., 3.], [4., 2.]]).max(1)
    torch.return_types.max(
    values=tensor([3., 4.]),
    indices=tensor([1, 0]))
    """
    return _extreme(input, other if other is not None else dim, keepdim, out, True)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        other: Tensor | None = None, out: Any = None) -> Any:
    """The smallest element; see ``max`` for the dim and binary forms."""
    return _extreme(input, other if other is not None else dim, keepdim, out, False)


def _amax_amin(input: Tensor, dim: Any, keepdim: bool, out: Tensor | None,
               largest: bool) -> Tensor:
    name = "amax" if largest else "amin"
    dims = reduce_dims(dim, input._data.ndim)
    check_nonempty(input, dims, name, full=not normalize_dims(dim, input._data.ndim))
    result = R.Extreme.apply(input, dims=dims, keepdim=keepdim, largest=largest,
                             name=f"{name.capitalize()}Backward0")
    return write_out(result, out, name)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False, *,
         out: Tensor | None = None) -> Tensor:
    """The maximum over ``dim`` (int or tuple; all dims by default); ties share the
    gradient evenly."""
    return _amax_amin(input, dim, keepdim, out, True)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False, *,
         out: Tensor | None = None) -> Tensor:
    """The minimum over ``dim``; ties share the gradient evenly."""
    return _amax_amin(input, dim, keepdim, out, False)


def _argextreme(input: Tensor, dim: Any, keepdim: bool, out: Tensor | None,
                largest: bool) -> Tensor:
    name = "argmax" if largest else "argmin"
    if input._data.dtype.kind == "b":
        raise RuntimeError(f"{name}(): does not support bool input")
    d = None if dim is None else one_dim(dim, input._data.ndim, name)
    check_nonempty(input, () if d is None else (d,), name, full=d is None)
    result = R.Reduce.apply(input, fn=R.argextreme, dim=d, keepdim=keepdim, largest=largest)
    return write_out(result, out, name)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
           out: Tensor | None = None) -> Tensor:
    """The index of the largest element (of the flattened input when ``dim`` is None)."""
    return _argextreme(input, dim, keepdim, out, True)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
           out: Tensor | None = None) -> Tensor:
    """The index of the smallest element (of the flattened input when ``dim`` is None)."""
    return _argextreme(input, dim, keepdim, out, False)


def median(input: Tensor, dim: Any = NO_DIM, keepdim: bool = False, *, out: Any = None) -> Any:
    """The lower median of all elements, or ``(values, indices)`` along ``dim``."""
    if input._data.dtype.kind == "b":
        raise NotImplementedError("\"median_cpu\" not implemented for 'Bool'")
    if dim is NO_DIM:
        return write_out(R.Median.apply(input), out, "median")
    d = one_dim(dim, input._data.ndim, "median")
    check_nonempty(input, (d,), "median", full=False)
    indices = R.Reduce.apply(input, fn=R.median_index, dim=d, keepdim=keepdim)
    values = R.SelectAlongDim.apply(input, indices, dim=d, keepdim=keepdim,
                                    name="MedianBackward1")
    return _pair("median", values, indices, out)


# -- logical -----------------------------------------------------------------------------------
def all(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        out: Tensor | None = None) -> Tensor:
    """Whether every element (over ``dim``) is non-zero; bool, or uint8 for uint8 input."""
    dims = normalize_dims(dim, input._data.ndim)
    return write_out(R.Reduce.apply(input, fn=R.truth, dims=dims, keepdim=keepdim, every=True),
                     out, "all")


def any(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        out: Tensor | None = None) -> Tensor:
    """Whether some element (over ``dim``) is non-zero; bool, or uint8 for uint8 input."""
    dims = normalize_dims(dim, input._data.ndim)
    return write_out(R.Reduce.apply(input, fn=R.truth, dims=dims, keepdim=keepdim, every=False),
                     out, "any")


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """The number of non-zero elements (over ``dim``), as int64."""
    dims = normalize_dims(dim, input._data.ndim) or None
    return R.Reduce.apply(input, fn=R.count_nonzero, dims=dims)


from .reduction_stats import (  # noqa: E402 - the second half of the family
    cumprod,
    cumsum,
    logsumexp,
    norm,
    std,
    std_mean,
    var,
    var_mean,
)

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "median",
           "all", "any", "count_nonzero", "std", "var", "std_mean", "var_mean", "norm",
           "logsumexp", "cumsum", "cumprod"]
METHODS = [n for n in __all__ if n not in ("std_mean", "var_mean")]
INPLACE: list[str] = ["cumsum", "cumprod"]
