"""torch.linalg: norms, inverses, solvers and factorizations of batches of matrices.

Loaded on first use (``numtorch.linalg`` or ``import torch.linalg`` under ``numtorch run``);
see NOTE [ Lazy submodules ] in numtorch/__init__.py. The functions live in
``_composites/linalg_ext.py`` (matrix functions, factorizations), ``linalg_norms.py``,
``linalg_products.py`` and ``linalg_more.py``.
"""

from __future__ import annotations

from ._composites.linalg import matmul
from ._composites.linalg_ext import (
    LinAlgError,
    cholesky,
    det,
    eigh,
    eigvalsh,
    inv,
    matrix_power,
    qr,
    solve,
    svd,
    svdvals,
)
from ._composites.linalg_ext import linalg_slogdet as slogdet
from ._composites.linalg_more import (
    cholesky_ex,
    cond,
    diagonal,
    inv_ex,
    solve_ex,
    solve_triangular,
    vander,
)
from ._composites.linalg_norms import matrix_norm, matrix_rank, norm, pinv, vector_norm
from ._composites.linalg_products import linalg_cross as cross
from ._composites.linalg_products import multi_dot, vecdot

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cond", "cross", "det", "diagonal", "eigh",
           "eigvalsh", "inv", "inv_ex", "matmul", "matrix_norm", "matrix_power", "matrix_rank",
           "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "solve_ex", "solve_triangular",
           "svd", "svdvals", "vander", "vecdot", "vector_norm"]
