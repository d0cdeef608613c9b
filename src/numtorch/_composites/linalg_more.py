"""More of torch.linalg: the ``_ex`` variants that report failures in ``info`` instead of
raising (inv_ex, cholesky_ex, solve_ex), cond, solve_triangular, vander and diagonal.

A matrix the ``_ex`` variants cannot factorize gets ``info`` (LAPACK's, as torch's: the zero
pivot or the order of the failing minor) and nan in its result, where torch leaves whatever
the partial factorization produced.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._primitives import linalg_decomp as D
from .._tensor import Tensor
from ._util import write_out
from .indexing import diagonal as _diagonal
from .linalg_ext import (
    LinAlgError,
    _batches,
    _not_pd,
    _singular,
    _zero_pivot,
    check_matrix,
    inv,
    solve,
)
from .linalg_norms import matrix_norm, svdvals_of
from .named_tuples import return_type
from .shape import cat

__all__: list[str] = []
METHODS: list[str] = []
INPLACE: list[str] = []

_INV_EX = return_type("linalg_inv_ex", ("inverse", "info"))
_CHOLESKY_EX = return_type("linalg_cholesky_ex", ("L", "info"))
_SOLVE_EX = return_type("linalg_solve_ex", ("result", "info"))


def _info(a: np.ndarray, fn: Any) -> np.ndarray:
    codes = np.array([fn(m) for m in _batches(a)], np.int32)
    return codes.reshape(a.shape[:-2])


def _leading_minor(m: np.ndarray) -> int:
    """LAPACK potrf's info: the order of the first leading minor that is not positive
    definite (0 when all are)."""
    for k in range(1, m.shape[0] + 1):
        try:
            np.linalg.cholesky(m[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return 0


def _with_nans(result: Tensor, info: np.ndarray) -> Tensor:
    bad = (info != 0).reshape(info.shape + (1,) * (result._data.ndim - info.ndim))
    return result + Tensor._make(np.where(bad, np.nan, 0).astype(result._data.dtype))


def _replace_failed(A: Tensor, info: np.ndarray, eye: bool = True) -> Tensor:
    """A with its failing matrices replaced by the identity, so the batch computes."""
    keep = (info == 0)[..., None, None]
    fill = ~keep * np.eye(A._data.shape[-1]) if eye else 0
    return A * Tensor._make(keep.astype(A._data.dtype)) + \
        Tensor._make(np.asarray(fill, A._data.dtype))


def inv_ex(A: Tensor, *, check_errors: bool = False, out: Any = None) -> Any:
    """(inverse, info): info is 0, or the 1-based zero pivot of a singular matrix.

    >>> torch.linalg.inv_ex(torch.eye(2)).info
    tensor(0, dtype=torch.int32)
    """
    check_matrix("linalg.inv_ex", A)
    info = _info(A._data, _zero_pivot)
    if check_errors and info.any():
        raise _singular("linalg.inv_ex", A._data)
    result = inv(A) if not info.any() else _with_nans(inv(_replace_failed(A, info)), info)
    return _named(_INV_EX, (result, Tensor._make(info)), out)


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False,
                out: Any = None) -> Any:
    """(L, info): info is 0, or the order of the first leading minor that is not positive
    definite.

    >>> torch.linalg.cholesky_ex(torch.eye(2)).info
    tensor(0, dtype=torch.int32)
    """
    check_matrix("linalg.cholesky_ex", A)
    info = _info(A._data, _leading_minor)
    if check_errors and info.any():
        raise _not_pd(A._data, "linalg.cholesky_ex")
    low = D.Cholesky.apply(_replace_failed(A, info) if info.any() else A)
    low = _with_nans(low, info) if info.any() else low
    return _named(_CHOLESKY_EX, (low.transpose(-1, -2) if upper else low, Tensor._make(info)),
                  out)


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False,
             out: Any = None) -> Any:
    """(result, info) of :func:`torch.linalg.solve`, info the zero pivot of a singular A.

    >>> torch.linalg.solve_ex(torch.eye(2), torch.ones(2)).result
    tensor([1., 1.])
    """
    check_matrix("linalg.solve_ex", A)
    info = _info(A._data, _zero_pivot)
    if not info.any():
        return _named(_SOLVE_EX, (solve(A, B, left=left), Tensor._make(info)), out)
    if check_errors:
        raise LinAlgError("torch.linalg.solve_ex: The solver failed because the input "
                          "matrix is singular.")
    x = solve(_replace_failed(A, info), B, left=left)
    return _named(_SOLVE_EX, (_with_nans(x, info), Tensor._make(info)), out)


def _named(cls: type, values: tuple, out: Any) -> Any:
    if out is not None:
        values = tuple(write_out(v, o, cls.__name__) for v, o in zip(values, out))
    return cls(values)


def cond(A: Tensor, p: Any = None, *, out: Tensor | None = None) -> Tensor:
    """The condition number: s_max / s_min for p None, 2 (s_min / s_max for -2), else
    norm(A, p) * norm(A^{-1}, p) (inf for a singular A).

    >>> torch.linalg.cond(torch.tensor([[1., 0.], [0., 2.]]))
    tensor(2.)
    """
    if A._data.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p not in (None, 2, -2, "fro", "nuc", math.inf, -math.inf, 1, -1) or p is True:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    if p in (None, 2, -2):
        check_matrix("linalg.svd", A, square=False)
        s = svdvals_of(A)
        top, low = s.narrow(-1, 0, 1).squeeze(-1), s.narrow(-1, s.shape[-1] - 1, 1).squeeze(-1)
        return write_out(low / top if p == -2 else top / low, out, "linalg_cond")
    check_matrix(f"linalg.cond(ord={p})", A)
    info = _info(A._data, _zero_pivot)
    fixed = _replace_failed(A, info) if info.any() else A
    result = matrix_norm(A, p) * matrix_norm(inv(fixed), p)
    if info.any():
        result = result + Tensor._make(np.where(info != 0, np.inf, 0).astype(A._data.dtype))
    return write_out(result, out, "linalg_cond")


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,
                     unitriangular: bool = False, out: Tensor | None = None) -> Tensor:
    """X with A X = B (X A = B when not ``left``) reading only A's upper or lower triangle
    (and a unit diagonal when ``unitriangular``); B a batch of matrices.

    >>> torch.linalg.solve_triangular(torch.eye(2) * 2, torch.ones(2, 1), upper=True)
    tensor([[0.5000],
            [0.5000]])
    """
    check_matrix("linalg.solve_triangular", A)
    if B._data.ndim < 2:
        raise RuntimeError("linalg.solve_triangular: The input tensor B must have at least 2 "
                           "dimensions.")
    n = A._data.shape[-1]
    rows = B._data.shape[-2] if left else B._data.shape[-1]
    if rows != n:
        eq = "AX = B" if left else "XA = B"
        r, c = B._data.shape[-2:]
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the "
                           f"equation {eq} ({n}x{n} and {r}x{c})")
    keep = np.triu(np.ones((n, n)), 1 if unitriangular else 0) if upper else \
        np.tril(np.ones((n, n)), -1 if unitriangular else 0)
    tri = A * Tensor._make(keep.astype(A._data.dtype))
    if unitriangular:
        tri = tri + Tensor._make(np.eye(n, dtype=A._data.dtype))
    a, b = (tri, B) if left else (tri.transpose(-1, -2), B.transpose(-1, -2))
    try:
        x = D.Solve.apply(a, b)
    except np.linalg.LinAlgError:  # a zero on the diagonal: torch's substitution gives inf/nan
        x = Tensor._make(_substitute(a._data, b._data, upper == left))
    return write_out(x if left else x.transpose(-1, -2), out, "linalg_solve_triangular")


def _substitute(a: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """Back (``upper``) or forward substitution for a triangular ``a``, dividing by zero
    pivots as LAPACK's trsm does (no gradient: only used when ``a`` is singular)."""
    n = a.shape[-1]
    x = np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:], b.dtype)
    with np.errstate(all="ignore"):
        for i in (reversed(range(n)) if upper else range(n)):
            done = slice(i + 1, n) if upper else slice(0, i)
            rest = b[..., i, :] - np.einsum("...j,...jk->...k", a[..., i, done], x[..., done, :])
            x[..., i, :] = rest / a[..., i, i][..., None]
    return x


def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """The Vandermonde matrix of increasing powers: columns x^0, x^1, ..., x^(N-1).

    >>> torch.linalg.vander(torch.tensor([1., 2., 3.]))
    tensor([[1., 1., 1.],
            [1., 2., 4.],
            [1., 3., 9.]])
    """
    n = (x._data.shape[-1] if x._data.ndim else 1) if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    col = x.unsqueeze(-1)
    ones = Tensor._make(np.ones(col._data.shape, x._data.dtype))
    powers = cat([ones, col.expand(*col.shape[:-1], n - 1)], dim=-1)
    return powers.cumprod(-1)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonals of a batch of matrices (``torch.diagonal`` with matrix defaults).

    >>> torch.linalg.diagonal(torch.eye(2))
    tensor([1., 1.])
    """
    return _diagonal(A, offset, dim1, dim2)
