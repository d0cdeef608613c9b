"""optim: Adam, AdamW, RMSprop, Adagrad, Adamax, NAdam, RAdam against torch.

Trajectories (20 steps from the same weights, each library computing its own gradients of the
same loss), state and state_dict format, loading torch's state, repr, defaults and errors.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from conftest import require_torch
from optim_compare import (
    assert_same_state,
    assert_same_trajectory,
    by_name,
    initial,
    make_params,
    to_numtorch,
    trajectory,
)
from optim_compare import opt_factory as _opt
from test_optim import _group_options, _raises_like, _strip
from test_optim_more import NAMES as MORE_NAMES

import numtorch

TOL = {"float64": {"rtol": 1e-10, "atol": 1e-12}, "float32": {"rtol": 1e-5, "atol": 1e-5}}
NAMES = ["Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam"]
# behaviours every optimizer shares are checked here for test_optim_more's (MORE_NAMES) too
CASES = {
    "Adam": [{}, {"lr": 0.05}, {"amsgrad": True, "lr": 0.05}, {"weight_decay": 0.1},
             {"weight_decay": 0.1, "decoupled_weight_decay": True, "lr": 0.05},
             {"maximize": True, "amsgrad": True, "weight_decay": 0.05, "lr": 0.02},
             {"betas": (0.3, 0.6), "eps": 1e-3, "lr": 0.1}, {"foreach": True, "lr": 0.05},
             {"fused": True, "lr": 0.05}, {"capturable": False, "differentiable": False}],
    "AdamW": [{}, {"lr": 0.05, "weight_decay": 0.2}, {"amsgrad": True, "lr": 0.05},
              {"maximize": True, "lr": 0.02}, {"betas": (0.5, 0.9), "foreach": True, "lr": 0.1},
              {"fused": True, "amsgrad": True, "lr": 0.05}],
    "RMSprop": [{}, {"centered": True}, {"momentum": 0.9}, {"centered": True, "momentum": 0.5},
                {"weight_decay": 0.1, "maximize": True, "alpha": 0.5},
                {"centered": True, "momentum": 0.3, "maximize": True, "eps": 1e-3},
                {"alpha": 0.3, "foreach": True, "momentum": 0.9}],
    "Adagrad": [{}, {"lr": 0.1}, {"lr_decay": 0.1, "initial_accumulator_value": 0.5},
                {"weight_decay": 0.1, "maximize": True}, {"eps": 1e-2, "lr": 0.1},
                {"fused": True, "lr": 0.1}, {"foreach": True, "lr_decay": 0.05}],
    "Adamax": [{}, {"lr": 0.05}, {"weight_decay": 0.1, "maximize": True},
               {"betas": (0.3, 0.5), "eps": 1e-2}, {"foreach": True, "lr": 0.05}],
    "NAdam": [{}, {"lr": 0.05}, {"weight_decay": 0.1},
              {"weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True},
              {"momentum_decay": 0.1, "lr": 0.05, "betas": (0.8, 0.9)},
              {"foreach": True, "lr": 0.02}],
    "RAdam": [{}, {"lr": 0.05, "betas": (0.9, 0.9)},
              {"weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.9, 0.9)},
              {"weight_decay": 0.1, "maximize": True, "lr": 0.02},
              {"betas": (0.9, 0.5)},  # rho_inf = 3: the variance is never rectified
              {"foreach": True, "betas": (0.8, 0.9), "lr": 0.05}],
}
TRAJECTORIES = [(name, options) for name, table in CASES.items() for options in table]


def _assert_close(ours, theirs, dtype):
    assert_same_trajectory(ours, theirs, **TOL[dtype])


# -- trajectories --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name,options", TRAJECTORIES,
                         ids=[f"{n}-{o}" for n, o in TRAJECTORIES])
def test_trajectory_matches_torch(name, options, dtype):
    torch = require_torch()
    ours, opt, params = trajectory(numtorch, dtype, by_name(name, **options))
    theirs, topt, tparams = trajectory(torch, dtype, by_name(name, **options))
    assert_same_trajectory(ours, theirs, **TOL[dtype])
    np.testing.assert_array_equal(ours[-1][3], initial(dtype)["unused"])  # no grad: skipped
    assert_same_state(opt, params, topt, tparams, **TOL[dtype])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", NAMES)
def test_tensor_learning_rate_matches_torch(name, dtype):
    torch = require_torch()
    for lr_dtype in ("float32", "float64"):
        def make(lib, params, lr_dtype=lr_dtype):
            lr = lib.tensor(0.03, dtype=getattr(lib, lr_dtype))
            return getattr(lib.optim, name)(params, lr=lr)

        _assert_close(trajectory(numtorch, dtype, make)[0], trajectory(torch, dtype, make)[0],
                      dtype)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_tensor_betas_match_torch(name, dtype):
    torch = require_torch()

    def make(lib, params):
        betas = (lib.tensor(0.8), lib.tensor(0.9))
        return getattr(lib.optim, name)(params, lr=0.05, betas=betas, amsgrad=True)

    _assert_close(trajectory(numtorch, dtype, make)[0], trajectory(torch, dtype, make)[0], dtype)


@pytest.mark.parametrize("name", NAMES)
def test_param_groups_with_their_own_options_match_torch(name):
    torch = require_torch()

    def make(lib, params):
        w, b, s, unused = params
        return getattr(lib.optim, name)([{"params": [w], "lr": 0.05, "weight_decay": 0.1},
                                         {"params": [b, s, unused], "maximize": True}], lr=0.01)

    _assert_close(trajectory(numtorch, "float64", make)[0],
                  trajectory(torch, "float64", make)[0], "float64")


@pytest.mark.parametrize("name", NAMES)
def test_changing_lr_in_param_groups_takes_effect(name):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        init = initial("float64")
        params = make_params(lib, init)
        opt = getattr(lib.optim, name)(params, lr=0.1)
        for step in range(6):
            opt.param_groups[0]["lr"] = 0.1 / (step + 1)  # what a scheduler does
            trajectory(lib, "float64", None, 1, init, params, opt)
        results.append([p.detach().numpy() for p in params])
    _assert_close([results[0]], [results[1]], "float64")


@pytest.mark.parametrize("name", NAMES)
def test_step_counter_is_a_float_tensor_like_torch(name):
    torch = require_torch()
    for default in ("float32", "float64"):
        dtypes = []
        for lib in (numtorch, torch):
            previous = lib.get_default_dtype()
            lib.set_default_dtype(getattr(lib, default))
            try:
                _, opt, params = trajectory(lib, "float64", by_name(name), steps=1)
            finally:
                lib.set_default_dtype(previous)
            step = opt.state[params[0]]["step"]
            dtypes.append((str(step.dtype), tuple(step.shape), step.item()))
        assert dtypes[0] == dtypes[1]


# -- the update itself ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_step_updates_in_place_and_never_touches_grad(name):
    w = numtorch.tensor([1.0, 2.0], requires_grad=True)
    opt = getattr(numtorch.optim, name)([w], lr=0.5, weight_decay=0.1, maximize=True)
    for _ in range(2):
        w.grad = numtorch.tensor([0.5, -1.0])
        grad, data, version = w.grad, w._data, w._version
        opt.step()
        assert w.grad is grad and grad.tolist() == [0.5, -1.0]
        assert w._data is data and w._version > version and w.is_leaf and w.requires_grad
        assert all(v is not grad and v._data is not grad._data for v in opt.state[w].values())


@pytest.mark.parametrize("name", NAMES + MORE_NAMES)
def test_closure_is_called_with_grad_enabled_and_its_result_returned(name):
    w = numtorch.tensor([1.0], requires_grad=True)
    opt = getattr(numtorch.optim, name)([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with numtorch.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 1.0 and w.item() < 1.0
    assert opt.step() is None


@pytest.mark.parametrize("name", [n for n in NAMES if n != "Adagrad"] + MORE_NAMES)
def test_parameter_without_grad_gets_no_state(name):
    w = numtorch.tensor([1.0], requires_grad=True)
    opt = getattr(numtorch.optim, name)([w])
    opt.step()
    assert w.tolist() == [1.0] and len(opt.state) == 0


def test_adagrad_fills_its_state_at_construction_like_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        w, u = lib.ones(2, requires_grad=True), lib.ones(3, requires_grad=True)
        opt = lib.optim.Adagrad([{"params": [w], "initial_accumulator_value": 0.7}],
                                initial_accumulator_value=0.25)
        opt.add_param_group({"params": [u], "initial_accumulator_value": 0.5})
        before = _strip(opt.state_dict())
        u.grad = lib.ones(3)
        opt.step()  # the group added later gets its state on its first step
        results.append((before, _strip(opt.state_dict())))
    assert results[0] == results[1]


@pytest.mark.parametrize("name", NAMES + MORE_NAMES)
def test_differentiable_step_on_a_leaf_fails_like_torch(name):
    torch = require_torch()

    def call(lib):
        w = lib.ones(2, requires_grad=True)
        w.grad = lib.ones(2)
        getattr(lib.optim, name)([w], differentiable=True).step()

    _raises_like(torch, call)


def test_differentiable_update_through_a_graph_is_not_supported():
    x = numtorch.ones(2, requires_grad=True) * 2
    x.retain_grad()
    x.grad = numtorch.ones(2)
    opt = numtorch.optim.Adam([x], differentiable=True)
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        opt.step()


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adamax", "NAdam", "RAdam"]
                         + MORE_NAMES)
def test_capturable_on_cpu_fails_like_torch(name):
    torch = require_torch()

    def call(lib):
        w = lib.ones(2, requires_grad=True)
        opt = getattr(lib.optim, name)([w], capturable=True)
        opt.step()  # no grad yet: nothing to check
        w.grad = lib.ones(2)
        opt.step()

    _raises_like(torch, call)


# -- defaults, param_groups, repr -----------------------------------------------------------------
REPR_OPTIONS = {
    "Adam": {"lr": 0.1, "betas": (0.8, 0.99), "amsgrad": True, "foreach": False, "fused": True},
    "AdamW": {"weight_decay": 0.5, "maximize": True, "capturable": True},
    "RMSprop": {"alpha": 0.9, "centered": True, "momentum": 0.1, "differentiable": True},
    "Adagrad": {"lr_decay": 0.1, "initial_accumulator_value": 1, "eps": 1e-5, "fused": True},
    "Adamax": {"betas": (0.5, 0.6), "weight_decay": 1e-3, "foreach": True},
    "NAdam": {"momentum_decay": 0.01, "decoupled_weight_decay": True, "capturable": True},
    "RAdam": {"decoupled_weight_decay": True, "eps": 0.1, "maximize": True},
}


@pytest.mark.parametrize("name", NAMES)
def test_defaults_param_groups_and_repr_match_torch(name):
    torch = require_torch()
    for kwargs in ({}, REPR_OPTIONS[name]):
        def build(lib, kwargs=kwargs):
            return getattr(lib.optim, name)(
                [{"params": [lib.ones(2, requires_grad=True)]},
                 {"params": lib.ones(1, requires_grad=True), "lr": 0.5, "extra": "x"}],
                **kwargs)

        ours, theirs = build(numtorch), build(torch)
        assert ours.defaults == theirs.defaults and list(ours.defaults) == list(theirs.defaults)
        assert [_group_options(g) for g in ours.param_groups] == [
            _group_options(g) for g in theirs.param_groups]
        assert list(ours.param_groups[1]) == list(theirs.param_groups[1])
        assert repr(ours) == repr(theirs)


def test_adam_repr_text():
    opt = numtorch.optim.Adam([numtorch.ones(1, requires_grad=True)], lr=0.01)
    assert repr(opt) == (
        "Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n"
        "    capturable: False\n    decoupled_weight_decay: False\n    differentiable: False\n"
        "    eps: 1e-08\n    foreach: None\n    fused: None\n    lr: 0.01\n"
        "    maximize: False\n    weight_decay: 0\n)")


# -- state_dict -----------------------------------------------------------------------------------
STATE_OPTIONS = {"Adam": {"amsgrad": True}, "AdamW": {"amsgrad": True},
                 "RMSprop": {"momentum": 0.9, "centered": True}, "Adagrad": {"lr_decay": 0.1},
                 "Adamax": {}, "NAdam": {"decoupled_weight_decay": True, "weight_decay": 0.1},
                 "RAdam": {"betas": (0.9, 0.9)}}


def _grouped(lib, name):
    def make(lib, params):
        w, b, s, unused = params
        return getattr(lib.optim, name)([{"params": [w, s], "lr": 0.05},
                                         {"params": [b, unused], "weight_decay": 0.1}],
                                        **STATE_OPTIONS[name])
    return make


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_format_matches_torch(name):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        _, opt, params = trajectory(lib, "float64", _grouped(lib, name), steps=3)
        sd = opt.state_dict()
        assert sd["state"][0] is opt.state[params[0]]  # live buffers, not copies
        results.append(sd)
    assert _strip(results[0]) == _strip(results[1])
    assert [list(v) for v in results[0]["state"].values()] == [
        list(v) for v in results[1]["state"].values()]
    assert list(results[0]["param_groups"][0]) == list(results[1]["param_groups"][0])


def _round_trip(lib, dtype, make, convert=lambda sd: sd, source=None):
    """5 steps, a state_dict saved and loaded into a fresh optimizer (with other options) on
    fresh parameters holding the same values, 5 more steps; the last values.

    ``source`` is the library whose optimizer saves the state_dict (torch, to load its state).
    """
    _, opt, params = trajectory(source or lib, dtype, make, steps=5)
    saved = convert(pickle.loads(pickle.dumps(copy.deepcopy(opt.state_dict()))))
    params2 = [lib.from_numpy(p.detach().numpy().copy()).requires_grad_(True) for p in params]
    opt2 = make(lib, params2)
    opt2.param_groups[0]["lr"] = 0.5
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == 0.05 and opt2.param_groups[0]["params"][0] is params2[0]
    rest, _, _ = trajectory(lib, dtype, None, 5, initial(dtype), params2, opt2)
    return rest[-1]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", NAMES)
def test_state_dict_round_trip_continues_the_trajectory(name, dtype):
    torch = require_torch()
    make = _grouped(numtorch, name)
    ours = _round_trip(numtorch, dtype, make)
    if not (name == "NAdam" and dtype == "float64"):
        # (loading casts NAdam's float32 mu_product to float64 params' dtype, in torch too,
        # so that run leaves the uninterrupted one by rounding)
        full, _, _ = trajectory(numtorch, dtype, make, steps=10)
        assert all((a == b).all() for a, b in zip(ours, full[-1]))  # bit for bit
    _assert_close([ours], [_round_trip(torch, dtype, make)], dtype)


@pytest.mark.parametrize("name", NAMES)
def test_loading_torchs_state_continues_torchs_trajectory(name):
    torch = require_torch()
    make = _grouped(torch, name)
    ours = _round_trip(numtorch, "float64", make, to_numtorch, source=torch)
    _assert_close([ours], [_round_trip(torch, "float64", make)], "float64")




def test_loaded_buffers_take_the_parameter_dtype_and_step_stays_float32():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.NAdam([w])
        w.grad = lib.ones(2)
        opt.step()
        w2 = lib.zeros(2, dtype=lib.float64, requires_grad=True)
        opt2 = lib.optim.NAdam([w2])
        opt2.load_state_dict(opt.state_dict())
        results.append({k: str(v.dtype) for k, v in opt2.state[w2].items()})
    assert results[0] == results[1]


OLD_STATE = {"step": 3.0, "exp_avg": [0.1, 0.2], "exp_avg_sq": [0.01, 0.02], "sum": [1.0, 1.0],
             "square_avg": [0.1, 0.1], "exp_inf": [1.0, 1.0], "mu_product": 0.5}
# options a state_dict saved by an older torch lacks
NEWER = {"amsgrad", "maximize", "foreach", "capturable", "differentiable", "fused",
         "decoupled_weight_decay", "momentum", "centered"}
STATE_KEYS = {"Adam": ("exp_avg", "exp_avg_sq"), "AdamW": ("exp_avg", "exp_avg_sq"),
              "RMSprop": ("square_avg",), "Adagrad": ("sum",),
              "Adamax": ("exp_avg", "exp_inf"), "NAdam": ("mu_product", "exp_avg", "exp_avg_sq"),
              "RAdam": ("exp_avg", "exp_avg_sq")}


@pytest.mark.parametrize("name", NAMES)
def test_old_state_dict_gets_defaults_and_a_tensor_step_like_torch(name):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        w = lib.ones(2, requires_grad=True)
        opt = getattr(lib.optim, name)([w])
        state = {"step": 3.0}
        for key in STATE_KEYS[name]:
            value = OLD_STATE[key]
            state[key] = value if key == "mu_product" else lib.tensor(value)
        group = {k: v for k, v in opt.state_dict()["param_groups"][0].items() if k not in NEWER}
        opt.load_state_dict({"state": {0: state}, "param_groups": [dict(group, lr=0.3)]})
        w.grad = lib.ones(2)
        opt.step()
        results.append((_group_options(opt.param_groups[0]), list(opt.param_groups[0]),
                        _strip(opt.state_dict()), w.tolist()))
    assert results[0][:3] == results[1][:3]
    np.testing.assert_allclose(results[0][3], results[1][3], rtol=1e-6)


@pytest.mark.parametrize("name", NAMES + MORE_NAMES)
def test_pickle_round_trip(name):
    w = numtorch.ones(2, requires_grad=True)
    opt = getattr(numtorch.optim, name)([w], lr=0.1)
    w.grad = numtorch.ones(2)
    opt.step()
    opt2 = pickle.loads(pickle.dumps(opt))
    assert repr(opt2) == repr(opt)
    [p] = opt2.param_groups[0]["params"]
    assert _strip(opt2.state_dict()) == _strip(opt.state_dict())
    p.grad = numtorch.ones(2)
    opt2.step()


# -- errors ---------------------------------------------------------------------------------------


ERRORS = {f"{name}-{label}": _opt(name, **kwargs) for name in NAMES for label, kwargs in {
    "lr": {"lr": -1.0}, "lr_int": {"lr": -1}, "lr_none": {"lr": None}, "eps": {"eps": -1e-3},
    "weight_decay": {"weight_decay": -0.1}, "everything": {
        "lr": -1.0, "eps": -1.0, "weight_decay": -1.0},
}.items()}
ERRORS.update({f"{name}-{label}": _opt(name, **kwargs)
               for name in ["Adam", "AdamW", "Adamax", "NAdam", "RAdam"]
               for label, kwargs in {
                   "beta0": {"betas": (1.0, 0.9)}, "beta1": {"betas": (0.9, 1.0)},
                   "beta_negative": {"betas": (-0.1, 0.9)}, "betas_short": {"betas": (0.9,)},
                   "betas_and_wd": {"betas": (0.5, 1.5), "weight_decay": -1}}.items()})
ERRORS.update({
    "tensor_lr_2": lambda lib: _opt("Adam", lr=lib.tensor([0.1, 0.2]))(lib),
    "tensor_lr_negative": lambda lib: _opt("RMSprop", lr=lib.tensor(-1.0))(lib),
    "tensor_lr_foreach": lambda lib: _opt("AdamW", lr=lib.tensor(0.1), foreach=True)(lib),
    "tensor_lr_2_adagrad": lambda lib: _opt("Adagrad", lr=lib.tensor([0.1, 0.2]),
                                            foreach=True)(lib),
    "tensor_betas_mixed": lambda lib: _opt("Adam", betas=(lib.tensor(0.9), 0.99))(lib),
    "tensor_betas_foreach": lambda lib: _opt("Adam", betas=(lib.tensor(0.9), lib.tensor(0.99)),
                                             foreach=True)(lib),
    "tensor_beta_range": lambda lib: _opt("Adam", betas=(lib.tensor(1.5), lib.tensor(0.9)))(lib),
    "rmsprop_all": _opt("RMSprop", lr=-1.0, eps=-1.0, momentum=-1.0, weight_decay=-1.0,
                        alpha=-1.0),
    "rmsprop_momentum": _opt("RMSprop", momentum=-0.1),
    "rmsprop_alpha": _opt("RMSprop", alpha=-0.1),
    "adagrad_all": _opt("Adagrad", lr_decay=-1.0, weight_decay=-1.0,
                        initial_accumulator_value=-1.0, eps=-1.0),
    "adagrad_lr_decay": _opt("Adagrad", lr_decay=-1),
    "adagrad_initial": _opt("Adagrad", initial_accumulator_value=-1),
    "nadam_momentum_decay": _opt("NAdam", momentum_decay=-1),
    "adam_fused_foreach": _opt("Adam", fused=True, foreach=True),
    "adamw_fused_differentiable": _opt("AdamW", fused=True, foreach=True, differentiable=True),
    "adagrad_fused_foreach": _opt("Adagrad", fused=True, foreach=True),
    "fused_empty": lambda lib: lib.optim.Adam([], fused=True, foreach=True),
    "empty": lambda lib: lib.optim.RMSprop([]),
    "non_leaf": lambda lib: lib.optim.NAdam([lib.ones(2, requires_grad=True) * 2]),
    "adamw_no_decoupled_option": _opt("AdamW", decoupled_weight_decay=False),
    "rmsprop_no_betas": _opt("RMSprop", betas=(0.9, 0.99)),
    "adamax_no_fused": _opt("Adamax", fused=True),
    "adagrad_no_capturable": _opt("Adagrad", capturable=True),
})


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_torch(case):
    torch = require_torch()
    _raises_like(torch, ERRORS[case])
