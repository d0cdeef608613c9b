"""Losses against torch: every loss module for every reduction and option (values and
gradients through torch's weights), the functional losses' grad_fn names, and torch's
errors and warnings word for word."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import require_torch
from nn_compare import Index, compare_module

import numtorch
import numtorch.nn.functional as F

REDUCTIONS = ("none", "mean", "sum")


def _lib(nn):
    return numtorch if nn is numtorch.nn else __import__("torch")


def _class_weight(nn, n=5):
    return _lib(nn).linspace(0.5, 2.0, n)


def _probs(lib, m, x, t):
    return m(x.sigmoid(), t.sigmoid())


def _regression(lib, m, x, t):
    return m(x, t)


def _log_probs(lib, m, x, t):
    return m(x.log_softmax(-1), t.softmax(-1))


def _log_probs_both(lib, m, x, t):
    return m(x.log_softmax(-1), t.log_softmax(-1))


def _nll(lib, m, x, t):
    return m(x.log_softmax(min(1, x.dim() - 1)), t)


def _probability_target(lib, m, x, t):
    return m(x, t.softmax(1))


def _quiet(call):
    def quiet(lib, m, *xs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return call(lib, m, *xs)

    return quiet


PAIR = [((3, 5), (3, 5)), ((2, 3, 4), (2, 3, 4)), ((), ())]
CLASSES = [((4, 5), Index((4,), 5)), ((2, 5, 3), Index((2, 3), 5)), ((5,), Index((), 5)),
           ((2, 5, 2, 3), Index((2, 2, 3), 5))]


def _cases(r):
    return {
        f"L1Loss_{r}": (lambda nn: nn.L1Loss(reduction=r), PAIR, _regression),
        f"MSELoss_{r}": (lambda nn: nn.MSELoss(reduction=r), PAIR, _regression),
        f"SmoothL1Loss_{r}": (lambda nn: nn.SmoothL1Loss(reduction=r, beta=0.5), PAIR,
                              _regression),
        f"SmoothL1Loss_beta0_{r}": (lambda nn: nn.SmoothL1Loss(reduction=r, beta=0.0), PAIR,
                                    _regression),
        f"HuberLoss_{r}": (lambda nn: nn.HuberLoss(reduction=r, delta=0.7), PAIR, _regression),
        f"BCELoss_{r}": (lambda nn: nn.BCELoss(reduction=r), PAIR, _probs),
        f"BCELoss_weight_{r}": (lambda nn: nn.BCELoss(weight=_lib(nn).tensor(0.3),
                                                      reduction=r), PAIR, _probs),
        f"BCEWithLogitsLoss_{r}": (lambda nn: nn.BCEWithLogitsLoss(
            pos_weight=_class_weight(nn), reduction=r), PAIR[:1], _regression),
        f"CrossEntropyLoss_{r}": (lambda nn: nn.CrossEntropyLoss(reduction=r), CLASSES,
                                  _regression),
        f"CrossEntropyLoss_options_{r}": (lambda nn: nn.CrossEntropyLoss(
            weight=_class_weight(nn), ignore_index=3, label_smoothing=0.15, reduction=r),
            CLASSES, _regression),
        f"CrossEntropyLoss_probabilities_{r}": (lambda nn: nn.CrossEntropyLoss(
            weight=_class_weight(nn), label_smoothing=0.1, reduction=r),
            [((4, 5), (4, 5)), ((2, 5, 3), (2, 5, 3))], _probability_target),
        f"NLLLoss_{r}": (lambda nn: nn.NLLLoss(reduction=r), CLASSES, _nll),
        f"NLLLoss_options_{r}": (lambda nn: nn.NLLLoss(weight=_class_weight(nn),
                                                       ignore_index=1, reduction=r),
                                 CLASSES, _nll),
        f"KLDivLoss_{r}": (lambda nn: nn.KLDivLoss(reduction=r), PAIR[:2], _quiet(_log_probs)),
        f"KLDivLoss_log_target_{r}": (lambda nn: nn.KLDivLoss(reduction=r, log_target=True),
                                      PAIR[:2], _quiet(_log_probs_both)),
    }


CASES = {k: v for r in REDUCTIONS for k, v in _cases(r).items()}
CASES["KLDivLoss_batchmean"] = (lambda nn: nn.KLDivLoss(reduction="batchmean"), PAIR[:2],
                                _log_probs)


@pytest.mark.parametrize("name", list(CASES))
def test_loss_module_matches_torch(name):
    torch = require_torch()
    make, specs, call = CASES[name]
    compare_module(torch, make, [s for s in specs if s], call=call)


def test_loss_module_reprs_and_buffers():
    torch = require_torch()
    for make in (lambda nn: nn.CrossEntropyLoss(weight=_class_weight(nn), label_smoothing=0.1),
                 lambda nn: nn.NLLLoss(ignore_index=3), lambda nn: nn.KLDivLoss(log_target=True),
                 lambda nn: nn.HuberLoss(delta=2.0), lambda nn: nn.SmoothL1Loss(beta=0.5),
                 lambda nn: nn.BCEWithLogitsLoss(pos_weight=_class_weight(nn))):
        ours, theirs = make(numtorch.nn), make(torch.nn)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert ours.reduction == theirs.reduction


# -- grad_fn names ------------------------------------------------------------------------------
GRAD_FN = [
    (lambda lib, x, t: F_(lib).cross_entropy(x, t), "NllLossBackward0"),
    (lambda lib, x, t: F_(lib).cross_entropy(x, t, reduction="none"), "NllLossBackward0"),
    (lambda lib, x, t: F_(lib).nll_loss(x, t), "NllLossBackward0"),
    (lambda lib, x, t: F_(lib).nll_loss(x.unsqueeze(-1).unsqueeze(-1), t.view(-1, 1, 1)),
     "NllLoss2DBackward0"),
    (lambda lib, x, t: F_(lib).nll_loss(x.unsqueeze(-1), t.view(-1, 1), reduction="none"),
     "ViewBackward0"),
    (lambda lib, x, t: F_(lib).smooth_l1_loss(x, x.detach() * 2), "SmoothL1LossBackward0"),
    (lambda lib, x, t: F_(lib).huber_loss(x, x.detach() * 2), "HuberLossBackward0"),
    (lambda lib, x, t: F_(lib).cross_entropy(x, x.detach().softmax(1), reduction="none"),
     "NegBackward0"),
]


def F_(lib):  # noqa: N802
    return lib.nn.functional


@pytest.mark.parametrize("case", range(len(GRAD_FN)))
def test_grad_fn_names_match_torch(case):
    torch = require_torch()
    fn, expected = GRAD_FN[case]
    names = []
    for lib in (numtorch, torch):
        x = lib.linspace(-1, 1, 12).reshape(3, 4).requires_grad_(True)
        names.append(fn(lib, x, lib.tensor([0, 3, 1])).grad_fn.name())
    assert names == [expected, expected]


# -- errors and warnings, word for word ---------------------------------------------------------
def _x(lib):
    return lib.linspace(-1, 1, 12).reshape(3, 4)


ERRORS = [
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, 2], dtype=lib.int32)),
    lambda lib: F_(lib).nll_loss(_x(lib), lib.tensor([0.0, 1.0, 2.0])),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1])),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, 5])),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, -1])),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([[0, 1, 2]])),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.zeros(3, 5)),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.zeros(3, 4, dtype=lib.int64)),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.zeros(3, 4), ignore_index=1),
    lambda lib: F_(lib).cross_entropy(_x(lib).view(3, 2, 2), lib.zeros(3, 3, dtype=lib.int64)),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, 2]), weight=lib.ones(3)),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, 2]), label_smoothing=1.5),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, 2]), reduction="avg"),
    lambda lib: F_(lib).nll_loss(lib.zeros(4), lib.tensor([0, 1, 2])),
    lambda lib: F_(lib).nll_loss(lib.tensor(1.0), lib.tensor(0)),
    lambda lib: F_(lib).nll_loss(_x(lib).view(3, 4, 1, 1), lib.zeros(3, 1, dtype=lib.int64)),
    lambda lib: F_(lib).nll_loss(_x(lib), lib.tensor([0, 1, 2]), weight=lib.ones(4).double()),
    lambda lib: F_(lib).nll_loss(_x(lib), lib.tensor([0, 1, 2]),
                                 weight=lib.ones(4, requires_grad=True)),
    lambda lib: F_(lib).smooth_l1_loss(_x(lib), _x(lib), beta=-1.0),
    lambda lib: F_(lib).huber_loss(_x(lib), _x(lib), delta=0.0),
    lambda lib: F_(lib).huber_loss(_x(lib), _x(lib), weight=lib.ones(4)),
    lambda lib: F_(lib).kl_div(_x(lib), _x(lib), reduction="avg"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(case):
    torch = require_torch()
    with pytest.raises(Exception) as theirs:
        ERRORS[case](torch)
    with pytest.raises(type(theirs.value)) as ours:
        ERRORS[case](numtorch)
    assert str(ours.value) == str(theirs.value)


WARNINGS = [
    lambda lib: F_(lib).kl_div(_x(lib), _x(lib).exp()),
    lambda lib: F_(lib).smooth_l1_loss(_x(lib), lib.zeros(4)),
    lambda lib: F_(lib).huber_loss(_x(lib), lib.zeros(3, 1)),
    lambda lib: F_(lib).cross_entropy(_x(lib), lib.tensor([0, 1, 2]), size_average=False),
]


@pytest.mark.parametrize("case", range(len(WARNINGS)))
def test_warnings_match_torch(case):
    torch = require_torch()
    with pytest.warns(UserWarning) as theirs:
        expected = WARNINGS[case](torch)
    with pytest.warns(UserWarning) as ours:
        got = WARNINGS[case](numtorch)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)


def test_all_targets_ignored_mean_is_nan_like_torch():
    torch = require_torch()
    for lib in (numtorch, torch):
        loss = F_(lib).cross_entropy(_x(lib), lib.tensor([-100, -100, -100]))
        assert np.isnan(loss.item())
        assert F_(lib).cross_entropy(_x(lib), lib.tensor([-100] * 3), reduction="sum").item() \
            == 0


def test_cross_entropy_prints_its_value_like_the_tutorials():
    logits = numtorch.tensor([[2.0, 1.0, 0.1]])
    loss = F.cross_entropy(logits, numtorch.tensor([0]))
    assert repr(loss) == "tensor(0.4170)"
    assert F.cross_entropy(logits.requires_grad_(), numtorch.tensor([0])).grad_fn.name() == \
        "NllLossBackward0"


def test_empty_batch_mean_is_nan_like_torch():
    torch = require_torch()
    for target in (lambda lib: lib.zeros(0, 4), lambda lib: lib.zeros(0, dtype=lib.int64)):
        for lib in (numtorch, torch):
            assert np.isnan(F_(lib).cross_entropy(lib.zeros(0, 4), target(lib)).item())


@pytest.mark.parametrize(("kwargs", "expected"), [({"size_average": False}, "sum"),
                                                  ({"reduce": False}, "none"),
                                                  ({"size_average": True}, "mean")])
def test_legacy_module_arguments_warn_like_torch(kwargs, expected):
    torch = require_torch()
    with pytest.warns(UserWarning) as theirs:
        torch.nn.NLLLoss(**kwargs)
    with pytest.warns(UserWarning) as ours:
        module = numtorch.nn.NLLLoss(**kwargs)
    assert str(ours[0].message) == str(theirs[0].message)
    assert module.reduction == expected


# -- nll_loss's common case (NOTE [ nll_loss's common case ]) -----------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("path", ["arrays", "tensors", "create_graph"])
def test_common_case_matches_the_general_path_bit_for_bit(dtype, path):
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((37, 5)).astype(dtype) * 4
    target = numtorch.tensor(rng.integers(0, 4, 37))  # class 4 never appears
    results = []
    # ignore_index=4 names a class, so the general path runs; it ignores nothing here
    for ignore_index in (-100, 4):
        x = numtorch.tensor(scores, requires_grad=True)
        loss = F.cross_entropy(x, target, ignore_index=ignore_index)
        if path == "arrays":  # plain backward(): backward_np
            (loss * 3).backward()
            grad = x.grad
        else:
            (grad,) = numtorch.autograd.grad(loss * 3, x, create_graph=path == "create_graph")
        results.append((loss.detach().numpy(), grad.detach().numpy()))
    for fast, general in zip(*results):
        np.testing.assert_array_equal(fast, general, strict=True)


def test_common_case_leaves_out_of_range_targets_to_the_general_error():
    with pytest.raises(IndexError, match="Target 7 is out of bounds"):
        F.nll_loss(numtorch.zeros(3, 4), numtorch.tensor([0, 7, 1]))
    with pytest.raises(IndexError, match="Target -2 is out of bounds"):
        F.nll_loss(numtorch.zeros(3, 4), numtorch.tensor([0, -2, 1]))
