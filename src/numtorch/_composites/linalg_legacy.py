"""torch's older spellings of the factorizations, next to torch.linalg: ``torch.svd`` (V, not
Vh), ``torch.qr`` (``some``), ``torch.cholesky``, ``torch.cholesky_solve``,
``torch.cholesky_inverse`` and ``torch.chain_matmul``. The deprecated ones warn once, as
torch does.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._primitives import linalg_decomp as D
from .._tensor import Tensor
from ._util import _legacy_name, write_out
from .linalg_ext import check_matrix, cholesky_lower
from .linalg_ext import qr as linalg_qr
from .linalg_ext import svd as linalg_svd
from .linalg_products import multi_dot
from .named_tuples import return_type

__all__ = ["svd", "qr", "cholesky", "cholesky_solve", "cholesky_inverse", "chain_matmul"]
METHODS = ["svd", "qr", "cholesky", "cholesky_solve", "cholesky_inverse"]
INPLACE: list[str] = []

_SVD = return_type("svd", ("U", "S", "V"))
_QR = return_type("qr", ("Q", "R"))
_WARNED: set[str] = set()


def _warn_once(key: str, message: str) -> None:
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, UserWarning, stacklevel=3)


def svd(input: Tensor, some: bool = True, compute_uv: bool = True, *, out: Any = None) -> Any:
    """A = U diag(S) V^T (V, where torch.linalg.svd returns Vh); ``some=False`` gives square
    U and V, ``compute_uv=False`` zero-filled ones.

    >>> torch.svd(torch.eye(2)).S
    tensor([1., 1.])
    """
    if input._data.ndim < 2:
        raise RuntimeError("linalg.svd: input should have at least 2 dimensions, but has "
                           f"{input._data.ndim} dimensions instead")
    check_matrix("linalg.svd", input, square=False)
    u, s, vh = linalg_svd(input, full_matrices=not some)
    if not compute_uv:
        m, n = input._data.shape[-2:]
        batch, dtype = input._data.shape[:-2], input._data.dtype
        u = Tensor._make(np.zeros(batch + (m, m), dtype))
        vh = Tensor._make(np.zeros(batch + (n, n), dtype))
    parts = (u, s, vh.transpose(-1, -2))
    if out is not None:
        parts = tuple(write_out(p, o, "svd") for p, o in zip(parts, out))
    return _SVD(parts)


def qr(input: Tensor, some: bool = True, *, out: Any = None) -> Any:
    """Deprecated torch.qr: :func:`torch.linalg.qr` with mode 'reduced' (``some``) or
    'complete'.

    >>> torch.linalg.qr(torch.eye(2)).Q.shape
    torch.Size([2, 2])
    """
    _warn_once("qr", "torch.qr is deprecated in favor of torch.linalg.qr and will be removed "
               "in a future PyTorch release.\nThe boolean parameter 'some' has been replaced "
               "with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced "
               "with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')")
    q, r = linalg_qr(input, "reduced" if some else "complete")
    parts = (q, r) if out is None else (write_out(q, out[0], "qr"), write_out(r, out[1], "qr"))
    return _QR(parts)


def cholesky(input: Tensor, upper: bool = False, *, out: Tensor | None = None) -> Tensor:
    """Deprecated torch.cholesky: the lower factor L (L^T when ``upper``).

    >>> torch.linalg.cholesky(torch.eye(2)).shape
    torch.Size([2, 2])
    """
    _warn_once("cholesky", "torch.cholesky is deprecated in favor of torch.linalg.cholesky and "
               "will be removed in a future PyTorch release.\nL = torch.cholesky(A)\nshould be "
               "replaced with\nL = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, "
               "upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\nThis "
               "transform will produce equivalent results for all valid (symmetric positive "
               "definite) inputs.")
    low = cholesky_lower("cholesky", input)
    return write_out(low.transpose(-1, -2) if upper else low, out, "cholesky")


def _lower(L: Tensor, upper: bool) -> Tensor:
    return L.transpose(-1, -2) if upper else L


def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False, *,
                   out: Tensor | None = None) -> Tensor:
    """X with A X = B given A's Cholesky factor (``input2``, lower unless ``upper``) and B
    (``input``); batch dims broadcast.

    >>> torch.cholesky_solve(torch.ones(2, 1), torch.eye(2) * 2)
    tensor([[0.2500],
            [0.2500]])
    """
    b, factor = input, input2
    if b._data.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {b._data.ndim} "
                           "dimensions instead")
    check_matrix("cholesky_solve", factor, floating=False)
    if b._data.dtype != factor._data.dtype:
        raise RuntimeError("Expected b and A to have the same dtype, but found b of type "
                           f"{_legacy_name(b.dtype)} and A of type {_legacy_name(factor.dtype)} "
                           "instead.")
    n = factor._data.shape[-1]
    if b._data.shape[-2] != n:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {n} "
                           f"by {n} but each b matrix is {b._data.shape[-2]} by "
                           f"{b._data.shape[-1]}")
    low = _lower(factor, upper)
    y = D.Solve.apply(low, b)
    return write_out(D.Solve.apply(low.transpose(-1, -2), y), out, "cholesky_solve")


def cholesky_inverse(input: Tensor, upper: bool = False, *,
                     out: Tensor | None = None) -> Tensor:
    """(L L^T)^{-1} from the Cholesky factor L (``input``; U^T U when ``upper``).

    >>> torch.cholesky_inverse(torch.eye(2) * 2)
    tensor([[0.2500, 0.0000],
            [0.0000, 0.2500]])
    """
    check_matrix("cholesky_inverse", input, floating=False)
    if input._data.dtype.kind != "f":
        raise NotImplementedError("\"cholesky_inverse_out_cpu\" not implemented for "
                                  f"'{_legacy_name(input.dtype)}'")
    low = _lower(input, upper)
    return write_out(D.Inv.apply(low @ low.transpose(-1, -2)), out, "cholesky_inverse")


def chain_matmul(*matrices: Tensor, out: Tensor | None = None) -> Tensor:
    """Deprecated: the product of 2-D matrices, :func:`torch.linalg.multi_dot`.

    >>> torch.chain_matmul(torch.ones(2, 3), torch.ones(3, 2))
    tensor([[3., 3.],
            [3., 3.]])
    """
    _warn_once("chain_matmul", "torch.chain_matmul is deprecated and will be removed in a "
               "future PyTorch release. Use torch.linalg.multi_dot instead, which accepts a "
               "list of two or more tensors rather than multiple parameters.")
    if len(matrices) == 1:
        return write_out(matrices[0].clone(), out, "chain_matmul")
    return multi_dot(list(matrices), out=out)
