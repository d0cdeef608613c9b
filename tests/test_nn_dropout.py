"""Dropout: these check what must hold for any mask (the masks themselves are compared with
torch's in test_rng_torch_exact): the drop rate, kept values scaled by 1 / (1 - p), whole
channels for the channel-wise variants, identity outside training, and torch's graph, errors
and warnings."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch

import numtorch
import numtorch.nn.functional as F


def _ones(*shape):
    return numtorch.ones(*shape, requires_grad=True)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_drop_rate_and_scaling(p):
    numtorch.manual_seed(0)
    x = _ones(200, 100)
    out = F.dropout(x, p).detach().numpy()
    kept = out != 0
    assert abs(1 - kept.mean() - p) < 0.02  # 20,000 draws: the rate is within 2%
    np.testing.assert_allclose(out[kept], 1 / (1 - p), rtol=1e-6)
    assert abs(out.mean() - 1) < 0.05  # the expectation is unchanged


def test_gradient_is_the_mask_and_grad_fn_is_mul():
    numtorch.manual_seed(1)
    x = numtorch.randn(50, 20, requires_grad=True)
    out = F.dropout(x, 0.3)
    assert out.grad_fn.name() == "MulBackward0"
    out.backward(numtorch.ones_like(out))
    mask = out.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), mask / 0.7, rtol=1e-6)
    np.testing.assert_allclose(out.detach().numpy(), x.detach().numpy() * mask / 0.7, rtol=1e-6)


def test_identity_outside_training_and_for_p0():
    x = _ones(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert F.alpha_dropout(x, 0.5) is x  # alpha_dropout's training defaults to False
    layer = numtorch.nn.Dropout(0.5).eval()
    assert layer(x) is x
    image = _ones(2, 3, 4, 4)
    assert numtorch.nn.Dropout2d(0.5).eval()(image) is image


def test_p1_zeroes_everything_in_the_graph():
    x = _ones(3, 4)
    out = F.dropout(x, 1.0)
    assert out.grad_fn.name() == "MulBackward0" and not out.detach().numpy().any()
    assert not F.alpha_dropout(x, 1.0, True).detach().numpy().any()


def test_seeded_masks_are_reproducible():
    masks = []
    for _ in range(2):
        numtorch.manual_seed(7)
        masks.append(F.dropout(numtorch.ones(10, 10), 0.5).numpy())
    np.testing.assert_array_equal(*masks)


@pytest.mark.parametrize(("fn", "shape", "spatial"), [
    (F.dropout1d, (8, 16, 5), (2,)), (F.dropout1d, (16, 5), (1,)),
    (F.dropout2d, (8, 16, 3, 4), (2, 3)), (F.dropout3d, (4, 16, 2, 3, 2), (2, 3, 4)),
    (F.dropout3d, (16, 2, 3, 2), (1, 2, 3)),
])
def test_channel_dropout_drops_whole_channels(fn, shape, spatial):
    numtorch.manual_seed(2)
    out = fn(numtorch.ones(*shape), 0.5).numpy()
    assert out.shape == shape
    per_channel = out.max(axis=spatial)
    np.testing.assert_array_equal(out.min(axis=spatial), per_channel)  # constant per channel
    assert set(np.unique(per_channel)) <= {0.0, 2.0} and 0 < per_channel.mean() < 2


def test_alpha_dropout_keeps_mean_and_variance():
    numtorch.manual_seed(3)
    x = numtorch.randn(400, 250)
    out = F.alpha_dropout(x, 0.2, training=True).numpy()
    assert abs(out.mean()) < 0.02 and abs(out.var() - 1) < 0.03
    assert F.alpha_dropout(x.requires_grad_(), 0.2, True).grad_fn.name() == "AddBackward0"
    # dropped units all take one value: a * alpha' + b
    values, counts = np.unique(np.round(out, 5), return_counts=True)
    assert counts.max() > 0.15 * out.size


def test_inplace_dropout_writes_into_the_input():
    numtorch.manual_seed(4)
    x = numtorch.ones(6, 6)
    out = F.dropout(x, 0.5, inplace=True)
    assert out is x and set(np.unique(x.numpy())) <= {0.0, 2.0}


def test_dropout_modules_in_training():
    numtorch.manual_seed(5)
    x = numtorch.ones(8, 4, 3, 3)
    for layer in (numtorch.nn.Dropout(0.25), numtorch.nn.Dropout2d(0.25),
                  numtorch.nn.AlphaDropout(0.25), numtorch.nn.FeatureAlphaDropout(0.25)):
        out = layer(x)
        assert out.shape == x.shape and not np.array_equal(out.numpy(), x.numpy())


ERRORS = [
    (lambda lib: lib.nn.functional.dropout(lib.ones(3), 1.5), ValueError),
    (lambda lib: lib.nn.functional.dropout(lib.ones(3), -0.1), ValueError),
    (lambda lib: lib.nn.functional.alpha_dropout(lib.ones(3), 1.5), ValueError),
    (lambda lib: lib.nn.functional.dropout1d(lib.ones(3), 0.5), RuntimeError),
    (lambda lib: lib.nn.Dropout(2.0), ValueError),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(case):
    torch = require_torch()
    call, exc = ERRORS[case]
    with pytest.raises(exc) as theirs:
        call(torch)
    with pytest.raises(exc) as ours:
        call(numtorch)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(("name", "shape"), [("dropout2d", (2, 3)), ("dropout2d", (2, 3, 4)),
                                             ("dropout3d", (2, 3, 4))])
def test_warnings_match_torch(name, shape):
    torch = require_torch()
    with pytest.warns(UserWarning) as theirs:
        getattr(torch.nn.functional, name)(torch.ones(shape))
    with pytest.warns(UserWarning) as ours:
        out = getattr(F, name)(numtorch.ones(shape))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert out.shape == shape


def test_sdpa_dropout_scales_the_attention_weights():
    numtorch.manual_seed(6)
    q = numtorch.zeros(1, 4, 2)  # equal scores: every weight 1/8
    v = numtorch.eye(8)
    out = F.scaled_dot_product_attention(q, numtorch.zeros(1, 8, 2), v, dropout_p=0.5).numpy()
    assert set(np.round(np.unique(out), 6)) <= {0.0, 0.25}
