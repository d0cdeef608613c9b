"""torch.linalg's matrix functions and factorizations, and their top-level spellings
(``torch.det``, ``torch.inverse``, ``torch.logdet``, ``torch.slogdet``, ``torch.matrix_power``).

Inputs are batches of matrices (..., m, n) of float32/float64, checked in torch's order with
its messages: at least 2 dims, square where needed, a floating dtype. A singular or
non-positive-definite matrix raises ``LinAlgError`` (a RuntimeError) with torch's message,
including LAPACK's pivot number and the first failing batch element.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._primitives import linalg_decomp as D
from .._tensor import Tensor
from ._util import _legacy_name, write_out
from .named_tuples import return_type as _return_type

__all__ = ["det", "logdet", "slogdet", "inverse", "matrix_power"]
METHODS = list(__all__)
INPLACE: list[str] = []


class LinAlgError(RuntimeError):
    """Raised for a singular or non-positive-definite input (torch.linalg.LinAlgError)."""


_SLOGDET = _return_type("slogdet", ("sign", "logabsdet"))
_LINALG_SLOGDET = _return_type("linalg_slogdet", ("sign", "logabsdet"))
_QR = _return_type("linalg_qr", ("Q", "R"))
_EIGH = _return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
_SVD = _return_type("linalg_svd", ("U", "S", "Vh"))


# -- checks ------------------------------------------------------------------------------------
def check_matrix(name: str, a: Tensor, square: bool = True, floating: bool = True,
                 arg: str = "A") -> None:
    """torch's checks of a batch of matrices, in its order."""
    if not isinstance(a, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' must be Tensor, not {type(a).__name__}")
    shape = a._data.shape
    if len(shape) < 2:
        raise RuntimeError(f"{name}: The input tensor {arg} must have at least 2 dimensions.")
    if square and shape[-1] != shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{shape[-2]} by {shape[-1]} matrices")
    if floating and a._data.dtype.kind != "f":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_legacy_name(a.dtype)}")


def _batches(a: np.ndarray) -> np.ndarray:
    return a.reshape((-1,) + a.shape[-2:])


def _prefix(a: np.ndarray, index: int) -> str:
    return f"(Batch element {index}): " if a.ndim > 2 else ""


def _zero_pivot(m: np.ndarray) -> int:
    """LAPACK getrf's info: the 1-based index of the first exactly-zero pivot of the LU
    factorization with partial pivoting (0 when there is none)."""
    u = m.astype(np.float64, copy=True)
    n = u.shape[0]
    found = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if u[p, k] == 0:
            found = found or k + 1
            continue
        u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return found


def _singular(name: str, a: np.ndarray) -> LinAlgError:
    for i, m in enumerate(_batches(a)):
        k = _zero_pivot(m)
        if k:
            return LinAlgError(f"{name}: {_prefix(a, i)}The diagonal element {k} is zero, the "
                               "inversion could not be completed because the input matrix is "
                               "singular.")
    return LinAlgError(f"{name}: The input matrix is singular.")


def _not_pd(a: np.ndarray, name: str = "linalg.cholesky") -> LinAlgError:
    for i, m in enumerate(_batches(a)):
        for k in range(1, m.shape[0] + 1):
            try:
                np.linalg.cholesky(m[:k, :k])
            except np.linalg.LinAlgError:
                return LinAlgError(
                    f"{name}: {_prefix(a, i)}The factorization could not be completed "
                    "because the input is not positive-definite (the leading minor of order "
                    f"{k} is not positive-definite).")
    return LinAlgError(f"{name}: The input is not positive-definite.")


# -- inverse and determinants ------------------------------------------------------------------
def inv(A: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The inverse of each square matrix; LinAlgError when one is singular.

    >>> torch.linalg.inv(torch.tensor([[2., 0.], [0., 4.]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    check_matrix("linalg.inv", A)
    try:
        result = D.Inv.apply(A)
    except np.linalg.LinAlgError:
        raise _singular("linalg.inv", A._data) from None
    return write_out(result, out, "linalg_inv")


def inverse(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Alias of :func:`torch.linalg.inv`.

    >>> torch.inverse(torch.eye(2))
    tensor([[1., 0.],
            [0., 1.]])
    """
    return inv(input, out=out)


def det(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The determinant of each square matrix, shape (...).

    >>> torch.det(torch.tensor([[2., 1.], [0., 3.]]))
    tensor(6.)
    """
    check_matrix("linalg.det", input)
    return write_out(D.Det.apply(input), out, "linalg_det")


def _slogdet(name: str, input: Tensor) -> tuple[Tensor, Tensor]:
    check_matrix(name, input)
    sign = Tensor._make(np.asarray(np.linalg.slogdet(input._data)[0]))
    return sign, D.LogAbsDet.apply(input)


def slogdet(input: Tensor, *, out: Any = None) -> Any:
    """(sign, log|det|) of each square matrix: ``torch.return_types.slogdet``.

    >>> torch.slogdet(torch.tensor([[-2., 0.], [0., 1.]]))
    torch.return_types.slogdet(
    sign=tensor(-1.),
    logabsdet=tensor(0.6931))
    """
    return _named(_SLOGDET, _slogdet("linalg.slogdet", input), out, "slogdet")


def linalg_slogdet(A: Tensor, *, out: Any = None) -> Any:
    """torch.linalg.slogdet: (sign, logabsdet) as ``torch.return_types.linalg_slogdet``."""
    return _named(_LINALG_SLOGDET, _slogdet("linalg.slogdet", A), out, "linalg_slogdet")


def logdet(input: Tensor) -> Tensor:
    """log det of each square matrix: nan for a negative determinant, -inf for zero.

    >>> torch.logdet(torch.eye(2) * 2)
    tensor(1.3863)
    """
    sign, logabs = _slogdet("linalg.slogdet", input)
    nan = Tensor._make(np.where(sign._data < 0, np.nan, 0).astype(input._data.dtype))
    return logabs + nan


def _named(cls: type, values: Any, out: Any, name: str) -> Any:
    if out is not None:
        values = [write_out(v, o, name) for v, o in zip(values, out)]
    return cls(values)


# -- solve and factorizations ------------------------------------------------------------------
def solve(A: Tensor, B: Tensor, *, left: bool = True, out: Tensor | None = None) -> Tensor:
    """X with A X = B (or X A = B when ``left=False``); B a batch of matrices or vectors.

    >>> torch.linalg.solve(torch.eye(2) * 2, torch.tensor([2., 4.]))
    tensor([1., 2.])
    """
    check_matrix("linalg.solve", A, square=False)  # torch checks the dtype first here
    check_matrix("linalg.solve", A)
    if B._data.dtype != A._data.dtype:
        raise RuntimeError("linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {_legacy_name(A.dtype)} and B of type "
                           f"{_legacy_name(B.dtype)} instead")
    n = A._data.shape[-1]
    vector = B._data.ndim == 1 or B._data.shape == A._data.shape[:-1]
    rhs = B.unsqueeze(-1) if vector else B
    rows = rhs._data.shape[-2] if left else rhs._data.shape[-1]
    if rows != n:
        eq, (r, c) = ("AX = B", rhs._data.shape[-2:]) if left else ("XA = B", B._data.shape[-2:])
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation {eq} "
                           f"({n}x{n} and {r}x{c})")
    a = A if left else A.transpose(-1, -2)
    b = rhs if left else rhs.transpose(-1, -2)
    try:
        x = D.Solve.apply(a, b)
    except np.linalg.LinAlgError:
        raise _solve_singular(A._data) from None
    x = x if left else x.transpose(-1, -2)
    return write_out(x.squeeze(-1) if vector else x, out, "linalg_solve")


def _solve_singular(a: np.ndarray) -> LinAlgError:
    i = next((i for i, m in enumerate(_batches(a)) if _zero_pivot(m)), 0)
    return LinAlgError(f"torch.linalg.solve: {_prefix(a, i)}The solver failed because the "
                       "input matrix is singular.")


def cholesky(A: Tensor, *, upper: bool = False, out: Tensor | None = None) -> Tensor:
    """The lower Cholesky factor L of each symmetric positive-definite A = L L^T (its
    transpose when ``upper``); only the lower triangle of A is read.

    >>> torch.linalg.cholesky(torch.eye(2) * 4)
    tensor([[2., 0.],
            [0., 2.]])
    """
    low = cholesky_lower("linalg.cholesky", A)
    return write_out(low.transpose(-1, -2) if upper else low, out, "linalg_cholesky")


def cholesky_lower(name: str, A: Tensor) -> Tensor:
    """The checked lower Cholesky factor, errors prefixed with ``name``."""
    check_matrix(name, A)
    try:
        return D.Cholesky.apply(A)
    except np.linalg.LinAlgError:
        raise _not_pd(A._data, name) from None


def qr(A: Tensor, mode: str = "reduced", *, out: Any = None) -> Any:
    """A = QR with orthonormal Q and upper-triangular R; ``mode``: 'reduced', 'complete' or
    'r' (Q empty, and no gradient).

    >>> torch.linalg.qr(torch.eye(2)).R.shape
    torch.Size([2, 2])
    """
    check_matrix("linalg.qr", A, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    m, n = A._data.shape[-2:]
    q, r = np.linalg.qr(A._data, mode="complete" if mode == "complete" else "reduced")
    if mode == "r":
        return _named(_QR, (Tensor._make(np.zeros(0, q.dtype)), _r_only(A, r)), out, "qr")
    if mode == "complete" and m > n:  # the extra columns of Q are not differentiable
        return _named(_QR, (Tensor._make(q), Tensor._make(r)), out, "qr")
    parts = (D.QrPart.apply(A, q=q, r=r, part=0), D.QrPart.apply(A, q=q, r=r, part=1))
    return _named(_QR, parts, out, "qr")


def _r_only(A: Tensor, r: np.ndarray) -> Tensor:
    if A._requires_grad:
        return D.RequireQ.apply(A, r=r)
    return Tensor._make(r)


def _uplo(UPLO: str) -> str:
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO


def eigh(A: Tensor, UPLO: str = "L", *, out: Any = None) -> Any:
    """Eigenvalues (ascending) and orthonormal eigenvectors of each symmetric matrix, read
    from its lower (or upper) triangle.

    >>> torch.linalg.eigh(torch.diag(torch.tensor([2., 1.]))).eigenvalues
    tensor([1., 2.])
    """
    check_matrix("linalg.eigh", A, floating=False)
    _eigh_dtype(A)
    w, v = np.linalg.eigh(A._data, UPLO=_uplo(UPLO))
    parts = (D.EighPart.apply(A, w=w, v=v, part=0), D.EighPart.apply(A, w=w, v=v, part=1))
    return _named(_EIGH, parts, out, "linalg_eigh")


def _eigh_dtype(A: Tensor) -> None:
    if A._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"linalg_eigh_cpu\" not implemented for '{_legacy_name(A.dtype)}'")


def eigvalsh(A: Tensor, UPLO: str = "L", *, out: Tensor | None = None) -> Tensor:
    """The eigenvalues (ascending) of each symmetric matrix.

    >>> torch.linalg.eigvalsh(torch.eye(2))
    tensor([1., 1.])
    """
    check_matrix("linalg.eigh", A, floating=False)
    _eigh_dtype(A)
    w, v = np.linalg.eigh(A._data, UPLO=_uplo(UPLO))
    return write_out(D.EighPart.apply(A, w=w, v=v, part=0), out, "linalg_eigvalsh")


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None,
        out: Any = None) -> Any:
    """A = U diag(S) Vh, singular values descending; ``full_matrices`` makes U and Vh square
    (their extra rows/columns carry no gradient, as in torch).

    >>> torch.linalg.svd(torch.eye(2)).S
    tensor([1., 1.])
    """
    check_matrix("linalg.svd", A, square=False)
    m, n = A._data.shape[-2:]
    k = min(m, n)
    u, s, vh = np.linalg.svd(A._data, full_matrices=full_matrices)
    ur, vhr = u[..., :k], vh[..., :k, :]
    parts = [D.SvdPart.apply(A, u=ur, s=s, vh=vhr, part=i) for i in range(3)]
    if full_matrices and m != n:
        from .shape import cat

        if m > k:
            parts[0] = cat([parts[0], Tensor._make(u[..., k:])], dim=-1)
        else:
            parts[2] = cat([parts[2], Tensor._make(vh[..., k:, :])], dim=-2)
    return _named(_SVD, parts, out, "linalg_svd")


def svdvals(A: Tensor, *, driver: str | None = None, out: Tensor | None = None) -> Tensor:
    """The singular values of each matrix, descending.

    >>> torch.linalg.svdvals(torch.eye(2) * 3)
    tensor([3., 3.])
    """
    check_matrix("linalg.svd", A, square=False)
    u, s, vh = np.linalg.svd(A._data, full_matrices=False)
    return write_out(D.SvdPart.apply(A, u=u, s=s, vh=vh, part=1), out, "linalg_svdvals")


def matrix_power(input: Tensor, n: int, *, out: Tensor | None = None) -> Tensor:
    """The n-th power of each square matrix by repeated squaring; n < 0 inverts first.

    >>> torch.linalg.matrix_power(torch.eye(2) * 2, 3)
    tensor([[8., 0.],
            [0., 8.]])
    """
    check_matrix("linalg.matrix_power", input, floating=False)
    if n == 0:
        eye = np.broadcast_to(np.eye(input._data.shape[-1], dtype=input._data.dtype),
                              input._data.shape)
        # torch copies the identity into a clone of A: a gradient of zeros flows back to A
        return write_out(input.clone().copy_(Tensor._make(eye)), out, "linalg_matrix_power")
    base = inv(input) if n < 0 else input
    n = abs(n)
    if n == 1:
        return write_out(base.clone(), out, "linalg_matrix_power")
    result = None
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return write_out(result, out, "linalg_matrix_power")
