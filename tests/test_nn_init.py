"""nn.init against torch: gains, fans, the distributions each initializer draws from (bounds,
mean, spread), in-place semantics, errors, and the default initialisation of every layer."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch.nn import init


@pytest.mark.parametrize(("name", "param"), [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)])
def test_calculate_gain_matches_torch(name, param):
    torch = require_torch()
    assert init.calculate_gain(name, param) == torch.nn.init.calculate_gain(name, param)


@pytest.mark.parametrize("shape", [(5, 4), (5, 4, 3), (5, 4, 3, 2), (1, 7)])
def test_fans_match_torch(shape):
    torch = require_torch()
    ours = init._calculate_fan_in_and_fan_out(numtorch.empty(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


def _draw(lib, name, shape, **kwargs):
    lib.manual_seed(0)
    t = lib.empty(*shape)
    out = getattr(lib.nn.init, name)(t, **kwargs)
    assert out is t
    return t.numpy().ravel()


DISTRIBUTIONS = [
    ("uniform_", {"a": -0.5, "b": 2.0}), ("normal_", {"mean": 1.0, "std": 3.0}),
    ("trunc_normal_", {"mean": 0.5, "std": 2.0, "a": -1.0, "b": 3.0}), ("trunc_normal_", {}),
    ("xavier_uniform_", {"gain": 2.0}), ("xavier_normal_", {}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}), ("kaiming_uniform_", {"mode": "fan_out"}),
    ("kaiming_normal_", {"nonlinearity": "relu"}), ("orthogonal_", {"gain": 1.5}),
]


@pytest.mark.parametrize(("name", "kwargs"), DISTRIBUTIONS)
def test_distribution_matches_torch(name, kwargs):
    """Same support and moments as torch's draw (the exact numbers are compared in
    test_rng_torch_exact)."""
    torch = require_torch()
    shape = (300, 200)
    ours, theirs = _draw(numtorch, name, shape, **kwargs), _draw(torch, name, shape, **kwargs)
    spread = theirs.std()
    assert abs(ours.mean() - theirs.mean()) < 0.02 * spread + 1e-3
    assert abs(ours.std() - spread) < 0.02 * spread
    assert ours.min() >= theirs.min() - 0.05 * spread and ours.max() <= theirs.max() + 0.05 * spread


def test_orthogonal_is_orthogonal():
    q = init.orthogonal_(numtorch.empty(4, 6), gain=2.0).numpy()
    np.testing.assert_allclose(q @ q.T, 4 * np.eye(4), atol=1e-5)


def test_constant_fills_and_eye_dirac_sparse():
    torch = require_torch()
    for name, shape, args in (("ones_", (2, 3), ()), ("zeros_", (2, 3), ()),
                              ("constant_", (2, 3), (0.25,)), ("eye_", (3, 5), ()),
                              ("dirac_", (4, 2, 3), ()), ("dirac_", (4, 2, 3, 3), (2,))):
        ours = getattr(init, name)(numtorch.empty(*shape), *args).numpy()
        theirs = getattr(torch.nn.init, name)(torch.empty(*shape), *args).numpy()
        np.testing.assert_array_equal(ours, theirs, err_msg=name)
    s = init.sparse_(numtorch.empty(10, 4), 0.3).numpy()
    assert ((s == 0).sum(axis=0) >= 3).all() and np.abs(s).max() < 0.1


def test_init_works_in_place_on_parameters_without_recording():
    w = numtorch.nn.Parameter(numtorch.empty(3, 4))
    version = w._version
    out = init.kaiming_uniform_(w, a=math.sqrt(5))
    assert out is w and w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version > version


ERRORS = [
    lambda lib: lib.nn.init.calculate_gain("foo"),
    lambda lib: lib.nn.init.calculate_gain("leaky_relu", "x"),
    lambda lib: lib.nn.init.xavier_uniform_(lib.empty(3)),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(3, 4), mode="fan_avg"),
    lambda lib: lib.nn.init.eye_(lib.empty(3, 4, 5)),
    lambda lib: lib.nn.init.orthogonal_(lib.empty(3)),
    lambda lib: lib.nn.init.dirac_(lib.empty(3, 4)),
    lambda lib: lib.nn.init.sparse_(lib.empty(3), 0.1),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(case):
    torch = require_torch()
    with pytest.raises(ValueError) as theirs:
        ERRORS[case](torch)
    with pytest.raises(ValueError) as ours:
        ERRORS[case](numtorch)
    assert str(ours.value) == str(theirs.value)


def test_zero_element_kaiming_warns_like_torch():
    torch = require_torch()
    with pytest.warns(UserWarning) as theirs:
        torch.nn.init.kaiming_normal_(torch.empty(0, 4))
    with pytest.warns(UserWarning) as ours:
        init.kaiming_normal_(numtorch.empty(0, 4))
    assert str(ours[0].message) == str(theirs[0].message)


# -- default initialisation of the layers ---------------------------------------------------------
def _bound_of(values):
    return np.abs(values).max()


def _uniform_within(t, bound):
    v = t.detach().numpy().ravel()
    return _bound_of(v) <= bound and (v.size < 50 or _bound_of(v) > 0.8 * bound)


def test_default_layer_initialisation():
    nn = numtorch.nn
    numtorch.manual_seed(0)
    lin = nn.Linear(64, 32)
    assert _uniform_within(lin.weight, 1 / 8) and _uniform_within(lin.bias, 1 / 8)
    bil = nn.Bilinear(16, 4, 8)
    assert _uniform_within(bil.weight, 1 / 4) and _uniform_within(bil.bias, 1 / 4)
    emb = nn.Embedding(1000, 16)
    w = emb.weight.detach().numpy()
    assert abs(w.mean()) < 0.05 and abs(w.std() - 1) < 0.05  # N(0, 1)
    for norm in (nn.LayerNorm(5), nn.GroupNorm(1, 5), nn.BatchNorm1d(5), nn.RMSNorm(5)):
        assert (norm.weight.detach().numpy() == 1).all()
        if getattr(norm, "bias", None) is not None:
            assert (norm.bias.detach().numpy() == 0).all()
    gru = nn.GRU(8, 100)
    assert all(_uniform_within(p, 0.1) for p in gru.parameters())
    cell = nn.LSTMCell(8, 25)
    assert all(_uniform_within(p, 0.2) for p in cell.parameters())


def test_module_reset_parameters_redraws():
    layer = numtorch.nn.LSTM(3, 4)
    before = [p.detach().numpy().copy() for p in layer.parameters()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer.reset_parameters()
    assert all(not np.array_equal(a, p.detach().numpy())
               for a, p in zip(before, layer.parameters()))
