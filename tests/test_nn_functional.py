"""nn.functional: the losses' messages, warnings, edge values and graph; the re-exports."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch
import numtorch.nn.functional as F

LOSSES = ["binary_cross_entropy_with_logits", "binary_cross_entropy", "mse_loss", "l1_loss"]


def _pair(torch, values, dtype="float32", requires_grad=False):
    a = np.asarray(values, dtype=dtype)
    ours, theirs = numtorch.from_numpy(a.copy()), torch.from_numpy(a.copy())
    if requires_grad:
        ours.requires_grad_(True)
        theirs.requires_grad_(True)
    return ours, theirs


def _raises_like(torch, call):
    """``call(lib)`` raises the same exception type and message in both libraries."""
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(numtorch)
    assert str(ours.value) == str(theirs.value)


def _inputs(lib, name, shape=(2, 3), dtype=None):
    """A valid (input, target) pair for loss ``name``."""
    dtype = dtype or lib.float32
    x = lib.linspace(0.1, 0.9, int(np.prod(shape)), dtype=dtype).reshape(shape)
    t = lib.linspace(0.8, 0.2, int(np.prod(shape)), dtype=dtype).reshape(shape)
    return x.requires_grad_(True), t


def _fn(lib, name):
    return getattr(lib.nn.functional, name)


def test_namespace():
    assert numtorch.nn.functional is F
    assert set(F.__all__) >= set(LOSSES) | {"relu", "sigmoid", "tanh"}


# -- grad_fn names and values --------------------------------------------------------------------
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_grad_fn_names_match_torch(name, reduction):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        x, t = _inputs(lib, name)
        results.append(_fn(lib, name)(x, t, reduction=reduction))
    ours, theirs = results
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)


def test_weighted_mse_and_l1_graph_matches_torch():
    torch = require_torch()
    for name in ("mse_loss", "l1_loss"):
        for reduction in ("none", "mean", "sum"):
            out = []
            for lib in (numtorch, torch):
                x, t = _inputs(lib, name)
                w = lib.linspace(1, 2, 6).reshape(2, 3)
                out.append(_fn(lib, name)(x, t, weight=w, reduction=reduction))
            assert out[0].grad_fn.name() == out[1].grad_fn.name()
            np.testing.assert_allclose(out[0].detach().numpy(), out[1].detach().numpy(),
                                       rtol=1e-6)


def test_bce_with_logits_is_stable_for_large_logits():
    torch = require_torch()
    values = [-1000.0, -100.0, -20.0, 0.0, 20.0, 100.0, 1000.0]
    for dtype in ("float32", "float64"):
        ours_x, theirs_x = _pair(torch, values, dtype, requires_grad=True)
        ours_t, theirs_t = _pair(torch, [0, 1, 0.5, 1, 0, 0.3, 1], dtype, requires_grad=True)
        ours = F.binary_cross_entropy_with_logits(ours_x, ours_t, reduction="none")
        theirs = torch.nn.functional.binary_cross_entropy_with_logits(theirs_x, theirs_t,
                                                                      reduction="none")
        assert np.all(np.isfinite(ours.detach().numpy()))
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-6)
        np.testing.assert_allclose(ours_t.grad.numpy(), theirs_t.grad.numpy(), rtol=1e-6)


def test_bce_with_logits_weight_and_pos_weight_together():
    torch = require_torch()
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((4, 3)), rng.uniform(0, 1, (4, 3))
    w, pw = rng.uniform(0.5, 2, (4, 1)), rng.uniform(0.5, 3, (3,))
    grads = []
    for lib in (numtorch, torch):
        xs, ts = lib.tensor(x, requires_grad=True), lib.tensor(t, requires_grad=True)
        loss = lib.nn.functional.binary_cross_entropy_with_logits(
            xs, ts, weight=lib.tensor(w), pos_weight=lib.tensor(pw))
        loss.backward()
        grads.append((loss.item(), xs.grad.numpy(), ts.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-12)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-10)
    np.testing.assert_allclose(grads[0][2], grads[1][2], rtol=1e-10)


def test_bce_clamps_log_at_minus_100_like_torch():
    torch = require_torch()
    ours_x, theirs_x = _pair(torch, [0.0, 1.0, 0.0, 1.0], requires_grad=True)
    ours_t, theirs_t = _pair(torch, [0.0, 0.0, 1.0, 1.0], requires_grad=True)
    ours = F.binary_cross_entropy(ours_x, ours_t, reduction="none")
    theirs = torch.nn.functional.binary_cross_entropy(theirs_x, theirs_t, reduction="none")
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())  # 0, 100...
    with np.errstate(all="ignore"):
        ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(ours_t.grad.numpy(), theirs_t.grad.numpy())  # +-inf


def test_result_dtypes_follow_torch():
    torch = require_torch()
    cases = [("binary_cross_entropy_with_logits", "float32", "float64"),
             ("binary_cross_entropy_with_logits", "float64", "float32"),
             ("mse_loss", "float32", "float64"), ("mse_loss", "float64", "float32"),
             ("l1_loss", "float32", "float64"), ("mse_loss", "float32", "int64"),
             ("l1_loss", "int64", "float32")]
    for name, a, b in cases:
        out = []
        for lib in (numtorch, torch):
            x = lib.from_numpy(np.array([0.2, 0.7]).astype(a))
            t = lib.from_numpy(np.array([0.0, 1.0]).astype(b))
            out.append(_fn(lib, name)(x, t))
        assert str(out[0].dtype) == str(out[1].dtype), (name, a, b)
        np.testing.assert_allclose(out[0].numpy(), out[1].numpy(), rtol=1e-6)


def test_gradients_take_their_inputs_dtype():
    x = numtorch.zeros(3, requires_grad=True)
    t = numtorch.ones(3, dtype=numtorch.float64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, t)
    assert loss.dtype is numtorch.float64
    loss.backward()
    assert x.grad.dtype is numtorch.float32 and t.grad.dtype is numtorch.float64


def test_empty_inputs_reduce_like_torch():
    torch = require_torch()
    for name in ("binary_cross_entropy_with_logits", "binary_cross_entropy", "mse_loss"):
        for reduction in ("mean", "sum"):
            ours = _fn(numtorch, name)(numtorch.zeros(0), numtorch.zeros(0), reduction=reduction)
            theirs = _fn(torch, name)(torch.zeros(0), torch.zeros(0), reduction=reduction)
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_no_grad_gives_no_graph():
    x, t = _inputs(numtorch, "mse_loss")
    with numtorch.no_grad():
        for name in LOSSES:
            assert _fn(numtorch, name)(x, t).grad_fn is None


# -- warnings ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_broadcast_warning_matches_torch_and_points_at_the_caller(name):
    torch = require_torch()
    messages = []
    for lib in (numtorch, torch):
        with pytest.warns(UserWarning) as record:
            out = _fn(lib, name)(lib.zeros(3, 1), lib.ones(3))
        assert tuple(out.shape) == ()
        messages.append(str(record[0].message))
        assert record[0].filename == __file__
    assert messages[0] == messages[1]
    assert messages[0] == (
        "Using a target size (torch.Size([3])) that is different to the input size "
        "(torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. "
        "Please ensure they have the same size.")


@pytest.mark.parametrize("kwargs", [{"size_average": False}, {"reduce": False},
                                    {"size_average": True, "reduce": True},
                                    {"size_average": False, "reduce": True},
                                    {"reduction": "elementwise_mean"}])
@pytest.mark.parametrize("name", LOSSES)
def test_legacy_reduction_arguments_warn_like_torch(name, kwargs):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        x, t = _inputs(lib, name)
        with pytest.warns(UserWarning) as record:
            out = _fn(lib, name)(x, t, **kwargs)
        results.append((out, [str(r.message) for r in record]))
    (ours, ours_msgs), (theirs, theirs_msgs) = results
    assert ours_msgs == theirs_msgs
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)


def test_matching_sizes_do_not_warn():
    x, t = _inputs(numtorch, "mse_loss")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in LOSSES:
            _fn(numtorch, name)(x, t)


# -- errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("reduction", ["bad", "MEAN", None, 1])
def test_bad_reduction_raises_like_torch(name, reduction):
    torch = require_torch()
    _raises_like(torch, lambda lib: _fn(lib, name)(*_inputs(lib, name), reduction=reduction))


def test_target_size_errors_match_torch():
    torch = require_torch()
    for name in ("binary_cross_entropy_with_logits", "binary_cross_entropy"):
        _raises_like(torch, lambda lib, n=name: _fn(lib, n)(lib.rand(3, 1), lib.rand(3)))
        # the reduction is checked first
        _raises_like(torch, lambda lib, n=name: _fn(lib, n)(lib.rand(3, 1), lib.rand(3),
                                                            reduction="bad"))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_unbroadcastable_target_raises_like_torch(name):
    torch = require_torch()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _raises_like(torch, lambda lib: _fn(lib, name)(lib.rand(3), lib.rand(2)))
        _raises_like(torch, lambda lib: _fn(lib, name)(lib.rand(3), lib.rand(2),
                                                       weight=lib.rand(3)))
    _raises_like(torch, lambda lib: _fn(lib, name)(lib.rand(2, 3), lib.rand(2, 3),
                                                   weight=lib.rand(3)))


@pytest.mark.parametrize("values", [[1.5], [-0.1], [float("nan")]])
def test_bce_rejects_values_outside_the_unit_interval(values):
    torch = require_torch()
    _raises_like(torch, lambda lib: lib.nn.functional.binary_cross_entropy(
        lib.tensor(values), lib.tensor([0.5])))
    _raises_like(torch, lambda lib: lib.nn.functional.binary_cross_entropy(
        lib.tensor([0.5]), lib.tensor(values)))


@pytest.mark.parametrize("kwargs", [
    {"weight": (2,)}, {"weight": (2, 3)}, {"weight": (1, 1, 3)}, {"pos_weight": (2,)},
    {"pos_weight": (2, 3)}, {"pos_weight": (4, 3), "weight": (5, 3)},
])
def test_bce_with_logits_weight_shape_errors_match_torch(kwargs):
    torch = require_torch()

    def call(lib):
        extra = {k: lib.rand(*shape) for k, shape in kwargs.items()}
        shape = (2, 3) if any(len(s) == 2 and s[0] > 2 for s in kwargs.values()) else (3,)
        return lib.nn.functional.binary_cross_entropy_with_logits(
            lib.rand(*shape), lib.rand(*shape), **extra)

    _raises_like(torch, call)


@pytest.mark.parametrize("input_shape, weight_shape", [
    ((3,), (2,)), ((3,), (2, 3)), ((3,), (1, 1, 3)), ((2, 3), (4, 3)), ((2, 3), (4, 1)),
    ((2, 3), (5, 2, 2)), ((2, 3), (5, 2, 3)),
])
def test_bce_weight_shape_errors_match_torch(input_shape, weight_shape):
    torch = require_torch()
    _raises_like(torch, lambda lib: lib.nn.functional.binary_cross_entropy(
        lib.rand(*input_shape), lib.rand(*input_shape), weight=lib.rand(*weight_shape)))


def test_broadcastable_weights_are_accepted():
    torch = require_torch()
    for kwargs in ({"weight": (3,)}, {"weight": (1,)}, {"weight": ()}, {"pos_weight": (3,)},
                   {"pos_weight": (2, 1)}):
        out = []
        for lib in (numtorch, torch):
            lib.manual_seed(0)
            extra = {k: lib.full(s, 0.5) for k, s in kwargs.items()}
            x, t = lib.linspace(-2, 2, 6).reshape(2, 3), lib.linspace(0, 1, 6).reshape(2, 3)
            out.append(lib.nn.functional.binary_cross_entropy_with_logits(
                x, t, reduction="none", **extra))
        np.testing.assert_allclose(out[0].numpy(), out[1].numpy(), rtol=1e-6)


@pytest.mark.parametrize("name, argument", [
    ("binary_cross_entropy_with_logits", "weight"),
    ("binary_cross_entropy_with_logits", "pos_weight"),
    ("binary_cross_entropy", "weight"),
])
def test_weights_must_not_require_grad(name, argument):
    torch = require_torch()

    def call(lib):
        x, t = _inputs(lib, name)
        return _fn(lib, name)(x, t, **{argument: lib.ones(3, requires_grad=True)})

    _raises_like(torch, call)
    with numtorch.no_grad():  # allowed when nothing is recorded, as in torch
        call(numtorch)


@pytest.mark.parametrize("name, x, t", [
    ("binary_cross_entropy_with_logits", "int64", "float32"),
    ("binary_cross_entropy_with_logits", "float32", "int64"),
    ("binary_cross_entropy_with_logits", "float32", "bool"),
    ("binary_cross_entropy", "int64", "int64"),
    ("binary_cross_entropy", "float32", "float64"),
    ("binary_cross_entropy", "float64", "float32"),
    ("binary_cross_entropy", "float32", "int64"),
    ("mse_loss", "int64", "int64"),
    ("mse_loss", "bool", "bool"),
    ("l1_loss", "bool", "bool"),
])
def test_dtype_errors_match_torch(name, x, t):
    torch = require_torch()

    def call(lib):
        a = lib.from_numpy(np.array([0, 1, 1]).astype(x))
        b = lib.from_numpy(np.array([1, 0, 1]).astype(t))
        return _fn(lib, name)(a, b)

    _raises_like(torch, call)


def test_l1_loss_on_integers_follows_torch():
    torch = require_torch()
    for reduction in ("none", "sum"):
        ours = F.l1_loss(numtorch.tensor([1, 2]), numtorch.tensor([2, 4]), reduction=reduction)
        theirs = torch.nn.functional.l1_loss(torch.tensor([1, 2]), torch.tensor([2, 4]),
                                             reduction=reduction)
        assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)
    _raises_like(torch, lambda lib: lib.nn.functional.l1_loss(lib.tensor([1]), lib.tensor([2])))


# -- activations ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activations_match_torch(name):
    torch = require_torch()
    values = np.linspace(-3, 3, 7, dtype=np.float32)
    ours = getattr(F, name)(numtorch.from_numpy(values.copy()))
    theirs = getattr(torch.nn.functional, name)(torch.from_numpy(values.copy()))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_relu_inplace():
    x = numtorch.tensor([-1.0, 2.0])
    out = F.relu(x, inplace=True)
    assert out is x and x.tolist() == [0.0, 2.0] and x._version == 1


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_reexport_when_available(name):
    torch = require_torch()
    try:
        fn = getattr(F, name)
    except AttributeError:
        pytest.skip(f"numtorch has no {name} yet")
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    ours = fn(numtorch.from_numpy(x.copy()), dim=1)
    theirs = getattr(torch.nn.functional, name)(torch.from_numpy(x.copy()), dim=1)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)
    with pytest.warns(UserWarning, match="Implicit dimension choice") as record:
        implicit = fn(numtorch.from_numpy(x.copy()))
    assert record[0].filename == __file__
    np.testing.assert_allclose(implicit.numpy(), ours.numpy())


def test_missing_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'not_a_function'"):
        F.not_a_function  # noqa: B018


# -- the seed program's use --------------------------------------------------------------------
def test_seed001_one_layer_net_matches_torch():
    torch = require_torch()
    rng = np.random.default_rng(1)
    w0, b0 = rng.standard_normal((5, 3)).astype("float32"), rng.standard_normal(3).astype(
        "float32")
    grads = []
    for lib in (numtorch, torch):
        x, y = lib.ones(5), lib.zeros(3)
        w = lib.from_numpy(w0.copy()).requires_grad_(True)
        b = lib.from_numpy(b0.copy()).requires_grad_(True)
        loss = lib.nn.functional.binary_cross_entropy_with_logits(lib.matmul(x, w) + b, y)
        assert repr(loss.grad_fn).startswith("<BinaryCrossEntropyWithLogitsBackward0 object")
        loss.backward()
        grads.append((loss.item(), w.grad.numpy(), b.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-6)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-6)
    np.testing.assert_allclose(grads[0][2], grads[1][2], rtol=1e-6)
