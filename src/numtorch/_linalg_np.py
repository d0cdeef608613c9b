"""NumPy-side helpers for initialisers that need a matrix factorisation."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._random import _gen


def orthogonal_matrix(rows: int, cols: int, generator: Any = None) -> np.ndarray:
    """A rows x cols matrix with orthonormal rows or columns (QR of a normal sample)."""
    flat = _gen(generator).standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    return q.T if rows < cols else q
