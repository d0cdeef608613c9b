"""torch.linalg's norms (vector_norm, matrix_norm, norm) and the functions of singular
values (pinv, matrix_rank; torch.pinverse), built from the ``Norm`` reduction and ``svd``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._primitives import linalg_decomp as D
from .._primitives import reduction as R
from .._tensor import Tensor
from ._util import _legacy_name, write_out
from .linalg_ext import check_matrix
from .reduction import normalize_dims, reduce_dims
from .reduction_stats import _check_inf_norm, _norm_input

__all__ = ["pinverse"]
METHODS = list(__all__)
INPLACE: list[str] = []


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """The vector ``ord``-norm over ``dim`` (all elements by default): inf, -inf, 0 (the
    count of non-zeros) or any number.

    >>> torch.linalg.vector_norm(torch.tensor([3., 4.]))
    tensor(5.)
    """
    if isinstance(ord, str) or not isinstance(ord, (int, float)):
        raise TypeError("linalg_vector_norm(): argument 'ord' must be Number, not "
                        f"{type(ord).__name__}")
    x = _norm_input(x, dtype)
    order = float(ord)
    dims = reduce_dims(dim, x._data.ndim)
    if math.isinf(order) or order < 0:
        _check_identity(x, normalize_dims(dim, x._data.ndim), ord)
    return write_out(R.Norm.apply(x, p=order, dims=dims, keepdim=keepdim), out,
                     "linalg_vector_norm")


def _check_identity(x: Tensor, dims: tuple[int, ...] | None, ord: Any) -> None:
    if math.isinf(ord):
        _check_inf_norm(x, dims, float(ord))
        return
    start = f"linalg.vector_norm cannot compute the {ord} norm on "
    if not dims and x._data.size == 0:
        raise RuntimeError(start + "an empty tensor because the operation does not have an "
                           "identity")


def _matrix_dims(A: Tensor, dim: Any) -> tuple[int, int]:
    if not (isinstance(dim, (tuple, list)) and len(dim) == 2):
        got = dim if isinstance(dim, int) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
    nd = A._data.ndim
    d0, d1 = (d % nd if -nd <= d < nd else d for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, "
                           f"{dim[1]})")
    return d0, d1


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,
                dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """The matrix norm over the two dims ``dim``: 'fro', 'nuc', inf, -inf, 1, -1, 2, -2.

    >>> torch.linalg.matrix_norm(torch.eye(2), ord=1)
    tensor(1.)
    """
    if A._data.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if ord not in ("fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2) or ord is True:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    d0, d1 = _matrix_dims(A, dim)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim, dtype=dtype, out=out)
    A = _norm_input(A, dtype)
    if ord in ("nuc", 2, -2):
        moved = A.movedim((d0, d1), (-2, -1))
        s = svdvals_of(moved)
        result = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        if keepdim:
            for d in sorted((d0, d1)):
                result = result.unsqueeze(d)
        return write_out(result, out, "linalg_matrix_norm")
    inner, outer = (d0, d1) if abs(ord) == 1 else (d1, d0)
    sums = A.abs().sum(inner, keepdim=True)
    result = sums.amax(outer, keepdim=True) if ord > 0 else sums.amin(outer, keepdim=True)
    if not keepdim:
        result = result.squeeze((d0, d1))
    return write_out(result, out, "linalg_matrix_norm")


def svdvals_of(A: Tensor) -> Tensor:
    """The singular values of a checked floating batch of matrices (differentiable)."""
    u, s, vh = np.linalg.svd(A._data, full_matrices=False)
    return D.SvdPart.apply(A, u=u, s=s, vh=vh, part=1)


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
         dtype: _dtype.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """A vector norm (``dim`` an int, or a 1-D input) or a matrix norm (``dim`` a 2-tuple,
    or a 2-D input with ``ord`` given); the 2-norm of all elements when neither is given.

    >>> torch.linalg.norm(torch.tensor([[3., 4.]]))
    tensor(5.)
    """
    if dim is not None:
        if not isinstance(ord, str) and (isinstance(dim, int) or len(dim) == 1):
            return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype, out=out)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    nd = A._data.ndim
    if nd not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must "
                           f"be 1D or 2D. Got {nd}D.")
    if nd == 1:
        if isinstance(ord, str):
            raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                               "dimensions.")
        return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)
    return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)


# -- functions of the singular values ----------------------------------------------------------
def _pinv_check(A: Tensor) -> None:
    if A._data.ndim < 2 or A._data.dtype.kind != "f":
        what = f"{_legacy_name(A.dtype)}{{{list(A._data.shape)}}}"
        raise RuntimeError(f"linalg.pinv({what}): expected a tensor with 2 or more dimensions "
                           "of float, double, cfloat or cdouble types")


def _tolerance(s: np.ndarray, shape: tuple, atol: Any, rtol: Any) -> np.ndarray:
    """The cut-off for singular values: max(atol, rtol * largest); rtol defaults to
    eps * max(m, n) when atol is not given either, else to 0."""
    def value(t: Any) -> Any:
        return t._data if isinstance(t, Tensor) else (0.0 if t is None else t)

    if rtol is None:
        rtol = np.finfo(s.dtype).eps * max(shape[-2:]) if atol is None or value(atol) is None \
            else 0.0
    top = s[..., :1] if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), s.dtype)
    return np.maximum(np.asarray(value(atol))[..., None] if np.ndim(value(atol)) else
                      value(atol), np.asarray(value(rtol))[..., None] * top
                      if np.ndim(value(rtol)) else value(rtol) * top)


def pinv(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False,
         rcond: Any = None, out: Tensor | None = None) -> Tensor:
    """The Moore-Penrose pseudo-inverse: V diag(1/S) U^T over the singular values above the
    tolerance (``_tolerance``); differentiable through the SVD.

    >>> torch.linalg.pinv(torch.eye(2) * 2)
    tensor([[0.5000, 0.0000],
            [0.0000, 0.5000]])
    """
    _pinv_check(A)
    if rcond is not None:
        rtol = rcond
    u, s, vh = np.linalg.svd(A._data, full_matrices=False)
    cut = _tolerance(s, A._data.shape, atol, rtol)
    keep = s > cut
    parts = [D.SvdPart.apply(A, u=u, s=s, vh=vh, part=i) for i in range(3)]
    safe = parts[1] + Tensor._make((~keep).astype(s.dtype))  # no division by dropped zeros
    inv_s = Tensor._make(keep.astype(s.dtype)) / safe
    result = parts[2].transpose(-1, -2) @ (inv_s.unsqueeze(-1) * parts[0].transpose(-1, -2))
    return write_out(result, out, "linalg_pinv")


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """torch.pinverse: :func:`torch.linalg.pinv` with ``rcond``.

    >>> torch.pinverse(torch.eye(2)).shape
    torch.Size([2, 2])
    """
    return pinv(input, rcond=rcond)


def matrix_rank(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False,
                tol: Any = None, out: Tensor | None = None) -> Tensor:
    """The number of singular values above the tolerance (int64).

    >>> torch.linalg.matrix_rank(torch.eye(3))
    tensor(3)
    """
    check_matrix("torch.linalg.matrix_rank", A, square=False, floating=False, arg="input")
    if A._data.dtype.kind != "f":
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol, rtol = tol, 0.0
    if hermitian:
        s = np.abs(np.linalg.eigvalsh(A._data))[..., ::-1]
        s = np.sort(s, axis=-1)[..., ::-1]
    else:
        s = np.linalg.svd(A._data, compute_uv=False)
    cut = _tolerance(s, A._data.shape, atol, rtol)
    rank = np.asarray(np.sum(s > cut, axis=-1), dtype=np.int64)
    return write_out(Tensor._make(rank), out, "linalg_matrix_rank")
