"""Layer 1 of the op table: every op against real torch (values, dtype, gradients)."""

from __future__ import annotations

import pytest
from conftest import require_torch
from optable import all_ops
from optable.compare import check_against_torch, sample_inputs

CASES = [(spec, shapes, dtype) for spec in all_ops() for shapes in spec.shapes
         for dtype in spec.dtypes]


@pytest.mark.parametrize(("spec", "shapes", "dtype"), CASES,
                         ids=[f"{s.name}-{sh}-{d}" for s, sh, d in CASES])
def test_matches_torch(spec, shapes, dtype):
    torch = require_torch()
    check_against_torch(torch, spec, sample_inputs(spec, shapes, dtype))


def test_non_contiguous_inputs_match_torch():
    torch = require_torch()
    import numpy as np

    import numtorch

    base = np.random.default_rng(3).standard_normal((4, 5)).astype("float32")
    ours = numtorch.from_numpy(base.copy()).t()
    theirs = torch.from_numpy(base.copy()).t()
    assert not ours.is_contiguous()
    np.testing.assert_allclose((ours.exp() * 2).numpy(), (theirs.exp() * 2).numpy(), rtol=1e-6)
