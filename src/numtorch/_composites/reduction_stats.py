"""Reductions, second half: std/var (and their _mean forms), norm, logsumexp, cumsum, cumprod.

Re-exported by ``reduction``, which owns the family's ``__all__`` and ``METHODS``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .. import _dtype
from .._primitives import reduction as R
from .._tensor import Tensor
from ._util import _legacy_name, to_float, write_out
from .reduction import check_grad_dtype, normalize_dims, one_dim, reduce_dims

__all__ = ["std", "var", "std_mean", "var_mean", "norm", "logsumexp", "cumsum", "cumprod"]


# -- moments -----------------------------------------------------------------------------------
def _moment_args(name: str, input: Tensor, dim: Any, unbiased: bool | None,
                 correction: float | None) -> tuple[tuple[int, ...], float]:
    """The reduced dims and the correction, from torch's two spellings (``unbiased`` or
    ``correction=``); warns, as torch does, when nothing is left to divide by."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments: use either "
                        "'unbiased' or 'correction', not both")
    if correction is None:
        correction = 0 if unbiased is False else 1
    dims = reduce_dims(dim, input._data.ndim)
    kept = math.prod(s for i, s in enumerate(input._data.shape) if i not in dims)
    factor = input._data.size // kept if kept else 0  # torch's "reduction factor"
    if factor - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be "
                      "strictly less than the reduction factor (input numel divided by output "
                      "numel).", UserWarning, stacklevel=3)
    return dims, correction


def _legacy_unbiased(dim: Any, unbiased: bool | None) -> tuple[Any, bool | None]:
    """``x.std(False)``: a bool in the place of ``dim`` is the old ``unbiased``."""
    if isinstance(dim, bool):
        return None, dim
    return dim, unbiased


def var(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None, out: Tensor | None = None) -> Tensor:
    """The variance over ``dim`` (all dims by default), dividing by N - ``correction``
    (1 by default: Bessel's correction; ``unbiased=False`` is ``correction=0``)."""
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    dims, correction = _moment_args("var", input, dim, unbiased, correction)
    result = R.Var.apply(input, dims=dims, correction=correction, keepdim=keepdim, sqrt=False)
    return write_out(result, out, "var")


def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None, out: Tensor | None = None) -> Tensor:
    """The standard deviation over ``dim``; see ``var`` for ``correction``.

    >>> torch.tensor([1., 2., 3., 4.]).std()
    tensor(1.2910)
    """
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    dims, correction = _moment_args("std", input, dim, unbiased, correction)
    result = R.Var.apply(input, dims=dims, correction=correction, keepdim=keepdim, sqrt=True)
    return write_out(result, out, "std")


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False,
             *, correction: float | None = None) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim`` in one pass (one ``VarMeanBackward0`` node)."""
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    dims, correction = _moment_args("var_mean", input, dim, unbiased, correction)
    return R.VarMean.apply(input, dims=dims, correction=correction, keepdim=keepdim, sqrt=False)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False,
             *, correction: float | None = None) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim`` in one pass (one ``StdMeanBackward0`` node)."""
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    dims, correction = _moment_args("std_mean", input, dim, unbiased, correction)
    return R.VarMean.apply(input, dims=dims, correction=correction, keepdim=keepdim, sqrt=True)


# -- norms -------------------------------------------------------------------------------------
def _norm_order(p: Any, dim: Any) -> float:
    """torch.norm's ``p`` as a number: 'fro' (the default) is the 2-norm of the elements."""
    if p is None or p == "fro":
        if isinstance(dim, (tuple, list)) and len(dim) > 2:
            got = " ".join(str(d) for d in dim)
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
        return 2.0
    if p == "nuc":
        raise NotImplementedError("numtorch does not implement the nuclear norm (p='nuc')")
    if isinstance(p, str):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    return float(p)


def _norm_input(input: Tensor, dtype: _dtype.dtype | None) -> Tensor:
    """Check (and convert to) the floating dtype the norm is computed in."""
    if dtype is not None:
        if not dtype.is_floating_point:
            raise RuntimeError("linalg.vector_norm: dtype should be floating point or complex, "
                               f"but got {_legacy_name(dtype)}")
        if _dtype.promote_types(input.dtype, dtype) is not dtype:
            raise RuntimeError(f"linalg.vector_norm: the dtype of the input "
                               f"({_legacy_name(input.dtype)}) should be convertible without "
                               f"narrowing to the specified dtype ({_legacy_name(dtype)})")
        return input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_legacy_name(input.dtype)}")
    return input


def _check_inf_norm(input: Tensor, dims: tuple[int, ...] | None, order: float) -> None:
    """The max and min of nothing are undefined: torch's errors (its missing space too)."""
    start = f"linalg.vector_norm cannot compute the {order} norm on "
    if not dims and input._data.size == 0:
        raise RuntimeError(start + "an empty tensor because the operation does not have an "
                           "identity")
    for d in dims or ():
        if input._data.ndim and input._data.shape[d] == 0:
            raise RuntimeError(start + f"the dimension {d}because this dimension is empty and "
                               "the operation does not have an identity")


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         out: Tensor | None = None, dtype: _dtype.dtype | None = None) -> Tensor:
    """The vector p-norm of the elements, or over ``dim``: p = 'fro' / 2 (default), 1, inf,
    -inf, 0 (non-zeros) or any other number. The gradient at zero is 0, as in torch.

    >>> torch.tensor([3., 4.]).norm()
    tensor(5.)
    """
    order = _norm_order(p, dim)
    input = _norm_input(input, dtype)
    dims = reduce_dims(dim, input._data.ndim)
    if math.isinf(order):
        _check_inf_norm(input, normalize_dims(dim, input._data.ndim), order)
    return write_out(R.Norm.apply(input, p=order, dims=dims, keepdim=keepdim), out, "norm")


# -- log-sum-exp and scans ---------------------------------------------------------------------
def logsumexp(input: Tensor, dim: Any, keepdim: bool = False, *,
              out: Tensor | None = None) -> Tensor:
    """log(sum(exp(input))) over ``dim``, computed without overflow; integers give floats."""
    dims = normalize_dims(dim, input._data.ndim)
    if not dims and input._data.ndim:  # what torch 2.13 does with dim=()
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape "
                           f"{[1] * input._data.ndim}")
    result = R.Logsumexp.apply(to_float(input), dims=dims, keepdim=keepdim)
    return write_out(result, out, "logsumexp")


def _scan_dtype(input: Tensor, dtype: _dtype.dtype | None) -> _dtype.dtype | None:
    check_grad_dtype(input, dtype)
    if dtype is None and input._data.dtype.kind in "biu":
        return _dtype.int64  # integer running sums and products are int64, as in torch
    return dtype


def cumsum(input: Tensor, dim: int, *, dtype: _dtype.dtype | None = None,
           out: Tensor | None = None) -> Tensor:
    """The running sum along ``dim``; integers accumulate in int64.

    >>> torch.tensor([1, 2, 3]).cumsum(0)
    tensor([1, 3, 6])
    """
    d = one_dim(dim, input._data.ndim, "cumsum")
    dtype = _scan_dtype(input, dtype)
    result = R.Cumsum.apply(input, dim=d, dtype=None if dtype is None else dtype.np)
    return write_out(result, out, "cumsum")


def cumprod(input: Tensor, dim: int, *, dtype: _dtype.dtype | None = None,
            out: Tensor | None = None) -> Tensor:
    """The running product along ``dim``; integers accumulate in int64."""
    d = one_dim(dim, input._data.ndim, "cumprod")
    dtype = _scan_dtype(input, dtype)
    if dtype is not None:
        input = input.to(dtype)
    return write_out(R.Cumprod.apply(input, dim=d), out, "cumprod")
