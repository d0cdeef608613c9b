"""Layer 3 of the op table: hypothesis over shapes (broadcastable for n-ary ops), vs torch."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes
from optable import all_ops
from optable.compare import check_against_torch, sample_inputs

HYP_OPS = [spec for spec in all_ops() if spec.hypothesis]
# derandomize: the same examples every run, so CI never flakes on a new draw
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("spec", HYP_OPS, ids=[s.name for s in HYP_OPS])
@SETTINGS
@given(data=st.data())
def test_random_shapes_match_torch(spec, data):
    torch = require_torch()
    if spec.hypothesis == "broadcast":
        shapes = data.draw(mutually_broadcastable_shapes(num_shapes=spec.n_inputs, max_dims=4,
                                                         max_side=4)).input_shapes
    else:
        shapes = (data.draw(array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)),)
    dtype = data.draw(st.sampled_from(spec.dtypes))
    seed = data.draw(st.integers(0, 2**16))
    check_against_torch(torch, spec, sample_inputs(spec, tuple(shapes), dtype, seed), seed)


def test_hypothesis_layer_is_not_empty():
    assert HYP_OPS, "no op opts into the hypothesis layer"
    assert np.isfinite(1.0)
