"""optim.lr_scheduler.CyclicLR against torch: 60-step rate and momentum sequences for every mode
(and custom scale functions), with SGD's momentum and Adam's beta1, state_dict (format, the
scale function left out, round trip), resuming, warnings, errors and training."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from conftest import require_torch
from optim_compare import initial, make_params, quadratic_loss
from test_lr_scheduler import _assert_same_lrs, _comparable, _momenta, _optimizer, _warnings
from test_optim import _raises_like

import numtorch

STEPS = 60


class Halving:
    """A callable object: its ``__dict__`` is what the state_dict keeps of a custom scale_fn."""

    def __init__(self, rate: float = 0.5) -> None:
        self.rate = rate

    def __call__(self, x: float) -> float:
        return self.rate ** x


def _inverse(x: float) -> float:
    return 1 / x


CASES = [
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
    {"base_lr": [0.01, 0.02], "max_lr": [0.1, 0.3], "step_size_up": 3, "step_size_down": 5,
     "mode": "triangular2"},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "mode": "exp_range", "gamma": 0.95},
    {"base_lr": 0.001, "max_lr": (0.1, 0.2), "step_size_up": 7, "step_size_down": 2,
     "mode": "exp_range", "gamma": 0.99, "base_momentum": 0.5, "max_momentum": 0.99},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "scale_fn": Halving(0.7),
     "scale_mode": "iterations"},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "scale_fn": _inverse},
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "scale_fn": lambda x: 0.9 ** x,
     "mode": "not a mode", "base_momentum": [0.7, 0.6], "max_momentum": [0.95, 0.9]},
    {"base_lr": 0.05, "max_lr": 0.5, "step_size_up": 5, "cycle_momentum": False},
    {"base_lr": 0.1, "max_lr": 0.01, "step_size_up": 1, "step_size_down": 1},  # max < base
    {"base_lr": 0.01, "max_lr": 0.1},  # the default 2000-step half cycles
    {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2.5, "step_size_down": 1.5,
     "mode": "triangular2", "scale_mode": "iterations"},  # a mode fixes the scale mode
]
IDS = [str(i) for i in range(len(CASES))]


def _run(lib, options, algorithm="SGD", steps=STEPS):
    """get_last_lr() (and the groups' momentum) after construction and after each step."""
    opt = _optimizer(lib, algorithm)
    scheduler = lib.optim.lr_scheduler.CyclicLR(opt, **options)
    history = [(list(scheduler.get_last_lr()), _momenta(opt))]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        history.append((list(scheduler.get_last_lr()), _momenta(opt)))
        assert [g["lr"] for g in opt.param_groups] == history[-1][0]
    return history, scheduler, opt


def _keys(group):
    return {k: v for k, v in group.items() if k != "params"}


# -- sequences ------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["SGD", "Adam"])
@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_learning_rates_and_momenta_match_torch(index, algorithm):
    torch = require_torch()
    ours, scheduler, opt = _run(numtorch, CASES[index], algorithm)
    theirs, tscheduler, topt = _run(torch, CASES[index], algorithm)
    _assert_same_lrs(ours, theirs)
    assert [_keys(g) for g in opt.param_groups] == [_keys(g) for g in topt.param_groups]
    assert [list(g) for g in opt.param_groups] == [list(g) for g in topt.param_groups]
    assert scheduler.base_lrs == tscheduler.base_lrs
    assert scheduler.scale_mode == tscheduler.scale_mode


def test_scale_fn_is_called_as_often_as_torch_calls_it():
    torch = require_torch()
    counts = []
    for lib in (numtorch, torch):
        calls = []

        def scale(x, calls=calls):
            calls.append(x)
            return 1.0

        _run(lib, {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "scale_fn": scale},
             steps=5)
        counts.append(calls)
    assert counts[0] == counts[1]


def test_tensor_learning_rates_are_filled_in_place_like_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=lib.tensor(0.5, dtype=lib.float64), momentum=0.9)
        lr = opt.param_groups[0]["lr"]
        scheduler = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=3)
        values = [lr.item()]
        for _ in range(10):
            opt.step()
            scheduler.step()
            assert opt.param_groups[0]["lr"] is lr
            values.append(lr.item())
        results.append(values)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_step_with_an_epoch_warns_and_uses_get_lr_like_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        opt = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=4)
        opt.step()
        values = []
        for epoch in [3, 0, 7, 2, 12, 12, 30, 1]:
            with pytest.warns(UserWarning, match="The epoch parameter"):
                scheduler.step(epoch)
            values.append((scheduler.get_last_lr(), _momenta(opt)))
        results.append(values)
    _assert_same_lrs(*results)


@pytest.mark.parametrize("last_epoch", [0, 1, 3, 4, 9])
@pytest.mark.parametrize("index", [0, 1, 2], ids=["triangular", "triangular2", "exp_range"])
def test_resuming_with_last_epoch_matches_torch(index, last_epoch):
    """A second scheduler built on a stepped optimizer with ``last_epoch``: the groups keep
    their rates and momenta (only the base lrs come from the arguments)."""
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        history, _, opt = _run(lib, CASES[index], steps=last_epoch + 1)
        scheduler = lib.optim.lr_scheduler.CyclicLR(opt, **CASES[index], last_epoch=last_epoch)
        values = [(scheduler.get_last_lr(), _momenta(opt))]
        for _ in range(8):
            opt.step()
            scheduler.step()
            values.append((scheduler.get_last_lr(), _momenta(opt)))
        results.append(values)
    _assert_same_lrs(*results)


# -- state_dict -----------------------------------------------------------------------------------
@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_state_dict_matches_torch(index):
    torch = require_torch()
    _, ours, _ = _run(numtorch, CASES[index], steps=20)
    _, theirs, _ = _run(torch, CASES[index], steps=20)
    assert _comparable(ours.state_dict()) == _comparable(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert "_scale_fn_ref" not in ours.state_dict()


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_state_dict_round_trip_continues_the_schedule(index):
    full, _, _ = _run(numtorch, CASES[index])
    _, scheduler, opt = _run(numtorch, CASES[index], steps=20)
    saved_opt = copy.deepcopy(opt.state_dict())
    saved = pickle.loads(pickle.dumps(scheduler.state_dict()))  # no function inside
    # as a checkpoint is restored: a new optimizer and scheduler, then both states loaded
    opt2 = _optimizer(numtorch)
    scheduler2 = numtorch.optim.lr_scheduler.CyclicLR(opt2, **CASES[index])
    opt2.load_state_dict(saved_opt)
    scheduler2.load_state_dict(saved)
    assert scheduler2.get_last_lr() == full[20][0]
    for i in range(20, STEPS):
        opt2.step()
        scheduler2.step()
        assert (scheduler2.get_last_lr(), _momenta(opt2)) == full[i + 1]


def test_custom_scale_fn_state_is_saved_for_callable_objects_only_like_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        opt = _optimizer(lib)
        halving = Halving(0.5)
        scheduler = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, scale_fn=halving)
        state = scheduler.state_dict()
        assert state["_scale_fn_custom"] == {"rate": 0.5}
        state["_scale_fn_custom"]["rate"] = 0.25
        scheduler.load_state_dict(state)
        assert halving.rate == 0.25 and scheduler.scale_fn(2) == 0.0625
        lam = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, scale_fn=lambda x: 1.0)
        assert lam.state_dict()["_scale_fn_custom"] is None
        results.append((list(state), list(lam.state_dict())))  # loading took the fn's entry
    assert results[0] == results[1]


def test_loading_restores_the_mode_scale_function():
    opt = _optimizer(numtorch)
    source = numtorch.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="exp_range", gamma=0.5)
    target = numtorch.optim.lr_scheduler.CyclicLR(_optimizer(numtorch), 0.01, 0.1)
    target.load_state_dict(source.state_dict())
    assert target.mode == "exp_range" and target.scale_mode == "iterations"
    assert target.scale_fn(3) == 0.125


# -- warnings and errors --------------------------------------------------------------------------
WARNINGS = {
    "get_lr_by_hand": lambda lib: lib.optim.lr_scheduler.CyclicLR(
        _optimizer(lib), 0.01, 0.1).get_lr(),
    "scheduler_before_optimizer": lambda lib: lib.optim.lr_scheduler.CyclicLR(
        _optimizer(lib), 0.01, 0.1).step(),
    "none_in_order": lambda lib: _run(lib, CASES[0], steps=3),
}


@pytest.mark.parametrize("case", list(WARNINGS))
def test_warnings_match_torch(case):
    torch = require_torch()
    ours = _warnings(lambda: WARNINGS[case](numtorch))
    theirs = _warnings(lambda: WARNINGS[case](torch))
    assert ours == theirs
    assert bool(ours) != case.startswith("none")


def _cyclic(**kwargs):
    return lambda lib: lib.optim.lr_scheduler.CyclicLR(_optimizer(lib), **kwargs)


ERRORS = {
    "not_an_optimizer": lambda lib: lib.optim.lr_scheduler.CyclicLR("opt", 0.01, 0.1),
    "mode": _cyclic(base_lr=0.01, max_lr=0.1, mode="triangular3"),
    "base_lrs": _cyclic(base_lr=[0.01], max_lr=0.1),
    "max_lrs": _cyclic(base_lr=0.01, max_lr=(0.1, 0.2, 0.3)),
    "base_momentums": _cyclic(base_lr=0.01, max_lr=0.1, base_momentum=[0.8]),
    "max_momentums": _cyclic(base_lr=0.01, max_lr=0.1, max_momentum=[0.9, 0.9, 0.9]),
    "no_momentum": lambda lib: lib.optim.lr_scheduler.CyclicLR(
        lib.optim.Adagrad([lib.ones(1, requires_grad=True)]), 0.01, 0.1),
    "resume_without_initial_lr": _cyclic(base_lr=0.01, max_lr=0.1, last_epoch=3),
    "step_size_text": _cyclic(base_lr=0.01, max_lr=0.1, step_size_up="x"),
    "zero_size": lambda lib: _cyclic(base_lr=0.01, max_lr=0.1, step_size_up=0)(lib),
    "missing_max_lr": lambda lib: lib.optim.lr_scheduler.CyclicLR(_optimizer(lib), 0.01),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_torch(case):
    torch = require_torch()
    _raises_like(torch, ERRORS[case])


def test_constructor_signature_and_export_match_torch():
    torch = require_torch()
    import inspect

    ours = inspect.signature(numtorch.optim.lr_scheduler.CyclicLR)
    theirs = inspect.signature(torch.optim.lr_scheduler.CyclicLR)
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == [
        (p.name, p.kind, p.default) for p in theirs.parameters.values()]
    assert "CyclicLR" in numtorch.optim.lr_scheduler.__all__


# -- with a real optimizer ------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["SGD", "Adam", "RMSprop", "Adadelta"])
def test_training_under_cyclic_lr_follows_torch(algorithm):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        init = initial("float64")
        params = make_params(lib, init)
        if algorithm == "SGD":
            opt = lib.optim.SGD(params, lr=0.01, momentum=0.9, nesterov=True)
        else:
            opt = getattr(lib.optim, algorithm)(params)
        has_momentum = algorithm in ("SGD", "Adam", "RMSprop")
        scheduler = lib.optim.lr_scheduler.CyclicLR(opt, 0.001, 0.05, step_size_up=3,
                                                    mode="triangular2",
                                                    cycle_momentum=has_momentum)
        for _ in range(20):
            opt.zero_grad()
            quadratic_loss(lib, params, init).backward()
            opt.step()
            scheduler.step()
        results.append([p.detach().numpy() for p in params])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
