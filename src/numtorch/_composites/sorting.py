"""Sorting, selection and counting: argsort, msort, kthvalue, mode, cummax/cummin, the
nan-ignoring reductions (nansum, nanmean, nanmedian), aminmax, logcumsumexp, and the
histogram functions bincount, histc, bucketize and searchsorted.

Indices are computed on arrays (no gradient, ``reduction.Reduce``); values are then taken
with a differentiable selection, so gradients flow to the chosen elements only.
NOTE: numtorch sorts stably even when ``stable=False``: torch's unstable CPU order of equal
elements is an implementation detail that cannot be reproduced.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._primitives import reduction as R
from .._primitives import sorting as K
from .._tensor import Tensor, _wrap_dim
from ._util import _legacy_name, write_out
from .indexing import gather
from .named_tuples import return_type as _return_type
from .pointwise import where
from .reduction import _pair, amax, amin, check_nonempty, one_dim
from .reduction import sum as _sum
from .sorting_hist import bincount, bucketize, histc, searchsorted

METHODS = ["sort", "topk", "argsort", "msort", "kthvalue", "mode", "cummax", "cummin",
           "nansum", "nanmean", "nanmedian", "aminmax", "logcumsumexp", "bincount", "histc"]
__all__ = ["sort", "topk", "argsort", "msort", "kthvalue", "mode", "cummax", "cummin", "nansum",
           "nanmean", "nanmedian", "aminmax", "logcumsumexp", "bincount", "histc", "bucketize",
           "searchsorted"]
INPLACE: list[str] = []

_AMINMAX = _return_type("aminmax", ("min", "max"))
_NANMEDIAN = _return_type("nanmedian", ("values", "indices"))


def _index(input: Tensor, fn: Any, **kwargs: Any) -> Tensor:
    return R.Reduce.apply(input, fn=fn, **kwargs)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *,
            stable: bool = False) -> Tensor:
    """The indices that sort ``input`` along ``dim`` (nan counts as the largest value).

    >>> torch.argsort(torch.tensor([3., 1., 2.]))
    tensor([1, 2, 0])
    """
    d = _wrap_dim(dim, input._data.ndim)
    return _index(input, K.argsort, dim=d, descending=descending)


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False,
         out: Any = None) -> Any:
    """``input`` sorted along ``dim`` and the permutation: ``torch.return_types.sort``
    (nan is the largest value; equal elements keep their order).

    >>> torch.sort(torch.tensor([3., 1., 2.])).indices
    tensor([1, 2, 0])
    """
    d = _wrap_dim(dim, input._data.ndim)
    indices = argsort(input, d, descending)
    values = gather(input, d, indices) if input._data.ndim else input.clone()
    return _pair("sort", values, indices, out)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True,  # noqa: A002
         *, out: Any = None) -> Any:
    """The ``k`` largest (or smallest) elements along ``dim``, in order, and their indices:
    ``torch.return_types.topk``. Among equal elements the first ones are taken (torch's
    choice among ties is unspecified).

    >>> torch.topk(torch.tensor([3., 1., 2.]), 2).values
    tensor([3., 2.])
    """
    if input._data.dtype.kind == "b":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input._data.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    order = argsort(input, d, largest)
    indices = order.narrow(d, 0, k) if input._data.ndim else order
    values = gather(input, d, indices) if input._data.ndim else input.clone()
    return _pair("topk", values, indices, out)


def msort(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``input`` sorted along dim 0 (ascending).

    >>> torch.msort(torch.tensor([[2., 1.], [1., 3.]]))
    tensor([[1., 1.],
            [2., 3.]])
    """
    if input._data.ndim == 0:
        return write_out(input.clone(), out, "msort")
    return write_out(gather(input, 0, argsort(input, 0)), out, "msort")


def _select(name: str, input: Tensor, dim: int, keepdim: bool, fn: Any, grad_name: str,
            out: Any, **kwargs: Any) -> Any:
    d = one_dim(dim, input._data.ndim, name)
    indices = _index(input, fn, dim=d, keepdim=keepdim, **kwargs)
    values = R.SelectAlongDim.apply(input, indices, dim=d, keepdim=keepdim, name=grad_name)
    return _pair(name, values, indices, out) if name in ("kthvalue", "mode") else (values, indices)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False, *,
             out: Any = None) -> Any:
    """The k-th smallest element along ``dim`` and its index: ``torch.return_types.kthvalue``.

    >>> torch.kthvalue(torch.tensor([3., 1., 2.]), 2).values
    tensor(2.)
    """
    if input._data.dtype.kind == "b":
        raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
    d = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input._data.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    return _select("kthvalue", input, d, keepdim, K.kth_index, "KthvalueBackward0", out, k=k)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False, *, out: Any = None) -> Any:
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and the
    index of its last occurrence: ``torch.return_types.mode``.

    >>> torch.mode(torch.tensor([1, 2, 2, 3])).values
    tensor(2)
    """
    d = _wrap_dim(dim, input._data.ndim)
    check_nonempty(input, (d,), "mode", full=False)
    return _select("mode", input, d, keepdim, K.mode_index, "ModeBackward0", out)


def _cum_extreme(name: str, input: Tensor, dim: int, out: Any, largest: bool) -> Any:
    d = one_dim(dim, input._data.ndim, name)
    indices = _index(input, K.cum_extreme_index, dim=d, largest=largest)
    values = gather(input, d, indices) if input._data.ndim else input.clone()
    return _pair(name, values, indices, out)


def cummax(input: Tensor, dim: int, *, out: Any = None) -> Any:
    """The running maximum along ``dim`` and where it was found.

    >>> torch.cummax(torch.tensor([1., 3., 2.]), 0).values
    tensor([1., 3., 3.])
    """
    return _cum_extreme("cummax", input, dim, out, True)


def cummin(input: Tensor, dim: int, *, out: Any = None) -> Any:
    """The running minimum along ``dim`` and where it was found.

    >>> torch.cummin(torch.tensor([2., 3., 1.]), 0).values
    tensor([2., 2., 1.])
    """
    return _cum_extreme("cummin", input, dim, out, False)


# -- nan-ignoring reductions -------------------------------------------------------------------
def _zero_nans(input: Tensor) -> Tensor:
    if input._data.dtype.kind != "f":
        return input
    return where(input.isnan(), 0.0, input)


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *,
           dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """The sum treating nan as zero.

    >>> torch.nansum(torch.tensor([1., float('nan'), 2.]))
    tensor(3.)
    """
    dims = () if dim is None else dim
    return write_out(_sum(_zero_nans(input), dims, keepdim, dtype=dtype), out, "nansum")


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *,
            dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """The mean of the non-nan elements (nan when there are none).

    >>> torch.nanmean(torch.tensor([1., float('nan'), 2.]))
    tensor(1.5000)
    """
    if input._data.dtype.kind != "f":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {_legacy_name(input.dtype)}")
    dims = () if dim is None else dim
    count = _sum(input.isnan().logical_not(), dims, keepdim, dtype=dtype or input.dtype)
    return write_out(nansum(input, dim, keepdim, dtype=dtype) / count, out, "nanmean")


def nanmedian(input: Tensor, dim: Any = None, keepdim: bool = False, *, out: Any = None) -> Any:
    """The lower median of the non-nan elements (nan when all are nan), or
    ``(values, indices)`` along ``dim``.

    >>> torch.nanmedian(torch.tensor([1., float('nan'), 2., 0.]))
    tensor(1.)
    """
    if input._data.dtype.kind == "b":
        raise NotImplementedError("\"nanmedian_cpu\" not implemented for 'Bool'")
    if dim is None:
        flat = input.reshape(-1)
        if flat._data.size == 0:
            nan = np.full((), np.nan if input._data.dtype.kind == "f" else 0, input._data.dtype)
            return write_out(Tensor._make(nan), out, "nanmedian")
        idx = _index(flat, K.nanmedian_index, dim=0, keepdim=False)
        value = R.SelectAlongDim.apply(flat, idx, dim=0, keepdim=False, name="NanmedianBackward0")
        return write_out(value, out, "nanmedian")
    d = one_dim(dim, input._data.ndim, "nanmedian")
    check_nonempty(input, (d,), "median", full=False)
    values, indices = _select("nanmedian", input, d, keepdim, K.nanmedian_index,
                              "NanmedianBackward1", None)
    if out is not None:
        values, indices = (write_out(values, out[0], "nanmedian"),
                           write_out(indices, out[1], "nanmedian"))
    return _NANMEDIAN((values, indices))


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False,
            out: Any = None) -> Any:
    """The minimum and maximum (of all elements, or along ``dim``):
    ``torch.return_types.aminmax(min, max)``.

    >>> torch.aminmax(torch.tensor([3., 1., 2.]))
    torch.return_types.aminmax(
    min=tensor(1.),
    max=tensor(3.))
    """
    nd = input._data.ndim
    d = None if dim is None else _wrap_dim(dim, nd)
    empty = input._data.size == 0 if d is None else (nd and input._data.shape[d] == 0)
    if empty:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    dims: Any = () if d is None else d
    lo, hi = amin(input, dims, keepdim), amax(input, dims, keepdim)
    if out is not None:
        lo, hi = write_out(lo, out[0], "aminmax"), write_out(hi, out[1], "aminmax")
    return _AMINMAX((lo, hi))


def logcumsumexp(input: Tensor, dim: int, *, out: Tensor | None = None) -> Tensor:
    """log(cumsum(exp(input))) along ``dim``, computed stably (np.logaddexp.accumulate).

    >>> torch.logcumsumexp(torch.tensor([0., 0.]), 0)
    tensor([0.0000, 0.6931])
    """
    if input._data.dtype.kind != "f":
        raise NotImplementedError("\"logcumsumexp_out_cpu\" not implemented for "
                                  f"'{_legacy_name(input.dtype)}'")
    d = _wrap_dim(dim, input._data.ndim)
    return write_out(K.LogCumSumExp.apply(input, dim=d), out, "logcumsumexp")

