"""Top-level aliases of nn.functional (``torch.conv2d``, ``torch.batch_norm``, ``torch.dropout``...)
against torch: aten's positional signatures, int reductions, values, gradients and errors."""

import subprocess
import sys

import numpy as np
import pytest

import numtorch
from tests.conftest import require_torch

torch = require_torch()

RNG = np.random.default_rng(0)


def _arr(*shape, positive=False):
    x = RNG.standard_normal(shape)
    return np.abs(x) + 0.5 if positive else x


def _pair(a):
    """The same float64 values as a numtorch and a torch leaf."""
    return (numtorch.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True))


def _same(ours, theirs, rtol=1e-6, atol=1e-7):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            _same(o, t, rtol, atol)
        return
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=atol)


IDX = np.array([[1, 0, 3], [2, 2, 0]])
# name -> (arrays, call(lib, *tensors)); float arrays become float64 leaves of both libraries
CASES = {
    "prelu": ([_arr(2, 3, 4), _arr(3)], lambda lib, x, w: lib.prelu(x, w)),
    "prelu_method": ([_arr(2, 3), _arr(1)], lambda lib, x, w: x.prelu(w)),
    "hardshrink": ([_arr(3, 4)], lambda lib, x: lib.hardshrink(x, 0.7)),
    "hardshrink_method": ([_arr(3, 4)], lambda lib, x: x.hardshrink()),
    "celu": ([_arr(3, 4)], lambda lib, x: lib.celu(x, 2.0)),
    "selu": ([_arr(3, 4)], lambda lib, x: lib.selu(x)),
    "rrelu_eval": ([_arr(3, 4)], lambda lib, x: lib.rrelu(x, 0.1, 0.3)),
    "threshold": ([_arr(3, 4)], lambda lib, x: lib.threshold(x, 0.1, -2.0)),
    "pixel_shuffle": ([_arr(2, 8, 3, 3)], lambda lib, x: lib.pixel_shuffle(x, 2)),
    "pixel_unshuffle": ([_arr(2, 2, 4, 6)], lambda lib, x: lib.pixel_unshuffle(x, 2)),
    "channel_shuffle": ([_arr(2, 6, 3)], lambda lib, x: lib.channel_shuffle(x, 3)),
    "native_channel_shuffle": ([_arr(2, 6, 3)],
                               lambda lib, x: lib.native_channel_shuffle(x.detach(), 2)),
    "layer_norm": ([_arr(2, 3, 4), _arr(4), _arr(4)],
                   lambda lib, x, w, b: lib.layer_norm(x, [4], w, b, 1e-3, False)),
    "group_norm": ([_arr(2, 6, 5), _arr(6), _arr(6)],
                   lambda lib, x, w, b: lib.group_norm(x, 3, w, b)),
    "batch_norm_train": ([_arr(4, 3, 5), _arr(3), _arr(3)],
                         lambda lib, x, w, b: lib.batch_norm(x, w, b, None, None, True, 0.1,
                                                             1e-5, False)),
    "batch_norm_eval": ([_arr(4, 3), _arr(3), _arr(3), _arr(3), _arr(3, positive=True)],
                        lambda lib, x, w, b, m, v: lib.batch_norm(
                            x, w, b, m.detach(), v.detach(), False, 0.1, 1e-5, True)),
    "instance_norm": ([_arr(2, 3, 5), _arr(3), _arr(3)],
                      lambda lib, x, w, b: lib.instance_norm(x, w, b, None, None, True, 0.1,
                                                             1e-5, False)),
    "rms_norm": ([_arr(2, 3, 4), _arr(4)], lambda lib, x, w: lib.rms_norm(x, [4], w, 1e-6)),
    "embedding": ([_arr(4, 3)], lambda lib, w: lib.embedding(w, lib.tensor(IDX))),
    "embedding_padding": ([_arr(4, 3)], lambda lib, w: lib.embedding(w, lib.tensor(IDX), 2)),
    "conv1d": ([_arr(2, 4, 9), _arr(6, 2, 3), _arr(6)],
               lambda lib, x, w, b: lib.conv1d(x, w, b, 2, 1, 1, 2)),
    "conv2d": ([_arr(2, 3, 6, 5), _arr(4, 3, 3, 2)],
               lambda lib, x, w: lib.conv2d(x, w, None, 1, "same", 2)),
    "conv3d": ([_arr(1, 2, 4, 5, 4), _arr(3, 2, 2, 2, 2)],
               lambda lib, x, w: lib.conv3d(x, w, padding=1)),
    "conv_transpose1d": ([_arr(2, 4, 5), _arr(4, 3, 3), _arr(3)],
                         lambda lib, x, w, b: lib.conv_transpose1d(x, w, b, 2, 1, 1, 1, 1)),
    "conv_transpose2d": ([_arr(1, 2, 3, 4), _arr(2, 3, 2, 2)],
                         lambda lib, x, w: lib.conv_transpose2d(x, w, stride=2)),
    "conv_transpose3d": ([_arr(1, 2, 3, 2, 2), _arr(2, 1, 2, 2, 2)],
                         lambda lib, x, w: lib.conv_transpose3d(x, w, dilation=2)),
    "max_pool1d": ([_arr(2, 3, 9)], lambda lib, x: lib.max_pool1d(x, 3)),
    "max_pool1d_args": ([_arr(2, 3, 9)], lambda lib, x: lib.max_pool1d(x, 3, 2, 1, 1, True)),
    "max_pool2d": ([_arr(2, 3, 6, 7)], lambda lib, x: lib.max_pool2d(x, 2, [], 1)),
    "max_pool3d": ([_arr(1, 2, 4, 4, 5)], lambda lib, x: lib.max_pool3d(x, 2, 1)),
    "max_pool1d_with_indices": ([_arr(2, 3, 9)],
                                lambda lib, x: lib.max_pool1d_with_indices(x, 2)),
    "avg_pool1d": ([_arr(2, 3, 9)], lambda lib, x: lib.avg_pool1d(x, 3, 2, 1, False, False)),
    "adaptive_avg_pool1d": ([_arr(2, 3, 9)], lambda lib, x: lib.adaptive_avg_pool1d(x, 4)),
    "adaptive_max_pool1d": ([_arr(2, 3, 9)], lambda lib, x: lib.adaptive_max_pool1d(x, 4)),
    "constant_pad_nd": ([_arr(2, 3)], lambda lib, x: lib.constant_pad_nd(x, [1, 2, 0, 1], 3)),
    "bilinear": ([_arr(4, 3), _arr(4, 2), _arr(5, 3, 2), _arr(5)],
                 lambda lib, a, b, w, c: lib.bilinear(a, b, w, c)),
    "cosine_similarity": ([_arr(4, 3), _arr(4, 3)],
                          lambda lib, a, b: lib.cosine_similarity(a, b, 0)),
    "pairwise_distance": ([_arr(4, 3), _arr(4, 3)],
                          lambda lib, a, b: lib.pairwise_distance(a, b, 3.0, 1e-6, True)),
    "pdist": ([_arr(5, 3)], lambda lib, x: lib.pdist(x, 1.5)),
    "bce_with_logits": ([_arr(4, 3), RNG.random((4, 3)), _arr(3, positive=True)],
                        lambda lib, x, t, pw: lib.binary_cross_entropy_with_logits(
                            x, t, None, pw.detach(), 2)),
    "kl_div": ([_arr(4, 3), _arr(4, 3)], lambda lib, x, t: lib.kl_div(x, t, log_target=True)),
    "kl_div_mean": ([_arr(4, 3), RNG.random((4, 3))], lambda lib, x, t: lib.kl_div(x, t, 1)),
    "kl_div_default": ([_arr(4, 3), RNG.random((4, 3))], lambda lib, x, t: lib.kl_div(x, t)),
    "margin_ranking_loss": ([_arr(5), _arr(5)],
                            lambda lib, a, b: lib.margin_ranking_loss(
                                a, b, lib.tensor([1.0, -1, 1, -1, 1], dtype=lib.float64), 0.2)),
    "margin_ranking_loss_mean": ([_arr(5), _arr(5)],
                                 lambda lib, a, b: lib.margin_ranking_loss(
                                     a, b, lib.tensor([1.0, -1, 1, -1, 1], dtype=lib.float64),
                                     0.2, 1)),
    "losses_default_to_none": ([_arr(4, 3), _arr(4, 3), _arr(4, 3)],
                               lambda lib, a, p, n: (lib.triplet_margin_loss(a, p, n),
                                                     lib.binary_cross_entropy_with_logits(
                                                         a, p.sigmoid()),
                                                     lib.hinge_embedding_loss(a, p.sign()))),
    "hinge_embedding_loss": ([_arr(5)],
                             lambda lib, x: lib.hinge_embedding_loss(
                                 x, lib.tensor([1.0, -1, 1, -1, 1], dtype=lib.float64), 0.5,
                                 2)),
    "cosine_embedding_loss": ([_arr(3, 4), _arr(3, 4)],
                              lambda lib, a, b: lib.cosine_embedding_loss(
                                  a, b, lib.tensor([1.0, -1, 1], dtype=lib.float64), 0.1, 0)),
    "poisson_nll_loss": ([_arr(4, 3), RNG.random((4, 3))],
                         lambda lib, x, t: lib.poisson_nll_loss(x, t, True, True, 1e-8, 1)),
    "triplet_margin_loss": ([_arr(4, 3), _arr(4, 3), _arr(4, 3)],
                            lambda lib, a, p, n: lib.triplet_margin_loss(a, p, n, 0.5, 1.0,
                                                                         1e-6, True, 2)),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_torch(name):
    arrays, call = CASES[name]
    pairs = [_pair(a) for a in arrays]
    ours = call(numtorch, *[p[0] for p in pairs])
    theirs = call(torch, *[p[1] for p in pairs])
    _same(ours, theirs)
    first = ours[0] if isinstance(ours, tuple) else ours
    first_t = theirs[0] if isinstance(theirs, tuple) else theirs
    if not first_t.requires_grad:
        return
    seed = np.random.default_rng(1).standard_normal(tuple(first_t.shape))
    first.backward(numtorch.tensor(seed))
    first_t.backward(torch.tensor(seed))
    for ours_leaf, torch_leaf in pairs:
        if torch_leaf.grad is None:
            assert ours_leaf.grad is None
        else:
            _same(ours_leaf.grad, torch_leaf.grad)


@pytest.mark.parametrize("name", ["dropout", "alpha_dropout", "feature_dropout",
                                  "feature_alpha_dropout"])
def test_dropout_draws_torch_masks(name):
    """The same seed draws the same mask as torch (the generators agree)."""
    x = RNG.standard_normal((3, 4, 5))
    for inplace in (False, True):
        fn = name + "_" if inplace else name
        numtorch.manual_seed(7)
        torch.manual_seed(7)
        a, b = numtorch.tensor(x), torch.tensor(x)
        ours, theirs = getattr(numtorch, fn)(a, 0.3, True), getattr(torch, fn)(b, 0.3, True)
        _same(ours, theirs)
        assert (ours is a) == inplace
        _same(getattr(numtorch, name)(a, 0.3, False), getattr(torch, name)(b, 0.3, False))


@pytest.mark.parametrize(("call", "exc"), [
    (lambda lib: lib.dropout(lib.ones(3), 1.5, True), RuntimeError),
    (lambda lib: lib.alpha_dropout(lib.ones(3), -0.1, True), RuntimeError),
    (lambda lib: lib.feature_dropout(lib.ones(3), 0.5, True), RuntimeError),
    (lambda lib: lib.dropout(lib.ones(3), 0.5), TypeError),
])
def test_errors_match_torch(call, exc):
    with pytest.raises(exc) as theirs:
        call(torch)
    with pytest.raises(exc) as ours:
        call(numtorch)
    if exc is RuntimeError:
        assert str(ours.value) == str(theirs.value)


def test_inplace_activations():
    x = RNG.standard_normal((3, 4))
    for name, args in [("celu_", (1.5,)), ("selu_", ()), ("threshold_", (0.0, 9.0)),
                       ("rrelu_", (0.2, 0.4))]:
        a, b = numtorch.tensor(x), torch.tensor(x)
        assert getattr(numtorch, name)(a, *args) is a
        getattr(torch, name)(b, *args)
        _same(a, b)


def test_keyword_names():
    x = numtorch.randn(2, 4, 6)
    w = numtorch.randn(3, 4, 3)
    assert numtorch.conv1d(input=x, weight=w, stride=2).shape == (2, 3, 2)
    assert numtorch.hardshrink(input=x, lambd=0.1).shape == x.shape
    assert numtorch.embedding(weight=w[0], indices=numtorch.tensor([0, 2])).shape == (2, 3)
    assert numtorch.dropout(input=x, p=0.1, train=False) is x


def test_import_keeps_nn_unloaded():
    code = ("import sys, numtorch\n"
            "assert callable(numtorch.conv2d)\n"
            "print('numtorch.nn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "False"
