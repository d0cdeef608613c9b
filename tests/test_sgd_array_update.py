"""SGD's in-place array update (``_update_arrays``) against its tensor-op form (``_update``):
the same values bit for bit, and the same version bumps, for every option."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import numtorch
from numtorch.optim import sgd

OPTIONS = [dict(momentum=m, dampening=d, weight_decay=w, nesterov=n, maximize=x)
           for m, d, w, n, x in itertools.product((0, 0.9), (0, 0.1), (0, 0.01), (False, True),
                                                  (False, True))
           if not (n and (m == 0 or d != 0))]


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("shape", [(), (3,), (4, 5), (257, 300)])  # the last one in chunks
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_array_update_matches_tensor_update(options, shape, dtype):
    rng = np.random.default_rng(0)
    start = np.asarray(rng.standard_normal(shape)).astype(dtype)
    grads = [np.asarray(rng.standard_normal(shape)).astype(dtype) for _ in range(3)]
    results = []
    for update in (sgd._update, sgd._update_arrays):
        p = numtorch.from_numpy(start.copy()).requires_grad_(True)
        state: dict = {}
        with numtorch.no_grad():
            for g in grads:
                update(p, numtorch.from_numpy(g.copy()), state, lr=0.1, **options)
        buf = state.get("momentum_buffer")
        results.append((p.detach().numpy().copy(), p._version,
                        None if buf is None else (buf._data.copy(), buf._version)))
    (p1, v1, b1), (p2, v2, b2) = results
    np.testing.assert_array_equal(p1, p2, strict=True)
    assert v1 == v2
    assert (b1 is None) == (b2 is None)
    if b1 is not None:
        np.testing.assert_array_equal(b1[0], b2[0], strict=True)
        assert b1[1] == b2[1]
