"""nn.Module machinery against torch: registration, order, state_dict, repr, hooks, modes."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
from conftest import require_torch

import numtorch


def build(lib):
    """The same small network in either library (seed 001's shape, smaller)."""
    nn = lib.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.stack = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(),
                                       nn.Linear(8, 3))
            self.register_buffer("steps", lib.zeros(1))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)

        def forward(self, x):
            return self.stack(self.flatten(x))

    return Net()


def copy_weights(src, dst, torch):
    """Load torch's weights into numtorch (through numpy)."""
    dst.load_state_dict({k: numtorch.from_numpy(v.detach().numpy().copy())
                         for k, v in src.state_dict().items()})


def test_repr_order_and_state_dict_keys_match_torch():
    torch = require_torch()
    ours, theirs = build(numtorch), build(torch)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [type(m).__name__ for m in ours.children()] == \
        [type(m).__name__ for m in theirs.children()]
    shapes = [tuple(p.shape) for p in ours.parameters()]
    assert shapes == [tuple(p.shape) for p in theirs.parameters()]


def test_loaded_torch_weights_give_torch_outputs_and_grads():
    torch = require_torch()
    ours, theirs = build(numtorch), build(torch)
    copy_weights(theirs, ours, torch)
    x = np.random.default_rng(0).standard_normal((5, 3, 4)).astype("float32")
    out_ours = ours(numtorch.from_numpy(x))
    out_theirs = theirs(torch.from_numpy(x))
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    out_ours.sum().backward()
    out_theirs.sum().backward()
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=name)


def test_default_linear_init_bounds():
    layer = numtorch.nn.Linear(100, 10)
    bound = 1 / np.sqrt(100)
    w = layer.weight.detach().numpy()
    assert w.shape == (10, 100) and np.abs(w).max() <= bound and np.abs(w).max() > bound * 0.8
    assert np.abs(layer.bias.detach().numpy()).max() <= bound
    assert layer.weight.requires_grad and layer.weight.is_leaf


def test_assignment_before_init_raises_torch_error():
    class Bad(numtorch.nn.Module):
        def __init__(self):
            self.w = numtorch.nn.Parameter(numtorch.ones(1))

    with pytest.raises(AttributeError,
                       match=r"cannot assign parameters before Module.__init__\(\) call"):
        Bad()


def test_load_state_dict_reports_missing_unexpected_and_size_mismatch():
    torch = require_torch()
    bad = {"weight": np.ones((3, 3), "float32"), "x": np.ones(1, "float32")}
    messages = []
    for lib in (numtorch, torch):
        layer = lib.nn.Linear(3, 2)
        with pytest.raises(RuntimeError) as info:
            layer.load_state_dict({k: lib.from_numpy(v) for k, v in bad.items()})
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    ours = numtorch.nn.Linear(3, 2).load_state_dict(
        {"weight": numtorch.ones(2, 3), "bias": numtorch.ones(2), "x": numtorch.ones(1)},
        strict=False)
    assert ours.missing_keys == [] and ours.unexpected_keys == ["x"]


def test_state_dict_round_trip_and_non_persistent_buffers():
    net = build(numtorch)
    state = net.state_dict()
    assert "scratch" not in state and "steps" in state
    other = build(numtorch)
    other.load_state_dict(state)
    for a, b in zip(net.parameters(), other.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert not state["stack.0.weight"].requires_grad


def test_train_eval_zero_grad_requires_grad():
    net = build(numtorch)
    assert net.training and net.stack[0].training
    net.eval()
    assert not net.training and not net.stack[0].training
    net.train()
    net(numtorch.ones(2, 12)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_sequential_indexing_slicing_append_len():
    torch = require_torch()
    for lib in (numtorch, torch):
        seq = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
        assert len(seq) == 3
        assert isinstance(seq[0], lib.nn.Linear) and isinstance(seq[-1], lib.nn.Linear)
        assert len(seq[1:]) == 2 and isinstance(seq[1:], lib.nn.Sequential)
        seq.append(lib.nn.Sigmoid())
        assert len(seq) == 4
    named = numtorch.nn.Sequential(OrderedDict([("fc", numtorch.nn.Linear(2, 2)),
                                                ("act", numtorch.nn.ReLU())]))
    assert list(dict(named.named_children())) == ["fc", "act"]
    assert repr(named) == repr(torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(2, 2)),
                                                                ("act", torch.nn.ReLU())])))


def test_container_reprs_match_torch():
    torch = require_torch()

    def make(lib):
        nn = lib.nn
        return [nn.ModuleList([nn.ReLU(), nn.ReLU(), nn.Linear(1, 1)]),
                nn.ModuleDict({"a": nn.Tanh(), "b": nn.Linear(2, 2, bias=False)}),
                nn.ParameterList([nn.Parameter(lib.ones(2, 3))]),
                nn.ParameterDict({"p": nn.Parameter(lib.ones(2))}),
                nn.Sequential(), nn.Identity(), nn.Flatten(0, 1), nn.Softmax(dim=1),
                nn.LeakyReLU(0.2, True), nn.Dropout(0.3), nn.MSELoss(), nn.CrossEntropyLoss()]

    for ours, theirs in zip(make(numtorch), make(torch)):
        assert repr(ours) == repr(theirs)


def test_parameter_repr_and_module_registration():
    torch = require_torch()
    p_ours = numtorch.nn.Parameter(numtorch.tensor([-0.4901]))
    p_theirs = torch.nn.Parameter(torch.tensor([-0.4901]))
    assert repr(p_ours) == repr(p_theirs)
    m = numtorch.nn.Module()
    m.w = p_ours
    assert list(dict(m.named_parameters())) == ["w"]
    del m.w
    assert list(m.parameters()) == []


def _hooked_run(lib, layer):
    seen = []
    layer.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
    layer.register_forward_hook(lambda mod, args, out: out + 1)
    layer.register_full_backward_hook(
        lambda mod, gin, gout: seen.append((gin[0].detach().numpy().copy(),
                                            gout[0].detach().numpy().copy())))
    x = lib.ones(4, 3, requires_grad=True)
    out = layer(x)
    (out * out).sum().backward()
    return out.detach().numpy(), seen, x.grad.numpy()


def test_forward_hooks_and_full_backward_hook():
    torch = require_torch()
    theirs_layer = torch.nn.Linear(3, 2)
    ours_layer = numtorch.nn.Linear(3, 2)
    copy_weights(theirs_layer, ours_layer, torch)
    ours = _hooked_run(numtorch, ours_layer)
    theirs = _hooked_run(torch, theirs_layer)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    assert len(ours[1]) == len(theirs[1]) == 1
    np.testing.assert_allclose(ours[1][0][0], theirs[1][0][0], rtol=1e-5)
    np.testing.assert_allclose(ours[1][0][1], theirs[1][0][1], rtol=1e-5)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)


def test_to_double_and_apply():
    net = build(numtorch).double()
    assert all(p.dtype == numtorch.float64 for p in net.parameters())
    assert net.steps.dtype == numtorch.float64
    names = []
    net.apply(lambda m: names.append(type(m).__name__))
    assert names[-1] == "Net" and "Linear" in names


def test_missing_forward_and_attribute_errors():
    with pytest.raises(NotImplementedError,
                       match=r'Module \[Module\] is missing the required "forward" function'):
        numtorch.nn.Module()(1)
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'foo'"):
        _ = numtorch.nn.Linear(1, 1).foo
