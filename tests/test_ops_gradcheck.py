"""Layer 2 of the op table: float64 finite-difference gradcheck (and gradgradcheck)."""

from __future__ import annotations

import pytest
from optable import all_ops
from optable.compare import sample_inputs

import numtorch

GRAD_OPS = [spec for spec in all_ops() if spec.grad and spec.gradcheck and
            "float64" in spec.dtypes + ("float64",)]


def _inputs(spec, shapes):
    arrays = sample_inputs(spec, shapes, "float64", seed=7)
    out = []
    for i, a in enumerate(arrays):
        t = numtorch.from_numpy(a)
        if i not in spec.index_inputs and a.dtype.kind == "f":
            t.requires_grad_(True)
        out.append(t)
    return out


def _small(shapes):
    return all(1 <= (int(__import__("math").prod(s)) if s else 1) <= 24 for s in shapes)


def _pick_shapes(spec):
    small = [s for s in spec.shapes if _small(s)]
    return small[0] if small else spec.shapes[0]


@pytest.mark.parametrize("spec", GRAD_OPS, ids=[s.name for s in GRAD_OPS])
def test_gradcheck(spec):
    inputs = _inputs(spec, _pick_shapes(spec))
    assert numtorch.autograd.gradcheck(lambda *xs: spec.fn(numtorch, *xs), inputs)


GRADGRAD_OPS = [spec for spec in GRAD_OPS if spec.gradgradcheck]


@pytest.mark.parametrize("spec", GRADGRAD_OPS, ids=[s.name for s in GRADGRAD_OPS])
def test_gradgradcheck(spec):
    inputs = _inputs(spec, _pick_shapes(spec))
    assert numtorch.autograd.gradgradcheck(lambda *xs: spec.fn(numtorch, *xs), inputs)
