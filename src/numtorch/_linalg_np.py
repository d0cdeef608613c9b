"""NumPy-side helpers for initialisers that need a matrix factorisation."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._random import engine_of
from ._random_distributions import normal


def orthogonal_matrix(rows: int, cols: int, generator: Any = None,
                      dtype: Any = np.float64) -> np.ndarray:
    """A rows x cols matrix with orthonormal rows or columns (QR of a normal sample).

    The sample is torch's: ``normal_(0, 1)`` of a new (rows, cols) tensor of ``dtype``."""
    engine = engine_of(generator, "orthogonal_")
    flat = normal(engine, rows * cols, np.dtype(dtype)).reshape(rows, cols)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    return q.T if rows < cols else q
