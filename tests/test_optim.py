"""optim: SGD trajectories against torch, the Optimizer base (groups, state_dict, repr, errors)."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from conftest import require_torch
from optim_compare import (
    K,
    assert_same_trajectory,
    initial,
    make_params,
    quadratic_loss,
    trajectory,
)

import numtorch

TOL = {"float64": 1e-6, "float32": 1e-5}
OPTIONS = [
    {},
    {"momentum": 0.9},
    {"momentum": 0.9, "dampening": 0.5},
    {"momentum": 0.9, "nesterov": True},
    {"weight_decay": 0.1},
    {"momentum": 0.5, "weight_decay": 0.1, "nesterov": True},
    {"maximize": True},
    {"maximize": True, "momentum": 0.9, "weight_decay": 0.1},
    {"maximize": True, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05},
    {"momentum": 0.9, "dampening": 0.3, "weight_decay": 0.05},
    {"momentum": 0.9, "foreach": True},
    {"momentum": 0.9, "foreach": False, "fused": True},
]


def _assert_same_trajectory(ours, theirs, dtype):
    assert_same_trajectory(ours, theirs, rtol=TOL[dtype], atol=TOL[dtype])


# -- trajectories --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
def test_sgd_trajectory_matches_torch(options, dtype):
    torch = require_torch()

    def make(lib, params):
        return lib.optim.SGD(params, lr=0.02, **options)

    ours, opt, params = trajectory(numtorch, dtype, make)
    theirs, topt, tparams = trajectory(torch, dtype, make)
    _assert_same_trajectory(ours, theirs, dtype)
    np.testing.assert_array_equal(ours[-1][3], initial(dtype)["unused"])  # skipped: no grad
    assert len(opt.state) == len(topt.state)
    for p, tp in zip(params, tparams):
        if tp in topt.state:
            np.testing.assert_allclose(opt.state[p]["momentum_buffer"].numpy(),
                                       topt.state[tp]["momentum_buffer"].numpy(),
                                       rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_param_groups_with_their_own_options_match_torch(dtype):
    torch = require_torch()

    def make(lib, params):
        w, b, s, unused = params
        return lib.optim.SGD([{"params": [w], "lr": 0.05, "momentum": 0.9},
                              {"params": [b, s, unused], "weight_decay": 0.2}], lr=0.01)

    ours, _, _ = trajectory(numtorch, dtype, make)
    theirs, _, _ = trajectory(torch, dtype, make)
    _assert_same_trajectory(ours, theirs, dtype)


def test_changing_lr_in_param_groups_takes_effect():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        init = initial("float64")
        params = make_params(lib, init)
        opt = lib.optim.SGD(params, lr=0.1, momentum=0.5)
        for step in range(6):
            opt.param_groups[0]["lr"] = 0.1 / (step + 1)  # what a scheduler does
            opt.zero_grad()
            quadratic_loss(lib, params, init).backward()
            opt.step()
        results.append([p.detach().numpy() for p in params])
    _assert_same_trajectory([results[0]], [results[1]], "float64")


def test_tensor_learning_rate():
    torch = require_torch()

    def make(lib, params):
        return lib.optim.SGD(params, lr=lib.tensor(0.02), momentum=0.9)

    _assert_same_trajectory(trajectory(numtorch, "float64", make, 5)[0],
                            trajectory(torch, "float64", make, 5)[0], "float64")


def test_step_updates_in_place_and_never_touches_grad():
    w = numtorch.tensor([1.0, 2.0], requires_grad=True)
    opt = numtorch.optim.SGD([w], lr=0.5, momentum=0.9, weight_decay=0.1, maximize=True)
    for _ in range(2):
        w.grad = numtorch.tensor([0.5, -1.0])
        grad, data, version = w.grad, w._data, w._version
        opt.step()
        assert w.grad is grad and grad.tolist() == [0.5, -1.0]
        assert w._data is data and w._version > version and w.is_leaf and w.requires_grad
        assert opt.state[w]["momentum_buffer"] is not grad


def test_closure_is_called_with_grad_enabled_and_its_result_returned():
    w = numtorch.tensor([1.0], requires_grad=True)
    opt = numtorch.optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with numtorch.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 1.0 and w.item() == pytest.approx(0.8)
    assert opt.step() is None


def test_parameter_without_grad_is_skipped_and_gets_no_state():
    w = numtorch.tensor([1.0], requires_grad=True)
    opt = numtorch.optim.SGD([w], lr=0.1, momentum=0.9)
    opt.step()
    assert w.tolist() == [1.0] and len(opt.state) == 0


def test_seed002_zero_d_parameters():
    torch = require_torch()
    out = []
    for lib in (numtorch, torch):
        w = lib.tensor(0.5, requires_grad=True)
        b = lib.tensor(0.0, requires_grad=True)
        x = lib.linspace(-1, 1, 16).reshape(-1, 1)
        y = 3 * x + 1
        opt = lib.optim.SGD([w, b], lr=0.01)
        for _ in range(K):
            loss = ((w * x + b - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        out.append((w.item(), b.item()))
    np.testing.assert_allclose(out[0], out[1], rtol=1e-5)


# -- zero_grad -----------------------------------------------------------------------------------
def test_zero_grad_sets_to_none_by_default():
    w = numtorch.ones(2, requires_grad=True)
    (w * 2).sum().backward()
    opt = numtorch.optim.SGD([w])
    opt.zero_grad()
    assert w.grad is None


def test_zero_grad_without_set_to_none_zeroes_in_place():
    w = numtorch.ones(2, requires_grad=True)
    (w * 2).sum().backward()
    grad = w.grad
    numtorch.optim.SGD([w]).zero_grad(set_to_none=False)
    assert w.grad is grad and grad.tolist() == [0.0, 0.0]


def test_zero_grad_detaches_a_grad_that_has_a_graph():
    w = numtorch.ones(2, requires_grad=True)
    g = numtorch.autograd.grad((w * w).sum(), w, create_graph=True)[0]
    w.grad = g
    assert w.grad.grad_fn is not None
    numtorch.optim.SGD([w]).zero_grad(set_to_none=False)
    assert w.grad.grad_fn is None and not w.grad.requires_grad and w.grad.tolist() == [0.0, 0.0]


# -- param_groups, defaults, repr ---------------------------------------------------------------
def _group_options(group):
    return {k: v for k, v in group.items() if k != "params"}


def test_defaults_and_param_groups_match_torch():
    torch = require_torch()
    configs = [{}, {"lr": 0.1, "momentum": 0.9, "nesterov": True},
               {"lr": 0.5, "weight_decay": 1e-4, "maximize": True, "foreach": False}]
    for kwargs in configs:
        ours = numtorch.optim.SGD([numtorch.ones(2, requires_grad=True)], **kwargs)
        theirs = torch.optim.SGD([torch.ones(2, requires_grad=True)], **kwargs)
        assert ours.defaults == theirs.defaults
        assert list(ours.defaults) == list(theirs.defaults)
        assert [_group_options(g) for g in ours.param_groups] == [
            _group_options(g) for g in theirs.param_groups]
        assert list(ours.param_groups[0]) == list(theirs.param_groups[0])


def _both(torch, build):
    return build(numtorch), build(torch)


def test_repr_matches_torch():
    torch = require_torch()
    builds = [
        lambda lib: lib.optim.SGD([lib.ones(2, requires_grad=True)], lr=0.1),
        lambda lib: lib.optim.SGD([{"params": [lib.ones(2, requires_grad=True)]},
                                   {"params": lib.ones(1, requires_grad=True), "lr": 0.5,
                                    "momentum": 0.9, "extra": "x"}], lr=0.1, momentum=0.1),
        lambda lib: lib.optim.SGD([("w", lib.ones(2, requires_grad=True))], weight_decay=1e-3,
                                  fused=True),
        lambda lib: lib.optim.Optimizer([lib.ones(2, requires_grad=True)], {"lr": 1}),
    ]
    for build in builds:
        ours, theirs = _both(torch, build)
        assert repr(ours) == repr(theirs)
    ours = numtorch.optim.SGD([numtorch.ones(1, requires_grad=True)], lr=0.01)
    assert repr(ours) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
        "    foreach: None\n    fused: None\n    lr: 0.01\n    maximize: False\n"
        "    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)")


def test_add_param_group_fills_defaults():
    torch = require_torch()

    def build(lib):
        opt = lib.optim.SGD([lib.ones(2, requires_grad=True)], lr=0.1, momentum=0.9)
        opt.add_param_group({"params": lib.ones(3, requires_grad=True), "lr": 0.01})
        return opt

    ours, theirs = _both(torch, build)
    assert [_group_options(g) for g in ours.param_groups] == [
        _group_options(g) for g in theirs.param_groups]
    assert isinstance(ours.param_groups[1]["params"], list)


def test_named_parameters():
    torch = require_torch()

    def build(lib):
        return lib.optim.SGD([("w", lib.ones(2, requires_grad=True)),
                              ("b", lib.ones(1, requires_grad=True))], lr=0.1)

    ours, theirs = _both(torch, build)
    assert ours.param_groups[0]["param_names"] == ["w", "b"]
    assert list(ours.param_groups[0]) == list(theirs.param_groups[0])
    assert _strip(ours.state_dict()) == _strip(theirs.state_dict())


def test_parameters_given_as_a_set_or_generator_are_accepted_like_torch():
    torch = require_torch()
    for lib in (numtorch, torch):
        a, b = lib.ones(2, requires_grad=True), lib.ones(3, requires_grad=True)
        assert len(lib.optim.SGD({a, b}).param_groups[0]["params"]) == 2
        assert len(lib.optim.SGD(p for p in (a, b)).param_groups[0]["params"]) == 2


def test_state_is_a_defaultdict_keyed_by_parameter():
    w = numtorch.ones(2, requires_grad=True)
    opt = numtorch.optim.SGD([w], momentum=0.9)
    assert opt.state[numtorch.ones(1)] == {}  # defaultdict(dict), as in torch
    w.grad = numtorch.ones(2)
    opt.step()
    assert set(opt.state[w]) == {"momentum_buffer"}


# -- errors ---------------------------------------------------------------------------------------
def _raises_like(torch, call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(numtorch)
    assert str(ours.value) == str(theirs.value)


ERRORS = {
    "empty": lambda lib: lib.optim.SGD([]),
    "tensor": lambda lib: lib.optim.SGD(lib.ones(2, requires_grad=True)),
    "set_in_group": lambda lib: lib.optim.SGD([{"params": {lib.ones(2, requires_grad=True)}}]),
    "non_leaf": lambda lib: lib.optim.SGD([lib.ones(2, requires_grad=True) * 2]),
    "not_a_tensor": lambda lib: lib.optim.SGD([1.0]),
    "dict_among_tensors": lambda lib: lib.optim.SGD([lib.ones(1), {"params": [lib.ones(1)]}]),
    "group_not_dict": lambda lib: lib.optim.SGD([{"params": [lib.ones(1)]}, lib.ones(1)]),
    "group_without_params": lambda lib: lib.optim.SGD([{"lr": 0.1}]),
    "lr_int": lambda lib: lib.optim.SGD([lib.ones(1)], lr=-1),
    "lr_float": lambda lib: lib.optim.SGD([lib.ones(1)], lr=-1.0),
    "lr_tensor": lambda lib: lib.optim.SGD([lib.ones(1)], lr=lib.tensor(-1.0)),
    "lr_tensor_2": lambda lib: lib.optim.SGD([lib.ones(1)], lr=lib.tensor([0.1, 0.2])),
    "lr_none": lambda lib: lib.optim.SGD([lib.ones(1)], lr=None),
    "momentum": lambda lib: lib.optim.SGD([lib.ones(1)], momentum=-0.5),
    "weight_decay": lambda lib: lib.optim.SGD([lib.ones(1)], weight_decay=-1),
    "nesterov_no_momentum": lambda lib: lib.optim.SGD([lib.ones(1)], nesterov=True),
    "nesterov_dampening": lambda lib: lib.optim.SGD([lib.ones(1)], nesterov=True, momentum=0.9,
                                                    dampening=0.1),
    "fused_differentiable": lambda lib: lib.optim.SGD([lib.ones(1)], fused=True,
                                                      differentiable=True),
    "fused_foreach": lambda lib: lib.optim.SGD([lib.ones(1)], fused=True, foreach=True),
    "two_groups": lambda lib: _shared_param_groups(lib),
    "add_group_twice": lambda lib: _add_existing_group(lib),
    "add_group_list": lambda lib: lib.optim.SGD([lib.ones(1)]).add_param_group([lib.ones(1)]),
    "names_missing": lambda lib: lib.optim.SGD([("w", lib.ones(1)), lib.ones(1)]),
    "group_with_names": lambda lib: lib.optim.SGD([{"params": [lib.ones(1)]},
                                                   {"params": [("w", lib.ones(1))]}]),
    "group_without_names": lambda lib: lib.optim.SGD([{"params": [("w", lib.ones(1))]},
                                                      {"params": [lib.ones(1)]}]),
    "base_step": lambda lib: lib.optim.Optimizer([lib.ones(1)], {}).step(),
    "differentiable_step_on_leaf": lambda lib: _differentiable_step(lib),
}


def _differentiable_step(lib):
    w = lib.ones(2, requires_grad=True)
    w.grad = lib.ones(2)
    lib.optim.SGD([w], differentiable=True).step()  # grad mode on: in-place on a leaf fails


def _shared_param_groups(lib):
    w = lib.ones(2, requires_grad=True)
    return lib.optim.SGD([{"params": [w]}, {"params": [w]}])


def _add_existing_group(lib):
    w = lib.ones(2, requires_grad=True)
    lib.optim.SGD([w]).add_param_group({"params": [w]})


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_torch(case):
    torch = require_torch()
    _raises_like(torch, ERRORS[case])


def test_duplicate_parameters_warn_like_torch():
    torch = require_torch()
    messages = []
    for lib in (numtorch, torch):
        w = lib.ones(2, requires_grad=True)
        with pytest.warns(UserWarning) as record:
            opt = lib.optim.SGD([w, w])
        assert len(opt.param_groups[0]["params"]) == 2
        messages.append(str(record[0].message))
    assert messages[0] == messages[1]


def test_non_leaf_that_retains_grad_is_accepted():
    x = numtorch.ones(2, requires_grad=True) * 2
    x.retain_grad()
    numtorch.optim.SGD([x])


def test_required_hyperparameter():
    from numtorch.optim.optimizer import required

    w = numtorch.ones(1, requires_grad=True)
    with pytest.raises(ValueError, match="didn't specify a value of required optimization "
                                         "parameter lr"):
        numtorch.optim.Optimizer([w], {"lr": required})
    opt = numtorch.optim.Optimizer([{"params": [w], "lr": 2}], {"lr": required})
    assert opt.param_groups[0]["lr"] == 2


# -- state_dict ---------------------------------------------------------------------------------
def _strip(obj):
    """A state_dict with tensors as lists, for comparing ours with torch's."""
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    if hasattr(obj, "tolist") and hasattr(obj, "dtype"):
        return ("tensor", np.round(np.asarray(obj.tolist(), dtype=float), 5).tolist(),
                str(obj.dtype))
    return obj


def test_state_dict_format_matches_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):

        def make(lib, params):
            w, b, s, unused = params
            return lib.optim.SGD([{"params": [w, s], "momentum": 0.9},
                                  {"params": [b, unused], "lr": 0.05}], lr=0.01, momentum=0.5)

        _, opt, params = trajectory(lib, "float64", make, steps=3)
        sd = opt.state_dict()
        assert sd["state"][0] is opt.state[params[0]]  # live buffers, not copies
        results.append(sd)
    assert _strip(results[0]) == _strip(results[1])
    assert list(results[0]["param_groups"][0]) == list(results[1]["param_groups"][0])


def test_state_dict_round_trip_continues_the_trajectory():
    make = lambda lib, params: lib.optim.SGD(params, lr=0.02, momentum=0.9, nesterov=True)  # noqa: E731
    full, _, _ = trajectory(numtorch, "float64", make, steps=8)
    init = initial("float64")
    params = make_params(numtorch, init)
    opt = make(numtorch, params)
    for _ in range(4):
        opt.zero_grad()
        quadratic_loss(numtorch, params, init).backward()
        opt.step()
    saved = copy.deepcopy(opt.state_dict())
    snapshot = [p.detach().numpy().copy() for p in params]
    # a fresh optimizer on fresh parameters holding the same values
    params2 = [numtorch.from_numpy(a.copy()).requires_grad_(True) for a in snapshot]
    opt2 = numtorch.optim.SGD(params2, lr=0.5)
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == 0.02 and opt2.param_groups[0]["params"][0] is params2[0]
    for _ in range(4):
        opt2.zero_grad()
        quadratic_loss(numtorch, params2, init).backward()
        opt2.step()
    _assert_same_trajectory([[p.detach().numpy() for p in params2]], [full[-1]], "float64")


def test_load_state_dict_matches_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        w = lib.ones(3, requires_grad=True)
        b = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w, b], lr=0.1, momentum=0.9)
        w.grad, b.grad = lib.ones(3), lib.ones(2)
        opt.step()
        sd = opt.state_dict()
        w2 = lib.zeros(3, dtype=lib.float64, requires_grad=True)
        b2 = lib.zeros(2, requires_grad=True)
        opt2 = lib.optim.SGD([w2, b2], lr=0.5)
        opt2.load_state_dict(sd)
        buf_w, buf_b = opt2.state[w2]["momentum_buffer"], opt2.state[b2]["momentum_buffer"]
        assert buf_w.dtype == lib.float64  # cast to the parameter's dtype
        assert buf_b is sd["state"][1]["momentum_buffer"]  # same dtype: the same tensor
        assert opt2.param_groups[0] is not sd["param_groups"][0]
        # an old state_dict without the newer options gets SGD's defaults
        opt3 = lib.optim.SGD([w2, b2])
        opt3.load_state_dict({"state": {}, "param_groups": [{"lr": 0.3, "momentum": 0,
                                                             "dampening": 0, "weight_decay": 0,
                                                             "params": [0, 1]}]})
        results.append((_strip(opt2.state_dict()), _group_options(opt3.param_groups[0]),
                        list(opt3.param_groups[0])))
    assert results[0] == results[1]


LOAD_ERRORS = {
    "group_count": lambda lib, sd, w, b: lib.optim.SGD([{"params": [w]}, {"params": [b]}]),
    "group_size": lambda lib, sd, w, b: lib.optim.SGD([w]),
}


@pytest.mark.parametrize("case", ["group_count", "group_size", "no_param_groups", "no_state"])
def test_load_state_dict_errors_match_torch(case):
    torch = require_torch()

    def call(lib):
        w, b = lib.ones(3, requires_grad=True), lib.ones(2, requires_grad=True)
        sd = lib.optim.SGD([w, b], momentum=0.9).state_dict()
        if case == "no_param_groups":
            return lib.optim.SGD([w, b]).load_state_dict({"state": {}})
        if case == "no_state":
            return lib.optim.SGD([w, b]).load_state_dict({"param_groups": sd["param_groups"]})
        LOAD_ERRORS[case](lib, sd, w, b).load_state_dict(sd)

    _raises_like(torch, call)


def test_pickle_round_trip():
    w = numtorch.ones(2, requires_grad=True)
    opt = numtorch.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = numtorch.ones(2)
    opt.step()
    opt2 = pickle.loads(pickle.dumps(opt))
    assert repr(opt2) == repr(opt)
    [p] = opt2.param_groups[0]["params"]
    assert opt2.state[p]["momentum_buffer"].tolist() == [1.0, 1.0]


# -- hooks ----------------------------------------------------------------------------------------
def test_step_hooks_run_around_step_and_can_be_removed():
    w = numtorch.ones(1, requires_grad=True)
    opt = numtorch.optim.SGD([w], lr=0.1)
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", w.item())))
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", w.item())))
    w.grad = numtorch.ones(1)
    opt.step()
    assert calls == [("pre", 1.0), ("post", pytest.approx(0.9))]
    pre.remove()
    opt.step()
    assert [c[0] for c in calls] == ["pre", "post", "post"]


def test_subclass_of_optimizer():
    class Halve(numtorch.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {})

        @numtorch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    p.mul_(0.5)

    w = numtorch.ones(2, requires_grad=True)
    opt = Halve([w])
    seen = []
    opt.register_step_post_hook(lambda *a: seen.append(True))
    opt.step()
    assert w.tolist() == [0.5, 0.5] and seen == [True]
    assert repr(opt) == "Halve (\nParameter Group 0\n)"
