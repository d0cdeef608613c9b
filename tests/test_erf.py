"""erf and exact GELU against torch on many points: both of Cody's ranges and the seam
between them, the tails, signed zeros, +-inf and NaN, float32/float64/float16, and their
gradients (NOTE [ Vectorized erf ] in ``_primitives/_erf.py``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch._primitives._erf import erf as erf_kernel

_SEAM = 0.46875  # where Cody's first range ends


def _points(dtype: str = "float64") -> np.ndarray:
    """Float64 points, cast to ``dtype`` (1e300 becomes inf in float32: that is fine)."""
    rng = np.random.default_rng(0)
    special = [0.0, -0.0, _SEAM, -_SEAM, np.nextafter(_SEAM, 1), np.nextafter(-_SEAM, -1),
               4.0, np.nextafter(4.0, 5), 5.9, 5.93, 6.0, 6.5, 26.5, 27.5, 1e10, 1e300,
               5e-324, -5e-324, 1e-300, np.inf, -np.inf, np.nan]
    points = np.concatenate([
        special, rng.standard_normal(20000) * 2, rng.uniform(-8, 8, 20000),
        rng.uniform(-0.6, 0.6, 5000), np.linspace(-7, 7, 14001),
        np.sign(rng.standard_normal(4000)) * 10.0 ** rng.uniform(-300, 2, 4000)])
    with np.errstate(over="ignore"):
        return points.astype(dtype)


def _ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    return np.where(same, 0.0, np.abs(got - want)) / np.spacing(np.where(same, 1, want))


def test_kernel_is_within_a_few_ulps_of_math_erf():
    x = _points()
    want = np.array([math.erf(v) for v in x])
    got = erf_kernel(x)
    assert got.dtype == np.float64 and got.shape == x.shape
    assert np.array_equal(np.isnan(got), np.isnan(x))
    assert _ulps(got, want).max() <= 4  # Cody's rational forms, evaluated in float64


def test_kernel_keeps_the_sign_of_zero_shapes_and_0d():
    out = erf_kernel(np.array([-0.0, 0.0]))
    assert list(np.signbit(out)) == [True, False]
    zero_d = erf_kernel(np.array(-np.inf))
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == () and zero_d == -1.0
    assert erf_kernel(np.zeros((2, 0, 3))).shape == (2, 0, 3)
    big = np.random.default_rng(1).standard_normal((3, 40000))  # several blocks, one seam
    assert np.array_equal(erf_kernel(big), erf_kernel(big.reshape(-1)).reshape(3, 40000))
    assert np.array_equal(erf_kernel(big.T), erf_kernel(big).T)  # non-contiguous input


def test_float32_is_the_correctly_rounded_value():
    x = _points("float32")
    want = np.array([math.erf(v) for v in x.astype(np.float64)]).astype(np.float32)
    got = numtorch.erf(numtorch.tensor(x)).numpy()
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_erf_matches_torch(dtype):
    torch = require_torch()
    x = _points(dtype)
    got = numtorch.erf(numtorch.tensor(x)).numpy()
    want = torch.erf(torch.tensor(x)).numpy()
    assert got.dtype == want.dtype
    assert list(np.signbit(got[:2])) == [False, True]
    if dtype == "float16":  # torch's half erf is ~2.5e-7 off near 0 (1.01e-6 for 8.94e-7)
        np.testing.assert_allclose(got, want, rtol=2.0**-10, atol=3e-7)
    else:  # torch's is within 1 ulp of the true value, ours too in float32, 4 in float64
        assert _ulps(got, want).max() <= (1 if dtype == "float32" else 4)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erf_gradient_matches_torch(dtype):
    torch = require_torch()
    x = np.concatenate([_points(dtype), np.linspace(-5, 5, 1001, dtype=dtype)])
    upstream = np.random.default_rng(2).standard_normal(x.shape).astype(dtype)
    grads = []
    for lib in (numtorch, torch):
        t = lib.tensor(x, requires_grad=True)
        t.erf().backward(lib.tensor(upstream))
        grads.append(t.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6 if dtype == "float32" else 1e-14,
                               atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_exact_gelu_and_its_gradients_match_torch(dtype):
    torch = require_torch()
    x = np.concatenate([_points(dtype), np.linspace(-10, 10, 2001, dtype=dtype)])
    finite = np.isfinite(x) & (np.abs(x) < 1e30)  # x * 0.5 * (1 + erf) overflows alike
    x = x[finite]
    upstream = np.random.default_rng(3).standard_normal(x.shape).astype(dtype)
    outs, grads, second = [], [], []
    for lib in (numtorch, torch):
        t = lib.tensor(x, requires_grad=True)
        y = lib.nn.functional.gelu(t)
        (g,) = lib.autograd.grad(y, t, lib.tensor(upstream), create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), t)
        outs.append(y.detach().numpy())
        grads.append(g.detach().numpy())
        second.append(gg.numpy())
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-12, "atol": 1e-15}
    for ours, theirs in zip((outs[0], grads[0], second[0]), (outs[1], grads[1], second[1])):
        np.testing.assert_allclose(ours, theirs, **tol)
