"""Adam's update in cache-sized slices (``adam_chunked``) against the whole-array formula
(``adam``): the same parameter and moments bit for bit, for every option, on parameters
smaller and larger than one slice (NOTE [ Updates in cache-sized chunks ] in optimizer.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from numtorch.optim import adam as adam_module
from numtorch.optim import optimizer

OPTIONS = [dict(amsgrad=a, weight_decay=w, decoupled=d, maximize=m, betas=b)
           for a, w, d, m, b in itertools.product((False, True), (0, 0.1), (False, True),
                                                  (False, True), ((0.9, 0.999), (0.3, 0.6)))
           if not (d and w == 0)]
# (), a vector, one slice exactly, several slices with a short last one, a transposed matrix
SHAPES = [(), (7,), (optimizer._CHUNK,), (3, optimizer._CHUNK // 2 + 5), "transposed"]


def _array(rng, shape, dtype):
    if shape == "transposed":  # not C-contiguous: updated as a whole
        return np.asarray(rng.standard_normal((300, 200))).astype(dtype).T
    return np.asarray(rng.standard_normal(shape)).astype(dtype)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_chunked_adam_matches_the_whole_array_formula(options, shape, dtype):
    rng = np.random.default_rng(0)
    start = _array(rng, shape, dtype)
    grads = [_array(rng, shape, dtype) for _ in range(3)]
    beta1, beta2 = options["betas"]
    results = []
    for update in (adam_module.adam, adam_module.adam_chunked):
        param = start.copy(order="K")
        moments = [np.zeros_like(param) for _ in range(3 if options["amsgrad"] else 2)]
        for step, grad in enumerate(grads, 1):
            update(param, grad, *moments[:2], moments[2] if options["amsgrad"] else None,
                   float(step), lr=0.01, beta1=beta1, beta2=beta2, eps=1e-8,
                   weight_decay=options["weight_decay"], maximize=options["maximize"],
                   decoupled=options["decoupled"])
        results.append([param] + moments)
    for ours, reference in zip(results[1], results[0]):
        np.testing.assert_array_equal(ours, reference, strict=True)


def test_the_gradient_is_only_read():
    rng = np.random.default_rng(1)
    param, grad = (np.asarray(rng.standard_normal(3 * optimizer._CHUNK), np.float32)
                   for _ in range(2))
    before = grad.copy()
    adam_module.adam_chunked(param, grad, np.zeros_like(param), np.zeros_like(param), None, 1.0,
                             lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1,
                             maximize=True, decoupled=False)
    np.testing.assert_array_equal(grad, before, strict=True)


def test_tensor_hyper_parameters_take_the_whole_array_formula(monkeypatch):
    import numtorch

    calls = []
    monkeypatch.setattr(adam_module, "adam_chunked", lambda *a, **k: calls.append("chunked"))
    w = numtorch.ones(3, requires_grad=True)
    w.grad = numtorch.ones(3)
    numtorch.optim.Adam([w], lr=numtorch.tensor(0.1)).step()
    assert calls == [] and w.tolist() != [1.0, 1.0, 1.0]
    numtorch.optim.Adam([w], lr=0.1).step()
    assert calls == ["chunked"]


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("shape", [(64, 600), (7,)], ids=str)
def test_subnormal_moments_take_float64_and_keep_every_bit(amsgrad, shape):
    """Rows of dead units: no gradient, moments decaying through float32's subnormal range
    (NOTE [ Subnormal moments ]); the float64 products give the float32 results."""
    rng = np.random.default_rng(2)
    start = rng.standard_normal(shape).astype(np.float32)
    tiny = np.finfo(np.float32).tiny
    results = []
    for update in (adam_module.adam, adam_module.adam_chunked):
        param = start.copy()
        exp_avg = (rng.standard_normal(shape) * tiny * 40).astype(np.float32)
        exp_avg_sq = (np.abs(rng.standard_normal(shape)) * tiny * 3).astype(np.float32)
        max_sq = exp_avg_sq.copy() if amsgrad else None
        moments = (exp_avg, exp_avg_sq, max_sq)
        rng = np.random.default_rng(3)
        for step in range(1, 40):
            grad = (rng.standard_normal(shape) * 1e-3).astype(np.float32)
            grad[::2] = 0  # dead rows (or entries): their moments only decay
            update(param, grad, *moments, float(step), lr=0.01, beta1=0.9, beta2=0.5,
                   eps=1e-30, weight_decay=0, maximize=False, decoupled=False)
        results.append((param,) + moments)
        rng = np.random.default_rng(2)
        rng.standard_normal(shape)
    assert optimizer._precision(results[0][1]) is optimizer._WIDE  # subnormals were there
    for ours, reference in zip(results[1], results[0]):
        if reference is not None:
            np.testing.assert_array_equal(ours, reference, strict=True)


def test_subnormals_are_found_by_their_bits():
    tiny = np.finfo(np.float32).tiny
    for values, wide in [([0.0, -0.0, 1.0, tiny], False), ([0.0, tiny / 2], True),
                         ([-tiny / 2**20], True), ([np.inf, np.nan, -tiny], False)]:
        a = np.array(values * optimizer._SAMPLE_STRIDE, np.float32)
        assert (optimizer._precision(a) is optimizer._WIDE) == wide, values
    assert optimizer._precision(np.full(4, tiny / 2, np.float64)) is optimizer._NARROW
