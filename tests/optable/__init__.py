"""The op table: one entry per op, driving the differential, gradcheck and hypothesis layers.

An entry (``OpSpec``) says how to call the op on either library and which inputs to try.
``fn(lib, *tensors)`` is called with ``lib`` = numtorch or torch, so one lambda serves both
(``lambda lib, a, b: lib.add(a, b, alpha=2)``, ``lambda lib, a: a.sum(1, keepdim=True)``).
Family files (``pointwise.py``, ``reduction.py``...) each define ``OPS``; ``ALL_OPS`` joins
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FLOATS = ("float32", "float64")


@dataclass
class OpSpec:
    name: str
    fn: Callable[..., Any]
    # each item: the shapes of the inputs for one sample, e.g. ((3, 4), (4,))
    shapes: list[tuple[tuple[int, ...], ...]]
    dtypes: tuple[str, ...] = FLOATS
    # float inputs get requires_grad and gradients are compared (and gradchecked)
    grad: bool = True
    # input values: "normal", "positive" (away from 0), "unit" (in (-1, 1)), "nonzero",
    # or a callable (rng, shape, dtype_name, index) -> ndarray
    domain: Any = "normal"
    # inputs (by position) that are integer index tensors: callable (rng, shapes) -> ndarray
    index_inputs: dict[int, Callable[..., np.ndarray]] = field(default_factory=dict)
    # hypothesis: None, "unary" (one input of any shape) or "broadcast" (n mutually
    # broadcastable inputs)
    hypothesis: str | None = None
    n_inputs: int = 1
    rtol: float = 1e-5
    atol: float = 1e-6
    gradcheck: bool = True  # float64 finite-difference check (set False for non-smooth ops)
    gradgradcheck: bool = False  # second derivatives through create_graph=True

    def __repr__(self) -> str:
        return self.name


def make_array(rng: np.random.Generator, shape: tuple, dtype: str, domain: Any,
               index: int = 0) -> np.ndarray:
    """Sample input values of one input for ``domain``."""
    if callable(domain):
        return np.asarray(domain(rng, shape, dtype, index))
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)  # a 0-d array, not a NumPy scalar
    if dtype in ("int8", "int16", "int32", "int64", "uint8"):
        low = 1 if domain in ("positive", "nonzero") else (0 if dtype == "uint8" else -5)
        return rng.integers(low, 6, size=shape).astype(dtype)
    x = rng.standard_normal(shape)
    if domain == "positive":
        x = np.abs(x) + 0.5
    elif domain == "unit":
        x = np.tanh(x) * 0.9
    elif domain == "nonzero":
        x = np.where(np.abs(x) < 0.2, 0.5, x)
    return np.asarray(x).astype(dtype)


def _families() -> list:
    from . import (
        activation,
        conv,
        creation,
        indexing,
        linalg,
        linalg_ext,
        loss,
        math_extra,
        nn,
        nn_extra,
        pointwise,
        reduction,
        shape,
        special,
        utilities,
    )

    return [pointwise, activation, reduction, shape, indexing, linalg, loss, creation, nn, conv,
            utilities, math_extra, linalg_ext, nn_extra, special]


def all_ops() -> list[OpSpec]:
    ops = []
    for family in _families():
        ops.extend(family.OPS)
    return ops
