"""The extra nn layers and functionals against torch: construction (repr, parameters, buffers,
state_dict), forward and backward, signatures, rrelu's random slopes, instance norm's running
statistics (the errors for wrong inputs: test_nn_extra_errors.py)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from conftest import require_torch
from nn_compare import Index, compare_module, construct_both

import numtorch

LAYERS = [
    (lambda nn: nn.PReLU(), [((2, 3, 4),), ((5,),), ((),)]),
    (lambda nn: nn.PReLU(3, 0.1), [((2, 3, 4),), ((2, 3),)]),
    (lambda nn: nn.GLU(), [((2, 4),)]),
    (lambda nn: nn.GLU(1), [((2, 4, 3),)]),
    (lambda nn: nn.Hardswish(), [((4, 5),)]),
    (lambda nn: nn.Hardsigmoid(), [((4, 5),)]),
    (lambda nn: nn.Hardshrink(0.3), [((4, 5),)]),
    (lambda nn: nn.Softshrink(), [((4, 5),)]),
    (lambda nn: nn.Threshold(0.1, 20.0), [((4, 5),)]),
    (lambda nn: nn.Threshold(0.1, 2), [((4, 5),)]),
    (lambda nn: nn.Softmax2d(), [((2, 3, 4, 5),), ((3, 4, 5),)]),
    (lambda nn: nn.InstanceNorm1d(3), [((2, 3, 5),), ((3, 5),)]),
    (lambda nn: nn.InstanceNorm1d(3, affine=True, momentum=None), [((2, 3, 5),)]),
    (lambda nn: nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
     [((2, 3, 4, 5),), ((3, 4, 5),)]),
    (lambda nn: nn.InstanceNorm3d(3, eps=1e-3, affine=True, bias=False), [((2, 3, 2, 4, 5),)]),
    (lambda nn: nn.InstanceNorm3d(2, track_running_stats=True), [((2, 2, 2, 2, 3),)]),
    (lambda nn: nn.LocalResponseNorm(3), [((2, 5, 4),), ((2, 5, 4, 3),)]),
    (lambda nn: nn.LocalResponseNorm(2, alpha=0.5, beta=0.5, k=2.0), [((2, 5, 4, 3, 2),)]),
    (lambda nn: nn.PixelShuffle(2), [((2, 8, 3, 3),), ((4, 2, 3),)]),
    (lambda nn: nn.PixelUnshuffle(2), [((2, 2, 4, 6),)]),
    (lambda nn: nn.ChannelShuffle(2), [((2, 4, 3, 3),)]),
    (lambda nn: nn.CosineSimilarity(), [((2, 4, 3), (2, 4, 3))]),
    (lambda nn: nn.CosineSimilarity(dim=0, eps=1e-3), [((4, 3), (4, 1))]),
    (lambda nn: nn.PairwiseDistance(), [((2, 4), (2, 4))]),
    (lambda nn: nn.PairwiseDistance(1.0, eps=0.0, keepdim=True), [((2, 4), (2, 4))]),
    (lambda nn: nn.MarginRankingLoss(0.2), [((5,), (5,), (5,))]),
    (lambda nn: nn.MultiLabelSoftMarginLoss(reduction="sum"), [((3, 4), (3, 4))]),
    (lambda nn: nn.MultiMarginLoss(p=2, margin=0.5), [((3, 4), Index((3,), 4))]),
    (lambda nn: nn.PoissonNLLLoss(reduction="none"), [((3, 4), (3, 4))]),
    (lambda nn: nn.GaussianNLLLoss(full=True), [((3, 4), (3, 4), (3, 1))]),
    (lambda nn: nn.TripletMarginLoss(p=1.0, swap=True), [((2, 4), (2, 4), (2, 4))]),
    (lambda nn: nn.TripletMarginWithDistanceLoss(swap=True), [((2, 4), (2, 4), (2, 4))]),
]


def _positive_var(lib, module, *xs):
    """GaussianNLLLoss needs a positive variance (its third input)."""
    if len(xs) == 3 and type(module).__name__ == "GaussianNLLLoss":
        return module(xs[0], xs[1], xs[2].abs() + 0.1)
    return module(*xs)


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize(("make", "specs"), LAYERS, ids=[repr(m(numtorch.nn)).split("(")[0]
                                                          + str(i) for i, (m, _)
                                                          in enumerate(LAYERS)])
def test_layer_matches_torch(make, specs, train):
    torch = require_torch()
    compare_module(torch, make, specs, call=_positive_var, train=train)


SIGN_LOSSES = [
    (lambda nn: nn.CosineEmbeddingLoss(margin=0.3), 3, (3, 4)),
    (lambda nn: nn.HingeEmbeddingLoss(margin=0.5), 2, (3, 4)),
    (lambda nn: nn.SoftMarginLoss(), 2, (3, 4)),
]


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize(("make", "n", "shape"), SIGN_LOSSES)
def test_sign_target_losses(make, n, shape, reduction):
    """Losses with +-1 targets (one per row for CosineEmbeddingLoss)."""
    torch = require_torch()
    ours, theirs = construct_both(torch, lambda nn: make(nn))
    ours.reduction = theirs.reduction = reduction
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal(shape) for _ in range(n - 1)]
    target = np.where(rng.random(shape[:1] if n == 3 else shape) < 0.5, -1.0, 1.0)
    outs, grads = [], []
    for lib, module in ((numtorch, ours), (torch, theirs)):
        inputs = [lib.tensor(x, requires_grad=True) for x in xs]
        out = module(*inputs, lib.tensor(target))
        out.sum().backward()
        outs.append(out.detach().numpy())
        grads.append([t.grad.numpy() for t in inputs])
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12, atol=1e-12)
    for g_ours, g_theirs in zip(*grads):
        np.testing.assert_allclose(g_ours, g_theirs, rtol=1e-12, atol=1e-12)


# -- rrelu: torch's random slopes, draw for draw ---------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("lower", "upper"), [(1 / 8, 1 / 3), (0.1, 0.9), (0.2, 0.2)])
def test_rrelu_training_draws_torchs_slopes(dtype, lower, upper):
    torch = require_torch()
    x = np.random.default_rng(1).standard_normal((40, 7)).astype(dtype)
    x[0, :3] = [0.0, -0.0, np.nan]
    results = []
    for lib in (numtorch, torch):
        lib.manual_seed(5)
        t = lib.tensor(x, requires_grad=True)
        out = lib.nn.functional.rrelu(t, lower, upper, training=True)
        out.backward(lib.ones_like(out))
        results.append((out.detach().numpy(), t.grad.numpy(), lib.rand(3).numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


def test_rrelu_module_and_inplace_follow_the_generator():
    torch = require_torch()
    x = np.random.default_rng(2).standard_normal((6, 5)).astype("float32")
    outs = []
    for lib in (numtorch, torch):
        lib.manual_seed(0)
        module = lib.nn.RReLU(0.1, 0.3, inplace=True)
        t = lib.tensor(x)
        first = module(t)
        assert first is t
        module.eval()
        outs.append((first.numpy().copy(), module(lib.tensor(x)).numpy()))
    for ours, theirs in zip(*outs):
        np.testing.assert_array_equal(ours, theirs)


def test_rrelu_draws_only_for_non_positive_inputs():
    torch = require_torch()
    draws = []
    for lib in (numtorch, torch):
        lib.manual_seed(1)
        lib.nn.functional.rrelu(lib.ones(10), training=True)
        draws.append(lib.rand(4).numpy())
    np.testing.assert_array_equal(draws[0], draws[1])


# -- in-place variants ------------------------------------------------------------------------
def _inplace(F, name, t):  # noqa: N803 - the usual alias
    if name == "threshold_":
        return F.threshold_(t, 0.5, -1.0)
    if name == "rrelu_":
        return F.rrelu_(t, 0.1, 0.3)
    return getattr(F, name)(t, inplace=True)


@pytest.mark.parametrize("name", ["threshold_", "hardswish", "hardsigmoid", "rrelu_"])
def test_inplace_variants(name):
    torch = require_torch()
    x = np.random.default_rng(3).standard_normal((4, 5)) * 4
    outs = []
    for lib in (numtorch, torch):
        leaf = lib.tensor(x, requires_grad=True)
        t = leaf * 1
        out = _inplace(lib.nn.functional, name, t)
        assert out is t
        out.sum().backward()
        outs.append((out.detach().numpy(), leaf.grad.numpy()))
    for ours, theirs in zip(*outs):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_threshold_keeps_integer_dtype():
    torch = require_torch()
    ours = numtorch.nn.functional.threshold(numtorch.arange(5), 2, 9)
    theirs = torch.nn.functional.threshold(torch.arange(5), 2, 9)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.tolist() == theirs.tolist()


# -- instance norm's running statistics -------------------------------------------------------
@pytest.mark.parametrize("momentum", [0.1, None])
def test_instance_norm_running_stats_follow_torch(momentum):
    torch = require_torch()
    ours, theirs = construct_both(torch, lambda nn: nn.InstanceNorm1d(
        3, momentum=momentum, affine=True, track_running_stats=True).double())
    rng = np.random.default_rng(4)
    for _ in range(3):
        x = rng.standard_normal((4, 3, 6)) * 2 + 1
        ours(numtorch.tensor(x))
        theirs(torch.tensor(x))
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(),
                                   rtol=1e-12)
    ours.eval()
    theirs.eval()
    x = rng.standard_normal((2, 3, 6))
    np.testing.assert_allclose(ours(numtorch.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_instance_norm_feature_mismatch():
    torch = require_torch()
    for lib in (numtorch, torch):
        with pytest.warns(UserWarning, match="does not match num_features"):
            lib.nn.InstanceNorm1d(4)(lib.randn(2, 3, 5))


# -- signatures -------------------------------------------------------------------------------
FUNCTIONALS = ["prelu", "glu", "hardswish", "hardsigmoid", "hardshrink", "softshrink",
               "threshold", "threshold_", "rrelu", "rrelu_", "instance_norm",
               "local_response_norm", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle",
               "cosine_similarity", "pairwise_distance", "pdist", "cosine_embedding_loss",
               "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
               "multilabel_soft_margin_loss", "multi_margin_loss", "poisson_nll_loss",
               "gaussian_nll_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss"]
MODULES = ["PReLU", "GLU", "Hardswish", "Hardsigmoid", "Hardshrink", "Softshrink", "Threshold",
           "RReLU", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm",
           "PixelShuffle", "PixelUnshuffle", "ChannelShuffle", "CosineSimilarity",
           "PairwiseDistance", "CosineEmbeddingLoss", "MarginRankingLoss", "HingeEmbeddingLoss",
           "SoftMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss", "PoissonNLLLoss",
           "GaussianNLLLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss"]


def _parameters(fn):
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


def _torch_defaults(torch, name):
    """Parameters of a torch functional; the C-level ones from their docstring."""
    fn = getattr(torch.nn.functional, name)
    try:
        return _parameters(fn)
    except ValueError:
        return None


@pytest.mark.parametrize("name", FUNCTIONALS)
def test_functional_signature(name):
    torch = require_torch()
    theirs = _torch_defaults(torch, name)
    ours = _parameters(getattr(numtorch.nn.functional, name))
    if theirs is None:  # a builtin: compare the names in its docstring's first line
        line = getattr(torch.nn.functional, name).__doc__.strip().splitlines()[0]
        args = [a.strip().split("=") for a in line[line.index("(") + 1:line.index(")")]
                .split(",")]
        assert [n for n, _, _ in ours] == [a[0] for a in args]
        defaults = {a[0]: eval(a[1]) for a in args if len(a) == 2}  # "1./8", "1e-8", "2"
        assert {n: d for n, _, d in ours if n in defaults} == pytest.approx(defaults)
        return
    assert [(n, k) for n, k, _ in ours] == [(n, k) for n, k, _ in theirs]
    assert [d for _, _, d in ours] == pytest.approx([d for _, _, d in theirs])


@pytest.mark.parametrize("name", MODULES)
def test_module_signature(name):
    torch = require_torch()
    assert _parameters(getattr(numtorch.nn, name).__init__) == \
        _parameters(getattr(torch.nn, name).__init__)


def test_prelu_parameter_dtype_and_init():
    torch = require_torch()
    ours, theirs = numtorch.nn.PReLU(4, 0.3, dtype=numtorch.float64), torch.nn.PReLU(
        4, 0.3, dtype=torch.float64)
    assert str(ours.weight.dtype) == str(theirs.weight.dtype)
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())


def test_distance_loss_holds_its_distance():
    torch = require_torch()
    rng = np.random.default_rng(5)
    xs = [rng.standard_normal((3, 4)) for _ in range(3)]
    outs = []
    for lib in (numtorch, torch):
        F = lib.nn.functional
        loss = lib.nn.TripletMarginWithDistanceLoss(
            distance_function=lambda a, b, F=F: 1 - F.cosine_similarity(a, b), margin=0.5)
        assert list(loss.children()) == []
        outs.append(loss(*[lib.tensor(x) for x in xs]).item())
    assert outs[0] == pytest.approx(outs[1], rel=1e-12)


@pytest.mark.parametrize("legacy", [dict(size_average=False), dict(reduce=False)])
def test_legacy_reduction_arguments(legacy):
    torch = require_torch()
    x, t = np.random.default_rng(6).standard_normal((2, 3, 4))
    outs = []
    for lib in (numtorch, torch):
        with pytest.warns(UserWarning, match="size_average and reduce"):
            module = lib.nn.MultiLabelSoftMarginLoss(**legacy)
        with pytest.warns(UserWarning, match="size_average and reduce"):
            functional = lib.nn.functional.poisson_nll_loss(lib.tensor(x), lib.tensor(t),
                                                             **legacy)
        outs.append((module.reduction, module(lib.tensor(x), lib.tensor(t)).numpy(),
                     functional.numpy()))
    assert outs[0][0] == outs[1][0]
    for ours, theirs in zip(outs[0][1:], outs[1][1:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# -- shapes of the unreduced losses --------------------------------------------------------------
@pytest.mark.parametrize(("shape", "target"), [((3,), 1), ((3,), [1]), ((), 0), ((2, 3), [0, 2]),
                                               ((1, 3), 2), ((0, 3), [])])
def test_multi_margin_unreduced_shape(shape, target):
    torch = require_torch()
    rng = np.random.default_rng(7)
    x = rng.standard_normal(shape)
    outs = [lib.nn.functional.multi_margin_loss(lib.tensor(x), lib.tensor(
        target, dtype=lib.int64), reduction="none") for lib in (numtorch, torch)]
    assert tuple(outs[0].shape) == tuple(outs[1].shape)
    np.testing.assert_allclose(outs[0].numpy(), outs[1].numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["hardswish", "hardsigmoid", "hardshrink", "softshrink",
                                  "threshold", "rrelu", "glu", "prelu"])
def test_special_values_match_torch(name):
    """NaN, infinities, signed zeros and the branch points give torch's outputs."""
    torch = require_torch()
    x = np.array([np.nan, -np.inf, np.inf, 0.0, -0.0, 3.0, -3.0, 0.5, -0.5, 0.2], "float32")
    args = {"threshold": (0.5, 2.0), "prelu": None}.get(name, ())
    outs = []
    for lib in (numtorch, torch):
        F = lib.nn.functional
        t = lib.tensor(x)
        out = F.prelu(t, lib.tensor([0.25])) if args is None else getattr(F, name)(t, *args)
        outs.append(out.numpy())
    np.testing.assert_array_equal(outs[0], outs[1])
    np.testing.assert_array_equal(np.signbit(outs[0]), np.signbit(outs[1]))


@pytest.mark.parametrize("p", [0.0, 1.0, 2.0, float("inf")])
def test_pdist_ties_and_repeated_rows(p):
    """Integer rows: repeated rows (distance 0) and ties for the max coordinate; torch's pdist
    backward gives every tied coordinate the full gradient."""
    torch = require_torch()
    x = np.array([[1.0, 2.0, 0.0], [1.0, 2.0, 0.0], [3.0, 0.0, 2.0], [0.0, 4.0, 1.0]])
    g = np.arange(6.0) + 1
    outs = []
    for lib in (numtorch, torch):
        t = lib.tensor(x, requires_grad=True)
        out = lib.nn.functional.pdist(t, p)
        out.backward(lib.tensor(g))
        outs.append((out.detach().numpy(), t.grad.numpy()))
    for ours, theirs in zip(*outs):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
