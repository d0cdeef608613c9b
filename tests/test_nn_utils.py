"""nn.utils against torch: gradient clipping by norm and by value, total norms, and the
conversion between parameters and one vector."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch.nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
    parameters_to_vector,
    vector_to_parameters,
)

SHAPES = [(3, 4), (5,), (2, 2, 2), ()]


def _params(lib, grads, dtype="float32"):
    """Parameters (zeros) with the given gradients; None for a parameter without one."""
    out = []
    for g in grads:
        p = lib.nn.Parameter(lib.zeros(g.shape if g is not None else (2,),
                                       dtype=getattr(lib, dtype)))
        if g is not None:
            p.grad = lib.from_numpy(g.astype(dtype))
        out.append(p)
    return out


def _grads(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return [np.asarray(rng.standard_normal(s) * scale) for s in SHAPES] + [None]


def _assert_same(ours, theirs):
    assert len(ours) == len(theirs)
    for p, q in zip(ours, theirs):
        assert (p.grad is None) == (q.grad is None)
        if q.grad is not None:
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), "inf", 0, float("-inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, dtype):
    torch = require_torch()
    grads = _grads(0, scale=2.0)
    ours, theirs = _params(numtorch, grads, dtype), _params(torch, grads, dtype)
    total_ours = clip_grad_norm_(ours, max_norm, norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert str(total_ours.dtype) == str(total_theirs.dtype) and total_ours.shape == ()
    assert not total_ours.requires_grad
    np.testing.assert_allclose(total_ours.item(), total_theirs.item(), rtol=1e-6)
    _assert_same(ours, theirs)


def test_clip_grad_norm_on_one_tensor_and_on_a_generator():
    torch = require_torch()
    grads = _grads(1)[:1]
    ours, theirs = _params(numtorch, grads), _params(torch, grads)
    a = clip_grad_norm_(ours[0], 0.1)
    b = torch.nn.utils.clip_grad_norm_(theirs[0], 0.1)
    np.testing.assert_allclose(a.item(), b.item(), rtol=1e-6)
    _assert_same(ours, theirs)
    model = numtorch.nn.Linear(3, 2)
    model(numtorch.ones(4, 3)).sum().backward()
    norm = clip_grad_norm_(model.parameters(), 1.0)
    assert norm.item() > 1
    assert abs(get_total_norm([p.grad for p in model.parameters()]).item() - 1) < 1e-5


def test_no_gradients_gives_zero():
    torch = require_torch()
    for lib in (numtorch, torch):
        total = lib.nn.utils.clip_grad_norm_([lib.nn.Parameter(lib.ones(2))], 1.0)
        assert total.item() == 0 and str(total.dtype).endswith("float32")


def test_non_finite_norm():
    torch = require_torch()
    grads = [np.array([3.0, np.inf, 0.0])]
    for lib in (numtorch, torch):
        params = _params(lib, grads)
        with pytest.raises(RuntimeError, match="is non-finite, so it cannot be clipped"):
            lib.nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.utils.clip_grad_norm_(_params(torch, grads), 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as ours:
        clip_grad_norm_(_params(numtorch, grads), 1.0, error_if_nonfinite=True)
    assert str(ours.value) == str(theirs.value)
    nan = [np.array([3.0, np.nan])]
    ours, theirs = _params(numtorch, nan), _params(torch, nan)
    assert np.isnan(clip_grad_norm_(ours, 1.0).item())
    torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    np.testing.assert_array_equal(ours[0].grad.numpy(), theirs[0].grad.numpy())


def test_get_total_norm_and_clip_grads_with_norm_match_torch():
    torch = require_torch()
    grads = _grads(2)
    ours, theirs = _params(numtorch, grads), _params(torch, grads)
    t_ours = get_total_norm([p.grad for p in ours if p.grad is not None], 3.0)
    t_theirs = torch.nn.utils.get_total_norm([p.grad for p in theirs if p.grad is not None], 3.0)
    np.testing.assert_allclose(t_ours.item(), t_theirs.item(), rtol=1e-6)
    clip_grads_with_norm_(ours, 0.5, t_ours)
    torch.nn.utils.clip_grads_with_norm_(theirs, 0.5, t_theirs)
    _assert_same(ours, theirs)


@pytest.mark.parametrize("clip_value", [0.3, 1, 10.0])
def test_clip_grad_value_matches_torch(clip_value):
    torch = require_torch()
    grads = _grads(3, scale=2.0)
    ours, theirs = _params(numtorch, grads), _params(torch, grads)
    assert clip_grad_value_(ours, clip_value) is None
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    _assert_same(ours, theirs)


def test_parameters_to_vector_and_back_match_torch():
    torch = require_torch()
    ours = numtorch.nn.Sequential(numtorch.nn.Linear(3, 4), numtorch.nn.Linear(4, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    ours.load_state_dict({k: numtorch.from_numpy(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})
    v_ours = parameters_to_vector(ours.parameters())
    v_theirs = torch.nn.utils.parameters_to_vector(theirs.parameters())
    assert v_ours.grad_fn.name() == v_theirs.grad_fn.name() == "CatBackward0"
    np.testing.assert_array_equal(v_ours.detach().numpy(), v_theirs.detach().numpy())
    # gradients flow back through the concatenation
    (v_ours * numtorch.arange(v_ours.numel())).sum().backward()
    assert ours[1].bias.grad.tolist() == [24.0, 25.0]  # positions 24, 25 of 26
    new = np.arange(v_ours.numel(), dtype="float32")
    vec = numtorch.from_numpy(new.copy())
    vector_to_parameters(vec, ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.from_numpy(new.copy()), theirs.parameters())
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy(), err_msg=name)
        assert p.is_leaf and p.requires_grad
    vec[0] = 100.0  # the parameters share the vector's memory, as in torch
    assert ours[0].weight[0, 0].item() == 100.0


def test_vector_to_parameters_type_error_matches_torch():
    torch = require_torch()
    with pytest.raises(TypeError) as theirs:
        torch.nn.utils.vector_to_parameters([1.0], [torch.nn.Parameter(torch.ones(1))])
    with pytest.raises(TypeError) as ours:
        vector_to_parameters([1.0], [numtorch.nn.Parameter(numtorch.ones(1))])
    assert str(ours.value) == str(theirs.value)


def test_clipping_in_a_training_step():
    """The usual loop: backward, clip, step; the update uses the clipped gradient."""
    numtorch.manual_seed(0)
    model = numtorch.nn.Linear(4, 1)
    opt = numtorch.optim.SGD(model.parameters(), lr=1.0)
    x, y = numtorch.randn(8, 4) * 100, numtorch.zeros(8, 1)
    before = parameters_to_vector(model.parameters()).detach().numpy().copy()
    numtorch.nn.functional.mse_loss(model(x), y).backward()
    clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    after = parameters_to_vector(model.parameters()).detach().numpy()
    np.testing.assert_allclose(np.linalg.norm(after - before), 0.5, rtol=1e-4)
