"""``a + b * c`` rounded once, as torch's CPU kernels compute ``add(alpha=)`` and ``addcmul``."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__: list[str] = []

# NOTE [ Fused multiply-add in updates ]
# torch's vectorized CPU kernels for ``x.add_(y, alpha=a)`` and ``x.addcmul_(y, z, value=v)``
# compute ``x + a * y`` (``x + (v * y) * z``) with a fused multiply-add: the product is not
# rounded before the sum. NumPy rounds it, so every such update is off by up to an ulp, and
# over a trajectory of Adadelta or ASGD (whose steps feed back into the gradients) those ulps
# grow to ~5e-6 in float32. For float32 the fused form is exact in float64: the product of two
# float32 numbers has at most 48 significant bits, so float64 holds it exactly, and only the
# sum is rounded (to float64, then float32: a double rounding that differs from a single one
# only on rare ties). Float64 keeps NumPy's plain form: emulating a fused float64 operation
# needs error-free transformations (splitting every product) at several times the cost, for
# differences of ~1e-16 per step.


def _scalar(value: Any, dtype: np.dtype) -> Any:
    """A Python number rounded to ``dtype``, as torch casts ``alpha`` to the tensor's type."""
    return dtype.type(value) if isinstance(value, (int, float)) else value


def fma(a: np.ndarray, b: Any, c: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a + b * c`` with the product unrounded (float32; see the NOTE), into ``out`` if given.

    >>> fma(np.ones(2, np.float32), 0.1, np.full(2, 3.0, np.float32))
    array([1.3, 1.3], dtype=float32)
    """
    dtype = np.result_type(a, c)
    b = _scalar(b, dtype)
    if dtype != np.float32:
        result = np.asarray(a + b * c)  # an array even for 0-d operands
    else:
        result = np.asarray(np.multiply(b, c, dtype=np.float64))
        np.add(a, result, out=result)
        if out is None:
            return result.astype(np.float32)
    if out is None:
        return result
    np.copyto(out, result, casting="same_kind")
    return out


def addcmul(a: np.ndarray, value: float, b: np.ndarray, c: np.ndarray,
            out: np.ndarray | None = None) -> np.ndarray:
    """torch's ``a.addcmul(b, c, value=value)``: ``(value * b)`` rounded, then fused with ``c``.

    >>> addcmul(np.zeros(1, np.float32), 0.5, np.ones(1, np.float32), np.ones(1, np.float32))
    array([0.5], dtype=float32)
    """
    return fma(a, _scalar(value, b.dtype) * b, c, out=out)
